using System;
using System.IO;
using System.Threading;

namespace PythonEnv.IO;

/// <summary>
/// Writes a file (cache entries, <c>pylock.toml</c>, exported requirements) so that readers in this or another
/// process see the old content or the new, never a part, even when the writer is killed: the bytes go to a
/// unique temporary file beside the target, flushed to disk, which is then renamed over it.
/// </summary>
internal static class AtomicFile
{
    public static string TempPathFor(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>Writes <paramref name="content"/> as the whole new content of <paramref name="target"/>.</summary>
    public static void Write(string target, byte[] content) => Write(target, stream => stream.Write(content, 0, content.Length));

    /// <summary>
    /// Writes what <paramref name="write"/> puts in the stream, flushed to disk, then renames it over the target. If
    /// writing fails (or the process dies) the target keeps its old content and the partial file is removed.
    /// </summary>
    public static void Write(string target, Action<Stream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var temp = TempPathFor(Path.GetFullPath(target));
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            MoveIntoPlace(temp, target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Renames a finished temporary file over the target, replacing what is there.</summary>
    public static void MoveIntoPlace(string temp, string target)
    {
        // On Windows a concurrent reader can hold the target open for a moment; the content another
        // writer put there is equivalent, so a few retries and then keeping theirs is correct.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
#if NET8_0_OR_GREATER
                File.Move(temp, target, overwrite: true);
#else
                if (File.Exists(target))
                {
                    File.Replace(temp, target, null);
                }
                else
                {
                    File.Move(temp, target);
                }
#endif
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(20 * (attempt + 1));
            }
            catch (Exception) when (attempt >= 5 && File.Exists(target))
            {
                TryDelete(temp);
                return;
            }
            catch (UnauthorizedAccessException) when (attempt < 5)
            {
                Thread.Sleep(20 * (attempt + 1));
            }
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
