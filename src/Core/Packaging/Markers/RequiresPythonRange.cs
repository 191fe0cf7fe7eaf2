using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>A project's requires-python: the one default when nothing declares it, and the range as a marker.</summary>
public static class RequiresPythonRange
{
    /// <summary>What a project that declares no requires-python (and has no lock or interpreter to take one from) allows.</summary>
    public static SpecifierSet Default { get; } = SpecifierSet.Parse(">=3.8");

    /// <summary>The parsed range, or <see cref="Default"/> when <paramref name="text"/> is missing or not a specifier set.</summary>
    public static SpecifierSet ParseOrDefault(string? text) =>
        text is not null && SpecifierSet.TryParse(text, out var range) ? range : Default;

    /// <summary>
    /// The range as a marker, so it can be intersected with dependency markers and lock environments: <c>&gt;=3.9,&lt;4</c>
    /// is <c>python_full_version &gt;= '3.9' and python_full_version &lt; '4'</c>; no specifier is every Python.
    /// </summary>
    public static MarkerExpression Marker(SpecifierSet requiresPython) =>
        requiresPython.Count == 0
            ? MarkerExpression.Always
            : MarkerExpression.Parse(string.Join(" and ", requiresPython.Select(s => $"python_full_version {s.Operator} '{s.Version}'")));
}
