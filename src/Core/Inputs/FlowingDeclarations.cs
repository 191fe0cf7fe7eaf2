using System.Collections.Generic;

namespace PythonEnv.Inputs;

/// <summary>A pyproject.toml or requirements file of another project whose main dependencies flow into this one.</summary>
/// <param name="Origin">How messages name the project it belongs to (<c>project Lib</c>).</param>
public sealed record FlowingFile(string Path, string Origin);

/// <summary>
/// The declarations that flow into a project from the projects it references (ProjectReference, transitively) and
/// the packages it uses (a packed library's generated props), as NuGet dependencies flow: only main dependencies and
/// constraints, never dependency groups (a library's <c>dev</c> or <c>test</c> group is its own), extras or
/// requires-python. Items carry their <see cref="PackageDeclaration.Origin"/>. A referenced project's pins to named
/// indexes flow with its requirements, and with them the indexes they name (never as the default index), so a
/// library that takes torch from a CUDA index gives every project using it the same torch.
/// </summary>
public sealed class FlowingDeclarations
{
    public static FlowingDeclarations None { get; } = new();

    /// <summary><c>PythonPackage</c> and <c>PythonConstraint</c> items of the referenced projects.</summary>
    public IReadOnlyList<PackageDeclaration> Items { get; init; } = [];

    /// <summary>The referenced projects' pyproject.toml files: their <c>[project] dependencies</c> flow.</summary>
    public IReadOnlyList<FlowingFile> ProjectFiles { get; init; } = [];

    /// <summary>The referenced projects' <c>PythonIndex</c> items: used where a flowing pin names one the project does not define.</summary>
    public IReadOnlyList<IndexItem> Indexes { get; init; } = [];

    /// <summary>The referenced projects' requirements files of the main dependencies (no <c>Group</c>).</summary>
    public IReadOnlyList<FlowingFile> RequirementsFiles { get; init; } = [];
}
