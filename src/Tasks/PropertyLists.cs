using System;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Sdk.Tasks;

/// <summary>MSBuild property values that hold lists, trimmed and without empty entries.</summary>
internal static class PropertyLists
{
    /// <summary>Entries separated by <c>;</c> only (markers and URLs may hold commas).</summary>
    public static List<string> Items(string? text) => Split(text, ';');

    /// <summary>Names (extras, groups) separated by <c>;</c> or <c>,</c>.</summary>
    public static List<string> Names(string? text) => Split(text, ';', ',');

    private static List<string> Split(string? text, params char[] separators) =>
        (text ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries).Select(part => part.Trim()).Where(part => part.Length > 0).ToList();
}
