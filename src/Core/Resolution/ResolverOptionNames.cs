using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Resolution;

/// <summary>
/// The one spelling of each resolution option, as <c>PythonResolution</c>/<c>PythonPrerelease</c> take it and the
/// lock's <c>[tool.pythonenv-sdk]</c> records it, and the one default of each.
/// </summary>
public static class ResolverOptionNames
{
    public const ResolutionStrategy DefaultStrategy = ResolutionStrategy.Highest;

    public const PrereleasePolicy DefaultPrerelease = PrereleasePolicy.IfNecessaryOrExplicit;

    public static IReadOnlyDictionary<string, ResolutionStrategy> Strategies { get; } = new Dictionary<string, ResolutionStrategy>
    {
        ["highest"] = ResolutionStrategy.Highest, ["lowest"] = ResolutionStrategy.Lowest, ["lowest-direct"] = ResolutionStrategy.LowestDirect,
    };

    public static IReadOnlyDictionary<string, PrereleasePolicy> Prereleases { get; } = new Dictionary<string, PrereleasePolicy>
    {
        ["if-necessary-or-explicit"] = PrereleasePolicy.IfNecessaryOrExplicit, ["allow"] = PrereleasePolicy.Allow,
    };

    public static string Name(ResolutionStrategy strategy) => Strategies.First(pair => pair.Value == strategy).Key;

    public static string Name(PrereleasePolicy policy) => Prereleases.First(pair => pair.Value == policy).Key;
}
