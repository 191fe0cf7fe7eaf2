using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.IO;

namespace PythonEnv.Cache;

/// <summary>What a clean or prune removed: entries and the bytes of their files.</summary>
public sealed record CacheCleanResult(int Entries, long Bytes)
{
    /// <summary>The line the targets log: <c>removed 12 entries (340.2 MiB)</c>.</summary>
    public string Describe() => $"removed {Entries} {(Entries == 1 ? "entry" : "entries")} ({ByteSize.Format(Bytes)})";
}

/// <summary>
/// Empties or prunes the SDK's cache folder, always holding <see cref="CacheLock"/> exclusive, so never while a
/// build uses it. Only the SDK's own folders are touched (versioned buckets such as <c>wheels-v1</c>, and its
/// <c>locks</c> and <c>builds</c> beside them): a <c>PythonCacheDir</c> pointed at a folder that holds anything
/// else keeps it. Files hard-linked into venvs stay there; only the cache's link to them goes.
/// </summary>
public static class CacheCleaner
{
    private static readonly Regex Bucket = new("^[a-z]+-v[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>How long a clean waits for running builds to finish with the cache.</summary>
    public static TimeSpan WaitForBuilds { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Removes every entry of the cache (as <c>uv cache clean</c>).</summary>
    public static async Task<CacheCleanResult> CleanAsync(string cacheDirectory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(cacheDirectory))
        {
            return new CacheCleanResult(0, 0);
        }
        using var exclusive = await CacheLock.ExclusiveAsync(cacheDirectory, WaitForBuilds, cancellationToken).ConfigureAwait(false);
        var entries = 0;
        long bytes = 0;
        foreach (var folder in OwnFolders(cacheDirectory))
        {
            entries += Directory.EnumerateFileSystemEntries(folder).Count();
            bytes += Remove(folder);
        }
        return new CacheCleanResult(entries, bytes);
    }

    /// <summary>
    /// Removes the artifacts no sync used since <paramref name="maxAge"/> ago (unpacked wheels, downloaded archives,
    /// wheels built from sdists; an entry no sync recorded counts from when it was made), index pages not fetched
    /// since then, and leftovers of killed builds. Entries in use by a recent sync stay, with what they were made from.
    /// </summary>
    public static async Task<CacheCleanResult> PruneAsync(string cacheDirectory, TimeSpan maxAge, DateTime? now = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(cacheDirectory))
        {
            return new CacheCleanResult(0, 0);
        }
        using var exclusive = await CacheLock.ExclusiveAsync(cacheDirectory, WaitForBuilds, cancellationToken).ConfigureAwait(false);
        var cutoff = (now ?? DateTime.UtcNow) - maxAge;
        var entries = 0;
        long bytes = 0;
        void Drop(string path)
        {
            entries++;
            bytes += Remove(path);
            foreach (var sibling in new[] { path + ".lock" })
            {
                if (File.Exists(sibling))
                {
                    File.Delete(sibling);
                }
            }
        }
        bool Stale(string path, string sha256) =>
            (CacheUsage.LastUsed(cacheDirectory, sha256) is { } used ? used : LastWrite(path)) < cutoff;

        // A built wheel is used through its sdist: its unpacked entry stays while the build does.
        var keptBuiltWheels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var built in Folders(Path.Combine(cacheDirectory, "built-v1")))
        {
            var sdistSha = Path.GetFileName(built).Split('-')[0];
            if (Stale(built, sdistSha))
            {
                Drop(built);
            }
            else
            {
                keptBuiltWheels.UnionWith(Directory.EnumerateFiles(built, "*.whl").Select(Hashing.Sha256HexOfFile));
            }
        }
        foreach (var archive in Folders(Path.Combine(cacheDirectory, "archives-v1")))
        {
            if (Stale(archive, Path.GetFileName(archive)))
            {
                Drop(archive);
            }
        }
        foreach (var unpacked in Folders(Path.Combine(cacheDirectory, "wheels-v1")).SelectMany(Folders))
        {
            var sha = Path.GetFileName(unpacked);
            if (!keptBuiltWheels.Contains(sha) && Stale(unpacked, sha))
            {
                Drop(unpacked);
            }
        }
        foreach (var page in Files(Path.Combine(cacheDirectory, "http-v1")).Where(file => LastWrite(file) < cutoff))
        {
            Drop(page);
        }
        foreach (var leftover in Folders(Path.Combine(cacheDirectory, "builds")).Where(folder => LastWrite(folder) < cutoff))
        {
            Drop(leftover);
        }
        foreach (var marker in Files(Path.Combine(cacheDirectory, CacheUsage.Folder)).Where(file => LastWrite(file) < cutoff))
        {
            File.Delete(marker);
        }
        return new CacheCleanResult(entries, bytes);
    }

    /// <summary>The SDK's folders in the cache: its versioned buckets and, when there are any, its locks and builds.</summary>
    private static List<string> OwnFolders(string cacheDirectory)
    {
        var buckets = Folders(cacheDirectory).Where(folder => Bucket.IsMatch(Path.GetFileName(folder))).ToList();
        if (buckets.Count > 0)
        {
            buckets.AddRange(new[] { "locks", "builds" }.Select(name => Path.Combine(cacheDirectory, name)).Where(Directory.Exists));
        }
        return buckets;
    }

    private static IEnumerable<string> Folders(string path) => Directory.Exists(path) ? Directory.EnumerateDirectories(path).ToList() : [];

    private static IEnumerable<string> Files(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).ToList() : [];

    private static DateTime LastWrite(string path) => Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);

    /// <summary>Deletes a file or folder (links themselves, never their targets) and returns the bytes its files held.</summary>
    private static long Remove(string path)
    {
        long bytes = 0;
        if (File.Exists(path))
        {
            bytes = new FileInfo(path).Length;
            File.Delete(path);
            return bytes;
        }
        var root = new DirectoryInfo(path);
        if ((root.Attributes & FileAttributes.ReparsePoint) == 0)
        {
            bytes = Walk(root);
        }
        FileSystem.DeleteDirectory(path);
        return bytes;
    }

    private static long Walk(DirectoryInfo folder)
    {
        long bytes = 0;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry is FileInfo file)
            {
                bytes += (file.Attributes & FileAttributes.ReparsePoint) == 0 ? file.Length : 0;
            }
            else if (entry is DirectoryInfo child && (child.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                bytes += Walk(child);
            }
        }
        return bytes;
    }
}
