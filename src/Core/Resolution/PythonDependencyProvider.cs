using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution.PubGrub;

namespace PythonEnv.Resolution;

/// <summary>
/// The Python side of the solver: candidates from the package source in the configured order (stable
/// before pre-release, preferences first), yanked files only for an exact pin, Requires-Python by lower
/// bound, extras as virtual packages, constraints and markers applied to every dependency. In a universal
/// resolution a dependency list that asks for one package differently in different parts of the fork stops
/// the solve so the fork can be split (<see cref="ForkRequiredException"/>). Listings and
/// metadata are fetched ahead, in parallel, as soon as a package is discovered.
/// </summary>
internal sealed class PythonDependencyProvider : IDependencyProvider<ResolverPackage, Pep440Version, VersionSet>, IIncompatibilityFormatter<ResolverPackage, VersionSet>
{
    internal static readonly Pep440Version RootVersion = Pep440Version.Parse("0");

    private readonly IPackageSource _source;
    private readonly ResolverOptions _options;
    private readonly MarkerScope _scope;
    private readonly CancellationToken _cancellationToken;
    private readonly IReadOnlyList<RootRequirement> _requirements;
    private readonly Dictionary<PackageName, VersionSet> _constraints = new();
    private readonly HashSet<(PackageName, Pep440Version)> _pinned = new();
    private readonly HashSet<PackageName> _direct = new();
    private readonly Dictionary<PackageName, string> _declaredAt = new();
    private readonly ConcurrentDictionary<PackageName, Lazy<Task<ProjectData?>>> _projects = new();
    private readonly ConcurrentDictionary<(PackageName, Pep440Version), Lazy<Task<CoreMetadata>>> _metadata = new();
    private readonly Dictionary<ResolverPackage, int> _discovery = new();
    private readonly Dictionary<PackageName, Pep440Version> _lastChosen = new();
    private readonly IReadOnlyDictionary<PackageName, Pep440Version> _forkPreferences;
    private readonly Dictionary<PackageName, List<Preference>> _preferences;
    private readonly bool _mayFork;
    private readonly List<(Requirement, string?)> _met = new();
    private readonly Dictionary<(PackageName?, PackageName), MarkerExpression> _edgeMarkers = new();
    private readonly SkippedVersions _skipped;
    private readonly InstallableEnvironments _installable;

    /// <param name="forkPreferences">Versions other forks chose, preferred after the locked ones so forks agree wherever they can.</param>
    /// <param name="mayFork">When true, a dependency list that divides the fork stops the solve with <see cref="ForkRequiredException"/>.</param>
    public PythonDependencyProvider(IPackageSource source, ResolverOptions options, MarkerScope scope,
        IReadOnlyList<RootRequirement> requirements, IReadOnlyList<RootRequirement> constraints, CancellationToken cancellationToken,
        IReadOnlyDictionary<PackageName, Pep440Version>? forkPreferences = null, bool mayFork = false, SkippedVersions? skipped = null)
    {
        _skipped = skipped ?? new SkippedVersions();
        _source = source;
        _options = options;
        _scope = scope;
        _forkPreferences = forkPreferences ?? new Dictionary<PackageName, Pep440Version>();
        _preferences = options.Preferences.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.ToList());
        _mayFork = mayFork;
        _requirements = requirements;
        _cancellationToken = cancellationToken;
        _installable = new InstallableEnvironments(options, scope);
        foreach (var constraint in constraints)
        {
            if (_scope.Includes(constraint.Requirement.Marker, null))
            {
                var name = constraint.Requirement.PackageName;
                var set = VersionSet.FromSpecifierSet(constraint.Requirement.Specifier);
                _constraints[name] = _constraints.TryGetValue(name, out var existing) ? existing.Intersect(set) : set;
                RecordPins(constraint.Requirement);
            }
        }

