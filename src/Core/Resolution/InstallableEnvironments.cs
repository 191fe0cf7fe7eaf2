using System.Collections.Generic;
using System.Linq;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// The environments a universal lock must be installable in: each <c>PythonEnvironments</c> marker and the
/// building machine when the lock covers it. A version is usable in a fork only when every such environment
/// that needs the package there has a file for it: a wheel whose tags hold there, or an sdist where builds are
/// allowed. Where a package is needed is learned while solving, from the markers on the requirements that
/// reach it (as uv does for required environments), so a Windows-only dependency never needs Linux files.
/// </summary>
internal sealed class InstallableEnvironments
{
    /// <summary>How often a package's marker may grow before it is taken as the whole fork (markers the algebra cannot compare could grow forever).</summary>
    private const int MaxGrowth = 16;

    private readonly ResolverOptions _options;
    private readonly MarkerScope _scope;
    private readonly Dictionary<PackageName, MarkerExpression> _needed = new();
    private readonly Dictionary<PackageName, int> _growth = new();
    private readonly Dictionary<(PackageName, Pep440Version), MarkerExpression> _implied = new();

    public InstallableEnvironments(ResolverOptions options, MarkerScope scope)
    {
        _options = options;
        _scope = scope;
    }

    /// <summary>Whether anything is checked: a universal resolution with declared environments or a building machine.</summary>
    public bool IsActive => _scope.IsUniversal && (_options.Environments.Count > 0 || _options.Machine is not null);

    /// <summary>Versions skipped for lacking files, with the environment named (for the failure's explanation).</summary>
    public Dictionary<(PackageName Name, Pep440Version Version), string> Skipped { get; } = new();

    /// <summary>Records where the dependencies of <paramref name="depender"/> (null: the project) are needed.</summary>
    public void Needs(PackageName? depender, IEnumerable<Requirement> active, string? extra)
    {
        if (!IsActive)
        {
            return;
        }

        var context = depender is null ? _scope.Fork : Where(depender);
        foreach (var requirement in active)
        {
            var where = requirement.Marker is { } marker ? context.And(MarkerScope.InContext(marker, extra)).Simplify() : context;
            var name = requirement.PackageName;
            if (!_needed.TryGetValue(name, out var known))
            {
                _needed[name] = where;
            }
            else if (!known.Equals(where) && !known.Equals(_scope.Fork))
            {
                _growth[name] = _growth.TryGetValue(name, out var count) ? count + 1 : 1;
                _needed[name] = _growth[name] > MaxGrowth ? _scope.Fork : known.Or(where).Simplify();
            }
        }
    }

    /// <summary>Where in the fork the package is needed, as far as the solve has seen.</summary>
    public MarkerExpression Where(PackageName name) => _needed.TryGetValue(name, out var where) ? where : _scope.Fork;

    /// <summary>The first environment that needs this version and cannot install it, or null.</summary>
    public MissingEnvironment? Missing(PackageName name, PythonDependencyProvider.Candidate candidate)
    {
        if (!IsActive)
        {
            return null;
        }

        var missing = Missing(name, candidate.Version, candidate.Files, Where(name));
        if (missing is not null)
        {
            Skipped[(name, candidate.Version)] = missing.Name;
        }

        return missing;
    }

    /// <summary>
    /// The first environment where a version needed under <paramref name="where"/> has no installable file,
    /// or null. Also the lock's final check, with the exact markers the merged entries carry.
    /// </summary>
    /// <param name="extras">The project's extras and dependency groups <paramref name="where"/> may name (all taken as selected).</param>
    public MissingEnvironment? Missing(PackageName name, Pep440Version version, IReadOnlyList<DistributionFile> files, MarkerExpression where,
        IReadOnlyCollection<string>? extras = null, IReadOnlyCollection<string>? groups = null)
    {
        if (files.Any(file => file.IsSdist) && _options.BuildsAllowed && !_options.NoBuild.Contains(name))
        {
            return null;
        }

        foreach (var environment in _options.Environments)
        {
            var there = where.And(environment).Simplify();
            if (!there.IsNever && Implied(name, version, files).IsDisjointWith(there))
            {
                return new MissingEnvironment(environment.ToString(), environment);
            }
        }

        if (_options.Machine is { } machine && Holds(where, machine.Environment, extras ?? [], groups ?? [])
            && !files.Any(file => file.IsWheel && machine.Tags.IsCompatible(file.Wheel!)))
        {
            return new MissingEnvironment(machine.Description, machine.PlatformMarker);
        }

        return null;
    }

    /// <summary>The fork cut along the environment, when it is wider than it: the version is skipped only in that part.</summary>
    public bool TrySplit(MissingEnvironment missing, out List<MarkerExpression> parts)
    {
        parts = [];
        if (!missing.Marker.TryNot(out var outside))
        {
            return false;
        }

        var inside = _scope.Fork.And(missing.Marker).Simplify();
        var rest = _scope.Fork.And(outside).Simplify();
        if (inside.IsNever || rest.IsNever)
        {
            return false;
        }

        parts = [inside, rest];
        return true;
    }

    private static bool Holds(MarkerExpression marker, MarkerEnvironment environment, IReadOnlyCollection<string> extras, IReadOnlyCollection<string> groups)
    {
        try
        {
            return marker.Evaluate(environment, extras, groups);
        }
        catch (MarkerEvaluationException)
        {
            return false;
        }
    }

    private MarkerExpression Implied(PackageName name, Pep440Version version, IReadOnlyList<DistributionFile> files)
    {
        if (!_implied.TryGetValue((name, version), out var implied))
        {
            implied = files.Where(file => file.IsWheel)
                .Select(file => WheelMarkers.Of(file.Wheel!))
                .Aggregate(MarkerExpression.Never, (all, wheel) => all.Or(wheel))
                .Simplify();
            _implied[(name, version)] = implied;
        }

        return implied;
    }
}

/// <summary>An environment a version cannot be installed in: how messages name it, and its marker.</summary>
internal sealed record MissingEnvironment(string Name, MarkerExpression Marker);
