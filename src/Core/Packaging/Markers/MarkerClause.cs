using System;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// A comparison kept as a yes/no question (<c>'arm' in platform_machine</c>, <c>extra == 'a'</c>,
/// <c>'dev' in dependency_groups</c>). Substring tests are checked against the variable's other constraints
/// when deciding satisfiability; the rest are independent, which can only make more combinations look
/// possible, so disjointness built on them stays sound.
/// </summary>
internal sealed class MarkerFlag
{
    public MarkerFlag(string key, MarkerComparison positive, MarkerComparison? negative, SubstringAtom? substring = null)
    {
        Key = key;
        Positive = positive;
        Negative = negative;
        Substring = substring;
    }

    /// <summary>What <see cref="Positive"/> tests when it is a substring test on a variable's value, which satisfiability decides exactly.</summary>
    public SubstringAtom? Substring { get; }

    public string Key { get; }

    public MarkerComparison Positive { get; }

    /// <summary>The comparison that holds exactly when <see cref="Positive"/> does not, or null when markers cannot say it.</summary>
    public MarkerComparison? Negative { get; }
}

/// <summary>
/// One conjunction of the marker normal form: the interpreter versions it allows, a value constraint per
/// string variable, and the truth of each independent atom. Missing entries mean "anything". Immutable.
/// </summary>
internal sealed class MarkerClause : IEquatable<MarkerClause>
{
    public static readonly MarkerClause Always = new(VersionSet.Full, new Dictionary<string, StringConstraint>(), new Dictionary<string, (MarkerFlag, bool)>());

    public MarkerClause(VersionSet python, IReadOnlyDictionary<string, StringConstraint> strings, IReadOnlyDictionary<string, (MarkerFlag Flag, bool Value)> flags)
    {
        Python = python;
        Strings = strings;
        Flags = flags;
    }

    /// <summary>The final interpreter versions allowed (see <see cref="PythonVersionSets"/>).</summary>
    public VersionSet Python { get; }

    public IReadOnlyDictionary<string, StringConstraint> Strings { get; }

    public IReadOnlyDictionary<string, (MarkerFlag Flag, bool Value)> Flags { get; }

    /// <summary>How many separate constraints the clause holds (0: always true).</summary>
    public int Size => (Python.IsFull ? 0 : 1) + Strings.Count + Flags.Count;

    public static MarkerClause OfPython(VersionSet python) => Always.With(python);

    public static MarkerClause OfString(string variable, StringConstraint constraint) =>
        new(VersionSet.Full, new Dictionary<string, StringConstraint> { [variable] = constraint }, Always.Flags);

    public static MarkerClause OfFlag(MarkerFlag flag, bool value) =>
        new(VersionSet.Full, Always.Strings, new Dictionary<string, (MarkerFlag, bool)> { [flag.Key] = (flag, value) });

    public MarkerClause With(VersionSet python) => new(python, Strings, Flags);

    /// <summary>Both clauses at once, or null when they contradict each other outright.</summary>
    public MarkerClause? Intersect(MarkerClause other)
    {
        var python = Python.Intersect(other.Python);
        if (python.IsEmpty)
        {
            return null;
        }

        var strings = new Dictionary<string, StringConstraint>(Strings.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        foreach (var pair in other.Strings)
        {
            var merged = strings.TryGetValue(pair.Key, out var mine) ? mine.Intersect(pair.Value) : pair.Value;
            if (merged.IsEmpty)
            {
                return null;
            }

            strings[pair.Key] = merged;
        }

        var flags = new Dictionary<string, (MarkerFlag, bool)>(Flags.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        foreach (var pair in other.Flags)
        {
            if (flags.TryGetValue(pair.Key, out var mine) && mine.Item2 != pair.Value.Value)
            {
                return null;
            }

            flags[pair.Key] = pair.Value;
        }

        return new MarkerClause(python, strings, flags);
    }

    /// <summary>The clauses whose union is everything this clause excludes (one per constraint).</summary>
    public List<MarkerClause> Complement()
    {
        var result = new List<MarkerClause>();
        if (!Python.IsFull)
        {
            result.Add(OfPython(Python.Complement()));
        }

        result.AddRange(Strings.Select(p => OfString(p.Key, p.Value.Complement())));
        result.AddRange(Flags.Select(p => OfFlag(p.Value.Flag, !p.Value.Value)));
        return result.Where(c => !c.Python.IsEmpty && !c.Strings.Values.Any(s => s.IsEmpty)).ToList();
    }

    /// <summary>Every environment this clause admits is admitted by <paramref name="other"/>.</summary>
    public bool Implies(MarkerClause other) =>
        Python.IsSubsetOf(other.Python)
        && other.Strings.All(p => Strings.TryGetValue(p.Key, out var mine) ? mine.IsSubsetOf(p.Value) : p.Value.IsUniversal)
        && other.Flags.All(p => Flags.TryGetValue(p.Key, out var mine) && mine.Value == p.Value.Value);

    /// <summary>
    /// When the two clauses differ in exactly one constraint, the single clause equal to their union
    /// (<c>a and x or a and y</c> is <c>a and (x or y)</c>); otherwise null.
    /// </summary>
    public MarkerClause? TryMerge(MarkerClause other)
    {
        var differences = Python.Equals(other.Python) ? 0 : 1;
        string? stringKey = null;
        foreach (var key in Strings.Keys.Union(other.Strings.Keys))
        {
            if (!Equals(Strings.TryGetValue(key, out var a) ? a : null, other.Strings.TryGetValue(key, out var b) ? b : null))
            {
                differences++;
                stringKey = key;
            }
        }

        string? flagKey = null;
        foreach (var key in Flags.Keys.Union(other.Flags.Keys))
        {
            var a = Flags.TryGetValue(key, out var fa) ? (bool?)fa.Value : null;
            var b = other.Flags.TryGetValue(key, out var fb) ? (bool?)fb.Value : null;
            if (a != b)
            {
                differences++;
                flagKey = key;
            }
        }

        if (differences != 1)
        {
            return null;
        }

        if (stringKey is not null)
        {
            var strings = Strings.Where(p => p.Key != stringKey).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            if (Strings.TryGetValue(stringKey, out var a) && other.Strings.TryGetValue(stringKey, out var b) && a.Union(b) is { IsUniversal: false } union)
            {
                strings[stringKey] = union;
            }

            return new MarkerClause(Python, strings, Flags);
        }

        if (flagKey is not null)
        {
            // x and f or x and not f (or x and f or x) is x.
            return new MarkerClause(Python, Strings, Flags.Where(p => p.Key != flagKey).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        }

        return With(Python.Union(other.Python));
    }

    public bool Equals(MarkerClause? other) =>
        other is not null
        && Python.Equals(other.Python)
        && Strings.Count == other.Strings.Count && Strings.All(p => other.Strings.TryGetValue(p.Key, out var c) && c.Equals(p.Value))
        && Flags.Count == other.Flags.Count && Flags.All(p => other.Flags.TryGetValue(p.Key, out var f) && f.Value == p.Value.Value);

    public override bool Equals(object? obj) => Equals(obj as MarkerClause);

    public override int GetHashCode() => Python.GetHashCode() ^ Strings.Count ^ (Flags.Count << 8);
}
