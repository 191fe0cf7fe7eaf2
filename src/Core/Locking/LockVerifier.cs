using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>
/// The second half of drift detection: does the lock still satisfy every declared requirement and constraint
/// everywhere it covers? Decided with the marker algebra over the lock's whole universe (requires-python and
/// the declared environments), with every extra and dependency group selected: where a requirement holds,
/// the entries of its package must cover it, never two at once, and each must have a version it admits.
/// </summary>
public static class LockVerifier
{
    public static IReadOnlyList<string> Check(PylockFile lockFile, IReadOnlyList<RootRequirement> requirements, IReadOnlyList<RootRequirement> constraints,
        MarkerExpression universe, VersionSet requiresPython)
    {
        var problems = new List<string>();
        var entries = lockFile.Packages
            .Select(package => (Package: package, Marker: package.Marker is null
                ? MarkerExpression.Always
                : MarkerExpression.Parse(package.Marker).WithSelection(lockFile.Extras, lockFile.DependencyGroups)))
            .GroupBy(entry => entry.Package.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToList(), StringComparer.Ordinal);
        string Where(MarkerExpression marker) =>
            universe.Implies(marker) ? "" : $" where {marker.SimplifyAssuming(requiresPython)}";

        foreach (var (requirement, isConstraint) in requirements.Select(r => (r, false)).Concat(constraints.Select(r => (r, true))))
        {
            var declared = requirement.Requirement;
            var where = declared.Marker is null ? universe : universe.And(declared.Marker.WithExtras([])).Simplify();
            if (where.IsNever)
            {
                continue;
            }

            var name = declared.PackageName.Normalized;
            var applying = (entries.TryGetValue(name, out var list) ? list : [])
                .Where(entry => !where.And(entry.Marker).IsNever)
                .ToList();
            if (!isConstraint)
            {
                var covered = applying.Aggregate(MarkerExpression.Never, (union, entry) => union.Or(entry.Marker));
                if (applying.Count == 0)
                {
                    problems.Add($"{declared} has no locked entry");
                    continue;
                }

                if (covered.TryNot(out var uncovered) && where.And(uncovered) is var gap && !gap.IsNever)
                {
                    problems.Add($"{declared} has no locked entry{Where(gap.Simplify())}");
                }
            }

            for (var i = 0; i < applying.Count; i++)
            {
                for (var j = i + 1; j < applying.Count; j++)
                {
                    var both = where.And(applying[i].Marker).And(applying[j].Marker);
                    if (!both.IsNever)
                    {
                        problems.Add($"{name} has two locked entries ({applying[i].Package.Version} and {applying[j].Package.Version}) that apply together{Where(both.Simplify())}");
                    }
                }
            }

            foreach (var (package, marker) in applying)
            {
                if (package.Version is { } text && Pep440Version.TryParse(text, out var version) && !declared.Specifier.Contains(version, prereleases: true))
                {
                    problems.Add($"{declared} is not satisfied by the locked {name} {text}{Where(where.And(marker).Simplify())}");
                }
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }
}
