using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Writes the lock as a hash-checked pip requirements file (for Dockerfiles and plain pip).</summary>
public sealed class PythonExportRequirements : Task
{
    [Required] public string LockFile { get; set; } = "";
    [Required] public string OutputFile { get; set; } = "";

    /// <summary>The project file (<c>$(MSBuildProjectFullPath)</c>) and the files that may set properties, in evaluation order: an error about a property's value is put at its line.</summary>
    public string? ProjectFullPath { get; set; }

    /// <inheritdoc cref="PythonIndexTask.PropertySearchFiles"/>
    public string[] PropertySearchFiles { get; set; } = Array.Empty<string>();

    /// <summary>Dependency groups to include besides the main dependencies, separated by <c>;</c>, <c>,</c> or spaces.</summary>
    public string? Groups { get; set; }

    /// <summary>The project's extras to include, separated by <c>;</c>, <c>,</c> or spaces.</summary>
    public string? Extras { get; set; }

    public override bool Execute()
    {
        try
        {
            if (!File.Exists(LockFile))
            {
                throw new PythonEnvException(DiagnosticCodes.LockOutOfDate,
                    $"There is no lock file to export at '{LockFile}'. Run 'dotnet build -t:PythonLock' first.", LockFile);
            }

            var lockFile = PylockReader.Load(LockFile);
            var extras = LockSelection.KnownExtras(lockFile, PropertyLists.Names(Extras), "PythonExportExtras", LockFile);
            RequirementsExport.Save(OutputFile, lockFile, PropertyLists.Names(Groups), Path.GetDirectoryName(Path.GetFullPath(LockFile))!, extras);
            Log.LogMessage(MessageImportance.High, $"PythonExportRequirements: wrote {OutputFile}");
            return true;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error, ProjectFullPath, PropertySearchFiles);
            return false;
        }
    }
}
