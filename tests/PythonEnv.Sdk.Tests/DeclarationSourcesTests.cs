using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Items, pyproject.toml and a requirements file declare one project together; in Locked mode a change of
/// requires-python, indexes or environments is drift like a changed requirement.
/// </summary>
[TestClass]
public sealed class DeclarationSourcesTests : SdkTest
{
    [TestMethod]
    public async Task Items_pyproject_and_requirements_files_combine_and_Locked_mode_lists_every_input_that_drifted()
    {
        await using var server = await TestIndexServer.StartAsync();
        foreach (var (name, version) in new[] { ("alpha", "1.0"), ("alpha", "2.0"), ("beta", "1.0"), ("gamma", "1.0") })
        {
            server.Publish(new PackageSpec(name, version));
        }

        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" Version="&lt;2" />
              <PythonRequirementsFile Include="requirements.in" />
            </ItemGroup>
            """, fileName: "env.proj");
        project.WriteFile("pyproject.toml", "[project]\nname = \"app\"\nversion = \"0\"\nrequires-python = \">=3.9\"\ndependencies = [\"beta\"]\n");
        project.WriteFile("requirements.in", "# tools\nalpha>=2\ngamma\n");
        var lockPath = project.PathOf("pylock.toml");

        var conflict = project.Build();
        Assert.AreNotEqual(0, conflict.ExitCode, conflict.ToString());
        var error = conflict.WithCode("PYENV1001").SingleOrDefault();
        Assert.IsNotNull(error, conflict.ToString());
        StringAssert.Contains(error.Message, "env.proj", "the item's place");
        StringAssert.Contains(error.Message, "requirements.in(2", "the requirements file's line");
        Assert.IsFalse(File.Exists(lockPath));

        project.WriteFile("requirements.in", "# tools\ngamma\n");
        var build = project.Build("--no-restore");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEqual(new[] { "alpha 1.0", "beta 1.0", "gamma 1.0" },
            PylockReader.Load(lockPath).Packages.Select(p => $"{p.Name} {p.Version}").OrderBy(s => s, StringComparer.Ordinal).ToArray(),
            "one lock from all three sources");
        var bytes = File.ReadAllBytes(lockPath);

        const string extraIndex = "http://127.0.0.1:9/simple/";
        var locked = project.Build("--no-restore", "-p:ContinuousIntegrationBuild=true", "-p:PythonRequiresPython=>=3.11",
            $"-p:PythonExtraIndexUrls={extraIndex}", "-p:PythonEnvironments=sys_platform == 'linux'");
        Assert.AreNotEqual(0, locked.ExitCode, locked.ToString());
        // MSBuild logs each line of the message as an error of its own.
        var lines = locked.WithCode("PYENV3001").Select(e => e.Message).ToList();
        Assert.IsTrue(lines.Count > 0 && locked.Errors.All(e => e.Code == "PYENV3001"), locked.ToString());
        foreach (var difference in new[] { "~ requires-python: >=3.9 -> >=3.11", $"+ index {extraIndex}", "+ environment sys_platform == 'linux'" })
        {
            CollectionAssert.Contains(lines, difference, locked.ToString());
        }

        Assert.IsTrue(lines.Any(line => line.Contains(LockWorkflow.FixCommand, StringComparison.Ordinal)), locked.ToString());
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(lockPath), "Locked mode never writes");
    }
}
