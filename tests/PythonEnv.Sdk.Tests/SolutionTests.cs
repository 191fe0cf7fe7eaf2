using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Many projects, one Python story (issue 14): a solution built with <c>dotnet build -m</c> where a library's Python
/// requirements flow through ProjectReference into the apps and tests that reference it (transitively, opt-out per
/// reference), central versions in Directory.Packages.props move every project, a contradiction names both places,
/// and a library packed with <c>dotnet pack</c> carries its requirements to a consumer through a local feed.
/// </summary>
[TestClass]
public sealed class SolutionTests : SdkTest
{
    [TestMethod]
    public async Task Library_requirements_flow_to_apps_and_tests_central_versions_move_all_and_conflicts_name_both_places()
    {
        await using var server = await TestIndexServer.StartAsync();
        foreach (var (name, version) in new[] { ("alpha", "1.0"), ("alpha", "2.0"), ("beta", "1.0"), ("gamma", "1.0"), ("delta", "1.0"), ("zeta", "1.0") })
        {
            server.Publish(new PackageSpec(name, version));
        }

        var settings = $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>{Path.Combine(TestDirectory, "cache")}</PythonCacheDir>
            </PropertyGroup>
            """;
        var central = Path.Combine(TestDirectory, "Directory.Packages.props");
        File.WriteAllText(central, """
            <Project>
              <ItemGroup>
                <PythonPackageVersion Include="alpha" Version="==1.0" />
              </ItemGroup>
            </Project>
            """);
        // The library: an item and a pyproject.toml (whose dev group is its own and does not flow).
        var lib = NewProject(SdkUsage.SdkElement, settings + """
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            """, "Lib", "Lib.csproj");
        lib.WriteFile("pyproject.toml", """
            [project]
            name = "lib"
            version = "1.0"
            requires-python = ">=3.8"
            dependencies = ["gamma>=1"]

            [dependency-groups]
            dev = ["zeta"]
            """);
        var app1 = NewProject(SdkUsage.SdkElement, settings + """
            <ItemGroup>
              <ProjectReference Include="../Lib/Lib.csproj" />
              <PythonPackage Include="beta" />
            </ItemGroup>
            """, "App1", "App1.csproj");
        // Declares nothing of its own: like a NuGet dependency, the library's requirements still make its environment.
        var app2 = NewProject(SdkUsage.PackageReference, settings + """
            <ItemGroup>
              <ProjectReference Include="../Lib/Lib.csproj" />
            </ItemGroup>
            """, "App2", "App2.csproj");
        // A test project: App1's own requirements are kept out (PythonDependencies="false"), the library's come through App2.
        var tests = NewProject(SdkUsage.SdkElement, settings + """
            <PropertyGroup>
              <IsTestProject>true</IsTestProject>
            </PropertyGroup>
            <ItemGroup>
              <ProjectReference Include="../App1/App1.csproj" PythonDependencies="false" />
              <ProjectReference Include="../App2/App2.csproj" />
              <PythonPackage Include="delta" />
            </ItemGroup>
            """, "Tests", "Tests.csproj");
        var solution = Solution(lib, app1, app2, tests);

        var build = solution.Build("-m");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "gamma 1.0", "zeta 1.0" }, Locked(lib), "the library's own lock has its dev group");
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "beta 1.0", "gamma 1.0" }, Locked(app1), "the app's lock has the library's main dependencies, not its dev group");
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "gamma 1.0" }, Locked(app2));
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "delta 1.0", "gamma 1.0" }, Locked(tests), "transitive through App2, App1's own opted out");
        Assert.IsTrue(Installed(app2, "alpha") && Installed(app2, "gamma"), "the app's venv holds the library's packages: " + build);

        var noOp = solution.Build("-m");
        Assert.AreEqual(0, noOp.ExitCode, noOp.ToString());
        Assert.IsFalse(noOp.Output.Contains("PythonLock: wrote", StringComparison.Ordinal) || noOp.Output.Contains("Installed ", StringComparison.Ordinal), noOp.ToString());

        // One central version moves every project.
        File.WriteAllText(central, File.ReadAllText(central).Replace("==1.0", "==2.0", StringComparison.Ordinal));
        var moved = solution.Build("-m");
        Assert.AreEqual(0, moved.ExitCode, moved.ToString());
        foreach (var project in new[] { lib, app1, app2, tests })
        {
            CollectionAssert.Contains(Locked(project), "alpha 2.0", $"{project.ProjectPath}: {moved}");
        }

        // Contradictions name both places: the app's declaration against the library's pyproject.toml, and against the central version.
        File.WriteAllText(app1.ProjectPath, File.ReadAllText(app1.ProjectPath).Replace("""<PythonPackage Include="beta" />""",
            "<PythonPackage Include=\"beta\" />\n    <PythonPackage Include=\"gamma\" Version=\"&lt;1\" />\n    <PythonPackage Include=\"alpha\" Version=\"&gt;=3\" />", StringComparison.Ordinal));
        var conflict = solution.Build("-m");
        Assert.AreNotEqual(0, conflict.ExitCode, conflict.ToString());
        var twice = conflict.WithCode("PYENV1001").FirstOrDefault(d => d.Message.Contains("gamma", StringComparison.Ordinal));
        Assert.IsNotNull(twice, conflict.ToString());
        StringAssert.Contains(twice.Message, $"{app1.ProjectPath}({app1.LineOf("\"gamma\"")},", twice.ToString());
        StringAssert.Contains(twice.Message, $"{lib.PathOf("pyproject.toml")}(5", twice.ToString());
        StringAssert.Contains(twice.Message, "from project Lib", twice.ToString());
        var contradiction = conflict.WithCode("PYENV1020").FirstOrDefault();
        Assert.IsNotNull(contradiction, conflict.ToString());
        Assert.AreEqual(app1.ProjectPath, contradiction.File, contradiction.ToString());
        Assert.AreEqual(app1.LineOf("&gt;=3"), contradiction.Line, contradiction.ToString());
        StringAssert.Contains(contradiction.Message, $"{central}(3,", contradiction.ToString());
        Assert.IsFalse(conflict.Errors.Any(e => e.Code.StartsWith("PYENV", StringComparison.Ordinal) && e.File.Contains("PythonEnv.Sdk", StringComparison.OrdinalIgnoreCase)),
            "every error is at a user file: " + conflict);
    }

    [TestMethod]
    public async Task A_packed_library_carries_its_python_requirements_to_a_consumer()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        server.Publish(new PackageSpec("alpha", "2.0"));
        server.Publish(new PackageSpec("beta", "1.0"));
        var feed = Path.Combine(TestDirectory, "feed");
        // The library only declares (no environment of its own); its package carries alpha<2 and a constraint.
        var lib = NewProject(SdkUsage.PackageReference, """
            <PropertyGroup>
              <PackageId>Contoso.PyLib</PackageId>
              <Version>1.2.0</Version>
              <PythonEnvironmentEnabled>false</PythonEnvironmentEnabled>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" Version="&lt;2" Marker="python_version &gt;= '3.8'" />
              <PythonPackage Include="zeta" Group="dev" />
            </ItemGroup>
            """, "Lib", "Lib.csproj");
        var pack = lib.Run("pack", "-o", feed);
        Assert.AreEqual(0, pack.ExitCode, pack.ToString());

        var consumer = NewProject(SdkUsage.PackageReference, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PackageReference Include="Contoso.PyLib" Version="1.2.0" />
              <PythonPackage Include="beta" />
            </ItemGroup>
            """, "Consumer", "Consumer.csproj");
        var config = consumer.PathOf("nuget.config");
        File.WriteAllText(config, File.ReadAllText(config)
            .Replace("<clear />", $"<clear />\n    <add key=\"local\" value=\"{feed}\" />", StringComparison.Ordinal)
            .Replace("</packageSourceMapping>", "  <packageSource key=\"local\"><package pattern=\"Contoso.PyLib\" /></packageSource>\n  </packageSourceMapping>", StringComparison.Ordinal));

