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
/// Every lock installs where it says it does: each PythonEnvironments environment, and the building machine
/// when the lock covers it, has an installable file (a wheel whose tags hold there, or an sdist where builds
/// are allowed) for every entry that applies there; other versions are skipped for that part of the universe.
/// </summary>
[TestClass]
public sealed class InstallableEnvironmentsTests
{
    private const string LinuxX64 = "sys_platform == 'linux' and platform_machine == 'x86_64'";

    private static ResolverOptions Options(string[] environments, bool buildsAllowed = true, BuildMachine? machine = null) => new()
    {
        RequiresPython = SpecifierSet.Parse(">=3.9"),
        Environments = environments.Select(MarkerExpression.Parse).ToList(),
        BuildsAllowed = buildsAllowed,
        Machine = machine,
    };

    private static void WheelOnly(PackageIndex index, string name, string version, string tags, params string[] requires) =>
        index.Publish(Spec(name, version, requires).Wheel(tags));

    private static List<string> Entries(ResolutionResult result, string name) =>
        result.Packages.Where(p => p.Name.Normalized == name).Select(p => p.ToString()).ToList();

    [TestMethod]
    public async Task A_version_whose_only_wheel_is_for_another_platform_is_skipped_packse_local_not_latest()
    {
        var result = await WithIndex(
            index =>
            {
                WheelOnly(index, "a", "1.2.3", "py3-none-macosx_10_0_ppc64");
                index.Publish(Spec("a", "1.2.2+foo"));
                WheelOnly(index, "a", "1.2.1", "py3-none-macosx_10_0_ppc64");
            },
            source => new PythonResolver(source, Options([LinuxX64])).Resolve([Req("a>=1")]));

        CollectionAssert.AreEqual(new[] { "a 1.2.2+foo" }, Entries(result, "a"));
    }

    [TestMethod]
    public async Task A_version_is_skipped_only_in_the_environment_it_cannot_install_in()
    {
        // 2.0 has only a Windows wheel, 1.0 only a Linux one: each environment gets the version it can install
        // (later forks prefer what earlier ones chose, so they differ only where they must).
        var result = await WithIndex(
            index =>
            {
                WheelOnly(index, "a", "1.0", "py3-none-manylinux_2_17_x86_64");
                WheelOnly(index, "a", "2.0", "cp39-abi3-win_amd64");
            },
            source => new PythonResolver(source, Options([LinuxX64, "sys_platform == 'win32'"])).Resolve([Req("a")]));

        CollectionAssert.AreEquivalent(new[] { "a 1.0 ; sys_platform == \"linux\" and platform_machine == \"x86_64\"", "a 2.0 ; sys_platform == \"win32\"" }, Entries(result, "a"), string.Join("\n", Entries(result, "a")));
    }

    [TestMethod]
    public async Task A_package_needed_only_on_windows_needs_no_linux_files_packse_requires_python_subset()
    {
        var result = await WithIndex(
            index => WheelOnly(index, "win-only", "1.0.0", "cp312-abi3-win_amd64"),
            source => new PythonResolver(source, Options(["sys_platform == 'linux'", "sys_platform == 'win32'"])).Resolve([Req("win-only; sys_platform == 'win32'")]));

        CollectionAssert.AreEqual(new[] { "win-only 1.0.0 ; sys_platform == \"win32\"" }, Entries(result, "win-only"));
    }

    [TestMethod]
    public async Task No_version_with_files_for_an_environment_is_a_failure_naming_that_environment()
    {
        var failure = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => WithIndex(
            index =>
            {
                WheelOnly(index, "a", "1.0", "py3-none-macosx_10_0_ppc64");
                WheelOnly(index, "a", "2.0", "cp312-cp312-win_amd64");
            },
            source => new PythonResolver(source, Options([LinuxX64])).Resolve([Req("a")])));

