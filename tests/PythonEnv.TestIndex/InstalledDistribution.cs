using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PythonEnv.TestIndex;

/// <summary>
/// One distribution installed in a site-packages folder, as an installer left it: a <c>.dist-info</c> folder
/// (PEP 627: METADATA, RECORD, WHEEL...) or a setuptools <c>.egg-info</c> folder (PKG-INFO, requires.txt,
/// installed-files.txt or only top_level.txt, as Debian's <c>python3-*</c> packages ship them).
/// <see cref="WheelRepacker"/> turns it back into a wheel.
/// </summary>
public sealed class InstalledDistribution
{
    private InstalledDistribution(string sitePackages, string metadataDirectory, string coreMetadata)
    {
        SitePackages = sitePackages;
        MetadataDirectory = metadataDirectory;
        CoreMetadata = coreMetadata;
        Name = CoreMetadataText.Header(coreMetadata, "Name") ?? throw new InvalidDataException($"{metadataDirectory} has no Name.");
        Version = CoreMetadataText.Header(coreMetadata, "Version") ?? throw new InvalidDataException($"{metadataDirectory} has no Version.");
    }

    /// <summary>The folder the distribution is installed in (site-packages, Debian's dist-packages).</summary>
    public string SitePackages { get; }

    /// <summary>The <c>.dist-info</c> or <c>.egg-info</c> folder (or distutils' single <c>.egg-info</c> file).</summary>
    public string MetadataDirectory { get; }

    public bool IsEggInfo => MetadataDirectory.EndsWith(".egg-info", StringComparison.Ordinal);

    /// <summary>The project name as the metadata writes it.</summary>
    public string Name { get; }

    public string NormalizedName => Names.Normalize(Name);

    public string Version { get; }

    /// <summary>
    /// The core metadata: METADATA as installed, or for an egg-info its PKG-INFO with the requirements of
    /// requires.txt appended as <c>Requires-Dist</c> (as importlib.metadata reads them).
    /// </summary>
    public string CoreMetadata { get; }

    /// <summary>Every distribution installed in <paramref name="sitePackages"/> whose metadata names it.</summary>
    public static IReadOnlyList<InstalledDistribution> Scan(string sitePackages)
    {
        var found = new List<InstalledDistribution>();
        foreach (string directory in Directory.EnumerateFileSystemEntries(sitePackages).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(directory);
            string? metadata = name.EndsWith(".dist-info", StringComparison.Ordinal) ? Path.Combine(directory, "METADATA")
                : !name.EndsWith(".egg-info", StringComparison.Ordinal) ? null
                : File.Exists(directory) ? directory // distutils' single-file egg-info: PKG-INFO itself
                : Path.Combine(directory, "PKG-INFO");
            if (metadata is null || !File.Exists(metadata)) continue;
            string text = File.ReadAllText(metadata);
            if (name.EndsWith(".egg-info", StringComparison.Ordinal))
            {
                string requires = Path.Combine(directory, "requires.txt");
                text = EggInfo.WithRequiresDist(text, File.Exists(requires) ? File.ReadAllText(requires) : "");
            }

            if (CoreMetadataText.Header(text, "Name") is null || CoreMetadataText.Header(text, "Version") is null) continue;
            found.Add(new InstalledDistribution(sitePackages, directory, text));
        }

        return found;
    }

