using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// What the marker algebra cannot decide (<c>platform_release</c> ranges, two variables compared, <c>'1' in
/// python_version</c>, <c>~=</c> on strings) must never turn an unneeded requirement into a failure: a dependency
/// needed only there that cannot be met is left out with PYENV2005; one that can be met is locked under its marker.
/// </summary>
[TestClass]
public sealed class UndecidableMarkerTests
{
    private static readonly ResolverOptions Project39 = new() { RequiresPython = SpecifierSet.Parse(">=3.9") };

    [TestMethod]
    [DataRow("platform_release < \"2.6\"")]
    [DataRow("implementation_version >= \"3\" and sys_platform == \"win32\"")]
    [DataRow("platform_machine == platform_system")]
    [DataRow("'1' in python_version")]
    [DataRow("platform_version ~= \"1.0\"")]
    public async Task A_missing_dependency_needed_only_where_an_undecidable_marker_holds_is_left_out_with_a_warning(string marker)
    {
        var result = await WithIndex(
            index => index.Publish(Spec("app-lib", "1.0", $"legacy-helper>=1; {marker}")),
            source => new PythonResolver(source, Project39).Resolve([Req("app-lib")]));

        CollectionAssert.AreEqual(new[] { "app-lib 1.0" }, result.Packages.Select(p => p.ToString()).ToList());
        var warning = result.Warnings.Single();
        Assert.AreEqual(DiagnosticCodes.UnmetUndecidableRequirement, warning.Code);
        var requirement = Requirement.Parse($"legacy-helper>=1; {marker}");
        StringAssert.Contains(warning.Message, $"app-lib 1.0 requires '{requirement}'");
        StringAssert.Contains(warning.Message, "legacy-helper is on no configured index");
        StringAssert.Contains(warning.Message, $"only where {requirement.Marker}");
        StringAssert.Contains(warning.Message, "Environments where that marker holds will not get legacy-helper");
        StringAssert.Contains(warning.Message, "narrow PythonEnvironments");
    }

    [TestMethod]
    public async Task A_dependency_with_no_usable_version_in_its_range_is_left_out_too()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("app-lib", "1.0", "legacy-helper<1; platform_release < \"2.6\""));
                index.Publish(Spec("legacy-helper", "2.0"));
            },
            source => new PythonResolver(source, Project39).Resolve([Req("app-lib")]));

        CollectionAssert.AreEqual(new[] { "app-lib 1.0" }, result.Packages.Select(p => p.ToString()).ToList());
        StringAssert.Contains(result.Warnings.Single().Message, "no usable version of legacy-helper<1 is available");
    }

    [TestMethod]
    public async Task A_dependency_under_an_undecidable_marker_that_can_be_met_is_locked_under_its_marker()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("app-lib", "1.0", "legacy-helper; platform_release < \"2.6\""));
                index.Publish(Spec("legacy-helper", "1.0"));
            },
            source => new PythonResolver(source, Project39).Resolve([Req("app-lib")]));

        CollectionAssert.AreEqual(new[] { "app-lib 1.0", "legacy-helper 1.0 ; platform_release < \"2.6\"" }, result.Packages.Select(p => p.ToString()).ToList());
        Assert.AreEqual(0, result.Warnings.Count);
    }

    [TestMethod]
    [DataRow("sys_platform == \"win32\"")]
    [DataRow("python_version < \"3.12\"")]
    [DataRow("'linux' in sys_platform")]
    [DataRow("sys_platform == \"win32\" or platform_release < \"2.6\"")]
    public async Task A_missing_dependency_under_a_marker_that_may_decidably_hold_still_fails(string marker)
    {
        var failure = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => WithIndex(
            index => index.Publish(Spec("app-lib", "1.0", $"legacy-helper; {marker}")),
            source => new PythonResolver(source, Project39).Resolve([Req("app-lib")])));

        Assert.AreEqual(DiagnosticCodes.NoSolution, failure.Code, failure.Message);
        StringAssert.Contains(failure.Message, $"app-lib depends on legacy-helper (where {MarkerExpression.Parse(marker)}), which is on no configured index");
    }

    [TestMethod]
    public async Task An_undecidable_marker_that_never_holds_in_the_project_leaves_the_dependency_out_silently()
    {
        var result = await WithIndex(
            index => index.Publish(Spec("app-lib", "1.0", "legacy-helper; python_version < \"3\" and platform_release < \"2.6\"")),
            source => new PythonResolver(source, Project39).Resolve([Req("app-lib")]));

        CollectionAssert.AreEqual(new[] { "app-lib 1.0" }, result.Packages.Select(p => p.ToString()).ToList());
        Assert.AreEqual(0, result.Warnings.Count);
    }
}
