using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// The marker algebra the resolver needs (universal resolution forks on markers).
/// <para>
/// Meaning is taken over the value spaces markers range over: <c>python_version</c>/<c>python_full_version</c>
/// as sets of final interpreter releases (as uv's resolver does; a pre-release interpreter is outside the
/// algebra's domain, though <see cref="Evaluate"/> handles it); string variables as value sets, with the known
/// correlations <c>sys_platform == 'win32'</c> ⇔ <c>platform_system == 'Windows'</c> ⇔ <c>os_name == 'nt'</c>,
/// <c>'linux'</c> ⇔ <c>'Linux'</c>, <c>'darwin'</c> ⇔ <c>'Darwin'</c> (both with <c>os_name == 'posix'</c>), and
/// <c>implementation_name</c> 'cpython'/'pypy' ⇔ <c>platform_python_implementation</c> 'CPython'/'PyPy'.
/// <c>extra == 'a'</c>, <c>'a' in extras</c> and <c>'a' in dependency_groups</c> are independent yes/no
/// questions: any set of extras and groups can be requested together, so <c>extra == 'a'</c> and
/// <c>extra == 'b'</c> are NOT disjoint (both dependencies apply when both extras are asked for).
/// Comparisons the algebra cannot interpret (substring tests, <c>platform_release</c> ranges, ...) are
/// independent yes/no questions too, so answers stay sound: "disjoint", "never" and "always" are only
/// claimed when no environment could disagree.
/// </para>
/// </summary>
public sealed partial class MarkerExpression
{
    /// <summary>The marker that always holds; it prints as the empty string (no marker).</summary>
    public static MarkerExpression Always { get; } = new(MarkerConstant.True);

    /// <summary>A marker that never holds, <c>python_version &lt; "0"</c> (PEP 508 has no "false").</summary>
    public static MarkerExpression Never { get; } = new(MarkerConstant.Never);

    /// <summary>Both markers: <c>(this) and (other)</c>, as packaging's <c>&amp;</c> prints it (a side is parenthesized when it has several terms). Not simplified.</summary>
    public MarkerExpression And(MarkerExpression other) => Combine(other, or: false);

    /// <summary>Either marker: <c>(this) or (other)</c>, as packaging's <c>|</c> prints it. Not simplified.</summary>
    public MarkerExpression Or(MarkerExpression other) => Combine(other, or: true);

    /// <summary>
    /// The marker that holds exactly when this one does not, simplified. Throws
    /// <see cref="InvalidOperationException"/> when PEP 508 cannot say it (negating <c>platform_release &gt;= '5'</c>
    /// would need a "not" that markers lack); see <see cref="TryNot"/>.
    /// </summary>
    public MarkerExpression Not() =>
        TryNot(out var negation) ? negation : throw new InvalidOperationException($"The negation of '{this}' cannot be written as a PEP 508 marker.");

    /// <summary>The negation (see <see cref="Not"/>), or false when it cannot be written as a marker.</summary>
    public bool TryNot([NotNullWhen(true)] out MarkerExpression? negation)
    {
        negation = null;
        try
        {
            var node = MarkerNormalForm.ToNode(MarkerNormalForm.Simplify(MarkerNormalForm.Not(NormalForm())));
            if (node is null)
            {
                return false;
            }

            negation = new MarkerExpression(node);
            return true;
        }
        catch (MarkerTooComplexException)
        {
            return false;
        }
    }

    /// <summary>
    /// An equivalent marker in simplest normal form: an <c>or</c> of <c>and</c>s with duplicates, impossible
    /// and covered terms dropped, always-true terms absorbing the rest, python_version ranges merged
    /// (<c>python_version &lt; '3.10' or python_version &gt;= '3.10'</c> is <see cref="Always"/>). When the normal
    /// form would be too large or unprintable, the marker itself is returned.
    /// </summary>
    public MarkerExpression Simplify()
    {
        try
        {
            // Merging is greedy, and printing groups a clause's python intervals; re-reading the printed form
            // can merge further, so repeat until the text settles.
            var node = MarkerNormalForm.ToNode(MarkerNormalForm.Simplify(NormalForm()));
            for (var pass = 0; pass < 4 && node is not null; pass++)
            {
                var next = MarkerNormalForm.ToNode(MarkerNormalForm.Simplify(MarkerNormalForm.From(node)));
                if (next is null || new MarkerExpression(next).Equals(new MarkerExpression(node)))
                {
                    break;
                }

                node = next;
            }

            return node is null ? this : new MarkerExpression(node);
        }
        catch (MarkerTooComplexException)
        {
            return this;
        }
    }

