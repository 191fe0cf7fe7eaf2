using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using Microsoft.Build.Framework;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Where a property got its value: a file, the line and column of the element when known, and how.</summary>
internal sealed record PropertyOrigin(string File, int Line, int Column, PropertySource Source);

internal enum PropertySource
{
    /// <summary>An element in the project or in a file it imports (<see cref="PropertyOrigin.Line"/> says where).</summary>
    ProjectFile,

    /// <summary>A global property: <c>-p:</c> on the command line, or a parent build's <c>Properties</c>.</summary>
    GlobalProperty,

    /// <summary>An environment variable of the same name (MSBuild reads those as properties).</summary>
    Environment,

    /// <summary>Not found: the project file is named without a line.</summary>
    Unknown,
}

/// <summary>
/// Finds where a project sets a property, so a diagnostic about its value points at that line and not at the
/// SDK's targets. MSBuild keeps no property positions for tasks, so this reads the XML again, in evaluation
/// order: <c>Directory.Build.props</c>, the project (its imports inline), <c>Directory.Build.targets</c>. The
/// last element whose text is the value wins (as the last assignment does in MSBuild); failing that, the last one
/// computed from other properties; failing that, the last one at all. SDK files are never searched.
/// </summary>
internal static class PropertyLocator
{
    private const int MaxImportDepth = 16;

    /// <param name="files">The files to search in evaluation order (missing ones are skipped).</param>
    /// <param name="globalProperties">The build's global properties (-p:), which no project element can override.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static PropertyOrigin Find(
        string projectFile, IEnumerable<string> files, string name, string value,
        IReadOnlyDictionary<string, string>? globalProperties, Func<string, string?> environment)
    {
        if (globalProperties is not null && globalProperties.ContainsKey(name))
        {
            return new PropertyOrigin(projectFile, 0, 0, PropertySource.GlobalProperty);
        }

        var elements = new List<(string File, int Line, int Column, string Text)>();
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        foreach (var file in files)
        {
            Collect(file, name, projectDirectory, elements, depth: 0);
        }

        var best = Last(elements, e => e.Text.Trim() == value.Trim())
            ?? Last(elements, e => e.Text.Contains("$("))
            ?? Last(elements, _ => true);
        if (best is { } found)
        {
            return new PropertyOrigin(found.File, found.Line, found.Column, PropertySource.ProjectFile);
        }

        return environment(name) is { Length: > 0 }
            ? new PropertyOrigin(projectFile, 0, 0, PropertySource.Environment)
            : new PropertyOrigin(projectFile, 0, 0, PropertySource.Unknown);
    }

    /// <summary>Where the build running <paramref name="task"/> set <paramref name="name"/> (global properties and environment included).</summary>
    public static PropertyOrigin Find(ITask task, string projectFile, IEnumerable<string> files, string name, string value)
    {
        var globals = (task.BuildEngine as IBuildEngine6)?.GetGlobalProperties();
        return Find(projectFile, files.Where(file => !string.IsNullOrWhiteSpace(file)), name, value,
            globals?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase),
            Environment.GetEnvironmentVariable);
    }

    /// <summary>How the origin is said in a message: empty for a project line, else where the value came from.</summary>
    public static string Describe(PropertyOrigin origin, string name, string? value) => origin.Source switch
    {
        PropertySource.GlobalProperty => $" (It is set on the command line or by a parent build: -p:{name}{(value is null ? "" : "=" + value)}.)",
        PropertySource.Environment => $" (It comes from the environment variable {name}.)",
        _ => "",
    };

    private static (string File, int Line, int Column, string Text)? Last(
        List<(string File, int Line, int Column, string Text)> elements, Func<(string File, int Line, int Column, string Text), bool> match)
    {
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            if (match(elements[i]))
            {
                return elements[i];
            }
        }

        return null;
    }

    /// <summary>Every <c>&lt;name&gt;</c> element under a <c>PropertyGroup</c> of the file, imports followed where they are written.</summary>
    private static void Collect(string file, string name, string projectDirectory, List<(string File, int Line, int Column, string Text)> found, int depth)
    {
        if (depth > MaxImportDepth || string.IsNullOrWhiteSpace(file) || !File.Exists(file))
        {
            return;
        }

        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
            using var reader = XmlReader.Create(file, settings);
            var lineInfo = (IXmlLineInfo)reader;
            var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            var groups = new Stack<bool>();
            var more = reader.Read();
            while (more)
            {
                if (reader.NodeType == XmlNodeType.Element && groups.Count > 0 && groups.Peek() && reader.LocalName == name)
                {
                    var (line, column) = (lineInfo.LineNumber, Math.Max(1, lineInfo.LinePosition - 1));
                    // Reads the element whole and stops on the node after it, which the loop looks at next.
                    found.Add((file, line, column, reader.ReadInnerXml()));
                    more = !reader.EOF;
                    continue;
                }

                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    groups.Pop();
                }
                else if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.LocalName == "Import" && reader.GetAttribute("Sdk") is null && Resolve(reader.GetAttribute("Project"), directory, file, projectDirectory) is { } imported)
                    {
                        Collect(imported, name, projectDirectory, found, depth + 1);
                    }

                    if (!reader.IsEmptyElement)
                    {
                        groups.Push(reader.LocalName == "PropertyGroup");
                    }
                }

                more = reader.Read();
            }
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            // A file MSBuild could read but we cannot: fewer candidates, never a failure.
        }
    }

    /// <summary>An import's path when it needs nothing but the importing file's own location to resolve.</summary>
    private static string? Resolve(string? project, string directory, string file, string projectDirectory)
    {
        if (string.IsNullOrWhiteSpace(project))
        {
            return null;
        }

        var path = project!.Trim()
            .Replace("$(MSBuildThisFileDirectory)", directory + Path.DirectorySeparatorChar)
            .Replace("$(MSBuildThisFileFullPath)", file)
            .Replace("$(MSBuildProjectDirectory)", projectDirectory);
        if (path.Contains("$(") || path.IndexOfAny(['*', '?', ';']) >= 0)
        {
            return null;
        }

        try
        {
            return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }
}