        var build = consumer.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "beta 1.0" }, Locked(consumer), "the package's requirement (alpha<2) is locked with the consumer's own; its dev group stays behind");
        Assert.IsTrue(Installed(consumer, "alpha"), build.ToString());

        // A requirement of the consumer that the package's contradicts names the package.
        File.WriteAllText(consumer.ProjectPath, File.ReadAllText(consumer.ProjectPath).Replace("""<PythonPackage Include="beta" />""",
            """<PythonPackage Include="alpha" Version="&gt;=2" />""", StringComparison.Ordinal));
        var conflict = consumer.Build();
        Assert.AreNotEqual(0, conflict.ExitCode, conflict.ToString());
        var error = conflict.Errors.FirstOrDefault(e => e.Code is "PYENV1001" or "PYENV2001");
        Assert.IsNotNull(error, conflict.ToString());
        StringAssert.Contains(error.Message, "package Contoso.PyLib 1.2.0", error.ToString());
    }

    [TestMethod]
    public async Task Projects_sharing_a_lock_resolve_together_lock_once_under_m_and_install_only_their_own()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        server.Publish(new PackageSpec("alpha", "2.0"));
        server.Publish(new PackageSpec("beta", "1.0"));
        // What a repository puts beside its shared lock (here imported, as the harness isolates each project folder).
        File.WriteAllText(Path.Combine(TestDirectory, "shared.props"), $"""
            <Project>
              <PropertyGroup>
                <PythonSharedLock>$(MSBuildThisFileDirectory)</PythonSharedLock>
                <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
                <PythonCacheDir>$(MSBuildThisFileDirectory)cache</PythonCacheDir>
              </PropertyGroup>
              <ItemGroup>
                <PythonSharedLockProject Include="$(MSBuildThisFileDirectory)*/*.csproj" />
              </ItemGroup>
            </Project>
            """);
        // Alone, First would lock alpha 2.0; together with Second (alpha<2) the set agrees on 1.0.
        var first = NewProject(SdkUsage.SdkElement, """
            <Import Project="../shared.props" />
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            """, "First", "First.csproj");
        var second = NewProject(SdkUsage.PackageReference, """
            <Import Project="../shared.props" />
            <ItemGroup>
              <PythonPackage Include="alpha" Version="&lt;2" />
              <PythonPackage Include="beta" />
            </ItemGroup>
            """, "Second", "Second.csproj");
        var solution = Solution(first, second);
        var sharedLock = Path.Combine(TestDirectory, "pylock.toml");

        var build = solution.Build("-m");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual(1, Regex.Count(build.Output, "PythonLock: wrote "), "one resolution for the set: " + build);
        Assert.AreEqual(1, server.Log.Requests.Count(r => r.Path.EndsWith("/alpha/", StringComparison.Ordinal)), "the index was asked once");
        Assert.IsFalse(File.Exists(first.PathOf("pylock.toml")) || File.Exists(second.PathOf("pylock.toml")), "no lock of their own");
        var text = File.ReadAllText(sharedLock);
        StringAssert.Contains(text, "dependency-groups = [\"first\", \"second\"]", "one dependency group per project");
        CollectionAssert.AreEquivalent(new[] { "alpha 1.0", "beta 1.0" }, Regex.Matches(text, "^name = \"([^\"]+)\"\\s*version = \"([^\"]+)\"", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList(), "resolved together");
        Assert.IsTrue(Installed(first, "alpha") && !Installed(first, "beta"), "First installs only its group");
        Assert.IsTrue(Installed(second, "alpha") && Installed(second, "beta"), build.ToString());

        var noOp = solution.Build("-m");
        Assert.AreEqual(0, noOp.ExitCode, noOp.ToString());
        Assert.IsFalse(noOp.Output.Contains("PythonLock: wrote", StringComparison.Ordinal) || noOp.Output.Contains("Installed ", StringComparison.Ordinal), noOp.ToString());
    }

    /// <summary>A solution (All.slnx) of the projects, built as one with <c>dotnet build -m</c>.</summary>
    private SdkProject Solution(params SdkProject[] projects)
    {
        var entries = projects.Select(p => $"  <Project Path=\"{Path.GetRelativePath(TestDirectory, p.ProjectPath).Replace('\\', '/')}\" />");
        File.WriteAllText(Path.Combine(TestDirectory, "All.slnx"), "<Solution>\n" + string.Join("\n", entries) + "\n</Solution>\n");
        return SdkProject.Existing(TestDirectory, "All.slnx");
    }

    /// <summary>The locked packages, as "name version".</summary>
    private static List<string> Locked(SdkProject project) =>
        Regex.Matches(File.ReadAllText(project.PathOf("pylock.toml")), "^\\[\\[packages\\]\\]\\s*name = \"([^\"]+)\"\\s*version = \"([^\"]+)\"", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")
            .ToList();

    private static bool Installed(SdkProject project, string name) =>
        Directory.Exists(project.PathOf(".venv"))
        && Directory.EnumerateDirectories(project.PathOf(".venv"), name + "-*.dist-info", SearchOption.AllDirectories).Any();
}
