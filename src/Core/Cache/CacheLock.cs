using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;

namespace PythonEnv.Cache;

/// <summary>
/// Who may use the whole cache folder: every build that reads or fills it holds the lock shared, and
/// <see cref="CacheCleaner"/> holds it exclusive, so the cache is never emptied under a running build (as
/// <c>uv cache clean</c> waits for other uv processes). It is the <see cref="FileLock"/> <c>.lock</c> at the cache's
/// root; the operating system releases it when a process dies.
/// </summary>
public static class CacheLock
{
    /// <summary>The lock file's name at the cache's root; never removed by a clean.</summary>
    public const string FileName = ".lock";

    /// <summary>Holds the cache for a build's use; waits (up to <paramref name="timeout"/>, 10 minutes) while a clean holds it.</summary>
    public static Task<FileLock> UseAsync(string cacheDirectory, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        FileLock.AcquireAsync(Path.Combine(cacheDirectory, FileName), "the cache " + cacheDirectory + " (a cache clean holds it)", timeout, shared: true, cancellationToken: cancellationToken);

    /// <summary>Holds the cache alone (a clean or a prune); waits up to <paramref name="timeout"/> while builds use it, else PYENV9002.</summary>
    public static async Task<FileLock> ExclusiveAsync(string cacheDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await FileLock.AcquireAsync(Path.Combine(cacheDirectory, FileName), "the cache " + cacheDirectory, timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (PythonEnvException error) when (error.Code == DiagnosticCodes.LockTimeout)
        {
            throw new PythonEnvException(DiagnosticCodes.CacheInUse,
                $"The cache at {cacheDirectory} is in use by another build (waited {timeout.TotalSeconds:0} s). Run the target again when the other builds have finished.",
                error.File, inner: error);
        }
    }
}
