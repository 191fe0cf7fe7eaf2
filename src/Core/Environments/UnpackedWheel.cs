using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// A wheel unpacked, validated against its RECORD, in the global cache: the folder holds the archive's files
/// verbatim; installs link from it. <see cref="Files"/> lists every file with its size and Unix mode.
/// </summary>
public sealed class UnpackedWheel
{
    internal const string ManifestName = ".pythonenv-entry";

    internal UnpackedWheel(string directory, string fileName, string sha256, string distInfo, IReadOnlyList<(string Path, long Size, int Mode)> files)
    {
        Directory = directory;
        FileName = fileName;
        Sha256 = sha256;
        DistInfo = distInfo;
        Files = files;
    }

    /// <summary>The cache folder holding the unpacked files.</summary>
    public string Directory { get; }

    /// <summary>The wheel's file name (<c>name-version-py3-none-any.whl</c>).</summary>
    public string FileName { get; }

    /// <summary>sha256 (hex) of the wheel archive this was unpacked from.</summary>
    public string Sha256 { get; }

    /// <summary>The <c>name-version.dist-info</c> folder name inside the wheel.</summary>
    public string DistInfo { get; }

    /// <summary>The <c>name-version.data</c> folder name inside the wheel.</summary>
    public string DataFolder => DistInfo.Substring(0, DistInfo.Length - ".dist-info".Length) + ".data";

    /// <summary>Every file ('/'-separated relative path, size, Unix mode or 0).</summary>
    public IReadOnlyList<(string Path, long Size, int Mode)> Files { get; }

    /// <summary>The absolute path of an archive member.</summary>
    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Reads a text file of the dist-info folder, or null.</summary>
    public string? ReadDistInfoFile(string name)
    {
        var path = PathOf(DistInfo + "/" + name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>The WHEEL file's headers (Wheel-Version, Root-Is-Purelib, Tag...).</summary>
    public IReadOnlyDictionary<string, string> WheelMetadata
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in (ReadDistInfoFile("WHEEL") ?? "").Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && !result.ContainsKey(line.Substring(0, colon).Trim()))
                {
                    result[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }
            return result;
        }
    }

    /// <summary>
    /// Whether every file the wheel's RECORD hashes with sha256 still has that hash. Installs hard-link these
    /// files, so a venv file edited in place (rather than replaced) changes the cache entry too; a sync that
    /// found a distribution altered by hand checks its entry with this before linking it again.
    /// </summary>
    internal bool FilesMatchRecord()
    {
        var record = PathOf(DistInfo + "/RECORD");
        if (!File.Exists(record))
        {
            return false;
        }
        foreach (var row in RecordFile.Parse(File.ReadAllText(record, System.Text.Encoding.UTF8)))
        {
            if (!row.Hash.StartsWith("sha256=", StringComparison.Ordinal))
            {
                continue; // RECORD's own row, or a stronger hash that unpacking already checked
            }
            var path = PathOf(row.Path);
            if (!File.Exists(path))
            {
                return false;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
            if (!string.Equals(Hashing.RecordHash(Hashing.Sha256(stream)), row.Hash.TrimEnd('='), StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    internal string ManifestText()
        => $"{DistInfo}\t{FileName}\n" + string.Join("\n", Files.Select(f => $"{f.Path}\t{f.Size}\t{f.Mode}")) + "\n";

    /// <summary>
    /// Reads an entry's manifest and checks every listed file is still there with its size: a truncated or
    /// half-deleted entry (a crash, a disk clean-up) is reported as null and then refetched.
    /// </summary>
    internal static UnpackedWheel? TryOpen(string directory, string sha256)
    {
        var manifest = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifest))
        {
            return null;
        }
        var lines = File.ReadAllLines(manifest);
        var header = lines.Length > 0 ? lines[0].Split('\t') : Array.Empty<string>();
        if (header.Length != 2)
        {
            return null;
        }
        var (distInfo, fileName) = (header[0], header[1]);
        var files = new List<(string, long, int)>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length != 3 || !long.TryParse(parts[1], out var size) || !int.TryParse(parts[2], out var mode))
            {
                continue;
            }
            var info = new FileInfo(Path.Combine(directory, parts[0].Replace('/', Path.DirectorySeparatorChar)));
            if (!info.Exists || info.Length != size)
            {
                return null;
            }
            files.Add((parts[0], size, mode));
        }
        if (files.Count == 0)
        {
            return null;
        }
        var wheel = new UnpackedWheel(directory, fileName, sha256, distInfo, files);
        return File.Exists(wheel.PathOf(distInfo + "/RECORD")) ? wheel : null;
    }
}
