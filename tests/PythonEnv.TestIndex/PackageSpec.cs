using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PythonEnv.TestIndex;

/// <summary>
/// What one release of a test project contains: its core metadata and its files. Build distributions from it
/// with <see cref="Wheel(string)"/> / <see cref="Sdist"/>, or <see cref="WheelBuilder"/> / <see cref="SdistBuilder"/>
/// for negative cases.
/// </summary>
/// <remarks>
/// Without <see cref="Files"/>, the release gets an importable package <c>{module}/__init__.py</c> exposing
/// <c>__version__</c>, <c>hello()</c> (returns <c>"hello from {name} {version}"</c>) and <c>main()</c> (prints it).
/// </remarks>
public sealed class PackageSpec
{
    public PackageSpec(string name, string version)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A project needs a name.", nameof(name));
        if (string.IsNullOrWhiteSpace(version)) throw new ArgumentException("A release needs a version.", nameof(version));
        Name = name;
        Version = version;
    }

    /// <summary>A release with these <c>Requires-Dist</c> lines.</summary>
    public static PackageSpec Of(string name, string version, params string[] requiresDist)
    {
        var spec = new PackageSpec(name, version);
        spec.RequiresDist.AddRange(requiresDist);
        return spec;
    }

    /// <summary>The project name as written in METADATA (not normalized).</summary>
    public string Name { get; }

    /// <summary>The version as written in METADATA and file names.</summary>
    public string Version { get; }

    /// <summary>METADATA <c>Metadata-Version</c>.</summary>
    public string MetadataVersion { get; set; } = "2.1";

    public string? Summary { get; set; }

    /// <summary><c>Requires-Python</c>; null leaves the field out.</summary>
    public string? RequiresPython { get; set; }

    /// <summary><c>Requires-Dist</c> lines (PEP 508, markers allowed).</summary>
    public List<string> RequiresDist { get; } = [];

    /// <summary>Extra name -> its requirements: a <c>Provides-Extra</c> line each, and every requirement written
    /// as <c>Requires-Dist: req ; extra == "name"</c> (combined with the requirement's own marker).</summary>
    public Dictionary<string, List<string>> Extras { get; } = new(StringComparer.Ordinal);

    /// <summary>Other METADATA fields, written as given after the standard ones (e.g. ("Description-Content-Type", "text/plain")).</summary>
    public List<KeyValuePair<string, string>> ExtraMetadata { get; } = [];

    /// <summary><c>entry_points.txt</c> [console_scripts]: script name -> <c>module:function</c>.</summary>
    public Dictionary<string, string> ConsoleScripts { get; } = new(StringComparer.Ordinal);

    /// <summary><c>entry_points.txt</c> [gui_scripts]: script name -> <c>module:function</c>.</summary>
    public Dictionary<string, string> GuiScripts { get; } = new(StringComparer.Ordinal);

    /// <summary>Files under <c>.data/scripts/</c>: name -> body. A body without a <c>#!</c> line gets <c>#!python</c>
    /// (which installers rewrite to the environment's interpreter).</summary>
    public Dictionary<string, string> Scripts { get; } = new(StringComparer.Ordinal);

    /// <summary>Files under <c>.data/data/</c> (installed relative to the environment's prefix).</summary>
    public Dictionary<string, string> DataFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Files under <c>.data/headers/</c>.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.Ordinal);

    /// <summary>Files under <c>.data/purelib/</c>.</summary>
    public Dictionary<string, string> Purelib { get; } = new(StringComparer.Ordinal);

    /// <summary>Files under <c>.data/platlib/</c>.</summary>
    public Dictionary<string, string> Platlib { get; } = new(StringComparer.Ordinal);

    /// <summary>Files at the wheel's root (relative paths with '/'). When empty, the default package is generated.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The import name of the generated package: the normalized name with '-' as '_'.</summary>
    public string ModuleName
    {
        get
        {
            string module = Names.Normalize(Name).Replace('-', '_');
            return char.IsDigit(module[0]) ? "_" + module : module;
        }
    }

    /// <summary>The PEP 503 normalized project name.</summary>
    public string NormalizedName => Names.Normalize(Name);

    /// <summary>A wheel of this release with the given tag set (compressed sets such as <c>py2.py3-none-any</c> allowed).</summary>
    public Distribution Wheel(string tags = "py3-none-any") => new WheelBuilder(this) { Tags = tags }.Build();

    /// <summary>A source distribution of this release that builds offline with its in-tree backend.</summary>
    public Distribution Sdist() => new SdistBuilder(this).Build();

    /// <summary>The root files of the release: <see cref="Files"/>, or the generated package.</summary>
    internal IReadOnlyDictionary<string, string> RootFiles()
    {
        if (Files.Count > 0) return Files;
        string init =
            $"\"\"\"Test package {Name} {Version}, built by PythonEnv.TestIndex.\"\"\"\n" +
            $"__version__ = {PyString(Version)}\n\n\n" +
            "def hello():\n" +
            $"    return {PyString($"hello from {Name} {Version}")}\n\n\n" +
            "def main():\n" +
            "    print(hello())\n" +
            "    return 0\n";
        return new Dictionary<string, string> { [ModuleName + "/__init__.py"] = init };
    }

    /// <summary>The METADATA (or PKG-INFO) text: RFC 822 style headers, one per line.</summary>
    internal string CoreMetadata()
    {
        var text = new StringBuilder();
        void Field(string key, string value) => text.Append(key).Append(": ").Append(value).Append('\n');
        Field("Metadata-Version", MetadataVersion);
        Field("Name", Name);
        Field("Version", Version);
        if (Summary is not null) Field("Summary", Summary);
        if (RequiresPython is not null) Field("Requires-Python", RequiresPython);
        foreach (string requirement in RequiresDist) Field("Requires-Dist", requirement);
        foreach (KeyValuePair<string, List<string>> extra in Extras)
        {
            Field("Provides-Extra", extra.Key);
            foreach (string requirement in extra.Value) Field("Requires-Dist", WithExtraMarker(requirement, extra.Key));
        }
        foreach (KeyValuePair<string, string> field in ExtraMetadata) Field(field.Key, field.Value);
        return text.ToString();
    }

    /// <summary>The <c>entry_points.txt</c> text, or null when the release has no entry points.</summary>
    internal string? EntryPoints()
    {
        if (ConsoleScripts.Count == 0 && GuiScripts.Count == 0) return null;
        var text = new StringBuilder();
        void Section(string name, Dictionary<string, string> entries)
        {
            if (entries.Count == 0) return;
            if (text.Length > 0) text.Append('\n');
            text.Append('[').Append(name).Append("]\n");
            foreach (KeyValuePair<string, string> entry in entries) text.Append(entry.Key).Append(" = ").Append(entry.Value).Append('\n');
        }
        Section("console_scripts", ConsoleScripts);
        Section("gui_scripts", GuiScripts);
        return text.ToString();
    }

    /// <summary>The content of a <c>.data/scripts</c> file: given a <c>#!python</c> line unless it has its own.</summary>
    internal static string ScriptBody(string body) => body.StartsWith("#!", StringComparison.Ordinal) ? body : "#!python\n" + body;

    private static string WithExtraMarker(string requirement, string extra)
    {
        string marker = $"extra == {PyString(extra)}";
        int semicolon = requirement.IndexOf(';');
        // A URL requirement may contain ';' in its URL, but then the marker separator is " ;" after whitespace.
        if (semicolon < 0) return $"{requirement.TrimEnd()} ; {marker}";
        string own = requirement.Substring(semicolon + 1).Trim();
        return $"{requirement.Substring(0, semicolon).TrimEnd()} ; ({own}) and {marker}";
    }

    private static string PyString(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>PEP 503 name normalization and the file-name escaping of the binary distribution format.</summary>
public static class Names
{
    private static readonly Regex Separators = new("[-_.]+", RegexOptions.CultureInvariant);

    /// <summary>PEP 503: runs of '-', '_', '.' become '-', lower case.</summary>
    public static string Normalize(string name) => Separators.Replace(name, "-").ToLowerInvariant();

    /// <summary>The distribution part of wheel and sdist file names: runs of '-', '_', '.' become '_', lower case.</summary>
    public static string Escape(string name) => Separators.Replace(name, "_").ToLowerInvariant();

    /// <summary>A version as it may appear in a file name: '-' (not allowed there) becomes '_'.</summary>
    internal static string EscapeVersion(string version) => version.Replace('-', '_');

    /// <summary>Expands a compressed tag set (<c>py2.py3-none-any</c>) into its tags.</summary>
    public static IReadOnlyList<string> ExpandTags(string tags)
    {
        string[] parts = tags.Split('-');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"'{tags}' is not a tag set of the form python-abi-platform.", nameof(tags));
        return (from python in parts[0].Split('.')
                from abi in parts[1].Split('.')
                from platform in parts[2].Split('.')
                select string.Create(CultureInfo.InvariantCulture, $"{python}-{abi}-{platform}")).ToList();
    }
}
