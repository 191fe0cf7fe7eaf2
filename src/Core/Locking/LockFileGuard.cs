using System;
using System.IO;
using System.Text;
using System.Threading;
using PythonEnv.Environments;
using PythonEnv.IO;

namespace PythonEnv.Locking;

/// <summary>
/// The cross-process lock held while a <c>pylock.toml</c> is checked and written: builds that share one lock file
/// (<c>PythonSharedLock</c>, or two <c>dotnet build</c>s of one project) take turns, so the second finds the lock the
/// first wrote up to date and never writes over it. Kept under the cache folder, never beside the user's lock.
/// </summary>
public static class LockFileGuard
{
    public static FileLock Acquire(string lockPath, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(lockPath);
        var key = FileSystem.IsWindows ? full.ToLowerInvariant() : full;
        var path = Path.Combine(cacheDirectory, "locks", "pylock-" + Hashing.Sha256Hex(Encoding.UTF8.GetBytes(key)).Substring(0, 24) + ".lock");
        return FileLock.AcquireAsync(path, "the lock file " + full, cancellationToken: cancellationToken).GetAwaiter().GetResult();
    }
}
