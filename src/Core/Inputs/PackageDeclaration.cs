using System;
using System.Collections.Generic;

namespace PythonEnv.Inputs;

/// <summary>Whether a declaration asks for a package or only limits its versions.</summary>
public enum DeclarationKind
{
    /// <summary>A direct dependency (<c>PythonPackage</c> item).</summary>
    Package,

    /// <summary>A version limit that does not require the package (<c>PythonConstraint</c> item).</summary>
    Constraint,

    /// <summary>A central version every project of a repository agrees on (<c>PythonPackageVersion</c> item, Directory.Packages.props).</summary>
    CentralVersion,
}

/// <summary>
/// One package declared as an MSBuild item, as the user wrote it: the name (the item's <c>Include</c>)
/// and the raw metadata, not yet validated. <see cref="PackageDeclarationValidator"/> turns it into a
/// requirement or into diagnostics that point back at <see cref="File"/>.
/// </summary>
public sealed record PackageDeclaration(DeclarationKind Kind, string Name)
{
    /// <summary>PEP 440 specifier set, e.g. <c>&gt;=2.31,&lt;3</c>; null means any version.</summary>
    public string? Version { get; init; }

    /// <summary>Extras to install, separated by <c>,</c> or <c>;</c>.</summary>
    public string? Extras { get; init; }

    /// <summary>PEP 508 environment marker, e.g. <c>sys_platform == 'linux'</c>.</summary>
    public string? Marker { get; init; }

    /// <summary>PEP 735 dependency group the package belongs to; null for the project's main dependencies.</summary>
    public string? Group { get; init; }

    /// <summary>A named index (<c>PythonIndex</c> item, <c>[[tool.uv.index]]</c>) the package is pinned to, where <see cref="Marker"/> holds.</summary>
    public string? Index { get; init; }
    /// <summary>
    /// NuGet central package management's <c>VersionOverride</c>: this project's range in place of the central
    /// version (<c>PythonPackageVersion</c>), which then does not apply to the package in this project.
    /// </summary>
    public string? VersionOverride { get; init; }

    /// <summary>The file that declares the item (an MSBuild project or import), when known.</summary>
    public string? File { get; init; }

    /// <summary>The project or package the item came from when it is not the one being built (see <see cref="DeclaredRequirement.Origin"/>).</summary>
    public string? Origin { get; init; }

    /// <summary>The MSBuild item type users write for this kind of declaration.</summary>
    public string ItemType => Kind switch
    {
        DeclarationKind.Package => "PythonPackage",
        DeclarationKind.Constraint => "PythonConstraint",
        _ => "PythonPackageVersion",
    };

    /// <summary>The metadata as written on the item, by name: what tells two items of one package apart in the project file.</summary>
    public IReadOnlyDictionary<string, string?> Metadata => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Version"] = Version, ["Extras"] = Extras, ["Marker"] = Marker, ["Group"] = Group, ["Index"] = Index, ["VersionOverride"] = VersionOverride,
    };

    /// <summary>How messages name the declaration: <c>PythonPackage "requests"</c>.</summary>
    public string Description => $"{ItemType} \"{Name}\"";
}