        foreach (var requirement in requirements)
        {
            // lowest-direct: direct where the project asks for it throughout this fork; a requirement that holds in
            // only part of it (numpy; python_version >= '3.12' while solving 3.11 too) leaves the choice to the
            // package's other dependents there, as an indirect one.
            if (requirement.Requirement.Marker is not { } marker || _scope.Covers(marker, null))
            {
                _direct.Add(requirement.Requirement.PackageName);
            }

            RecordPins(requirement.Requirement);
            if (requirement.Source is { } where && !_declaredAt.ContainsKey(requirement.Requirement.PackageName))
            {
                _declaredAt[requirement.Requirement.PackageName] = where;
            }
        }
    }

    internal MarkerScope Scope => _scope;

    /// <summary>The environments each chosen version must install in (for the lock's final check).</summary>
    internal InstallableEnvironments Installable => _installable;

    /// <summary>
    /// After a failed solve: the parts to solve separately when requirements met in different dependency
    /// lists ask for one package differently under markers that divide the fork (<c>a&gt;=2; sys_platform ==
    /// 'linux'</c> from the project, <c>a&lt;2; sys_platform == 'win32'</c> from a dependency).
    /// </summary>
    internal bool TrySplitAfterFailure(out List<MarkerExpression> parts) => _scope.TrySplit(_met, out parts);

    internal CancellationToken CancellationToken => _cancellationToken;

    /// <summary>Packages whose listing said they do not exist (for "which is on no configured index").</summary>
    private bool IsMissing(PackageName name) => Project(name) is null;

    /// <summary>Yanked versions may be used only when the project pins them exactly (PEP 592).</summary>
    private void RecordPins(Requirement requirement)
    {
        foreach (var specifier in requirement.Specifier)
        {
            if ((specifier.Operator is "==" or "===") && !specifier.Version.Contains('*') && Pep440Version.TryParse(specifier.Version, out var version))
            {
                _pinned.Add((requirement.PackageName, version));
            }
        }
    }

    public long Prioritize(ResolverPackage package, VersionSet range)
    {
        if (package.IsRoot)
        {
            return 0;
        }

        if (!_discovery.TryGetValue(package, out var order))
        {
            order = _discovery.Count;
            _discovery[package] = order;
        }

        // Exact pins first: they cannot branch. Extras next to their package. Then first-discovered first,
        // which keeps decisions close to the order a person reads the requirements.
        var exact = range.Intervals.Count == 1 && range.Intervals[0].Lower.Version is { } low && range.Intervals[0].Upper.Version is { } high && low.Equals(high);
        return (exact ? 1L << 40 : 2L << 40) + order;
    }

    public bool TryChooseVersion(ResolverPackage package, VersionSet range, out Pep440Version version)
    {
        version = null!;
        var project = Project(package.Name!);
        if (project is null)
        {
            return false;
        }

        var candidates = project.Candidates.Where(candidate => range.Contains(candidate.Version) && IsAllowed(package.Name!, candidate)).ToList();
        while (Pick(package, candidates) is { } pick)
        {
            // A version every environment that needs it can install; else skip it there (a fork cut along that
            // environment when the fork is wider), as uv's required-environments do.
            if (package.Extra is not null || _installable.Missing(package.Name!, pick) is not { } missing)
            {
                version = pick.Version;
                Prefetch(package.Name!, pick);
                return true;
            }

            if (_mayFork && _installable.TrySplit(missing, out var parts))
            {
                throw new ForkRequiredException(parts);
            }

            candidates.Remove(pick);
        }

        return false;
    }

    /// <summary>The candidate to try first: the same package's version for an extra, the locked one, another fork's, then by strategy.</summary>
    private Candidate? Pick(ResolverPackage package, List<Candidate> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        // Preferences: the version of the same package already chosen (for an extra), then the locked one.
        if (package.Extra is not null && _lastChosen.TryGetValue(package.Name!, out var chosen) && candidates.FirstOrDefault(c => c.Version.Equals(chosen)) is { } same)
        {
            return same;
        }

        if (!_options.UpgradeAll && !_options.Upgrade.Contains(package.Name!) && LockedVersion(package.Name!, candidates) is { } preferred)
        {
            return candidates.First(c => c.Version.Equals(preferred));
        }

        if (_forkPreferences.TryGetValue(package.Name!, out var sibling) && candidates.FirstOrDefault(c => c.Version.Equals(sibling)) is { } agreed)
        {
            return agreed;
        }

        var lowest = _options.Strategy == ResolutionStrategy.Lowest || (_options.Strategy == ResolutionStrategy.LowestDirect && _direct.Contains(package.Name!));
        var ordered = lowest ? candidates : Enumerable.Reverse(candidates);
        // Stable versions first; pre-releases only when no stable version is left in the range.
        return _options.Prerelease == PrereleasePolicy.Allow
            ? ordered.First()
            : ordered.FirstOrDefault(candidate => !candidate.Version.IsPrerelease) ?? ordered.First();
    }

    /// <summary>The highest preferred version among the candidates whose entry can apply in this fork.</summary>
    private Pep440Version? LockedVersion(PackageName name, List<Candidate> candidates) =>
        _preferences.TryGetValue(name, out var entries)
            ? entries.Where(entry => entry.Marker is null || !_scope.IsUniversal || _scope.Includes(entry.Marker, null))
                .Select(entry => entry.Version)
                .Where(locked => candidates.Any(c => c.Version.Equals(locked)))
                .OrderByDescending(locked => locked)
                .FirstOrDefault()
            : null;

    private bool IsAllowed(PackageName name, Candidate candidate) =>
        candidate.Files.Count > 0 && (!candidate.Yanked || _pinned.Contains((name, candidate.Version)));

    public PackageDependencies<ResolverPackage, VersionSet> GetDependencies(ResolverPackage package, Pep440Version version)
    {
        if (package.IsRoot)
        {
            return PackageDependencies<ResolverPackage, VersionSet>.Available(Dependencies(_requirements.Select(r => r.Requirement), extra: null, depender: null));
        }

        var name = package.Name!;
        _lastChosen[name] = version;
        CoreMetadata metadata;
        try
        {
            metadata = Metadata(name, version);
        }
        catch (Exception e) when (SkippedVersions.IsUnreadable(e))
        {
            // As pip does: a version whose metadata no parser accepts is left out, with a warning, never fatal.
            return PackageDependencies<ResolverPackage, VersionSet>.Unavailable(_skipped.Skip(name, version, CandidateOf(name, version).MetadataFile, e));
        }
        catch (Exception e) when (e is not (OperationCanceledException or PythonEnvException))
        {
            // Metadata that reads but cannot be used (an sdist computing Requires-Dist at build time).
            return PackageDependencies<ResolverPackage, VersionSet>.Unavailable($"cannot be used: {e.Message}");
        }

        if (metadata.RequiresPython is { } requiresPython && !AdmitsPython(requiresPython))
        {
            return PackageDependencies<ResolverPackage, VersionSet>.Unavailable($"requires Python {requiresPython}, {PythonDescription}");
        }

        var dependencies = Dependencies(metadata.RequiresDist, package.Extra, name, version);
        if (package.Extra is not null)
        {
            dependencies.Add(new(ResolverPackage.Of(name), VersionSet.Exactly(version)));
        }

        foreach (var dependency in dependencies)
        {
            StartListing(dependency.Key.Name!);
        }

        return PackageDependencies<ResolverPackage, VersionSet>.Available(dependencies);
    }

    /// <summary>The active requirements as solver dependencies: each requirement on its package, and on each of its extras.</summary>
    private List<KeyValuePair<ResolverPackage, VersionSet>> Dependencies(IEnumerable<Requirement> requirements, string? extra, PackageName? depender, Pep440Version? dependerVersion = null)
    {
        var active = requirements.Where(requirement => _scope.Includes(requirement.Marker, extra)).ToList();
        SplitAlongPins(active);
        if (depender is not null && dependerVersion is not null)
        {
            active.ForEach(requirement => StartListing(requirement.PackageName));
            active.RemoveAll(requirement => LeftOut(requirement, extra, depender, dependerVersion));
        }

        _installable.Needs(depender, active, extra);
        if (_mayFork && _scope.TrySplit(active.Select(requirement => (requirement, extra)), out var parts))
        {
            throw new ForkRequiredException(parts);
        }

        _met.AddRange(active.Select(requirement => (requirement, extra)));

        var dependencies = new List<KeyValuePair<ResolverPackage, VersionSet>>();
        foreach (var requirement in active)
        {
            var name = requirement.PackageName;
            var set = VersionSet.FromSpecifierSet(requirement.Specifier);
            if (_constraints.TryGetValue(name, out var constraint))
            {
                set = set.Intersect(constraint);
            }

            if (requirement.Marker is { } marker)
            {
                _edgeMarkers[(depender, name)] = marker;
            }

            dependencies.Add(new(ResolverPackage.Of(name), set));
            foreach (var requirementExtra in requirement.NormalizedExtras)
            {
                dependencies.Add(new(ResolverPackage.Of(name, requirementExtra), set));
            }

            StartListing(name);
        }

        return dependencies;
    }

    /// <summary>
    /// A package pinned to different indexes under markers that divide the fork is listed only once the fork is cut
    /// along them: each part then asks one index, and the lock gets one entry per index.
    /// </summary>
    private void SplitAlongPins(List<Requirement> active)
    {
        var cuts = active.SelectMany(requirement => _options.Routes.Cuts(requirement.PackageName, _scope)).Distinct().ToList();
        if (cuts.Count == 0)
        {
            return;
        }

        if (!_mayFork)
        {
            throw new PythonEnvException(DiagnosticCodes.NoSolution,
                $"The resolution was split into too many parts to cut it along the index pins of {string.Join(", ", active.Where(r => _options.Routes.Cuts(r.PackageName, _scope).Count > 0).Select(r => r.PackageName).Distinct())} where {_scope.Fork}. Narrow PythonEnvironments, or pin with fewer distinct markers.");
        }

        throw new ForkRequiredException(_scope.Cut(cuts));
    }

    /// <summary>
    /// A dependency whose marker may hold in the fork only where the algebra cannot decide it
    /// (<c>legacy-helper; platform_release &lt; "2.6"</c>) and that cannot be met is left out with a PYENV2005
    /// warning: failing the lock for what is almost never needed would be worse. Decidable markers still fail.
    /// </summary>
    private bool LeftOut(Requirement requirement, string? extra, PackageName depender, Pep440Version version)
    {
        if (requirement.Marker is not { } marker || !_scope.IsUndecidable(marker, extra))
        {
            return false;
        }

        var name = requirement.PackageName;
        var set = VersionSet.FromSpecifierSet(requirement.Specifier);
        if (_constraints.TryGetValue(name, out var constraint))
        {
            set = set.Intersect(constraint);
        }

        var unmet = Project(name) is not { } project ? MissingText(name)
            : project.Candidates.Any(candidate => set.Contains(candidate.Version) && IsAllowed(name, candidate)) ? null
            : $"no usable version of {name}{(set.IsFull ? "" : FormatSet(set))} is available";
        if (unmet is null)
        {
            return false;
        }

        _skipped.LeaveOut(depender, version, requirement, unmet);
        return true;
    }

    internal CoreMetadata Metadata(PackageName name, Pep440Version version)
    {
        var candidate = Project(name)!.Candidates.First(c => c.Version.Equals(version));
        return Wait(MetadataTask(name, candidate));
    }

    internal Candidate CandidateOf(PackageName name, Pep440Version version) => Project(name)!.Candidates.First(c => c.Version.Equals(version));

    internal Uri IndexOf(PackageName name) => Project(name)!.Listing.IndexUrl;

    /// <summary>For messages about a pinned package: <c> from index 'pytorch-cu121' (...), which torch is pinned to at ...</c>; empty when not pinned here.</summary>
    internal string PinNote(PackageName name) => _options.Routes.For(name, _scope) is { } route ? " from " + route.Describe() : "";

    private Task<CoreMetadata> MetadataTask(PackageName name, Candidate candidate) =>
        _metadata.GetOrAdd((name, candidate.Version), _ => new Lazy<Task<CoreMetadata>>(() =>
            _source.GetMetadataAsync(candidate.MetadataFile, _cancellationToken))).Value;

    private void Prefetch(PackageName name, Candidate candidate) => _ = MetadataTask(name, candidate).ContinueWith(task => task.Exception, TaskScheduler.Default);

    private void StartListing(PackageName name) => _ = ProjectTask(name);

    private ProjectData? Project(PackageName name) => Wait(ProjectTask(name));

    private Task<ProjectData?> ProjectTask(PackageName name) =>
        _projects.GetOrAdd(name, key => new Lazy<Task<ProjectData?>>(() => LoadProjectAsync(key))).Value;

    private async Task<ProjectData?> LoadProjectAsync(PackageName name)
    {
        var listing = _options.Routes.For(name, _scope) is { } route
            ? await _source.GetListingFromAsync(name, route.Index, _cancellationToken).ConfigureAwait(false)
            : await _source.GetListingAsync(name, _cancellationToken).ConfigureAwait(false);
        return listing is null ? null : new ProjectData(listing, Candidates(name, listing));
    }

    private List<Candidate> Candidates(PackageName name, ProjectListing listing)
    {
        var noBinary = _options.NoBinary.Contains(name);
        var noBuild = _options.NoBuild.Contains(name);
        var candidates = new List<Candidate>();
        foreach (var group in listing.Files.Where(file => file.Version is not null).GroupBy(file => file.Version!))
        {
            var usable = group.Where(file =>
                    (file.IsWheel ? !noBinary && (_options.Tags is null || _options.Tags.IsCompatible(file.Wheel!)) : file.IsSdist && !noBuild)
                    && (file.RequiresPython is null || AdmitsPython(file.RequiresPython)))
                .ToList();
            var unyanked = usable.Where(file => !file.IsYanked).ToList();
            var files = unyanked.Count > 0 ? unyanked : usable;
            candidates.Add(new Candidate(group.Key, files, unyanked.Count == 0 && usable.Count > 0, group.ToList()));
        }

        candidates.Sort((a, b) => a.Version.CompareTo(b.Version));
        return candidates;
    }

    /// <summary>
    /// Requires-Python is judged by its lower bound: the target Python (or, universally, the lowest Python
    /// the project allows) must be at least that. Upper bounds are ignored, as pip's and uv's resolvers do.
    /// </summary>
    private bool AdmitsPython(SpecifierSet requiresPython)
    {
        var set = VersionSet.FromSpecifierSet(requiresPython);
        if (set.IsEmpty)
        {
            return false;
        }

        var lower = set.Intervals[0].Lower;
        var floor = lower.Version is null ? VersionSet.Full : lower.Inclusive ? VersionSet.AtLeast(lower.Version) : VersionSet.GreaterThan(lower.Version);
        return _scope.PythonVersion is { } python ? floor.Contains(python) : _scope.PythonVersions.IsSubsetOf(floor);
    }

    private string PythonDescription => _scope.PythonVersion is { } python
        ? $"but the target Python is {python}"
        : _scope.PythonVersions.Equals(PythonVersionSets.Finals(VersionSet.FromSpecifierSet(_options.RequiresPython)))
            ? $"but the project supports Python {_options.RequiresPython}"
            : $"but Python {FormatSet(_scope.PythonVersions)} must be supported where {_scope.Fork}";

    private T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    // ---- explanations ----

    public bool IsRoot(ResolverPackage package) => package.IsRoot;

    public string FormatTerm(ResolverPackage package, VersionSet set)
    {
        if (package.IsRoot)
        {
            return "the project";
        }

        return set.IsFull || CoversEveryVersion(package, set) ? package.ToString() : $"{package}{FormatSet(set)}";
    }

    private bool CoversEveryVersion(ResolverPackage package, VersionSet set)
    {
        var project = ProjectTask(package.Name!);
        return project.IsCompleted && project.Result is { Candidates.Count: > 0 } known && known.Candidates.All(candidate => set.Contains(candidate.Version));
    }

    /// <summary>
    /// PEP 440 text for a set as the user wrote it: <c>&lt;2</c> (not the <c>&lt;2.dev0</c> the set stops at),
    /// <c>&gt;=1,&lt;2</c>, <c>==1.0</c> for a single version, alternatives joined by <c> || </c>.
    /// </summary>
    private static string FormatSet(VersionSet set)
    {
        var text = set.ToString();
        return text.StartsWith("===", StringComparison.Ordinal) ? text.Substring(1) : text;
    }

    public string FormatDependency(ResolverPackage depender, VersionSet dependerSet, ResolverPackage dependee, VersionSet dependeeSet)
    {
        var text = $"{FormatTerm(depender, dependerSet)} depends on {FormatTerm(dependee, dependeeSet)}";
        // A conditional dependency says where it applies (pywin32 only where sys_platform == 'win32'): the user
        // then sees that PythonEnvironments, not the package, is what to change.
        if (_edgeMarkers.TryGetValue((depender.IsRoot ? null : depender.Name, dependee.Name!), out var marker))
        {
            text += $" (where {marker})";
        }

        return depender.IsRoot && _declaredAt.TryGetValue(dependee.Name!, out var where) ? $"{text} (declared at {where})" : text;
    }

    public string FormatNoVersions(ResolverPackage package, VersionSet set)
    {
        if (IsMissing(package.Name!))
        {
            return MissingText(package.Name!);
        }

        var reasons = Exclusions(package.Name!, set);
        var pin = PinNote(package.Name!);
        return reasons.Count == 0
            ? $"no version of {FormatTerm(package, set)} is published{pin}"
            : $"no usable version of {FormatTerm(package, set)} is available{pin} ({string.Join("; ", reasons)})";
    }

    /// <summary>Why the published versions in <paramref name="set"/> cannot be used, grouped by reason: <c>attrs 23.1.0, 23.2.0 require Python &gt;=3.9, but ...</c>.</summary>
    private List<string> Exclusions(PackageName name, VersionSet set)
    {
        var byReason = new Dictionary<string, List<Pep440Version>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var candidate in Project(name)!.Candidates)
        {
            if (Exclusion(name, candidate, set) is not { } reason)
            {
                continue;
            }

            if (!byReason.TryGetValue(reason, out var versions))
            {
                byReason[reason] = versions = [];
                order.Add(reason);
            }

            versions.Add(candidate.Version);
        }

        return order.Select(reason =>
        {
            var versions = byReason[reason];
            var shown = string.Join(", ", versions.AsEnumerable().Reverse().Take(4)) + (versions.Count > 4 ? $" and {versions.Count - 4} older" : "");
            var one = versions.Count == 1;
            return $"{name} {shown} {reason.Replace("{s}", one ? "s" : "").Replace("{is}", one ? "is" : "are").Replace("{has}", one ? "has" : "have")}";
        }).ToList();
    }

    /// <summary>Why one version is not usable, or null when it is (or lies outside the set and is no pre-release the set's bound excludes).</summary>
    private string? Exclusion(PackageName name, Candidate candidate, VersionSet set)
    {
        if (!set.Contains(candidate.Version))
        {
            return PrereleaseExcludedBy(set, candidate.Version) is { } bound
                ? $"{{is}} a pre-release of {bound.Substring(1)}, which '{bound}' leaves out (PEP 440: '<V' excludes V's pre-releases, whatever PythonPrerelease says; write '<={candidate.Version}' to allow it)"
                : null;
        }

        if (_installable.Skipped.TryGetValue((name, candidate.Version), out var environment))
        {
            return "{has} no file that installs on " + environment;
        }

        if (candidate.Files.Count == 0)
        {
            if (candidate.AllFiles.Where(file => file.RequiresPython is not null).ToList() is { Count: > 0 } limited && limited.Count == candidate.AllFiles.Count && limited.All(file => !AdmitsPython(file.RequiresPython!)))
            {
                return $"require{{s}} Python {limited[0].RequiresPython}, {PythonDescription}";
            }

            return _options.Tags is not null
                ? "{has} no wheel for the target interpreter's tags" + (_options.NoBuild.Contains(name) ? " and builds from sdists are off" : " and no sdist")
                : "{has} no file that may be installed" + (_options.NoBuild.Contains(name) ? " (builds from sdists are off)" : _options.NoBinary.Contains(name) ? " (wheels are off and there is no sdist)" : "");
        }

        if (candidate.Yanked && !_pinned.Contains((name, candidate.Version)))
        {
            var reason = candidate.AllFiles.Select(file => file.YankedReason).FirstOrDefault(text => !string.IsNullOrWhiteSpace(text));
            return "{is} yanked" + (reason is null ? "" : $" ({reason})") + " (only an exact == pin may use a yanked version)";
        }

        return null;
    }

    /// <summary>The bound (<c>&lt;2</c>) that leaves out a pre-release of its own version, when that is why <paramref name="version"/> is outside the set.</summary>
    private static string? PrereleaseExcludedBy(VersionSet set, Pep440Version version)
    {
        if (!version.IsPrerelease)
        {
            return null;
        }

        foreach (var interval in set.Intervals)
        {
            // "<2" stops at 2.dev0: a pre-release of 2 sits just past it, and the interval's lower bound admits it.
            if (interval.Upper.Version is { } high && !interval.Upper.Inclusive && high.IsDevZeroOfRelease
                && version.CompareTo(high) >= 0 && Release(version) == Release(high)
                && (interval.Lower.Version is not { } low || low.CompareTo(version) < 0))
            {
                return "<" + high.WithoutDev();
            }
        }

        return null;
    }

    private static string Release(Pep440Version version) => string.Join(".", version.ReleaseArray.Select(part => part.ToString()).Reverse().SkipWhile(part => part == "0").Reverse());

    public string FormatUnavailable(ResolverPackage package, VersionSet set, string reason) => $"{FormatTerm(package, set)} {reason}";

    public string? FormatMissingClause(ResolverPackage package, VersionSet set) =>
        !IsMissing(package.Name!) ? null : _options.Routes.For(package.Name!, _scope) is { } route ? "which is not on " + route.Describe() : "which is on no configured index";

    private string MissingText(PackageName name) =>
        _options.Routes.For(name, _scope) is { } route ? $"{name} is not on {route.Describe()}" : $"{name} is on no configured index";

    internal sealed record ProjectData(ProjectListing Listing, List<Candidate> Candidates);

    /// <summary>One version: the files that may be installed and whether only yanked files remain.</summary>
    internal sealed record Candidate(Pep440Version Version, List<DistributionFile> Files, bool Yanked, List<DistributionFile> AllFiles)
    {
        /// <summary>Metadata comes from a wheel when there is one (no build needed), else from the sdist.</summary>
        public DistributionFile MetadataFile => Files.FirstOrDefault(file => file.IsWheel) ?? Files.FirstOrDefault() ?? AllFiles[0];
    }
}
