using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Locking;

/// <summary>
/// The dependency graph a <c>pylock.toml</c> records, printed as <c>uv tree</c> prints it: the project's declared
/// requirements (main, then each extra and dependency group, from <c>[tool.pythonenv-sdk]</c>) with their extras
/// and markers, each locked entry below with its version and the marker of the environments it is locked for.
/// The edges are the lock's own <c>dependencies</c> lists (PEP 751 records them by name, and version when a name
/// has several entries); a lock written by another tool, without the SDK's table, is rooted at the entries
/// nothing depends on. <see cref="Why"/> prints the same graph inverted, as <c>uv tree --invert --package</c>.
/// </summary>
public sealed class LockGraph
{
    private readonly PylockFile _lock;
    private readonly string _project;
    private readonly Dictionary<string, List<LockedPackage>> _byName;
    private readonly List<Root> _roots;

    /// <summary>A declared requirement of the project, and where it was declared (main, an extra, a group).</summary>
    private sealed record Root(Requirement Requirement, string? Scope);

    public LockGraph(PylockFile lockFile, string projectName)
    {
        _lock = lockFile ?? throw new ArgumentNullException(nameof(lockFile));
        _project = projectName;
        _byName = lockFile.Packages.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _roots = Roots(lockFile);
    }

    /// <summary>The entries <paramref name="package"/> depends on: by name, and by version when the lock gives one.</summary>
    public IReadOnlyList<LockedPackage> DependenciesOf(LockedPackage package) =>
        package.Dependencies
            .SelectMany(d => _byName.TryGetValue(d.Name, out var entries) ? entries.Where(e => d.Version is null || e.Version == d.Version) : [])
            .Distinct()
            .OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Marker ?? "", StringComparer.Ordinal)
            .ToList();

    /// <summary>The entries that depend on <paramref name="package"/>.</summary>
    public IReadOnlyList<LockedPackage> DependentsOf(LockedPackage package)
    {
        _dependents ??= _lock.Packages.SelectMany(p => DependenciesOf(p).Select(d => (Dependency: d, Dependent: p)))
            .ToLookup(pair => pair.Dependency, pair => pair.Dependent);
        return _dependents[package].OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal).ToList();
    }

    private ILookup<LockedPackage, LockedPackage>? _dependents;

    /// <summary>The tree, one line per node: the project, its requirements, their dependencies; a subtree shown before is marked <c>(*)</c>.</summary>
    public IReadOnlyList<string> Tree()
    {
        var lines = new List<string> { _project };
        var expanded = new HashSet<LockedPackage>();
        var children = _roots.SelectMany(root => EntriesFor(root.Requirement).Select(entry => (Label: RootLabel(root, entry), Entry: entry))).ToList();
        for (var i = 0; i < children.Count; i++)
        {
            Down(lines, "", i == children.Count - 1, children[i].Label, children[i].Entry, expanded, []);
        }
        return lines;
    }

    /// <summary>
    /// Every path that pulls <paramref name="packageName"/> into the lock, inverted: the package, what depends on it,
    /// and so on up to the project's requirement (with its extra or group). PYENV1033 when the lock does not hold it.
    /// </summary>
    public IReadOnlyList<string> Why(string packageName)
    {
        var name = PackageName.Normalize(packageName.Trim());
        if (!_byName.TryGetValue(name, out var targets))
        {
            throw new PythonEnvException(DiagnosticCodes.WhyPackageNotLocked,
                $"PythonWhy names '{packageName}', which is not in the lock ({_lock.Packages.Count} packages). Check the spelling, or run -t:PythonTree to see what is locked.");
        }
        var lines = new List<string>();
        foreach (var target in targets)
        {
            lines.Add(EntryLabel(target));
            var parents = Parents(target);
            for (var i = 0; i < parents.Count; i++)
            {
                Up(lines, "", i == parents.Count - 1, parents[i], [target]);
            }
        }
        return lines;
    }

    private List<LockedPackage> EntriesFor(Requirement requirement)
    {
        if (!_byName.TryGetValue(requirement.PackageName.Normalized, out var entries))
        {
            return [];
        }
        // Entries locked for environments the declaration's marker excludes are another declaration's (torch from a CUDA
        // index where sys_platform != "darwin", from a CPU one where it is "darwin").
        var applicable = entries.Where(e => !Disjoint(requirement.Marker, e.Marker)).ToList();
        var matching = applicable.Where(e => e.Version is null || requirement.Specifier.Contains(e.Version, prereleases: true)).ToList();
        return matching.Count > 0 ? matching : applicable;
    }

    private static bool Disjoint(MarkerExpression? declared, string? locked)
    {
        if (declared is null || locked is null)
        {
            return false;
        }
        try
        {
            return declared.IsDisjointWith(MarkerExpression.Parse(locked));
        }
        catch (PackagingFormatException)
        {
            return false; // the reader validated the lock's markers; a marker that still does not parse hides nothing
        }
    }

    private void Down(List<string> lines, string indent, bool last, string label, LockedPackage entry, HashSet<LockedPackage> expanded, List<LockedPackage> path)
    {
        var dependencies = path.Contains(entry) ? [] : DependenciesOf(entry);
        var repeated = dependencies.Count > 0 && !expanded.Add(entry);
        lines.Add(indent + (last ? "└── " : "├── ") + label + (repeated ? " (*)" : ""));
        if (repeated)
        {
            return;
        }
        var next = indent + (last ? "    " : "│   ");
        var deeper = new List<LockedPackage>(path) { entry };
        for (var i = 0; i < dependencies.Count; i++)
        {
            Down(lines, next, i == dependencies.Count - 1, EntryLabel(dependencies[i]), dependencies[i], expanded, deeper);
        }
    }

    /// <summary>A node of the inverted tree: an entry that depends on the one below it, or the project's declaration.</summary>
    private sealed record Parent(string Label, LockedPackage? Entry);

    private List<Parent> Parents(LockedPackage entry) =>
        DependentsOf(entry).Select(p => new Parent(EntryLabel(p), p))
            .Concat(_roots.Where(r => EntriesFor(r.Requirement).Contains(entry)).Select(r => new Parent(ProjectLabel(r), null)))
            .ToList();

    private void Up(List<string> lines, string indent, bool last, Parent parent, List<LockedPackage> path)
    {
        var cycle = parent.Entry is not null && path.Contains(parent.Entry);
        lines.Add(indent + (last ? "└── " : "├── ") + parent.Label + (cycle ? " (*)" : ""));
        if (parent.Entry is null || cycle)
        {
            return;
        }
        var next = indent + (last ? "    " : "│   ");
        var parents = Parents(parent.Entry);
        var deeper = new List<LockedPackage>(path) { parent.Entry };
        for (var i = 0; i < parents.Count; i++)
        {
            Up(lines, next, i == parents.Count - 1, parents[i], deeper);
        }
    }

    private static string EntryLabel(LockedPackage entry) =>
        $"{entry.Name} v{entry.Version}" + (entry.Marker is null ? "" : $" (marker: {entry.Marker})");

    private static string RootLabel(Root root, LockedPackage entry)
    {
        var requirement = root.Requirement;
        var extras = requirement.Extras.Count == 0 ? "" : "[" + string.Join(",", requirement.NormalizedExtras) + "]";
        var notes = new List<string>();
        if (root.Scope is not null)
        {
            notes.Add(root.Scope);
        }
        // At the top the declaration's own marker says where it applies (the entry's repeats it, with the group or extra).
        if (requirement.Marker is not null)
        {
            notes.Add($"marker: {requirement.Marker}");
        }
        return $"{entry.Name}{extras} v{entry.Version}" + (notes.Count == 0 ? "" : $" ({string.Join(", ", notes)})");
    }

    private string ProjectLabel(Root root)
    {
        var text = new StringBuilder(_project).Append(" (requires ").Append(root.Requirement);
        if (root.Scope is not null)
        {
            text.Append("; ").Append(root.Scope);
        }
        return text.Append(')').ToString();
    }

    private static List<Root> Roots(PylockFile lockFile)
    {
        if (lockFile.Manifest is not { } manifest)
        {
            // Another tool's lock: the entries nothing depends on stand for what was declared.
            var needed = new HashSet<string>(lockFile.Packages.SelectMany(p => p.Dependencies).Select(d => d.Name), StringComparer.Ordinal);
            return lockFile.Packages.Where(p => !needed.Contains(p.Name)).Select(p => p.Name).Distinct(StringComparer.Ordinal)
                .Select(name => new Root(Requirement.Parse(name), null)).ToList();
        }
        var declared = manifest.Requirements.OrderBy(r => r, StringComparer.Ordinal).Select(r => (Text: r, Scope: (string?)null))
            .Concat(manifest.Extras.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.OrderBy(r => r, StringComparer.Ordinal).Select(r => (Text: r, Scope: (string?)("extra: " + e.Key)))))
            .Concat(manifest.DependencyGroups.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g.Value.OrderBy(r => r, StringComparer.Ordinal).Select(r => (Text: r, Scope: (string?)("group: " + g.Key)))));
        // The reader checked every recorded requirement; one that does not parse (a direct URL) has no locked entry to show.
        return declared.Select(d => Requirement.TryParse(d.Text, out var requirement) ? new Root(requirement, d.Scope) : null).OfType<Root>().ToList();
    }
}
