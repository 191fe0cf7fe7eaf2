using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>How <see cref="EnvironmentSync"/> gets and builds artifacts.</summary>
public sealed class SyncOptions
{
    /// <summary>The SDK cache root (PythonCacheDir): unpacked wheels, built wheels, locks.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>
    /// Downloads a URL with a known sha256 and size into the download cache and returns the local path
    /// (the index client's <c>DownloadAsync</c>); null when only local files may be used.
    /// </summary>
    public Func<Uri, string, long?, CancellationToken, Task<string>>? Download { get; init; }

    /// <summary>
    /// Ranks a wheel file name for the target interpreter: lower is better, null is incompatible. By default
    /// the interpreter's own PEP 425 tag order (<see cref="PythonInterpreter.Tags"/>).
    /// </summary>
    public Func<string, int?>? RankWheel { get; init; }

    internal int? Rank(PythonInterpreter interpreter, string fileName)
        => RankWheel is not null ? RankWheel(fileName)
            : WheelFileName.TryParse(fileName, out var wheel) ? interpreter.Tags.Rank(wheel) : null;

    /// <summary>Builds sdists when no wheel fits; null or <see cref="NoBuild"/> makes that an error.</summary>
    public Pep517Builder? SdistBuilder { get; init; }

    /// <summary>How far a wheel may expand when it is unpacked into the cache.</summary>
    public UnpackLimits Limits { get; init; } = UnpackLimits.Default;

    /// <summary>PythonNoBuild: never build from source.</summary>
    public bool NoBuild { get; init; }

    /// <summary>Receives one line per change (install, remove, replace, venv creation).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Told about unpacks, builds and links while they run (downloads report through the index client).</summary>
    public IProgressReporter? Progress { get; init; }
}

/// <summary>What a sync did.</summary>
public sealed record SyncResult(
    VirtualEnvironment Venv, bool VenvCreated, bool UpToDate,
    IReadOnlyList<string> Installed, IReadOnlyList<string> Replaced, IReadOnlyList<string> Removed, int Unchanged, TimeSpan Elapsed)
{
    /// <summary>
    /// How the venv differed from what the previous sync left in it (a package installed, removed or changed
    /// by hand, files of a distribution deleted or altered), one line each; the sync put all of it back in line.
    /// Empty when the venv was as the last sync left it, or when no sync had completed in it before.
    /// </summary>
    public IReadOnlyList<string> Drift { get; init; } = Array.Empty<string>();

    /// <summary>The summary line the PythonSync target logs.</summary>
    public string Summary => UpToDate
        ? $"{Venv.Root} is up to date ({Unchanged} packages, {Elapsed.TotalMilliseconds:0} ms)"
        : $"{Venv.Root}: {Installed.Count} installed, {Replaced.Count} replaced, {Removed.Count} removed, {Unchanged} unchanged in {Elapsed.TotalMilliseconds:0} ms";
}

/// <summary>
/// Makes a venv contain exactly an <see cref="InstallPlan"/>: creates (or recreates) the venv, fetches and
/// unpacks every needed wheel into the cache before touching the venv, removes extraneous distributions
/// through their RECORD, replaces changed ones, leaves unchanged ones alone, and writes the stamp last.
/// Holds a cross-process lock on the venv for the whole time.
/// </summary>
public static class EnvironmentSync
{
    /// <summary>The stamp, written last: the plan fingerprint the venv matches. Absent while a sync is under way.</summary>
    public const string StampFile = ".pythonenv-sync.json";

    /// <summary>Whether the venv at <paramref name="venvRoot"/> was completely synced to a plan with this fingerprint.</summary>
    public static bool IsUpToDate(string venvRoot, string fingerprint) => ReadStamp(venvRoot)?.Fingerprint == fingerprint;

