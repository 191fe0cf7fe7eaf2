using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>Index pages and metadata files through the HTTP cache (revalidation, offline reads, refresh).</summary>
public sealed partial class IndexClient
{
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
}
