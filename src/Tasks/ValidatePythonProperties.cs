using System;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Checks the SDK's enumerated and boolean properties (<see cref="PythonProperties"/>) before any target uses
/// them: a value outside the allowed set is PYENV1001 at the line of the project file (or imported file) that sets
/// it, or at the project file when it comes from the command line or the environment. Also warns (PYENV1003)
/// where a project file writes credentials into an index URL: MSBuild logs project properties, so the SDK never
/// passes them on (see the README, "Credentials").
/// </summary>
public sealed class ValidatePythonProperties : Task
{
    /// <summary>The project file (<c>$(MSBuildProjectFullPath)</c>): where a value from the command line or the environment is reported.</summary>
    [Required] public string ProjectFullPath { get; set; } = "";

    /// <summary>One item per property: the property name, with its value as <c>Value</c> metadata.</summary>
    public ITaskItem[] Properties { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Names of the index URL properties whose value holds <c>user:password@</c> (the values are never passed).</summary>
    public ITaskItem[] PropertiesWithCredentials { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The files that may set the properties, in evaluation order (Directory.Build.props, the project, Directory.Build.targets).</summary>
    public string[] SearchFiles { get; set; } = Array.Empty<string>();

    /// <summary>True when there was nothing to report: only then is the result recorded, so a warning repeats until fixed.</summary>
    [Output] public bool Clean { get; private set; }

    public override bool Execute()
    {
        foreach (var property in Properties)
        {
            var value = property.GetMetadata("Value");
            try
            {
                PythonProperties.Check(property.ItemSpec, value);
            }
            catch (PropertyException error)
            {
                var origin = Locate(error.Property, value);
                Log.LogError(null, error.Code, null, origin.File, origin.Line, origin.Column, 0, 0,
                    error.Message + PropertyLocator.Describe(origin, error.Property, value));
            }
        }

        var warned = false;
        foreach (var property in PropertiesWithCredentials)
        {
            var origin = Locate(property.ItemSpec, value: "");
            if (property.ItemSpec is "PythonInstallMirror" or "PythonDownloadsManifest")
            {
                // Wherever they come from: these downloads are made without credentials, so the masked URL is all that is used.
                warned = true;
                Log.LogWarning(null, DiagnosticCodes.CredentialsInProject, null, origin.File, origin.Line, origin.Column, 0, 0,
                    $"{property.ItemSpec} holds credentials (user:password@ in the URL). Managed Python downloads are made without " +
                    "credentials, so PythonEnv.Sdk does not use or copy them (the SDK's files and messages show ***@). " +
                    "Use a mirror or manifest location that needs none (an internal host, a file path or a file:// URL).");
            }
            else if (origin.Source is PropertySource.ProjectFile or PropertySource.Unknown)
            {
                warned = true;
                Log.LogWarning(null, DiagnosticCodes.CredentialsInProject, null, origin.File, origin.Line, origin.Column, 0, 0,
                    $"{property.ItemSpec} holds credentials (user:password@ in the URL), written in a project file. MSBuild logs project " +
                    "properties (binary logs, -v:diag), so PythonEnv.Sdk does not use or copy them: the index is asked without them. " +
                    "Keep the URL without credentials and give them as the PYTHONENV_INDEX_<HOST>_USERNAME and _PASSWORD environment variables " +
                    "or in the netrc file (or the whole URL as PIP_INDEX_URL in the environment).");
            }
        }

        Clean = !Log.HasLoggedErrors && !warned;
        return !Log.HasLoggedErrors;
    }

    private PropertyOrigin Locate(string name, string value) => PropertyLocator.Find(this, ProjectFullPath, SearchFiles, name, value);
}
