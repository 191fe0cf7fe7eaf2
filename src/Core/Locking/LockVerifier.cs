using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>
/// The second half of drift detection: does the lock still satisfy every declared requirement and constraint
/// in every environment it covers? In each environment the entries whose markers hold are selected (with
/// every extra and dependency group on); each requirement that holds there needs exactly one entry whose version it admits.
/// </summary>
public static class LockVerifier
{
    public static IReadOnlyList<string> Check(PylockFile lockFile, IReadOnlyList<RootRequirement> requirements, IReadOnlyList<RootRequirement> constraints,
        IReadOnlyList<MarkerEnvironment> environments)
    {
        var problems = new List<string>();
        var markers = lockFile.Packages.ToDictionary(p => p, p => p.Marker is null ? null : MarkerExpression.Parse(p.Marker));
        foreach (var environment in environments)
        {
            var where = $"Python {environment.PythonFullVersion} on {environment.SysPlatform} ({environment.PlatformMachine})";
            var selected = lockFile.Packages
                .Where(p => markers[p] is not { } marker || Evaluate(marker, environment, lockFile.Extras, lockFile.DependencyGroups))
                .GroupBy(p => p.Name)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            foreach (var (requirement, isConstraint) in requirements.Select(r => (r, false)).Concat(constraints.Select(r => (r, true))))
            {
                var declared = requirement.Requirement;
                if (declared.Marker is not null && !Evaluate(declared.Marker, environment, [], []))
                {
                    continue;
                }

                var name = declared.PackageName.Normalized;
                if (!selected.TryGetValue(name, out var entries))
                {
                    if (!isConstraint)
                    {
                        problems.Add($"{declared} has no locked entry for {where}");
                    }

                    continue;
                }

                if (entries.Count > 1)
                {
                    problems.Add($"{name} has {entries.Count} locked entries that apply to {where}");
                    continue;
                }

                if (entries[0].Version is { } text && Pep440Version.TryParse(text, out var version) && !declared.Specifier.Contains(version, prereleases: true))
                {
                    problems.Add($"{declared} is not satisfied by the locked {name} {text} ({where})");
                }
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool Evaluate(MarkerExpression marker, MarkerEnvironment environment, IEnumerable<string> extras, IEnumerable<string> groups)
    {
        try
        {
            return marker.Evaluate(environment, extras, groups);
        }
        catch (MarkerEvaluationException)
        {
            return false;
        }
    }
}
