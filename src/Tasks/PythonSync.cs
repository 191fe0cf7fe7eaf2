using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Hosts;
using PythonEnv.Workflows;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Makes <c>PythonVenvDir</c> match <c>pylock.toml</c> and hands back the values .NET hosts need: one call into
/// <see cref="SyncWorkflow"/>. One log line per change and a summary; a venv altered by hand since the last sync is
/// put back in line with a PYENV4009 warning.
/// </summary>
public sealed class PythonSync : PythonIndexTask
{
    [Required] public string LockFile { get; set; } = "";
    [Required] public string VenvDir { get; set; } = "";
    public string? PythonInterpreter { get; set; }
    public string? PythonVersion { get; set; }
    public string? RequiresPython { get; set; }
    public string? InstallGroups { get; set; }
    public string? InstallExtras { get; set; }
    /// <summary><c>PythonNoBuild</c>: <c>true</c> never builds a wheel from an sdist.</summary>
    public string? NoBuild { get; set; }
    /// <summary><c>PythonCompileBytecode</c>: <c>true</c> compiles the installed packages' .py files to bytecode (default false).</summary>
    public string? CompileBytecode { get; set; }

    /// <summary>The <c>PythonRequirementsFile</c> items: their index URLs' credentials are needed to download what the lock lists.</summary>
    public ITaskItem[] RequirementsFiles { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The file of the target's settings (properties this sync depends on); watched like the other inputs.</summary>
    public string? SettingsFile { get; set; }

    /// <summary>Written after a successful sync: the watched paths, one per line.</summary>
    public string? WatchFile { get; set; }

    /// <summary>
    /// Written after a successful sync (<see cref="SyncState"/>): the watched paths' <c>File.GetLastWriteTime(path).Ticks</c>
    /// (exactly what the target computes with the same property function) and the host values.
    /// Deleted first, so a failed sync is never taken as up to date.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>
    /// The host values (<see cref="HostValues"/>): one item per value, its name (<c>PythonEnv.PythonLibrary</c>) with
    /// <c>Value</c> metadata, ready to be <c>RuntimeHostConfigurationOption</c> items.
    /// </summary>
    [Output] public ITaskItem[] HostValueItems { get; private set; } = Array.Empty<ITaskItem>();

    protected override string WhenCanceled => "PythonSync was canceled; the next build finishes the environment.";

    protected override bool Run()
    {
        using var progress = NewProgress("PythonSync: ");
        var index = IndexOptions() with { CredentialUrls = RequirementsFileCredentials(RequirementsFiles) };
        var outcome = SyncWorkflow.Run(index, new SyncRequest
        {
            Progress = progress,
            LockPath = LockFile,
            VenvDir = VenvDir,
            ProjectDirectory = ProjectDirectory,
            PythonInterpreter = PythonInterpreter,
            PythonVersion = PythonVersion,
            RequiresPython = RequiresPython,
            Groups = PropertyLists.Names(InstallGroups),
            Extras = PropertyLists.Names(InstallExtras),
            NoBuild = PythonProperties.Boolean(PythonProperties.NoBuildName, NoBuild),
            CompileBytecode = PythonProperties.Boolean(PythonProperties.CompileBytecodeName, CompileBytecode),
            InterpreterSource = PythonProperties.InterpreterSource(InterpreterSource),
            ManagedInterpreters = ManagedInterpreters(index),
            SettingsFile = SettingsFile,
            WatchFile = WatchFile,
            StateFile = StateFile,
            Log = line => Log.LogMessage(MessageImportance.High, "PythonSync: " + line),
            Note = line => Log.LogMessage(MessageImportance.Normal, "PythonSync: " + line),
            Detail = line => Log.LogMessage(MessageImportance.Low, "PythonSync: " + line),
            Warn = warning => Diagnostics.LogWarning(Log, warning),
        }, Cancellation);
        LogPhases("PythonSync: ", progress);
        HostValueItems = HostValues.All.Select(name => (ITaskItem)new TaskItem(HostValues.Key(name), new Dictionary<string, string> { ["Value"] = outcome.HostValues[name] })).ToArray();
        return !Log.HasLoggedErrors;
    }
}
