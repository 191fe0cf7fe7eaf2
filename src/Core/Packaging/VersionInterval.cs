using System;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>A non-empty run of versions between two bounds.</summary>
public readonly struct VersionInterval : IEquatable<VersionInterval>
{
    internal VersionInterval(VersionBound lower, VersionBound upper)
    {
        Lower = lower;
        Upper = upper;
    }

    public VersionBound Lower { get; }

    public VersionBound Upper { get; }

    public bool Contains(Pep440Version version) => Lower.AdmitsFromBelow(version) && Upper.AdmitsFromAbove(version);

    public bool Equals(VersionInterval other) => Lower.Equals(other.Lower) && Upper.Equals(other.Upper);

    public override bool Equals(object? obj) => obj is VersionInterval other && Equals(other);

    public override int GetHashCode() => (Lower.GetHashCode() * 397) ^ Upper.GetHashCode();

    public static bool operator ==(VersionInterval left, VersionInterval right) => left.Equals(right);

    public static bool operator !=(VersionInterval left, VersionInterval right) => !left.Equals(right);

    /// <summary>True when no version lies between the bounds.</summary>
    internal static bool IsEmpty(VersionBound lower, VersionBound upper)
    {
        // Nothing sorts below 0.dev0, so "<0.dev0" holds nothing.
        if (upper.Version is { } top && !upper.Inclusive && !upper.AfterRelease && top.CompareTo(Pep440Version.Minimum) <= 0)
        {
            return true;
        }

        if (lower.Version is null || upper.Version is null)
        {
            return false;
        }

        // Between two distinct points there is always a version (local labels have no smallest
        // continuation), so only crossing or touching bounds are empty.
        var c = VersionBound.ComparePoints(lower, upper);
        return c > 0 || (c == 0 && !(lower.Inclusive && upper.Inclusive));
    }

    /// <summary>An inclusive lower bound at the smallest version is the same as no lower bound.</summary>
    internal static VersionBound CanonicalLower(VersionBound lower) =>
        lower.Version is { } v && lower.Inclusive && !lower.AfterRelease && v.CompareTo(Pep440Version.Minimum) <= 0 ? default : lower;
}
