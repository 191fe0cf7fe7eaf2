using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Packaging;

namespace PythonEnv.Core.Tests.Packaging.Markers;

/// <summary>The marker algebra: disjointness, simplification, negation, and/or, always/never.</summary>
[TestClass]
public sealed class MarkerAlgebraTests
{
    private static MarkerExpression M(string text) => MarkerExpression.Parse(text);

    [TestMethod]
    // Different values of one variable.
    [DataRow("sys_platform == 'linux'", "sys_platform == 'win32'", true)]
    [DataRow("sys_platform == 'linux'", "sys_platform != 'linux'", true)]
    [DataRow("sys_platform == 'linux'", "sys_platform == 'linux'", false)]
    [DataRow("platform_machine == 'x86_64'", "platform_machine == 'aarch64'", true)]
    // Version ranges.
    [DataRow("python_version >= '3.10'", "python_version < '3.9'", true)]
    [DataRow("python_version >= '3.10'", "python_version < '3.10'", true)]
    [DataRow("python_version >= '3.9'", "python_version < '3.10'", false)]
    [DataRow("python_version == '3.9'", "python_full_version >= '3.10.0'", true)]
    [DataRow("python_version == '3.9'", "python_full_version >= '3.9.7'", false)]
    [DataRow("python_full_version < '3.10'", "python_version >= '3.10'", true)]
    [DataRow("python_version <= '3.9'", "python_full_version >= '3.9.20'", false)]
    [DataRow("python_version ~= '3.8'", "python_version < '3'", true)]
    [DataRow("'3.8' < python_version", "python_version <= '3.8'", true)]
    [DataRow("python_version == '3.*'", "python_version >= '4'", true)]
    // Correlated platform variables: one real platform per row.
    [DataRow("sys_platform == 'win32'", "os_name == 'nt'", false)]
    [DataRow("sys_platform == 'win32'", "platform_system == 'Windows'", false)]
    [DataRow("sys_platform == 'win32'", "os_name == 'posix'", true)]
    [DataRow("os_name == 'nt'", "sys_platform == 'linux'", true)]
    [DataRow("os_name == 'nt'", "sys_platform != 'win32'", true)]
    [DataRow("platform_system == 'Windows'", "sys_platform == 'darwin'", true)]
    [DataRow("platform_system == 'Linux'", "os_name == 'posix'", false)]
    [DataRow("sys_platform == 'cygwin'", "os_name == 'posix'", false)]
    [DataRow("sys_platform == 'cygwin'", "platform_system == 'Windows'", true)]
    [DataRow("implementation_name == 'cpython'", "platform_python_implementation == 'PyPy'", true)]
    [DataRow("implementation_name == 'graalpy'", "platform_python_implementation == 'GraalVM'", false)]
    [DataRow("sys_platform == 'linux'", "platform_machine == 'x86_64'", false)]
    // Extras and groups: any combination can be requested, so different names never exclude each other.
    [DataRow("extra == 'a'", "extra == 'b'", false)]
    [DataRow("extra == 'a'", "extra != 'a'", true)]
    [DataRow("extra == 'A_b'", "extra != 'a-b'", true)]
    [DataRow("'dev' in dependency_groups", "'dev' not in dependency_groups", true)]
    [DataRow("'dev' in dependency_groups", "'test' in dependency_groups", false)]
    [DataRow("'a' in extras", "'b' not in extras", false)]
    // What the algebra cannot interpret is never called disjoint unless it contradicts itself.
    [DataRow("'arm' in platform_machine", "'x86' in platform_machine", false)]
    [DataRow("'arm' in platform_machine", "'arm' not in platform_machine", true)]
    [DataRow("platform_release >= '5'", "platform_release < '5'", false)]
    // Compound markers.
    [DataRow("sys_platform == 'linux' and python_version >= '3.10'", "sys_platform == 'linux' and python_version < '3.10'", true)]
    [DataRow("sys_platform == 'linux' or python_version >= '3.10'", "sys_platform == 'win32' and python_version < '3.10'", true)]
    [DataRow("sys_platform == 'linux' or python_version >= '3.10'", "sys_platform == 'win32'", false)]
    [DataRow("(os_name == 'nt' or sys_platform == 'darwin') and extra == 'x'", "platform_system == 'Linux'", true)]
    public void Disjointness(string left, string right, bool disjoint)
    {
        Assert.AreEqual(disjoint, M(left).IsDisjointWith(M(right)), $"{left} / {right}");
        Assert.AreEqual(disjoint, M(right).IsDisjointWith(M(left)), $"{right} / {left}");
        Assert.AreEqual(disjoint, M(left).And(M(right)).IsNever);
    }

