using System;
using System.Collections.Generic;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>Which candidate versions are tried first (<c>PythonResolution</c>).</summary>
public enum ResolutionStrategy
{
    /// <summary>The highest version of every package.</summary>
    Highest,
    /// <summary>The lowest version of every package.</summary>
    Lowest,
    /// <summary>The lowest version of the project's direct dependencies, the highest of the rest.</summary>
    LowestDirect,
}

/// <summary>When pre-releases may be chosen (<c>PythonPrerelease</c>).</summary>
public enum PrereleasePolicy
{
    /// <summary>Stable versions first; a pre-release only when no stable version satisfies the requirements on the package
    /// (which is always the case when a requirement pins or starts from a pre-release).</summary>
    IfNecessaryOrExplicit,
    /// <summary>Pre-releases compete with stable versions everywhere.</summary>
    Allow,
}

/// <summary>One requirement of the project, with where it was declared (for explanations).</summary>
/// <remarks><paramref name="Group"/> names the PEP 735 dependency group, <paramref name="Extra"/> the project's own extra (PEP 621 optional-dependencies) the requirement belongs to; both null for the main dependencies.</remarks>
public sealed record RootRequirement(Requirement Requirement, string? Group = null, string? Source = null, string? Extra = null)
{
    /// <summary>The declaration's file and line, for warnings about it (an extra the package does not provide).</summary>
    public Inputs.SourceLocation? Location { get; init; }
}

/// <summary>
/// The building machine's environment, which a universal lock must be installable in when it covers it: its
/// marker environment and its interpreter's wheel tags.
/// </summary>
/// <param name="Description">How messages name it, e.g. <c>this machine (CPython 3.12.3 on linux x86_64)</c>.</param>
public sealed record BuildMachine(MarkerEnvironment Environment, PlatformTags Tags, string Description)
{
    /// <summary>The marker a fork is cut along to skip a version only here: the machine's platform.</summary>
    public MarkerExpression PlatformMarker { get; } = MarkerExpression.Parse(
        $"sys_platform == '{Value(Environment, "sys_platform")}' and platform_machine == '{Value(Environment, "platform_machine")}'");

    private static string Value(MarkerEnvironment environment, string name) => environment.TryGet(name, out var value) ? value : "";
}

/// <summary>A version to prefer, where <paramref name="Marker"/> can hold (null: everywhere).</summary>
public sealed record Preference(PackageName Name, Pep440Version Version, MarkerExpression? Marker = null);

/// <summary>How to resolve.</summary>
public sealed class ResolverOptions
{
    public ResolutionStrategy Strategy { get; init; } = ResolverOptionNames.DefaultStrategy;

    public PrereleasePolicy Prerelease { get; init; } = ResolverOptionNames.DefaultPrerelease;

    /// <summary>
    /// The project's requires-python. In a universal resolution every candidate's Requires-Python must admit
    /// the whole range (by its lower bound: upper bounds on Requires-Python are ignored, as uv and pip's
    /// resolvers do, since they are almost always wrong).
    /// </summary>
    public SpecifierSet RequiresPython { get; init; } = RequiresPythonRange.Default;

    /// <summary>
    /// Resolve for exactly this environment (markers evaluated in it, Requires-Python checked against its
    /// <c>python_full_version</c>). Null: a universal resolution for every environment.
    /// </summary>
    public MarkerEnvironment? Environment { get; init; }

    /// <summary>
    /// <c>PythonEnvironments</c>: a universal resolution covers only environments where one of these markers
    /// holds (empty: every environment requires-python allows).
    /// </summary>
    public IReadOnlyList<MarkerExpression> Environments { get; init; } = [];

    /// <summary>The forks of the previous resolution (from the lock): resolving starts split the same way, so the result stays stable.</summary>
    public IReadOnlyList<MarkerExpression> Forks { get; init; } = [];

    /// <summary>With <see cref="Environment"/>: only wheels these tags admit (null: any wheel; sdists always qualify unless <see cref="NoBuild"/>).</summary>
    public PlatformTags? Tags { get; init; }

    /// <summary>Which index serves which package (pins); packages without a pin are searched on the configured indexes in order.</summary>
    public IndexRoutes Routes { get; init; } = IndexRoutes.None;

    /// <summary>Versions to prefer, normally the existing lock's entries (with their markers, so each fork prefers its own entry).</summary>
    public IReadOnlyList<Preference> Preferences { get; init; } = [];

    /// <summary>Ignore every preference (<c>PythonUpgrade=true</c>).</summary>
    public bool UpgradeAll { get; init; }

    /// <summary>Ignore the preferences of these packages (<c>PythonUpgrade=a;b</c>).</summary>
    public IReadOnlyCollection<PackageName> Upgrade { get; init; } = Array.Empty<PackageName>();

    /// <summary>Packages that must be installed from an sdist.</summary>
    public IReadOnlyCollection<PackageName> NoBinary { get; init; } = Array.Empty<PackageName>();

    /// <summary>Packages that must be installed from a wheel.</summary>
    public IReadOnlyCollection<PackageName> NoBuild { get; init; } = Array.Empty<PackageName>();

    /// <summary>False with <c>PythonNoBuild=true</c>: an sdist does not make a version installable in an environment.</summary>
    public bool BuildsAllowed { get; init; } = true;

    /// <summary>
    /// The building machine: a universal resolution covering it must give every entry that applies there an
    /// installable file on it, as it must for each of <see cref="Environments"/>. Null: not checked.
    /// </summary>
    public BuildMachine? Machine { get; init; }
}
