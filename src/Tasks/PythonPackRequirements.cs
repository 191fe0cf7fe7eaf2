using System;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Inputs;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// <c>dotnet pack</c>: writes the props file that carries the library's Python requirements (its own main dependencies
/// and constraints, and what flows into it from its references) to the projects that use its package.
/// </summary>
public sealed class PythonPackRequirements : Task
{
    [Required] public string OutputFile { get; set; } = "";
    [Required] public string PackageId { get; set; } = "";
    [Required] public string PackageVersion { get; set; } = "";
    public string? ProjectFullPath { get; set; }
    public ITaskItem[] Packages { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] Constraints { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] RequirementsFiles { get; set; } = Array.Empty<ITaskItem>();
    public string? ProjectFile { get; set; }
    public ITaskItem[] ReferencedDeclarations { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] CentralVersions { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>True when the library declares anything that flows (else no file is written and none is packed).</summary>
    [Output] public bool HasRequirements { get; set; }

    public override bool Execute()
    {
        var declarations = Declarations.Gather(Packages, Constraints, RequirementsFiles, ProjectFile, ReferencedDeclarations, CentralVersions);
        foreach (var error in declarations.Errors)
        {
            Diagnostics.LogError(this, error, ProjectFullPath);
        }

        if (declarations.Errors.Count > 0)
        {
            return false;
        }

        HasRequirements = declarations.Requirements.Any(r => r.Group is null) || declarations.Constraints.Except(declarations.CentralVersions).Any();
        if (HasRequirements)
        {
            PackedRequirements.Write(declarations, PackageId, PackageVersion, OutputFile);
        }

        return !Log.HasLoggedErrors;
    }
}
