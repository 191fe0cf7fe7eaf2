using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PythonEnv.TestIndex;

/// <summary>
/// A correction to an installed distribution's metadata before it is repacked, with the reason (e.g. Debian
/// strips upstream <c>Requires-Dist</c> because dpkg's Depends carry the graph, or writes version 0.0.0).
/// </summary>
public sealed record MetadataPatch(string Reason)
{
    /// <summary>The version to write instead of the installed one.</summary>
    public string? Version { get; init; }

    /// <summary>Requirements to add, in PEP 508 form.</summary>
    public IReadOnlyList<string> AddRequiresDist { get; init; } = [];

    public string Apply(string metadata)
    {
        string text = Version is null ? metadata : CoreMetadataText.SetHeader(metadata, "Version", Version);
        return AddRequiresDist.Count == 0 ? text : CoreMetadataText.AddHeaders(text, "Requires-Dist", AddRequiresDist);
    }
}

/// <summary>A wheel rebuilt from an installed distribution, and what could not be carried over.</summary>
public sealed record RepackedWheel(InstalledDistribution Source, Distribution Wheel, string Tags, IReadOnlyList<string> MissingFiles, MetadataPatch? Patch)
{
    public override string ToString() => Wheel.FileName;
}

/// <summary>
/// Rebuilds a real wheel from a distribution installed in a site-packages folder: its files (RECORD's, or an
/// egg-info's), METADATA as installed (all its Requires-Dist and markers; an egg-info's PKG-INFO plus
/// requires.txt), entry_points.txt and the other dist-info files, a WHEEL with the installed tags (from its
/// WHEEL file, else from the extension modules' suffix: <c>.cpython-311-x86_64-linux-gnu.so</c> is
/// <c>cp311-cp311-linux_x86_64</c>, none is <c>py3-none-any</c>), and a fresh RECORD (sha256, sizes).
/// Scripts installed beside the prefix go to <c>.data/scripts</c> (<c>#!python</c>) unless an entry point makes
/// them; other files outside site-packages go to <c>.data/data</c>. Bytecode caches are left out.
/// </summary>
public static class WheelRepacker
{
    private static readonly Regex ExtensionSuffix = new(@"\.cpython-(?<version>\d)(?<minor>\d+)-(?<arch>[a-z0-9_]+)-linux-gnu\.so$", RegexOptions.CultureInvariant);

    // Written by the installer, or regenerated here.
    private static readonly HashSet<string> InstallerFiles = new(StringComparer.Ordinal) { "RECORD", "INSTALLER", "REQUESTED", "direct_url.json", "WHEEL", "METADATA" };

    // An egg-info's files that still mean something in a dist-info.
    private static readonly string[] EggInfoFilesKept = ["entry_points.txt", "top_level.txt"];

    /// <summary>
    /// Repacks <paramref name="roots"/> and, transitively, every installed distribution their (patched) metadata
    /// requires outside extras, whatever the marker: what a universal lock of the roots may need. A required
    /// name not installed there is skipped (a platform's dependency, e.g. <c>colorama; sys_platform == "win32"</c>).
    /// Where a name is installed twice (Debian: a dist-info and an egg-info), the dist-info is taken.
    /// </summary>
    public static IReadOnlyList<RepackedWheel> RepackWithDependencies(string sitePackages, IEnumerable<string> roots, string outputDirectory, IReadOnlyDictionary<string, MetadataPatch>? patches = null)
    {
        Dictionary<string, InstalledDistribution> installed = InstalledDistribution.Scan(sitePackages)
            .GroupBy(d => d.NormalizedName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.IsEggInfo).First(), StringComparer.Ordinal);
        var rootNames = roots.Select(Names.Normalize).ToList();
        var repacked = new List<RepackedWheel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(rootNames);
        while (pending.TryDequeue(out string? name))
        {
            if (!seen.Add(name)) continue;
            if (!installed.TryGetValue(name, out InstalledDistribution? source))
            {
                // Only a root must be there; a dependency may belong to another platform or Python.
                if (rootNames.Contains(name)) throw new InvalidOperationException($"{name} is not installed in {sitePackages}.");
                continue;
            }

            RepackedWheel wheel = Repack(source, outputDirectory, patches?.GetValueOrDefault(name));
            repacked.Add(wheel);
            foreach (string required in CoreMetadataText.RequiredNames(Encoding.UTF8.GetString(wheel.Wheel.Metadata!))) pending.Enqueue(required);
        }