        Assert.AreEqual(DiagnosticCodes.NoSolution, failure.Code);
        StringAssert.Contains(failure.Message, "a 2.0, 1.0 have no file that installs on sys_platform == \"linux\" and platform_machine == \"x86_64\"");
    }

    [TestMethod]
    public async Task An_sdist_installs_anywhere_unless_builds_are_off()
    {
        var publish = (PackageIndex index) =>
        {
            index.Publish(Spec("a", "1.0"));
            index.Publish(Spec("a", "2.0").Sdist());
        };
        var built = await WithIndex(publish, source => new PythonResolver(source, Options([LinuxX64])).Resolve([Req("a")]));
        var wheelsOnly = await WithIndex(publish, source => new PythonResolver(source, Options([LinuxX64], buildsAllowed: false)).Resolve([Req("a")]));

        CollectionAssert.AreEqual(new[] { "a 2.0" }, Entries(built, "a"));
        CollectionAssert.AreEqual(new[] { "a 1.0" }, Entries(wheelsOnly, "a"));
    }

    [TestMethod]
    public async Task The_building_machine_gets_a_version_it_can_install_and_the_rest_of_the_universe_keeps_the_newest()
    {
        var linux = TargetEnvironments.For("3.12.3", "linux", "x86_64");
        var tags = new PlatformTags(PlatformTags.CPythonTags([3, 12], ["cp312"], ["manylinux_2_17_x86_64", "linux_x86_64"])
            .Concat(PlatformTags.CompatibleTags([3, 12], "cp312", ["manylinux_2_17_x86_64", "linux_x86_64"])).Distinct());
        var options = Options([], machine: new BuildMachine(linux, tags, "this machine (CPython 3.12.3 on linux x86_64)"));
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("a", "1.0"));
                WheelOnly(index, "a", "2.0", "py3-none-macosx_11_0_arm64");
            },
            source => new PythonResolver(source, options).Resolve([Req("a")]));

        CollectionAssert.AreEqual(new[] { "a 1.0" }, Entries(result, "a"));
    }

    [TestMethod]
    public async Task An_entry_the_building_machine_cannot_install_is_a_failure_naming_the_machine()
    {
        var linux = TargetEnvironments.For("3.12.3", "linux", "x86_64");
        var tags = new PlatformTags(PlatformTags.CompatibleTags([3, 12], "cp312", ["manylinux_2_17_x86_64", "linux_x86_64"]));
        var failure = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => WithIndex(
            index => WheelOnly(index, "a", "2.0", "py3-none-macosx_11_0_arm64"),
            source => new PythonResolver(source, Options([], machine: new BuildMachine(linux, tags, "this machine (CPython 3.12.3 on linux x86_64)"))).Resolve([Req("a")])));

        StringAssert.Contains(failure.Message, "a 2.0 has no file that installs on this machine (CPython 3.12.3 on linux x86_64)");
    }

    [TestMethod]
    public void Wheel_tags_imply_the_platforms_and_pythons_they_install_on()
    {
        static MarkerExpression Of(string file) => WheelMarkers.Of(WheelFileName.Parse(file));
        var linuxX64 = MarkerExpression.Parse(LinuxX64);

        Assert.IsTrue(Of("a-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").And(linuxX64).IsNever is false);
        Assert.IsTrue(Of("a-1-py3-none-macosx_10_0_ppc64.whl").IsDisjointWith(linuxX64));
        Assert.IsTrue(Of("a-1-py3-none-musllinux_1_2_aarch64.whl").IsDisjointWith(linuxX64));
        Assert.IsTrue(Of("a-1-cp312-cp312-manylinux_2_17_x86_64.whl").IsDisjointWith(MarkerExpression.Parse("python_version == '3.11'")));
        Assert.IsTrue(Of("a-1-py3-none-any.whl").Implies(MarkerExpression.Parse("python_version >= '3'")));
        Assert.IsFalse(Of("a-1-py2.py3-none-any.whl").IsDisjointWith(MarkerExpression.Parse("python_version >= '3.12'")));
        Assert.IsFalse(Of("a-1-cp39-abi3-macosx_11_0_universal2.whl").IsDisjointWith(MarkerExpression.Parse("sys_platform == 'darwin' and platform_machine == 'arm64'")));
        Assert.IsTrue(Of("a-1-cp39-abi3-win_amd64.whl").IsDisjointWith(MarkerExpression.Parse("sys_platform == 'win32' and platform_machine == 'ARM64'")));
    }
}
