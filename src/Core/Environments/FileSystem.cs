using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace PythonEnv.Environments;

/// <summary>
/// The file operations the installer needs that netstandard2.0 lacks (hard links, symbolic links, Unix
/// permissions) plus retrying deletes (atomic writes are <see cref="IO.AtomicFile"/>). Windows and POSIX paths are chosen at run time.
/// </summary>
internal static class FileSystem
{
    public static bool IsWindows { get; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Hard-links <paramref name="link"/> to <paramref name="target"/>; false when the file system cannot.</summary>
    public static bool TryHardLink(string target, string link)
    {
        try
        {
            return IsWindows ? CreateHardLinkW(link, target, IntPtr.Zero) : Posix.link(target, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Hard-links, else copies, <paramref name="source"/> to <paramref name="destination"/> (which must not exist).</summary>
    public static void LinkOrCopy(string source, string destination)
    {
        if (!TryHardLink(source, destination))
        {
            File.Copy(source, destination, overwrite: false);
        }
    }

    /// <summary>Creates a symbolic link (POSIX only; venvs on Windows copy instead).</summary>
    public static void CreateSymbolicLink(string link, string target)
    {
#if NET
        File.CreateSymbolicLink(link, target);
#else
        if (Posix.symlink(target, link) != 0)
        {
            throw new IOException($"cannot create the symbolic link {link} -> {target} (errno {Marshal.GetLastWin32Error()})");
        }
#endif
    }

    /// <summary>Sets Unix permission bits (no-op on Windows).</summary>
    public static void SetMode(string path, int mode)
    {
#if NET
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
        }
#else
        if (!IsWindows && Posix.chmod(path, mode & 0xFFF) != 0)
        {
            throw new IOException($"cannot set the permissions of {path} (errno {Marshal.GetLastWin32Error()})");
        }
#endif
    }

    /// <summary>Deletes a folder tree, retrying briefly (virus scanners and indexers hold files on Windows).</summary>
    public static void DeleteDirectory(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path) || File.Exists(path))
                {
                    var info = new DirectoryInfo(path);
                    if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
                    {
                        // A link: remove the link itself, never what it points to.
                        Directory.Delete(path);
                    }
                    else
                    {
                        ClearReadOnly(info);
                        Directory.Delete(path, recursive: true);
                    }
                }
                return;
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 5)
            {
                Thread.Sleep(50 * (attempt + 1));
            }
        }
    }

    /// <summary>Deletes a file if it exists; false when it did not.</summary>
    public static bool DeleteFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && (info.Attributes == (FileAttributes)(-1) || (info.Attributes & FileAttributes.ReparsePoint) == 0))
        {
            return false;
        }
        if ((info.Attributes & FileAttributes.ReadOnly) != 0)
        {
            info.Attributes &= ~FileAttributes.ReadOnly;
        }
        File.Delete(path);
        return true;
    }

    private static void ClearReadOnly(DirectoryInfo folder)
    {
        if (!IsWindows)
        {
            return;
        }
        foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if ((file.Attributes & FileAttributes.ReadOnly) != 0)
            {
                file.Attributes &= ~FileAttributes.ReadOnly;
            }
        }
    }

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);

    private static class Posix
    {
        // Paths go to libc as NUL-terminated UTF-8 bytes, whatever the runtime's default string marshalling.
        public static int link(string oldpath, string newpath) => link(Utf8(oldpath), Utf8(newpath));

        public static int symlink(string target, string linkpath) => symlink(Utf8(target), Utf8(linkpath));

        public static int chmod(string path, int mode) => chmod(Utf8(path), mode);

        private static byte[] Utf8(string value) => System.Text.Encoding.UTF8.GetBytes(value + "\0");

        [DllImport("libc", SetLastError = true)]
        private static extern int link(byte[] oldpath, byte[] newpath);

        [DllImport("libc", SetLastError = true)]
        private static extern int symlink(byte[] target, byte[] linkpath);

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(byte[] path, int mode);
    }
}
