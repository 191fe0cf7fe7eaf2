using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>
/// The normalized inputs a lock was made from, recorded under <c>[tool.pythonenv-sdk]</c>: requirements per
/// group and extra, constraints, requires-python, environments, indexes (never credentials) and resolution
/// options. Drift is judged by comparing two manifests semantically (<see cref="Compare"/>), never by
/// hashing declaration files, so reordering or reformatting declarations is not drift.
/// </summary>
public sealed class LockManifest
{
    /// <summary>Bumped when the recorded shape changes; a lock with another schema is re-made, not misread.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public string? RequiresPython { get; init; }

    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The project's own requirements (PEP 508, normalized).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>Optional dependencies by extra name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extras { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>PEP 735 dependency groups by normalized name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DependencyGroups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Index URLs in the order they are asked, without credentials.</summary>
    public IReadOnlyList<string> Indexes { get; init; } = [];

    public IReadOnlyList<string> FindLinks { get; init; } = [];

    /// <summary>Index pins: <c>torch from https://download.pytorch.org/whl/cu121/ ; sys_platform != "darwin"</c> (see <c>IndexRoute</c>).</summary>
    public IReadOnlyList<string> IndexPins { get; init; } = [];

    /// <summary><c>highest</c>, <c>lowest</c> or <c>lowest-direct</c>.</summary>
    public string Resolution { get; init; } = ResolverOptionNames.Name(ResolverOptionNames.DefaultStrategy);

    /// <summary><c>if-necessary-or-explicit</c> (the PEP 440 rule) or <c>allow</c>.</summary>
    public string Prerelease { get; init; } = ResolverOptionNames.Name(ResolverOptionNames.DefaultPrerelease);

    /// <summary>The marker spaces the last resolution forked into; an output kept so the next one forks alike.</summary>
    public IReadOnlyList<string> Forks { get; init; } = [];

