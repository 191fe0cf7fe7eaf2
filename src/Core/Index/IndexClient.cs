using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>
/// Reads projects, metadata and distribution files from the configured sources (find-links locations,
/// then the indexes in order; the first source that has a project supplies all of it). Thread-safe:
/// share one instance for a whole restore.
/// </summary>
public sealed class IndexClient : IDisposable
{
    private static readonly char[] PathSeparators = { '/', '\\' };
    private readonly IndexClientOptions _options;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly IndexHttp _http;
    private readonly HttpCache _cache;
    private readonly string _archives;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly List<Uri> _indexes = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ProjectListing>>> _listings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _metadata = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _downloads = new(StringComparer.Ordinal);

    public IndexClient(IndexClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var environment = options.Environment ?? Environment.GetEnvironmentVariable;
        var configured = new List<Uri>();
        foreach (var index in options.IndexUrls)
        {
            _indexes.Add(UrlText.AsDirectory(index));
            configured.Add(index);
        }

        foreach (var link in options.FindLinks)
        {
            if (Uri.TryCreate(link, UriKind.Absolute, out var url) && !url.IsFile)
            {
                configured.Add(url);
            }
        }

        configured.AddRange(options.CredentialUrls);
        var credentials = new CredentialStore(configured, environment, options.NetrcPath ?? Netrc.DefaultPath(environment));
        _http = new IndexHttp(options, credentials);
        _cache = new HttpCache(options.CacheDir);
        _archives = Path.Combine(options.CacheDir, "archives-v1");
    }

    /// <summary>
    /// Every file of a project from the first source that has it. Throws PYENV5001 when no source has it,
    /// PYENV5002/5003 on authentication or network failure, PYENV5004 offline without a cached page.
    /// </summary>
    public Task<ProjectListing> GetProjectAsync(PackageName name, CancellationToken ct)
    {
        _ = name ?? throw new ArgumentNullException(nameof(name));

        // Concurrent callers of the same project share one request; a failed one is forgotten so a
        // later call can try again.
        return Shared(_listings, name.Normalized, token => LoadProjectAsync(name, token), ct);
    }

