using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Locking;

/// <summary>Turns a resolution into a <c>pylock.toml</c> model: every entry with its marker, index, dependencies and every file (all platforms' wheels and the sdist) with hashes.</summary>
public static class LockBuilder
{
    /// <param name="lockDirectory">
    /// The folder of the lock file: files on the local file system (find-links folders, <c>file://</c> indexes)
    /// are recorded as a PEP 751 <c>path</c> relative to it (<see cref="LockPaths"/>), never as a <c>file://</c> URL.
    /// </param>
    public static PylockFile Build(ResolutionResult resolution, LockManifest manifest, string createdBy, string? lockDirectory = null)
    {
        var normalized = manifest.Normalize();
        var ambiguous = new HashSet<string>(resolution.Packages.GroupBy(p => p.Name.Normalized).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);
        var packages = resolution.Packages.Select(package => new LockedPackage
        {
            Name = package.Name.Normalized,
            Version = package.Version.ToString(),
            Marker = package.Marker,
            RequiresPython = package.RequiresPython?.ToString(),
            // A local folder is no index a lock reader could ask; its files carry their own paths.
            Index = package.Index.IsFile ? null : package.Index.AbsoluteUri,
            Dependencies = package.Dependencies
                .SelectMany(name => ambiguous.Contains(name.Normalized)
                    ? resolution.Packages.Where(p => p.Name.Equals(name)).Select(p => new LockedDependency(name.Normalized, p.Version.ToString()))
                    : [new LockedDependency(name.Normalized)])
                .ToList(),
            Sdist = package.Files.Where(file => file.IsSdist && file.Hashes.Count > 0).Select(file => ToLocked(file, lockDirectory)).FirstOrDefault(),
            Wheels = package.Files.Where(file => file.IsWheel && file.Hashes.Count > 0).Select(file => ToLocked(file, lockDirectory)).ToList(),
        }).ToList();

        return new PylockFile
        {
            Environments = normalized.Environments,
            RequiresPython = normalized.RequiresPython,
            Extras = normalized.Extras.Keys.Select(PackageName.Normalize).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToList(),
            DependencyGroups = normalized.DependencyGroups.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(),
            DefaultGroups = [],
            CreatedBy = createdBy,
            Packages = packages,
            Manifest = normalized.WithForks(resolution.Forks),
        };
    }

    private static LockedFile ToLocked(DistributionFile file, string? lockDirectory) => new()
    {
        Name = file.Filename,
        Url = file.Url.IsFile ? null : file.Url.AbsoluteUri,
        Path = file.Url.IsFile ? LockPaths.Record(file.Url.LocalPath, lockDirectory) : null,
        Size = file.Size,
        UploadTime = file.UploadTime,
        UploadTimeDigits = file.UploadTime is null ? null : file.UploadTimeDigits,
        Hashes = file.Hashes.ToDictionary(pair => pair.Key, pair => pair.Value.ToLowerInvariant(), StringComparer.Ordinal),
    };
}
