using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using Tomlyn.Model;

namespace PythonEnv.Inputs;

/// <summary>
/// uv's index settings in <c>pyproject.toml</c>, so a uv project builds unchanged: <c>[[tool.uv.index]]</c> (name,
/// url, explicit, default) and the index pins of <c>[tool.uv.sources]</c>, one table or a list of them with
/// markers. Source kinds the SDK cannot lock (git, path, url, workspace, editable) are PYENV1012 at their line:
/// ignoring them would lock the package from an index instead, a silently different environment.
/// </summary>
internal sealed class UvSourcesReader
{
    /// <summary>Keys of a source that name another kind of source than an index.</summary>
    private static readonly string[] OtherKinds = ["git", "path", "url", "workspace", "editable"];

    /// <summary>uv index keys about publishing, authentication and caching: they do not change what is locked.</summary>
    private static readonly string[] IgnoredIndexKeys = ["publish-url", "authenticate", "ignore-error-codes", "cache-control"];

    private readonly PyProject.Reader _reader;

    public UvSourcesReader(PyProject.Reader reader) => _reader = reader;

    public IReadOnlyList<NamedIndex> Indexes(TomlTable uv)
    {
        if (!uv.TryGetValue("index", out var value))
        {
            return [];
        }

        if (value is not TomlTableArray entries)
        {
            throw _reader.SchemaError("tool.uv.index", "must be an array of tables ([[tool.uv.index]] entries with name and url).");
        }

        var indexes = new List<NamedIndex>();
        for (var i = 0; i < entries.Count; i++)
        {
            var path = $"tool.uv.index[{i}]";
            var entry = entries[i];
            if (entry.Keys.FirstOrDefault(key => key is not ("name" or "url" or "explicit" or "default" or "format") && !IgnoredIndexKeys.Contains(key)) is { } key)
            {
                throw _reader.SchemaError($"{path}.{key}", $"'{key}' is not an index setting the SDK knows (name, url, explicit, default).");
            }

            if (entry.TryGetValue("format", out var format) && _reader.String(format, $"{path}.format") != "simple")
            {
                throw Unsupported($"{path}.format", "a 'flat' index (a page or folder of files) cannot be pinned; list it in PythonFindLinks instead.");
            }

            var url = entry.TryGetValue("url", out var urlValue) ? _reader.String(urlValue, $"{path}.url") : throw _reader.SchemaError(path, "has no url.");
            // An unnamed index can be searched but not pinned to; it gets its URL as its name.
            var name = entry.TryGetValue("name", out var nameValue) ? _reader.String(nameValue, $"{path}.name") : url;
            if (entry.ContainsKey("name") && !NamedIndex.IsValidName(name))
            {
                throw _reader.SchemaError($"{path}.name", $"'{name}' is not an index name (letters, digits, '-', '_' and '.').");
            }

            var isExplicit = entry.TryGetValue("explicit", out var explicitValue) && Boolean(explicitValue, $"{path}.explicit");
            var isDefault = entry.TryGetValue("default", out var defaultValue) && Boolean(defaultValue, $"{path}.default");
            indexes.Add(new NamedIndex(name, url, isExplicit, isDefault, _reader.Locate(path)));
        }

        return indexes;
    }

    public IReadOnlyList<IndexPin> Pins(TomlTable uv)
    {
        if (!uv.TryGetValue("sources", out var value))
        {
            return [];
        }

        var pins = new List<IndexPin>();
        foreach (var source in _reader.Table(value, "tool.uv.sources"))
        {
            var path = $"tool.uv.sources.{source.Key}";
            if (!PackageName.TryParse(source.Key, out var package))
            {
                throw _reader.SchemaError(path, $"'{source.Key}' is not a package name.");
            }

            if (source.Value is TomlArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    pins.Add(Pin(package!, _reader.Table(list[i]!, $"{path}[{i}]"), $"{path}[{i}]"));
                }
            }
            else
            {
                pins.Add(Pin(package!, _reader.Table(source.Value!, path), path));
            }
        }

        return pins;
    }

    private IndexPin Pin(PackageName package, TomlTable source, string path)
    {
        if (OtherKinds.FirstOrDefault(source.ContainsKey) is { } kind)
        {
            throw Unsupported($"{path}.{kind}",
                $"{package} comes from a {kind} source, which PythonEnv.Sdk cannot lock (only index sources: {{ index = \"name\" }}). " +
                "Build it into a wheel and list its folder in PythonFindLinks, or publish it to an index and pin it there.");
        }

        if (source.Keys.FirstOrDefault(key => key is not ("index" or "marker")) is { } key)
        {
            throw Unsupported($"{path}.{key}", $"'{key}' on a source is not supported (only index and marker): the SDK pins a package to one index per marker.");
        }

        if (!source.TryGetValue("index", out var index))
        {
            throw _reader.SchemaError(path, "has no index: write { index = \"name\" } with a name from [[tool.uv.index]].");
        }

        MarkerExpression? marker = null;
        if (source.TryGetValue("marker", out var markerValue))
        {
            var text = _reader.String(markerValue, $"{path}.marker");
            try
            {
                marker = MarkerExpression.Parse(text);
            }
            catch (PackagingFormatException e)
            {
                throw _reader.SchemaError($"{path}.marker", $"\"{text}\" is not a PEP 508 marker: {e.Reason}.");
            }
        }

        return new IndexPin(package, _reader.String(index, $"{path}.index"), marker, _reader.Locate(path));
    }

    private bool Boolean(object value, string path) => value as bool? ?? throw _reader.SchemaError(path, "must be true or false.");

    private PythonEnvException Unsupported(string path, string message)
    {
        var at = _reader.Locate(path);
        return new PythonEnvException(DiagnosticCodes.UnsupportedSource, $"'{path}': {message}", at.File, at.Line, at.Column);
    }
}
