using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>
/// One distribution file the installer may use: its file name, sha256 (hex) and size as the lock records
/// them, and where to get it (a local file, or a URL fetched through the index client).
/// </summary>
public sealed record PlannedArtifact(string FileName, string Sha256, long? Size = null, string? LocalPath = null, Uri? Url = null)
{
    public bool IsWheel => FileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A package the venv must contain, already filtered for this interpreter (markers, groups): its pinned
/// version, the wheels it may be installed from, an sdist to build when no wheel fits, and whether it was
/// asked for directly (REQUESTED).
/// </summary>
public sealed record PlannedPackage(string Name, string Version, IReadOnlyList<PlannedArtifact> Wheels, PlannedArtifact? Sdist = null, bool Requested = false)
{
    /// <summary>The PEP 503 normalized name (lowercase, runs of -_. as one -).</summary>
    public string NormalizedName => PackageName.Normalize(Name);

    /// <summary>Where the package is declared (the lock file and its line), so an install failure points there.</summary>
    public string? SourceFile { get; init; }

    /// <inheritdoc cref="SourceFile"/>
    public int SourceLine { get; init; }
}

/// <summary>
/// What the installer must make the venv contain: exactly these packages. Built from the lock for one
/// interpreter (the adapter lives with the lock), or directly by tests and tools.
/// </summary>
public sealed class InstallPlan
{
    public InstallPlan(IEnumerable<PlannedPackage> packages)
    {
        Packages = packages.ToList();
        var duplicate = Packages.GroupBy(p => p.NormalizedName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"the plan lists '{duplicate.Key}' more than once", nameof(packages));
        }
    }

    public IReadOnlyList<PlannedPackage> Packages { get; }

    /// <summary>
    /// A digest of everything that decides the venv's content; the sync stamp records it, so a build can tell
    /// in one file read whether the venv already matches.
    /// </summary>
    public string Fingerprint(PythonInterpreter interpreter)
    {
        var text = new StringBuilder()
            .Append("python ").Append(interpreter.BaseExecutable).Append(' ').Append(interpreter.Version).Append('\n');
        foreach (var package in Packages.OrderBy(p => p.NormalizedName, StringComparer.Ordinal))
        {
            text.Append(package.NormalizedName).Append(' ').Append(package.Version).Append(package.Requested ? " requested" : "");
            foreach (var artifact in package.Wheels.Concat(package.Sdist is null ? Array.Empty<PlannedArtifact>() : new[] { package.Sdist }))
            {
                text.Append(' ').Append(artifact.Sha256.ToLowerInvariant());
            }
            text.Append('\n');
        }
        return Hashing.Sha256Hex(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