    /// <summary>
    /// Concurrent callers asking for the same thing share one load. The load runs on the client's own
    /// lifetime, so one caller giving up does not fail the others; a failed load is forgotten so a later
    /// call tries again.
    /// </summary>
    private async Task<T> Shared<T>(ConcurrentDictionary<string, Lazy<Task<T>>> memo, string key, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        var lazy = memo.GetOrAdd(key, _ => new Lazy<Task<T>>(() => load(_lifetime.Token)));
        var task = lazy.Value;
        try
        {
            if (ct.CanBeCanceled && !task.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (ct.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    {
                        ct.ThrowIfCancellationRequested();
                    }
                }
            }

            return await task.ConfigureAwait(false);
        }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            ((ICollection<KeyValuePair<string, Lazy<Task<T>>>>)memo).Remove(new KeyValuePair<string, Lazy<Task<T>>>(key, lazy));
            throw;
        }
    }

    private async Task<ProjectListing> LoadProjectAsync(PackageName name, CancellationToken ct)
    {
        var refresh = _options.Refresh.Covers(name);
        foreach (var link in _options.FindLinks)
        {
            var (source, files) = await FindLinksFilesAsync(link, name, refresh, ct).ConfigureAwait(false);
            if (files.Count > 0)
            {
                return new ProjectListing(name, source, files, null);
            }
        }

        foreach (var index in _indexes)
        {
            var page = index.IsFile ? ReadFileIndexPage(index, name) : await GetIndexPageAsync(index, name, refresh, ct).ConfigureAwait(false);
            if (page is not null)
            {
                return new ProjectListing(name, index, page.Files, page.Versions);
            }
        }

        var sources = new List<string>();
        foreach (var link in _options.FindLinks)
        {
            sources.Add("find-links " + (Uri.TryCreate(link, UriKind.Absolute, out var u) && !u.IsFile ? UrlText.Display(u) : link));
        }

        foreach (var index in _indexes)
        {
            sources.Add(UrlText.Display(index));
        }

        throw new PythonEnvException(
            DiagnosticCodes.PackageNotFound,
            $"Package '{name.Original}' was not found on the configured indexes: {string.Join(", ", sources)}. "
            + $"The indexes were asked for the normalized name '{name.Normalized}'; check its spelling, or add the index that has it (PythonIndexUrl, PythonExtraIndexUrls, PythonFindLinks).");
    }

    /// <summary>The project page of an http(s) index, through the HTTP cache; null when the index does not have the project.</summary>
    private async Task<SimplePage?> GetIndexPageAsync(Uri index, PackageName name, bool refresh, CancellationToken ct)
    {
        var url = new Uri(index, name.Normalized + "/");
        var entry = await GetCachedAsync(url, "simple", SimplePage.Accept, $"the index page of '{name.Normalized}'", refresh, ct,
            readable: fetched => SimplePage.Parse(fetched.Body, fetched.ContentType, new Uri(fetched.FinalUrl), index)).ConfigureAwait(false);
        return entry.Status is 404 or 410 ? null : SimplePage.Parse(entry.Body, entry.ContentType, new Uri(entry.FinalUrl), index);
    }

    /// <summary>
    /// A <c>file://</c> index laid out like a static simple index: <c>&lt;root&gt;/&lt;name&gt;/index.html</c>
    /// (or <c>index.json</c> in PEP 691 form).
    /// </summary>
    private static SimplePage? ReadFileIndexPage(Uri index, PackageName name)
    {
        var folder = Path.Combine(index.LocalPath, name.Normalized);
        var json = Path.Combine(folder, "index.json");
        var html = Path.Combine(folder, "index.html");
        if (File.Exists(json))
        {
            return SimplePage.ParseJson(File.ReadAllText(json), new Uri(json), index);
        }

        return File.Exists(html) ? SimplePage.ParseHtml(File.ReadAllText(html), new Uri(html), index) : null;
    }

    private async Task<(Uri Source, List<DistributionFile> Files)> FindLinksFilesAsync(string link, PackageName name, bool refresh, CancellationToken ct)
    {
        var files = new List<DistributionFile>();
        if (Uri.TryCreate(link, UriKind.Absolute, out var url) && !url.IsFile)
        {
            // One page lists every project: refreshing one project revalidates it (once per client).
            var entry = await GetCachedAsync(url, "find-links", "text/html", $"the find-links page", refresh, ct,
                readable: fetched => SimplePage.Parse(fetched.Body, fetched.ContentType, new Uri(fetched.FinalUrl), url, allowJson: false)).ConfigureAwait(false);
            if (entry.Status is 404 or 410)
            {
                return (url, files);
            }

            foreach (var file in SimplePage.Parse(entry.Body, entry.ContentType, new Uri(entry.FinalUrl), url, allowJson: false).Files)
            {
                if (Belongs(file.Filename, name))
                {
                    files.Add(file);
                }
            }

            return (url, files);
        }

        var path = url is not null && url.IsFile ? url.LocalPath : Path.GetFullPath(link);
        var folder = new Uri(UrlText.AsDirectory(new Uri(path)).AbsoluteUri);
        if (Directory.Exists(path))
        {
            var entries = Directory.GetFiles(path);
            Array.Sort(entries, StringComparer.Ordinal);
            foreach (var file in entries)
            {
                var filename = Path.GetFileName(file);
                if (Belongs(filename, name))
                {
                    // Local files get their hash computed, so locks made from them carry one like any other.
                    var hashes = new Dictionary<string, string>(StringComparer.Ordinal) { ["sha256"] = Sha256OfFile(file) };
                    files.Add(new DistributionFile(filename, new Uri(file), hashes, null, false, null, new FileInfo(file).Length, null, false, null, folder));
                }
            }
        }
        else if (File.Exists(path))
        {
            foreach (var file in SimplePage.ParseHtml(File.ReadAllText(path), new Uri(path), new Uri(path)).Files)
            {
                if (Belongs(file.Filename, name))
                {
                    files.Add(file);
                }
            }
        }

        return (folder, files);
    }

    private static bool Belongs(string filename, PackageName name) => DistributionFile.ProjectOf(filename) is { } project && project.Equals(name);

    /// <summary>
    /// A GET through the HTTP cache: a fresh entry is used as is, a stale one is revalidated with
    /// <c>If-None-Match</c>/<c>If-Modified-Since</c>, <c>no-store</c> responses are not kept, and offline
    /// only the cache is read. 404/410 answers are cached too, so offline runs know a project is absent.
    /// With <paramref name="refresh"/>, a fresh entry stored before this client started is revalidated too.
    /// </summary>
    private async Task<CacheEntry> GetCachedAsync(Uri url, string kind, string accept, string what, bool refresh, CancellationToken ct,
        Func<CacheEntry, bool>? stillValid = null, Action<CacheEntry>? readable = null)
    {
        var clean = UrlText.WithoutUserInfo(url);
        var key = kind + " " + clean.AbsoluteUri + " " + accept;
        var cached = _cache.TryRead(key);
        if (_options.Offline)
        {
            return cached ?? throw new PythonEnvException(
                DiagnosticCodes.OfflineCacheMiss,
                $"Offline: {what} ({UrlText.Display(clean)}) is not in the cache at {_options.CacheDir}. Build once with PythonOffline=false to fill the cache.");
        }

        // A body whose hash the index gave cannot have changed: no need to ask even when stale.
        if (cached is not null && (cached.IsFresh(DateTimeOffset.UtcNow) || stillValid?.Invoke(cached) == true))
        {
            if (!refresh || cached.StoredAt >= _started)
            {
                _options.Log?.Invoke($"Cache hit (fresh): {UrlText.Display(clean)}");
                return cached;
            }

            _options.Log?.Invoke($"Revalidating (refresh): {UrlText.Display(clean)}");
        }

        return await _http.GetAsync(
            url,
            request =>
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
                if (cached is not null && cached.Status == 200)
                {
                    if (cached.ETag is not null)
                    {
                        request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
                    }

                    if (cached.LastModified is not null)
                    {
                        request.Headers.TryAddWithoutValidation("If-Modified-Since", cached.LastModified);
                    }
                }
            },
            async (response, attempt) =>
            {
                var status = (int)response.StatusCode;
                var cacheControl = response.Headers.CacheControl?.ToString();
                if (status == 304 && cached is not null)
                {
                    _options.Log?.Invoke($"Cache hit (revalidated): {UrlText.Display(clean)}");
                    cached.StoredAt = DateTimeOffset.UtcNow;
                    cached.CacheControl = cacheControl ?? cached.CacheControl;
                    cached.ETag = response.Headers.ETag?.ToString() ?? cached.ETag;
                    Store(key, cached);
                    return cached;
                }

                if (status != 200 && status != 404 && status != 410)
                {
                    throw new PythonEnvException(
                        DiagnosticCodes.InvalidIndexResponse,
                        $"Cannot read {what}: {UrlText.Display(attempt.FinalUrl)} answered HTTP {status} {response.ReasonPhrase}.");
                }

                var entry = new CacheEntry
                {
                    Status = status,
                    Url = clean.AbsoluteUri,
                    FinalUrl = attempt.FinalUrl.AbsoluteUri,
                    ContentType = response.Content.Headers.ContentType?.MediaType,
                    ETag = response.Headers.ETag?.ToString(),
                    LastModified = response.Content.Headers.LastModified?.ToString("r", System.Globalization.CultureInfo.InvariantCulture),
                    CacheControl = cacheControl,
                    StoredAt = DateTimeOffset.UtcNow,
                    Body = status == 200 ? await attempt.ReadBodyAsync(response).ConfigureAwait(false) : Array.Empty<byte>(),
                };
                // A page that cannot be read (PYENV5005) is never cached: the next build asks again.
                if (status == 200)
                {
                    readable?.Invoke(entry);
                }

                Store(key, entry);
                return entry;
            },
            what,
            ct).ConfigureAwait(false);
    }

    private void Store(string key, CacheEntry entry)
    {
        if (!CacheControlDirectives.Parse(entry.CacheControl).NoStore)
        {
            WriteCache(key, entry);
        }
    }

    /// <summary>The cache only saves work: a cache that cannot be written (read-only, full disk) is logged, not fatal.</summary>
    private void WriteCache(string key, CacheEntry entry)
    {
        try
        {
            _cache.Write(key, entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _options.Log?.Invoke($"Could not write the cache entry for {UrlText.Mask(entry.Url)}: {e.Message}");
        }
    }

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
                if ((size is null || new FileInfo(existing).Length == size) && Sha256OfFile(existing) == expectedSha256)
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
        using var progress = _options.Progress?.Start(ProgressPhase.Download, filename, size);
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
                        await attempt.CopyBodyAsync(response, target, (buffer, count) => { hasher.Append(buffer, count); progress?.Advance(count); }).ConfigureAwait(false);
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

    internal static string Sha256OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        return Hex.Lower(sha.GetHashAndReset());
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
        _http.Dispose();
    }
}
