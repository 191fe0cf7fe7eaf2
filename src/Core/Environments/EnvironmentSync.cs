using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// Makes a venv contain exactly an <see cref="InstallPlan"/>: creates (or recreates) the venv, fetches and
/// unpacks every needed wheel into the cache before touching the venv, removes extraneous distributions
/// through their RECORD, replaces changed ones, leaves unchanged ones alone, and writes the stamp last.
/// Holds a cross-process lock on the venv for the whole time.
/// </summary>
public static partial class EnvironmentSync
{
    /// <summary>
    /// Makes the venv contain exactly <paramref name="plan"/>. The venv is always looked at, not only its stamp:
    /// a distribution installed, removed or replaced by hand, or one whose files were deleted or changed in size,
    /// is put back in line and listed in <see cref="SyncResult.Drift"/>.
    /// </summary>
    public static async Task<SyncResult> SyncAsync(
        InstallPlan plan, PythonInterpreter interpreter, string venvRoot, SyncOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var phases = new SyncPhases();
        venvRoot = Path.GetFullPath(venvRoot);
        var log = options.Log ?? (_ => { });
        var lockPath = Path.Combine(options.CacheDirectory, "locks", "venv-" + Hashing.Sha256Hex(Encoding.UTF8.GetBytes(
            FileSystem.IsWindows ? venvRoot.ToLowerInvariant() : venvRoot)).Substring(0, 24) + ".lock");
        using var venvLock = await FileLock.AcquireAsync(lockPath, "the virtual environment " + venvRoot, cancellationToken: cancellationToken).ConfigureAwait(false);

        phases.Mark("venv lock");
        // A venv synced without bytecode does not match a build that asks for it.
        var fingerprint = plan.Fingerprint(interpreter) + (options.CompileBytecode ? "bytecode\n" : "");
        // Nothing below changes the venv until every wheel is chosen, fetched, unpacked and validated: a plan that
        // cannot be installed (no wheel for a new interpreter, a bad wheel) fails with the old venv whole.
        var venv = VirtualEnvironment.For(venvRoot, interpreter);
        var reusable = VirtualEnvironment.IsFor(venvRoot, interpreter, out _);
        List<(PlannedPackage Package, PlannedArtifact Artifact)> chosen;
        try
        {
            chosen = plan.Packages.Select(package => (package, Choose(package, options, interpreter))).ToList();
        }
        catch (PythonEnvException error) when (!reusable && VirtualEnvironment.ReadConfig(venvRoot) is not null)
        {
            throw new PythonEnvException(error.Code, $"{error.Message} {venvRoot}, made for another interpreter, was left as it was.", error.File, error.Line, inner: error);
        }

        // Every artifact this lock uses counts as used now, installed or not (what a cache prune keeps).
        Cache.CacheUsage.Touch(options.CacheDirectory, chosen.Select(c => c.Artifact.Sha256));
        phases.Mark("choose wheels");
        var installed = reusable ? ScanInstalled(venv) : new Dictionary<string, List<InstalledDistribution>>(StringComparer.Ordinal);
        var stamp = reusable ? ReadStamp(venvRoot) : null;
        var drift = stamp?.Installed is { } recorded ? Drift(recorded, installed) : new List<(string Name, string Line)>();
        var unowned = reusable ? Unowned(venv, installed) : new List<string>();
        drift.AddRange(unowned.Select(entry => ("", $"{Path.GetFileName(entry)}{(Directory.Exists(entry) ? "/" : "")} in site-packages belonged to no distribution")));
        var wanted = plan.Packages.ToDictionary(p => p.NormalizedName, StringComparer.Ordinal);
        var work = new List<(PlannedPackage Package, PlannedArtifact Artifact)>();
        var unchanged = 0;
        foreach (var (package, artifact) in chosen)
        {
            if (installed.TryGetValue(package.NormalizedName, out var dists) && dists.Count == 1
                && string.Equals(dists[0].Source, artifact.Sha256, StringComparison.OrdinalIgnoreCase)
                && File.Exists(Path.Combine(dists[0].Folder, "REQUESTED")) == package.Requested
                && dists[0].Damage is null)
            {
                unchanged++;
                continue;
            }
            work.Add((package, artifact));
        }
        phases.Mark("scan venv");
        if (reusable && stamp?.Fingerprint == fingerprint && work.Count == 0 && installed.Keys.All(wanted.ContainsKey) && unowned.Count == 0)
        {
            return new SyncResult(venv, false, true, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), plan.Packages.Count, clock.Elapsed) { Phases = phases };
        }

        // Everything that can fail for reasons outside the venv (network, hashes, bad wheels, builds) happens
        // before the venv is touched.
        var cache = new WheelCache(options.CacheDirectory, options.Limits);
        // A distribution altered by hand may have been edited in place, and so through its hard links in the cache.
        var suspect = new HashSet<string>(drift.Select(d => d.Name)
            .Concat(installed.Where(p => p.Value.Any(d => d.Damage is not null)).Select(p => p.Key)), StringComparer.Ordinal);
        var prepared = await ArtifactPipeline.PrepareAsync(work, cache, options, interpreter, suspect, cancellationToken).ConfigureAwait(false);
        phases.Mark("fetch and unpack");

