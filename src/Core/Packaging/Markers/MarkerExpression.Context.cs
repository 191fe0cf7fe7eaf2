using System;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// Marker operations for reading markers in a known context: the extras a distribution's dependencies are
/// read for, and the Python versions a project supports.
/// </summary>
public sealed partial class MarkerExpression
{
    private static readonly MarkerEnvironment NoEnvironment = new(new Dictionary<string, string>());

    /// <summary>
    /// The marker with every <c>extra</c> comparison decided: core metadata's <c>extra == 'x'</c> holds exactly
    /// when x is among <paramref name="extras"/> (empty: the distribution itself). What remains is about the
    /// environment only, so the algebra can compare it with a fork's marker. Comparisons that cannot be
    /// decided (<c>extra ~= 'x'</c>) stay as they are.
    /// </summary>
    public MarkerExpression WithExtras(IEnumerable<string> extras) =>
        Decided(new MarkerEvaluator(NoEnvironment, extras.ToList(), null), variable => variable == MarkerVariables.Extra);

    /// <summary>
    /// The marker of a lock entry (PEP 751) with its <c>'x' in extras</c> and <c>'g' in dependency_groups</c>
    /// tests decided for the extras and groups an install selects; what remains is about the environment only.
    /// </summary>
    public MarkerExpression WithSelection(IEnumerable<string> extras, IEnumerable<string> dependencyGroups) =>
        Decided(new MarkerEvaluator(NoEnvironment, extras.ToList(), dependencyGroups.ToList()),
            variable => variable == MarkerVariables.Extras || variable == MarkerVariables.DependencyGroups);

    private MarkerExpression Decided(MarkerEvaluator evaluator, Func<string?, bool> decides)
    {
        var resolved = Decide(Root, evaluator, decides);
        return ReferenceEquals(resolved, Root) ? this : new MarkerExpression(resolved);
    }

    private static MarkerNode Decide(MarkerNode node, MarkerEvaluator evaluator, Func<string?, bool> decides)
    {
        switch (node)
        {
            case MarkerComparison comparison when decides(comparison.Variable):
                try
                {
                    return evaluator.Evaluate(comparison) ? MarkerConstant.True : MarkerConstant.Never;
                }
                catch (MarkerEvaluationException)
                {
                    return comparison;
                }

            case MarkerSequence sequence:
                return Fold(sequence, sequence.Items.Select(item => Decide(item, evaluator, decides)).ToList());
            default:
                return node;
        }
    }

    /// <summary>Rebuilds a sequence whose items were decided, folding constants: <c>and</c> binds tighter, as when evaluating.</summary>
    private static MarkerNode Fold(MarkerSequence original, List<MarkerNode> items)
    {
        if (items.SequenceEqual(original.Items))
        {
            return original;
        }

        var conjunctions = new List<List<MarkerNode>>();
        var current = new List<MarkerNode>();
        var never = false;
        for (var i = 0; i <= items.Count; i++)
        {
            if (i == items.Count || (i > 0 && original.JoinedByOr[i - 1]))
            {
                if (!never)
                {
                    if (current.Count == 0)
                    {
                        return MarkerConstant.True;
                    }

                    conjunctions.Add(current);
                }

                current = [];
                never = false;
                if (i == items.Count)
                {
                    break;
                }
            }

            var item = items[i];
            if (ReferenceEquals(item, MarkerConstant.Never))
            {
                never = true;
            }
            else if (item is not MarkerConstant)
            {
                current.Add(item);
            }
        }

        if (conjunctions.Count == 0)
        {
            return MarkerConstant.Never;
        }

        var flat = new List<MarkerNode>();
        var joins = new List<bool>();
        foreach (var conjunction in conjunctions)
        {
            if (flat.Count > 0)
            {
                joins.Add(true);
            }

            for (var j = 0; j < conjunction.Count; j++)
            {
                if (j > 0)
                {
                    joins.Add(false);
                }

                flat.Add(conjunction[j]);
            }
        }

        return flat.Count == 1 ? flat[0] : new MarkerSequence(flat, joins);
    }

    /// <summary>The Python versions (final releases) for which the marker can hold; every version when that cannot be worked out.</summary>
    public VersionSet PythonVersions
    {
        get
        {
            try
            {
                return NormalForm().Where(MarkerNormalForm.IsSatisfiable).Aggregate(VersionSet.Empty, (set, clause) => set.Union(clause.Python));
            }
            catch (MarkerTooComplexException)
            {
                return VersionSet.Full;
            }
        }
    }

    /// <summary>
    /// A simplified marker equivalent to this one for the Python versions in <paramref name="python"/> (the
    /// project's requires-python), so locks do not repeat <c>python_full_version &gt;= '3.9'</c> on every entry.
    /// Each clause keeps whichever of its own version range, or that range widened by the versions outside
    /// <paramref name="python"/>, has fewer bounds.
    /// </summary>
    public MarkerExpression SimplifyAssuming(VersionSet python)
    {
        try
        {
            var outside = python.Complement();
            var clauses = MarkerNormalForm.Simplify(NormalForm()).Select(clause =>
            {
                var widened = clause.Python.Union(outside);
                return Bounds(widened) < Bounds(clause.Python) ? clause.With(widened) : clause;
            }).ToList();
            var node = MarkerNormalForm.ToNode(MarkerNormalForm.Simplify(clauses));
            return node is null ? Simplify() : new MarkerExpression(node).Simplify();
        }
        catch (MarkerTooComplexException)
        {
            return this;
        }
    }

    private static int Bounds(VersionSet set) =>
        set.Intervals.Sum(interval => (interval.Lower.IsUnbounded ? 0 : 1) + (interval.Upper.IsUnbounded ? 0 : 1));
}