    /// <summary>A copy with every list sorted and de-duplicated and every URL stripped of credentials: the canonical form written to the lock.</summary>
    public LockManifest Normalize() => new()
    {
        SchemaVersion = SchemaVersion,
        RequiresPython = string.IsNullOrWhiteSpace(RequiresPython) ? null : RequiresPython!.Trim(),
        Environments = Sorted(Environments),
        Requirements = Sorted(Requirements),
        Extras = Extras.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)Sorted(pair.Value), StringComparer.Ordinal),
        DependencyGroups = DependencyGroups.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)Sorted(pair.Value), StringComparer.Ordinal),
        Constraints = Sorted(Constraints),
        Indexes = Indexes.Select(WithoutCredentials).Distinct(StringComparer.Ordinal).ToList(),
        FindLinks = FindLinks.Select(WithoutCredentials).Distinct(StringComparer.Ordinal).ToList(),
        IndexPins = Sorted(IndexPins.Select(WithoutCredentials)),
        Resolution = Resolution,
        Prerelease = Prerelease,
        Forks = Sorted(Forks),
    };

    /// <summary>This manifest with the fork markers of the resolution it produced.</summary>
    public LockManifest WithForks(IReadOnlyList<string> forks)
    {
        return new LockManifest
        {
            SchemaVersion = SchemaVersion, RequiresPython = RequiresPython, Environments = Environments, Requirements = Requirements,
            Extras = Extras, DependencyGroups = DependencyGroups, Constraints = Constraints, Indexes = Indexes,
            FindLinks = FindLinks, IndexPins = IndexPins, Resolution = Resolution, Prerelease = Prerelease, Forks = forks.OrderBy(f => f, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// What changed from <paramref name="recorded"/> (the lock's) to <paramref name="current"/> (the declarations'):
    /// one entry per added, removed or changed requirement, constraint, group, extra, index, environment,
    /// Python range or option. Empty when the lock is up to date with the declarations.
    /// </summary>
    public static IReadOnlyList<ManifestChange> Compare(LockManifest recorded, LockManifest current)
    {
        var changes = new List<ManifestChange>();
        if (recorded.SchemaVersion != current.SchemaVersion)
        {
            changes.Add(new ManifestChange(ManifestChangeKind.Changed, "lock schema version", recorded.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), current.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        CompareValue(changes, "requires-python", recorded.RequiresPython, current.RequiresPython);
        CompareRequirements(changes, "dependency", recorded.Requirements, current.Requirements);
        CompareScopes(changes, "extra", recorded.Extras, current.Extras);
        CompareScopes(changes, "dependency group", recorded.DependencyGroups, current.DependencyGroups);
        CompareRequirements(changes, "constraint", recorded.Constraints, current.Constraints);
        CompareSets(changes, "environment", recorded.Environments, current.Environments);
        if (!recorded.Indexes.SequenceEqual(current.Indexes, StringComparer.Ordinal))
        {
            // Order matters: a package is taken from the first index that has it.
            if (new HashSet<string>(recorded.Indexes, StringComparer.Ordinal).SetEquals(current.Indexes))
            {
                changes.Add(new ManifestChange(ManifestChangeKind.Changed, "index order", string.Join(" ", recorded.Indexes), string.Join(" ", current.Indexes)));
            }
            else
            {
                CompareSets(changes, "index", recorded.Indexes, current.Indexes);
            }
        }

        CompareSets(changes, "find-links", recorded.FindLinks, current.FindLinks);
        CompareRequirements(changes, "index pin of", recorded.IndexPins, current.IndexPins);
        CompareValue(changes, "resolution strategy", recorded.Resolution, current.Resolution);
        CompareValue(changes, "pre-release policy", recorded.Prerelease, current.Prerelease);
        return changes;
    }

    private static void CompareValue(List<ManifestChange> changes, string subject, string? recorded, string? current)
    {
        if (!string.Equals(recorded ?? "", current ?? "", StringComparison.Ordinal))
        {
            changes.Add(new ManifestChange(
                recorded is null ? ManifestChangeKind.Added : current is null ? ManifestChangeKind.Removed : ManifestChangeKind.Changed,
                subject, recorded, current));
        }
    }

    private static void CompareSets(List<ManifestChange> changes, string subject, IEnumerable<string> recorded, IEnumerable<string> current)
    {
        var before = new HashSet<string>(recorded, StringComparer.Ordinal);
        var after = new HashSet<string>(current, StringComparer.Ordinal);
        changes.AddRange(after.Where(value => !before.Contains(value)).OrderBy(value => value, StringComparer.Ordinal)
            .Select(value => new ManifestChange(ManifestChangeKind.Added, $"{subject} {value}", null, value)));
        changes.AddRange(before.Where(value => !after.Contains(value)).OrderBy(value => value, StringComparer.Ordinal)
            .Select(value => new ManifestChange(ManifestChangeKind.Removed, $"{subject} {value}", value, null)));
    }

    private static void CompareScopes(List<ManifestChange> changes, string kind, IReadOnlyDictionary<string, IReadOnlyList<string>> recorded, IReadOnlyDictionary<string, IReadOnlyList<string>> current)
    {
        foreach (var name in recorded.Keys.Union(current.Keys).OrderBy(name => name, StringComparer.Ordinal))
        {
            var before = recorded.TryGetValue(name, out var b) ? b : null;
            var after = current.TryGetValue(name, out var a) ? a : null;
            if (before is null)
            {
                changes.Add(new ManifestChange(ManifestChangeKind.Added, $"{kind} '{name}'", null, string.Join(", ", after!)));
            }
            else if (after is null)
            {
                changes.Add(new ManifestChange(ManifestChangeKind.Removed, $"{kind} '{name}'", string.Join(", ", before), null));
            }
            else
            {
                CompareRequirements(changes, $"{kind} '{name}' requirement", before, after);
            }
        }
    }

    /// <summary>Requirements compare per package name, so editing a range reads as one change, not a removal and an addition.</summary>
    private static void CompareRequirements(List<ManifestChange> changes, string subject, IEnumerable<string> recorded, IEnumerable<string> current)
    {
        var before = ByName(recorded);
        var after = ByName(current);
        foreach (var name in before.Keys.Union(after.Keys).OrderBy(name => name, StringComparer.Ordinal))
        {
            var old = before.TryGetValue(name, out var o) ? o : null;
            var now = after.TryGetValue(name, out var n) ? n : null;
            if (old == now)
            {
                continue;
            }

            changes.Add(new ManifestChange(
                old is null ? ManifestChangeKind.Added : now is null ? ManifestChangeKind.Removed : ManifestChangeKind.Changed,
                $"{subject} {name}", old, now));
        }
    }

    private static Dictionary<string, string> ByName(IEnumerable<string> requirements) =>
        requirements
            .GroupBy(RequirementName, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => string.Join("; ", group.OrderBy(text => text, StringComparer.Ordinal)), StringComparer.Ordinal);

    /// <summary>The PEP 508 name at the start of a requirement, normalized (PEP 503).</summary>
    internal static string RequirementName(string requirement)
    {
        var text = requirement.TrimStart();
        var end = 0;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '_' or '-'))
        {
            end++;
        }

        return end == 0 ? text : PackageName.Normalize(text.Substring(0, end));
    }

    private static List<string> Sorted(IEnumerable<string> values) =>
        values.Select(value => value.Trim()).Where(value => value.Length > 0).Distinct(StringComparer.Ordinal).OrderBy(value => value, StringComparer.Ordinal).ToList();

    internal static string WithoutCredentials(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
            return builder.Uri.AbsoluteUri;
        }

        return url;
    }
}

public enum ManifestChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between the recorded inputs and the current ones.</summary>
public sealed record ManifestChange(ManifestChangeKind Kind, string Subject, string? Recorded, string? Current)
{
    public override string ToString() => Kind switch
    {
        ManifestChangeKind.Added => $"+ {Subject}" + (Current is not null && !Subject.EndsWith(Current, StringComparison.Ordinal) ? $": {Current}" : ""),
        ManifestChangeKind.Removed => $"- {Subject}" + (Recorded is not null && !Subject.EndsWith(Recorded, StringComparison.Ordinal) ? $": {Recorded}" : ""),
        _ => $"~ {Subject}: {Recorded} -> {Current}",
    };
}
