using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>
/// One requirement as the user declared it: the parsed PEP 508 requirement, the dependency group it belongs
/// to (null for the project's main dependencies; PEP 735 names are normalized) and where it was written.
/// </summary>
public sealed record DeclaredRequirement(Requirement Requirement, string? Group, SourceLocation Location)
{
    /// <summary>
    /// The project or package the requirement came from when it is not the one being locked (<c>project Lib</c>,
    /// <c>package Contoso.Lib 1.0.0</c>): it flowed in through a ProjectReference or a PackageReference.
    /// </summary>
    public string? Origin { get; init; }

    /// <summary>How messages name the declaration: its place, and the project it came from when that is another.</summary>
    public string Where => Origin is null ? Location.ToString() : $"{Location}, from {Origin}";

    public override string ToString() => Group is null ? $"{Requirement} ({Where})" : $"{Requirement} [group {Group}] ({Where})";
}
