using System;
using System.Collections.Generic;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>The outcome of a resolution: one entry per package version, each with the environments it applies to.</summary>
public sealed class ResolutionResult
{
    public ResolutionResult(IReadOnlyList<ResolvedPackage> packages, IReadOnlyList<string> forks, IReadOnlyList<PythonEnvException>? warnings = null)
    {
        Packages = packages;
        Forks = forks;
        Warnings = warnings ?? [];
    }

    /// <summary>
    /// What the resolution worked around or found suspicious: versions skipped for unreadable metadata
    /// (PYENV2002, at no file of the user's), extras a package does not provide (PYENV2003, at the declaration).
    /// </summary>
    public IReadOnlyList<PythonEnvException> Warnings { get; }

    /// <summary>Sorted by name, then version.</summary>
    public IReadOnlyList<ResolvedPackage> Packages { get; }

    /// <summary>The marker spaces the resolution was split into (empty when one solve covered everything).</summary>
    public IReadOnlyList<string> Forks { get; }
}

/// <summary>A selected package version.</summary>
public sealed class ResolvedPackage
{
    public ResolvedPackage(PackageName name, Pep440Version version, string? marker, Uri index, IReadOnlyList<DistributionFile> files,
        SpecifierSet? requiresPython, IReadOnlyList<PackageName> dependencies)
    {
        Name = name;
        Version = version;
        Marker = marker;
        Index = index;
        Files = files;
        RequiresPython = requiresPython;
        Dependencies = dependencies;
    }

    public PackageName Name { get; }

    public Pep440Version Version { get; }

    /// <summary>When this entry applies (PEP 508), null for always.</summary>
    public string? Marker { get; }

    /// <summary>The index the files come from (no credentials).</summary>
    public Uri Index { get; }

    /// <summary>Every file that may install this version (all platforms' wheels and the sdist, hash-carrying).</summary>
    public IReadOnlyList<DistributionFile> Files { get; }

    public SpecifierSet? RequiresPython { get; }

    /// <summary>The packages this one needs in some covered environment.</summary>
    public IReadOnlyList<PackageName> Dependencies { get; }

    public override string ToString() => Marker is null ? $"{Name} {Version}" : $"{Name} {Version} ; {Marker}";
}
