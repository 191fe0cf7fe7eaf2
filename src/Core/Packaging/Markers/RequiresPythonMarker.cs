using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>A requires-python as a marker, so it can be intersected with dependency markers and lock environments.</summary>
public static class RequiresPythonMarker
{
    /// <summary><c>&gt;=3.9,&lt;4</c> is <c>python_full_version &gt;= '3.9' and python_full_version &lt; '4'</c>; no specifier is every Python.</summary>
    public static MarkerExpression For(SpecifierSet requiresPython) =>
        requiresPython.Count == 0
            ? MarkerExpression.Always
            : MarkerExpression.Parse(string.Join(" and ", requiresPython.Select(s => $"python_full_version {s.Operator} '{s.Version}'")));
}