    /// <summary>
    /// Makes the venv contain exactly <paramref name="plan"/>. The venv is always looked at, not only its stamp:
    /// a distribution installed, removed or replaced by hand, or one whose files were deleted or changed in size,
    /// is put back in line and listed in <see cref="SyncResult.Drift"/>.
    /// </summary>
    public static async Task<SyncResult> SyncAsync(
        InstallPlan plan, PythonInterpreter interpreter, string venvRoot, SyncOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        venvRoot = Path.GetFullPath(venvRoot);
        var log = options.Log ?? (_ => { });
        var lockPath = Path.Combine(options.CacheDirectory, "locks", "venv-" + Hashing.Sha256Hex(Encoding.UTF8.GetBytes(
            FileSystem.IsWindows ? venvRoot.ToLowerInvariant() : venvRoot)).Substring(0, 24) + ".lock");
        using var venvLock = await FileLock.AcquireAsync(lockPath, "the virtual environment " + venvRoot, cancellationToken: cancellationToken).ConfigureAwait(false);

        var fingerprint = plan.Fingerprint(interpreter);
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
        if (reusable && stamp?.Fingerprint == fingerprint && work.Count == 0 && installed.Keys.All(wanted.ContainsKey) && unowned.Count == 0)
        {
            return new SyncResult(venv, false, true, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), plan.Packages.Count, clock.Elapsed);
        }

        // Everything that can fail for reasons outside the venv (network, hashes, bad wheels, builds) happens
        // before the venv is touched.
        var cache = new WheelCache(options.CacheDirectory, options.Limits);
        // A distribution altered by hand may have been edited in place, and so through its hard links in the cache.
        var suspect = new HashSet<string>(drift.Select(d => d.Name)
            .Concat(installed.Where(p => p.Value.Any(d => d.Damage is not null)).Select(p => p.Key)), StringComparer.Ordinal);
        var prepared = await PrepareAsync(work, cache, options, interpreter, suspect, cancellationToken).ConfigureAwait(false);

        // Every install worked out and checked (identity, targets, entry points), then checked against each other
        // and against the distributions that stay: two packages may not own one file.
        var installs = prepared.Select(p => (p.Package, Install: Located(p.Package, () => WheelInstaller.Plan(p.Wheel.Wheel, venv, p.Package.Requested, p.Wheel.SourceSha256, p.Package)))).ToList();
        var staying = installed.Where(p => wanted.ContainsKey(p.Key) && !installs.Any(i => i.Package.NormalizedName == p.Key))
            .SelectMany(p => p.Value).ToList();
        var keep = FileOwners.Check(staying, installs, venv);

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
        var added = new List<string>();
        var replaced = new List<string>();
        foreach (var (package, install) in installs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (options.Progress?.Start(ProgressPhase.Link, $"{package.Name} {package.Version}"))
            {
                install.Apply();
            }
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

        WriteStamp(venvRoot, fingerprint, interpreter, plan, prepared.ToDictionary(p => p.Package.NormalizedName, p => p.Wheel.SourceSha256, StringComparer.Ordinal), installed);
        return new SyncResult(venv, created, false, added, replaced, removed, unchanged, clock.Elapsed) { Drift = drift.Select(d => d.Line).ToList() };
    }

    /// <summary>
    /// The files and folders whose modification time changes when the venv is altered from outside: pyvenv.cfg,
    /// its python, the stamp, site-packages and the scripts folder, and every folder directly in site-packages
    /// (packages and dist-info folders; bytecode caches excepted). A build that finds all of them as the last
    /// sync left them need not look inside the venv.
    /// </summary>
    public static IReadOnlyList<string> WatchedPaths(VirtualEnvironment venv)
    {
        var paths = new List<string> { Path.Combine(venv.Root, "pyvenv.cfg"), venv.Python, Path.Combine(venv.Root, StampFile), venv.Scripts };
        foreach (var site in new[] { venv.PureLib, venv.PlatLib }.Distinct(StringComparer.Ordinal))
        {
            paths.Add(site);
            if (Directory.Exists(site))
            {
                paths.AddRange(Directory.EnumerateDirectories(site)
                    .Where(folder => Path.GetFileName(folder) != "__pycache__")
                    .OrderBy(folder => folder, StringComparer.Ordinal));
            }
        }
        return paths;
    }

    /// <summary>What the last completed sync recorded: the plan's fingerprint and, per distribution, its version and source.</summary>
    /// <remarks><see cref="Installed"/> is null in a stamp written before the SDK recorded it: no drift can be told then.</remarks>
    private sealed record Stamp(string? Fingerprint, IReadOnlyDictionary<string, (string Name, string Version, string? Source)>? Installed);