    [TestMethod]
    public void The_algebra_reasons_about_final_python_releases_like_uv()
    {
        // 3.13.0rc1 would satisfy both, but pre-release interpreters are outside the algebra's domain;
        // evaluation still answers exactly for them.
        var pre = M("python_full_version >= '3.13.0rc1'");
        var below = M("python_full_version < '3.13'");
        Assert.IsTrue(pre.IsDisjointWith(below));
        var rc = Environment("linux", "3.13.0rc1");
        Assert.IsTrue(pre.Evaluate(rc));
        Assert.IsFalse(below.Evaluate(rc));
    }

    [TestMethod]
    [DataRow("python_version < '3.10' or python_version >= '3.10'", "")]
    [DataRow("python_version >= '3.8' and python_version >= '3.9'", "python_version >= \"3.9\"")]
    [DataRow("python_version == '3.8' or python_version == '3.9'", "python_version >= \"3.8\" and python_version < \"3.10\"")]
    [DataRow("python_version >= '3.8' and python_version < '3.9'", "python_version == \"3.8\"")]
    [DataRow("python_full_version >= '3.8.1' and python_version < '3.9'", "python_full_version >= \"3.8.1\" and python_version < \"3.9\"")]
    [DataRow("python_version != '3.9'", "python_version < \"3.9\" or python_version >= \"3.10\"")]
    [DataRow("python_version <= '3.9'", "python_version < \"3.10\"")]
    [DataRow("python_full_version > '3.9'", "python_full_version > \"3.9\"")]
    [DataRow("python_full_version <= '3.9.2'", "python_full_version <= \"3.9.2\"")]
    [DataRow("python_full_version == '3.9.2'", "python_full_version == \"3.9.2\"")]
    [DataRow("sys_platform == 'linux' or sys_platform == 'linux'", "sys_platform == \"linux\"")]
    [DataRow("sys_platform == 'linux' or sys_platform == 'darwin'", "sys_platform == \"darwin\" or sys_platform == \"linux\"")]
    [DataRow("sys_platform != 'linux' and sys_platform != 'darwin'", "sys_platform != \"darwin\" and sys_platform != \"linux\"")]
    [DataRow("sys_platform == 'linux' and sys_platform == 'win32'", "python_version < \"0\"")]
    [DataRow("extra == 'a' and python_version >= '3.8' or extra == 'a' and python_version < '3.8'", "extra == \"a\"")]
    [DataRow("(os_name == 'nt' or python_version >= '3') and sys_platform == 'linux'", "python_version >= \"3.0\" and sys_platform == \"linux\"")]
    [DataRow("'linux' == sys_platform and 'x' in extras", "sys_platform == \"linux\" and \"x\" in extras")]
    [DataRow("sys_platform == 'linux' or python_version >= '3.8' and sys_platform == 'linux'", "sys_platform == \"linux\"")]
    [DataRow("os_name < 'a' or os_name <= 'posix'", "os_name == \"posix\"")]
    [DataRow("'arm' in platform_machine or 'arm' not in platform_machine", "")]
    public void Simplify(string marker, string expected)
    {
        var simplified = M(marker).Simplify();
        Assert.AreEqual(expected, simplified.ToString(), marker);
        Assert.IsTrue(simplified.IsEquivalentTo(M(marker)), marker);
        if (expected.Length > 0)
        {
            Assert.AreEqual(simplified, M(expected).Simplify(), "simplification is idempotent");
        }
        else
        {
            Assert.AreEqual(MarkerExpression.Always, simplified);
        }
    }

    [TestMethod]
    [DataRow("python_version >= '3.10'", "python_version < \"3.10\"")]
    [DataRow("sys_platform == 'linux' and python_version >= '3.8'", "python_version < \"3.8\" or sys_platform != \"linux\"")]
    [DataRow("'dev' in dependency_groups", "\"dev\" not in dependency_groups")]
    [DataRow("extra != 'test'", "extra == \"test\"")]
    [DataRow("python_version == '3.9' or python_version == '3.11'", "python_version < \"3.9\" or python_version == \"3.10\" or python_version >= \"3.12\"")]
    [DataRow("sys_platform == 'linux' or sys_platform != 'linux'", "python_version < \"0\"")]
    public void Not(string marker, string expected)
    {
        var negation = M(marker).Not();
        Assert.AreEqual(expected, negation.ToString(), marker);
        Assert.IsTrue(negation.IsDisjointWith(M(marker)));
        Assert.IsTrue(negation.Or(M(marker)).IsAlwaysTrue);
        Assert.IsTrue(negation.Not().IsEquivalentTo(M(marker)));
    }

