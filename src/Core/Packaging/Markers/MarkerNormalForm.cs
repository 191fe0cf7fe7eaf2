using System;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// Markers in disjunctive normal form over per-variable value sets: an <c>or</c> of <see cref="MarkerClause"/>s.
/// <list type="bullet">
/// <item><c>python_version</c>/<c>python_full_version</c> become one set of final interpreter versions.</item>
/// <item>String variables become finite or cofinite value sets (<c>==</c>, <c>!=</c>; packaging 26 makes
/// <c>&lt;=</c>/<c>&gt;=</c> between strings an equality and <c>&lt;</c>/<c>&gt;</c> false).</item>
/// <item><c>python_version in "2.6 2.7"</c> (a substring test, as PEP 508 and packaging read it) is the versions
/// whose string the literal holds; <c>===</c> is string equality with the interpreter's version.</item>
/// <item>Substring tests on other variables (<c>'linux' in sys_platform</c>, <c>platform_machine in 'x86_64 AMD64'</c>)
/// are yes/no atoms that satisfiability checks against each other and the variable's value set, exactly.</item>
/// <item><c>extra == 'x'</c>, <c>'x' in extras</c>, <c>'x' in dependency_groups</c> and every comparison the
/// algebra cannot interpret (<c>~=</c> on strings, <c>platform_release</c> ranges, two variables...) are independent
/// yes/no atoms. So <c>extra == 'a'</c> and <c>extra == 'b'</c> are not disjoint: both extras can be requested.</item>
/// </list>
/// Satisfiability knows how platform variables go together (<see cref="Correlations"/>), and that "linux2"
/// and "linux3" were Linux's sys_platform only before Python 3.3. Everything here
/// answers "possible" when unsure: a clause is only called impossible when no environment can satisfy it.
/// </summary>
internal static class MarkerNormalForm
{
    /// <summary>Normal forms larger than this are not built; callers fall back to a conservative answer.</summary>
    public const int MaxClauses = 512;

    // The variables kept as value sets, in the order a clause prints them.
    private static readonly string[] StringOrder =
    [
        MarkerVariables.SysPlatform, MarkerVariables.PlatformSystem, MarkerVariables.OsName, MarkerVariables.PlatformMachine,
        MarkerVariables.ImplementationName, MarkerVariables.PlatformPythonImplementation, MarkerVariables.PlatformVersion,
    ];

    /// <summary>
    /// Variables whose values go together, as rows of values one real environment has; a value listed in a
    /// row determines the row. Any environment matching no row has none of the listed values of the
    /// variables that determine a row. (Cygwin, Jython, Emscripten... have os_name 'posix' or 'java' and
    /// sys_platform values of their own, so they fall in that "other" case.)
    /// </summary>
    private static readonly (string[] Variables, string[][] Rows, string[][] Determining)[] Correlations =
    [
        (
            [MarkerVariables.SysPlatform, MarkerVariables.PlatformSystem, MarkerVariables.OsName],
            [["win32", "Windows", "nt"], ["linux", "Linux", "posix"], ["darwin", "Darwin", "posix"], ["linux2", "Linux", "posix"], ["linux3", "Linux", "posix"]],
            [["win32", "linux", "darwin", "linux2", "linux3"], ["Windows", "Linux", "Darwin"], ["nt"]]
        ),
        (
            [MarkerVariables.ImplementationName, MarkerVariables.PlatformPythonImplementation],
            [["cpython", "CPython"], ["pypy", "PyPy"]],
            [["cpython", "pypy"], ["CPython", "PyPy"]]
        ),
    ];

    /// <summary>
    /// sys_platform values only interpreters before 3.3 reported: Linux was "linux2" (or "linux3" on a 3.x kernel)
    /// until Python 3.3 made it "linux" (metadata still says <c>sys.platform == "linux2"</c>).
    /// </summary>
    private static readonly string[] LegacyLinux = ["linux2", "linux3"];

    private static readonly VersionSet BeforeLinuxRename = VersionSet.LessThan(Pep440Version.Parse("3.3"));

    public static List<MarkerClause> Never => [];

    public static List<MarkerClause> Always => [MarkerClause.Always];

