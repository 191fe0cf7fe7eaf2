using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// `dotnet build` writes one universal lock: a platform fork with two entries under disjoint markers, the
/// project's extras under <c>'x' in extras</c>, and the venv gets the entries of this machine only.
/// </summary>
[TestClass]
public sealed class UniversalLockTests : SdkTest
{
    private static PackageSpec Spec(string name, string version, params string[] requires) => PackageSpec.Of(name, version, requires);

    [TestMethod]
    public async Task A_fork_and_an_extra_are_locked_for_every_platform_and_installed_for_this_one()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("the venv assertions are about the Linux side of the fork");
        }

        await using var server = await TestIndexServer.StartAsync();
        server.Publish(Spec("httpish", "1.0"));
        server.Publish(Spec("httpish", "2.0", "helper"));
        server.Publish(Spec("helper", "1.0"));
        server.Publish(Spec("click", "8.0", "colorama; sys_platform == 'win32'"));
        server.Publish(Spec("colorama", "0.4"));
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            """, fileName: "env.proj");
        project.WriteFile("pyproject.toml", """
            [project]
            name = "app"
            version = "0.1"
            requires-python = ">=3.9"
            dependencies = [
              "httpish>=2; sys_platform == 'linux'",
              "httpish<2; sys_platform != 'linux'",
            ]

            [project.optional-dependencies]
            cli = ["click"]
            """);

        var build = project.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var lockFile = PylockReader.Load(project.PathOf("pylock.toml"));
        CollectionAssert.AreEqual(new[] { "cli" }, lockFile.Extras.ToArray());
        CollectionAssert.AreEquivalent(
            new[]
            {
                "click 8.0 ; \"cli\" in extras",
                "colorama 0.4 ; sys_platform == \"win32\" and \"cli\" in extras",
                "helper 1.0 ; sys_platform == \"linux\"",
                "httpish 1.0 ; sys_platform != \"linux\"",
                "httpish 2.0 ; sys_platform == \"linux\"",
            },
            lockFile.Packages.Select(p => $"{p.Name} {p.Version} ; {p.Marker}").ToArray());
        Assert.AreEqual(2, lockFile.Manifest!.Forks.Count, string.Join("\n", lockFile.Manifest.Forks));

        // The venv holds what applies on this (Linux) machine, without the extra.
        var installed = Installed(project);
        CollectionAssert.AreEquivalent(new[] { "helper-1.0", "httpish-2.0" }, installed, string.Join(", ", installed));

        var withExtra = project.Build("--no-restore", "-p:PythonInstallExtras=cli");
        Assert.AreEqual(0, withExtra.ExitCode, withExtra.ToString());
        installed = Installed(project);
        CollectionAssert.AreEquivalent(new[] { "click-8.0", "helper-1.0", "httpish-2.0" }, installed, string.Join(", ", installed));
    }

    private static string[] Installed(SdkProject project) =>
        Directory.GetDirectories(project.PathOf(Path.Combine(".venv", "lib")), "python*").SelectMany(lib => Directory.GetDirectories(Path.Combine(lib, "site-packages"), "*.dist-info"))
            .Select(path => Path.GetFileName(path)[..^".dist-info".Length])
            .ToArray();
}
