using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>What the venv holds: its distributions read through their dist-info and RECORD, damaged files and files nobody owns.</summary>
public static partial class EnvironmentSync
{
    /// <summary>
    /// An installed distribution: its dist-info folder, name and version (from METADATA), the SDK's source
    /// marker, what is wrong with its files when something is (a file its RECORD lists is missing or has
    /// another size; checked for the SDK's own installs, the only ones that can be kept), else null, and the
    /// names directly in site-packages its RECORD claims, and the files it lists in the venv (full path to RECORD hash).
    /// </summary>
    internal sealed record InstalledDistribution(
        string Folder, string Name, string Version, string? Source, string? Damage, IReadOnlyCollection<string> TopLevel, IReadOnlyDictionary<string, string> Files);

    /// <summary>Every distribution in the venv's site-packages, by normalized name.</summary>
    internal static Dictionary<string, List<InstalledDistribution>> ScanInstalled(VirtualEnvironment venv)
    {
        var result = new Dictionary<string, List<InstalledDistribution>>(StringComparer.Ordinal);
        foreach (var site in SiteFolders(venv))
        {
            foreach (var folder in Directory.EnumerateDirectories(site, "*.dist-info"))
            {
                var (name, version) = ReadNameAndVersion(folder);
                var key = PackageName.Normalize(name);
                if (!result.TryGetValue(key, out var list))
                {
                    result[key] = list = new List<InstalledDistribution>();
                }
                var source = WheelInstaller.InstalledFrom(folder);
                var record = Path.Combine(folder, "RECORD");
                var rows = File.Exists(record) ? RecordFile.Parse(File.ReadAllText(record, Encoding.UTF8)) : null;
                var topLevel = new HashSet<string>(FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal) { Path.GetFileName(folder) };
                foreach (var row in rows ?? Array.Empty<RecordEntry>())
                {
                    var first = row.Path.Split('/')[0];
                    if (first is not ("" or "." or ".."))
                    {
                        topLevel.Add(first);
                    }
                }
                var damage = source is null ? null : rows is null ? "its RECORD is missing" : Damage(site, rows, venv);
                list.Add(new InstalledDistribution(folder, name, version, source, damage, topLevel, FilesInVenv(site, rows, venv)));
            }
        }
        return result;
    }

    private static Dictionary<string, string> FilesInVenv(string site, IReadOnlyList<RecordEntry>? rows, VirtualEnvironment venv)
    {
        var files = new Dictionary<string, string>(FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var row in rows ?? Array.Empty<RecordEntry>())
        {
            var path = Path.GetFullPath(Path.Combine(site, row.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (WheelInstaller.IsInside(venv.Root, path))
            {
                files[path] = row.Hash;
            }
        }
        return files;
    }

    private static IEnumerable<string> SiteFolders(VirtualEnvironment venv)
        => new[] { venv.PureLib, venv.PlatLib }.Distinct(StringComparer.Ordinal).Where(Directory.Exists);

    /// <summary>
    /// Files and folders directly in site-packages that no installed distribution's RECORD claims (dropped
    /// there by hand, or left by a distribution removed without its RECORD); bytecode caches excepted.
    /// </summary>
    private static List<string> Unowned(VirtualEnvironment venv, Dictionary<string, List<InstalledDistribution>> installed)
    {
        var owned = new HashSet<string>(installed.Values.SelectMany(list => list).SelectMany(d => d.TopLevel),
            FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        return SiteFolders(venv)
            .SelectMany(site => Directory.EnumerateFileSystemEntries(site))
            .Where(entry => Path.GetFileName(entry) is var name && name != "__pycache__" && !owned.Contains(name))
            .OrderBy(entry => entry, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The first file of a RECORD that is missing or has another size than recorded, described; else null.</summary>
    private static string? Damage(string site, IReadOnlyList<RecordEntry> rows, VirtualEnvironment venv)
    {
        foreach (var row in rows)
        {
            var path = Path.GetFullPath(Path.Combine(site, row.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (!WheelInstaller.IsInside(venv.Root, path))
            {
                continue;
            }
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return $"{row.Path} is missing";
            }
            if (row.Size is { } size && file.Length != size)
            {
                return $"{row.Path} has {file.Length} bytes, not {size}";
            }
        }
        return null;
    }

    private static (string Name, string Version) ReadNameAndVersion(string folder)
    {
        var metadata = Path.Combine(folder, "METADATA");
        var (name, version) = DistInfoMetadata.ReadNameAndVersion(File.Exists(metadata) ? File.ReadAllText(metadata) : null);
        // A dist-info without METADATA (an interrupted install) still names itself: name-version.dist-info.
        var stem = Path.GetFileName(folder);
        stem = stem.Substring(0, stem.Length - ".dist-info".Length);
        var dash = stem.IndexOf('-');
        return (name ?? (dash > 0 ? stem.Substring(0, dash) : stem), version ?? (dash > 0 ? stem.Substring(dash + 1) : ""));
    }
}
