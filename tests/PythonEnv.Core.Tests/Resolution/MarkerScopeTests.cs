using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Which requirements apply while solving: evaluated in the one environment of a single-environment resolution,
/// and for a universal one, whether the marker can hold somewhere in the fork, holds throughout it, or splits it.
/// </summary>
[TestClass]
public sealed class MarkerScopeTests
{
    private static readonly MarkerEnvironment Linux312 = new(new Dictionary<string, string>
    {
        ["implementation_name"] = "cpython", ["implementation_version"] = "3.12.1", ["os_name"] = "posix", ["platform_machine"] = "x86_64",
        ["platform_release"] = "6.1.0", ["platform_system"] = "Linux", ["platform_version"] = "#1 SMP", ["python_full_version"] = "3.12.1",
        ["platform_python_implementation"] = "CPython", ["python_version"] = "3.12", ["sys_platform"] = "linux",
    });

    private static MarkerExpression Marker(string text) => MarkerExpression.Parse(text);

    private static MarkerScope Universal(string fork) => MarkerScope.Universal(Marker(fork));

    [TestMethod]
    public void A_requirement_without_a_marker_always_applies()
    {
        Assert.IsTrue(MarkerScope.Single(Linux312).Includes(null, null));
        Assert.IsTrue(Universal("sys_platform == 'win32'").Includes(null, "extra1"));
    }

    [TestMethod]
    public void A_single_environment_evaluates_markers_there()
    {
        var scope = MarkerScope.Single(Linux312);
        Assert.IsFalse(scope.IsUniversal);
        Assert.IsTrue(scope.Includes(Marker("sys_platform == 'linux' and python_version >= '3.10'"), null));
        Assert.IsFalse(scope.Includes(Marker("sys_platform == 'win32'"), null));
        Assert.AreEqual(VersionSet.Exactly(Pep440Version.Parse("3.12.1")), scope.PythonVersions);
    }

    [TestMethod]
    public void A_marker_that_cannot_be_evaluated_in_the_environment_does_not_apply()
    {
        // An environment that does not define sys_platform: evaluating is an error, which leaves the requirement out.
        var partial = new MarkerEnvironment(new Dictionary<string, string> { ["python_full_version"] = "3.12.1", ["os_name"] = "posix" });
        Assert.IsFalse(MarkerScope.Single(partial).Includes(Marker("sys_platform == 'linux'"), null));
        Assert.IsTrue(MarkerScope.Single(partial).Includes(Marker("os_name == 'posix'"), null));
    }

    [TestMethod]
    public void A_universal_fork_includes_a_marker_that_can_hold_somewhere_in_it()
    {
        var scope = Universal("python_full_version >= '3.9'");
        Assert.IsTrue(scope.IsUniversal);
        Assert.IsTrue(scope.Includes(Marker("sys_platform == 'win32'"), null));
        Assert.IsTrue(scope.Includes(Marker("python_version >= '3.11'"), null));
        Assert.IsFalse(scope.Includes(Marker("python_version < '3.8'"), null));
    }

    [TestMethod]
    public void Extra_comparisons_are_decided_for_the_distribution_or_the_one_extra_asked_for()
    {
        var scope = Universal("python_full_version >= '3.9'");
        var socks = Marker("extra == 'socks'");
        Assert.IsFalse(scope.Includes(socks, null), "the distribution itself has no extra");
        Assert.IsTrue(scope.Includes(socks, "socks"));
        Assert.IsFalse(scope.Includes(socks, "http2"));
        Assert.IsTrue(MarkerScope.Single(Linux312).Includes(socks, "socks"));
        Assert.IsFalse(MarkerScope.Single(Linux312).Includes(socks, null));
    }

    [TestMethod]
    public void Covers_asks_whether_the_marker_holds_throughout_the_fork()
    {
        var scope = Universal("python_full_version >= '3.10'");
        Assert.IsTrue(scope.Covers(Marker("python_version >= '3.9'"), null));
        Assert.IsFalse(scope.Covers(Marker("python_version >= '3.11'"), null), "can hold, but not throughout");
        Assert.IsTrue(scope.Includes(Marker("python_version >= '3.11'"), null));
    }

    [TestMethod]
    public void Requirements_that_disagree_on_the_range_under_dividing_markers_split_the_fork()
    {
        var scope = Universal("python_full_version >= '3.8'");
        var active = new[]
        {
            (Requirement.Parse("numpy>=2; python_version >= '3.10'"), (string?)null),
            (Requirement.Parse("numpy<2; python_version < '3.10'"), (string?)null),
        };
        Assert.IsTrue(scope.TrySplit(active, out var parts));
        Assert.AreEqual(2, parts.Count);
        Assert.IsTrue(parts.Any(part => part.Implies(Marker("python_version >= '3.10'"))));
        Assert.IsTrue(parts.Any(part => part.Implies(Marker("python_version < '3.10'"))));
        Assert.IsTrue(parts.All(part => part.Implies(scope.Fork)), "every part stays inside the fork");
    }

    [TestMethod]
    public void Requirements_that_agree_on_the_range_or_differ_only_by_extra_never_split()
    {
        var scope = Universal("python_full_version >= '3.8'");
        var agreeing = new[]
        {
            (Requirement.Parse("attrs>=22; sys_platform == 'linux'"), (string?)null),
            (Requirement.Parse("attrs>=22; sys_platform == 'win32'"), (string?)null),
        };
        Assert.IsFalse(scope.TrySplit(agreeing, out var parts));
        Assert.AreEqual(1, parts.Count);
        var byExtra = new[]
        {
            (Requirement.Parse("idna>=3; extra == 'a'"), (string?)"a"),
            (Requirement.Parse("idna<3; extra == 'b'"), (string?)"b"),
        };
        Assert.IsFalse(scope.TrySplit(byExtra, out _), "extras are not environments");
    }

    [TestMethod]
    public void A_single_environment_never_splits()
    {
        var active = new[]
        {
            (Requirement.Parse("numpy>=2; python_version >= '3.10'"), (string?)null),
            (Requirement.Parse("numpy<2; python_version < '3.10'"), (string?)null),
        };
        Assert.IsFalse(MarkerScope.Single(Linux312).TrySplit(active, out var parts));
        Assert.AreEqual(1, parts.Count);
    }

    [TestMethod]
    public void A_comparison_the_algebra_cannot_interpret_is_undecidable_only_in_a_universal_fork()
    {
        var release = Marker("platform_release < '2.6'");
        Assert.IsTrue(Universal("python_full_version >= '3.9'").IsUndecidable(release, null));
        Assert.IsFalse(Universal("python_full_version >= '3.9'").IsUndecidable(Marker("sys_platform == 'linux'"), null));
        Assert.IsFalse(MarkerScope.Single(Linux312).IsUndecidable(release, null));
    }
}
