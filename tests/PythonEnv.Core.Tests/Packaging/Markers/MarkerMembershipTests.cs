using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Packaging;

namespace PythonEnv.Core.Tests.Packaging.Markers;

/// <summary>
/// <c>in</c> / <c>not in</c> and legacy spellings as real metadata writes them, decided exactly by the algebra:
/// <c>in</c> between strings is a substring test (PEP 508, packaging 26), for version variables too.
/// </summary>
[TestClass]
public sealed class MarkerMembershipTests
{
    private static MarkerExpression M(string text) => MarkerExpression.Parse(text);

    [TestMethod]
    public void A_python_version_list_is_the_listed_minor_versions()
    {
        // pickleshare 0.7.5: pathlib2; python_version in "2.6 2.7 3.2 3.3"
        var legacy = M("python_version in \"2.6 2.7 3.2 3.3\"");
        Assert.IsTrue(legacy.IsDisjointWith(M("python_version >= '3.11'")));
        Assert.IsFalse(legacy.IsDisjointWith(M("python_version >= '3.3'")));
        Assert.IsTrue(legacy.IsEquivalentTo(M("python_version == '2.6' or python_version == '2.7' or python_version == '3.2' or python_version == '3.3'")));
        Assert.IsTrue(M("python_version >= '3'").Implies(M("python_version not in '2.6 2.7'")));
        Assert.IsTrue(M("python_version not in '2.6 2.7 3.2 3.3'").And(legacy).IsNever);
        Assert.AreEqual("(python_version >= \"2.6\" and python_version < \"2.8\") or (python_version >= \"3.2\" and python_version < \"3.4\")", legacy.Simplify().ToString());
    }

    [TestMethod]
    public void Membership_is_a_substring_test_as_packaging_evaluates_it()
    {
        // "3.1" is part of "3.10": packaging (and pip) install the dependency on Python 3.1 too.
        var list = M("python_version in '3.10 3.11'");
        Assert.IsTrue(list.IsEquivalentTo(M("python_version == '3.1' or python_version == '3.10' or python_version == '3.11'")));
        Assert.IsTrue(list.Evaluate(Environment("3.1.5")));
        Assert.IsFalse(list.Evaluate(Environment("3.12.0")));
        Assert.IsTrue(M("python_version in '3.1.4'").IsEquivalentTo(M("python_version == '3.1' or python_version == '1.4'")));
        Assert.IsTrue(M("python_version in 'dog'").IsNever);
        Assert.IsTrue(M("python_version not in 'any string'").IsAlwaysTrue);
    }

    [TestMethod]
    public void A_full_version_list_is_the_listed_releases()
    {
        var list = M("python_full_version in '3.8.1, 3.9.0'");
        Assert.IsTrue(list.IsEquivalentTo(M("python_full_version == '3.8.1' or python_full_version == '3.9.0'")));
        Assert.IsTrue(list.IsDisjointWith(M("python_full_version == '3.8.10'")));
        Assert.IsTrue(M("python_full_version not in '3.8.1'").IsEquivalentTo(M("python_full_version != '3.8.1'")));
    }

    [TestMethod]
    public void Arbitrary_equality_compares_the_version_string()
    {
        Assert.IsTrue(M("python_version === '3.8'").IsEquivalentTo(M("python_version == '3.8'")));
        Assert.IsTrue(M("python_full_version === '3.8.10'").IsEquivalentTo(M("python_full_version == '3.8.10'")));
        Assert.IsTrue(M("python_version === '3.8.0'").IsNever);
        Assert.IsTrue(M("python_version === '3.08'").IsNever);
        Assert.IsFalse(M("python_version === '3.8.0'").Evaluate(Environment("3.8.0")));
    }

    [TestMethod]
    public void A_python_version_compared_with_a_non_version_literal_never_holds()
    {
        Assert.IsTrue(M("'dog' < python_version").IsNever);
        Assert.IsTrue(M("'dog' != python_version").IsNever);
        Assert.IsFalse(M("'dog' != python_version").Evaluate(Environment("3.11.2")));
    }

