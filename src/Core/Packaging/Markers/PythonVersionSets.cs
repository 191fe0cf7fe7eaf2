using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// <c>python_version</c> and <c>python_full_version</c> markers as sets of interpreter versions, for the
/// marker algebra. Like uv's resolver, the algebra reasons about final releases only (3.12.1, never
/// 3.13.0rc1): every set here holds exactly the final versions a marker admits, with bounds at final
/// versions, so union, intersection and complement stay exact and every bound prints back as a marker.
/// <c>python_version</c> (the interpreter's "X.Y") becomes the full versions whose X.Y it admits:
/// <c>python_version &gt;= '3.10'</c> is <c>python_full_version &gt;= 3.10</c>, <c>python_version == '3.10'</c>
/// is [3.10, 3.11).
/// </summary>
internal static class PythonVersionSets
{
    /// <summary>The final versions the comparison <c>variable op value</c> admits; null when it is not a version comparison.</summary>
    public static VersionSet? FromComparison(string variable, MarkerOperator op, string value)
    {
        if (op is MarkerOperator.In or MarkerOperator.NotIn)
        {
            var listed = Listed(variable, value);
            return op == MarkerOperator.In ? listed : listed.Complement();
        }

        if (op == MarkerOperator.ArbitraryEqual)
        {
            // "===" compares the interpreter's version string with the literal as text.
            var numbers = value.Split('.');
            return numbers.Length == Parts(variable) && numbers.All(n => n.Length > 0 && n.All(c => c is >= '0' and <= '9') && IsNumber(n))
                ? Block(variable, numbers)
                : VersionSet.Empty;
        }

        if (!Specifier.TryParse(MarkerOperators.Text(op) + value, out var specifier))
        {
            return null;
        }

        var finals = Finals(VersionSet.FromSpecifier(specifier));
        return variable == MarkerVariables.PythonVersion ? SnapToMinorVersions(finals) : finals;
    }

    /// <summary>
    /// The final versions whose string (python_version "X.Y", python_full_version "X.Y.Z", as interpreters
    /// report them) is a substring of <paramref name="value"/>: <c>in</c> on strings that are no version
    /// specifier is Python's substring test (PEP 508, packaging 26), so <c>python_version in "2.6 2.7 3.2 3.3"</c>
    /// is those four minor versions. uv reads the list as whole versions instead; the two differ only for a
    /// version that is a prefix of a listed one (<c>"3.1"</c> is in <c>"3.10"</c>).
    /// </summary>
    private static VersionSet Listed(string variable, string value)
    {
        var result = VersionSet.Empty;
        foreach (var numbers in DottedSubstrings(value, Parts(variable)))
        {
            result = result.Union(Block(variable, numbers));
        }

        return result;
    }

    /// <summary>How many numbers the variable's value has: "3.11" or "3.11.4".</summary>
    private static int Parts(string variable) => variable == MarkerVariables.PythonVersion ? 2 : 3;

    /// <summary>The final versions whose value of the variable is the given numbers: a minor version's releases, or one release.</summary>
    private static VersionSet Block(string variable, string[] numbers)
    {
        var version = Pep440Version.Parse(string.Join(".", numbers));
        return Parts(variable) == 2 ? VersionSet.AtLeast(version).Intersect(VersionSet.LessThan(NextMinor(version))) : VersionSet.Exactly(version);
    }

