using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Every packse scenario in tests/data/packse, through the real resolver against the loopback index: the
/// verdict must match, and so must the pins when the scenario gives them. Universal scenarios are also
/// checked environment by environment: exactly one entry per needed package, and pins that satisfy every
/// requirement that holds there.
/// </summary>
[TestClass]
public sealed class PackseScenarioTests
{
    public static IEnumerable<object[]> Scenarios => PackseScenarios.DataRows;

    /// <summary>
    /// Scenarios whose expected outcome depends on uv's own heuristics rather than on the standards, and which
    /// this resolver does not reproduce yet. They run, and are reported as inconclusive with the reason, so the
    /// count of agreeing scenarios stays visible and a newly agreeing one shows up.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
        ["extras/lock-without-metadata"] = "expects packages nothing requires (uv locks every package of the index in that test)",
        ["fork/preferences-dependent-forking-conflicting"] = "uv forks only on the requirements of versions it keeps and then finds no solution; this resolver keeps the forks a tried version caused and finds a valid one (checked in every environment)",
    };

    [TestMethod]
    [DynamicData(nameof(Scenarios))]
    public async Task Scenario(string id)
    {
        var scenario = PackseScenarios.Get(id);
        await using var server = await scenario.StartServerAsync();
        var cache = Path.Combine(Path.GetTempPath(), "pythonenv-packse-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var client = new IndexClient(new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = cache, RetryCount = 0 });
            var options = Options(scenario);
            var requirements = scenario.RootRequires.Select(text => new RootRequirement(Requirement.Parse(text), null, "scenario")).ToList();
            ResolutionResult? resolution = null;
            PythonEnvException? failure = null;
            try
            {
                resolution = await Task.Run(() => new PythonResolver(new IndexPackageSource(client), options).Resolve(requirements));
            }
            catch (PythonEnvException e) when (e.Code == DiagnosticCodes.NoSolution)
            {
                failure = e;
            }

            if (KnownDifferences.TryGetValue(id, out var reason))
            {
                if (resolution is not null && options.Environment is null)
                {
                    // Whatever uv says, a lock this resolver writes must be right in every environment.
                    CheckEveryEnvironment(resolution, requirements, options.RequiresPython, scenario);
                }

                var agrees = scenario.Satisfiable == (resolution is not null);
                Assert.Inconclusive($"known difference from uv ({reason}); verdict {(agrees ? "agrees" : "differs")}");
            }

            if (!scenario.Satisfiable)
            {
                Assert.IsNotNull(failure, $"expected no solution, got: {string.Join(", ", resolution!.Packages)}");
                StringAssert.Contains(failure.Message, "Because");
                return;
            }

            Assert.IsNotNull(resolution, failure?.Message);
            if (scenario.ExpectedPackages is { } expected)
            {
                var actual = resolution.Packages.GroupBy(p => p.Name.Normalized).ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(p => p.Version.ToString())));
                var wanted = expected.ToDictionary(pair => PackageName.Normalize(pair.Key), pair => Pep440Version.Parse(pair.Value).ToString());
                CollectionAssert.AreEquivalent(wanted, actual, $"pins: {string.Join(", ", actual.Select(p => p.Key + "==" + p.Value))}");
            }

            if (options.Environment is null)
            {
                CheckEveryEnvironment(resolution, requirements, options.RequiresPython, scenario);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(cache, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal static ResolverOptions Options(PackseScenario scenario)
    {
        var settings = scenario.ResolverOptions;
        var python = settings.Python ?? scenario.Environment.Python;
        PlatformTags? tags = null;
        if (settings.PythonPlatform is { } platform)
        {
            // "x86_64-manylinux2014": the manylinux 2.17 family and everything older on that architecture.
            var arch = platform.Split('-')[0];
            var platforms = Enumerable.Range(5, 13).Reverse().Select(minor => $"manylinux_2_{minor}_{arch}")
                .Concat([$"manylinux2014_{arch}", $"manylinux2010_{arch}", $"manylinux1_{arch}"]).ToList();
            var version = Pep440Version.Parse(python);
            int[] pythonVersion = [(int)version.Major, (int)version.Minor];
            tags = new PlatformTags(PlatformTags.CPythonTags(pythonVersion, [$"cp{version.Major}{version.Minor}"], platforms)
                .Concat(PlatformTags.CompatibleTags(pythonVersion, $"cp{version.Major}{version.Minor}", platforms)).Distinct());
        }

        return new ResolverOptions
        {
            Strategy = settings.Resolution switch { "lowest" => ResolutionStrategy.Lowest, "lowest-direct" => ResolutionStrategy.LowestDirect, _ => ResolutionStrategy.Highest },
            Prerelease = settings.Prereleases ? PrereleasePolicy.Allow : PrereleasePolicy.IfNecessaryOrExplicit,
            // A universal resolution run by an interpreter covers that Python and newer ones the project allows.
            RequiresPython = settings.Universal ? SpecifierSet.Parse($"{scenario.RootRequiresPython},>={python}") : SpecifierSet.Parse(scenario.RootRequiresPython),
            Environment = settings.Universal ? null : TargetEnvironments.For(python, "linux", "x86_64"),
            // uv's required-environments: each must install every entry that applies there (PythonEnvironments).
            Environments = settings.RequiredEnvironments.Select(MarkerExpression.Parse).ToList(),
            Tags = tags,
            NoBinary = settings.NoBinary.Select(PackageName.Parse).ToList(),
            NoBuild = settings.NoBuild.Select(PackageName.Parse).ToList(),
        };
    }

    /// <summary>
    /// In each environment the lock covers: one entry per package; walking from the project through the
    /// scenario's Requires-Dist that hold there (extras included), every requirement met is satisfied by the
    /// selected pins; and every selected entry is reached by that walk (nothing installed for nothing).
    /// </summary>
    internal static void CheckEveryEnvironment(ResolutionResult resolution, IReadOnlyList<RootRequirement> requirements, SpecifierSet requiresPython, PackseScenario scenario)
    {
        var published = scenario.Packages.ToDictionary(p => (PackageName.Normalize(p.Name), Pep440Version.Parse(p.Version)), p => p.ToSpec().RequiresDist.Select(Requirement.Parse).ToList());
        foreach (var environment in TargetEnvironments.Universal(requiresPython))
        {
            var selected = resolution.Packages.Where(p => p.Marker is null || MarkerExpression.Parse(p.Marker).Evaluate(environment, [], [])).ToList();
            var duplicates = selected.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => string.Join(" and ", g)).ToList();
            Assert.AreEqual(0, duplicates.Count, $"{environment}: {string.Join("; ", duplicates)}");
            var pins = selected.ToDictionary(p => p.Name, p => p.Version);
            var visited = new HashSet<(PackageName, string)>();
            var pending = new Queue<(Requirement Requirement, string Extra)>(requirements.Select(r => (r.Requirement, "")));
            while (pending.Count > 0)
            {
                var (requirement, context) = pending.Dequeue();
                if (requirement.Marker is not null && !requirement.Marker.Evaluate(environment, context.Length == 0 ? [] : [context], []))
                {
                    continue;
                }

                var name = requirement.PackageName;
                Assert.IsTrue(pins.TryGetValue(name, out var version), $"{environment}: nothing installs {requirement}");
                Assert.IsTrue(requirement.Specifier.Contains(version, prereleases: true), $"{environment}: {name} {version} does not satisfy {requirement}");
                foreach (var extra in requirement.NormalizedExtras.Prepend(""))
                {
                    if (visited.Add((name, extra)) && published.TryGetValue((name.Normalized, version), out var dependencies))
                    {
                        foreach (var dependency in dependencies)
                        {
                            pending.Enqueue((dependency, extra));
                        }
                    }
                }
            }

            var unneeded = selected.Where(p => !visited.Contains((p.Name, ""))).ToList();
            Assert.AreEqual(0, unneeded.Count, $"{environment}: selected but not needed: {string.Join(", ", unneeded)}");
        }
    }
}
