using System;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// One end of a <see cref="VersionInterval"/>: unbounded, a version (inclusive or exclusive), or the
/// point just above every version of a release (<see cref="AfterRelease"/>), which is where
/// <c>&gt;1.0</c> starts: PEP 440 keeps <c>1.0.post1</c> and <c>1.0+local</c> out of it, and no real
/// version is the first one after them (<c>1.0.0.1</c>, <c>1.0.0.0.1</c>, ... have no smallest).
/// </summary>
public readonly struct VersionBound : IEquatable<VersionBound>
{
    internal VersionBound(Pep440Version? version, bool inclusive, bool afterRelease)
    {
        Version = version;
        AfterRelease = version is not null && afterRelease;
        Inclusive = version is not null && inclusive;
    }

    /// <summary>The version at this end; null when the interval is unbounded on this side.</summary>
    public Pep440Version? Version { get; }

    /// <summary>Whether <see cref="Version"/> itself is in the interval.</summary>
    public bool Inclusive { get; }

    /// <summary>The bound sits above every version of <see cref="Version"/>'s epoch and release (its pre, post, dev and local variants).</summary>
    public bool AfterRelease { get; }

    public bool IsUnbounded => Version is null;

    public bool Equals(VersionBound other) =>
        Inclusive == other.Inclusive && AfterRelease == other.AfterRelease
        && (Version is null ? other.Version is null : other.Version is not null && ComparePoints(this, other) == 0);

    public override bool Equals(object? obj) => obj is VersionBound other && Equals(other);

    public override int GetHashCode()
    {
        if (Version is null)
        {
            return 0;
        }

        // After-release points compare by release only, so hash that alone.
        var versionHash = AfterRelease ? Pep440Version.FromRelease(Version.EpochNumber, Version.ReleaseArray).GetHashCode() : Version.GetHashCode();
        return (versionHash * 4) + (Inclusive ? 1 : 0) + (AfterRelease ? 2 : 0);
    }

    public static bool operator ==(VersionBound left, VersionBound right) => left.Equals(right);

    public static bool operator !=(VersionBound left, VersionBound right) => !left.Equals(right);

    /// <summary>Orders two bounded points on the version line, ignoring inclusiveness.</summary>
    internal static int ComparePoints(VersionBound a, VersionBound b)
    {
        if (!a.AfterRelease && !b.AfterRelease)
        {
            return a.Version!.CompareTo(b.Version);
        }

        var c = a.Version!.CompareRelease(b.Version!);
        if (c != 0 || (a.AfterRelease && b.AfterRelease))
        {
            return c;
        }

        return a.AfterRelease ? 1 : -1;
    }

    /// <summary>As lower bounds: unbounded first; at the same point, inclusive starts earlier.</summary>
    internal static int CompareLowers(VersionBound a, VersionBound b)
    {
        if (a.Version is null || b.Version is null)
        {
            return (a.Version is null ? 0 : 1) - (b.Version is null ? 0 : 1);
        }

        var c = ComparePoints(a, b);
        return c != 0 ? c : (a.Inclusive == b.Inclusive ? 0 : a.Inclusive ? -1 : 1);
    }

    /// <summary>As upper bounds: unbounded last; at the same point, exclusive ends earlier.</summary>
    internal static int CompareUppers(VersionBound a, VersionBound b)
    {
        if (a.Version is null || b.Version is null)
        {
            return (a.Version is null ? 1 : 0) - (b.Version is null ? 1 : 0);
        }

        var c = ComparePoints(a, b);
        return c != 0 ? c : (a.Inclusive == b.Inclusive ? 0 : a.Inclusive ? 1 : -1);
    }

    /// <summary>Is <paramref name="version"/> at or above this lower bound?</summary>
    internal bool AdmitsFromBelow(Pep440Version version)
    {
        if (Version is null)
        {
            return true;
        }

        if (AfterRelease)
        {
            return version.CompareRelease(Version) > 0;
        }

        var c = version.CompareTo(Version);
        return c > 0 || (c == 0 && Inclusive);
    }

    /// <summary>Is <paramref name="version"/> at or below this upper bound?</summary>
    internal bool AdmitsFromAbove(Pep440Version version)
    {
        if (Version is null)
        {
            return true;
        }

        if (AfterRelease)
        {
            return version.CompareRelease(Version) <= 0;
        }

        var c = version.CompareTo(Version);
        return c < 0 || (c == 0 && Inclusive);
    }

    /// <summary>The same point seen from the other side (for complements).</summary>
    internal VersionBound Flip() => new(Version, !Inclusive, AfterRelease);
}
