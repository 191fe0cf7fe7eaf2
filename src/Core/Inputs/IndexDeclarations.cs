using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>
/// A named index: a <c>PythonIndex</c> item or a <c>[[tool.uv.index]]</c> entry. An explicit one is asked only
/// for the packages pinned to it; a default one takes PyPI's place as the last index searched.
/// </summary>
public sealed record NamedIndex(string Name, string Url, bool Explicit, bool Default, SourceLocation Location)
{
    /// <summary>Index names as uv allows them: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '-' or '_' or '.'));
}

/// <summary>
/// A pin: the package comes only from the named index, where <see cref="Marker"/> holds (null: everywhere). From
/// a <c>PythonPackage</c>/<c>PythonConstraint</c> item's <c>Index</c> (its <c>Marker</c> is the pin's too) or a
/// <c>[tool.uv.sources]</c> entry.
/// </summary>
public sealed record IndexPin(PackageName Package, string Index, MarkerExpression? Marker, SourceLocation Location);

/// <summary>A <c>PythonIndex</c> item as written: not yet validated.</summary>
public sealed record IndexItem(string Name, string? Url, string? Explicit, string? Default, string? File)
{
    public const string ItemType = "PythonIndex";

    /// <summary>The named index, or the PYENV1010 errors saying what is wrong with the item and what to write.</summary>
    public (NamedIndex? Index, List<PythonEnvException> Errors) Validate()
    {
        var errors = new List<PythonEnvException>();
        var name = Name.Trim();
        void Fail(string metadata, string message)
        {
            var (line, column) = ItemLocator.Find(File, ItemType, Name, metadata);
            errors.Add(new PythonEnvException(DiagnosticCodes.UnknownIndex, message, File, line, column));
        }

        if (!NamedIndex.IsValidName(name))
        {
            Fail("Include", $"PythonIndex \"{Name}\": an index name is letters, digits, '-', '_' and '.' (e.g. Include=\"pytorch-cu121\").");
        }

        var url = Url?.Trim() ?? "";
        // A local folder laid out as a simple index may be a path (relative to the project), as for PythonIndexUrl.
        var isPath = url.Length > 0 && !url.Contains("://");
        if (url.Length == 0 || (!isPath && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https" or "file"))))
        {
            Fail("Url", $"PythonIndex \"{Name}\" needs Url: an http(s) or file URL of a simple index, or a folder laid out as one, e.g. Url=\"https://download.pytorch.org/whl/cu121\"" +
                (url.Length == 0 ? "." : $", not '{Index.UrlText.Mask(url)}'."));
        }
        else if (!isPath && new Uri(url).UserInfo.Length > 0)
        {
            Fail("Url", $"PythonIndex \"{Name}\" writes credentials into its Url ('{Index.UrlText.Mask(url)}'), which MSBuild logs with the project's items. " +
                "Remove them and give them as PYTHONENV_INDEX_<HOST>_USERNAME/_PASSWORD environment variables or in ~/.netrc.");
        }

        var isExplicit = Flag("Explicit", Explicit, Fail);
        var isDefault = Flag("Default", Default, Fail);
        var at = ItemLocator.Find(File, ItemType, Name, "Include");
        return errors.Count > 0 ? (null, errors) : (new NamedIndex(name, url, isExplicit, isDefault, new SourceLocation(File ?? $"PythonIndex \"{Name}\"", at.Line, at.Column)), errors);
    }

    private bool Flag(string metadata, string? value, Action<string, string> fail)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0 || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        fail(metadata, $"PythonIndex \"{Name}\" has {metadata}=\"{value}\"; write true or false.");
        return false;
    }
}

/// <summary>
/// Checks the named indexes and pins of one project together: every pin names a defined index, a name is defined
/// once (or twice with the same URL), at most one index is the default, and pins of one package to different
/// indexes never apply at once.
/// </summary>
internal static class IndexDeclarationChecks
{
    public static IEnumerable<PythonEnvException> Check(IReadOnlyList<NamedIndex> indexes, IReadOnlyList<IndexPin> pins, MarkerExpression universe)
    {
        var byName = new Dictionary<string, NamedIndex>(StringComparer.Ordinal);
        foreach (var index in indexes)
        {
            if (byName.TryGetValue(index.Name, out var first))
            {
                if (!SameUrl(first.Url, index.Url))
                {
                    yield return Error(DiagnosticCodes.UnknownIndex, index.Location,
                        $"The index '{index.Name}' is defined twice with different URLs: at {first.Location} and here. Give one of them another name.");
                }

                continue;
            }

            byName[index.Name] = index;
        }

        var defaults = indexes.Where(index => index.Default).GroupBy(index => index.Name).Select(group => group.First()).ToList();
        if (defaults.Count > 1)
        {
            yield return Error(DiagnosticCodes.UnknownIndex, defaults[1].Location,
                $"Two indexes are the default: '{defaults[0].Name}' (at {defaults[0].Location}) and '{defaults[1].Name}'. Mark only one Default=\"true\" (default = true).");
        }

        foreach (var pin in pins.Where(pin => !byName.ContainsKey(pin.Index)))
        {
            var known = byName.Count == 0 ? "none is defined" : "defined: " + string.Join(", ", byName.Keys.OrderBy(k => k, StringComparer.Ordinal));
            yield return Error(DiagnosticCodes.UnknownIndex, pin.Location,
                $"{pin.Package} is pinned to the index '{pin.Index}', which no PythonIndex item or [[tool.uv.index]] defines ({known}). " +
                $"Add <PythonIndex Include=\"{pin.Index}\" Url=\"...\" Explicit=\"true\" />, or fix the name.");
        }

        foreach (var same in pins.Where(pin => byName.ContainsKey(pin.Index)).GroupBy(pin => pin.Package))
        {
            var list = same.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    var both = universe.And(a.Marker ?? MarkerExpression.Always).And(b.Marker ?? MarkerExpression.Always);
                    if (SameUrl(byName[a.Index].Url, byName[b.Index].Url) || both.IsNever)
                    {
                        continue;
                    }

                    yield return Error(DiagnosticCodes.OverlappingIndexPins, b.Location,
                        $"{a.Package} is pinned to two indexes where both pins apply ({(a.Marker ?? MarkerExpression.Always).And(b.Marker ?? MarkerExpression.Always).Simplify()}): '{a.Index}' at {a.Location} and '{b.Index}' here. " +
                        "Give the pins markers that exclude each other (sys_platform == 'darwin' and sys_platform != 'darwin'), or remove one.");
                }
            }
        }
    }

    private static bool SameUrl(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    private static PythonEnvException Error(string code, SourceLocation at, string message) => new(code, message, at.File, at.Line, at.Column);
}