    /// <summary>
    /// Every substring of <paramref name="text"/> made of <paramref name="parts"/> dot-separated decimal numbers
    /// without leading zeros (how Python prints version numbers), as the numbers' texts.
    /// </summary>
    private static IEnumerable<string[]> DottedSubstrings(string text, int parts)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var dot = 0; dot < text.Length; dot++)
        {
            if (text[dot] != '.')
            {
                continue;
            }

            // The first number ends at this dot, the middle ones fill whole runs between dots, the last starts after the last dot.
            var middle = new List<string>();
            var position = dot;
            var complete = true;
            for (var m = 0; m < parts - 2; m++)
            {
                var run = DigitsAfter(text, position + 1);
                if (run.Length == 0 || position + 1 + run.Length >= text.Length || text[position + 1 + run.Length] != '.' || !IsNumber(run))
                {
                    complete = false;
                    break;
                }

                middle.Add(run);
                position += 1 + run.Length;
            }

            if (!complete)
            {
                continue;
            }

            var before = DigitsBefore(text, dot);
            var after = DigitsAfter(text, position + 1);
            for (var start = 0; start < before.Length; start++)
            {
                var first = before.Substring(start);
                for (var length = 1; length <= after.Length && IsNumber(first); length++)
                {
                    var last = after.Substring(0, length);
                    if (IsNumber(last))
                    {
                        var numbers = new[] { first }.Concat(middle).Concat(new[] { last }).ToArray();
                        if (seen.Add(string.Join(".", numbers)))
                        {
                            yield return numbers;
                        }
                    }
                }
            }
        }
    }

    private static bool IsNumber(string digits) => digits.Length == 1 || digits[0] != '0';

    private static string DigitsBefore(string text, int end)
    {
        var start = end;
        while (start > 0 && text[start - 1] is >= '0' and <= '9')
        {
            start--;
        }

        return text.Substring(start, end - start);
    }

    private static string DigitsAfter(string text, int start)
    {
        var end = start;
        while (end < text.Length && text[end] is >= '0' and <= '9')
        {
            end++;
        }

        return text.Substring(start, end - start);
    }

    /// <summary>The same set restricted to final releases, with every bound moved onto a final version.</summary>
    public static VersionSet Finals(VersionSet set)
    {
        var result = VersionSet.Empty;
        foreach (var interval in set.Intervals)
        {
            var lower = interval.Lower.IsUnbounded ? VersionSet.Full : FinalsAbove(interval.Lower);
            var upper = interval.Upper.IsUnbounded ? VersionSet.Full : FinalsBelow(interval.Upper);
            var part = lower.Intersect(upper);

            // Below 0 there are only pre-releases of 0.
            if (!interval.Upper.IsUnbounded && !interval.Upper.Inclusive && interval.Lower.IsUnbounded && IsZero(interval.Upper.Version!))
            {
                part = VersionSet.Empty;
            }

            result = result.Union(part);
        }

        return result;
    }

    /// <summary>Final versions at or above a lower bound.</summary>
    private static VersionSet FinalsAbove(VersionBound bound)
    {
        var version = bound.Version!;
        var release = Release(version);
        if (bound.AfterRelease)
        {
            return VersionSet.GreaterThan(release);
        }

        return Position(version) switch
        {
            < 0 => VersionSet.AtLeast(release),
            > 0 => VersionSet.GreaterThan(release),
            _ => bound.Inclusive ? VersionSet.AtLeast(release) : VersionSet.GreaterThan(release),
        };
    }

    /// <summary>Final versions at or below an upper bound.</summary>
    private static VersionSet FinalsBelow(VersionBound bound)
    {
        var version = bound.Version!;
        var release = Release(version);
        if (bound.AfterRelease)
        {
            return VersionSet.AtMost(release);
        }

        return Position(version) switch
        {
            < 0 => VersionSet.LessThan(release),
            > 0 => VersionSet.AtMost(release),
            _ => bound.Inclusive ? VersionSet.AtMost(release) : VersionSet.LessThan(release),
        };
    }

    /// <summary>Where a version sits against its own release: before it (pre/dev), after it (post/local) or on it.</summary>
    private static int Position(Pep440Version version) =>
        version.Pre is not null ? -1
        : version.Post is not null ? 1
        : version.Dev is not null ? -1
        : version.HasLocal ? 1
        : 0;

    private static Pep440Version Release(Pep440Version version)
    {
        var text = string.Join(".", version.Release.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        return Pep440Version.Parse(version.Epoch == 0 ? text : version.Epoch.ToString(CultureInfo.InvariantCulture) + "!" + text);
    }

    private static bool IsZero(Pep440Version version) => version.Epoch == 0 && version.Release.All(n => n == 0);

    /// <summary>
    /// The full versions whose X.Y lies in <paramref name="finals"/>: each interval widens to whole minor
    /// versions ([X.Y, X.Y+1) blocks) holding the X.Y points it contains.
    /// </summary>
    private static VersionSet SnapToMinorVersions(VersionSet finals)
    {
        var result = VersionSet.Empty;
        foreach (var interval in finals.Intervals)
        {
            var lower = VersionSet.Full;
            if (!interval.Lower.IsUnbounded)
            {
                var l = interval.Lower.Version!;
                lower = VersionSet.AtLeast(interval.Lower.Inclusive && IsMinorVersion(l) ? Minor(l) : NextMinor(l));
            }

            var upper = VersionSet.Full;
            if (!interval.Upper.IsUnbounded)
            {
                var u = interval.Upper.Version!;
                upper = VersionSet.LessThan(!interval.Upper.Inclusive && IsMinorVersion(u) ? Minor(u) : NextMinor(u));
            }

            result = result.Union(lower.Intersect(upper));
        }

        return result;
    }

    /// <summary>True for X.Y (or X, or X.Y.0...): a value python_version can take.</summary>
    public static bool IsMinorVersion(Pep440Version version) =>
        version.Epoch == 0 && version.Pre is null && version.Post is null && version.Dev is null && !version.HasLocal
        && version.Release.Skip(2).All(n => n == 0);

    private static Pep440Version Minor(Pep440Version version) => MinorVersion(version.Major, version.Minor);

    private static Pep440Version NextMinor(Pep440Version version) => MinorVersion(version.Major, version.Minor + 1);

    private static Pep440Version MinorVersion(long major, long minor) =>
        Pep440Version.Parse(major.ToString(CultureInfo.InvariantCulture) + "." + minor.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Marker comparisons for a set made by this class: one list per interval (its comparisons are and-ed,
    /// the lists or-ed), using <c>python_version</c> where a bound falls on a whole minor version.
    /// </summary>
    public static List<List<MarkerComparison>> ToComparisons(VersionSet set)
    {
        var result = new List<List<MarkerComparison>>();
        foreach (var interval in set.Intervals)
        {
            var parts = new List<MarkerComparison>();
            var lower = interval.Lower;
            var upper = interval.Upper;
            if (lower.Version is { } lv && upper.Version is { } uv && lower.Inclusive && upper.Inclusive && lv.Equals(uv))
            {
                parts.Add(Full(MarkerOperator.Equal, lv));
            }
            else if (lower.Version is { } low && upper.Version is { } high && lower.Inclusive && !upper.Inclusive
                && IsMinorVersion(low) && IsMinorVersion(high) && high.Equals(NextMinor(low)))
            {
                parts.Add(Minor(MarkerOperator.Equal, low));
            }
            else
            {
                if (lower.Version is { } l)
                {
                    parts.Add(lower.Inclusive
                        ? IsMinorVersion(l) ? Minor(MarkerOperator.GreaterThanOrEqual, l) : Full(MarkerOperator.GreaterThanOrEqual, l)
                        : Full(MarkerOperator.GreaterThan, l));
                }

                if (upper.Version is { } u)
                {
                    parts.Add(upper.Inclusive
                        ? Full(MarkerOperator.LessThanOrEqual, u)
                        : IsMinorVersion(u) ? Minor(MarkerOperator.LessThan, u) : Full(MarkerOperator.LessThan, u));
                }
            }

            result.Add(parts);
        }

        return result;
    }

    private static MarkerComparison Full(MarkerOperator op, Pep440Version version) =>
        new(MarkerOperand.Variable(MarkerVariables.PythonFullVersion), op, MarkerOperand.Literal(version.ToString()));

    private static MarkerComparison Minor(MarkerOperator op, Pep440Version version) =>
        new(MarkerOperand.Variable(MarkerVariables.PythonVersion), op, MarkerOperand.Literal(Minor(version).ToString()));
}
