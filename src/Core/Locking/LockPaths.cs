using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace PythonEnv.Locking;

/// <summary>
/// How a lock names things on the local file system: the PEP 751 <c>path</c> of a wheel or sdist that came from
/// a find-links folder or a <c>file://</c> index, and the local find-links folders and indexes its manifest
/// records. A location that shares a folder below the file-system root with the lock (the same repository or
/// project tree) is written relative to the lock file's directory with <c>/</c> separators, so a committed lock
/// is the same file in every clone and on every OS. Any other location (a machine-wide wheelhouse such as
/// <c>/opt/wheels</c>, another drive) stays absolute: a relative path to it would depend on how deep the project
/// happens to sit, and break in the next clone.
/// </summary>
public static class LockPaths
{
    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private static StringComparison Comparison => IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// The path a lock in <paramref name="lockDirectory"/> records for the local file or folder <paramref name="fullPath"/>:
    /// relative with <c>/</c> separators when both share a folder below the root, else absolute (with <c>/</c> separators).
    /// </summary>
    public static string Record(string fullPath, string? lockDirectory)
    {
        var target = Path.GetFullPath(fullPath);
        var relative = lockDirectory is null ? null : Relative(Path.GetFullPath(lockDirectory), target);
        return relative ?? target.Replace('\\', '/');
    }

    /// <summary>
    /// The full path a recorded <c>path</c> stands for: relative paths are relative to the lock file's directory
    /// (PEP 751); <c>\</c> separators written on Windows are accepted everywhere.
    /// </summary>
    public static string Resolve(string recorded, string lockDirectory)
    {
        var native = IsWindows ? recorded.Replace('/', '\\') : recorded.Replace('\\', '/');
        return Path.GetFullPath(Path.Combine(lockDirectory, native));
    }

    /// <summary>The local path of a location that is a <c>file:</c> URL or an absolute path; null for anything else.</summary>
    public static string? LocalPath(string location)
    {
        if (location.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(location, UriKind.Absolute, out var url) && url.IsFile ? url.LocalPath : null;
        }

        return location.IndexOf("://", StringComparison.Ordinal) < 0 && IsRooted(location) ? location : null;
    }

    /// <summary>How the manifest records an index or find-links location: local ones by <see cref="Record"/>, URLs as they are.</summary>
    public static string Portable(string location, string? lockDirectory) =>
        LocalPath(location) is { } path ? Record(path, lockDirectory) : location;

    /// <summary>Whether a recorded <c>path</c> is one this machine can resolve: not empty, no characters no file system allows.</summary>
    internal static bool IsValid(string recorded) =>
        recorded.Trim().Length > 0 && recorded.IndexOfAny(Path.GetInvalidPathChars()) < 0 && recorded.IndexOf('\0') < 0;

    private static bool IsRooted(string path)
    {
        try
        {
            return Path.IsPathRooted(path);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary><paramref name="target"/> relative to the folder <paramref name="from"/>, or null when they share nothing below the root.</summary>
    private static string? Relative(string from, string target)
    {
        var fromRoot = Path.GetPathRoot(from) ?? "";
        var targetRoot = Path.GetPathRoot(target) ?? "";
        if (fromRoot.Length == 0 || !string.Equals(fromRoot, targetRoot, Comparison))
        {
            return null;
        }

        var fromParts = Segments(from.Substring(fromRoot.Length));
        var targetParts = Segments(target.Substring(targetRoot.Length));
        var common = 0;
        while (common < fromParts.Length && common < targetParts.Length && string.Equals(fromParts[common], targetParts[common], Comparison))
        {
            common++;
        }

        if (common == 0)
        {
            return null;
        }

        var parts = Enumerable.Repeat("..", fromParts.Length - common).Concat(targetParts.Skip(common)).ToList();
        return parts.Count == 0 ? "." : string.Join("/", parts);
    }

    private static string[] Segments(string path) =>
        path.Split(IsWindows ? ['\\', '/'] : ['/'], StringSplitOptions.RemoveEmptyEntries);
}
