using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Hosts;
using PythonEnv.IO;
using PythonEnv.Index;
using PythonEnv.Locking;

namespace PythonEnv.Workflows;

/// <summary>The settings of one <c>PythonSync</c> run.</summary>
public sealed class SyncRequest
{
    public required string LockPath { get; init; }

    /// <summary><c>PythonVenvDir</c>.</summary>
    public required string VenvDir { get; init; }

    /// <summary>Where <c>.python-version</c> is looked up and interpreters are discovered from.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary><c>PythonInterpreter</c>: the interpreter to use, when named.</summary>
    public string? PythonInterpreter { get; init; }

    /// <summary><c>PythonVersion</c>.</summary>
    public string? PythonVersion { get; init; }

    /// <summary>The project's requires-python, used only when the lock records none.</summary>
    public string? RequiresPython { get; init; }

    /// <summary><c>PythonInstallGroups</c>: dependency groups to install (empty: the lock's default groups).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary><c>PythonInstallExtras</c>: the project's extras to install.</summary>
    public IReadOnlyList<string> Extras { get; init; } = [];

    /// <summary><c>PythonNoBuild</c>: never build a wheel from an sdist.</summary>
    public bool NoBuild { get; init; }

    /// <summary><c>PythonCompileBytecode</c>: compile the installed packages' bytecode, as pip does.</summary>
    public bool CompileBytecode { get; init; }

    /// <summary><c>PythonInterpreterSource</c>: installed interpreters, managed ones, or installed first.</summary>
    public Interpreters.InterpreterSource InterpreterSource { get; init; } = Interpreters.InterpreterSource.Auto;

    /// <summary>Managed interpreters (downloads into the cache); null: installed ones only.</summary>
    public Interpreters.ManagedInterpreters? ManagedInterpreters { get; init; }

    /// <summary>The file of the target's settings (properties this sync depends on); watched like the other inputs.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Written after a successful sync: the watched paths, one per line.</summary>
    public string? WatchFile { get; init; }

    /// <summary>
    /// Written after a successful sync (<see cref="SyncState"/>): the watched paths' <c>File.GetLastWriteTime(path).Ticks</c>
    /// (exactly what the target computes with the same property function) and the host values.
    /// Deleted first, so a failed sync is never taken as up to date.
    /// </summary>
    public string? StateFile { get; init; }

    /// <summary>One line per change (normal verbosity in MSBuild: high importance).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Lines worth showing at normal verbosity: why the sync ran, the summary when nothing changed.</summary>
    public Action<string> Note { get; init; } = _ => { };

    /// <summary>Lines for detailed verbosity only.</summary>
    public Action<string> Detail { get; init; } = _ => { };

    /// <summary>Warnings with their code and place (PYENV4009: the venv had drifted from the lock).</summary>
    public Action<PythonEnvException> Warn { get; init; } = _ => { };

    /// <summary>Told about downloads, unpacks, builds and links while they run (the index client's downloads report here too, unless its options name another).</summary>
    public IProgressReporter? Progress { get; init; }
}

/// <summary>What a sync did, and the values handed to .NET hosts (<see cref="HostValues"/> names to values).</summary>
public sealed record SyncOutcome(SyncResult Result, PythonInterpreter Interpreter, IReadOnlyDictionary<string, string> HostValues);

/// <summary>
/// The sync pipeline behind <c>PythonSync</c>: lock → interpreter → install plan → exact venv → host values. Makes
/// <see cref="SyncRequest.VenvDir"/> match the lock, warns (PYENV4009) when it had been altered by hand, and after a
/// successful sync records, for the target's own up-to-date check, every path whose change could make the venv
/// differ from the lock (<see cref="SyncRequest.WatchFile"/>) and their modification times with the host values
/// (<see cref="SyncRequest.StateFile"/>), so a no-op build never has to load the task.
/// </summary>
public static class SyncWorkflow
{
    /// <summary>
    /// The managed build the lock pins for this platform, installed (downloaded and verified against the lock's sha256
    /// when not in the cache): exactly the interpreter the lock was made with. Null when the lock pins none, or
    /// PythonInterpreter / PythonInterpreterSource=system chooses otherwise.
    /// </summary>
    private static PythonInterpreter? LockedManagedInterpreter(SyncRequest request, PylockFile lockFile, Interpreters.ManagedInterpreters? managed, InterpreterProbe probe, CancellationToken cancellationToken)
    {
        if (managed is null || !string.IsNullOrWhiteSpace(request.PythonInterpreter) || lockFile.Manifest?.Interpreter is not { Downloads.Count: > 0 } locked)
        {
            return null;
        }

        var build = locked.BuildFor(managed.Options.Platform) ?? throw new PythonEnvException(DiagnosticCodes.LockedInterpreterMissingPlatform,
            $"{Path.GetFileName(request.LockPath)} pins the managed Python {locked.Build} with downloads for {string.Join(", ", locked.Downloads.Select(d => d.Platform))}, but not for this platform ({managed.Options.Platform}). " +
            "Re-lock with a downloads manifest (PythonDownloadsManifest) that lists this platform's build of that version.", request.LockPath);
        var executable = managed.InstallAsync(build, cancellationToken).GetAwaiter().GetResult();
        return probe.ProbeAsync(executable, cancellationToken).GetAwaiter().GetResult();
    }

