using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Real PyPI dependency graphs (resolvelib's frozen snapshots of chalice, dask, pandas, pyrax, virtualenv and
/// cheroot, ~1,400 projects): locked universally and for one environment, each lock checked for soundness in
/// sampled environments. resolvelib's expected pins ignore markers on plain candidates, so they are compared
/// only for its marker-free cases; the snapshots serve as realistic graphs otherwise.
/// </summary>
[TestClass]
public sealed class ResolvelibCorpusTests
{
    private static readonly SpecifierSet RequiresPython = SpecifierSet.Parse(">=3.8");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("backjump-test-1")]
    [DataRow("backjump-test-2")]
    [DataRow("backjump-test-3")]
    [DataRow("backjump-test-4")]
    [DataRow("issue-134")]
    [DataRow("same-package")]
    [DataRow("same-package-extras")]
    public void Marker_free_cases_lock_what_resolvelib_resolves(string name)
    {
        var @case = ResolvelibCase.Load(name);
        var index = ResolvelibIndex.Load(@case.Index);
        var result = new PythonResolver(index, new ResolverOptions { RequiresPython = RequiresPython }).Resolve(Roots(@case));

        var locked = result.Packages.ToDictionary(p => p.Name.Normalized, p => p.Version);
        CollectionAssert.AreEquivalent(@case.Resolved.Keys.ToList(), locked.Keys.ToList(), name);
        foreach (var pin in @case.Resolved)
        {
            Assert.AreEqual(Pep440Version.Parse(pin.Value), locked[pin.Key], $"{name}: {pin.Key}");
        }

        Assert.IsTrue(result.Packages.All(p => p.Marker is null), name);
    }

    [TestMethod]
    [DataRow("chalice")]
    [DataRow("with-without-extras")]
    [DataRow("conflict-with-dependency")]
    [DataRow("cheroot")]
    public void Real_graphs_lock_universally_and_soundly(string name)
    {
        var @case = ResolvelibCase.Load(name);
        var index = ResolvelibIndex.Load(@case.Index);
        var clock = Stopwatch.StartNew();
        var result = new PythonResolver(index, new ResolverOptions { RequiresPython = RequiresPython }).Resolve(Roots(@case));
        TestContext.WriteLine($"{name} ({@case.Index}, {index.VersionCount} versions): universal lock of {result.Packages.Count} entries, {result.Forks.Count} forks, {result.Warnings.Count} warnings in {clock.ElapsedMilliseconds} ms");

        var environments = SampleEnvironments().ToList();
        foreach (var environment in environments)
        {
            var problems = LockSoundness.Check(result, Roots(@case), index, environment);
            Assert.AreEqual(0, problems.Count, $"{name} on {Describe(environment)}:\n{string.Join("\n", problems)}\n\nlock:\n{string.Join("\n", result.Packages)}");
        }

        foreach (var root in @case.Requested.Select(Requirement.Parse))
        {
            Assert.IsTrue(result.Packages.Any(p => p.Name.Equals(root.PackageName) && root.Specifier.Contains(p.Version, prereleases: true)), $"{name}: {root} is locked");
        }
    }

    [TestMethod]
    [DataRow("chalice")]
    [DataRow("with-without-extras")]
    [DataRow("conflict-with-dependency")]
    [DataRow("cheroot")]
    public void Real_graphs_lock_for_linux_x86_64_cpython_3_11(string name)
    {
        var @case = ResolvelibCase.Load(name);
        var index = ResolvelibIndex.Load(@case.Index);
        var environment = Environment("linux", "Linux", "posix", "x86_64", "cpython", "CPython", "3.11.7");
        var clock = Stopwatch.StartNew();
        var result = new PythonResolver(index, new ResolverOptions { RequiresPython = RequiresPython, Environment = environment }).Resolve(Roots(@case));
        TestContext.WriteLine($"{name}: lock for CPython 3.11 on linux x86_64 of {result.Packages.Count} entries in {clock.ElapsedMilliseconds} ms");

        var problems = LockSoundness.Check(result, Roots(@case), index, environment);
        Assert.AreEqual(0, problems.Count, $"{name}:\n{string.Join("\n", problems)}");
        Assert.IsTrue(result.Packages.All(p => p.Marker is null), "a lock for one environment needs no markers");
    }

    [TestMethod]
    // pyrax 1.9.8 needs wrapt through every path, and the snapshot holds no wheel of wrapt (resolvelib gives up too).
    [DataRow("pyrex-1.9.8", "wrapt")]
    // dask[diagnostics] needs markupsafe (through bokeh and jinja2), of which the snapshot holds no wheel: resolvelib's expected conflict.
    [DataRow("different-extras", "markupsafe")]
    public void Graphs_without_a_solution_fail_with_the_explanation(string name, string cause)
    {
        var @case = ResolvelibCase.Load(name);
        var index = ResolvelibIndex.Load(@case.Index);
        var clock = Stopwatch.StartNew();
        var error = Assert.ThrowsExactly<PythonEnvException>(() => new PythonResolver(index, new ResolverOptions { RequiresPython = RequiresPython }).Resolve(Roots(@case)));
        TestContext.WriteLine($"{name}: failed in {clock.ElapsedMilliseconds} ms");

        Assert.AreEqual(DiagnosticCodes.NoSolution, error.Code);
        StringAssert.Contains(error.Message, cause);
        foreach (var conflicted in @case.Conflicted)
        {
            StringAssert.Contains(error.Message, conflicted);
        }
    }

    [TestMethod]
    public void A_real_version_whose_metadata_cannot_be_read_is_passed_over()
    {
        // ipython 4.1.0rc1 declares "setuptools (>=18.5decorator)", which no parser accepts. Lowest first, it is met
        // first and passed over for 4.1.0rc2, which fails on its own (no wheel of simplegeneric in the snapshot):
        // the explanation names both, and the unreadable line.
        var index = ResolvelibIndex.Load("pypi-2020-11-17-cheroot");
        var linux = Environment("linux", "Linux", "posix", "x86_64", "cpython", "CPython", "3.11.7");
        var error = Assert.ThrowsExactly<PythonEnvException>(() =>
            new PythonResolver(index, new ResolverOptions { RequiresPython = RequiresPython, Strategy = ResolutionStrategy.Lowest, Environment = linux })
                .Resolve([new RootRequirement(Requirement.Parse("ipython>=4.1.0rc1,<=4.1.0rc2"))]));

        Assert.AreEqual(DiagnosticCodes.NoSolution, error.Code);
        StringAssert.Contains(error.Message, "ipython==4.1.0rc1 cannot be used: its metadata cannot be read");
        StringAssert.Contains(error.Message, "setuptools (>=18.5decorator)");
        StringAssert.Contains(error.Message, "simplegeneric");
    }

    private static List<RootRequirement> Roots(ResolvelibCase @case) => @case.Requested.Select(r => new RootRequirement(Requirement.Parse(r), Source: "case.json(1)")).ToList();

    /// <summary>Concrete environments across platforms, implementations and the Pythons the project supports.</summary>
    private static IEnumerable<MarkerEnvironment> SampleEnvironments()
    {
        string[][] platforms =
        [
            ["linux", "Linux", "posix", "x86_64"], ["linux", "Linux", "posix", "aarch64"], ["win32", "Windows", "nt", "AMD64"],
            ["darwin", "Darwin", "posix", "arm64"], ["darwin", "Darwin", "posix", "x86_64"],
        ];
        string[] pythons = ["3.8.10", "3.9.18", "3.10.12", "3.11.7", "3.12.1", "3.13.0"];
        foreach (var platform in platforms)
        {
            foreach (var python in pythons)
            {
                yield return Environment(platform[0], platform[1], platform[2], platform[3], "cpython", "CPython", python);
            }

            yield return Environment(platform[0], platform[1], platform[2], platform[3], "pypy", "PyPy", "3.10.14");
        }
    }

    private static MarkerEnvironment Environment(string sys, string system, string os, string machine, string implementation, string pythonImplementation, string python) =>
        new(new Dictionary<string, string>
        {
            ["implementation_name"] = implementation,
            ["implementation_version"] = implementation == "pypy" ? "7.3.16" : python,
            ["os_name"] = os,
            ["platform_machine"] = machine,
            ["platform_release"] = "6.1.0",
            ["platform_system"] = system,
            ["platform_version"] = "#1 SMP",
            ["python_full_version"] = python,
            ["platform_python_implementation"] = pythonImplementation,
            ["python_version"] = string.Join(".", python.Split('.').Take(2)),
            ["sys_platform"] = sys,
        });

    private static string Describe(MarkerEnvironment environment) =>
        $"{environment.ImplementationName} {environment.PythonFullVersion} {environment.SysPlatform} {environment.PlatformMachine}";
}

