using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;

namespace PythonEnv.Environments;

/// <summary>
/// A cross-process exclusive lock: an open lock file with no sharing (flock on POSIX, a share-mode lock on
/// Windows). The operating system releases it when the process dies, so a killed build never leaves it held.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>
    /// Waits (polling) until the lock at <paramref name="path"/> is free and takes it. A <paramref name="shared"/> lock
    /// (read access, read sharing: flock <c>LOCK_SH</c> on POSIX) is held by any number of holders at once, never
    /// together with an exclusive one.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, string what, TimeSpan? timeout = null, bool shared = false, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        var clock = Stopwatch.StartNew();
        var delay = 10;
        while (true)
        {
            try
            {
                var stream = shared
                    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read, 1, FileOptions.None)
                    : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new FileLock(path, stream);
            }
            catch (IOException) when (clock.Elapsed < limit)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
            catch (IOException e)
            {
                throw new PythonEnvException(DiagnosticCodes.LockTimeout,
                    $"Another build has held the lock on {what} ({path}) for more than {limit.TotalSeconds:0} s. " +
                    "Wait for it to finish, or stop the process that holds it.", path, inner: e);
            }
        }
    }

    /// <summary>Takes the lock at <paramref name="path"/> if nobody holds it; null when another process (or handle) does.</summary>
    public static FileLock? TryAcquire(string path)
    {
        try
        {
            return new FileLock(path, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
