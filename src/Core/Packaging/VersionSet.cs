using System;
using System.Collections.Generic;

namespace PythonEnv.Packaging;

/// <summary>
/// A set of PEP 440 versions, kept as a sorted union of disjoint, non-touching intervals, with exact set
/// algebra (intersection, union, complement, subset). This is what specifiers mean once pre-release
/// policy is set aside: <see cref="FromSpecifierSet"/> converts exactly, pre-releases included, so
/// callers apply PEP 440's "no pre-releases unless asked for" rule themselves (see
/// <see cref="SpecifierSet.Contains(Pep440Version, bool?)"/>). Immutable; every operation is linear in
/// the number of intervals.
/// </summary>
public sealed partial class VersionSet : IEquatable<VersionSet>
{
    private static readonly VersionInterval[] NoIntervals = Array.Empty<VersionInterval>();

    private readonly VersionInterval[] _intervals;

    private VersionSet(VersionInterval[] intervals) => _intervals = intervals;

    /// <summary>Every version.</summary>
    public static VersionSet Full { get; } = new(new[] { new VersionInterval(default, default) });

    /// <summary>No version.</summary>
    public static VersionSet Empty { get; } = new(NoIntervals);

    /// <summary>The intervals, sorted and disjoint.</summary>
    public IReadOnlyList<VersionInterval> Intervals => _intervals;

    public bool IsEmpty => _intervals.Length == 0;

    public bool IsFull => _intervals.Length == 1 && _intervals[0].Lower.IsUnbounded && _intervals[0].Upper.IsUnbounded;

    /// <summary>Exactly this version (and not its local variants unless it is one).</summary>
    public static VersionSet Exactly(Pep440Version version) => Single(Point(version, true), Point(version, true));

    /// <summary>Versions &gt;= <paramref name="version"/> in plain PEP 440 order.</summary>
    public static VersionSet AtLeast(Pep440Version version) => Single(Point(version, true), default);

    /// <summary>Versions &gt; <paramref name="version"/> in plain order (unlike the <c>&gt;</c> specifier, post releases count).</summary>
    public static VersionSet GreaterThan(Pep440Version version) => Single(Point(version, false), default);

    /// <summary>Versions &lt;= <paramref name="version"/> in plain order.</summary>
    public static VersionSet AtMost(Pep440Version version) => Single(default, Point(version, true));

    /// <summary>Versions &lt; <paramref name="version"/> in plain order (unlike the <c>&lt;</c> specifier, its pre-releases count).</summary>
    public static VersionSet LessThan(Pep440Version version) => Single(default, Point(version, false));

    /// <summary>The versions a specifier admits, pre-releases included. <c>===</c> is approximated (see <see cref="FromSpecifierSet"/>).</summary>
    public static VersionSet FromSpecifier(Specifier specifier) => specifier.VersionSet;

    /// <summary>
    /// The versions every clause admits, pre-releases included. Exact for all operators except
    /// <c>===</c>, which compares strings: a <c>===V</c> clause counts as the one version V parses to
    /// (so <c>===1.0</c> also takes in <c>1.0.0</c>), or as nothing when V is not PEP 440.
    /// </summary>
    public static VersionSet FromSpecifierSet(SpecifierSet specifiers) => specifiers.VersionSet;

