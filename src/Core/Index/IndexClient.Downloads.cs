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

namespace PythonEnv.Index;

/// <summary>Distribution files downloaded into the content-addressed archive cache, hash- and size-checked.</summary>
public sealed partial class IndexClient
{
    /// <summary>Downloads a distribution file into the cache (or finds it there) and returns its path, hash- and size-checked.</summary>
    public Task<string> DownloadAsync(DistributionFile file, CancellationToken ct)
    {
        _ = file ?? throw new ArgumentNullException(nameof(file));

        return DownloadCoreAsync(file.Url, file.Filename, file.Hashes, file.Size, ct);
    }

    /// <summary>Downloads a file known by URL and SHA-256 (from a lock) into the cache and returns its path.</summary>
    public Task<string> DownloadAsync(Uri url, string sha256, long? size, CancellationToken ct)
    {
        _ = url ?? throw new ArgumentNullException(nameof(url));

        if (string.IsNullOrEmpty(sha256))
        {
            throw new ArgumentException("A SHA-256 is required to download into the cache.", nameof(sha256));
        }

        var clean = UrlText.WithoutUserInfo(url);
        var filename = Uri.UnescapeDataString(clean.Segments[clean.Segments.Length - 1]);
        return DownloadCoreAsync(url, filename, new Dictionary<string, string> { ["sha256"] = sha256.ToLowerInvariant() }, size, ct);
    }

    private string ArchivePath(string sha256, string filename) => Path.Combine(_archives, sha256, filename);

    private Task<string> DownloadCoreAsync(Uri url, string filename, IReadOnlyDictionary<string, string> hashes, long? size, CancellationToken ct)
    {
        var key = UrlText.WithoutUserInfo(url).AbsoluteUri + " " + (hashes.TryGetValue("sha256", out var sha) ? sha : "");
        return Shared(_downloads, key, token => DownloadUncachedAsync(url, filename, hashes, size, token), ct);
    }

    private async Task<string> DownloadUncachedAsync(Uri url, string filename, IReadOnlyDictionary<string, string> hashes, long? size, CancellationToken ct)
    {
        if (filename.IndexOfAny(PathSeparators) >= 0 || filename is "." or ".." || filename.Length == 0)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidIndexResponse, $"The index gave the unusable file name '{filename}' for {UrlText.Display(url)}.");
        }

        hashes.TryGetValue("sha256", out var expectedSha256);
        if (expectedSha256 is not null)
        {
            var existing = ArchivePath(expectedSha256, filename);
            if (File.Exists(existing))
            {
                if ((size is null || new FileInfo(existing).Length == size) && Hashing.Sha256HexOfFile(existing) == expectedSha256)
                {
                    return existing;
                }

                _options.Log?.Invoke($"Cached {filename} is corrupt; fetching it again");
                AtomicFile.TryDelete(existing);
            }
        }

        if (_options.Offline && !url.IsFile)
        {
            throw new PythonEnvException(
                DiagnosticCodes.OfflineCacheMiss,
                $"Offline: {filename} ({UrlText.Display(url)}) is not in the cache at {_options.CacheDir}. Build once with PythonOffline=false to fill the cache.");
        }

        Directory.CreateDirectory(_archives);
        var temp = Path.Combine(_archives, "." + Guid.NewGuid().ToString("N") + ".download");
        try
        {
            using var hasher = new Hashing(hashes);
            if (url.IsFile)
            {
                using var source = new FileStream(url.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read);
                using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                var buffer = new byte[81920];
                int read;
                while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    hasher.Append(buffer, read);
                    target.Write(buffer, 0, read);
                }
            }
            else
            {
                await _http.GetAsync(
                    url,
                    _ => { },
                    async (response, attempt) =>
                    {
                        if ((int)response.StatusCode != 200)
                        {
                            throw new PythonEnvException(
                                DiagnosticCodes.InvalidIndexResponse,
                                $"Cannot download {filename}: {UrlText.Display(attempt.FinalUrl)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
                        }

                        hasher.Reset();
                        using var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
                        await attempt.CopyBodyAsync(response, target, hasher.Append).ConfigureAwait(false);
                        return true;
                    },
                    filename,
                    ct).ConfigureAwait(false);
            }

            var actualSize = new FileInfo(temp).Length;
            if (size is { } expectedSize && actualSize != expectedSize)
            {
                throw new PythonEnvException(
                    DiagnosticCodes.HashMismatch,
                    $"{filename} from {UrlText.Display(url)} has {actualSize} bytes, but the index gave its size as {expectedSize}. It was not kept; the index or a proxy serves corrupted data.");
            }

            var digests = hasher.Finish();
            if (hasher.FirstMismatch(digests) is { } mismatch)
            {
                throw new PythonEnvException(
                    DiagnosticCodes.HashMismatch,
                    $"{filename} from {UrlText.Display(url)} does not match its {mismatch.Algorithm}: expected {mismatch.Expected}, got {mismatch.Actual}. It was not kept; the index or a proxy serves corrupted data, or the lock records another file.");
            }

            var final = ArchivePath(digests["sha256"], filename);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            AtomicFile.MoveIntoPlace(temp, final);
            return final;
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }
}