    /// <summary>
    /// The distribution's own files outside its metadata folder, as paths relative to <see cref="SitePackages"/>
    /// (<c>..</c> for scripts and data installed beside it): RECORD's list for a dist-info, installed-files.txt's
    /// for an egg-info that has one, else every file under the top-level names of top_level.txt (a package
    /// folder, a module, an extension module), or of the project name for a single-file egg-info. Bytecode
    /// caches are left out: installers make their own.
    /// </summary>
    public IReadOnlyList<string> Files()
    {
        IEnumerable<string> files;
        if (!IsEggInfo)
        {
            string record = Path.Combine(MetadataDirectory, "RECORD");
            if (!File.Exists(record)) throw new InvalidDataException($"{MetadataDirectory} has no RECORD: its files are unknown.");
            files = File.ReadLines(record).Where(l => l.Length > 0).Select(RecordPath);
        }
        else if (File.Exists(Path.Combine(MetadataDirectory, "installed-files.txt")))
        {
            string egg = Path.GetFileName(MetadataDirectory);
            files = File.ReadLines(Path.Combine(MetadataDirectory, "installed-files.txt"))
                .Where(l => l.Trim().Length > 0)
                .Select(l => Path.GetRelativePath(SitePackages, Path.GetFullPath(Path.Combine(MetadataDirectory, l.Trim()))))
                .Where(p => !p.StartsWith(egg + "/", StringComparison.Ordinal));
        }
        else
        {
            files = TopLevelFiles();
        }

        string own = Path.GetFileName(MetadataDirectory) + "/";
        return files
            .Select(p => p.Replace('\\', '/'))
            .Where(p => !p.StartsWith(own, StringComparison.Ordinal) && !p.EndsWith(".pyc", StringComparison.Ordinal) && !p.Contains("/__pycache__/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The file in the metadata folder, or null when absent.</summary>
    public string? ReadMetadataFile(string name)
    {
        string path = Path.Combine(MetadataDirectory, name);
        return Directory.Exists(MetadataDirectory) && File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public override string ToString() => $"{Name} {Version} ({Path.GetFileName(MetadataDirectory)})";

    private IEnumerable<string> TopLevelFiles()
    {
        // distutils' single-file egg-info lists nothing: its import name is taken to be the project name's.
        string? topLevel = ReadMetadataFile("top_level.txt") ?? (File.Exists(MetadataDirectory) ? Name.Replace('-', '_') : null);
        if (topLevel is null) throw new InvalidDataException($"{MetadataDirectory} has neither installed-files.txt nor top_level.txt: its files are unknown.");
        var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (string name in topLevel.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            string folder = Path.Combine(SitePackages, name);
            if (Directory.Exists(folder))
            {
                foreach (string file in Directory.EnumerateFiles(folder, "*", everything))
                {
                    yield return Path.GetRelativePath(SitePackages, file);
                }
            }

            // A module: name.py, or an extension module name.cpython-311-x86_64-linux-gnu.so / name.abi3.so / name.pyd.
            foreach (string file in Directory.EnumerateFiles(SitePackages, name + ".*"))
            {
                string rest = Path.GetFileName(file)[(name.Length + 1)..];
                if (rest == "py" || rest == "pyi" || rest.EndsWith(".so", StringComparison.Ordinal) || rest == "so" || rest.EndsWith(".pyd", StringComparison.Ordinal))
                {
                    yield return Path.GetFileName(file);
                }
            }
        }
    }

    // RECORD is CSV: path,hash,size; a path with a comma is quoted.
    private static string RecordPath(string line)
    {
        if (!line.StartsWith('"')) return line[..line.IndexOf(',', StringComparison.Ordinal)];
        var path = new StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    path.Append('"');
                    i++;
                    continue;
                }

                break;
            }

            path.Append(line[i]);
        }

        return path.ToString();
    }
}

/// <summary>Reading and editing core metadata text (RFC 822 style headers, then an optional body).</summary>
public static class CoreMetadataText
{
    private static readonly Regex RequirementName = new(@"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", RegexOptions.CultureInvariant);

    /// <summary>The first value of <paramref name="name"/> in the header block, or null.</summary>
    public static string? Header(string metadata, string name) => Headers(metadata, name).FirstOrDefault();

    /// <summary>Every value of <paramref name="name"/> in the header block.</summary>
    public static IEnumerable<string> Headers(string metadata, string name)
    {
        foreach (string line in HeaderBlock(metadata).Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !char.IsWhiteSpace(line[0]) && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                yield return line[(colon + 1)..].Trim();
            }
        }
    }

