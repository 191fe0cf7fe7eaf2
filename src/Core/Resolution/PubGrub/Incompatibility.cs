using System.Collections.Generic;

namespace PythonEnv.Resolution.PubGrub;

/// <summary>Why an incompatibility holds: a fact from the problem, or a conclusion drawn from two others.</summary>
public enum IncompatibilityKind
{
    /// <summary>The root package must be selected.</summary>
    Root,
    /// <summary>No version of the package lies in the set (or the package does not exist).</summary>
    NoVersions,
    /// <summary>The versions of the package cannot be used for a reason the provider gave.</summary>
    Unavailable,
    /// <summary>Versions of one package depend on a set of another's.</summary>
    Dependency,
    /// <summary>Learned during conflict resolution from <see cref="Incompatibility{TPackage, TSet}.Cause1"/> and <see cref="Incompatibility{TPackage, TSet}.Cause2"/>.</summary>
    Derived,
}

/// <summary>
/// A set of terms that must not all be true at once. External ones come from the problem; derived ones
/// are learned, and their causes form the derivation tree used to explain a failure.
/// </summary>
public sealed class Incompatibility<TPackage, TSet>
{
    private readonly KeyValuePair<TPackage, Term<TSet>>[] _terms;

    internal Incompatibility(KeyValuePair<TPackage, Term<TSet>>[] terms, IncompatibilityKind kind, string? reason = null,
        Incompatibility<TPackage, TSet>? cause1 = null, Incompatibility<TPackage, TSet>? cause2 = null)
    {
        _terms = terms;
        Kind = kind;
        Reason = reason;
        Cause1 = cause1;
        Cause2 = cause2;
    }

    /// <summary>One term per package.</summary>
    public IReadOnlyList<KeyValuePair<TPackage, Term<TSet>>> Terms => _terms;

    public IncompatibilityKind Kind { get; }

    /// <summary>For <see cref="IncompatibilityKind.Unavailable"/>: the provider's explanation.</summary>
    public string? Reason { get; }

    public Incompatibility<TPackage, TSet>? Cause1 { get; }

    public Incompatibility<TPackage, TSet>? Cause2 { get; }

    public bool IsDerived => Kind == IncompatibilityKind.Derived;

    /// <summary>For a dependency: the depending package (its positive term) and the dependency (negated term).</summary>
    internal bool TryGetDependency(out KeyValuePair<TPackage, Term<TSet>> depender, out KeyValuePair<TPackage, Term<TSet>> dependee)
    {
        depender = default;
        dependee = default;
        if (Kind != IncompatibilityKind.Dependency || _terms.Length != 2)
        {
            return false;
        }

        depender = _terms[0];
        dependee = _terms[1];
        return true;
    }
}
