using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// Which requirements apply while solving. For a single target environment, markers are evaluated in it.
/// For a universal resolution the scope is a fork: a marker describing the environments being solved
/// together (at first every environment the project allows). A requirement applies when its marker, with
/// its <c>extra</c> comparisons decided, can hold somewhere in the fork.
/// </summary>
internal sealed class MarkerScope
{
    private readonly MarkerEnvironment? _environment;
    private readonly Dictionary<(string Marker, string? Extra), bool> _includes = new();

    private MarkerScope(MarkerEnvironment? environment, MarkerExpression fork, VersionSet pythonVersions, Pep440Version? pythonVersion)
    {
        _environment = environment;
        Fork = fork;
        PythonVersions = pythonVersions;
        PythonVersion = pythonVersion;
    }

    /// <summary>The target Python for a single-environment resolution; null when universal.</summary>
    public Pep440Version? PythonVersion { get; }

    /// <summary>The marker space being solved (<see cref="MarkerExpression.Always"/> for a single environment).</summary>
    public MarkerExpression Fork { get; }

    /// <summary>The Python versions the fork spans (final releases).</summary>
    public VersionSet PythonVersions { get; }

    public bool IsUniversal => _environment is null;

    public static MarkerScope Single(MarkerEnvironment environment)
    {
        var version = Pep440Version.TryParse(environment.PythonFullVersion, out var parsed) ? parsed : null;
        return new(environment, MarkerExpression.Always, version is null ? VersionSet.Full : VersionSet.Exactly(version), version);
    }

    public static MarkerScope Universal(MarkerExpression fork) => new(null, fork, fork.PythonVersions, null);

    /// <summary>True when the requirement is active, for the distribution itself (<paramref name="extra"/> null) or one of its extras.</summary>
    public bool Includes(MarkerExpression? marker, string? extra)
    {
        if (marker is null)
        {
            return true;
        }

        if (_environment is { } environment)
        {
            return Evaluate(marker, environment, extra is null ? [] : [extra]);
        }

        var key = (marker.ToString(), extra);
        if (!_includes.TryGetValue(key, out var included))
        {
            included = !InContext(marker, extra).IsDisjointWith(Fork);
            _includes[key] = included;
        }

        return included;
    }

    /// <summary>The marker with its extra comparisons decided for the distribution (<paramref name="extra"/> null) or one extra.</summary>
    public static MarkerExpression InContext(MarkerExpression marker, string? extra) =>
        marker.WithExtras(extra is null ? Array.Empty<string>() : [extra]);

    /// <summary>
    /// True when the marker, read for <paramref name="extra"/>, holds throughout the fork (for a single
    /// environment: holds there); <see cref="Includes"/> asks only whether it can hold somewhere in it.
    /// </summary>
    public bool Covers(MarkerExpression marker, string? extra) =>
        _environment is { } environment ? Evaluate(marker, environment, extra is null ? [] : [extra]) : Fork.Implies(InContext(marker, extra));

    /// <summary>
    /// True when the marker, read for <paramref name="extra"/>, may hold in the fork only where a comparison the
    /// algebra cannot interpret goes one way (<c>platform_release &lt; "2.6"</c>): neither known to hold somewhere
    /// nor to never hold, and no split can tell. Never for a single environment, where markers are evaluated.
    /// </summary>
    public bool IsUndecidable(MarkerExpression marker, string? extra) =>
        _environment is null && !Covers(marker, extra) && InContext(marker, extra).IsUndecidableWithin(Fork);

    /// <summary>
    /// Where requirements (of one dependency list, or after a failed solve of every list met) ask for the same
    /// package with different version ranges under markers that divide the fork (<c>a&gt;=2; sys_platform == 'linux'</c> and <c>a&lt;2; sys_platform == 'win32'</c>), the fork
    /// must be split so each part sees one set of requirements. Returns the parts: the fork cut by each such
    /// marker and its negation, keeping the parts that can hold. Requirements on a package that agree on the
    /// range, and markers about extras, never split (extras are not environments).
    /// </summary>
    public bool TrySplit(IEnumerable<(Requirement Requirement, string? Extra)> active, out List<MarkerExpression> parts)
    {
        parts = [Fork];
        if (_environment is not null)
        {
            return false;
        }

        var cuts = new List<MarkerExpression>();
        foreach (var same in active.GroupBy(item => item.Requirement.PackageName))
        {
            if (same.Select(item => VersionSet.FromSpecifierSet(item.Requirement.Specifier)).Distinct().Count() < 2)
            {
                continue;
            }

            foreach (var (requirement, extra) in same)
            {
                if (requirement.Marker is { } marker && !Covers(marker, extra) && InContext(marker, extra) is var inContext
                    && !cuts.Any(cut => cut.IsEquivalentTo(inContext)))
                {
                    cuts.Add(inContext);
                }
            }
        }

        parts = Cut(cuts);
        return parts.Count > 1;
    }

    /// <summary>The fork cut by each marker and its negation, keeping the parts that can hold.</summary>
    public List<MarkerExpression> Cut(IEnumerable<MarkerExpression> cuts)
    {
        var parts = new List<MarkerExpression> { Fork };
        foreach (var cut in cuts)
        {
            if (!cut.TryNot(out var outside))
            {
                continue;
            }

            parts = parts.SelectMany(part => new[] { part.And(cut).Simplify(), part.And(outside).Simplify() })
                .Where(part => !part.IsNever)
                .ToList();
        }

        return parts;
    }

    internal static bool Evaluate(MarkerExpression marker, MarkerEnvironment environment, IEnumerable<string> extras)
    {
        try
        {
            return marker.Evaluate(environment, extras, []);
        }
        catch (MarkerEvaluationException)
        {
            return false;
        }
    }
}
