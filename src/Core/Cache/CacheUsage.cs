using System;
using System.Collections.Generic;
using System.IO;

namespace PythonEnv.Cache;

/// <summary>
/// When a sync last used a cached artifact, recorded cheaply: an empty marker file per artifact sha256 in
/// <c>used-v1/</c>, whose modification time a sync sets to now. <see cref="CacheCleaner.Prune"/> reads it.
/// </summary>
public static class CacheUsage
{
    /// <summary>The markers' folder under the cache root.</summary>
    public const string Folder = "used-v1";

    /// <summary>Records that a sync used the artifacts with these sha256 (wheels or sdists, and what was made from them).</summary>
    public static void Touch(string cacheDirectory, IEnumerable<string> sha256s)
    {
        var folder = Path.Combine(cacheDirectory, Folder);
        Directory.CreateDirectory(folder);
        var now = DateTime.UtcNow;
        foreach (var sha256 in sha256s)
        {
            var marker = Path.Combine(folder, sha256.ToLowerInvariant());
            try
            {
                if (File.Exists(marker))
                {
                    File.SetLastWriteTimeUtc(marker, now);
                }
                else
                {
                    File.WriteAllBytes(marker, []);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only or shared cache: the entry may be pruned earlier than it should, never wrongly kept.
            }
        }
    }

    /// <summary>When the artifact was last used by a sync; null when no sync recorded it.</summary>
    public static DateTime? LastUsed(string cacheDirectory, string sha256)
    {
        var marker = Path.Combine(cacheDirectory, Folder, sha256.ToLowerInvariant());
        return File.Exists(marker) ? File.GetLastWriteTimeUtc(marker) : null;
    }
}
