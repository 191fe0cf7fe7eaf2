using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Makes <c>PythonVenvDir</c> match <c>pylock.toml</c>: finds the interpreter, creates the venv, installs exactly
/// the locked packages for it, and hands back the values .NET hosts need. One log line per change and a summary.
/// </summary>
public sealed class PythonSync : PythonIndexTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    [Required] public string LockFile { get; set; } = "";
    [Required] public string VenvDir { get; set; } = "";
    public string? PythonInterpreter { get; set; }
    public string? PythonVersion { get; set; }
    public string? RequiresPython { get; set; }
    public string? InstallGroups { get; set; }
    public bool NoBuild { get; set; }

    [Output] public string? PythonExecutable { get; private set; }
    [Output] public string? PythonBaseExecutable { get; private set; }
    [Output] public string? PythonLibrary { get; private set; }
    [Output] public string? PythonHome { get; private set; }
    [Output] public string? PythonSitePackages { get; private set; }
    [Output] public string? PythonInterpreterVersion { get; private set; }

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var indexOptions = IndexClientOptions.FromMSBuild(IndexUrl, ExtraIndexUrls, FindLinks, CacheDir, Offline, projectDirectory: ProjectDirectory);
            var lockFile = PylockReader.Load(LockFile);
            var discovery = new InterpreterDiscovery(new InterpreterProbe(indexOptions.CacheDir), new DiscoveryOptions
            {
                ProjectDirectory = ProjectDirectory,
                InterpreterPath = PythonInterpreter,
                PythonVersion = PythonVersion,
                RequiresPython = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? RequiresPython : lockFile.RequiresPython,
                RequiresPythonSource = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? null : LockFile,
            });
            var interpreter = discovery.FindAsync(_cancel.Token).GetAwaiter().GetResult();
            var groups = (InstallGroups ?? "").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(g => g.Trim()).Where(g => g.Length > 0).ToList();
            var plan = LockInstallPlan.Create(lockFile, LockFile, interpreter, groups: groups);

            using var client = new IndexClient(indexOptions);
            var options = new SyncOptions
            {
                CacheDirectory = indexOptions.CacheDir,
                Download = client.DownloadAsync,
                NoBuild = NoBuild,
                // Build requirements of sdists are resolved and installed by this engine, from the same indexes.
                SdistBuilder = BuildRequirementsResolver.CreateBuilder(client),
                Log = line => Log.LogMessage(MessageImportance.High, "PythonSync: " + line),
            };
            var result = EnvironmentSync.SyncAsync(plan, interpreter, VenvDir, options, _cancel.Token).GetAwaiter().GetResult();
            Log.LogMessage(result.UpToDate ? MessageImportance.Normal : MessageImportance.High,
                $"PythonSync: {result.Summary} (total {clock.Elapsed.TotalMilliseconds:0} ms, Python {interpreter.Version})");

            PythonExecutable = result.Venv.Python;
            PythonBaseExecutable = interpreter.BaseExecutable;
            PythonLibrary = interpreter.LibPython ?? "";
            PythonHome = interpreter.BasePrefix;
            PythonSitePackages = result.Venv.PureLib;
            PythonInterpreterVersion = interpreter.Version;
            return !Log.HasLoggedErrors;
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(Log, error);
            return false;
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning("PythonSync was canceled; the next build finishes the environment.");
            return false;
        }
    }
}