        return repacked;
    }

    public static RepackedWheel Repack(InstalledDistribution source, string outputDirectory, MetadataPatch? patch = null)
    {
        string metadata = patch?.Apply(source.CoreMetadata) ?? source.CoreMetadata;
        string version = CoreMetadataText.Header(metadata, "Version")!;
        string prefix = $"{Names.Escape(source.Name)}-{Names.EscapeVersion(version)}";
        string distInfo = prefix + ".dist-info";
        string root = Path.GetFullPath(Path.Combine(source.SitePackages, "..", "..", ".."));
        HashSet<string> entryPointScripts = EntryPointNames(source.ReadMetadataFile("entry_points.txt"));

        var entries = new List<(string Path, string? File, byte[]? Content, bool Executable)>();
        var missing = new List<string>();
        foreach (string relative in source.Files())
        {
            string full = Path.GetFullPath(Path.Combine(source.SitePackages, relative));
            if (!File.Exists(full))
            {
                missing.Add(relative); // RECORD may list files a packager deleted afterwards, or a dangling symlink
                continue;
            }

            if (!relative.StartsWith("../", StringComparison.Ordinal))
            {
                entries.Add((relative, full, null, IsExecutable(full)));
            }
            else if (Path.GetDirectoryName(full) == Path.Combine(root, "bin"))
            {
                if (!entryPointScripts.Contains(Path.GetFileName(full)))
                {
                    entries.Add(($"{prefix}.data/scripts/{Path.GetFileName(full)}", full, WithPythonShebang(File.ReadAllBytes(full)), true));
                }
            }
            else if (full.StartsWith(root + "/", StringComparison.Ordinal))
            {
                entries.Add(($"{prefix}.data/data/{Path.GetRelativePath(root, full).Replace('\\', '/')}", full, null, IsExecutable(full)));
            }
            else
            {
                missing.Add(relative);
            }
        }

        foreach (string file in MetadataFilesKept(source))
        {
            entries.Add(($"{distInfo}/{Path.GetRelativePath(source.MetadataDirectory, file).Replace('\\', '/')}", file, null, false));
        }

        (string tags, bool purelib) = Tags(source, entries.Select(e => e.Path));
        entries.Add(($"{distInfo}/METADATA", null, Encoding.UTF8.GetBytes(metadata), false));
        entries.Add(($"{distInfo}/WHEEL", null, Encoding.UTF8.GetBytes(WheelFile(tags, purelib)), false));

        Directory.CreateDirectory(outputDirectory);
        string fileName = $"{prefix}-{tags}.whl";
        string path = Path.Combine(outputDirectory, fileName);
        var record = new StringBuilder();
        using (var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        {
            void Write(string name, byte[] content, int mode)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                entry.LastWriteTime = WheelBuilder.Timestamp;
                entry.ExternalAttributes = mode << 16;
                using Stream stream = entry.Open();
                stream.Write(content);
            }

            foreach ((string name, string? file, byte[]? content, bool executable) in entries.OrderBy(e => e.Path.StartsWith(distInfo + "/", StringComparison.Ordinal)).ThenBy(e => e.Path, StringComparer.Ordinal))
            {
                byte[] bytes = content ?? File.ReadAllBytes(file!);
                Write(name, bytes, executable ? WheelBuilder.Executable : WheelBuilder.RegularFile);
                record.Append(WheelBuilder.CsvField(name)).Append(",sha256=").Append(WheelBuilder.RecordHash(bytes)).Append(',').Append(bytes.LongLength).Append('\n');
            }

            string recordName = $"{distInfo}/RECORD";
            record.Append(recordName).Append(",,\n");
            Write(recordName, Encoding.UTF8.GetBytes(record.ToString()), WheelBuilder.RegularFile);
        }

        var wheel = Distribution.FromFile(path, source.Name, version, Encoding.UTF8.GetBytes(metadata), CoreMetadataText.Header(metadata, "Requires-Python"));
        return new RepackedWheel(source, wheel, tags, missing, patch);
    }

    /// <summary>
    /// The tag set: the installed WHEEL's <c>Tag</c> lines (compressed into the file name's form when they are
    /// one python × abi × platform product, else the first tag), or what the extension modules were built for.
    /// </summary>
    private static (string Tags, bool Purelib) Tags(InstalledDistribution source, IEnumerable<string> files)
    {
        string? wheel = source.IsEggInfo ? null : source.ReadMetadataFile("WHEEL");
        List<string> tags = wheel is null ? [] : CoreMetadataText.Headers(wheel, "Tag").ToList();
        if (tags.Count > 0)
        {
            bool purelib = !string.Equals(CoreMetadataText.Header(wheel!, "Root-Is-Purelib"), "false", StringComparison.OrdinalIgnoreCase);
            return (Compress(tags), purelib);
        }

        Match extension = files.Select(f => ExtensionSuffix.Match(f)).FirstOrDefault(m => m.Success) ?? Match.Empty;
        if (!extension.Success)
        {
            return files.Any(f => f.EndsWith(".so", StringComparison.Ordinal))
                ? throw new InvalidDataException($"{source}: extension modules without a CPython suffix; which interpreter they are for is unknown.")
                : ("py3-none-any", true);
        }

        string python = $"cp{extension.Groups["version"].Value}{extension.Groups["minor"].Value}";
        return ($"{python}-{python}-linux_{extension.Groups["arch"].Value}", false);
    }

    private static string Compress(List<string> tags)
    {
        string[][] parts = tags.Select(t => t.Split('-')).ToArray();
        string Join(int i) => string.Join('.', parts.Select(p => p[i]).Distinct());
        string compressed = $"{Join(0)}-{Join(1)}-{Join(2)}";
        return Names.ExpandTags(compressed).Order(StringComparer.Ordinal).SequenceEqual(tags.Distinct().Order(StringComparer.Ordinal)) ? compressed : tags[0];
    }

    private static string WheelFile(string tags, bool purelib)
    {
        var text = new StringBuilder("Wheel-Version: 1.0\nGenerator: PythonEnv.TestIndex repack (1.0)\n");
        text.Append("Root-Is-Purelib: ").Append(purelib ? "true" : "false").Append('\n');
        foreach (string tag in Names.ExpandTags(tags)) text.Append("Tag: ").Append(tag).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<string> MetadataFilesKept(InstalledDistribution source)
    {
        if (source.IsEggInfo)
        {
            return EggInfoFilesKept.Select(f => Path.Combine(source.MetadataDirectory, f)).Where(File.Exists);
        }

        return Directory.EnumerateFiles(source.MetadataDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !(Path.GetDirectoryName(f) == source.MetadataDirectory && InstallerFiles.Contains(Path.GetFileName(f))))
            .Where(f => !f.EndsWith(".pyc", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static bool IsExecutable(string file) => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    private static HashSet<string> EntryPointNames(string? entryPoints)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? section = null;
        foreach (string raw in (entryPoints ?? "").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('[')) section = line.Trim('[', ']').Trim();
            else if (section is "console_scripts" or "gui_scripts" && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals) names.Add(line[..equals].Trim());
        }

        return names;
    }

    // An installed script's shebang names the interpreter it was installed for; a wheel says "#!python".
    private static byte[] WithPythonShebang(byte[] script)
    {
        if (script.Length < 2 || script[0] != '#' || script[1] != '!') return script;
        int end = Array.IndexOf(script, (byte)'\n');
        string shebang = Encoding.UTF8.GetString(script, 0, end < 0 ? script.Length : end);
        if (!shebang.Contains("python", StringComparison.Ordinal)) return script;
        return [.. "#!python"u8, .. end < 0 ? [] : script.AsSpan(end).ToArray()];
    }
}
