using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>A locked package with a newer version on its index: the locked version(s), the newest, where it comes from.</summary>
public sealed record OutdatedPackage(string Name, IReadOnlyList<string> Locked, string Latest, string Source)
{
    public override string ToString() => $"{Name} {string.Join(", ", Locked)} -> {Latest}";
}

/// <summary>
/// Which locked packages have newer versions on their index, as <c>uv pip list --outdated</c> tells, for the
/// environments the lock covers: a version counts when it is not yanked, is a final release (unless the lock allows
/// pre-releases or a pre-release is locked), and has a file that installs somewhere the lock covers (its
/// requires-python and <c>environments</c>, narrowed to the entry's marker): a wheel by its tags and
/// <c>Requires-Python</c>, an sdist by its <c>Requires-Python</c>. Reads the lock and the index; changes nothing.
/// </summary>
public static class OutdatedPackages
{
    public static async Task<IReadOnlyList<OutdatedPackage>> FindAsync(
        PylockFile lockFile, Func<PackageName, CancellationToken, Task<ProjectListing>> listing, CancellationToken cancellationToken = default)
    {
        var requiresPython = SpecifierSet.TryParse(lockFile.RequiresPython ?? "", out var parsed) ? parsed : SpecifierSet.Any;
        var environments = lockFile.Environments.Select(MarkerExpression.Parse).ToList();
        var universe = PythonResolver.Universe(requiresPython, environments);
        var allowPre = lockFile.Manifest?.Prerelease == "allow";
        var outdated = new List<OutdatedPackage>();
        foreach (var group in lockFile.Packages.Where(p => p.OtherSourceKind is null && p.Version is not null)
                     .GroupBy(p => p.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var locked = group.Select(p => Pep440Version.Parse(p.Version!)).ToList();
            var newest = locked.Max()!;
            var where = group.Any(p => p.Marker is null) ? universe
                : universe.And(group.Select(p => MarkerExpression.Parse(p.Marker!)).Aggregate((a, b) => a.Or(b)));
            var project = await listing(PackageName.Parse(group.Key), cancellationToken).ConfigureAwait(false);
            var pre = allowPre || locked.Any(v => v.IsPrerelease);
            var latest = project.Files
                .Where(file => file.Version is { } version && version.CompareTo(newest) > 0 && !file.IsYanked && (pre || !version.IsPrerelease))
                .Where(file => !InstallsWhere(file).IsDisjointWith(where))
                .Select(file => file.Version!)
                .DefaultIfEmpty()
                .Max();
            if (latest is not null)
            {
                outdated.Add(new OutdatedPackage(group.Key, locked.OrderBy(v => v).Select(v => v.ToString()).Distinct().ToList(), latest.ToString(), UrlText.Display(project.IndexUrl)));
            }
        }
        return outdated;
    }

    /// <summary>Where a file installs: its wheel tags' environments and its Requires-Python.</summary>
    private static MarkerExpression InstallsWhere(DistributionFile file)
    {
        var python = file.RequiresPython is { } specifiers ? RequiresPythonRange.Marker(specifiers) : MarkerExpression.Always;
        return file.Wheel is { } wheel ? WheelMarkers.Of(wheel).And(python) : python;
    }
}
