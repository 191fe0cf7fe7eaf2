using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
#if NET
using System.Formats.Tar;
#endif

namespace PythonEnv.Interpreters;

/// <summary>
/// Unpacks an "install_only" archive (a <c>.tar.gz</c> whose one top folder is <c>python/</c>) into a folder. Every
/// entry is checked before it is written: no absolute path, no <c>..</c>, no link that leads outside the folder, only
/// files, folders and links; a file's permission bits are kept (the interpreter must stay executable).
/// </summary>
internal static class BuildArchive
{
    public static void Extract(string archive, string destination, string what)
    {
#if NET
        var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                var target = Inside(root, entry.Name, what);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        entry.ExtractToFile(target, overwrite: false);
                        FileSystem.SetMode(target, ((int)entry.Mode & 0x1FF) | 0x180);
                        break;
                    case TarEntryType.SymbolicLink:
                        var linkTarget = entry.LinkName.Replace('\\', '/');
                        LinkInside(root, target, linkTarget, entry.Name, what);
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.CreateSymbolicLink(target, linkTarget);
                        break;
                    case TarEntryType.HardLink:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Copy(Inside(root, entry.LinkName, what), target);
                        break;
                    case TarEntryType.GlobalExtendedAttributes:
                        break;
                    default:
                        throw Unsafe(what, $"the entry '{entry.Name}' is a {entry.EntryType}, which an interpreter archive does not hold");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw Unsafe(what, "it is not a valid .tar.gz (" + e.Message + ")");
        }
#else
        throw new PythonEnvException(DiagnosticCodes.ManagedInterpreterUnsupported,
            $"Unpacking {what} needs MSBuild on .NET (dotnet build); this MSBuild runs on .NET Framework. Build with the dotnet CLI once to install it into the cache, or set PythonInterpreter.");
#endif
    }

    /// <summary>The full path of an entry name, which must stay inside <paramref name="root"/>.</summary>
    private static string Inside(string root, string name, string what)
    {
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith("/", StringComparison.Ordinal) || normalized.Contains(':') || normalized.Split('/').Contains(".."))
        {
            throw Unsafe(what, $"the entry '{name}' points outside the archive's folder");
        }

        var full = Path.GetFullPath(Path.Combine(root, normalized.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root, FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw Unsafe(what, $"the entry '{name}' points outside the archive's folder");
        }

        return full;
    }

    /// <summary>A symbolic link's target, taken from the link's folder, must stay inside <paramref name="root"/> too.</summary>
    private static void LinkInside(string root, string link, string linkTarget, string name, string what)
    {
        var resolved = linkTarget.StartsWith("/", StringComparison.Ordinal) || linkTarget.Contains(':')
            ? null
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link)!, linkTarget.Replace('/', Path.DirectorySeparatorChar)));
        if (resolved is null || !resolved.StartsWith(root, FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw Unsafe(what, $"the link '{name}' -> '{linkTarget}' points outside the archive's folder");
        }
    }

    private static PythonEnvException Unsafe(string what, string reason) =>
        new(DiagnosticCodes.InvalidInterpreterArchive, $"{what} cannot be installed: {reason}. Nothing was installed; check the downloads manifest and the mirror.");
}