    [TestMethod]
    // A literal contained in the value.
    [DataRow("'linux' in sys_platform", "sys_platform == 'win32'", true)]
    [DataRow("'linux' in sys_platform", "sys_platform == 'linux2'", false)]
    [DataRow("'linux' in sys_platform", "os_name == 'nt'", true)]
    [DataRow("'linux' in sys_platform", "platform_system == 'Linux'", false)]
    [DataRow("'aarch64' in platform_machine", "'arch' not in platform_machine", true)]
    [DataRow("'arm' in platform_machine", "'x86' not in platform_machine", false)]
    [DataRow("'arm' in platform_machine", "'64' in platform_machine", false)]
    [DataRow("'' not in platform_machine", "python_version >= '3'", true)]
    [DataRow("'arm' in platform_machine", "platform_machine != 'arm64'", false)]
    // The value within a literal.
    [DataRow("sys_platform in 'linux2 darwin'", "sys_platform == 'win32'", true)]
    [DataRow("sys_platform in 'linux2 darwin'", "sys_platform == 'linux'", false)]
    [DataRow("sys_platform in 'linux2 darwin'", "platform_system == 'Windows'", true)]
    [DataRow("platform_machine in 'x86_64'", "'arm' in platform_machine", true)]
    [DataRow("platform_machine in 'x86_64'", "'86' in platform_machine", false)]
    [DataRow("platform_machine not in 'x86_64 AMD64'", "platform_machine == 'AMD64'", true)]
    [DataRow("platform_machine not in 'x86_64 AMD64'", "platform_machine == 'arm64'", false)]
    [DataRow("'6.1' in platform_release", "platform_release in '5.15.0'", true)]
    public void String_membership_is_decided_exactly(string left, string right, bool disjoint)
    {
        Assert.AreEqual(disjoint, M(left).IsDisjointWith(M(right)), $"{left} / {right}");
        Assert.AreEqual(disjoint, M(right).IsDisjointWith(M(left)), $"{right} / {left}");
    }

    [TestMethod]
    public void String_membership_implications()
    {
        Assert.IsTrue(M("sys_platform == 'linux'").Implies(M("'linux' in sys_platform")));
        Assert.IsTrue(M("sys_platform == 'linux'").Implies(M("sys_platform in 'linux2 linux'")));
        Assert.IsFalse(M("'linux' in sys_platform").Implies(M("sys_platform == 'linux'")));
        Assert.IsTrue(M("'linux' in sys_platform or 'linux' not in sys_platform").IsAlwaysTrue);
    }

    /// <summary>
    /// Random conjunctions of substring tests and (in)equalities on one variable: whenever the algebra calls one
    /// impossible, no value (every string over the literals' letters up to length 6) satisfies it, and whenever a
    /// value does, the algebra calls it possible.
    /// </summary>
    [TestMethod]
    public void Substring_satisfiability_agrees_with_every_short_value()
    {
        string[] atoms =
        [
            "'ab' in platform_machine", "'ab' not in platform_machine", "'ba' in platform_machine", "'aa' not in platform_machine",
            "platform_machine in 'abba'", "platform_machine not in 'abba'", "platform_machine in 'bab'", "platform_machine == 'ab'",
            "platform_machine != 'ab'", "platform_machine != 'abab'", "'' not in platform_machine", "'b' in platform_machine",
        ];
        var values = new List<string> { "" };
        for (var length = 1; length <= 6; length++)
        {
            values.AddRange(values.Where(v => v.Length == length - 1).SelectMany(v => new[] { v + "a", v + "b" }).ToList());
        }

        var random = new System.Random(508);
        for (var round = 0; round < 300; round++)
        {
            var marker = string.Join(" and ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => atoms[random.Next(atoms.Length)]));
            var parsed = M(marker);
            var witness = values.FirstOrDefault(v => parsed.Evaluate(MarkerAlgebraTests.Environment("linux", "3.12.0").With("platform_machine", v)));
            if (witness is not null)
            {
                Assert.IsFalse(parsed.IsNever, $"{marker}: '{witness}' satisfies it");
            }
        }
    }

    [TestMethod]
    [DataRow("sys.platform == 'linux2'", "sys_platform == \"linux2\"")]
    [DataRow("os.name == 'nt'", "os_name == \"nt\"")]
    [DataRow("platform.machine == 'x86_64'", "platform_machine == \"x86_64\"")]
    [DataRow("platform.python_implementation == 'CPython'", "platform_python_implementation == \"CPython\"")]
    [DataRow("python_implementation == 'PyPy'", "platform_python_implementation == \"PyPy\"")]
    [DataRow("platform.version == '#1'", "platform_version == \"#1\"")]
    public void Legacy_spellings_are_the_pep_508_variables(string legacy, string modern)
    {
        Assert.AreEqual(modern, M(legacy).ToString());
        Assert.IsTrue(M(legacy).IsEquivalentTo(M(modern)));
    }

    [TestMethod]
    public void Legacy_linux2_is_a_platform_of_its_own()
    {
        // Python 2 (and 3 before 3.3) reported "linux2"; from 3.3 on sys_platform is "linux", so such a dependency never applies there.
        var legacy = M("sys.platform == 'linux2'");
        Assert.IsTrue(legacy.IsDisjointWith(M("sys_platform == 'linux'")));
        Assert.IsFalse(legacy.IsDisjointWith(M("platform_system == 'Linux'")));
        Assert.IsTrue(legacy.IsDisjointWith(M("platform_system == 'Darwin'")));
        Assert.IsTrue(legacy.IsDisjointWith(M("python_version >= '3.3'")));
        Assert.IsFalse(legacy.IsDisjointWith(M("python_version == '2.7'")));
        Assert.IsFalse(legacy.IsNever);
        Assert.IsFalse(legacy.Evaluate(Environment("3.11.4")));
    }

    private static MarkerEnvironment Environment(string python) => MarkerAlgebraTests.Environment("linux", python);
}
