using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>The outcome of validating one <see cref="PackageDeclaration"/>.</summary>
public sealed class DeclarationValidation
{
    internal DeclarationValidation(PackageDeclaration declaration, Requirement? requirement, string? group, IReadOnlyList<PythonEnvException> errors)
    {
        Declaration = declaration;
        Requirement = requirement;
        Group = group;
        Errors = errors;
    }

    /// <summary>The declaration that was checked.</summary>
    public PackageDeclaration Declaration { get; }

    /// <summary>The PEP 508 requirement the declaration stands for; null when it is invalid.</summary>
    public Requirement? Requirement { get; }

    /// <summary>The PEP 735 group, normalized (PEP 503 rules); null for the main dependencies.</summary>
    public string? Group { get; }

    /// <summary>PYENV1001 diagnostics, one per problem, naming the declaration and what to write instead.</summary>
    public IReadOnlyList<PythonEnvException> Errors { get; }

    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks a declared package part by part (name, version, extras, marker, group) so each problem is
/// reported on its own with a precise reason, then assembles the PEP 508 requirement it stands for.
/// </summary>
public static class PackageDeclarationValidator
{
    private static readonly char[] ExtraSeparators = { ',', ';' };

    public static DeclarationValidation Validate(PackageDeclaration declaration)
    {
        _ = declaration ?? throw new ArgumentNullException(nameof(declaration));
        var problems = new List<(string Metadata, string Message)>();

        var name = declaration.Name.Trim();
        if (!PackageName.TryParse(name, out _))
        {
            problems.Add(("Include", $"{declaration.Description} is not a valid package name: {DescribeBadName(name)}"));
        }

        // VersionOverride (central package management) takes the place of Version.
        var versionMetadata = string.IsNullOrWhiteSpace(declaration.VersionOverride) ? "Version" : "VersionOverride";
        var version = (declaration.VersionOverride ?? declaration.Version)?.Trim();
        if (!string.IsNullOrEmpty(version))
        {
            try
            {
                SpecifierSet.Parse(version!);
            }
            catch (PackagingFormatException e)
            {
                problems.Add((versionMetadata, $"{declaration.Description} has an invalid {versionMetadata} \"{version}\": {SpecifierHints.Explain(version!, e.Reason)}"));
            }
        }
        else if (declaration.Kind == DeclarationKind.CentralVersion)
        {
            problems.Add(("Version", $"{declaration.Description} has no Version: a central version names the range every project of the repository uses, such as Version=\"==1.26.4\"."));
        }
        else if (declaration.Kind == DeclarationKind.Constraint && string.IsNullOrWhiteSpace(declaration.Index))
        {
            problems.Add(("Version", $"{declaration.Description} has no Version: a constraint limits which versions may be chosen, so it needs a specifier such as Version=\"<3\" (or an Index, to only pin the package to an index)."));
        }

        var extras = SplitExtras(declaration.Extras);
        foreach (var extra in extras.Where(e => !PackageName.IsValid(e)))
        {
            problems.Add(("Extras", $"{declaration.Description} has an invalid extra \"{extra}\" in Extras=\"{declaration.Extras}\": extra names are letters, digits, '.', '_' and '-', starting and ending with a letter or digit; separate several with ','."));
        }

        if (extras.Count > 0 && declaration.Kind != DeclarationKind.Package)
        {
            problems.Add(("Extras", $"{declaration.Description} has Extras=\"{declaration.Extras}\": a constraint only limits versions; request extras on the PythonPackage item."));
        }

        var marker = declaration.Marker?.Trim();
        if (!string.IsNullOrEmpty(marker))
        {
            try
            {
                MarkerExpression.Parse(marker!);
            }
            catch (PackagingFormatException e)
            {
                problems.Add(("Marker", $"{declaration.Description} has an invalid Marker \"{marker}\": {e.Reason}"));
            }
        }

        if (declaration.Index is { } index && !NamedIndex.IsValidName(index.Trim()))
        {
            problems.Add(("Index", $"{declaration.Description} has an invalid Index \"{index}\": name a PythonIndex item (letters, digits, '-', '_' and '.'), e.g. Index=\"pytorch-cu121\"."));
        }

        var group = declaration.Group?.Trim();
        if (!string.IsNullOrEmpty(group))
        {
            if (declaration.Kind != DeclarationKind.Package)
            {
                problems.Add(("Group", $"{declaration.Description} has Group=\"{group}\": constraints apply to every group; remove Group."));
            }
            else if (!PackageName.IsValid(group))
            {
                problems.Add(("Group", $"{declaration.Description} has an invalid Group \"{group}\": dependency group names (PEP 735) are letters, digits, '.', '_' and '-', starting and ending with a letter or digit."));
            }
        }

        if (problems.Count > 0)
        {
            var errors = problems
                .Select(p =>
                {
                    var position = ItemLocator.Find(declaration.File, declaration.ItemType, declaration.Name, p.Metadata, declaration.Metadata);
                    return new PythonEnvException(DiagnosticCodes.InvalidDeclaration, p.Message, declaration.File, position.Line, position.Column);
                })
                .ToList();
            return new DeclarationValidation(declaration, null, null, errors);
        }

        // Every part is valid on its own, so the assembled PEP 508 string is too.
        var text = name
            + (extras.Count > 0 ? "[" + string.Join(",", extras) + "]" : "")
            + (string.IsNullOrEmpty(version) ? "" : " " + version)
            + (string.IsNullOrEmpty(marker) ? "" : "; " + marker);
        return new DeclarationValidation(
            declaration,
            Requirement.Parse(text),
            string.IsNullOrEmpty(group) ? null : PackageName.Normalize(group!),
            Array.Empty<PythonEnvException>());
    }

    private static List<string> SplitExtras(string? extras) =>
        extras is null
            ? new List<string>()
            : extras.Split(ExtraSeparators).Select(e => e.Trim()).Where(e => e.Length > 0).ToList();

    /// <summary>
    /// Says why a name is not valid; when the text is a whole PEP 508 requirement (<c>requests&gt;=2</c>,
    /// <c>requests[socks]</c>), says which metadata the extra parts belong in.
    /// </summary>
    private static string DescribeBadName(string name)
    {
        if (Requirement.TryParse(name, out var requirement))
        {
            var moves = new List<string>();
            if (requirement.Extras.Count > 0)
            {
                moves.Add($"Extras=\"{string.Join(",", requirement.Extras)}\"");
            }

            var specifier = $"{requirement.Specifier}";
            if (specifier.Length > 0)
            {
                moves.Add($"Version=\"{specifier}\"");
            }

            if (requirement.Marker is not null)
            {
                moves.Add($"Marker=\"{requirement.Marker}\"");
            }

            if (moves.Count > 0)
            {
                return $"Include takes the name only; write Include=\"{requirement.Name}\" {string.Join(" ", moves)}.";
            }
        }

        try
        {
            PackageName.Parse(name);
            return "it is not a package name.";
        }
        catch (PackagingFormatException e)
        {
            return e.Reason + ".";
        }
    }
}
