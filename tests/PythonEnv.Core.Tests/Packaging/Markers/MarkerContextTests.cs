using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Packaging;

namespace PythonEnv.Core.Tests.Packaging.Markers;

/// <summary>Reading markers in a known context: extras decided, Python versions spanned, simplification under requires-python.</summary>
[TestClass]
public sealed class MarkerContextTests
{
    private static MarkerExpression M(string text) => MarkerExpression.Parse(text);

    [TestMethod]
    [DataRow("extra == 'cli'", "", "python_version < \"0\"")]
    [DataRow("extra == 'cli'", "cli", "")]
    [DataRow("extra == 'CLI'", "cli", "")]
    [DataRow("extra != 'cli'", "", "")]
    [DataRow("sys_platform == 'win32' and extra == 'cli'", "cli", "sys_platform == \"win32\"")]
    [DataRow("sys_platform == 'win32' and extra == 'cli'", "", "python_version < \"0\"")]
    [DataRow("extra == 'a' or extra == 'b' and os_name == 'nt'", "b", "os_name == \"nt\"")]
    [DataRow("extra == 'a' or extra == 'b' and os_name == 'nt'", "a", "")]
    [DataRow("(extra == 'a' or python_version < '3.10') and sys_platform == 'linux'", "", "python_version < \"3.10\" and sys_platform == \"linux\"")]
    [DataRow("sys_platform == 'linux'", "a", "sys_platform == \"linux\"")]
    public void Extra_comparisons_are_decided_for_the_extra_a_dependency_list_is_read_for(string marker, string extra, string expected)
    {
        var decided = M(marker).WithExtras(extra.Length == 0 ? [] : [extra]);
        Assert.AreEqual(expected, decided.ToString());
        Assert.IsFalse(decided.ToString().Contains("extra", System.StringComparison.Ordinal));
    }

    [TestMethod]
    [DataRow("'cli' in extras", "cli", "", "")]
    [DataRow("'cli' in extras", "", "", "python_version < \"0\"")]
    [DataRow("'CLI' in extras and sys_platform == 'win32'", "cli", "", "sys_platform == \"win32\"")]
    [DataRow("'dev' in dependency_groups or 'cli' in extras", "", "dev", "")]
    [DataRow("'dev' in dependency_groups and python_version >= '3.10'", "", "test", "python_version < \"0\"")]
    [DataRow("extra == 'cli'", "cli", "", "extra == \"cli\"")]
    public void Lock_markers_are_decided_for_the_selected_extras_and_groups(string marker, string extras, string groups, string expected)
    {
        static string[] List(string text) => text.Length == 0 ? [] : text.Split(',');
        Assert.AreEqual(expected, M(marker).WithSelection(List(extras), List(groups)).ToString());
    }

    [TestMethod]
    [DataRow("sys_platform == 'linux'", "")]
    [DataRow("python_version >= '3.10'", ">=3.10")]
    [DataRow("python_version < '3.10' or python_full_version >= '3.12.1'", "<3.10 || >=3.12.1")]
    [DataRow("python_version == '3.11' and sys_platform == 'win32'", ">=3.11,<3.12")]
    public void Python_versions_are_the_versions_where_the_marker_can_hold(string marker, string expected)
    {
        var versions = M(marker).PythonVersions;
        var probe = new[] { "3.8.0", "3.9.5", "3.10.0", "3.11.4", "3.12.0", "3.12.1", "3.13.0" };
        var expectedSet = expected.Length == 0 ? VersionSet.Full
            : expected.Split(" || ").Select(part => VersionSet.FromSpecifierSet(SpecifierSet.Parse(part))).Aggregate((a, b) => a.Union(b));
        foreach (var version in probe.Select(Pep440Version.Parse))
        {
            Assert.AreEqual(expectedSet.Contains(version), versions.Contains(version), $"{marker} at {version}");
        }
    }

    [TestMethod]
    [DataRow("python_full_version >= '3.9' and sys_platform == 'linux'", ">=3.9", "sys_platform == \"linux\"")]
    [DataRow("python_full_version >= '3.9' and python_version < '3.11'", ">=3.9", "python_version < \"3.11\"")]
    [DataRow("python_full_version >= '3.10'", ">=3.9", "python_version >= \"3.10\"")]
    [DataRow("python_full_version >= '3.9'", ">=3.9", "")]
    [DataRow("sys_platform == 'win32'", ">=3.9", "sys_platform == \"win32\"")]
    public void Simplifying_under_requires_python_drops_what_it_already_says(string marker, string requiresPython, string expected)
    {
        var python = VersionSet.FromSpecifierSet(SpecifierSet.Parse(requiresPython));
        var simplified = M(marker).SimplifyAssuming(python);
        Assert.AreEqual(expected, simplified.ToString());
    }
}