    [TestMethod]
    public void Negation_is_refused_where_markers_have_no_syntax_for_it()
    {
        Assert.IsFalse(M("platform_release >= '5'").TryNot(out var negation));
        Assert.IsNull(negation);
        Assert.ThrowsExactly<InvalidOperationException>(() => M("platform_release >= '5'").Not());
    }

    [TestMethod]
    public void Always_and_never()
    {
        Assert.IsTrue(M("sys_platform == 'win32' or os_name != 'nt'").IsAlwaysTrue);
        Assert.IsTrue(M("python_version >= '3' or python_version < '3'").IsAlwaysTrue);
        Assert.IsFalse(M("python_version >= '3'").IsAlwaysTrue);
        Assert.IsFalse(M("python_version >= '3'").IsNever);
        Assert.IsTrue(M("python_version < '3' and python_full_version >= '3.0.1'").IsNever);
        Assert.IsTrue(M("os_name > 'a'").IsNever, "ordering between strings is false (packaging 26)");
        Assert.IsTrue(MarkerExpression.Always.IsAlwaysTrue);
        Assert.IsTrue(MarkerExpression.Never.IsNever);
        Assert.AreEqual(string.Empty, MarkerExpression.Always.ToString());
        Assert.AreEqual(M("python_version >= '3'"), M("python_version >= '3'").And(MarkerExpression.Always));
        Assert.AreEqual(MarkerExpression.Always, M("python_version >= '3'").Or(MarkerExpression.Always));
        Assert.IsTrue(MarkerExpression.Always.Evaluate(Environment("linux", "3.12.1")));
    }

    [TestMethod]
    public void And_and_or_keep_the_meaning_and_print_parseably()
    {
        var a = M("python_version >= '3.8' or sys_platform == 'win32'");
        var b = M("os_name == 'posix' and extra == 'x'");
        Assert.AreEqual("(python_version >= \"3.8\" or sys_platform == \"win32\") and (os_name == \"posix\" and extra == \"x\")", a.And(b).ToString());
        Assert.AreEqual("(python_version >= \"3.8\" or sys_platform == \"win32\") or (os_name == \"posix\" and extra == \"x\")", a.Or(b).ToString());
        Assert.AreEqual(a.And(b), M(a.And(b).ToString()));
        Assert.AreEqual("python_version >= \"3.8\" and extra == \"x\"", M("python_version >= '3.8'").And(M("extra == 'x'")).ToString());
        Assert.IsTrue(M("python_version >= '3.9'").Implies(M("python_version >= '3.8'")));
        Assert.IsFalse(M("python_version >= '3.8'").Implies(M("python_version >= '3.9'")));
    }

    /// <summary>
    /// Random markers over a pool of atoms, checked against evaluation in realistic environments: whatever
    /// the algebra claims (disjoint, never, always, simplified, negated) must hold in every environment.
    /// </summary>
    [TestMethod]
    public void Algebra_agrees_with_evaluation_on_random_markers()
    {
        string[] atoms =
        [
            "sys_platform == 'linux'", "sys_platform == 'win32'", "sys_platform != 'darwin'", "os_name == 'nt'",
            "os_name == 'posix'", "platform_system == 'Windows'", "platform_system != 'Linux'", "platform_machine == 'x86_64'",
            "platform_machine == 'arm64'", "'arm' in platform_machine", "implementation_name == 'pypy'",
            "platform_python_implementation == 'CPython'", "python_version >= '3.10'", "python_version < '3.9'",
            "python_version == '3.11'", "python_full_version >= '3.10.5'", "python_full_version < '3.12.1'",
            "python_version != '3.12'", "python_version ~= '3.9'", "'3.10' <= python_version", "extra == 'a'",
            "extra != 'b'", "'dev' in dependency_groups", "'a' in extras", "'test' not in dependency_groups",
            "os_name < 'z'", "platform_release >= '5'",
            "python_version in '2.7 3.10 3.11'", "python_version not in '3.8 3.9'", "python_full_version in '3.10.4 3.12.1'",
            "python_version === '3.11'", "'linux' in sys_platform", "sys_platform in 'linux2 darwin'", "'64' in platform_machine",
            "platform_machine not in 'x86_64 AMD64'", "'Win' not in platform_system", "'6.1' in platform_release",
        ];
        var environments = Environments().Where((_, i) => i % 4 == 0).ToList();
        var random = new Random(751);
        for (var round = 0; round < 100; round++)
        {
            var m = RandomMarker(random, atoms, 3);
            var n = RandomMarker(random, atoms, 3);
            var mValues = environments.Select(e => Evaluate(m, e)).ToList();
            var nValues = environments.Select(e => Evaluate(n, e)).ToList();
            var context = $"round {round}: {m} / {n}";

            var simplified = m.Simplify();
            CollectionAssert.AreEqual(mValues, environments.Select(e => Evaluate(simplified, e)).ToList(), $"{context}: simplified {simplified}");
            if (simplified != MarkerExpression.Always)
            {
                Assert.AreEqual(simplified.ToString(), MarkerExpression.Parse(simplified.ToString()).Simplify().ToString(), $"{context}: simplification is idempotent");
            }
            if (m.TryNot(out var negation))
            {
                CollectionAssert.AreEqual(mValues.Select(v => !v).ToList(), environments.Select(e => Evaluate(negation!, e)).ToList(), $"{context}: not {negation}");
            }

            CollectionAssert.AreEqual(mValues.Zip(nValues, (x, y) => x && y).ToList(), environments.Select(e => Evaluate(m.And(n), e)).ToList(), context);
            CollectionAssert.AreEqual(mValues.Zip(nValues, (x, y) => x || y).ToList(), environments.Select(e => Evaluate(m.Or(n), e)).ToList(), context);
            if (m.IsDisjointWith(n))
            {
                Assert.IsFalse(mValues.Zip(nValues, (x, y) => x && y).Any(b => b), $"{context}: called disjoint");
            }

            if (m.IsNever)
            {
                Assert.IsFalse(mValues.Any(v => v), $"{context}: called never");
            }

            if (m.IsAlwaysTrue)
            {
                Assert.IsTrue(mValues.All(v => v), $"{context}: called always");
            }
        }
    }