    public static SyncOutcome Run(IndexClientOptions index, SyncRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        if (!string.IsNullOrEmpty(request.StateFile) && File.Exists(request.StateFile))
        {
            NoteWhatChanged(request);
            File.Delete(request.StateFile);
        }
        var lockFile = PylockReader.Load(request.LockPath);
        var probe = new InterpreterProbe(index.CacheDir);
        var managed = request.InterpreterSource == Interpreters.InterpreterSource.System ? null : request.ManagedInterpreters;
        var discovery = new InterpreterDiscovery(probe, new DiscoveryOptions
        {
            ProjectDirectory = request.ProjectDirectory,
            InterpreterPath = request.PythonInterpreter,
            PythonVersion = request.PythonVersion,
            RequiresPython = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? request.RequiresPython : lockFile.RequiresPython,
            RequiresPythonSource = string.IsNullOrWhiteSpace(lockFile.RequiresPython) ? null : request.LockPath,
            Source = request.InterpreterSource,
            Managed = managed,
        });
        var interpreter = LockedManagedInterpreter(request, lockFile, managed, probe, cancellationToken) ?? discovery.FindAsync(cancellationToken).GetAwaiter().GetResult();
        var plan = LockInstallPlan.Create(lockFile, request.LockPath, interpreter, extras: request.Extras, groups: request.Groups);

        using var client = new IndexClient(index with { Progress = index.Progress ?? request.Progress });
        var options = new SyncOptions
        {
            CacheDirectory = index.CacheDir,
            Download = client.DownloadAsync,
            NoBuild = request.NoBuild,
            CompileBytecode = request.CompileBytecode,
            Note = request.Note,
            // Build requirements of sdists are resolved and installed by this engine, from the same indexes.
            SdistBuilder = BuildRequirementsResolver.CreateBuilder(client),
            Log = request.Log,
            Progress = request.Progress,
        };
        var result = EnvironmentSync.SyncAsync(plan, interpreter, request.VenvDir, options, cancellationToken).GetAwaiter().GetResult();
        if (result.Drift.Count > 0)
        {
            request.Warn(new PythonEnvException(DiagnosticCodes.VenvDrifted,
                $"The virtual environment had drifted from {Path.GetFileName(request.LockPath)} since the last sync: {string.Join("; ", result.Drift)}. " +
                "It matches the lock again. Declare the packages you need (PythonPackage items, pyproject.toml) instead of installing them by hand.",
                result.Venv.Root));
        }
        var summary = $"{result.Summary} (total {clock.Elapsed.TotalMilliseconds:0} ms, Python {interpreter.Version})";
        (result.UpToDate ? request.Note : request.Log)(summary);
        request.Note($"where the time went: {result.Phases}");

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
        var watched = new List<string>();
        if (!string.IsNullOrEmpty(request.SettingsFile))
        {
            watched.Add(Path.GetFullPath(request.SettingsFile));
        }
        watched.Add(Path.GetFullPath(request.LockPath));
        watched.AddRange(discovery.WatchedPaths(interpreter));
        watched.AddRange(EnvironmentSync.WatchedPaths(result.Venv));
        RecordState(request, watched, hostValues);
        return new SyncOutcome(result, interpreter, hostValues);
    }

    /// <summary>Says (at normal verbosity) which recorded paths changed, i.e. why the target ran the sync.</summary>
    private static void NoteWhatChanged(SyncRequest request)
    {
        if (string.IsNullOrEmpty(request.WatchFile) || !File.Exists(request.WatchFile))
        {
            return;
        }
        var paths = File.ReadAllLines(request.WatchFile).Where(line => line.Length > 0).ToList();
        var ticks = SyncState.Observed(File.ReadAllText(request.StateFile!));
        var changed = paths.Where((path, i) => i >= ticks.Count || ticks[i] != Ticks(path)).ToList();
        request.Note(changed.Count == 0
            ? "checking the environment (the state recorded by the last sync does not match)."
            : "checking the environment, because these changed since the last sync: " + string.Join(", ", changed.Take(10)) + (changed.Count > 10 ? ", ..." : ""));
    }

    /// <summary>What the target's <c>$([System.IO.File]::GetLastWriteTime(path).Ticks)</c> gives for a path.</summary>
    private static string Ticks(string path) => File.GetLastWriteTime(path).Ticks.ToString(CultureInfo.InvariantCulture);

    private static void RecordState(SyncRequest request, IEnumerable<string> watched, IReadOnlyDictionary<string, string> hostValues)
    {
        if (string.IsNullOrEmpty(request.WatchFile) || string.IsNullOrEmpty(request.StateFile))
        {
            return;
        }
        // One line per path: MSBuild's batching merges equal item specs (case-insensitively), so no duplicates.
        var paths = watched.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!paths.Concat(hostValues.Values).All(SyncState.CanRecord))
        {
            // ReadLinesFromFile trims lines and MSBuild treats these characters specially: without a record
            // the target simply runs the sync on every build.
            request.Detail("a watched path or host value has characters MSBuild cannot carry; the environment is checked on every build.");
            return;
        }
        var state = SyncState.Write(string.Join("|", paths.Select(Ticks)), hostValues);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.StateFile))!);
        File.WriteAllText(request.WatchFile, string.Join("\n", paths) + "\n");
        // Written whole or not at all: a half-written state must never read as up to date.
        AtomicFile.Write(request.StateFile!, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(state));
    }
}
