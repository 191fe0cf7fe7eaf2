using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>
/// Writes a lock as a pip requirements file (<c>PythonExportRequirements</c>): one <c>name==version</c> line
/// per entry with its marker and a <c>--hash=sha256:</c> per locked file, so
/// <c>pip install --require-hashes --no-deps -r</c> installs exactly the lock. Entries of dependency groups
/// and the project's extras are included only for the groups and extras asked for. Files the lock names on the local file system (PEP 751 <c>path</c>,
/// <c>file:</c> URLs) become <c>--find-links</c> lines for their folders, relative to the requirements file
/// (pip resolves a relative find-links folder against the file that names it), so pip finds them too.
/// </summary>
public static class RequirementsExport
{
    /// <summary>Writes the export to <paramref name="outputFile"/>, replacing it whole, never in place (PYENV3003 when it cannot be).</summary>
    public static void Save(string outputFile, PylockFile lockFile, IEnumerable<string>? groups, string lockDirectory, IEnumerable<string>? extras)
    {
        var text = Write(lockFile, groups, lockDirectory, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(outputFile)), extras);
        PylockWriter.Replace(outputFile, text);
    }

    /// <param name="lockFile">The lock to export.</param>
    /// <param name="groups">Dependency groups to include besides the main dependencies.</param>
    /// <param name="lockDirectory">The lock file's folder, which its relative <c>path</c> entries are relative to.</param>
    /// <param name="outputDirectory">The folder the requirements file is written to, which its <c>--find-links</c> lines are relative to.</param>
    /// <param name="extras">The project's extras to include.</param>
    public static string Write(PylockFile lockFile, IEnumerable<string>? groups = null, string? lockDirectory = null, string? outputDirectory = null,
        IEnumerable<string>? extras = null)
    {
        var selected = new HashSet<string>(groups ?? [], StringComparer.Ordinal);
        var selectedExtras = (extras ?? []).ToList();
        var requiresPython = RequiresPythonRange.ParseOrDefault(lockFile.RequiresPython);
        var universe = PythonResolver.Universe(requiresPython, lockFile.Environments.Select(MarkerExpression.Parse).ToList());
        var packages = new List<(LockedPackage Package, string? Marker)>();
        foreach (var package in lockFile.Packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal))
        {
            var marker = package.Version is null ? "" : Marker(package.Marker, universe, selected, selectedExtras);
            if (marker is not { Length: 0 })
            {
                packages.Add((package, marker));
            }
        }

        var text = new StringBuilder();
        text.Append("# Exported from pylock.toml by PythonEnv.Sdk (dotnet build -t:PythonExportRequirements).\n");
        text.Append("# Install with: pip install --require-hashes --no-deps -r requirements.txt\n");
        foreach (var folder in LocalFolders(packages.Select(p => p.Package), lockDirectory, outputDirectory))
        {
            text.Append("--find-links ").Append(folder.IndexOfAny([' ', '\t', '"', '\'', '#']) < 0 ? folder : "\"" + folder.Replace("\"", "\\\"") + "\"").Append('\n');
        }

        // Entries pinned to an index the lock does not search by default (PyTorch's CUDA index): pip must be told of it.
        // The exact versions and hashes keep another index's copy out, whatever pip merges.
        var searched = new HashSet<string>(lockFile.Manifest?.Indexes ?? [], StringComparer.Ordinal);
        foreach (var index in packages.Select(p => p.Package.Index).OfType<string>().Where(index => !searched.Contains(index)).Distinct(StringComparer.Ordinal).OrderBy(index => index, StringComparer.Ordinal))
        {
            text.Append("--extra-index-url ").Append(index).Append('\n');
        }

        foreach (var (package, marker) in packages)
        {
            text.Append(package.Name).Append("==").Append(package.Version);
            if (marker is not null)
            {
                text.Append(" ; ").Append(marker);
            }

            var hashes = package.Wheels.Concat(package.Sdist is null ? [] : [package.Sdist])
                .Select(file => file.Hashes.TryGetValue("sha256", out var hash) ? hash : null)
                .Where(hash => hash is not null)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(hash => hash, StringComparer.Ordinal);
            foreach (var hash in hashes)
            {
                text.Append(" \\\n    --hash=sha256:").Append(hash);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The folders of the exported files that live on the local file system, as the requirements file names them.</summary>
    private static IEnumerable<string> LocalFolders(IEnumerable<LockedPackage> packages, string? lockDirectory, string? outputDirectory)
    {
        var lockFolder = System.IO.Path.GetFullPath(lockDirectory ?? ".");
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in packages.SelectMany(p => p.Wheels.Concat(p.Sdist is null ? [] : [p.Sdist])))
        {
            var local = file.Path is { } path ? LockPaths.Resolve(path, lockFolder) : file.Url is { } url ? LockPaths.LocalPath(url) : null;
            if (local is not null && System.IO.Path.GetDirectoryName(local) is { Length: > 0 } folder)
            {
                folders.Add(LockPaths.Record(folder, outputDirectory ?? lockFolder));
            }
        }

        return folders;
    }

    /// <summary>
    /// The entry's marker as pip can read it: PEP 751's <c>'g' in dependency_groups</c> and <c>'x' in extras</c>
    /// are unknown to pip, so they are decided for the selected groups and extras; null when the entry
    /// then applies everywhere the lock covers (<paramref name="universe"/>), empty when it applies nowhere.
    /// </summary>
    private static string? Marker(string? marker, MarkerExpression universe, HashSet<string> selected, List<string> extras)
    {
        if (marker is null)
        {
            return null;
        }

        var decided = MarkerExpression.Parse(marker).WithSelection(extras, selected);
        if (universe.And(decided).IsNever)
        {
            return "";
        }

        return universe.Implies(decided) ? null : decided.ToString();
    }
}
