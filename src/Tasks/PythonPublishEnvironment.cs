using System;
using System.Linq;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Hosts;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Stages the locked environment for <c>dotnet publish</c> (<see cref="PublishedEnvironment"/>): the synced venv's
/// packages, hash-checked and bytecode compiled, and a runtimeconfig.json with host values relative to the app folder.
/// </summary>
public sealed class PythonPublishEnvironment : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    [Required] public string LockFile { get; set; } = "";

    /// <summary>The build's host values (<c>PythonEnv.*</c> items with <c>Value</c> metadata).</summary>
    [Required] public ITaskItem[] HostValueItems { get; set; } = Array.Empty<ITaskItem>();

    [Required] public string StagingDirectory { get; set; } = "";
    [Required] public string RuntimeConfig { get; set; } = "";
    public string EnvironmentFolder { get; set; } = "python";
    public string? RuntimeIdentifier { get; set; }
    /// <summary><c>PythonCompileBytecode</c>: empty or <c>true</c> compiles the published bytecode (checked by PythonValidateProperties at build).</summary>
    public string? CompileBytecode { get; set; }

    /// <summary>The staged runtimeconfig.json, to publish in place of the build's.</summary>
    [Output] public string? StagedRuntimeConfig { get; private set; }

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        try
        {
            var values = HostValueItems
                .Where(i => i.ItemSpec.StartsWith(HostValues.Prefix, StringComparison.Ordinal))
                .ToDictionary(i => i.ItemSpec.Substring(HostValues.Prefix.Length), i => i.GetMetadata("Value"), StringComparer.Ordinal);
            StagedRuntimeConfig = PublishedEnvironment.StageAsync(new PublishRequest
            {
                LockFile = LockFile,
                HostValues = values,
                StagingDirectory = StagingDirectory,
                EnvironmentFolder = EnvironmentFolder,
                RuntimeIdentifier = RuntimeIdentifier,
                RuntimeConfig = RuntimeConfig,
                CompileBytecode = !string.Equals(CompileBytecode?.Trim(), "false", StringComparison.OrdinalIgnoreCase),
                Log = line => Log.LogMessage(MessageImportance.High, "PythonPublish: " + line),
            }, _cancel.Token).GetAwaiter().GetResult();
            return !Log.HasLoggedErrors;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error);
            return false;
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning("PythonPublishEnvironment was canceled; the published app has no Python environment.");
            return false;
        }
    }
}
