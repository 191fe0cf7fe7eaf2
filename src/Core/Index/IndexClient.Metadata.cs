using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>Core metadata without the whole file where the index allows: PEP 658 files, range requests, then the download.</summary>
public sealed partial class IndexClient
{
    /// <summary>
    /// The core metadata (METADATA) of a distribution file without downloading it where the index allows:
    /// the PEP 658/714 <c>.metadata</c> file, verified against its hash; else, for a wheel, HTTP range
    /// requests on the zip's central directory; else the whole wheel (hash-checked, kept in the cache).
    /// A source distribution without a <c>.metadata</c> file has no metadata without a build
    /// (<see cref="InvalidOperationException"/>; <c>ProjectListing.SdistOnlyVersions</c> names them).
    /// </summary>
    public async Task<CoreMetadata> GetMetadataAsync(DistributionFile file, CancellationToken ct)
    {
        var bytes = await GetMetadataBytesAsync(file, ct).ConfigureAwait(false);
        try
        {
            return CoreMetadata.Parse(bytes);
        }
        catch (PackagingFormatException e)
        {
            throw new PythonEnvException(
                DiagnosticCodes.InvalidIndexResponse,
                $"The metadata of {file.Filename} ({UrlText.Display(file.Url)}) is not valid core metadata: {e.Reason}.");
        }
    }

    /// <summary>The raw METADATA bytes, fetched as <see cref="GetMetadataAsync"/> describes.</summary>
    public Task<byte[]> GetMetadataBytesAsync(DistributionFile file, CancellationToken ct)
    {
        _ = file ?? throw new ArgumentNullException(nameof(file));

        var key = file.Url.AbsoluteUri;
        return Shared(_metadata, key, token => LoadMetadataAsync(file, token), ct);
    }

    private async Task<byte[]> LoadMetadataAsync(DistributionFile file, CancellationToken ct)
    {
        if (file.HasCoreMetadata)
        {
            var fromIndex = await GetMetadataFileAsync(file, ct).ConfigureAwait(false);
            if (fromIndex is not null)
            {
                return fromIndex;
            }
        }

        if (!file.IsWheel)
        {
            throw new InvalidOperationException($"{file.Filename} is a source distribution and its index serves no metadata file: its metadata needs a build.");
        }

        // Already downloaded, or local: read the zip directly.
        if (file.Url.IsFile)
        {
            return await ReadWheelMetadataAsync(new FileRangeSource(file.Url.LocalPath), file, ct).ConfigureAwait(false);
        }

        if (file.Sha256 is { } sha && File.Exists(ArchivePath(sha, file.Filename)))
        {
            return await ReadWheelMetadataAsync(new FileRangeSource(ArchivePath(sha, file.Filename)), file, ct).ConfigureAwait(false);
        }

        // Range results are cached by the wheel's URL and hash: the wheel behind them never changes.
        var key = "wheel-metadata " + file.Url.AbsoluteUri + " " + (file.Sha256 ?? "");
        if (_cache.TryRead(key) is { } cached)
        {
            return cached.Body;
        }

        if (_options.Offline)
        {
            throw new PythonEnvException(
                DiagnosticCodes.OfflineCacheMiss,
                $"Offline: the metadata of {file.Filename} ({UrlText.Display(file.Url)}) is not in the cache at {_options.CacheDir}. Build once with PythonOffline=false to fill the cache.");
        }

        byte[]? metadata = null;
        var remote = await HttpRangeSource.OpenAsync(_http, file.Url, WheelMetadataReader.TailSize, file.Filename, ct).ConfigureAwait(false);
        if (remote is not null)
        {
            try
            {
                metadata = await WheelMetadataReader.ReadAsync(remote, file.Filename, ct).ConfigureAwait(false);
                _options.Log?.Invoke($"Read METADATA of {file.Filename} with {remote.Requests} range request(s)");
            }
            catch (InvalidDataException e)
            {
                _options.Log?.Invoke($"Range reading of {file.Filename} failed ({e.Message}); downloading it whole");
            }
        }

        if (metadata is null)
        {
            var path = await DownloadAsync(file, ct).ConfigureAwait(false);
            metadata = await ReadWheelMetadataAsync(new FileRangeSource(path), file, ct).ConfigureAwait(false);
        }

        WriteCache(key, new CacheEntry { Status = 200, Url = file.Url.AbsoluteUri, FinalUrl = file.Url.AbsoluteUri, StoredAt = DateTimeOffset.UtcNow, Body = metadata });
        return metadata;
    }

    private static async Task<byte[]> ReadWheelMetadataAsync(IRangeSource source, DistributionFile file, CancellationToken ct)
    {
        try
        {
            return await WheelMetadataReader.ReadAsync(source, file.Filename, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidIndexResponse, $"Cannot read the metadata of {file.Filename} ({UrlText.Display(file.Url)}): {e.Message}.");
        }
    }

    /// <summary>The PEP 658 <c>.metadata</c> file, hash-checked; null when the index does not have it after all.</summary>
    private async Task<byte[]?> GetMetadataFileAsync(DistributionFile file, CancellationToken ct)
    {
        var url = new Uri(file.Url.AbsoluteUri + ".metadata");
        byte[] body;
        if (url.IsFile)
        {
            if (!File.Exists(url.LocalPath))
            {
                return null;
            }

            body = File.ReadAllBytes(url.LocalPath);
        }
        else
        {
            var entry = await GetCachedAsync(
                url, "metadata", "*/*", $"the metadata file of {file.Filename}", refresh: false, ct,
                cached => cached.Status == 200 && file.CoreMetadataHashes.Count > 0 && Hashing.FirstMismatch(file.CoreMetadataHashes, cached.Body) is null).ConfigureAwait(false);
            if (entry.Status != 200)
            {
                return null;
            }

            body = entry.Body;
        }

        if (Hashing.FirstMismatch(file.CoreMetadataHashes, body) is { } mismatch)
        {
            // A bad copy must not be served from the cache again.
            AtomicFile.TryDelete(_cache.PathFor("metadata " + url.AbsoluteUri + " */*"));
            throw new PythonEnvException(
                DiagnosticCodes.HashMismatch,
                $"The metadata file of {file.Filename} ({UrlText.Display(url)}) does not match the index's {mismatch.Algorithm}: expected {mismatch.Expected}, got {mismatch.Actual}. It was not used; the index or a proxy serves corrupted data.");
        }

        return body;
    }
}