    /// <summary>True when every environment satisfies the marker (false when that cannot be shown).</summary>
    public bool IsAlwaysTrue
    {
        get
        {
            try
            {
                return NegatedNormalForm().Count == 0;
            }
            catch (MarkerTooComplexException)
            {
                return false;
            }
        }
    }

    /// <summary>True when no environment satisfies the marker (false when that cannot be shown).</summary>
    public bool IsNever
    {
        get
        {
            try
            {
                return !NormalForm().Any(MarkerNormalForm.IsSatisfiable);
            }
            catch (MarkerTooComplexException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// True when no environment satisfies both markers (<c>sys_platform == 'linux'</c> and
    /// <c>sys_platform == 'win32'</c>). Sound: false whenever that cannot be shown.
    /// </summary>
    public bool IsDisjointWith(MarkerExpression other)
    {
        _ = other ?? throw new ArgumentNullException(nameof(other));
        try
        {
            return MarkerNormalForm.And(NormalForm(), other.NormalForm()).Count == 0;
        }
        catch (MarkerTooComplexException)
        {
            return false;
        }
    }

    /// <summary>True when both markers hold in exactly the same environments (false when that cannot be shown).</summary>
    public bool IsEquivalentTo(MarkerExpression other)
    {
        _ = other ?? throw new ArgumentNullException(nameof(other));
        try
        {
            var mine = NormalForm();
            var theirs = other.NormalForm();
            return MarkerNormalForm.And(mine, other.NegatedNormalForm()).Count == 0
                && MarkerNormalForm.And(theirs, NegatedNormalForm()).Count == 0;
        }
        catch (MarkerTooComplexException)
        {
            return false;
        }
    }

    /// <summary>True when every environment satisfying this marker satisfies <paramref name="other"/> (false when that cannot be shown).</summary>
    public bool Implies(MarkerExpression other)
    {
        _ = other ?? throw new ArgumentNullException(nameof(other));
        try
        {
            return MarkerNormalForm.And(NormalForm(), other.NegatedNormalForm()).Count == 0;
        }
        catch (MarkerTooComplexException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when, within <paramref name="fork"/>, the marker can hold only where some comparison the algebra
    /// cannot interpret goes one way (<c>platform_release &lt; "2.6"</c>, two variables compared, <c>'1' in
    /// python_version</c>, <c>~=</c> on strings): whether any environment of the fork satisfies it stays
    /// undecided. False when it never holds there, or holds somewhere for reasons the algebra decides.
    /// </summary>
    public bool IsUndecidableWithin(MarkerExpression fork)
    {
        _ = fork ?? throw new ArgumentNullException(nameof(fork));
        try
        {
            var clauses = MarkerNormalForm.Simplify(NormalForm());
            var decided = clauses.Where(clause => !clause.Flags.Values.Any(flag => MarkerNormalForm.IsUndecidable(flag.Flag))).ToList();
            return MarkerNormalForm.And(fork.NormalForm(), clauses).Count > 0 && MarkerNormalForm.And(fork.NormalForm(), decided).Count == 0;
        }
        catch (MarkerTooComplexException)
        {
            return false;
        }
    }

    private List<MarkerClause>? _normalForm;

    private List<MarkerClause>? _negatedNormalForm;

    private List<MarkerClause> NormalForm() => _normalForm ??= MarkerNormalForm.From(Root);

    // Kept: the resolver asks "does x imply this?" of the same marker many times.
    private List<MarkerClause> NegatedNormalForm() => _negatedNormalForm ??= MarkerNormalForm.Not(NormalForm());

    private MarkerExpression Combine(MarkerExpression other, bool or)
    {
        _ = other ?? throw new ArgumentNullException(nameof(other));
        if (Root is MarkerConstant || other.Root is MarkerConstant)
        {
            // "always and x" is x; "always or x" is always.
            return or ? Always : Root is MarkerConstant ? other : this;
        }

        // As packaging's "&" and "|": each side is one operand, parenthesized when it has several items.
        return new MarkerExpression(new MarkerSequence([Root, other.Root], [or]));
    }
}
