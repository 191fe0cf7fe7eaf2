using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution.PubGrub;

namespace PythonEnv.Resolution;

/// <summary>
/// Resolves the project's requirements into pinned versions with PubGrub.
/// <para>
/// A universal resolution (no target environment) solves a fork: a marker for the environments solved
/// together, at first every environment the project allows (requires-python and <c>PythonEnvironments</c>).
/// When a dependency list asks for one package differently under markers that divide the fork, the fork is
/// split along those markers into disjoint parts and each part is solved on its own, preferring the versions
/// earlier parts chose. When a fork has no solution and requirements met in different lists diverge that way,
/// it is split likewise and each part tried before the failure is reported. Merging walks each part's solution from the project, carrying markers along the
/// edges, so every entry's marker says exactly where it is needed, and one package may have several entries
/// with disjoint markers. The forks are reported so the lock can record them and the next resolution can
/// start from them.
/// </para>
/// </summary>
public sealed class PythonResolver
{
    /// <summary>Beyond this many forks, further divergence is solved as one (a safety net against marker explosions).</summary>
    private const int MaxForks = 64;

    private readonly IPackageSource _source;
    private readonly ResolverOptions _options;

    public PythonResolver(IPackageSource source, ResolverOptions options)
    {
        _source = source;
        _options = options;
    }

    /// <summary>Every environment a universal lock covers: requires-python, and one of the declared environments when there are any.</summary>
    public static MarkerExpression Universe(SpecifierSet requiresPython, IReadOnlyList<MarkerExpression> environments)
    {
        var universe = RequiresPythonRange.Marker(requiresPython);
        if (environments.Count > 0)
        {
            universe = universe.And(environments.Aggregate((a, b) => a.Or(b)));
        }

        return universe.Simplify();
    }

