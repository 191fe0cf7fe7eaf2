using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace PythonEnv.Inputs;

/// <summary>
/// The dependency declarations of a <c>pyproject.toml</c>: PEP 621 <c>[project]</c> (<c>requires-python</c>,
/// <c>dependencies</c>, <c>optional-dependencies</c>) and PEP 735 <c>[dependency-groups]</c> with
/// <c>include-group</c> expanded. Everything else in the file is ignored, as a build frontend would.
/// </summary>
public sealed class PyProject
{
    private PyProject(string path) => Path = path;

    public string Path { get; }

    /// <summary><c>project.name</c>, when present.</summary>
    public string? Name { get; private set; }

    /// <summary><c>project.requires-python</c>, when present.</summary>
    public SpecifierSet? RequiresPython { get; private set; }

    /// <summary>Where <c>requires-python</c> was written.</summary>
    public SourceLocation? RequiresPythonLocation { get; private set; }

    /// <summary><c>project.dependencies</c>.</summary>
    public IReadOnlyList<DeclaredRequirement> Dependencies { get; private set; } = Array.Empty<DeclaredRequirement>();

    /// <summary><c>project.optional-dependencies</c>, keyed by normalized extra name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DeclaredRequirement>> OptionalDependencies { get; private set; }
        = new Dictionary<string, IReadOnlyList<DeclaredRequirement>>();

    /// <summary><c>[dependency-groups]</c>, keyed by normalized group name, includes expanded.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DeclaredRequirement>> DependencyGroups { get; private set; }
        = new Dictionary<string, IReadOnlyList<DeclaredRequirement>>();

    /// <summary><c>[[tool.uv.index]]</c>: named indexes.</summary>
    public IReadOnlyList<NamedIndex> Indexes { get; private set; } = Array.Empty<NamedIndex>();

    /// <summary><c>[tool.uv.sources]</c> index pins (other source kinds are PYENV1012).</summary>
    public IReadOnlyList<IndexPin> Pins { get; private set; } = Array.Empty<IndexPin>();

