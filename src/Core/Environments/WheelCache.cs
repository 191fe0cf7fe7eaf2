using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PythonEnv.Environments;

/// <summary>
/// The global cache of unpacked wheels, keyed by the archive's sha256: each wheel is unpacked and checked
/// against its RECORD once, then every venv hard-links its files. Entries appear atomically (unpacked to a
/// temporary folder, renamed into place under a cross-process lock), so concurrent builds share it safely.
/// </summary>
public sealed class WheelCache
{
    private const string Folder = "wheels-v1";
    private const string TemporaryMarker = ".tmp-";

    private readonly UnpackLimits _limits;
    private int _swept;

    public WheelCache(string cacheDirectory, UnpackLimits? limits = null)
    {
        Root = Path.Combine(Path.GetFullPath(cacheDirectory), Folder);
        _limits = limits ?? UnpackLimits.Default;
    }

    /// <summary>
    /// How old a temporary unpack folder must be before it counts as left by a killed build (a live writer also
    /// holds the entry's lock, which is checked too).
    /// </summary>
    public static TimeSpan StaleAfter { get; } = TimeSpan.FromHours(1);

    /// <summary>The folder holding the unpacked wheels.</summary>
    public string Root { get; }

    private string EntryPath(string sha256) => Path.Combine(Root, sha256.Substring(0, 2), sha256);

    /// <summary>
    /// The cached, intact entry for a wheel archive with this sha256, or null. Intact means every file is there
    /// with its size; with <paramref name="verifyHashes"/>, also with the hash its RECORD gives (for an entry a
    /// hand edit in a venv may have changed through a hard link).
    /// </summary>
    public UnpackedWheel? TryGet(string sha256, bool verifyHashes = false)
    {
        sha256 = sha256.ToLowerInvariant();
        var path = EntryPath(sha256);
        if (!Directory.Exists(path))
        {
            return null;
        }
        var wheel = UnpackedWheel.TryOpen(path, sha256);
        return wheel is not null && verifyHashes && !wheel.FilesMatchRecord() ? null : wheel;
    }

    /// <summary>
    /// Unpacks <paramref name="wheelPath"/> (already verified to have <paramref name="sha256"/>) into the cache,
    /// unless another build did it first (an entry that fails <paramref name="verifyHashes"/> is replaced).
    /// Throws PYENV4004 for an unsafe or inconsistent wheel.
    /// </summary>
    public async Task<UnpackedWheel> AddAsync(string wheelPath, string fileName, string sha256, bool verifyHashes = false, CancellationToken cancellationToken = default)
    {
        sha256 = sha256.ToLowerInvariant();
        var path = EntryPath(sha256);
        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            RemoveStaleTemporaryFolders(DateTime.UtcNow - StaleAfter);
        }
        using var entryLock = await FileLock.AcquireAsync(path + ".lock", "the wheel cache entry of " + fileName, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (TryGet(sha256, verifyHashes) is { } existing)
        {
            return existing;
        }
        if (Directory.Exists(path))
        {
            // Damaged (files missing, truncated or altered): the lock guarantees nobody is writing it. Venvs
            // linked to the old files keep their own links; the entry gets new files.
            FileSystem.DeleteDirectory(path);
        }
        var temp = path + TemporaryMarker + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            var (distInfo, files) = WheelArchive.Unpack(wheelPath, fileName, temp, _limits);
            var wheel = new UnpackedWheel(temp, fileName, sha256, distInfo, files);
            File.WriteAllText(Path.Combine(temp, UnpackedWheel.ManifestName), wheel.ManifestText());
            Directory.Move(temp, path);
            // The files were just written and measured, and the entry's lock is held: nothing to stat again.
            return new UnpackedWheel(path, fileName, sha256, distInfo, files);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                FileSystem.DeleteDirectory(temp);
            }
        }
    }

    /// <summary>
    /// Deletes the temporary folders a killed unpack left (<c>&lt;sha256&gt;.tmp-*</c>) that were last written
    /// before <paramref name="olderThan"/> and whose entry lock nobody holds: a live writer holds it while
    /// its folder exists. Returns how many were removed. Called once per cache object, on the first add.
    /// </summary>
    public int RemoveStaleTemporaryFolders(DateTime olderThan)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }
        var removed = 0;
        foreach (var shard in Directory.EnumerateDirectories(Root))
        {
            foreach (var temp in Directory.EnumerateDirectories(shard, "*" + TemporaryMarker + "*"))
            {
                var name = Path.GetFileName(temp);
                var sha256 = name.Substring(0, name.IndexOf(TemporaryMarker, StringComparison.Ordinal));
                if (sha256.Length == 0 || Directory.GetLastWriteTimeUtc(temp) >= olderThan.ToUniversalTime())
                {
                    continue;
                }
                using var entryLock = FileLock.TryAcquire(Path.Combine(shard, sha256) + ".lock");
                if (entryLock is null)
                {
                    continue; // its writer is alive
                }
                FileSystem.DeleteDirectory(temp);
                removed++;
            }
        }
        return removed;
    }
}
