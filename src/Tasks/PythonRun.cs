using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Hosts;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Runs <c>PythonScript</c> or <c>PythonModule</c> with <c>PythonArguments</c> in the synced venv (<c>-t:PythonRun</c>,
/// as <c>uv run</c>): its output and error lines are logged as they come, and an exit code other than 0 fails the
/// build with PYENV9001 naming it.
/// </summary>
public sealed class PythonRun : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    [Required] public string ProjectDirectory { get; set; } = "";

    public string? Script { get; set; }

    public string? Module { get; set; }

    public string? Arguments { get; set; }

    /// <summary>The host values PythonSync produced (<c>PythonEnv.PythonExecutable</c>... with <c>Value</c> metadata).</summary>
    public ITaskItem[] HostValueItems { get; set; } = [];

    /// <inheritdoc cref="PythonIndexTask.ProjectFullPath"/>
    public string? ProjectFullPath { get; set; }

    /// <inheritdoc cref="PythonIndexTask.PropertySearchFiles"/>
    public string[] PropertySearchFiles { get; set; } = [];

    /// <summary>The command's exit code.</summary>
    [Output] public int ExitCode { get; private set; }

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        try
        {
            var command = RunCommand.From(Script, Module, Arguments, ProjectDirectory);
            var hostValues = HostValueItems
                .Where(item => item.ItemSpec.StartsWith(HostValues.Prefix, StringComparison.Ordinal))
                .ToDictionary(item => item.ItemSpec.Substring(HostValues.Prefix.Length), item => item.GetMetadata("Value"), StringComparer.Ordinal);
            if (!hostValues.TryGetValue(HostValues.PythonExecutable, out var python) || python.Length == 0)
            {
                throw new PythonEnvException(DiagnosticCodes.NoLockFile,
                    "PythonRun has no environment to run in: the project has no lock (declare its Python packages and build), or PythonEnvironmentEnabled is false.", ProjectFullPath);
            }
            Log.LogMessage(MessageImportance.Normal, $"PythonRun: {python} {ProcessArguments(command)}");
            ExitCode = ScriptRun.RunAsync(command, hostValues, ProjectDirectory,
                line => Log.LogMessage(MessageImportance.High, line),
                line => Log.LogMessage(MessageImportance.High, line),
                _cancel.Token).GetAwaiter().GetResult();
            if (ExitCode != 0)
            {
                Log.LogError(null, DiagnosticCodes.RunFailed, null, ProjectFullPath, 0, 0, 0, 0,
                    $"{command.Describe()} exited with code {ExitCode}.");
                return false;
            }
            return true;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error, ProjectFullPath, PropertySearchFiles);
            return false;
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning("PythonRun was canceled; the command was stopped.");
            return false;
        }
        catch (Win32Exception error)
        {
            Log.LogError(null, DiagnosticCodes.RunFailed, null, ProjectFullPath, 0, 0, 0, 0,
                $"The environment's python could not be started ({error.Message}). Build again to repair the environment.");
            return false;
        }
    }

    private static string ProcessArguments(RunCommand command) => string.Join(" ", command.PythonArguments());
}
