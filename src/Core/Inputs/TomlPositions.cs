using System.Collections.Generic;
using Tomlyn.Syntax;

namespace PythonEnv.Inputs;

/// <summary>
/// Source positions of the values in a TOML document, by path (<c>project.dependencies</c>,
/// <c>project.dependencies[2]</c>, <c>dependency-groups.dev[0].include-group</c>), so schema errors and
/// bad requirement strings can name the exact line. Tomlyn's value model has no positions for array items;
/// its syntax tree does.
/// </summary>
internal sealed class TomlPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new();
    private readonly string _file;

    private TomlPositions(string file) => _file = file;

    public static TomlPositions Index(DocumentSyntax document, string file)
    {
        var positions = new TomlPositions(file);
        var arrayEntries = new Dictionary<string, int>();
        foreach (var keyValue in document.KeyValues)
        {
            positions.AddKeyValue("", keyValue);
        }
        foreach (var table in document.Tables)
        {
            var name = table.Name is null ? "" : KeyText(table.Name);
            if (table is TableArraySyntax)
            {
                // Each [[name]] entry is name[i] (tool.uv.index[1].url), counted in document order.
                var entry = arrayEntries.TryGetValue(name, out var count) ? count : 0;
                arrayEntries[name] = entry + 1;
                positions.Add(name, table.Span);
                positions.Add($"{name}[{entry}]", table.Span);
                foreach (var keyValue in table.Items)
                {
                    positions.AddKeyValue($"{name}[{entry}]", keyValue);
                }
                continue;
            }
            positions.Add(name, table.Span);
            foreach (var keyValue in table.Items)
            {
                positions.AddKeyValue(name, keyValue);
            }
        }
        return positions;
    }

    /// <summary>The location of the value at <paramref name="path"/>, or of its nearest enclosing path.</summary>
    public SourceLocation Locate(string path)
    {
        var probe = path;
        while (true)
        {
            if (_positions.TryGetValue(probe, out var at))
            {
                return new SourceLocation(_file, at.Line, at.Column);
            }
            var cut = System.Math.Max(probe.LastIndexOf('.'), probe.LastIndexOf('['));
            if (cut <= 0)
            {
                return new SourceLocation(_file);
            }
            probe = probe.Substring(0, cut);
        }
    }

    private void AddKeyValue(string prefix, KeyValueSyntax keyValue)
    {
        if (keyValue.Key is null)
        {
            return;
        }
        var path = Join(prefix, KeyText(keyValue.Key));
        Add(path, keyValue.Span);
        AddValue(path, keyValue.Value);
    }

    private void AddValue(string path, ValueSyntax? value)
    {
        switch (value)
        {
            case ArraySyntax array:
                var index = 0;
                foreach (var item in array.Items)
                {
                    var itemPath = $"{path}[{index++}]";
                    Add(itemPath, item.Span);
                    AddValue(itemPath, item.Value);
                }
                break;
            case InlineTableSyntax inline:
                foreach (var item in inline.Items)
                {
                    if (item.KeyValue is not null)
                    {
                        AddKeyValue(path, item.KeyValue);
                    }
                }
                break;
        }
    }

    private void Add(string path, SourceSpan span)
    {
        // Tomlyn positions are 0-based; diagnostics are 1-based.
        if (!_positions.ContainsKey(path))
        {
            _positions[path] = (span.Start.Line + 1, span.Start.Column + 1);
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    private static string KeyText(KeySyntax key)
    {
        var text = Part(key.Key);
        foreach (var dotted in key.DotKeys)
        {
            text += "." + Part(dotted.Key);
        }
        return text;
    }

    private static string Part(BareKeyOrStringValueSyntax? part) => part switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