    /// <summary>Reads and validates <paramref name="path"/>; every problem is a <see cref="PythonEnvException"/>.</summary>
    public static PyProject Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile, $"cannot read the file: {e.Message}", path);
        }
        return Parse(text, path);
    }

    /// <summary>Parses pyproject.toml <paramref name="text"/>; <paramref name="path"/> names it in diagnostics.</summary>
    public static PyProject Parse(string text, string path)
    {
        var document = SyntaxParser.Parse(text, path, true);
        var syntaxError = document.Diagnostics.FirstOrDefault(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error);
        if (syntaxError is not null)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile,
                $"not valid TOML: {syntaxError.Message}. Fix the syntax at this position.",
                path, syntaxError.Span.Start.Line + 1, syntaxError.Span.Start.Column + 1);
        }

        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions
            {
                SourceName = path,
                DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
            }) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile, $"not valid TOML: {e.Message}", path, Math.Max(0, e.Line ?? 0), Math.Max(0, e.Column ?? 0));
        }

        var reader = new Reader(path, TomlPositions.Index(document, path));
        var project = new PyProject(path);
        if (root.TryGetValue("project", out var projectValue))
        {
            var table = reader.Table(projectValue, "project");
            reader.RejectDynamicDependencies(table);
            if (table.TryGetValue("name", out var name))
            {
                project.Name = reader.String(name, "project.name");
            }
            if (table.TryGetValue("requires-python", out var requiresPython))
            {
                project.RequiresPythonLocation = reader.Locate("project.requires-python");
                project.RequiresPython = reader.Specifiers(reader.String(requiresPython, "project.requires-python"), "project.requires-python");
            }
            if (table.TryGetValue("dependencies", out var dependencies))
            {
                project.Dependencies = reader.Requirements(dependencies, "project.dependencies", group: null);
            }
            if (table.TryGetValue("optional-dependencies", out var optional))
            {
                project.OptionalDependencies = reader.OptionalDependencies(reader.Table(optional, "project.optional-dependencies"));
            }
        }
        if (root.TryGetValue("dependency-groups", out var groups))
        {
            project.DependencyGroups = new DependencyGroupsReader(reader).Read(reader.Table(groups, "dependency-groups"));
        }
        if (root.TryGetValue("tool", out var tool) && reader.Table(tool, "tool").TryGetValue("uv", out var uv))
        {
            var uvReader = new UvSourcesReader(reader);
            project.Indexes = uvReader.Indexes(reader.Table(uv, "tool.uv"));
            project.Pins = uvReader.Pins(reader.Table(uv, "tool.uv"));
        }
        return project;
    }

    /// <summary>Typed access to the value model that reports schema errors at their source position.</summary>
    internal sealed class Reader
    {
        private readonly string _path;
        private readonly TomlPositions _positions;

        public Reader(string path, TomlPositions positions)
        {
            _path = path;
            _positions = positions;
        }

        public SourceLocation Locate(string tomlPath) => _positions.Locate(tomlPath);

        public PythonEnvException SchemaError(string tomlPath, string message)
        {
            var at = Locate(tomlPath);
            return new PythonEnvException(DiagnosticCodes.InvalidDeclarationFile, $"'{tomlPath}': {message}", _path, at.Line, at.Column);
        }

        public TomlTable Table(object value, string tomlPath) =>
            value as TomlTable ?? throw SchemaError(tomlPath, $"must be a table, not {Describe(value)}.");

        public string String(object value, string tomlPath) =>
            value as string ?? throw SchemaError(tomlPath, $"must be a string, not {Describe(value)}.");

        public TomlArray Array(object value, string tomlPath) =>
            value as TomlArray ?? throw SchemaError(tomlPath, $"must be an array of strings, not {Describe(value)}.");

        public SpecifierSet Specifiers(string text, string tomlPath)
        {
            try
            {
                return SpecifierSet.Parse(text);
            }
            catch (PackagingFormatException e)
            {
                var at = Locate(tomlPath);
                throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration, $"'{tomlPath}' = \"{text}\" is not a valid PEP 440 specifier set: {e.Reason}", _path, at.Line, at.Column);
            }
        }

        public DeclaredRequirement Requirement(string text, string tomlPath, string? group) =>
            DeclaredRequirementParser.Parse(text, group, Locate(tomlPath), $" in '{tomlPath}'");

        public IReadOnlyList<DeclaredRequirement> Requirements(object value, string tomlPath, string? group)
        {
            var array = Array(value, tomlPath);
            var result = new List<DeclaredRequirement>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                var itemPath = $"{tomlPath}[{i}]";
                result.Add(Requirement(String(array[i]!, itemPath), itemPath, group));
            }
            return result;
        }

        public void RejectDynamicDependencies(TomlTable project)
        {
            if (!project.TryGetValue("dynamic", out var dynamic))
            {
                return;
            }
            foreach (var field in Array(dynamic, "project.dynamic"))
            {
                if (field is "dependencies" or "optional-dependencies")
                {
                    throw SchemaError("project.dynamic",
                        $"'{field}' is dynamic, so only the build backend knows it. Declare it statically in [project] (or with PythonPackage items) so it can be locked.");
                }
            }
        }

        public IReadOnlyDictionary<string, IReadOnlyList<DeclaredRequirement>> OptionalDependencies(TomlTable table)
        {
            var result = new SortedDictionary<string, IReadOnlyList<DeclaredRequirement>>(StringComparer.Ordinal);
            foreach (var entry in table)
            {
                var tomlPath = $"project.optional-dependencies.{entry.Key}";
                if (!PackageName.TryParse(entry.Key, out var extra))
                {
                    throw SchemaError(tomlPath, $"'{entry.Key}' is not a valid extra name (letters, digits, '-', '_' and '.', starting and ending with a letter or digit).");
                }
                var name = extra!.ToString();
                if (result.ContainsKey(name))
                {
                    throw SchemaError(tomlPath, $"extra '{entry.Key}' is declared twice (extra names are compared normalized, as '{name}').");
                }
                result[name] = Requirements(entry.Value!, tomlPath, group: null);
            }
            return result;
        }

        private static string Describe(object? value) => value switch
        {
            null => "nothing",
            string => "a string",
            TomlArray => "an array",
            TomlTable => "a table",
            bool => "a boolean",
            long or int => "an integer",
            double => "a float",
            _ => "a " + value.GetType().Name,
        };
    }
}
