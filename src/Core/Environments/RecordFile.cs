using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace PythonEnv.Environments;

/// <summary>One row of a RECORD file: a path (relative, '/'-separated), its hash (<c>sha256=...</c>, or empty) and size.</summary>
public sealed record RecordEntry(string Path, string Hash, long? Size);

/// <summary>
/// The RECORD file of "Recording installed projects": CSV rows of path, hash, size. Read to validate a
/// wheel and to uninstall; written for every installed distribution.
/// </summary>
public static class RecordFile
{
    private static readonly char[] QuotedCharacters = { ',', '"', '\n', '\r' };

    /// <summary>Parses RECORD text (CSV with optional double quotes, as Python's csv module writes it).</summary>
    public static IReadOnlyList<RecordEntry> Parse(string text)
    {
        var entries = new List<RecordEntry>();
        foreach (var row in ParseCsv(text))
        {
            if (row.Count == 0 || (row.Count == 1 && row[0].Length == 0))
            {
                continue;
            }
            var hash = row.Count > 1 ? row[1] : "";
            long? size = row.Count > 2 && long.TryParse(row[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            entries.Add(new RecordEntry(row[0], hash, size));
        }
        return entries;
    }

    /// <summary>Writes RECORD text: one row per entry, fields quoted only when they must be.</summary>
    public static string Write(IEnumerable<RecordEntry> entries)
    {
        var builder = new StringBuilder();
        foreach (var entry in entries)
        {
            builder.Append(Quote(entry.Path)).Append(',').Append(Quote(entry.Hash)).Append(',')
                .Append(entry.Size?.ToString(CultureInfo.InvariantCulture) ?? "").Append('\n');
        }
        return builder.ToString();
    }

    private static string Quote(string field)
        => field.IndexOfAny(QuotedCharacters) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private static IEnumerable<List<string>> ParseCsv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                row.Add(field.ToString());
                field.Clear();
                yield return row;
                row = new List<string>();
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }

    /// <summary>
    /// Whether a RECORD path (with <c>/</c>) names a file inside the distribution's site-packages folder: relative and
    /// without <c>..</c> (scripts and data installed beside it are reached with <c>..</c>).
    /// </summary>
    public static bool IsInSiteFolder(string path)
        => !path.StartsWith("/", StringComparison.Ordinal) && !path.Contains(':') && !path.Split('/').Contains("..");

    /// <summary>Whether a RECORD path (with <c>/</c>) is bytecode in a <c>__pycache__</c> folder.</summary>
    public static bool IsBytecode(string path) => path.Split('/').Contains("__pycache__");

    /// <summary>
    /// The relative path RECORD uses for <paramref name="file"/> seen from <paramref name="baseFolder"/>
    /// (site-packages): '/'-separated, with <c>..</c> steps for files elsewhere in the venv (scripts, data).
    /// </summary>
    public static string RelativePath(string baseFolder, string file)
    {
        var from = System.IO.Path.GetFullPath(baseFolder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)
            .Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        var to = System.IO.Path.GetFullPath(file).Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        var comparison = FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var common = 0;
        while (common < from.Length && common < to.Length - 1 && string.Equals(from[common], to[common], comparison))
        {
            common++;
        }
        var parts = new List<string>();
        for (var i = common; i < from.Length; i++)
        {
            parts.Add("..");
        }
        for (var i = common; i < to.Length; i++)
        {
            parts.Add(to[i]);
        }
        return string.Join("/", parts);
    }
}