    /// <summary>
    /// Resolves; a failure is <see cref="PythonEnvException"/> PYENV2001 with the derivation, at the file that
    /// declares the requirements (the derivation names each declaration's line).
    /// </summary>
    public ResolutionResult Resolve(IReadOnlyList<RootRequirement> requirements, IReadOnlyList<RootRequirement>? constraints = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return ResolveAll(requirements, constraints, cancellationToken);
        }
        catch (PythonEnvException failure) when (failure.Code == DiagnosticCodes.NoSolution && failure.File is null
            && requirements.Select(r => r.Location?.File).FirstOrDefault(file => file is not null) is { } declaredIn)
        {
            throw new PythonEnvException(failure.Code, failure.Message, declaredIn, inner: failure);
        }
    }

    private ResolutionResult ResolveAll(IReadOnlyList<RootRequirement> requirements, IReadOnlyList<RootRequirement>? constraints, CancellationToken cancellationToken)
    {
        constraints ??= [];
        var source = new MemoizedPackageSource(_source);
        var skipped = new SkippedVersions();
        foreach (var requirement in requirements.Concat(constraints))
        {
            if (requirement.Requirement.Url is not null)
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                    $"'{requirement.Requirement}' is a direct URL requirement; only packages from the configured indexes can be locked.",
                    requirement.Source);
            }
        }

        if (_options.Environment is { } environment)
        {
            var scope = MarkerScope.Single(environment);
            var solved = Solve(new PythonDependencyProvider(source, _options, scope, requirements, constraints, cancellationToken, skipped: skipped), $" for Python {environment.PythonFullVersion} on {environment.SysPlatform}");
            return WithWarnings(Merge([solved], MarkerExpression.Always, VersionSet.Full, requirements, skipped), [solved], requirements);
        }

        var universe = Universe(_options.RequiresPython, _options.Environments);
        if (universe.IsNever)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                $"No environment is left to lock: requires-python '{_options.RequiresPython}' and PythonEnvironments ({string.Join("; ", _options.Environments)}) exclude each other. Widen one of them.");
        }

        var python = PythonVersionSets.Finals(VersionSet.FromSpecifierSet(_options.RequiresPython));
        var pending = new List<MarkerExpression>(InitialForks(universe));
        var parts = new List<Solved>();
        var chosen = new Dictionary<PackageName, Pep440Version>();
        var forks = pending.Count;
        while (pending.Count > 0)
        {
            var fork = pending[0];
            pending.RemoveAt(0);
            var where = fork.Equals(universe) ? "" : $" where {fork.SimplifyAssuming(python)}";
            var provider = new PythonDependencyProvider(source, _options, MarkerScope.Universal(fork), requirements, constraints, cancellationToken,
                new Dictionary<PackageName, Pep440Version>(chosen), mayFork: forks < MaxForks, skipped);
            try
            {
                var solved = Solve(provider, where);
                parts.Add(solved);
                foreach (var pin in solved.Pins.Where(pin => !chosen.ContainsKey(pin.Key)))
                {
                    chosen.Add(pin.Key, pin.Value);
                }
            }
            catch (ForkRequiredException split)
            {
                // Depth first, in order: the parts of this fork are solved before the forks after it.
                pending.InsertRange(0, split.Parts);
                forks += split.Parts.Count - 1;
            }
            catch (PythonEnvException failure) when (failure.Code == DiagnosticCodes.NoSolution && forks < MaxForks && provider.TrySplitAfterFailure(out var split))
            {
                // Requirements from different lists that only clash together: each part may have a solution.
                pending.InsertRange(0, split);
                forks += split.Count - 1;
            }
        }

        return WithWarnings(Merge(parts, universe, python, requirements, skipped), parts, requirements);
    }

    /// <summary>
    /// The resolution with a PYENV2003 warning for every extra that a declaration, or a Requires-Dist of a
    /// direct dependency, asks of a package whose chosen version does not provide it (<c>requests[sock]</c>:
    /// the extra installs nothing, so the typo would go unnoticed).
    /// </summary>
    private static ResolutionResult WithWarnings(ResolutionResult result, IReadOnlyList<Solved> parts, IReadOnlyList<RootRequirement> requirements)
    {
        var warnings = new List<PythonEnvException>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in requirements)
        {
            var direct = root.Requirement;
            foreach (var part in parts.Where(part => part.Pins.ContainsKey(direct.PackageName)))
            {
                var version = part.Pins[direct.PackageName];
                var asked = new List<(Requirement Requirement, string By)> { (direct, "") };
                asked.AddRange(part.Provider.Metadata(direct.PackageName, version).RequiresDist
                    .Where(dependency => dependency.NormalizedExtras.Count > 0)
                    .Select(dependency => (dependency, $"{direct.PackageName} {version}, which the project depends on, requires '{dependency}', but ")));
                foreach (var (requirement, by) in asked)
                {
                    if (!part.Pins.TryGetValue(requirement.PackageName, out var target))
                    {
                        continue;
                    }

                    var metadata = part.Provider.Metadata(requirement.PackageName, target);
                    foreach (var extra in requirement.NormalizedExtras.Where(extra => !Provides(metadata, extra)))
                    {
                        var provided = metadata.ProvidesExtra.Select(PackageName.Normalize).Distinct().OrderBy(e => e, StringComparer.Ordinal).ToList();
                        var message = $"{by}{requirement.PackageName} {target} has no extra '{extra}' " +
                            (provided.Count == 0 ? "(it provides none)" : $"(its extras: {string.Join(", ", provided)})") +
                            $", so '{extra}' installs nothing. {(by.Length == 0 ? "Fix the extra's name or remove it." : "Declare what that extra should bring yourself, or pick another version.")}";
                        if (seen.Add(message))
                        {
                            warnings.Add(new PythonEnvException(DiagnosticCodes.UnknownExtra, message, root.Location?.File ?? root.Source, root.Location?.Line ?? 0, root.Location?.Column ?? 0));
                        }
                    }
                }
            }
        }

        return warnings.Count == 0 ? result : new ResolutionResult(result.Packages, result.Forks, [.. result.Warnings, .. warnings]);
    }

    /// <summary>An extra is provided when Provides-Extra names it or a Requires-Dist marker asks for it (metadata before 2.1 may omit Provides-Extra).</summary>
    private static bool Provides(CoreMetadata metadata, string extra) =>
        metadata.ProvidesExtra.Any(provided => PackageName.Normalize(provided) == extra)
        || metadata.RequiresDist.Any(dependency => dependency.Marker is { } marker && !MarkerScope.InContext(marker, extra).Equals(MarkerScope.InContext(marker, null)));

    /// <summary>The previous resolution's forks, within today's universe, plus whatever of the universe they do not cover.</summary>
    private List<MarkerExpression> InitialForks(MarkerExpression universe)
    {
        // An upgrade of everything starts afresh, as it ignores every other trace of the old lock.
        var forks = _options.UpgradeAll ? [] : _options.Forks.Select(fork => universe.And(fork).Simplify()).Where(fork => !fork.IsNever).ToList();
        var disjoint = forks.Select((fork, i) => forks.Skip(i + 1).All(other => fork.IsDisjointWith(other))).All(ok => ok);
        if (forks.Count == 0 || !disjoint)
        {
            return [universe];
        }

        if (!forks.Aggregate((a, b) => a.Or(b)).TryNot(out var uncovered))
        {
            return [universe];
        }

        var rest = universe.And(uncovered).Simplify();
        if (!rest.IsNever)
        {
            forks.Add(rest);
        }

        return forks.Count > 1 ? forks : [universe];
    }

    private sealed record Solved(PythonDependencyProvider Provider, MarkerScope Scope, Dictionary<PackageName, Pep440Version> Pins);

    private static Solved Solve(PythonDependencyProvider provider, string where)
    {
        var solver = new PubGrubSolver<ResolverPackage, Pep440Version, VersionSet>(provider, Pep440VersionSets.Instance, ResolverPackage.Root, PythonDependencyProvider.RootVersion);
        try
        {
            var decisions = solver.Solve(provider.CancellationToken);
            var pins = new Dictionary<PackageName, Pep440Version>();
            foreach (var decision in decisions)
            {
                if (!decision.Key.IsRoot && decision.Key.Extra is null)
                {
                    pins[decision.Key.Name!] = decision.Value;
                }
            }

            return new Solved(provider, provider.Scope, pins);
        }
        catch (NoSolutionException<ResolverPackage, VersionSet> failure)
        {
            var explanation = DerivationReport<ResolverPackage, Pep440Version, VersionSet>.Explain(failure.Incompatibility, provider, Pep440VersionSets.Instance);
            throw new PythonEnvException(DiagnosticCodes.NoSolution, $"No set of package versions satisfies the requirements{where}:\n{explanation}");
        }
    }

    /// <summary>
    /// Combines the solved forks into entries keyed by name and version. In each fork, markers flow from the
    /// project along the solution's requirement edges (an edge adds its own marker, with extras decided for
    /// the extra it was read for); an entry's marker is the union of what reaches it in every fork.
    /// Dependency groups and the project's extras start from <c>'g' in dependency_groups</c> and <c>'x' in extras</c>.
    /// </summary>
    private static ResolutionResult Merge(IReadOnlyList<Solved> parts, MarkerExpression universe, VersionSet python, IReadOnlyList<RootRequirement> requirements, SkippedVersions skipped)
    {
        // Keyed by index too: the same version pinned to two indexes under disjoint markers is two entries.
        var entries = new Dictionary<(PackageName, Pep440Version, Uri), Entry>();
        foreach (var part in parts)
        {
            var flow = new MarkerFlow(part);
            foreach (var root in requirements)
            {
                var context = part.Scope.Fork;
                if (root.Group is { } group)
                {
                    context = context.And(MarkerExpression.Parse($"'{group}' in dependency_groups"));
                }

                if (root.Extra is { } extra)
                {
                    context = context.And(MarkerExpression.Parse($"'{PackageName.Normalize(extra)}' in extras"));
                }

                flow.Follow(root.Requirement, context, null);
            }

            flow.Run();
            foreach (var reached in flow.Reached)
            {
                var (name, extra) = reached.Key;
                var marker = reached.Value;
                if (extra is not null)
                {
                    continue;
                }

                var version = part.Pins[name];
                var key = (name, version, part.Provider.IndexOf(name));
                if (!entries.TryGetValue(key, out var entry))
                {
                    entry = new Entry(part.Provider, name, version);
                    entries.Add(key, entry);
                }

                entry.Markers.Add(marker);
                entry.WholeForks += marker.Equals(part.Scope.Fork) ? 1 : 0;
                entry.Dependencies.UnionWith(flow.DependenciesOf(name));
            }
        }

        var selection = (Extras: requirements.Select(r => r.Extra).OfType<string>().Select(PackageName.Normalize).ToList(), Groups: requirements.Select(r => r.Group).OfType<string>().ToList());
        var packages = entries.Values
            .Select(entry => entry.ToPackage(universe, python, entry.WholeForks == parts.Count, selection))
            .OrderBy(package => package.Name.Normalized, StringComparer.Ordinal)
            .ThenBy(package => package.Version)
            .ThenBy(package => package.Index.AbsoluteUri, StringComparer.Ordinal)
            .ToList();
        // Forks are worth recording only where they chose differently; identical parts (a divergence that went
        // away since the last lock) are dropped, so the next resolution starts whole again.
        var differ = parts.Skip(1).Any(part => !SamePins(part.Pins, parts[0].Pins));
        var forks = parts.Count > 1 && differ
            ? parts.Select(part => part.Scope.Fork.SimplifyAssuming(python).ToString()).ToList()
            : [];
        return new ResolutionResult(packages, forks, skipped.WarningsFor(parts.Select(part => part.Pins)));
    }

    private static bool SamePins(Dictionary<PackageName, Pep440Version> a, Dictionary<PackageName, Pep440Version> b) =>
        a.Count == b.Count && a.All(pin => b.TryGetValue(pin.Key, out var version) && version.Equals(pin.Value));

    /// <summary>Markers flowing through one fork's solution, from the project to every (package, extra) it reaches.</summary>
    private sealed class MarkerFlow
    {
        /// <summary>How often a node's marker may grow before it is widened to the whole fork (markers the algebra cannot compare could otherwise grow forever).</summary>
        private const int MaxGrowth = 32;

        private readonly Solved _part;
        private readonly Queue<(PackageName, string?)> _queue = new();
        private readonly HashSet<(PackageName, string?)> _queued = new();
        private readonly Dictionary<(PackageName, string?), int> _growth = new();
        private readonly Dictionary<PackageName, HashSet<PackageName>> _edges = new();
        private readonly Dictionary<(string, string, string?), MarkerExpression> _restricted = new();

        public MarkerFlow(Solved part) => _part = part;

        public Dictionary<(PackageName Name, string? Extra), MarkerExpression> Reached { get; } = new();

        public IEnumerable<PackageName> DependenciesOf(PackageName name) => _edges.TryGetValue(name, out var edges) ? edges : [];

        /// <summary>Follows one requirement from a place holding under <paramref name="context"/>, read for <paramref name="extra"/>.</summary>
        public bool Follow(Requirement requirement, MarkerExpression context, string? extra)
        {
            var where = Restrict(context, requirement.Marker, extra);
            if (where.IsNever || !_part.Pins.ContainsKey(requirement.PackageName))
            {
                return false;
            }

            Reach((requirement.PackageName, null), where);
            foreach (var wanted in requirement.NormalizedExtras)
            {
                Reach((requirement.PackageName, wanted), where);
            }

            return true;
        }

        public void Run()
        {
            while (_queue.Count > 0)
            {
                var node = _queue.Dequeue();
                _queued.Remove(node);
                var (name, extra) = node;
                var marker = Reached[node];
                if (extra is not null)
                {
                    // name[extra] installs name itself.
                    Reach((name, null), marker);
                }

                foreach (var requirement in _part.Provider.Metadata(name, _part.Pins[name]).RequiresDist)
                {
                    // A self-reference (pkg[a] requiring pkg[b]) only turns on more extras; it is no edge.
                    if (Follow(requirement, marker, extra) && !requirement.PackageName.Equals(name))
                    {
                        (_edges.TryGetValue(name, out var edges) ? edges : _edges[name] = []).Add(requirement.PackageName);
                    }
                }
            }
        }

        private MarkerExpression Restrict(MarkerExpression context, MarkerExpression? marker, string? extra)
        {
            if (marker is null)
            {
                return context;
            }

            if (!_part.Scope.IsUniversal)
            {
                return _part.Scope.Includes(marker, extra) ? context : MarkerExpression.Never;
            }

            // The same (context, marker) pairs recur across a graph; the algebra is the expensive part.
            var key = (context.ToString(), marker.ToString(), extra);
            if (!_restricted.TryGetValue(key, out var restricted))
            {
                var inContext = MarkerScope.InContext(marker, extra);
                restricted = context.Implies(inContext) ? context : context.And(inContext).Simplify();
                _restricted[key] = restricted;
            }

            return restricted;
        }

        private void Reach((PackageName, string?) node, MarkerExpression marker)
        {
            if (Reached.TryGetValue(node, out var before))
            {
                // Most markers are the fork itself or one already reached: no algebra needed for those.
                if (before.Equals(_part.Scope.Fork) || before.Equals(marker) || marker.Implies(before))
                {
                    return;
                }

                var growth = _growth[node] = (_growth.TryGetValue(node, out var count) ? count : 0) + 1;
                Reached[node] = growth > MaxGrowth ? _part.Scope.Fork : before.Or(marker).Simplify();
            }
            else
            {
                Reached[node] = marker;
            }

            if (_queued.Add(node))
            {
                _queue.Enqueue(node);
            }
        }
    }

    private sealed class Entry
    {
        private readonly PythonDependencyProvider _provider;

        public Entry(PythonDependencyProvider provider, PackageName name, Pep440Version version)
        {
            _provider = provider;
            Name = name;
            Version = version;
        }

        public PackageName Name { get; }

        public Pep440Version Version { get; }

        /// <summary>Where the entry is needed, one marker per fork that reaches it.</summary>
        public List<MarkerExpression> Markers { get; } = [];

        /// <summary>How many forks need the entry throughout.</summary>
        public int WholeForks { get; set; }

        public HashSet<PackageName> Dependencies { get; } = [];

        public ResolvedPackage ToPackage(MarkerExpression universe, VersionSet python, bool everywhere, (List<string> Extras, List<string> Groups) selection)
        {
            // Needed everywhere the lock covers (throughout every fork, which together are the universe): no marker at all.
            var where = everywhere ? universe : Markers.Count == 1 ? Markers[0] : Markers.Aggregate((a, b) => a.Or(b)).Simplify();
            string? marker = everywhere || universe.Implies(where) ? null : where.SimplifyAssuming(python).ToString();
            var candidate = _provider.CandidateOf(Name, Version);
            // The solve skipped versions by where each package was needed as far as it had seen; the entry's
            // marker is the whole truth, so no entry can claim an environment it does not install in.
            if (_provider.Installable.Missing(Name, Version, candidate.Files, where, selection.Extras, selection.Groups) is { } missing)
            {
                throw new PythonEnvException(DiagnosticCodes.NoSolution,
                    $"{Name} {Version}{_provider.PinNote(Name)} is needed {(marker is null ? "everywhere the lock covers" : "where " + marker)}, but it has no file that installs on {missing.Name} " +
                    $"(files: {string.Join(", ", candidate.Files.Select(f => f.Filename))}). Require a version of {Name} that has one, allow builds from sdists (PythonNoBuild=false), or narrow PythonEnvironments.");
            }

            var metadata = _provider.Metadata(Name, Version);
            return new ResolvedPackage(Name, Version, string.IsNullOrEmpty(marker) ? null : marker, _provider.IndexOf(Name), candidate.Files, metadata.RequiresPython,
                Dependencies.Where(dependency => !dependency.Equals(Name)).OrderBy(d => d.Normalized, StringComparer.Ordinal).ToList());
        }
    }
}