    /// <summary>The names the metadata requires outside any extra (markers otherwise ignored), normalized.</summary>
    public static IReadOnlyList<string> RequiredNames(string metadata) => Headers(metadata, "Requires-Dist")
        .Where(r => r.IndexOf(';', StringComparison.Ordinal) is var i && (i < 0 || !r[i..].Contains("extra", StringComparison.Ordinal)))
        .Select(r => RequirementName.Match(r))
        .Where(m => m.Success)
        .Select(m => Names.Normalize(m.Groups[1].Value))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>The metadata with <paramref name="name"/>'s value replaced (every occurrence).</summary>
    public static string SetHeader(string metadata, string name, string value)
    {
        (string headers, string body) = Split(metadata);
        var lines = headers.Split('\n').Select(line =>
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase) ? $"{line[..colon]}: {value}" : line;
        });
        return string.Join('\n', lines) + body;
    }

    /// <summary>The metadata with header lines added at the end of the header block.</summary>
    public static string AddHeaders(string metadata, string name, IEnumerable<string> values)
    {
        (string headers, string body) = Split(metadata);
        var added = string.Concat(values.Select(v => $"\n{name}: {v}"));
        return headers + added + body;
    }

    private static string HeaderBlock(string metadata) => Split(metadata).Headers;

    // The header block ends at the first empty line; the body (with its separating line) is kept as is.
    private static (string Headers, string Body) Split(string metadata)
    {
        string text = metadata.Replace("\r\n", "\n", StringComparison.Ordinal);
        int end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? (text.TrimEnd('\n'), "\n") : (text[..end], text[end..]);
    }
}

/// <summary>setuptools' egg-info <c>requires.txt</c>, read as importlib.metadata reads it.</summary>
public static class EggInfo
{
    /// <summary>
    /// PKG-INFO with a <c>Requires-Dist</c> per requires.txt line (sections <c>[extra]</c>, <c>[:marker]</c>,
    /// <c>[extra:marker]</c> become markers), unless PKG-INFO already lists its requirements.
    /// </summary>
    public static string WithRequiresDist(string pkgInfo, string requiresTxt)
    {
        if (CoreMetadataText.Headers(pkgInfo, "Requires-Dist").Any()) return pkgInfo;
        List<string> requirements = RequiresDist(requiresTxt).ToList();
        if (requirements.Count == 0) return pkgInfo;
        string text = pkgInfo;
        if (CoreMetadataText.Header(text, "Metadata-Version") is "1.0" or "1.1")
        {
            text = CoreMetadataText.SetHeader(text, "Metadata-Version", "2.1");
        }

        return CoreMetadataText.AddHeaders(text, "Requires-Dist", requirements);
    }

    public static IEnumerable<string> RequiresDist(string requiresTxt)
    {
        string? extra = null;
        string? marker = null;
        foreach (string raw in requiresTxt.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                string section = line[1..^1];
                int colon = section.IndexOf(':', StringComparison.Ordinal);
                extra = (colon < 0 ? section : section[..colon]).Trim() is { Length: > 0 } e ? e : null;
                marker = colon < 0 ? null : section[(colon + 1)..].Trim() is { Length: > 0 } m ? m : null;
                continue;
            }

            var conditions = new List<string>();
            int semicolon = line.IndexOf(';', StringComparison.Ordinal);
            string requirement = semicolon < 0 ? line : line[..semicolon].TrimEnd();
            if (semicolon >= 0) conditions.Add($"({line[(semicolon + 1)..].Trim()})");
            if (marker is not null) conditions.Add($"({marker})");
            if (extra is not null) conditions.Add($"extra == \"{extra}\"");
            yield return conditions.Count == 0 ? requirement : $"{requirement} ; {string.Join(" and ", conditions)}";
        }
    }
}
