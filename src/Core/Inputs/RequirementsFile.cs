using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>
/// A pip requirements file (<c>requirements.in</c> style): one PEP 508 requirement per line, <c>#</c>
/// comments, <c>\</c> line continuations, <c>${VAR}</c> environment variables, <c>-r</c>/<c>-c</c> includes
/// (relative to the including file), and the index options <c>--index-url</c>, <c>--extra-index-url</c>,
/// <c>--find-links</c>. Options that would make the environment unreproducible (editables) are rejected.
/// </summary>
public sealed class RequirementsFile
{
    private static readonly Regex EnvironmentVariable = new(@"\$\{([A-Z0-9_]+)\}", RegexOptions.CultureInvariant);

    private readonly List<DeclaredRequirement> _requirements = new();
    private readonly List<DeclaredRequirement> _constraints = new();
    private readonly List<(string Url, SourceLocation Location)> _extraIndexUrls = new();
    private readonly List<(string Location, SourceLocation Declared)> _findLinks = new();
    private readonly List<IndexPin> _pins = new();
    private static readonly Regex IndexOption = new(@"(?:^|\s)--index(?:=|\s+)(\S+)", RegexOptions.CultureInvariant);

    private RequirementsFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>Requirements from this file and every <c>-r</c> include, in file order.</summary>
    public IReadOnlyList<DeclaredRequirement> Requirements => _requirements;

    /// <summary>Constraints from <c>-c</c> includes (they limit versions without requiring the package).</summary>
    public IReadOnlyList<DeclaredRequirement> Constraints => _constraints;

    /// <summary>The last <c>--index-url</c>/<c>-i</c> seen, as pip does.</summary>
    public (string Url, SourceLocation Location)? IndexUrl { get; private set; }

    public IReadOnlyList<(string Url, SourceLocation Location)> ExtraIndexUrls => _extraIndexUrls;

    /// <summary><c>--find-links</c> folders (resolved against the declaring file) or page URLs.</summary>
    public IReadOnlyList<(string Location, SourceLocation Declared)> FindLinks => _findLinks;

    /// <summary>Pins from the per-requirement option <c>--index &lt;name&gt;</c> (<c>torch==2.2.0 ; sys_platform != 'darwin' --index pytorch-cu121</c>), with the requirement's marker.</summary>
    public IReadOnlyList<IndexPin> Pins => _pins;

    /// <summary>
    /// Reads <paramref name="path"/> and its includes. <paramref name="group"/> labels the requirements
    /// (null: the project's main dependencies). <paramref name="environment"/> expands <c>${VAR}</c>;
    /// the process environment when null.
    /// </summary>
    public static RequirementsFile Load(string path, string? group = null, Func<string, string?>? environment = null)
    {
        var file = new RequirementsFile(path);
        file.Read(System.IO.Path.GetFullPath(path), group, asConstraints: false, new Stack<string>(), environment ?? Environment.GetEnvironmentVariable);
        return file;
    }

