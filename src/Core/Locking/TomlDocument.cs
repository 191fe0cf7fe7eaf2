using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace PythonEnv.Locking;

/// <summary>
/// A TOML document as Tomlyn's model (<see cref="TomlTable"/>, <see cref="TomlArray"/>, <see cref="TomlTableArray"/>),
/// built from Tomlyn's validated syntax tree, with the line of every key for diagnostics.
/// </summary>
/// <remarks>
/// Tomlyn's own deserializer keeps only the last part of a table or array of tables that the document
/// splits around another table (<c>[[packages]]</c>, <c>[tool]</c>, <c>[[packages]]</c> is valid TOML) and
/// accepts duplicate keys; its syntax parser validates the whole TOML grammar and semantics, so the model
/// is built from that tree, the way the TOML specification defines tables: by their header's full key.
/// </remarks>
internal sealed class TomlDocument
{
    private readonly ConditionalWeakTable<TomlTable, Lines> _lines = new();

    private TomlDocument(TomlTable root) => Root = root;

    public TomlTable Root { get; }

    /// <summary>Parses <paramref name="text"/>; invalid TOML is the first error Tomlyn finds, with its 1-based line.</summary>
    public static TomlDocument Parse(string text, string sourceName, out (int Line, string Message)? error)
    {
        var syntax = SyntaxParser.Parse(text, sourceName, validate: true);
        var document = new TomlDocument(new TomlTable());
        if (syntax.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error) is { } first)
        {
            error = (first.Span.Start.Line + 1, first.Message);
            return document;
        }

        error = null;
        document.Build(syntax);
        return document;
    }

    /// <summary>The 1-based line of <paramref name="key"/> in <paramref name="table"/>, else the table's own line.</summary>
    public int Line(TomlTable table, string key) =>
        _lines.TryGetValue(table, out var lines) && lines.Keys.TryGetValue(key, out var line) ? line : Line(table);

    /// <summary>The 1-based line of <paramref name="table"/>'s first key, else of its header; 0 when unknown.</summary>
    public int Line(TomlTable table) =>
        _lines.TryGetValue(table, out var lines) ? (lines.Keys.Count > 0 ? lines.Keys.Values.Min() : lines.Header ?? 0) : 0;

    private void Build(DocumentSyntax syntax)
    {
        foreach (var keyValue in syntax.KeyValues)
        {
            Assign(Root, keyValue);
        }

        foreach (var header in syntax.Tables)
        {
            var path = Keys(header.Name!);
            var parent = Root;
            foreach (var key in path.Take(path.Count - 1))
            {
                parent = Child(parent, key, Line(header));
            }

            var name = path[path.Count - 1];
            TomlTable table;
            if (header is TableArraySyntax)
            {
                if (!parent.TryGetValue(name, out var existing) || existing is not TomlTableArray array)
                {
                    array = new TomlTableArray();
                    parent[name] = array;
                    Record(parent, name, Line(header));
                }

                table = new TomlTable();
                array.Add(table);
            }
            else
            {
                table = Child(parent, name, Line(header));
            }

            LinesOf(table).Header = Line(header);
            foreach (var item in header.Items)
            {
                if (item is KeyValueSyntax keyValue)
                {
                    Assign(table, keyValue);
                }
            }
        }
    }

    /// <summary>Sets a (possibly dotted) key; dotted keys create the tables they name.</summary>
    private void Assign(TomlTable table, KeyValueSyntax keyValue)
    {
        var path = Keys(keyValue.Key!);
        var line = Line(keyValue);
        foreach (var key in path.Take(path.Count - 1))
        {
            table = Child(table, key, line);
        }

        table[path[path.Count - 1]] = Value(keyValue.Value!);
        Record(table, path[path.Count - 1], line);
    }

    /// <summary>The table under <paramref name="key"/>: the last one of an array of tables, or a table made for it.</summary>
    private TomlTable Child(TomlTable parent, string key, int line)
    {
        switch (parent.TryGetValue(key, out var value) ? value : null)
        {
            case TomlTable table:
                return table;
            case TomlTableArray array when array.Count > 0:
                return array[array.Count - 1];
            default:
                var created = new TomlTable();
                parent[key] = created;
                Record(parent, key, line);
                LinesOf(created).Header ??= line;
                return created;
        }
    }

    private object Value(ValueSyntax value)
    {
        switch (value)
        {
            case StringValueSyntax text:
                return text.Value!;
            case IntegerValueSyntax integer:
                return integer.Value;
            case FloatValueSyntax number:
                return number.Value;
            case BooleanValueSyntax boolean:
                return boolean.Value;
            case DateTimeValueSyntax time:
                return time.Value;
            case ArraySyntax array:
                var items = new TomlArray();
                foreach (var item in array.Items)
                {
                    items.Add(Value(item.Value!));
                }

                return items;
            case InlineTableSyntax inline:
                var table = new TomlTable(true);
                LinesOf(table).Header = Line(inline);
                foreach (var item in inline.Items)
                {
                    Assign(table, item.KeyValue!);
                }

                return table;
            default:
                throw new System.InvalidOperationException($"unsupported TOML value {value.GetType().Name}");
        }
    }

    private static List<string> Keys(KeySyntax key)
    {
        var keys = new List<string> { Text(key.Key!) };
        keys.AddRange(key.DotKeys.Select(dotted => Text(dotted.Key!)));
        return keys;
    }

    private static string Text(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => key.ToString(),
    };

    // Syntax spans count lines from 0; diagnostics from 1.
    private static int Line(SyntaxNode node) => node.Span.Start.Line + 1;

    private void Record(TomlTable table, string key, int line)
    {
        var lines = LinesOf(table);
        if (!lines.Keys.ContainsKey(key))
        {
            lines.Keys[key] = line;
        }
    }

    private Lines LinesOf(TomlTable table) => _lines.GetValue(table, _ => new Lines());

    private sealed class Lines
    {
        public int? Header { get; set; }

        public Dictionary<string, int> Keys { get; } = new(System.StringComparer.Ordinal);
    }
}