        // Every install worked out and checked (identity, targets, entry points), then checked against each other
        // and against the distributions that stay: two packages may not own one file.
        var installs = Parallelism.Map(prepared, p => (p.Package, Install: Located(p.Package, () => WheelInstaller.Plan(p.Wheel.Wheel, venv, p.Package.Requested, p.Wheel.SourceSha256, p.Package))), cancellationToken);
        var staying = installed.Where(p => wanted.ContainsKey(p.Key) && !installs.Any(i => i.Package.NormalizedName == p.Key))
            .SelectMany(p => p.Value).ToList();
        var keep = FileOwners.Check(staying, installs, venv);
        phases.Mark("plan and check installs");

        // From here the venv changes: no stamp until it matches the plan again.
        var created = false;
        if (!reusable)
        {
            (venv, created, var reason) = await VirtualEnvironment.EnsureAsync(venvRoot, interpreter, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                log(reason is null ? $"Created {venvRoot} for Python {interpreter.Version} ({interpreter.BaseExecutable})" : $"Recreated {venvRoot} because {reason}");
            }
        }
        FileSystem.DeleteFile(Path.Combine(venvRoot, StampFile));
        phases.Mark("create venv");
        var removed = new List<string>();
        foreach (var pair in installed.Where(p => !wanted.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var dist in pair.Value)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WheelInstaller.Uninstall(dist.Folder, venv, keep);
                removed.Add($"{dist.Name} {dist.Version}");
                log($"Removed {dist.Name} {dist.Version}");
            }
        }
        foreach (var entry in unowned)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(entry))
            {
                FileSystem.DeleteDirectory(entry);
            }
            else
            {
                FileSystem.DeleteFile(entry);
            }
            log($"Removed {Path.GetFileName(entry)} from site-packages (no distribution owned it)");
        }
        // Old versions go before new ones come, so no install is undone by an uninstall that follows it.
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (package, _) in installs)
        {
            foreach (var dist in installed.TryGetValue(package.NormalizedName, out var old) ? old : new List<InstalledDistribution>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                WheelInstaller.Uninstall(dist.Folder, venv, keep);
                previous[package.NormalizedName] = dist.Version;
            }
        }
        phases.Mark("uninstall");
        var added = new List<string>();
        var replaced = new List<string>();
        // The installs are linked together: each counts as one piece of link work for the whole time.
        var linking = installs.Select(i => options.Progress?.Start(ProgressPhase.Link, $"{i.Package.Name} {i.Package.Version}")).ToList();
        InstallWriter.Apply(installs.Select(i => i.Install).ToList(), cancellationToken);
        linking.ForEach(link => link?.Dispose());
        foreach (var (package, install) in installs)
        {
            cancellationToken.ThrowIfCancellationRequested(); // a build stopped now leaves no stamp
            var fileName = install.Wheel.FileName;
            if (!previous.TryGetValue(package.NormalizedName, out var before))
            {
                added.Add($"{package.Name} {package.Version}");
                log($"Installed {package.Name} {package.Version} ({fileName})");
            }
            else if (before == package.Version)
            {
                replaced.Add($"{package.Name} {package.Version}");
                log($"Reinstalled {package.Name} {package.Version} ({fileName})");
            }
            else
            {
                replaced.Add($"{package.Name} {before} -> {package.Version}");
                log($"Replaced {package.Name} {before} with {package.Version} ({fileName})");
            }
        }

        phases.Mark("link files");
        // What was installed now, and what stays but was installed without bytecode (the property was off then).
        var uncompiled = options.CompileBytecode
            ? installs.Select(i => i.Install.DistInfoTarget)
                .Concat(staying.Where(d => BytecodeCompiler.NeedsCompiling(Path.GetDirectoryName(d.Folder)!, d.Files.Keys)).Select(d => d.Folder)).ToList()
            : new List<string>();
        if (uncompiled.Count > 0)
        {
            BytecodeReport report;
            using (options.Progress?.Start(ProgressPhase.Compile, $"{uncompiled.Count} distributions"))
            {
                report = await BytecodeCompiler.CompileAsync(interpreter.Executable, uncompiled, PycInvalidation.Default, cancellationToken).ConfigureAwait(false);
            }
            if (report.Compiled > 0)
            {
                log($"Compiled {report.Compiled} files to bytecode");
            }
            if (report.FailureSummary(interpreter.Version) is { } failures)
            {
                (options.Note ?? log)(failures);
            }
            phases.Mark("compile bytecode");
        }
        WriteStamp(venvRoot, fingerprint, interpreter, plan, prepared.ToDictionary(p => p.Package.NormalizedName, p => p.Wheel.SourceSha256, StringComparer.Ordinal), installed);
        phases.Mark("stamp");
        return new SyncResult(venv, created, false, added, replaced, removed, unchanged, clock.Elapsed) { Drift = drift.Select(d => d.Line).ToList(), Phases = phases };
    }

    /// <summary>Runs <paramref name="step"/> for <paramref name="package"/>; a failure that names no file points at where the package is locked.</summary>
    private static T Located<T>(PlannedPackage package, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (PythonEnvException error)
        {
            throw At(package, error);
        }
    }

    /// <summary><paramref name="error"/>, placed at the package's line in the lock unless it names a file of its own.</summary>
    internal static PythonEnvException At(PlannedPackage package, PythonEnvException error)
        => error.File is not null || package.SourceFile is null ? error
            : new PythonEnvException(error.Code, error.Message, package.SourceFile, package.SourceLine, inner: error);
}
