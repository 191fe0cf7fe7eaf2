using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Through `dotnet build`: the lock's requires-python comes from what the user said (PythonVersion,
/// .python-version) or, said once, from the interpreter the build found; every lock installs where it says it
/// does; PYENV2001 says why versions were excluded; an extra a package does not provide is PYENV2003.
/// </summary>
[TestClass]
public sealed class LockEnvironmentTests : SdkTest
{
    private const string LinuxX64 = "sys_platform == 'linux' and platform_machine == 'x86_64'";

    private SdkProject Project(TestIndexServer server, string items, string properties = "") => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
          {properties}
        </PropertyGroup>
        <ItemGroup>
        {items}
        </ItemGroup>
        """, fileName: "env.proj");

    private static void Replace(SdkProject project, string from, string to) =>
        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath).Replace(from, to, StringComparison.Ordinal));

    [TestMethod]
    public async Task Python_version_file_sets_the_locks_requires_python()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("attrs", "23.1.0") { RequiresPython = ">=3.9" });
        var project = Project(server, """<PythonPackage Include="attrs" />""");
        project.WriteFile(".python-version", "3.11\n");

        var build = project.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var lockFile = PylockReader.Load(project.PathOf("pylock.toml"));
        Assert.AreEqual(">=3.11", lockFile.RequiresPython);
        CollectionAssert.AreEqual(new[] { "attrs 23.1.0" }, lockFile.Packages.Select(p => $"{p.Name} {p.Version}").ToArray());
    }

    [TestMethod]
    public async Task With_no_version_anywhere_the_found_interpreter_decides_and_the_build_says_so_once()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("attrs", "23.1.0") { RequiresPython = ">=3.9" });
        server.Publish(new PackageSpec("attrs", "23.2.0") { RequiresPython = ">=3.9" });
        var project = Project(server, """<PythonPackage Include="attrs" Version="&lt;23.2" />""");

        var build = project.Build("-clp:Verbosity=normal");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var said = Regex.Match(build.Output, @"PythonLock: requires-python is (>=3\.\d+), from the interpreter this build found \((\w+) 3\.\d+\.\d+\S* at [^)]+\)");
        Assert.IsTrue(said.Success, build.ToString());
        Assert.AreEqual(1, Regex.Count(build.Output, "from the interpreter this build found"), build.ToString());
        Assert.AreEqual(said.Groups[1].Value, PylockReader.Load(project.PathOf("pylock.toml")).RequiresPython);

        // The lock records it: a re-lock keeps it and does not say it again.
        Replace(project, "&lt;23.2", "&gt;=23.2");
        var relock = project.Build("--no-restore", "-clp:Verbosity=normal");
        Assert.AreEqual(0, relock.ExitCode, relock.ToString());
        StringAssert.Contains(relock.Output, "~ attrs 23.1.0 -> 23.2.0");
        Assert.IsFalse(relock.Output.Contains("from the interpreter this build found", StringComparison.Ordinal), relock.ToString());
        Assert.AreEqual(said.Groups[1].Value, PylockReader.Load(project.PathOf("pylock.toml")).RequiresPython);
    }

    [TestMethod]
    public async Task PythonEnvironments_linux_x86_64_locks_the_version_that_installs_there_packse_local_not_latest()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(PackageSpec.Of("a", "1.2.3").Wheel("py3-none-macosx_10_0_ppc64"));
        server.Publish(PackageSpec.Of("a", "1.2.2+foo"));
        server.Publish(PackageSpec.Of("a", "1.2.1").Wheel("py3-none-macosx_10_0_ppc64"));
        var project = Project(server, """<PythonPackage Include="a" Version=">=1" />""",
            $"<PythonEnvironments>{LinuxX64}</PythonEnvironments><PythonRequiresPython>&gt;=3.9</PythonRequiresPython>");

        var build = project.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEqual(new[] { "a 1.2.2+foo" }, PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}").ToArray());
    }

    [TestMethod]
    public async Task The_building_machine_gets_a_version_it_can_install_without_PythonEnvironments()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Inconclusive("the newest version's only wheel is for another platform than Linux x86_64");
        }

        await using var server = await TestIndexServer.StartAsync();
        server.Publish(PackageSpec.Of("a", "1.0"));
        server.Publish(PackageSpec.Of("a", "2.0").Wheel("py3-none-macosx_11_0_arm64"));
        var project = Project(server, """<PythonPackage Include="a" />""", "<PythonRequiresPython>&gt;=3.9</PythonRequiresPython>");

        var build = project.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEqual(new[] { "a 1.0" }, PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}").ToArray());
    }

    [TestMethod]
    public async Task A_lock_no_version_can_make_fails_naming_the_environment_lacking_files()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(PackageSpec.Of("a", "1.0").Wheel("py3-none-macosx_10_0_ppc64"));
        var project = Project(server, """<PythonPackage Include="a" />""",
            $"<PythonEnvironments>{LinuxX64}</PythonEnvironments><PythonRequiresPython>&gt;=3.9</PythonRequiresPython>");

        var build = project.Build();

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        Assert.IsTrue(build.WithCode("PYENV2001").Any(), build.ToString());
        Assert.AreEqual(project.ProjectPath, build.WithCode("PYENV2001").First().File, "the failure is at the project that declares the requirement, not the SDK's targets");
        StringAssert.Contains(build.Output, "a 1.0 has no file that installs on sys_platform == \"linux\" and platform_machine == \"x86_64\"");
        Assert.IsFalse(File.Exists(project.PathOf("pylock.toml")));
    }

    [TestMethod]
    public async Task PYENV2001_names_why_each_version_was_excluded_with_bounds_as_written()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("attrs", "23.1.0") { RequiresPython = ">=3.9" });
        server.Publish(PackageSpec.Of("oldlib", "1.0").Wheel(), new PublishOptions { Yanked = true, YankedReason = "broken" });
        server.Publish(PackageSpec.Of("urllib3", "2.0.0b1"));
        server.Publish(PackageSpec.Of("urllib3", "2.0.0"));
        server.Publish(PackageSpec.Of("maclib", "1.0").Wheel("py3-none-macosx_11_0_arm64"));
        var project = Project(server, """<PythonPackage Include="attrs" />""",
            $"<PythonEnvironments>{LinuxX64}</PythonEnvironments><PythonRequiresPython>&gt;=3.8</PythonRequiresPython>");

        void Fails(string expected)
        {
            var build = project.Build("--no-restore");
            Assert.IsTrue(build.WithCode("PYENV2001").Any(), build.ToString());
            StringAssert.Contains(build.Output, expected);
        }

        project.Restore();
        Fails("attrs 23.1.0 requires Python >=3.9, but the project supports Python >=3.8");
        Replace(project, "Include=\"attrs\"", "Include=\"oldlib\"");
        Fails("oldlib 1.0 is yanked (broken)");
        Replace(project, "Include=\"oldlib\"", "Include=\"urllib3\" Version=\"&lt;2\"");
        Fails("urllib3 2.0.0b1 is a pre-release of 2, which '<2' leaves out");
        Fails("no usable version of urllib3<2 is available");
        Replace(project, "Include=\"urllib3\" Version=\"&lt;2\"", "Include=\"maclib\"");
        Fails("maclib 1.0 has no file that installs on sys_platform == \"linux\" and platform_machine == \"x86_64\"");
    }

    [TestMethod]
    public async Task An_extra_the_package_does_not_provide_is_a_warning_at_the_item_naming_its_extras()
    {
        await using var server = await TestIndexServer.StartAsync();
        var requests = PackageSpec.Of("requests", "2.32.3");
        requests.Extras["socks"] = ["pysocks"];
        server.Publish(requests);
        server.Publish(PackageSpec.Of("pysocks", "1.7.1"));
        var project = Project(server, """<PythonPackage Include="requests" Extras="sock" />""", "<PythonRequiresPython>&gt;=3.9</PythonRequiresPython>");

        var build = project.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var warning = build.WithCode("PYENV2003").SingleOrDefault();
        Assert.IsNotNull(warning, build.ToString());
        Assert.AreEqual("warning", warning.Severity);
        Assert.AreEqual(project.ProjectPath, warning.File);
        Assert.AreEqual(project.LineOf("Extras=\"sock\""), warning.Line);
        StringAssert.Contains(warning.Message, "requests 2.32.3 has no extra 'sock' (its extras: socks)");
    }
}
