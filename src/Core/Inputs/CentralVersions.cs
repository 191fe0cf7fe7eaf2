using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>
/// Central Python versions (<c>PythonPackageVersion</c> items, usually in Directory.Packages.props), the Python side
/// of NuGet's central package management: each is a constraint on its package in every project (so transitive
/// dependencies are pinned too, as NuGet's CentralPackageTransitivePinningEnabled does), and a requirement whose
/// range shares no version with it is PYENV1020 naming both places. A project's own <c>VersionOverride</c> on a
/// <c>PythonPackage</c> lifts the central version for that package in that project only.
/// </summary>
public static class CentralVersions
{
    /// <summary>
    /// The central versions as constraints, minus the packages in <paramref name="overridden"/>, and an error for each
    /// requirement that contradicts one, or central version declared twice.
    /// </summary>
    public static (IReadOnlyList<DeclaredRequirement> Constraints, IReadOnlyList<PythonEnvException> Errors) Apply(
        IEnumerable<PackageDeclaration> centralItems, IReadOnlyList<DeclaredRequirement> requirements, ISet<string> overridden)
    {
        var errors = new List<PythonEnvException>();
        var central = new Dictionary<string, DeclaredRequirement>(StringComparer.Ordinal);
        foreach (var item in centralItems)
        {
            var validation = PackageDeclarationValidator.Validate(item);
            errors.AddRange(validation.Errors);
            if (validation.Requirement is not { } requirement)
            {
                continue;
            }

            var (line, column) = ItemLocator.Find(item.File, item.ItemType, item.Name, "Include", item.Metadata);
            var declared = new DeclaredRequirement(requirement, null, new SourceLocation(item.File ?? item.Description, line, column));
            if (central.TryGetValue(requirement.PackageName.Normalized, out var first))
            {
                // NuGet's NU1506: one central version per package, or which one wins depends on import order.
                errors.Add(new PythonEnvException(DiagnosticCodes.CentralVersionDuplicate,
                    $"{requirement.PackageName} has two central versions: \"{first.Requirement.Specifier}\" at {first.Where} and \"{requirement.Specifier}\" at {declared.Where}. Keep one PythonPackageVersion item per package.",
                    declared.Location.File, declared.Location.Line, declared.Location.Column));
                continue;
            }

            central[requirement.PackageName.Normalized] = declared;
        }

        foreach (var requirement in requirements)
        {
            var name = requirement.Requirement.PackageName.Normalized;
            if (overridden.Contains(name) || !central.TryGetValue(name, out var pin))
            {
                continue;
            }

            var shared = VersionSet.FromSpecifierSet(requirement.Requirement.Specifier).Intersect(VersionSet.FromSpecifierSet(pin.Requirement.Specifier));
            if (shared.IsEmpty)
            {
                errors.Add(new PythonEnvException(DiagnosticCodes.CentralVersionConflict,
                    $"{requirement.Requirement.PackageName} is declared as \"{requirement.Requirement}\" at {requirement.Where}, which contradicts its central version " +
                    $"\"{pin.Requirement.Specifier}\" at {pin.Where}. Remove the version from the declaration (the central one applies), change the central version, " +
                    "or write VersionOverride=\"...\" on this project's PythonPackage item to use another range in this project only.",
                    requirement.Location.File, requirement.Location.Line, requirement.Location.Column));
            }
        }

        return (central.Where(c => !overridden.Contains(c.Key)).Select(c => c.Value).ToList(), errors);
    }
}
