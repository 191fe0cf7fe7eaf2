using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Universal resolution: one result valid in every environment the project allows, forked on markers where
/// requirements diverge, with each entry's marker saying exactly where it applies.
/// </summary>
[TestClass]
public sealed class UniversalResolutionTests
{
    private static readonly ResolverOptions Universal = new() { RequiresPython = SpecifierSet.Parse(">=3.9") };

    private static List<string> Entries(ResolutionResult result, string name) =>
        result.Packages.Where(p => p.Name.Normalized == name).Select(p => p.ToString()).ToList();

    [TestMethod]
    public async Task A_package_whose_requirements_diverge_by_platform_forks_the_resolution()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("app", "1.0", "lib>=2; sys_platform == 'linux'", "lib<2; sys_platform != 'linux'"));
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0", "helper"));
                index.Publish(Spec("helper", "1.0"));
            },
            source => new PythonResolver(source, Universal).Resolve([Req("app")]));

        CollectionAssert.AreEquivalent(new[] { "lib 1.0 ; sys_platform != \"linux\"", "lib 2.0 ; sys_platform == \"linux\"" }, Entries(result, "lib"));
        // helper comes only with lib 2.0, so only on Linux.
        CollectionAssert.AreEqual(new[] { "helper 1.0 ; sys_platform == \"linux\"" }, Entries(result, "helper"));
        CollectionAssert.AreEqual(new[] { "app 1.0" }, Entries(result, "app"));
        CollectionAssert.AreEquivalent(new[] { "sys_platform == \"linux\"", "sys_platform != \"linux\"" }, result.Forks.ToList());
    }

    [TestMethod]
    public async Task Requirements_from_different_lists_that_clash_only_together_are_solved_apart()
    {
        // The project wants a>=2 on Linux; b wants a<2 on Windows. Solved as one, they clash.
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("a", "1.0"));
                index.Publish(Spec("a", "2.0"));
                index.Publish(Spec("b", "1.0", "a<2; sys_platform == 'win32'"));
            },
            source => new PythonResolver(source, Universal).Resolve([Req("a>=2; sys_platform == 'linux'"), Req("b")]));

        CollectionAssert.AreEquivalent(new[] { "a 1.0 ; sys_platform == \"win32\"", "a 2.0 ; sys_platform == \"linux\"" }, Entries(result, "a"));
        CollectionAssert.AreEqual(new[] { "b 1.0" }, Entries(result, "b"));
    }

    [TestMethod]
    public async Task A_clash_that_remains_in_one_part_is_reported_for_that_part()
    {
        var error = await WithIndex(
            index =>
            {
                index.Publish(Spec("a", "1.0"));
                index.Publish(Spec("a", "2.0"));
                index.Publish(Spec("b", "1.0", "a<2"));
            },
            source => Assert.ThrowsExactly<PythonEnvException>(() => new PythonResolver(source, Universal).Resolve([Req("a>=2; sys_platform == 'linux'"), Req("b")])));

        Assert.AreEqual(DiagnosticCodes.NoSolution, error.Code);
        StringAssert.Contains(error.Message, "where sys_platform == \"linux\"");
        StringAssert.Contains(error.Message, "b depends on a<2");
    }

    [TestMethod]
    public async Task A_fork_sees_only_its_own_python_versions_when_checking_requires_python()
    {
        // numpy 2.0 needs Python 3.10; the project supports 3.9, but asks for numpy 2 only from 3.10 on.
        var result = await WithIndex(
            index =>
            {
                index.Publish(new PackageSpec("numpy", "1.26") { RequiresPython = ">=3.9" });
                index.Publish(new PackageSpec("numpy", "2.0") { RequiresPython = ">=3.10" });
            },
            source => new PythonResolver(source, Universal).Resolve([Req("numpy>=2; python_version >= '3.10'"), Req("numpy<2; python_version < '3.10'")]));

        CollectionAssert.AreEquivalent(
            new[] { "numpy 1.26 ; python_version < \"3.10\"", "numpy 2.0 ; python_version >= \"3.10\"" },
            Entries(result, "numpy"), string.Join("\n", Entries(result, "numpy")));
    }

    [TestMethod]
    public async Task Requirements_that_agree_on_the_range_do_not_fork()
    {
        var result = await WithIndex(
            index => index.Publish(Spec("lib", "1.0")),
            source => new PythonResolver(source, Universal).Resolve([Req("lib>=1; sys_platform == 'linux'"), Req("lib>=1; sys_platform == 'win32'")]));

        Assert.AreEqual(0, result.Forks.Count);
        CollectionAssert.AreEqual(new[] { "lib 1.0 ; sys_platform == \"linux\" or sys_platform == \"win32\"" }, Entries(result, "lib"));
    }

    [TestMethod]
    public async Task Extras_are_not_environments_and_never_fork()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("lib", "1.0", "dep>=2; extra == 'new'", "dep<2; extra == 'old'"));
                index.Publish(Spec("dep", "1.0"));
                index.Publish(Spec("dep", "2.0"));
            },
            source => new PythonResolver(source, Universal).Resolve([Req("lib[new]")]));

        Assert.AreEqual(0, result.Forks.Count);
        CollectionAssert.AreEqual(new[] { "dep 2.0" }, Entries(result, "dep"));
    }

    [TestMethod]
    public async Task Project_extras_and_dependency_groups_are_locked_under_their_pep_751_markers()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("click", "8.0", "colorama; sys_platform == 'win32'"));
                index.Publish(Spec("colorama", "0.4"));
                index.Publish(Spec("pytest", "8.0"));
                index.Publish(Spec("requests", "2.0"));
            },
            source => new PythonResolver(source, Universal).Resolve([Req("requests"), Req("click", extra: "cli"), Req("pytest", group: "test")]));

        CollectionAssert.AreEqual(new[] { "requests 2.0" }, Entries(result, "requests"));
        CollectionAssert.AreEqual(new[] { "click 8.0 ; \"cli\" in extras" }, Entries(result, "click"), string.Join("\n", result.Packages));
        CollectionAssert.AreEqual(new[] { "colorama 0.4 ; sys_platform == \"win32\" and \"cli\" in extras" }, Entries(result, "colorama"), string.Join("\n", result.Packages));
        CollectionAssert.AreEqual(new[] { "pytest 8.0 ; \"test\" in dependency_groups" }, Entries(result, "pytest"));
    }

    [TestMethod]
    public async Task Python_environments_narrow_what_must_be_solved()
    {
        // No lib<1 exists: fine when Windows is not among the environments, a failure naming the fork otherwise.
        var requirements = new[] { Req("lib"), Req("lib<1; sys_platform == 'win32'") };
        var (linuxOnly, everywhere) = await WithIndex(
            index => index.Publish(Spec("lib", "1.0")),
            source => (
                new PythonResolver(source, new ResolverOptions { RequiresPython = SpecifierSet.Parse(">=3.9"), Environments = [MarkerExpression.Parse("sys_platform == 'linux'")] }).Resolve(requirements),
                Assert.ThrowsExactly<PythonEnvException>(() => new PythonResolver(source, Universal).Resolve(requirements))));

        CollectionAssert.AreEqual(new[] { "lib 1.0" }, Entries(linuxOnly, "lib"));
        Assert.AreEqual(DiagnosticCodes.NoSolution, everywhere.Code);
        StringAssert.Contains(everywhere.Message, "where sys_platform == \"win32\"");
    }

    [TestMethod]
    public async Task The_forks_of_the_last_resolution_are_where_the_next_one_starts()
    {
        var requirements = new[] { Req("lib>=2; sys_platform == 'linux'"), Req("lib<2; sys_platform != 'linux'"), Req("other") };
        var (first, second) = await WithIndex(
            index =>
            {
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0"));
                index.Publish(Spec("other", "1.0"));
            },
            source =>
            {
                var first = new PythonResolver(source, Universal).Resolve(requirements);
                var again = new ResolverOptions
                {
                    RequiresPython = Universal.RequiresPython,
                    Forks = first.Forks.Select(MarkerExpression.Parse).ToList(),
                    Preferences = first.Packages.Select(p => new Preference(p.Name, p.Version, p.Marker is null ? null : MarkerExpression.Parse(p.Marker))).ToList(),
                };
                return (first, new PythonResolver(source, again).Resolve(requirements));
            });

        Assert.AreEqual(2, first.Forks.Count);
        CollectionAssert.AreEqual(first.Packages.Select(p => p.ToString()).ToList(), second.Packages.Select(p => p.ToString()).ToList());
        CollectionAssert.AreEqual(first.Forks.ToList(), second.Forks.ToList());
    }

    [TestMethod]
    public async Task Forks_that_no_longer_choose_differently_are_dropped()
    {
        // The lock was forked for a divergence the project no longer declares.
        var options = new ResolverOptions
        {
            RequiresPython = Universal.RequiresPython,
            Forks = [MarkerExpression.Parse("sys_platform == 'linux'"), MarkerExpression.Parse("sys_platform != 'linux'")],
        };
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0"));
            },
            source => new PythonResolver(source, options).Resolve([Req("lib")]));

        Assert.AreEqual(0, result.Forks.Count, string.Join("\n", result.Forks));
        CollectionAssert.AreEqual(new[] { "lib 2.0" }, Entries(result, "lib"));
    }

    [TestMethod]
    public async Task Each_fork_prefers_its_own_locked_entry()
    {
        var requirements = new[] { Req("lib>=2; sys_platform == 'linux'"), Req("lib<2; sys_platform != 'linux'") };
        var locked = new[]
        {
            new Preference(PackageName.Parse("lib"), Pep440Version.Parse("1.0"), MarkerExpression.Parse("sys_platform != 'linux'")),
            new Preference(PackageName.Parse("lib"), Pep440Version.Parse("2.0"), MarkerExpression.Parse("sys_platform == 'linux'")),
        };
        var result = await WithIndex(
            index =>
            {
                // Newer versions on both sides of the split since the lock was written.
                foreach (var version in new[] { "1.0", "1.1", "2.0", "2.1" })
                {
                    index.Publish(Spec("lib", version));
                }
            },
            source => new PythonResolver(source, new ResolverOptions { RequiresPython = Universal.RequiresPython, Preferences = locked }).Resolve(requirements));

        CollectionAssert.AreEquivalent(new[] { "lib 1.0 ; sys_platform != \"linux\"", "lib 2.0 ; sys_platform == \"linux\"" }, Entries(result, "lib"));
    }
}