    private static MarkerExpression RandomMarker(Random random, string[] atoms, int depth)
    {
        if (depth == 0 || random.Next(3) == 0)
        {
            return M(atoms[random.Next(atoms.Length)]);
        }

        var left = RandomMarker(random, atoms, depth - 1);
        var right = RandomMarker(random, atoms, depth - 1);
        return random.Next(2) == 0 ? left.And(right) : left.Or(right);
    }

    private static bool Evaluate(MarkerExpression marker, (MarkerEnvironment Environment, string[] Extras, string[] Groups) e) =>
        marker.Evaluate(e.Environment, e.Extras, e.Groups);

    private static IEnumerable<(MarkerEnvironment, string[], string[])> Environments()
    {
        string[][] platforms =
        [
            ["linux", "Linux", "posix", "x86_64"], ["linux", "Linux", "posix", "aarch64"], ["win32", "Windows", "nt", "AMD64"],
            ["win32", "Windows", "nt", "ARM64"], ["darwin", "Darwin", "posix", "arm64"], ["darwin", "Darwin", "posix", "x86_64"],
            ["cygwin", "CYGWIN_NT-10.0", "posix", "x86_64"],
        ];
        string[][] implementations = [["cpython", "CPython"], ["pypy", "PyPy"]];
        string[] pythons = ["3.8.10", "3.9.0", "3.10.4", "3.10.5", "3.11.0", "3.12.0", "3.12.1", "3.13.2"];
        string[][] sets = [[], ["a"], ["b", "dev"], ["a", "b", "test", "dev"]];
        var index = 0;
        foreach (var platform in platforms)
        {
            foreach (var implementation in implementations)
            {
                foreach (var python in pythons)
                {
                    index++;
                    var environment = Environment(platform[0], python)
                        .With("platform_system", platform[1]).With("os_name", platform[2]).With("platform_machine", platform[3])
                        .With("implementation_name", implementation[0]).With("platform_python_implementation", implementation[1])
                        .With("platform_release", index % 2 == 0 ? "6.1.0" : "4.19");
                    yield return (environment, sets[index % 4], sets[(index / 4) % 4]);
                }
            }
        }
    }

    /// <summary>A CPython environment on x86_64 for the platform and interpreter version.</summary>
    internal static MarkerEnvironment Environment(string sysPlatform, string python) => new(new Dictionary<string, string>
    {
        ["implementation_name"] = "cpython",
        ["implementation_version"] = python,
        ["os_name"] = sysPlatform == "win32" ? "nt" : "posix",
        ["platform_machine"] = "x86_64",
        ["platform_release"] = "6.1.0",
        ["platform_system"] = sysPlatform == "win32" ? "Windows" : sysPlatform == "darwin" ? "Darwin" : "Linux",
        ["platform_version"] = "#1 SMP",
        ["python_full_version"] = python,
        ["platform_python_implementation"] = "CPython",
        ["python_version"] = string.Join(".", python.Split('.').Take(2)),
        ["sys_platform"] = sysPlatform,
    });
}
