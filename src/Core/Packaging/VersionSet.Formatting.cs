using System;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>A set written in specifier syntax, as messages and locks show it.</summary>
public sealed partial class VersionSet
{
    /// <summary>
    /// Specifier syntax: <c>&gt;=1.0,&lt;2</c>, <c>==1.*</c>, <c>&gt;=1.0,!=1.5,!=1.7.*</c>; where holes are
    /// not single versions or prefixes, intervals joined by <c> || </c>; <c>*</c> for every version and
    /// <c>∅</c> for none. Readable rather than guaranteed parseable; when it parses, it is this set.
    /// </summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "\u2205";
        }

        if (IsFull)
        {
            return "*";
        }

        if (_intervals.Length == 1)
        {
            return Describe(_intervals[0]);
        }

        // Holes that are one version or one prefix read best as "!=" clauses on the overall range.
        var clauses = new List<string>(_intervals.Length + 1);
        var hull = new VersionInterval(_intervals[0].Lower, _intervals[_intervals.Length - 1].Upper);
        if (!hull.Lower.IsUnbounded || !hull.Upper.IsUnbounded)
        {
            clauses.Add(Describe(hull));
        }

        for (var i = 1; i < _intervals.Length; i++)
        {
            var hole = Describe(new VersionInterval(VersionInterval.CanonicalLower(_intervals[i - 1].Upper.Flip()), _intervals[i].Lower.Flip()));
            if (!hole.StartsWith("==", StringComparison.Ordinal) || hole.StartsWith("===", StringComparison.Ordinal))
            {
                return string.Join(" || ", _intervals.Select(Describe));
            }

            clauses.Add("!=" + hole.Substring(2));
        }

        return string.Join(",", clauses);
    }

    private static string Describe(VersionInterval interval)
    {
        var lower = interval.Lower;
        var upper = interval.Upper;
        if (lower.Version is { } lv && upper.Version is { } uv)
        {
            if (lower.Inclusive && upper.Inclusive && !lower.AfterRelease && !upper.AfterRelease && lv.Equals(uv))
            {
                return (lv.HasLocal ? "==" : "===") + lv;
            }

            if (lower.Inclusive && !upper.Inclusive && !upper.AfterRelease && lv.IsDevZeroOfRelease && uv.IsDevZeroOfRelease && IsNextPrefix(lv, uv, out var prefix))
            {
                return "==" + prefix + ".*";
            }

            if (lower.Inclusive && !upper.Inclusive && uv.Equals(lv.Public.Successor()) && !lv.HasLocal)
            {
                return "==" + lv;
            }
        }

        var clauses = new List<string>(2);
        if (lower.Version is { } low)
        {
            clauses.Add(lower.AfterRelease ? ">" + low : lower.Inclusive ? ">=" + low : ">" + low);
        }

        if (upper.Version is { } high)
        {
            clauses.Add(DescribeUpper(upper, high));
        }

        return string.Join(",", clauses);
    }

    private static string DescribeUpper(VersionBound upper, Pep440Version high)
    {
        if (upper.AfterRelease)
        {
            return "<=" + high + ".post*";
        }

        if (upper.Inclusive)
        {
            return "<=" + high;
        }

        // "<V" (V not a pre-release) stops at V.dev0; "<=V" stops right after V's local variants.
        if (high.DevNumber is { IsZero: true } && !high.HasPre && !high.HasLocal)
        {
            return "<" + high.WithoutDev();
        }

        if (high.IsPrerelease)
        {
            return "<" + high;
        }

        return "<=" + high + ",!=" + high;
    }

    private static bool IsNextPrefix(Pep440Version lower, Pep440Version upper, out string prefix)
    {
        prefix = string.Empty;
        var a = lower.ReleaseArray;
        var b = upper.ReleaseArray;
        if (lower.EpochNumber != upper.EpochNumber)
        {
            return false;
        }

        var n = Math.Max(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = i < a.Length ? a[i] : System.Numerics.BigInteger.Zero;
            var y = i < b.Length ? b[i] : System.Numerics.BigInteger.Zero;
            if (i < n - 1 ? x != y : y != x + 1)
            {
                return false;
            }
        }

        var text = Pep440Version.FromRelease(lower.EpochNumber, a).ToString();
        for (var i = a.Length; i < n; i++)
        {
            text += ".0";
        }

        prefix = text;
        return true;
    }
}
