using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;

namespace PythonEnv.Inputs;

/// <summary>
/// Finds where an item is written in an MSBuild project file, so a diagnostic can name the line. MSBuild
/// does not keep item positions, so this reads the XML again, and answers only when exactly one element
/// of the item type lists the name literally in its <c>Include</c>, or, when several do, exactly one of them has
/// the item's metadata values (two <c>torch</c> items with different <c>Index</c> and <c>Marker</c>); anything
/// it cannot be sure of (names built from properties or wildcards, the same name declared twice alike) gets no
/// position rather than a wrong one.
/// </summary>
internal static class ItemLocator
{
    /// <param name="values">The item's evaluated metadata by name (<c>Version</c>, <c>Marker</c>, ...): they tell elements
    /// that include the same name apart. An attribute holding a property or item reference is taken to agree.</param>
    public static (int Line, int Column) Find(string? projectFile, string itemType, string include, string metadata, IReadOnlyDictionary<string, string?>? values = null)
    {
        if (string.IsNullOrEmpty(projectFile) || !File.Exists(projectFile))
        {
            return (0, 0);
        }

        try
        {
            var candidates = new List<(int Line, int Column, bool Agrees)>();
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
            using var reader = XmlReader.Create(projectFile!, settings);
            var lineInfo = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != itemType || !Includes(reader.GetAttribute("Include"), include))
                {
                    continue;
                }

                var agrees = values is not null && values.All(pair => Agrees(reader.GetAttribute(pair.Key), pair.Value));
                // An element's position is that of its name; step back onto the '<'.
                var found = (Line: lineInfo.LineNumber, Column: Math.Max(1, lineInfo.LinePosition - 1));
                if (metadata != "Include" && reader.MoveToAttribute(metadata))
                {
                    found = (lineInfo.LineNumber, lineInfo.LinePosition);
                }
                candidates.Add((found.Line, found.Column, agrees));
            }

            if (candidates.Count == 1)
            {
                return (candidates[0].Line, candidates[0].Column);
            }
            var agreeing = candidates.Where(c => c.Agrees).ToList();
            return agreeing.Count == 1 ? (agreeing[0].Line, agreeing[0].Column) : (0, 0);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    private static bool Agrees(string? attribute, string? value)
        => attribute is not null && (attribute.Contains("$(") || attribute.Contains("@(") || attribute.Contains("%("))
            || string.Equals(attribute?.Trim() ?? "", value?.Trim() ?? "", StringComparison.Ordinal);

    private static bool Includes(string? includeAttribute, string name)
    {
        if (includeAttribute is null)
        {
            return false;
        }

        foreach (var part in includeAttribute.Split(';'))
        {
            if (string.Equals(part.Trim(), name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
