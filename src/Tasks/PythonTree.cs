using System;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Prints the locked dependency graph (<c>-t:PythonTree</c>, as <c>uv tree</c>), or with <see cref="Why"/> the paths
/// that pull one package in (<c>-p:PythonWhy=urllib3</c>, as <c>uv tree --invert --package</c>). Reads the lock only.
/// </summary>
public sealed class PythonTree : Task
{
    [Required] public string LockFile { get; set; } = "";

    /// <summary>The name the tree's root is shown with (the project's).</summary>
    public string ProjectName { get; set; } = "project";

    /// <summary><c>PythonWhy</c>: a package name; empty prints the whole tree.</summary>
    public string? Why { get; set; }

    /// <inheritdoc cref="PythonIndexTask.ProjectFullPath"/>
    public string? ProjectFullPath { get; set; }

    /// <inheritdoc cref="PythonIndexTask.PropertySearchFiles"/>
    public string[] PropertySearchFiles { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        try
        {
            var graph = new LockGraph(LockFiles.Load(LockFile, "PythonTree"), ProjectName);
            foreach (var line in string.IsNullOrWhiteSpace(Why) ? graph.Tree() : graph.Why(Why!))
            {
                Log.LogMessage(MessageImportance.High, line);
            }
            return true;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error, ProjectFullPath, PropertySearchFiles);
            return false;
        }
    }
}
