using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Interpreters;
using PythonEnv.Locking;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Workflows;

/// <summary>The settings of one <c>PythonLock</c> run besides the declarations.</summary>
public sealed class LockRequest
{
    public string LockPath { get; init; } = "pylock.toml";

    public LockMode Mode { get; init; } = LockMode.Update;

    /// <summary><c>PythonUpgrade</c>: <c>true</c>, <c>false</c> or package names separated by <c>;</c> or <c>,</c>.</summary>
    public string? Upgrade { get; init; }

    /// <summary><c>PythonEnvironments</c>: PEP 508 markers, one per environment the lock must cover (empty: all).</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    public ResolutionStrategy Resolution { get; init; } = ResolverOptionNames.DefaultStrategy;

    public PrereleasePolicy Prerelease { get; init; } = ResolverOptionNames.DefaultPrerelease;

    /// <summary>Fallback for requires-python when no declaration sets it: the lowest Python <c>PythonVersion</c> asks for (see <see cref="LockRequiresPython"/>).</summary>
    public string? PythonVersion { get; init; }

    /// <summary>The project folder: where <c>.python-version</c> is looked up and interpreters are discovered from (default: the lock's folder).</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary><c>PythonInterpreter</c>: the interpreter the build uses, when named.</summary>
    public string? PythonInterpreter { get; init; }

    /// <summary><c>PythonNoBuild</c>: an sdist does not make a version installable.</summary>
    public bool NoBuild { get; init; }

    /// <summary><c>PythonInterpreterSource</c>: installed interpreters, managed ones, or installed first.</summary>
    public InterpreterSource InterpreterSource { get; init; } = InterpreterSource.Auto;

    /// <summary>Managed interpreters (downloads into the cache); null: installed ones only.</summary>
    public ManagedInterpreters? ManagedInterpreters { get; init; }

    /// <summary>
    /// Finds the build's interpreter (default: the same discovery <c>PythonSync</c> runs). Its environment is one
    /// the lock must install in, and requires-python comes from it when nothing else says one.
    /// </summary>
    public Func<DiscoveryOptions, CancellationToken, PythonInterpreter>? FindInterpreter { get; init; }

    /// <summary>Messages worth one line at normal verbosity (requires-python taken from the interpreter).</summary>
    public Action<string> Note { get; init; } = _ => { };

    /// <summary><c>PythonTorchBackend</c>: <c>cpu</c>, <c>cu121</c>, ... or <c>auto</c> (see <see cref="TorchBackend"/>); null or empty: none.</summary>
    public string? TorchBackend { get; init; }

    /// <summary><c>PythonTorchIndexUrl</c>: where PyTorch's per-backend indexes are (null: download.pytorch.org/whl).</summary>
    public string? TorchIndexUrl { get; init; }

    /// <summary>Reads environment variables (the stated NVIDIA driver version for <c>auto</c>); default the process's.</summary>
    public Func<string, string?> ReadEnvironment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>PEP 751 <c>created-by</c>: the name of the tool that made the lock.</summary>
    public string CreatedBy { get; init; } = PylockFile.ToolName;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Told when a resolution runs and how long it takes; null reports nothing.</summary>
    public IProgressReporter? Progress { get; init; }

    /// <summary>
    /// Warnings with their code and place: what the resolution worked around (PYENV2002, at no user file: the
    /// task puts it at the lock) and extras a package does not provide (PYENV2003, at the declaration).
    /// </summary>
    public Action<PythonEnvException> Warn { get; init; } = _ => { };
}

/// <summary>What a <c>PythonLock</c> run found and did.</summary>
public sealed record LockOutcome(bool Written, IReadOnlyList<string> Drift, IReadOnlyList<string> PackageChanges);

/// <summary>
/// The <c>PythonLock</c> workflow: builds the normalized manifest from the declarations, compares it with the
/// one recorded in the lock and checks that the locked pins still satisfy every requirement; then, by mode,
/// re-resolves (preferring the locked versions) and rewrites the lock, or fails with PYENV3001.
/// </summary>
public static class LockWorkflow
{
    /// <summary>The command a Locked-mode failure tells the user to run.</summary>
    public const string FixCommand = PylockFile.FixCommand;

