using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// A substring test on a marker variable, as <c>in</c> compares strings (Python's <c>str.__contains__</c>):
/// <c>'linux' in sys_platform</c> (the value contains the literal) or <c>sys_platform in 'linux2 linux'</c>
/// (the value is part of the literal).
/// </summary>
internal sealed class SubstringAtom
{
    public SubstringAtom(string variable, string literal, bool valueContainsLiteral)
    {
        Variable = variable;
        Literal = literal;
        ValueContainsLiteral = valueContainsLiteral;
    }

    public string Variable { get; }

    public string Literal { get; }

    public bool ValueContainsLiteral { get; }

    public bool Holds(string value) => ValueContainsLiteral ? value.Contains(Literal) : Literal.Contains(value);
}

/// <summary>
/// The values one conjunction leaves a string variable: its <see cref="StringConstraint"/> (null: any value)
/// and substring tests that must hold or fail. Decided exactly, so the algebra never calls possible what no
/// value satisfies, nor impossible what one does.
/// </summary>
internal sealed class SubstringDomain
{
    private readonly StringConstraint? _constraint;
    private readonly List<(SubstringAtom Atom, bool Holds)> _atoms;

    public SubstringDomain(StringConstraint? constraint, List<(SubstringAtom Atom, bool Holds)> atoms)
    {
        _constraint = constraint;
        _atoms = atoms;
    }

    public bool Admits(string value) => (_constraint is null || _constraint.Admits(value)) && _atoms.All(a => a.Atom.Holds(value) == a.Holds);

    /// <summary>Whether some value outside <paramref name="excluded"/> is admitted.</summary>
    public bool AdmitsOtherThan(ICollection<string> excluded)
    {
        if (_atoms.Count == 0)
        {
            return _constraint is null || _constraint.AdmitsOtherThan(excluded);
        }

        // A finite choice: the constraint's values, or the parts of a literal the value must lie within.
        var within = _atoms.FirstOrDefault(a => a.Holds && !a.Atom.ValueContainsLiteral).Atom;
        if (_constraint is { Include: true } || within is not null)
        {
            IEnumerable<string> candidates = _constraint is { Include: true } ? _constraint.Values : Substrings(within!.Literal);
            return candidates.Any(value => !excluded.Contains(value) && Admits(value));
        }

        // Otherwise the value must contain some literals and avoid others. Such a value exists exactly when no
        // avoided literal is empty or inside a required one: join the required ones with a separator no avoided
        // literal holds (so none can span two), then lengthen it with separators past every literal it must not
        // lie within and every excluded value.
        var required = _atoms.Where(a => a.Holds).Select(a => a.Atom.Literal).ToList();
        var avoided = _atoms.Where(a => !a.Holds && a.Atom.ValueContainsLiteral).Select(a => a.Atom.Literal).ToList();
        if (avoided.Any(a => a.Length == 0 || required.Any(r => r.Contains(a))))
        {
            return false;
        }

        var separator = Enumerable.Range(1, avoided.Sum(a => a.Length) + 1).Select(c => new string((char)c, 1)).First(c => !avoided.Any(a => a.Contains(c)));
        var notWithin = _atoms.Where(a => !a.Holds && !a.Atom.ValueContainsLiteral).Select(a => a.Atom.Literal.Length).DefaultIfEmpty(0).Max();
        var forbidden = excluded.Count + (_constraint?.Values.Count ?? 0);
        var value = string.Join(separator, required);
        for (var padding = 0; padding <= notWithin + forbidden + 1; padding++, value += separator)
        {
            if (!excluded.Contains(value) && Admits(value))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Substrings(string literal)
    {
        var result = new HashSet<string>(System.StringComparer.Ordinal) { "" };
        for (var start = 0; start < literal.Length; start++)
        {
            for (var length = 1; start + length <= literal.Length; length++)
            {
                result.Add(literal.Substring(start, length));
            }
        }

        return result;
    }
}
