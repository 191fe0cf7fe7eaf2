using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Hosts;
using PythonEnv.Interpreters;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// <c>PythonSelfContained</c>: copies the managed interpreter into the staged published environment and points the
/// staged runtimeconfig.json at the copy (<see cref="PublishedInterpreter"/>).
/// </summary>
public sealed class PythonPublishInterpreter : Task
{
    /// <summary>The build's host values (<c>PythonEnv.*</c> items with <c>Value</c> metadata).</summary>
    [Required] public ITaskItem[] HostValueItems { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The staged environment folder (<c>PythonPublishFolder</c> under the staging folder).</summary>
    [Required] public string EnvironmentRoot { get; set; } = "";

    [Required] public string EnvironmentFolder { get; set; } = "python";

    [Required] public string StagedRuntimeConfig { get; set; } = "";

    public string? ProjectFullPath { get; set; }

    public string? RuntimeIdentifier { get; set; }

    /// <summary>
    /// True when PythonSelfContained was not set and follows SelfContained: an app published self-contained for .NET
    /// with an installed (not managed) Python then still publishes, with warning PYENV7008, instead of failing.
    /// </summary>
    public bool FollowsSelfContained { get; set; }

    /// <summary>The files copied, each with <c>RelativePath</c> metadata (inside the environment folder).</summary>
    [Output] public ITaskItem[] Files { get; private set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        try
        {
            var values = HostValueItems.ToDictionary(i => i.ItemSpec, i => i.GetMetadata("Value"), StringComparer.Ordinal);
            string Value(string name) => values.TryGetValue(HostValues.Key(name), out var v) ? v : "";
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (FollowsSelfContained && ManagedInterpreters.BuildAt(Value(HostValues.PythonHome)) is null)
            {
                Diagnostics.LogWarning(Log, new PythonEnvException(DiagnosticCodes.SelfContainedNeedsManagedInterpreter,
                    $"The app is published self-contained, but its Python ({Value(HostValues.PythonHome)}) was not installed by the SDK, so it is not " +
                    "shipped: the published app needs that Python on the machine it runs on. Set PythonInterpreterSource=managed to ship the " +
                    "interpreter with the app, or PythonSelfContained=false to publish without it and without this warning.", ProjectFullPath ?? ""));
                return true;
            }

            var files = PublishedInterpreter.Stage(Value(HostValues.PythonHome), Value(HostValues.PythonLibrary), EnvironmentRoot, EnvironmentFolder, StagedRuntimeConfig, ProjectFullPath ?? "", RuntimeIdentifier);
            Files = files.Select(f => (ITaskItem)new TaskItem(f.Path, new Dictionary<string, string> { ["RelativePath"] = EnvironmentFolder + "/" + f.RelativePath })).ToArray();
            var bytes = files.Sum(f => new System.IO.FileInfo(f.Path).Length);
            Log.LogMessage(MessageImportance.High, $"PythonPublish: self-contained: Python {Value(HostValues.PythonInterpreterVersion)} copied into {EnvironmentFolder}/ ({files.Count} files, {bytes / 1024.0 / 1024.0:0.0} MiB, {clock.ElapsedMilliseconds} ms)");
            return !Log.HasLoggedErrors;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error);
            return false;
        }
    }
}