    public static LockOutcome Run(ProjectDeclarations declarations, IndexClientOptions index, LockRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Mode == LockMode.Frozen)
        {
            // No drift check, but a lock that is not valid is never installed: reading it validates it.
            if (File.Exists(request.LockPath))
            {
                PylockReader.Load(request.LockPath);
            }

            return new LockOutcome(false, [], []);
        }

        var environments = EnvironmentMarkers(request.Environments);
        var sources = Sources(WithDeclaredIndexes(index, declarations), declarations, request);
        var indexes = sources.Options;
        var roots = declarations.Requirements.Select(Root)
            .Concat(declarations.Extras.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.Select(r => Root(r) with { Extra = e.Key })))
            .ToList();
        var constraints = declarations.Constraints.Select(Root).ToList();
        var existing = File.Exists(request.LockPath) ? PylockReader.Load(request.LockPath) : null;
        // Nothing declared: no lock to make, and a lock PythonEnv.Sdk did not make (no manifest) is the user's to keep.
        if ((existing is null || existing.Manifest is null) && roots.Count == 0 && constraints.Count == 0)
        {
            return new LockOutcome(false, [], []);
        }

        var interpreter = new BuildInterpreter(request, indexes, cancellationToken);
        var derived = LockRequiresPython.Derive(declarations.RequiresPython, request.PythonVersion, ProjectDirectory(request), existing?.Manifest?.RequiresPython,
            () => interpreter.Find(requiresPython: null));
        var manifest = Manifest(declarations, indexes, request, derived.Specifiers, sources.Routes);
        manifest = manifest.WithInterpreter(new LockedInterpreter { Request = interpreter.RequestText(), Source = SourceName(request.InterpreterSource) });
        var requiresPython = derived.Set;

        var drift = Drift(existing, manifest, roots, constraints, PythonResolver.Universe(requiresPython, environments),
            PythonVersionSets.Finals(VersionSet.FromSpecifierSet(requiresPython)));
        var upgradeAll = string.Equals(request.Upgrade?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var upgrade = UpgradeNames(request.Upgrade);
        if (request.Mode == LockMode.Locked)
        {
            if (drift.Count > 0)
            {
                throw new PythonEnvException(DiagnosticCodes.LockOutOfDate,
                    $"{Path.GetFileName(request.LockPath)} is out of date with the project's declarations:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, drift.Select(line => "  " + line)) + Environment.NewLine +
                    $"Run '{FixCommand}' and commit the updated lock file.",
                    request.LockPath);
            }

            return new LockOutcome(false, drift, []);
        }

        if (drift.Count == 0 && !upgradeAll && upgrade.Count == 0)
        {
            return new LockOutcome(false, drift, []);
        }

        var options = new ResolverOptions
        {
            RequiresPython = requiresPython,
            Strategy = request.Resolution,
            Prerelease = request.Prerelease,
            Preferences = Preferences(existing),
            Environments = environments,
            Routes = sources.Routes,
            Forks = (existing?.Manifest?.Forks ?? []).Select(fork => MarkerExpression.TryParse(fork, out var marker) ? marker : null).OfType<MarkerExpression>().ToList(),
            UpgradeAll = upgradeAll,
            Upgrade = upgrade,
            BuildsAllowed = !request.NoBuild,
            Machine = interpreter.Machine(derived.Specifiers),
        };
        ResolutionResult resolution;
        // Upgraded packages must see versions published since their pages were cached; the others may use the cache.
        var refresh = upgradeAll ? CacheRefresh.All : CacheRefresh.Packages(upgrade);
        // Files downloaded while resolving (an sdist to build metadata from, a wheel without PEP 658 metadata) show progress too.
        using (var client = new IndexClient(indexes with { Refresh = refresh, Progress = indexes.Progress ?? request.Progress }))
        using (request.Progress?.Start(ProgressPhase.Resolve, Path.GetFileName(request.LockPath)))
        {
            resolution = new PythonResolver(new IndexPackageSource(client), options).Resolve(roots, constraints, cancellationToken);
        }

        if (derived.FromInterpreter)
        {
            request.Note(derived.Note);
        }

        foreach (var warning in resolution.Warnings)
        {
            request.Warn(warning);
        }

        var lockFile = LockBuilder.Build(resolution, manifest.WithInterpreter(Recorded(interpreter, manifest.Interpreter!, cancellationToken)), request.CreatedBy, LockDirectory(request));
        var changes = PackageChanges(existing, lockFile);
        var written = PylockWriter.Save(lockFile, request.LockPath);
        foreach (var change in changes)
        {
            request.Log(change);
        }

        return new LockOutcome(written, drift, changes);
    }

    /// <summary>The manifest the declarations stand for, normalized as it is recorded in the lock.</summary>
    /// <param name="requiresPython">The lock's requires-python (<see cref="LockRequiresPython"/>); null: the declared one.</param>
    public static LockManifest Manifest(ProjectDeclarations declarations, IndexClientOptions index, LockRequest request, string? requiresPython = null, IndexRoutes? routes = null)
    {
        requiresPython ??= declarations.RequiresPython;
        return new LockManifest
        {
            RequiresPython = requiresPython,
            Environments = request.Environments,
            Requirements = declarations.Requirements.Where(r => r.Group is null).Select(r => r.Requirement.ToString()).ToList(),
            DependencyGroups = declarations.Requirements.Where(r => r.Group is not null)
                .GroupBy(r => r.Group!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Requirement.ToString()).ToList(), StringComparer.Ordinal),
            Extras = declarations.Extras.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.Select(r => r.Requirement.ToString()).ToList(), StringComparer.Ordinal),
            Constraints = declarations.Constraints.Select(r => r.Requirement.ToString()).ToList(),
            // Local folders relative to the lock, as its files are: a lock committed with its wheels stays valid in every clone.
            Indexes = index.IndexUrls.Select(url => LockPaths.Portable(url.AbsoluteUri, LockDirectory(request))).ToList(),
            FindLinks = index.FindLinks.Select(link => LockPaths.Portable(link, LockDirectory(request))).ToList(),
            IndexPins = (routes ?? IndexRoutes.None).All.Select(route => route.ManifestText(url => LockPaths.Portable(url, LockDirectory(request)))).ToList(),
            Resolution = ResolverOptionNames.Name(request.Resolution),
            Prerelease = ResolverOptionNames.Name(request.Prerelease),
        }.Normalize();
    }

    /// <summary>The name <c>PythonInterpreterSource</c> and the lock give a source.</summary>
    public static string SourceName(InterpreterSource source) => source.ToString().ToLowerInvariant();

    /// <summary>The request and source, with what was used: the interpreter's implementation and version, and a managed build with every platform's download.</summary>
    private static LockedInterpreter Recorded(BuildInterpreter interpreter, LockedInterpreter asked, CancellationToken cancellationToken)
    {
        var found = interpreter.Found;
        if (found is null)
        {
            return asked;
        }

        var build = ManagedInterpreters.BuildAt(found.BasePrefix);
        var downloads = build is null || interpreter.Managed is null
            ? []
            : interpreter.Managed.ManifestAsync(cancellationToken).GetAwaiter().GetResult().AllPlatforms(build)
                .Select(b => new LockedInterpreterDownload(b.Key, b.Platform.Key, b.Url, b.Sha256)).ToList();
        if (build is not null && !downloads.Any(d => d.Build == build.Key))
        {
            downloads.Add(new LockedInterpreterDownload(build.Key, build.Platform.Key, build.Url, build.Sha256)); // installed offline, or from another manifest
        }

        return asked with { Implementation = found.Implementation, Version = found.Version, Build = build?.Key, Downloads = downloads };
    }

    private static string LockDirectory(LockRequest request) => Path.GetDirectoryName(Path.GetFullPath(request.LockPath)) ?? ".";

    private static string ProjectDirectory(LockRequest request) => request.ProjectDirectory ?? LockDirectory(request);

    /// <summary>The interpreter the build uses, found once and only when asked for.</summary>
    private sealed class BuildInterpreter
    {
        private readonly LockRequest _request;
        private readonly IndexClientOptions _index;
        private readonly CancellationToken _cancellationToken;
        private PythonInterpreter? _found;

        public BuildInterpreter(LockRequest request, IndexClientOptions index, CancellationToken cancellationToken)
        {
            _request = request;
            _index = index;
            _cancellationToken = cancellationToken;
        }

        public PythonInterpreter Find(string? requiresPython)
        {
            if (_found is not null)
            {
                return _found;
            }

            var options = Options(requiresPython);
            _found = _request.FindInterpreter is { } find
                ? find(options, _cancellationToken)
                : new InterpreterDiscovery(new InterpreterProbe(_index.CacheDir), options).FindAsync(_cancellationToken).GetAwaiter().GetResult();
            return _found;
        }

        /// <summary>The interpreter found, when one was looked for and found.</summary>
        public PythonInterpreter? Found => _found;

        public ManagedInterpreters? Managed => _request.ManagedInterpreters;

        /// <summary>What the build asks of its interpreter (PythonVersion or .python-version), as the lock records it.</summary>
        public string? RequestText() => string.IsNullOrWhiteSpace(_request.PythonInterpreter)
            ? new InterpreterDiscovery(new InterpreterProbe(_index.CacheDir), Options(null)).RequestText()
            : null;

        private DiscoveryOptions Options(string? requiresPython) => new()
        {
            ProjectDirectory = ProjectDirectory(_request),
            InterpreterPath = _request.PythonInterpreter,
            PythonVersion = _request.PythonVersion,
            RequiresPython = requiresPython,
            Source = _request.InterpreterSource,
            Managed = _request.InterpreterSource == InterpreterSource.System ? null : _request.ManagedInterpreters,
        };

        /// <summary>The machine the lock must install on, when an interpreter for it is found (else the sync reports that).</summary>
        public BuildMachine? Machine(string requiresPython)
        {
            PythonInterpreter interpreter;
            try
            {
                interpreter = Find(requiresPython);
            }
            catch (PythonEnvException e) when (e.Code == DiagnosticCodes.NoInterpreter)
            {
                _request.Note("no interpreter for this machine was found, so the lock is not checked for files that install here: " + e.Message.Split('\n')[0]);
                return null;
            }

            var environment = new MarkerEnvironment(interpreter.MarkerEnvironment);
            return new BuildMachine(environment, interpreter.Tags,
                $"this machine ({interpreter.Implementation} {interpreter.Version} on {environment.SysPlatform} {environment.PlatformMachine})");
        }
    }

    /// <summary>Every difference between the lock and the declarations, one line each; empty when the lock is up to date.</summary>
    private static List<string> Drift(PylockFile? existing, LockManifest manifest, IReadOnlyList<RootRequirement> roots,
        IReadOnlyList<RootRequirement> constraints, MarkerExpression universe, VersionSet requiresPython)
    {
        if (existing is null)
        {
            return ["the lock file does not exist"];
        }

        if (existing.Manifest is null)
        {
            return ["the lock records no [tool.pythonenv-sdk] manifest (it was not made by PythonEnv.Sdk)"];
        }

        var drift = LockManifest.Compare(existing.Manifest, manifest).Select(change => change.ToString()).ToList();
        drift.AddRange(LockVerifier.Check(existing, roots, constraints, universe, requiresPython));
        return drift;
    }

    /// <summary>The <c>PythonEnvironments</c> markers; one that does not parse is PYENV1001 naming it.</summary>
    private static List<MarkerExpression> EnvironmentMarkers(IReadOnlyList<string> declared)
    {
        var markers = new List<MarkerExpression>();
        foreach (var text in declared)
        {
            try
            {
                markers.Add(MarkerExpression.Parse(text));
            }
            catch (PackagingFormatException error)
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                    $"PythonEnvironments holds '{text}', which is not a PEP 508 marker: {error.Reason}. Write one marker per environment, separated by ';', e.g. \"sys_platform == 'linux'; sys_platform == 'win32'\".");
            }
        }

        return markers;
    }

    private static RootRequirement Root(DeclaredRequirement declared) => new(declared.Requirement, declared.Group, declared.Where) { Location = declared.Location };

    /// <summary>The locked entries, preferred by the next resolution (each where its marker holds) so a re-lock moves only what must move.</summary>
    private static List<Preference> Preferences(PylockFile? existing)
    {
        var preferences = new List<Preference>();
        foreach (var package in existing?.Packages ?? [])
        {
            if (PackageName.TryParse(package.Name, out var name) && Pep440Version.TryParse(package.Version, out var version))
            {
                preferences.Add(new Preference(name, version, MarkerExpression.TryParse(package.Marker, out var marker) ? marker : null));
            }
        }

        return preferences;
    }

    private static List<PackageName> UpgradeNames(string? upgrade)
    {
        var text = upgrade?.Trim() ?? "";
        if (text.Length == 0 || text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var names = new List<PackageName>();
        foreach (var part in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (!PackageName.TryParse(part, out var name))
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                    $"PythonUpgrade names '{part}', which is not a valid package name; use true, false or package names separated by ';'.");
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>One line per package whose locked versions changed: <c>+ name 1.0</c>, <c>~ name 1.0 -> 1.1</c>, <c>- name 1.0</c>.</summary>
    public static IReadOnlyList<string> PackageChanges(PylockFile? before, PylockFile after)
    {
        static Dictionary<string, string> Versions(PylockFile? file) =>
            (file?.Packages ?? []).GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => string.Join(", ", g.Select(p => p.Version ?? "").Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal)),
                StringComparer.Ordinal);

        var old = Versions(before);
        var now = Versions(after);
        var lines = new List<string>();
        foreach (var name in old.Keys.Union(now.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            var had = old.TryGetValue(name, out var o) ? o : null;
            var has = now.TryGetValue(name, out var n) ? n : null;
            if (had is null)
            {
                lines.Add($"+ {name} {has}");
            }
            else if (has is null)
            {
                lines.Add($"- {name} {had}");
            }
            else if (had != has)
            {
                lines.Add($"~ {name} {had} -> {has}");
            }
        }

        return lines;
    }

    /// <summary>The named indexes and pins placed among the index options, with <c>PythonTorchBackend</c>'s pins (its <c>auto</c> choice said once).</summary>
    private static SourceMapping Sources(IndexClientOptions index, ProjectDeclarations declarations, LockRequest request)
    {
        string? backend = null;
        if (!string.IsNullOrWhiteSpace(request.TorchBackend))
        {
            backend = Index.TorchBackend.Resolve(request.TorchBackend!.Trim().ToLowerInvariant(), request.ReadEnvironment, out var why);
            request.Note(why);
        }

        return SourceMapping.Build(index, declarations.Indexes, declarations.Pins, backend, request.TorchIndexUrl, request.ProjectDirectory ?? LockDirectory(request));
    }

    /// <summary>The index options with those requirements files declare (a file's <c>--index-url</c> replaces the default one).</summary>
    private static IndexClientOptions WithDeclaredIndexes(IndexClientOptions index, ProjectDeclarations declarations)
    {
        if (declarations.IndexUrl is null && declarations.ExtraIndexUrls.Count == 0 && declarations.FindLinks.Count == 0)
        {
            return index;
        }

        var urls = new List<Uri>();
        urls.Add(declarations.IndexUrl is { } primary ? new Uri(primary) : index.IndexUrls[0]);
        urls.AddRange(index.IndexUrls.Skip(1));
        urls.AddRange(declarations.ExtraIndexUrls.Select(url => new Uri(url)));
        return index with
        {
            IndexUrls = urls.Distinct().ToList(),
            FindLinks = index.FindLinks.Concat(declarations.FindLinks).Distinct(StringComparer.Ordinal).ToList(),
        };
    }
}
