using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// MSBuild property values that hold lists, trimmed and without empty entries. On the command line MSBuild itself
/// splits <c>-p:</c> values at <c>;</c> and <c>,</c> (MSB1006 for <c>-p:PythonUpgrade=a;b</c>), so every list also
/// takes the separators that survive there: spaces (<c>-p:PythonUpgrade="a b"</c>) and, quoted for MSBuild,
/// commas (<c>-p:PythonUpgrade=\"a,b\"</c>).
/// </summary>
internal static class PropertyLists
{
    /// <summary>Names (packages, extras, groups) separated by <c>;</c>, <c>,</c> or whitespace.</summary>
    public static List<string> Names(string? text) => Clean((text ?? "").Split([';', ',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// PEP 508 markers (<c>PythonEnvironments</c>) separated by <c>;</c> or by a <c>,</c> outside quotes (a marker has
    /// commas only inside its quoted strings); whitespace belongs to the markers.
    /// </summary>
    public static List<string> Markers(string? text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in text ?? "")
        {
            if (quote is null && (c == ';' || c == ','))
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = quote is null ? c : quote == c ? null : quote;
            }
            current.Append(c);
        }
        parts.Add(current.ToString());
        return Clean(parts);
    }

    private static readonly Regex LocationSeparator = new(@";|[,\s]+(?=[A-Za-z][A-Za-z0-9+.\-]*://)", RegexOptions.CultureInvariant);

    /// <summary>
    /// Index URLs and find-links locations separated by <c>;</c>, or by <c>,</c> or whitespace before the next URL
    /// (<c>scheme://</c>): a folder path may hold spaces and commas, so folders are separated by <c>;</c>.
    /// </summary>
    public static List<string> Locations(string? text) => Clean(LocationSeparator.Split(text ?? ""));

    private static List<string> Clean(IEnumerable<string> parts) =>
        parts.Select(part => part.Trim()).Where(part => part.Length > 0).ToList();
}