    private void Read(string path, string? group, bool asConstraints, Stack<string> including, Func<string, string?> environment)
    {
        if (including.Contains(path))
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile,
                $"requirements files include each other in a cycle: {string.Join(" -> ", including)} -> {path}. Remove one of the -r/-c lines.", path);
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var from = including.Count > 0 ? $" (included from {including.Peek()})" : "";
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile, $"cannot read requirements file{from}: {e.Message}", path);
        }
        including.Push(path);
        foreach (var (text, line) in LogicalLines(lines))
        {
            var expanded = EnvironmentVariable.Replace(text, m => environment(m.Groups[1].Value) ?? m.Value);
            ReadLine(expanded, new SourceLocation(path, line), group, asConstraints, including, environment);
        }
        including.Pop();
    }

    /// <summary>Joins <c>\</c> continuations and strips comments, keeping each logical line's first line number.</summary>
    private static IEnumerable<(string Text, int Line)> LogicalLines(string[] lines)
    {
        var builder = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (builder.Length == 0)
            {
                start = i + 1;
            }
            var line = lines[i];
            if (line.EndsWith("\\", StringComparison.Ordinal))
            {
                builder.Append(line, 0, line.Length - 1);
                if (i < lines.Length - 1)
                {
                    continue;
                }
            }
            else
            {
                builder.Append(line);
            }
            var text = StripComment(builder.ToString()).Trim();
            builder.Clear();
            if (text.Length > 0)
            {
                yield return (text, start);
            }
        }
    }

    // pip treats '#' as a comment at the start of a line or after whitespace (so URL fragments survive).
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line.Substring(0, i);
            }
        }
        return line;
    }

    private void ReadLine(string text, SourceLocation at, string? group, bool asConstraints, Stack<string> including, Func<string, string?> environment)
    {
        if (!text.StartsWith("-", StringComparison.Ordinal))
        {
            AddRequirement(text, at, group, asConstraints);
            return;
        }
        var (option, value) = SplitOption(text);
        switch (option)
        {
            case "-r" or "--requirement":
                Read(Resolve(Require(option, value, at), at), group, asConstraints, including, environment);
                break;
            case "-c" or "--constraint":
                Read(Resolve(Require(option, value, at), at), group, asConstraints: true, including, environment);
                break;
            case "-i" or "--index-url":
                IndexUrl = (Require(option, value, at), at);
                break;
            case "--extra-index-url":
                _extraIndexUrls.Add((Require(option, value, at), at));
                break;
            case "-f" or "--find-links":
                var location = Require(option, value, at);
                _findLinks.Add((location.Contains("://") ? location : Resolve(location, at), at));
                break;
            case "-e" or "--editable":
                throw Error(at, $"'{option}' (editable installs) cannot be locked reproducibly. Declare the package by name and version instead.");
            default:
                throw Error(at, $"'{option}' is not an option this SDK understands in requirements files. Supported: -r, -c, -i/--index-url, --extra-index-url, -f/--find-links.");
        }
    }

    private void AddRequirement(string text, SourceLocation at, string? group, bool asConstraint)
    {
        // Per-requirement options such as '--hash=sha256:...' describe artifacts; the lock records hashes itself.
        var optionAt = text.IndexOf(" --", StringComparison.Ordinal);
        var requirementText = optionAt >= 0 ? text.Substring(0, optionAt).TrimEnd() : text;
        var declared = DeclaredRequirementParser.Parse(requirementText, group, at, "");
        (asConstraint ? _constraints : _requirements).Add(declared);
        // '--index <name>' pins the requirement's package to a named index (PythonIndex, [[tool.uv.index]]).
        if (optionAt >= 0 && IndexOption.Match(text.Substring(optionAt)) is { Success: true } index)
        {
            _pins.Add(new IndexPin(declared.Requirement.PackageName, index.Groups[1].Value, declared.Requirement.Marker, at));
        }
    }

    private static (string Option, string? Value) SplitOption(string text)
    {
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '=')
        {
            end++;
        }
        var option = text.Substring(0, end);
        var rest = text.Substring(end).TrimStart('=', ' ', '\t').Trim();
        // Short options may be glued to their value: -rbase.txt.
        if (option.Length > 2 && option[1] != '-' && rest.Length == 0)
        {
            return (option.Substring(0, 2), option.Substring(2));
        }
        return (option, rest.Length == 0 ? null : rest);
    }

    private static string Require(string option, string? value, SourceLocation at) =>
        value ?? throw Error(at, $"'{option}' needs a value.");

    private static string Resolve(string relative, SourceLocation at) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(at.File) ?? ".", relative));

    private static PythonEnvException Error(SourceLocation at, string message) =>
        new(DiagnosticCodes.InvalidDeclarationFile, message, at.File, at.Line, at.Column);
}
