using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>`dotnet build -t:PythonLock -p:PythonUpgrade=…` sees a version published while the index pages are cached fresh.</summary>
[TestClass]
public sealed class PythonUpgradeTests : SdkTest
{
    [TestMethod]
    public async Task PythonUpgrade_sees_a_version_published_within_the_index_max_age()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Switches.PageCacheControl = "max-age=3600, public";
        server.Publish(new PackageSpec("alpha", "1.0").Wheel());
        server.Publish(new PackageSpec("beta", "1.0").Wheel());
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" />
              <PythonPackage Include="beta" />
            </ItemGroup>
            """, fileName: "env.proj");
        var first = project.Build("-t:PythonLock");
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        server.Publish(new PackageSpec("alpha", "1.1").Wheel());
        server.Publish(new PackageSpec("beta", "1.1").Wheel());

        var upgrade = project.Build("--no-restore", "-t:PythonLock", "-p:PythonUpgrade=alpha");

        Assert.AreEqual(0, upgrade.ExitCode, upgrade.ToString());
        StringAssert.Contains(upgrade.Output, "~ alpha 1.0 -> 1.1");
        CollectionAssert.AreEqual(new[] { "alpha 1.1", "beta 1.0" },
            PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}").OrderBy(s => s).ToArray());
        Assert.AreEqual(2, server.Log.Count("/simple/alpha/"), "alpha's cached page was revalidated");
        Assert.AreEqual(1, server.Log.Count("/simple/beta/"), "beta's came from the cache");
    }
}