    /// <summary>The normal form of a parsed marker; throws <see cref="MarkerTooComplexException"/> past <see cref="MaxClauses"/>.</summary>
    public static List<MarkerClause> From(MarkerNode node)
    {
        switch (node)
        {
            case MarkerConstant:
                return Always;
            case MarkerComparison comparison:
                return FromComparison(comparison);
            case MarkerSequence sequence:
                {
                    var result = Never;
                    var conjunction = Always;
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        if (i > 0 && sequence.JoinedByOr[i - 1])
                        {
                            result = Or(result, conjunction);
                            conjunction = Always;
                        }

                        conjunction = And(conjunction, From(sequence.Items[i]));
                    }

                    return Or(result, conjunction);
                }

            default:
                throw new InvalidOperationException("Unknown marker node.");
        }
    }

    public static List<MarkerClause> Or(List<MarkerClause> a, List<MarkerClause> b)
    {
        var result = new List<MarkerClause>(a.Count + b.Count);
        result.AddRange(a);
        result.AddRange(b);
        return Check(result);
    }

    public static List<MarkerClause> And(List<MarkerClause> a, List<MarkerClause> b)
    {
        var result = new List<MarkerClause>();
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (x.Intersect(y) is { } both && IsSatisfiable(both))
                {
                    result.Add(both);
                    Check(result);
                }
            }
        }

        return result;
    }

    public static List<MarkerClause> Not(List<MarkerClause> dnf)
    {
        var result = Always;
        foreach (var clause in dnf)
        {
            result = And(result, clause.Complement());
            if (result.Count == 0)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>True when some environment satisfies the clause.</summary>
    public static bool IsSatisfiable(MarkerClause clause)
    {
        if (clause.Python.IsEmpty || clause.Strings.Values.Any(c => c.IsEmpty))
        {
            return false;
        }

        var domains = Domains(clause);
        if (domains.Values.Any(d => !d.AdmitsOtherThan(Array.Empty<string>())))
        {
            return false;
        }

        if (domains.TryGetValue(MarkerVariables.SysPlatform, out var platform) && !platform.AdmitsOtherThan(LegacyLinux)
            && clause.Python.IsDisjointFrom(BeforeLinuxRename))
        {
            return false;
        }

        foreach (var (variables, rows, determining) in Correlations)
        {
            var constraints = variables.Select(v => domains.TryGetValue(v, out var c) ? c : null).ToArray();
            var anyRow = rows.Any(row => constraints.Select((c, i) => c is null || c.Admits(row[i])).All(ok => ok));
            var other = constraints.Select((c, i) => c is null || c.AdmitsOtherThan(determining[i])).All(ok => ok);
            if (!anyRow && !other)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the clause says about each string variable it constrains: value sets and substring tests together.</summary>
    private static Dictionary<string, SubstringDomain> Domains(MarkerClause clause)
    {
        var domains = new Dictionary<string, SubstringDomain>(StringComparer.Ordinal);
        if (clause.Strings.Count == 0 && clause.Flags.Count == 0)
        {
            return domains;
        }

        var atoms = new Dictionary<string, List<(SubstringAtom, bool)>>(StringComparer.Ordinal);
        foreach (var (flag, value) in clause.Flags.Values)
        {
            if (flag.Substring is { } atom)
            {
                (atoms.TryGetValue(atom.Variable, out var list) ? list : atoms[atom.Variable] = []).Add((atom, value));
            }
        }

        foreach (var variable in clause.Strings.Keys.Union(atoms.Keys))
        {
            domains[variable] = new SubstringDomain(clause.Strings.TryGetValue(variable, out var c) ? c : null, atoms.TryGetValue(variable, out var list) ? list : []);
        }

        return domains;
    }

    /// <summary>
    /// Drops impossible clauses, clauses another one already covers, and merges clauses that differ in a
    /// single constraint (which is how python_version ranges join up), until nothing changes.
    /// </summary>
    public static List<MarkerClause> Simplify(List<MarkerClause> dnf)
    {
        var clauses = dnf.Where(IsSatisfiable).ToList();
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = 0; i < clauses.Count && !changed; i++)
            {
                for (var j = 0; j < clauses.Count && !changed; j++)
                {
                    if (i == j)
                    {
                        continue;
                    }

                    if (clauses[i].Implies(clauses[j]))
                    {
                        clauses.RemoveAt(i);
                        changed = true;
                    }
                    else if (clauses[i].TryMerge(clauses[j]) is { } merged)
                    {
                        clauses[Math.Min(i, j)] = merged;
                        clauses.RemoveAt(Math.Max(i, j));
                        changed = true;
                    }
                }
            }
        }

        return clauses;
    }

    /// <summary>The marker a normal form prints as; null when an atom's negation has no marker syntax.</summary>
    public static MarkerNode? ToNode(List<MarkerClause> dnf)
    {
        if (dnf.Count == 0)
        {
            return MarkerConstant.Never;
        }

        if (dnf.Any(c => c.Size == 0))
        {
            return MarkerConstant.True;
        }

        var clauses = new List<MarkerNode>();
        foreach (var clause in dnf)
        {
            var parts = new List<MarkerNode>();
            if (!clause.Python.IsFull)
            {
                var intervals = PythonVersionSets.ToComparisons(clause.Python);
                parts.Add(intervals.Count == 1 ? And(intervals[0]) : Or(intervals.Select(And).ToList()));
            }

            foreach (var variable in clause.Strings.Keys.OrderBy(v => Array.IndexOf(StringOrder, v) is var i and >= 0 ? i : StringOrder.Length).ThenBy(v => v, StringComparer.Ordinal))
            {
                var constraint = clause.Strings[variable];
                var comparisons = constraint.Values
                    .Select(v => (MarkerNode)new MarkerComparison(MarkerOperand.Variable(variable), constraint.Include ? MarkerOperator.Equal : MarkerOperator.NotEqual, MarkerOperand.Literal(v)))
                    .ToList();
                if (constraint.Include && comparisons.Count > 1)
                {
                    parts.Add(Or(comparisons));
                }
                else
                {
                    parts.AddRange(comparisons);
                }
            }

            foreach (var pair in clause.Flags.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var (flag, value) = pair.Value;
                var comparison = value ? flag.Positive : flag.Negative;
                if (comparison is null)
                {
                    return null;
                }

                parts.Add(comparison);
            }

            clauses.Add(And(parts));
        }

        return clauses.Count == 1 ? clauses[0] : Or(clauses);
    }

    private static MarkerNode And(List<MarkerComparison> parts) => And(parts.Cast<MarkerNode>().ToList());

    private static MarkerNode And(List<MarkerNode> parts) =>
        parts.Count == 1 ? parts[0] : new MarkerSequence(parts, Enumerable.Repeat(false, parts.Count - 1).ToList());

    private static MarkerNode Or(List<MarkerNode> parts) =>
        parts.Count == 1 ? parts[0] : new MarkerSequence(parts, Enumerable.Repeat(true, parts.Count - 1).ToList());

    private static List<MarkerClause> Check(List<MarkerClause> clauses) =>
        clauses.Count > MaxClauses ? throw new MarkerTooComplexException() : clauses;

    /// <summary>The normal form of one comparison.</summary>
    private static List<MarkerClause> FromComparison(MarkerComparison comparison)
    {
        var left = comparison.Left;
        var right = comparison.Right;
        var op = comparison.Operator;

        if (!left.IsVariable && !right.IsVariable)
        {
            // Two literals: the answer does not depend on the environment.
            try
            {
                return MarkerEvaluator.Compare(left.Value, op, right.Value, MarkerValueKind.String, comparison) ? Always : Never;
            }
            catch (UndefinedComparisonException)
            {
                return [Flag(comparison)];
            }
        }

        // Put the variable on the left where that means the same ('linux' == sys_platform). A version
        // variable on the right is the specifier's version, so only a plain version literal mirrors.
        if (!left.IsVariable && MarkerOperators.Mirror(op) is { } mirrored
            && MarkerVariables.KindOf(right.Value) switch
            {
                MarkerValueKind.NameSet => false,
                MarkerValueKind.Version => Pep440Version.TryParse(left.Value, out _),
                _ => true,
            })
        {
            (left, right, op) = (right, left, mirrored);
            comparison = new MarkerComparison(left, op, right);
        }

        // A Python version compared with a literal that is no version: packaging tests the literal against the
        // specifier the interpreter's version makes, and a non-version never matches.
        if (!left.IsVariable && right.IsVariable && right.Value is MarkerVariables.PythonVersion or MarkerVariables.PythonFullVersion
            && op is not (MarkerOperator.In or MarkerOperator.NotIn or MarkerOperator.ArbitraryEqual) && !Pep440Version.TryParse(left.Value, out _))
        {
            return Never;
        }

        if (left.IsVariable && !right.IsVariable)
        {
            var variable = left.Value;
            switch (MarkerVariables.KindOf(variable))
            {
                case MarkerValueKind.Version when variable is MarkerVariables.PythonVersion or MarkerVariables.PythonFullVersion:
                    if (PythonVersionSets.FromComparison(variable, op, right.Value) is { } python)
                    {
                        return python.IsEmpty ? Never : [MarkerClause.OfPython(python)];
                    }

                    break;
                case MarkerValueKind.String:
                    switch (op)
                    {
                        case MarkerOperator.Equal or MarkerOperator.LessThanOrEqual or MarkerOperator.GreaterThanOrEqual:
                            return [MarkerClause.OfString(variable, StringConstraint.Is(right.Value))];
                        case MarkerOperator.NotEqual:
                            return [MarkerClause.OfString(variable, StringConstraint.IsNot(right.Value))];
                        case MarkerOperator.LessThan or MarkerOperator.GreaterThan:
                            return Never;
                    }

                    break;
            }
        }

        return [Flag(comparison)];
    }

    /// <summary>The substring test an <c>in</c> between a variable's value and a literal is (not for name sets or <c>extra</c>).</summary>
    private static SubstringAtom? SubstringOf(MarkerComparison comparison)
    {
        if (comparison.Operator != MarkerOperator.In || comparison.Left.IsVariable == comparison.Right.IsVariable)
        {
            return null;
        }

        var variable = comparison.Left.IsVariable ? comparison.Left.Value : comparison.Right.Value;
        return MarkerVariables.KindOf(variable) is MarkerValueKind.String or MarkerValueKind.Version
            ? new SubstringAtom(variable, comparison.Left.IsVariable ? comparison.Right.Value : comparison.Left.Value, valueContainsLiteral: !comparison.Left.IsVariable)
            : null;
    }

    /// <summary>
    /// True for an atom whose truth the algebra cannot tie to the value spaces it knows: substring tests on
    /// string variables are decided exactly, the rest (<c>platform_release</c> ranges, <c>'1' in python_version</c>,
    /// two variables compared, <c>~=</c> on strings) are not.
    /// </summary>
    public static bool IsUndecidable(MarkerFlag flag) =>
        flag.Substring is not { } atom || MarkerVariables.KindOf(atom.Variable) != MarkerValueKind.String;

    /// <summary>An atom the algebra keeps as a yes/no question, keyed by its positive form.</summary>
    private static MarkerClause Flag(MarkerComparison comparison)
    {
        var complement = MarkerOperators.Complement(comparison.Operator);
        var positive = comparison.Operator is MarkerOperator.NotEqual or MarkerOperator.NotIn
            ? new MarkerComparison(comparison.Left, complement!.Value, comparison.Right)
            : comparison;
        var negative = MarkerOperators.Complement(positive.Operator) is { } negated
            ? new MarkerComparison(positive.Left, negated, positive.Right)
            : null;
        var flag = new MarkerFlag(positive.ToString(), positive, negative, SubstringOf(positive));
        return MarkerClause.OfFlag(flag, ReferenceEquals(positive, comparison));
    }
}

/// <summary>A marker's normal form would exceed <see cref="MarkerNormalForm.MaxClauses"/>.</summary>
internal sealed class MarkerTooComplexException : Exception
{
    public MarkerTooComplexException()
        : base($"The marker's normal form has more than {MarkerNormalForm.MaxClauses} clauses.")
    {
    }
}
