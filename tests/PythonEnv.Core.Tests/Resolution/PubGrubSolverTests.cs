using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Resolution.PubGrub;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>The solver on the examples of PubGrub's documentation (dart-lang/pub, doc/solver.md), and on a search trap.</summary>
[TestClass]
public sealed class PubGrubSolverTests
{
    private const string Root = InMemoryRegistry.Root;

    [TestMethod]
    public void No_conflicts()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo ^1.0.0")
            .Add("foo", "1.0.0", "bar ^1.0.0")
            .Add("bar", "1.0.0")
            .Add("bar", "2.0.0");

        var solution = registry.Solve(out _);

        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["foo"] = "1.0.0", ["bar"] = "1.0.0" }, solution.ToDictionary());
    }

    [TestMethod]
    public void Avoiding_conflict_during_decision_making()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo ^1.0.0", "bar ^1.0.0")
            .Add("foo", "1.1.0", "bar ^2.0.0")
            .Add("foo", "1.0.0")
            .Add("bar", "1.0.0")
            .Add("bar", "1.1.0")
            .Add("bar", "2.0.0");

        var solution = registry.Solve(out var solver);

        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["foo"] = "1.0.0", ["bar"] = "1.1.0" }, solution.ToDictionary());
        Assert.AreEqual(0, solver.ConflictCount, "the conflict is avoided by propagation, not resolved");
    }

    [TestMethod]
    public void Performing_conflict_resolution()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo >=1.0.0")
            .Add("foo", "2.0.0", "bar ^1.0.0")
            .Add("foo", "1.0.0")
            .Add("bar", "1.0.0", "foo ^1.0.0");

        var solution = registry.Solve(out var solver);

        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["foo"] = "1.0.0" }, solution.ToDictionary());
        Assert.AreEqual(1, solver.ConflictCount);
    }

    [TestMethod]
    public void Conflict_resolution_with_a_partial_satisfier()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo ^1.0.0", "target ^2.0.0")
            .Add("foo", "1.1.0", "left ^1.0.0", "right ^1.0.0")
            .Add("foo", "1.0.0")
            .Add("left", "1.0.0", "shared >=1.0.0")
            .Add("right", "1.0.0", "shared <2.0.0")
            .Add("shared", "2.0.0")
            .Add("shared", "1.0.0", "target ^1.0.0")
            .Add("target", "2.0.0")
            .Add("target", "1.0.0");

        var solution = registry.Solve(out _);

        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["foo"] = "1.0.0", ["target"] = "2.0.0" }, solution.ToDictionary());
    }

    [TestMethod]
    public void Linear_error_reporting()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo ^1.0.0", "baz ^1.0.0")
            .Add("foo", "1.0.0", "bar ^2.0.0")
            .Add("bar", "2.0.0", "baz ^3.0.0")
            .Add("baz", "1.0.0")
            .Add("baz", "3.0.0");

        var explanation = registry.Explain();

        Assert.AreEqual(
            "Because every version of foo depends on bar ^2.0.0 and every version of bar depends on baz >=3.0.0, every version of foo requires baz >=3.0.0.\n"
            + "And because root depends on foo ^1.0.0 and root depends on baz ^1.0.0, no solution exists.",
            explanation);
    }

    [TestMethod]
    public void Branching_error_reporting()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo ^1.0.0")
            .Add("foo", "1.0.0", "a ^1.0.0", "b ^1.0.0")
            .Add("foo", "1.1.0", "x ^1.0.0", "y ^1.0.0")
            .Add("a", "1.0.0", "b ^2.0.0")
            .Add("b", "1.0.0")
            .Add("b", "2.0.0")
            .Add("x", "1.0.0", "y ^2.0.0")
            .Add("y", "1.0.0")
            .Add("y", "2.0.0");

        var explanation = registry.Explain();

        System.Console.WriteLine(explanation);

        // Two independent branches: each ends in a numbered conclusion the final line refers back to.
        StringAssert.Contains(explanation, "(1) ");
        StringAssert.Contains(explanation, "foo 1.0.0 cannot be used");
        StringAssert.Contains(explanation, "foo 1.1.0 cannot be used");
        Assert.IsTrue(explanation.TrimEnd().EndsWith("no solution exists.", System.StringComparison.Ordinal), explanation);
    }

    [TestMethod]
    public void Missing_dependency_is_explained_in_one_sentence()
    {
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "b >=2.0.0")
            .Add("b", "2.0.0", "a 1.0.0")
            .Add("a", "1.0.0", "c")
            .Add("b", "1.0.0");

        var explanation = registry.Explain();

        Assert.AreEqual(
            "Because b >=2.0.0 depends on a 1.0.0 and every version of a depends on c *, which doesn't exist, b >=2.0.0 cannot be used.\n"
            + "And because root depends on b >=2.0.0, no solution exists.",
            explanation);
    }

    [TestMethod]
    public void Root_depending_on_a_missing_package_fails_immediately()
    {
        var registry = new InMemoryRegistry().Add(Root, "0.0.0", "nothere");

        Assert.AreEqual("Because root depends on nothere *, which doesn't exist, no solution exists.", registry.Explain());
    }

    [TestMethod]
    public void No_version_in_range()
    {
        var registry = new InMemoryRegistry().Add(Root, "0.0.0", "foo ^2.0.0").Add("foo", "1.0.0");

        Assert.AreEqual("Because root depends on foo ^2.0.0 and no versions of foo match ^2.0.0, no solution exists.", registry.Explain());
    }

    [TestMethod]
    public void Dependency_merging_covers_every_version_that_shares_it()
    {
        // Every foo depends on bar ^2, which does not exist: the explanation speaks of all foo versions at once.
        var registry = new InMemoryRegistry()
            .Add(Root, "0.0.0", "foo *")
            .Add("foo", "1.0.0", "bar ^2.0.0")
            .Add("foo", "1.1.0", "bar ^2.0.0")
            .Add("foo", "1.2.0", "bar ^2.0.0")
            .Add("bar", "1.0.0");

        var explanation = registry.Explain();

        StringAssert.Contains(explanation, "every version of foo");
        Assert.AreEqual(2, explanation.Split('\n').Length, explanation);
    }

    [TestMethod]
    public void Backjumps_over_unrelated_decisions()
    {
        // The newest "a" fails only through "c", which is decided after twelve unrelated packages of three
        // versions each. Naive backtracking retries all 3^12 combinations of the innocent packages; PubGrub
        // learns that a 2.0.0 needs c, that no c works, and jumps straight back to a.
        const int innocents = 12;
        var registry = new InMemoryRegistry();
        var rootDependencies = new List<string> { "a *", "z ^1.0.0" };
        for (var i = 0; i < innocents; i++)
        {
            rootDependencies.Add($"b{i} *");
            registry.Add($"b{i}", "1.0.0").Add($"b{i}", "1.1.0").Add($"b{i}", "1.2.0");
        }

        registry.Add(Root, "0.0.0", [.. rootDependencies])
            .Add("a", "2.0.0", "c *")
            .Add("a", "1.0.0")
            .Add("z", "1.0.0")
            .Add("z", "2.0.0");
        for (var minor = 0; minor < 4; minor++)
        {
            registry.Add("c", $"1.{minor}.0", "z ^2.0.0");
        }

        var watch = Stopwatch.StartNew();
        var solution = registry.Solve(out var solver);
        watch.Stop();

        Assert.AreEqual("1.0.0", solution["a"]);
        Assert.AreEqual("1.0.0", solution["z"]);
        Assert.IsTrue(Enumerable.Range(0, innocents).All(i => solution[$"b{i}"] == "1.2.0"));
        Assert.IsFalse(solution.ContainsKey("c"));
        System.Console.WriteLine($"{solver.DecisionCount} decisions, {solver.ConflictCount} conflicts, {watch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.IsTrue(solver.DecisionCount < 4 * innocents, $"{solver.DecisionCount} decisions");
        Assert.IsTrue(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }

    [TestMethod]
    public void Learns_instead_of_retrying_a_deep_unsatisfiable_chain()
    {
        // Twenty packages of four versions; every version of each needs any version of the next, and every
        // version of the last needs z ^2 while the root needs z ^1. Naive backtracking retries 4^19
        // combinations above the dead end; PubGrub learns "no p19", then "no p18", ... once each.
        const int depth = 20;
        var registry = new InMemoryRegistry().Add(Root, "0.0.0", "p0 *", "z ^1.0.0").Add("z", "1.0.0").Add("z", "2.0.0");
        for (var i = 0; i < depth; i++)
        {
            for (var minor = 0; minor < 4; minor++)
            {
                registry.Add($"p{i}", $"1.{minor}.0", i + 1 < depth ? $"p{i + 1} *" : "z ^2.0.0");
            }
        }

        var watch = Stopwatch.StartNew();
        var explanation = registry.Explain();
        watch.Stop();

        System.Console.WriteLine($"{watch.Elapsed.TotalMilliseconds:F1} ms\n{explanation}");
        StringAssert.Contains(explanation, "no solution exists");
        Assert.IsTrue(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }
}