    public bool Contains(Pep440Version version)
    {
        // Binary search for the first interval whose upper bound admits the version.
        int lo = 0, hi = _intervals.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (_intervals[mid].Upper.AdmitsFromAbove(version))
            {
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo < _intervals.Length && _intervals[lo].Lower.AdmitsFromBelow(version);
    }

    public VersionSet Intersect(VersionSet other)
    {
        if (IsFull || other.IsEmpty)
        {
            return other;
        }

        if (other.IsFull || IsEmpty)
        {
            return this;
        }

        var result = new VersionInterval[_intervals.Length + other._intervals.Length];
        var count = 0;
        int i = 0, j = 0;
        while (i < _intervals.Length && j < other._intervals.Length)
        {
            var a = _intervals[i];
            var b = other._intervals[j];
            var lower = VersionBound.CompareLowers(a.Lower, b.Lower) >= 0 ? a.Lower : b.Lower;
            var upperOrder = VersionBound.CompareUppers(a.Upper, b.Upper);
            var upper = upperOrder <= 0 ? a.Upper : b.Upper;
            if (!VersionInterval.IsEmpty(lower, upper))
            {
                result[count++] = new VersionInterval(lower, upper);
            }

            if (upperOrder < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return From(result, count);
    }

    public VersionSet Union(VersionSet other)
    {
        if (IsEmpty || other.IsFull)
        {
            return other;
        }

        if (other.IsEmpty || IsFull)
        {
            return this;
        }

        // Merge by lower bound, then coalesce overlapping or touching neighbours.
        var merged = new List<VersionInterval>(_intervals.Length + other._intervals.Length);
        int i = 0, j = 0;
        while (i < _intervals.Length || j < other._intervals.Length)
        {
            var takeLeft = j >= other._intervals.Length
                || (i < _intervals.Length && VersionBound.CompareLowers(_intervals[i].Lower, other._intervals[j].Lower) <= 0);
            var next = takeLeft ? _intervals[i++] : other._intervals[j++];
            if (merged.Count > 0 && Touches(merged[merged.Count - 1].Upper, next.Lower))
            {
                var last = merged[merged.Count - 1];
                var upper = VersionBound.CompareUppers(last.Upper, next.Upper) >= 0 ? last.Upper : next.Upper;
                merged[merged.Count - 1] = new VersionInterval(last.Lower, upper);
            }
            else
            {
                merged.Add(next);
            }
        }

        return From(merged);
    }

    public VersionSet Complement()
    {
        if (IsEmpty)
        {
            return Full;
        }

        var result = new List<VersionInterval>(_intervals.Length + 1);
        VersionBound? previousUpper = null;
        foreach (var interval in _intervals)
        {
            if (previousUpper is null)
            {
                if (!interval.Lower.IsUnbounded)
                {
                    result.Add(new VersionInterval(default, interval.Lower.Flip()));
                }
            }
            else
            {
                result.Add(new VersionInterval(VersionInterval.CanonicalLower(previousUpper.Value.Flip()), interval.Lower.Flip()));
            }

            previousUpper = interval.Upper;
        }

        if (!previousUpper!.Value.IsUnbounded)
        {
            result.Add(new VersionInterval(VersionInterval.CanonicalLower(previousUpper.Value.Flip()), default));
        }

        return From(result);
    }

    /// <summary>Versions in this set and not in <paramref name="other"/>.</summary>
    public VersionSet Except(VersionSet other) => Intersect(other.Complement());

    public bool IsSubsetOf(VersionSet other) => Except(other).IsEmpty;

    public bool IsSupersetOf(VersionSet other) => other.IsSubsetOf(this);

    public bool IsDisjointFrom(VersionSet other) => Intersect(other).IsEmpty;

    /// <summary>
    /// True when every version in the set is a pre-release (or the set is empty): what makes a set
    /// unsatisfiable once pre-releases are turned off.
    /// </summary>
    public bool IsPrereleaseOnly()
    {
        foreach (var interval in _intervals)
        {
            if (HasFinal(interval))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(VersionSet? other)
    {
        if (other is null || other._intervals.Length != _intervals.Length)
        {
            return false;
        }

        for (var i = 0; i < _intervals.Length; i++)
        {
            if (!_intervals[i].Equals(other._intervals[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as VersionSet);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var interval in _intervals)
        {
            hash = unchecked((hash * 31) + interval.GetHashCode());
        }

        return hash;
    }

    internal static VersionSet Single(VersionBound lower, VersionBound upper)
    {
        lower = VersionInterval.CanonicalLower(lower);
        return VersionInterval.IsEmpty(lower, upper) ? Empty : new VersionSet(new[] { new VersionInterval(lower, upper) });
    }

    /// <summary>Two intervals: (-inf, <paramref name="upper"/>) and (<paramref name="lower"/>, +inf).</summary>
    internal static VersionSet Outside(VersionBound upper, VersionBound lower) =>
        Single(default, upper).Union(Single(lower, default));

    internal static VersionBound Point(Pep440Version version, bool inclusive) => new(version, inclusive, afterRelease: false);

    /// <summary>The point above every version of <paramref name="version"/>'s release.</summary>
    internal static VersionBound AfterReleaseOf(Pep440Version version) =>
        new(Pep440Version.FromRelease(version.EpochNumber, version.ReleaseArray), inclusive: false, afterRelease: true);

    private static VersionSet From(List<VersionInterval> intervals) =>
        intervals.Count == 0 ? Empty : new VersionSet(intervals.ToArray());

    private static VersionSet From(VersionInterval[] buffer, int count)
    {
        if (count == 0)
        {
            return Empty;
        }

        if (count != buffer.Length)
        {
            Array.Resize(ref buffer, count);
        }

        return new VersionSet(buffer);
    }

    private static bool Touches(VersionBound previousUpper, VersionBound nextLower)
    {
        if (previousUpper.Version is null || nextLower.Version is null)
        {
            return true;
        }

        var c = VersionBound.ComparePoints(previousUpper, nextLower);
        return c > 0 || (c == 0 && (previousUpper.Inclusive || nextLower.Inclusive || previousUpper.AfterRelease));
    }

    private static bool HasFinal(VersionInterval interval)
    {
        var lower = interval.Lower;
        var upper = interval.Upper;
        if (lower.Version is null)
        {
            // The smallest final version is 0; everything below it is a pre-release of 0.
            return upper.AdmitsFromAbove(Pep440Version.Zero);
        }

        if (lower.AfterRelease || upper.Version is null)
        {
            // Above a whole release there are always longer final releases (1.0.0...1) before any bound.
            return true;
        }

        var nearest = lower.Version.NearestFinalAtOrAbove();
        if (interval.Contains(nearest))
        {
            return true;
        }

        // Above an excluded final V, V+local is a final too whenever the upper bound is above V.
        return !lower.Inclusive && !lower.Version.IsPrerelease && VersionBound.ComparePoints(lower, upper) < 0;
    }
}
