using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// A multi-targeted C# project: design-time builds touch nothing, a build locks and syncs once (not once per
/// framework), and every framework's build sees the host values and writes them into its runtimeconfig.json.
/// </summary>
[TestClass]
public sealed class MultiTargetingTests : SdkTest
{
    /// <summary>net8.0 (its reference pack comes from the NuGet source) and the SDK's own framework.</summary>
    private static readonly string[] Frameworks = ["net8.0", SdkProject.TargetFramework];

    private static readonly string[] HostValues =
        ["PythonExecutable", "PythonBaseExecutable", "PythonLibrary", "PythonHome", "PythonPrefix", "PythonSitePackages", "PythonInterpreterVersion"];

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    public async Task Python_work_runs_once_and_every_framework_gets_the_host_values(SdkUsage usage)
    {
        await using var server = await TestIndexServer.StartAsync();
        var alpha = new PackageSpec("alpha", "1.0");
        alpha.RequiresDist.Add("beta");
        server.Publish(alpha);
        server.Publish(new PackageSpec("beta", "1.0"));
        var project = NewProject(usage, $"""
            <PropertyGroup>
              <TargetFramework></TargetFramework>
              <TargetFrameworks>{string.Join(";", Frameworks)}</TargetFrameworks>
              <OutputType>Exe</OutputType>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            <!-- What a later target of each framework sees. -->
            <Target Name="ShowPythonHost" AfterTargets="CoreCompile">
              <Message Importance="high" Text="host[$(TargetFramework)] {string.Join("|", HostValues.Select(v => $"{v}=$({v})"))}" />
            </Target>
            """);
        project.WriteFile("Program.cs", "System.Console.WriteLine(System.AppContext.GetData(\"PythonEnv.PythonExecutable\"));\n");
        var lockPath = project.PathOf("pylock.toml");
        var venv = project.PathOf(".venv");

        var restore = project.Restore();
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());

        // What Visual Studio and C# Dev Kit run per framework: never a lock, a venv or a request to the index.
        var designTime = project.MSBuild("-t:Compile", $"-p:TargetFramework={Frameworks[0]}", "-p:DesignTimeBuild=true", "-p:BuildingProject=false",
            "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true");
        Assert.AreEqual(0, designTime.ExitCode, designTime.ToString());
        Assert.IsFalse(File.Exists(lockPath), designTime.ToString());
        Assert.IsFalse(Directory.Exists(venv), designTime.ToString());
        Assert.AreEqual(0, server.Log.Count(), "restore and design-time builds never ask the index");

        var build = project.Build("--no-restore");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual(1, Occurrences(build.Output, "+ alpha 1.0"), "locked once: " + build);
        Assert.AreEqual(1, Occurrences(build.Output, "Installed alpha 1.0"), "synced once: " + build);
        Assert.AreEqual(1, server.Log.Requests.Count(r => r.Path.EndsWith("/alpha/", StringComparison.Ordinal)), "the index was asked once");

        var expected = HostValues.ToDictionary(v => v, v => Regex.Match(build.Output, $@"host\[{Regex.Escape(Frameworks[0])}\] .*\b{v}=([^|\r\n]*)").Groups[1].Value);
        StringAssert.StartsWith(expected["PythonExecutable"], venv, build.ToString());
        Assert.IsTrue(expected.Values.All(value => value.Length > 0), build.ToString());
        AssertEveryFrameworkHas(project, build, expected);

        // A no-op build does no Python work, and every framework still gets the same values.
        var again = project.Build("--no-restore");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        Assert.IsFalse(again.Output.Contains("Installed ", StringComparison.Ordinal), again.ToString());
        AssertEveryFrameworkHas(project, again, expected);

        var clean = project.Clean();
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        Assert.IsTrue(File.Exists(lockPath), "dotnet clean leaves the lock alone");
    }

    private static void AssertEveryFrameworkHas(SdkProject project, BuildResult build, Dictionary<string, string> expected)
    {
        foreach (var framework in Frameworks)
        {
            var line = $"host[{framework}] " + string.Join("|", HostValues.Select(v => $"{v}={expected[v]}"));
            StringAssert.Contains(build.Output, line, $"{framework}'s later targets see the host values: {build}");
            var runtimeConfig = project.PathOf(Path.Combine("bin", "Debug", framework, "App.runtimeconfig.json"));
            using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            var options = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            foreach (var value in HostValues)
            {
                Assert.AreEqual(expected[value], options.GetProperty("PythonEnv." + value).GetString(), $"{value} in {runtimeConfig}");
            }
        }
    }

    private static int Occurrences(string text, string value) =>
        text.Split('\n').Count(line => line.Contains(value, StringComparison.Ordinal));
}