    private static Stamp? ReadStamp(string venvRoot)
    {
        var path = Path.Combine(venvRoot, StampFile);
        try
        {
            if (!File.Exists(path) || File.Exists(Path.Combine(venvRoot, VirtualEnvironment.CreatingMarker)))
            {
                return null;
            }
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            Dictionary<string, (string, string, string?)>? installed = null;
            if (root.TryGetProperty("installed", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                installed = new Dictionary<string, (string, string, string?)>(StringComparer.Ordinal);
                foreach (var entry in list.EnumerateArray())
                {
                    var name = entry.GetProperty("name").GetString() ?? "";
                    installed[PackageName.Normalize(name)] = (name, entry.GetProperty("version").GetString() ?? "",
                        entry.TryGetProperty("sha256", out var sha) ? sha.GetString() : null);
                }
            }
            return new Stamp(root.TryGetProperty("fingerprint", out var value) ? value.GetString() : null, installed);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteStamp(
        string venvRoot, string fingerprint, PythonInterpreter interpreter, InstallPlan plan,
        IReadOnlyDictionary<string, string> newSources, Dictionary<string, List<InstalledDistribution>> kept)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", fingerprint);
            writer.WriteString("interpreter", interpreter.BaseExecutable);
            writer.WriteString("version", interpreter.Version);
            writer.WriteNumber("packages", plan.Packages.Count);
            writer.WriteStartArray("installed");
            foreach (var package in plan.Packages.OrderBy(p => p.NormalizedName, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("name", package.Name);
                writer.WriteString("version", package.Version);
                var source = newSources.TryGetValue(package.NormalizedName, out var sha) ? sha
                    : kept.TryGetValue(package.NormalizedName, out var dists) ? dists[0].Source : null;
                writer.WriteString("sha256", source?.ToLowerInvariant());
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        FileSystem.WriteAtomically(Path.Combine(venvRoot, StampFile), buffer.ToArray());
    }

    /// <summary>How the venv differs from what the last sync recorded: per distribution, its normalized name and a line.</summary>
    private static List<(string Name, string Line)> Drift(
        IReadOnlyDictionary<string, (string Name, string Version, string? Source)> recordedByName, Dictionary<string, List<InstalledDistribution>> installed)
    {
        var drift = new List<(string, string)>();
        foreach (var pair in installed.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var dist in pair.Value)
            {
                if (!recordedByName.TryGetValue(pair.Key, out var recorded))
                {
                    drift.Add((pair.Key, $"{dist.Name} {dist.Version} was installed by hand"));
                }
                else if (pair.Value.Count > 1 || dist.Version != recorded.Version || !string.Equals(dist.Source, recorded.Source, StringComparison.OrdinalIgnoreCase))
                {
                    drift.Add((pair.Key, $"{recorded.Name} {recorded.Version} was replaced by hand (now {dist.Name} {dist.Version}{(dist.Source is null ? ", not installed by PythonEnv.Sdk" : "")})"));
                }
                else if (dist.Damage is { } damage)
                {
                    drift.Add((pair.Key, $"{dist.Name} {dist.Version} was altered by hand ({damage})"));
                }
            }
        }
        foreach (var pair in recordedByName.Where(p => !installed.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            drift.Add((pair.Key, $"{pair.Value.Name} {pair.Value.Version} was removed by hand"));
        }
        return drift;
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

    private static PlannedArtifact Choose(PlannedPackage package, SyncOptions options, PythonInterpreter interpreter)
        => Located(package, () => ChooseArtifact(package, options, interpreter));

    private static PlannedArtifact ChooseArtifact(PlannedPackage package, SyncOptions options, PythonInterpreter interpreter)
    {
        var best = package.Wheels
            .Select(w => (Wheel: w, Rank: options.Rank(interpreter, w.FileName)))
            .Where(w => w.Rank is not null)
            .OrderBy(w => w.Rank)
            .Select(w => w.Wheel)
            .FirstOrDefault();
        if (best is not null)
        {
            return best;
        }
        var candidates = package.Wheels.Count == 0 ? "it has no wheels" : "none of its wheels fits (" + string.Join(", ", package.Wheels.Select(w => w.FileName)) + ")";
        if (package.Sdist is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel,
                $"{package.Name} {package.Version} cannot be installed on this interpreter: {candidates}, and the lock has no sdist to build. " +
                "Choose another Python (PythonVersion), or a version of the package with a wheel for this platform.");
        }
        if (options.NoBuild || options.SdistBuilder is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel,
                $"{package.Name} {package.Version} must be built from its sdist {package.Sdist.FileName} ({candidates}), " +
                (options.NoBuild ? "but PythonNoBuild is true. Set PythonNoBuild to false to allow the build, or choose a version with a compatible wheel."
                                 : "but no build was configured."));
        }
        return package.Sdist;
    }

    private static async Task<List<(PlannedPackage Package, (UnpackedWheel Wheel, string SourceSha256) Wheel)>> PrepareAsync(
        List<(PlannedPackage Package, PlannedArtifact Artifact)> work, WheelCache cache, SyncOptions options,
        PythonInterpreter interpreter, ISet<string> suspect, CancellationToken cancellationToken)
    {
        using var throttle = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
        var tasks = work.Select(async item =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var verify = suspect.Contains(item.Package.NormalizedName);
                try
                {
                    return (item.Package, await PrepareOneAsync(item.Package, item.Artifact, cache, options, interpreter, verify, cancellationToken).ConfigureAwait(false));
                }
                catch (PythonEnvException error)
                {
                    throw At(item.Package, error);
                }
            }
            finally
            {
                throttle.Release();
            }
        }).ToList();
        return (await Task.WhenAll(tasks).ConfigureAwait(false)).ToList();
    }

    private static async Task<(UnpackedWheel Wheel, string SourceSha256)> PrepareOneAsync(
        PlannedPackage package, PlannedArtifact artifact, WheelCache cache, SyncOptions options, PythonInterpreter interpreter,
        bool verify, CancellationToken cancellationToken)
    {
        if (artifact.IsWheel && cache.TryGet(artifact.Sha256, verify) is { } cached)
        {
            return (cached, artifact.Sha256);
        }
        var file = await FetchAsync(artifact, options, cancellationToken).ConfigureAwait(false);
        if (artifact.IsWheel)
        {
            using (options.Progress?.Start(ProgressPhase.Unpack, artifact.FileName, null))
            {
                return (await cache.AddAsync(file, artifact.FileName, artifact.Sha256, verify, cancellationToken).ConfigureAwait(false), artifact.Sha256);
            }
        }
        string wheelPath, wheelSha;
        using (options.Progress?.Start(ProgressPhase.Build, $"{package.Name} {package.Version} from {artifact.FileName}"))
        {
            (wheelPath, wheelSha) = await options.SdistBuilder!.BuildAsync(package, file, artifact.Sha256, interpreter, options, cancellationToken).ConfigureAwait(false);
        }
        if (cache.TryGet(wheelSha, verify) is { } built)
        {
            return (built, artifact.Sha256);
        }
        using (options.Progress?.Start(ProgressPhase.Unpack, Path.GetFileName(wheelPath), null))
        {
            return (await cache.AddAsync(wheelPath, Path.GetFileName(wheelPath), wheelSha, verify, cancellationToken).ConfigureAwait(false), artifact.Sha256);
        }
    }

    /// <summary>A local path to the artifact, checked against the lock's size and sha256.</summary>
    internal static async Task<string> FetchAsync(PlannedArtifact artifact, SyncOptions options, CancellationToken cancellationToken)
    {
        if (artifact.LocalPath is { } local)
        {
            var info = new FileInfo(local);
            if (!info.Exists)
            {
                throw new PythonEnvException(DiagnosticCodes.ArtifactHashMismatch, $"{artifact.FileName} is not at {local}. Restore the file or re-lock.", local);
            }
            var actual = Hashing.Sha256HexOfFile(local);
            if ((artifact.Size is { } size && size != info.Length) || !string.Equals(actual, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PythonEnvException(DiagnosticCodes.ArtifactHashMismatch,
                    $"{local} does not match the lock: expected sha256 {artifact.Sha256}" + (artifact.Size is null ? "" : $" and {artifact.Size} bytes") +
                    $", the file has sha256 {actual} and {info.Length} bytes. It was not installed; restore the original file or re-lock.", local);
            }
            return local;
        }
        if (artifact.Url is null)
        {
            throw new ArgumentException($"{artifact.FileName} has neither a local path nor a URL", nameof(artifact));
        }
        if (options.Download is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel, $"{artifact.FileName} must be downloaded from {artifact.Url.GetLeftPart(UriPartial.Path)}, but no index client was configured.");
        }
        return await options.Download(artifact.Url, artifact.Sha256.ToLowerInvariant(), artifact.Size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An installed distribution: its dist-info folder, name and version (from METADATA), the SDK's source
    /// marker, what is wrong with its files when something is (a file its RECORD lists is missing or has
    /// another size; checked for the SDK's own installs, the only ones that can be kept), else null, and the
    /// names directly in site-packages its RECORD claims, and the files it lists in the venv (full path to RECORD hash).
    /// </summary>
    internal sealed record InstalledDistribution(
        string Folder, string Name, string Version, string? Source, string? Damage, IReadOnlyCollection<string> TopLevel, IReadOnlyDictionary<string, string> Files);

    /// <summary>Every distribution in the venv's site-packages, by normalized name.</summary>
    internal static Dictionary<string, List<InstalledDistribution>> ScanInstalled(VirtualEnvironment venv)
    {
        var result = new Dictionary<string, List<InstalledDistribution>>(StringComparer.Ordinal);
        foreach (var site in SiteFolders(venv))
        {
            foreach (var folder in Directory.EnumerateDirectories(site, "*.dist-info"))
            {
                var (name, version) = ReadNameAndVersion(folder);
                var key = PackageName.Normalize(name);
                if (!result.TryGetValue(key, out var list))
                {
                    result[key] = list = new List<InstalledDistribution>();
                }
                var source = WheelInstaller.InstalledFrom(folder);
                var record = Path.Combine(folder, "RECORD");
                var rows = File.Exists(record) ? RecordFile.Parse(File.ReadAllText(record, Encoding.UTF8)) : null;
                var topLevel = new HashSet<string>(FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal) { Path.GetFileName(folder) };
                foreach (var row in rows ?? Array.Empty<RecordEntry>())
                {
                    var first = row.Path.Split('/')[0];
                    if (first is not ("" or "." or ".."))
                    {
                        topLevel.Add(first);
                    }
                }
                var damage = source is null ? null : rows is null ? "its RECORD is missing" : Damage(site, rows, venv);
                list.Add(new InstalledDistribution(folder, name, version, source, damage, topLevel, FilesInVenv(site, rows, venv)));
            }
        }
        return result;
    }

    private static Dictionary<string, string> FilesInVenv(string site, IReadOnlyList<RecordEntry>? rows, VirtualEnvironment venv)
    {
        var files = new Dictionary<string, string>(FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var row in rows ?? Array.Empty<RecordEntry>())
        {
            var path = Path.GetFullPath(Path.Combine(site, row.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (WheelInstaller.IsInside(venv.Root, path))
            {
                files[path] = row.Hash;
            }
        }
        return files;
    }

    private static IEnumerable<string> SiteFolders(VirtualEnvironment venv)
        => new[] { venv.PureLib, venv.PlatLib }.Distinct(StringComparer.Ordinal).Where(Directory.Exists);

    /// <summary>
    /// Files and folders directly in site-packages that no installed distribution's RECORD claims (dropped
    /// there by hand, or left by a distribution removed without its RECORD); bytecode caches excepted.
    /// </summary>
    private static List<string> Unowned(VirtualEnvironment venv, Dictionary<string, List<InstalledDistribution>> installed)
    {
        var owned = new HashSet<string>(installed.Values.SelectMany(list => list).SelectMany(d => d.TopLevel),
            FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        return SiteFolders(venv)
            .SelectMany(site => Directory.EnumerateFileSystemEntries(site))
            .Where(entry => Path.GetFileName(entry) is var name && name != "__pycache__" && !owned.Contains(name))
            .OrderBy(entry => entry, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The first file of a RECORD that is missing or has another size than recorded, described; else null.</summary>
    private static string? Damage(string site, IReadOnlyList<RecordEntry> rows, VirtualEnvironment venv)
    {
        foreach (var row in rows)
        {
            var path = Path.GetFullPath(Path.Combine(site, row.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (!WheelInstaller.IsInside(venv.Root, path))
            {
                continue;
            }
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return $"{row.Path} is missing";
            }
            if (row.Size is { } size && file.Length != size)
            {
                return $"{row.Path} has {file.Length} bytes, not {size}";
            }
        }
        return null;
    }

    private static (string Name, string Version) ReadNameAndVersion(string folder)
    {
        var metadata = Path.Combine(folder, "METADATA");
        var (name, version) = DistInfoMetadata.ReadNameAndVersion(File.Exists(metadata) ? File.ReadAllText(metadata) : null);
        // A dist-info without METADATA (an interrupted install) still names itself: name-version.dist-info.
        var stem = Path.GetFileName(folder);
        stem = stem.Substring(0, stem.Length - ".dist-info".Length);
        var dash = stem.IndexOf('-');
        return (name ?? (dash > 0 ? stem.Substring(0, dash) : stem), version ?? (dash > 0 ? stem.Substring(dash + 1) : ""));
    }
}