/// <summary>
/// Checks a lock in one concrete environment: the entries whose markers hold there are at most one per package,
/// and every requirement that applies there (from the project, and from each applicable entry with the extras
/// requested of it) is met by exactly that entry.
/// </summary>
internal static class LockSoundness
{
    public static List<string> Check(ResolutionResult result, IReadOnlyList<RootRequirement> roots, ResolvelibIndex index, MarkerEnvironment environment)
    {
        var problems = new List<string>();
        var applicable = result.Packages.Where(p => p.Marker is null || MarkerExpression.Parse(p.Marker).Evaluate(environment, [], [])).ToList();
        foreach (var twice in applicable.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{twice.Key} has {twice.Count()} applicable entries: {string.Join(", ", twice)}");
        }

        var entries = applicable.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First());
        var extras = entries.Keys.ToDictionary(name => name, _ => new HashSet<string>(StringComparer.Ordinal));
        var pending = new Queue<PackageName>(entries.Keys);
        var queued = new HashSet<PackageName>(entries.Keys);

        void Need(Requirement requirement, IEnumerable<string> context, string from)
        {
            if (requirement.Marker is { } marker && !marker.Evaluate(environment, context, []))
            {
                return;
            }

            if (!entries.TryGetValue(requirement.PackageName, out var entry))
            {
                problems.Add($"{from} requires {requirement}, and no entry for {requirement.PackageName} applies");
                return;
            }

            if (!requirement.Specifier.Contains(entry.Version, prereleases: true))
            {
                problems.Add($"{from} requires {requirement}, but {entry} is locked");
            }

            if (requirement.NormalizedExtras.Any(extras[entry.Name].Add) && queued.Add(entry.Name))
            {
                pending.Enqueue(entry.Name);
            }
        }

        foreach (var root in roots)
        {
            Need(root.Requirement, [], "the project");
        }

        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            queued.Remove(name);
            var entry = entries[name];
            foreach (var requirement in index.RequiresDist(name, entry.Version))
            {
                Need(requirement, extras[name], entry.ToString());
            }
        }

        return problems;
    }
}
