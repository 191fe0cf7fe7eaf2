using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace PythonEnv.TestIndex;

/// <summary>
/// An "install_only"-style interpreter archive (a .tar.gz whose one top folder is <c>python/</c>, as python-build-standalone
/// ships them) made from a CPython installed on this machine (pyenv's, built with a shared libpython), so managed
/// interpreters can be served over loopback. The copy is made relocatable as python-build-standalone builds are:
/// every ELF file's RUNPATH (pyenv writes its absolute lib folder) is rewritten in place to an <c>$ORIGIN</c>-relative
/// one, so the unpacked interpreter loads its own libpython wherever it is, never the original's. Left out, to keep
/// it small: the test suite, site-packages, idle/tkinter and bytecode. Made once per version and reused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InterpreterArchive
{
    private InterpreterArchive(string path, string version)
    {
        Path = path;
        Version = version;
        Bytes = File.ReadAllBytes(path);
        Sha256 = Convert.ToHexString(SHA256.HashData(Bytes)).ToLowerInvariant();
    }

    public string Path { get; }

    /// <summary>X.Y.Z of the interpreter inside.</summary>
    public string Version { get; }

    public byte[] Bytes { get; }

    public string Sha256 { get; }

    /// <summary>The pyenv installation of CPython <paramref name="majorMinor"/> with a shared libpython, or null.</summary>
    public static string? FindPyenvInstallation(string majorMinor)
    {
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var versions = System.IO.Path.Combine(root, "versions");
        return !Directory.Exists(versions) ? null : Directory.GetDirectories(versions, majorMinor + ".*")
            .Where(d => File.Exists(System.IO.Path.Combine(d, "lib", $"libpython{majorMinor}.so.1.0")) && File.Exists(System.IO.Path.Combine(d, "bin", "python" + majorMinor)))
            .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>The archive of the pyenv installation at <paramref name="installation"/>, made under <paramref name="folder"/> when not there yet.</summary>
    public static InterpreterArchive Create(string installation, string folder)
    {
        var version = System.IO.Path.GetFileName(installation.TrimEnd('/'));
        var majorMinor = string.Join(".", version.Split('.').Take(2));
        var archive = System.IO.Path.Combine(folder, $"cpython-{version}-install_only.tar.gz");
        Directory.CreateDirectory(folder);
        lock (Gate)
        {
            using var gate = Exclusive(archive + ".lock");
            return CreateLocked(installation, archive, version, majorMinor, folder);
        }
    }

    private static readonly object Gate = new();

    /// <summary>Waits for the file lock another test process may hold while it makes the same archive.</summary>
    private static FileStream Exclusive(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                Thread.Sleep(250);
            }
        }
    }

    private static InterpreterArchive CreateLocked(string installation, string archive, string version, string majorMinor, string folder)
    {
        if (File.Exists(archive))
        {
            return new InterpreterArchive(archive, version);
        }

        var staging = System.IO.Path.Combine(folder, $"staging-{Guid.NewGuid():N}");
        var python = System.IO.Path.Combine(staging, "python");
        try
        {
            Copy(installation, python, majorMinor);
            var temporary = archive + ".tmp";
            using (var output = File.Create(temporary))
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            {
                TarFile.CreateFromDirectory(python, gzip, includeBaseDirectory: true);
            }

            File.Move(temporary, archive, overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return new InterpreterArchive(archive, version);
    }

    /// <summary>A downloads manifest (uv's download-metadata.json format) naming this archive at <paramref name="url"/> for <paramref name="platform"/> (<c>linux-x86_64-gnu</c>).</summary>
    public string Manifest(string url, string platform, string? sha256 = null)
    {
        var parts = Version.Split('.');
        var (os, arch, libc) = (platform.Split('-')[0], platform.Split('-')[1], platform.Split('-')[2]);
        var entry = new Dictionary<string, object>
        {
            ["name"] = "cpython", ["arch"] = new Dictionary<string, object?> { ["family"] = arch, ["variant"] = null }, ["os"] = os, ["libc"] = libc,
            ["major"] = int.Parse(parts[0]), ["minor"] = int.Parse(parts[1]), ["patch"] = int.Parse(parts[2]), ["prerelease"] = "",
            ["url"] = url, ["sha256"] = sha256 ?? Sha256, ["variant"] = null!,
        };
        return JsonSerializer.Serialize(new Dictionary<string, object> { [$"cpython-{Version}-{platform}"] = entry }, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Copy(string installation, string python, string majorMinor)
    {
        var bin = System.IO.Path.Combine(python, "bin");
        var lib = System.IO.Path.Combine(python, "lib");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(lib);
        CopyFile(System.IO.Path.Combine(installation, "bin", "python" + majorMinor), System.IO.Path.Combine(bin, "python" + majorMinor), "$ORIGIN/../lib");
        File.CreateSymbolicLink(System.IO.Path.Combine(bin, "python3"), "python" + majorMinor);
        CopyFile(System.IO.Path.Combine(installation, "lib", $"libpython{majorMinor}.so.1.0"), System.IO.Path.Combine(lib, $"libpython{majorMinor}.so.1.0"), "$ORIGIN");
        File.CreateSymbolicLink(System.IO.Path.Combine(lib, $"libpython{majorMinor}.so"), $"libpython{majorMinor}.so.1.0");

        var stdlib = System.IO.Path.Combine(installation, "lib", "python" + majorMinor);
        var skipped = new HashSet<string>(StringComparer.Ordinal) { "test", "idlelib", "tkinter", "turtledemo", "__pycache__", "site-packages" };
        foreach (var file in Directory.EnumerateFiles(stdlib, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(stdlib, file);
            var segments = relative.Split(System.IO.Path.DirectorySeparatorChar);
            if (segments.Take(segments.Length - 1).Any(skipped.Contains) || segments[0].StartsWith("config-", StringComparison.Ordinal) && file.EndsWith(".a", StringComparison.Ordinal))
            {
                continue;
            }

            var target = System.IO.Path.Combine(lib, "python" + majorMinor, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            // lib/pythonX.Y/lib-dynload/*.so: two levels below lib/.
            CopyFile(file, target, file.EndsWith(".so", StringComparison.Ordinal) ? "$ORIGIN/../.." : null);
        }

        Directory.CreateDirectory(System.IO.Path.Combine(lib, "python" + majorMinor, "site-packages"));
        File.WriteAllText(System.IO.Path.Combine(lib, "python" + majorMinor, "site-packages", "README.txt"), "This directory exists so that 3rd party packages can be installed here.\n");
    }

    private static void CopyFile(string source, string target, string? runpath)
    {
        File.Copy(source, target);
        File.SetUnixFileMode(target, File.GetUnixFileMode(source) | UnixFileMode.UserWrite);
        if (runpath is not null)
        {
            ElfRunpath.Replace(target, runpath);
        }
    }
}

/// <summary>
/// Rewrites an ELF64 file's DT_RUNPATH / DT_RPATH string in place (as chrpath does): the new value must not be longer
/// than the old; the rest of the string is filled with NULs. Files without one are left as they are.
/// </summary>
public static class ElfRunpath
{
    private const int DtStrtab = 5, DtRpath = 15, DtRunpath = 29;

    /// <summary>The RUNPATH (or RPATH) of an ELF64 little-endian file, or null.</summary>
    public static string? Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Find(bytes) is { } at ? ReadString(bytes, at) : null;
    }

    public static void Replace(string path, string runpath)
    {
        var bytes = File.ReadAllBytes(path);
        if (Find(bytes) is not { } at)
        {
            return;
        }

        var old = ReadString(bytes, at);
        var replacement = Encoding.ASCII.GetBytes(runpath);
        if (replacement.Length > old.Length)
        {
            throw new InvalidOperationException($"{path}: the RUNPATH '{old}' is shorter than '{runpath}'");
        }

        Array.Clear(bytes, at, old.Length);
        replacement.CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The file offset of the RUNPATH string, or null (not ELF64 LE, no dynamic section, no RUNPATH).</summary>
    private static int? Find(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            return null;
        }

        var phoff = (long)BitConverter.ToUInt64(elf, 0x20);
        int phentsize = BitConverter.ToUInt16(elf, 0x36), phnum = BitConverter.ToUInt16(elf, 0x38);
        var loads = new List<(ulong Offset, ulong Vaddr, ulong Size)>();
        (ulong Offset, ulong Size)? dynamic = null;
        for (var i = 0; i < phnum; i++)
        {
            var header = (int)(phoff + i * phentsize);
            var type = BitConverter.ToUInt32(elf, header);
            ulong offset = BitConverter.ToUInt64(elf, header + 0x08), vaddr = BitConverter.ToUInt64(elf, header + 0x10), size = BitConverter.ToUInt64(elf, header + 0x20);
            if (type == 1)
            {
                loads.Add((offset, vaddr, size));
            }
            else if (type == 2)
            {
                dynamic = (offset, size);
            }
        }

        if (dynamic is not { } table)
        {
            return null;
        }

        ulong? strtab = null, runpath = null;
        for (var entry = (int)table.Offset; entry + 16 <= (int)(table.Offset + table.Size); entry += 16)
        {
            var tag = BitConverter.ToInt64(elf, entry);
            var value = BitConverter.ToUInt64(elf, entry + 8);
            if (tag == 0)
            {
                break;
            }

            if (tag == DtStrtab)
            {
                strtab = value;
            }
            else if (tag is DtRunpath or DtRpath)
            {
                runpath = value;
            }
        }

        if (strtab is not { } address || runpath is not { } index)
        {
            return null;
        }

        var load = loads.First(l => address >= l.Vaddr && address < l.Vaddr + l.Size);
        return (int)(address - load.Vaddr + load.Offset + index);
    }

    private static string ReadString(byte[] bytes, int at)
    {
        var end = Array.IndexOf(bytes, (byte)0, at);
        return Encoding.ASCII.GetString(bytes, at, end - at);
    }
}
