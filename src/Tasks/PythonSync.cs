using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Hosts;
using PythonEnv.Index;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Makes <c>PythonVenvDir</c> match <c>pylock.toml</c>: finds the interpreter, creates the venv, installs exactly
/// the locked packages for it, and hands back the values .NET hosts need. One log line per change and a summary;
/// a venv altered by hand since the last sync is put back in line with a PYENV4009 warning.
/// After a successful sync it records, for the target's own up-to-date check, every path whose change could
/// make the venv differ from the lock (<see cref="WatchFile"/>) and their modification times with the host
/// values (<see cref="StateFile"/>), so a no-op build never has to load this task.
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
        var clock = Stopwatch.StartNew();
        if (!string.IsNullOrEmpty(StateFile) && File.Exists(StateFile))
        {
            LogWhatChanged();
            File.Delete(StateFile);
        }
        var indexOptions = IndexOptions() with { CredentialUrls = RequirementsFileCredentials(RequirementsFiles) };
        var lockFile = PylockReader.Load(LockFile);
        var source = PythonProperties.InterpreterSource(InterpreterSource);
        var managed = ManagedInterpreters(indexOptions);
        var probe = new InterpreterProbe(indexOptions.CacheDir);
        var discovery = new InterpreterDiscovery(probe, new DiscoveryOptions
        {
            ProjectDirectory = ProjectDirectory,
            InterpreterPath = PythonInterpreter,
            PythonVersion = PythonVersion,
            RequiresPython = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? RequiresPython : lockFile.RequiresPython,
            RequiresPythonSource = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? null : LockFile,
            Source = source,
            Managed = source == Interpreters.InterpreterSource.System ? null : managed,
        });
        var interpreter = LockedManagedInterpreter(lockFile, managed, probe, source) ?? discovery.FindAsync(Cancellation).GetAwaiter().GetResult();
        var plan = LockInstallPlan.Create(lockFile, LockFile, interpreter, extras: PropertyLists.Names(InstallExtras), groups: PropertyLists.Names(InstallGroups));

        using var client = new IndexClient(indexOptions);
        var options = new SyncOptions
        {
            CacheDirectory = indexOptions.CacheDir,
            Download = client.DownloadAsync,
            NoBuild = PythonProperties.Boolean(PythonProperties.NoBuildName, NoBuild),
            // Build requirements of sdists are resolved and installed by this engine, from the same indexes.
            SdistBuilder = BuildRequirementsResolver.CreateBuilder(client),
            Log = line => Log.LogMessage(MessageImportance.High, "PythonSync: " + line),
        };
        var result = EnvironmentSync.SyncAsync(plan, interpreter, VenvDir, options, Cancellation).GetAwaiter().GetResult();
        if (result.Drift.Count > 0)
        {
            Log.LogWarning(null, DiagnosticCodes.VenvDrifted, null, result.Venv.Root, 0, 0, 0, 0,
                $"The virtual environment had drifted from {Path.GetFileName(LockFile)} since the last sync: {string.Join("; ", result.Drift)}. " +
                "It matches the lock again. Declare the packages you need (PythonPackage items, pyproject.toml) instead of installing them by hand.");
        }
        Log.LogMessage(result.UpToDate ? MessageImportance.Normal : MessageImportance.High,
            $"PythonSync: {result.Summary} (total {clock.Elapsed.TotalMilliseconds:0} ms, Python {interpreter.Version})");

        var hostValues = new Dictionary<string, string>
        {
            [HostValues.PythonExecutable] = result.Venv.Python,
            [HostValues.PythonBaseExecutable] = interpreter.BaseExecutable,
            [HostValues.PythonLibrary] = interpreter.LibPython ?? "",
            [HostValues.PythonHome] = interpreter.BasePrefix,
            [HostValues.PythonPrefix] = result.Venv.Root,
            [HostValues.PythonSitePackages] = result.Venv.PureLib,
            [HostValues.PythonInterpreterVersion] = interpreter.Version,
        };
        HostValueItems = HostValues.All.Select(name => (ITaskItem)new TaskItem(HostValues.Key(name), new Dictionary<string, string> { ["Value"] = hostValues[name] })).ToArray();
        if (!Log.HasLoggedErrors)
        {
            var watched = new List<string>();
            if (!string.IsNullOrEmpty(SettingsFile))
            {
                watched.Add(Path.GetFullPath(SettingsFile));
            }
            watched.Add(Path.GetFullPath(LockFile));
            watched.AddRange(discovery.WatchedPaths(interpreter));
            watched.AddRange(EnvironmentSync.WatchedPaths(result.Venv));
            RecordState(watched, hostValues);
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The managed build the lock pins for this platform, installed (downloaded and verified against the lock's sha256
    /// when not in the cache): exactly the interpreter the lock was made with. Null when the lock pins none, or
    /// PythonInterpreter / PythonInterpreterSource=system chooses otherwise.
    /// </summary>
    private PythonInterpreter? LockedManagedInterpreter(Locking.PylockFile lockFile, Interpreters.ManagedInterpreters managed, InterpreterProbe probe, Interpreters.InterpreterSource source)
    {
        if (!string.IsNullOrWhiteSpace(PythonInterpreter) || source == Interpreters.InterpreterSource.System
            || lockFile.Manifest?.Interpreter is not { Downloads.Count: > 0 } locked)
        {
            return null;
        }

        var build = locked.BuildFor(managed.Options.Platform) ?? throw new PythonEnvException(DiagnosticCodes.LockedInterpreterMissingPlatform,
            $"{Path.GetFileName(LockFile)} pins the managed Python {locked.Build} with downloads for {string.Join(", ", locked.Downloads.Select(d => d.Platform))}, but not for this platform ({managed.Options.Platform}). " +
            "Re-lock with a downloads manifest (PythonDownloadsManifest) that lists this platform's build of that version.", LockFile);
        var executable = managed.InstallAsync(build, Cancellation).GetAwaiter().GetResult();
        return probe.ProbeAsync(executable, Cancellation).GetAwaiter().GetResult();
    }

    /// <summary>Says (at normal verbosity) which recorded paths changed, i.e. why the target ran this task.</summary>
    private void LogWhatChanged()
    {
        if (string.IsNullOrEmpty(WatchFile) || !File.Exists(WatchFile))
        {
            return;
        }
        var paths = File.ReadAllLines(WatchFile).Where(line => line.Length > 0).ToList();
        var ticks = SyncState.Observed(File.ReadAllText(StateFile!));
        var changed = paths.Where((path, i) => i >= ticks.Count || ticks[i] != Ticks(path)).ToList();
        Log.LogMessage(MessageImportance.Normal, changed.Count == 0
            ? "PythonSync: checking the environment (the state recorded by the last sync does not match)."
            : "PythonSync: checking the environment, because these changed since the last sync: " + string.Join(", ", changed.Take(10)) + (changed.Count > 10 ? ", ..." : ""));
    }

    /// <summary>What the target's <c>$([System.IO.File]::GetLastWriteTime(path).Ticks)</c> gives for a path.</summary>
    private static string Ticks(string path) => File.GetLastWriteTime(path).Ticks.ToString(CultureInfo.InvariantCulture);

    private void RecordState(IEnumerable<string> watched, IReadOnlyDictionary<string, string> hostValues)
    {
        if (string.IsNullOrEmpty(WatchFile) || string.IsNullOrEmpty(StateFile))
        {
            return;
        }
        // One line per path: MSBuild's batching merges equal item specs (case-insensitively), so no duplicates.
        var paths = watched.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!paths.Concat(hostValues.Values).All(SyncState.CanRecord))
        {
            // ReadLinesFromFile trims lines and MSBuild treats these characters specially: without a record
            // the target simply runs this task on every build.
            Log.LogMessage(MessageImportance.Low, "PythonSync: a watched path or host value has characters MSBuild cannot carry; the environment is checked on every build.");
            return;
        }
        var state = SyncState.Write(string.Join("|", paths.Select(Ticks)), hostValues);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StateFile))!);
        File.WriteAllText(WatchFile, string.Join("\n", paths) + "\n");
        // Written whole or not at all: a half-written state must never read as up to date.
        var temporary = StateFile + ".tmp";
        File.WriteAllText(temporary, state);
        File.Delete(StateFile);
        File.Move(temporary, StateFile);
    }
}
