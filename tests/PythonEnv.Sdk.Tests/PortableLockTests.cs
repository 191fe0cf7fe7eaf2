using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// A lock made from wheels inside the project tree records them by relative path, so it can be committed: a
/// clone elsewhere builds it in Locked mode, installs from it and exports it for pip.
/// </summary>
[TestClass]
public sealed class PortableLockTests : SdkTest
{
    [TestMethod]
    public void A_lock_of_wheels_in_the_tree_is_valid_in_another_clone()
    {
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonFindLinks>$(MSBuildProjectDirectory)/wheels</PythonFindLinks>
              <PythonOffline>true</PythonOffline>
              <PythonCacheDir>$(MSBuildProjectDirectory)/../cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            """, folder: Path.Combine("clone1", "app"), fileName: "env.proj");
        var alpha = new PackageSpec("alpha", "1.0");
        alpha.RequiresDist.Add("beta");
        alpha.Wheel().WriteTo(project.PathOf("wheels"));
        new PackageSpec("beta", "1.0").Wheel().WriteTo(project.PathOf("wheels"));

        var first = project.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        var text = File.ReadAllText(project.PathOf("pylock.toml"));
        StringAssert.Contains(text, "path = \"wheels/alpha-1.0-py3-none-any.whl\"");
        Assert.IsFalse(text.Contains(TestDirectory, StringComparison.Ordinal), "no absolute path of this clone: " + text);

        // "git clone" elsewhere: the sources, the wheels and the committed lock; no obj/, .venv or cache.
        var clone = Path.Combine(TestDirectory, "elsewhere", "clone2", "app");
        Directory.CreateDirectory(Path.Combine(clone, "wheels"));
        foreach (var file in new[] { "env.proj", "pylock.toml" }
                     .Concat(Directory.GetFiles(project.PathOf("wheels")).Select(f => Path.Combine("wheels", Path.GetFileName(f)))))
        {
            File.Copy(project.PathOf(file), Path.Combine(clone, file));
        }

        var cloned = SdkProject.Existing(clone, "env.proj");
        var ci = cloned.Build("-p:ContinuousIntegrationBuild=true");
        Assert.AreEqual(0, ci.ExitCode, ci.ToString());
        Assert.IsFalse(ci.Output.Contains("PYENV3001", StringComparison.Ordinal), ci.ToString());
        StringAssert.Contains(ci.Output, "Installed alpha 1.0", "installed from the lock's relative paths");
        Assert.AreEqual(text, File.ReadAllText(cloned.PathOf("pylock.toml")));

        var export = cloned.Build("--no-restore", "-t:PythonExportRequirements");
        Assert.AreEqual(0, export.ExitCode, export.ToString());
        var requirements = cloned.PathOf("requirements.txt");
        StringAssert.Contains(File.ReadAllText(requirements), "--find-links wheels\n");
        // Run from another folder: pip resolves the find-links line against the requirements file.
        PythonLockTests.RunPython(null, "-m", "pip", "install", "--require-hashes", "--no-deps", "--no-index", "-r", requirements,
            "--target", cloned.PathOf("target"), "--disable-pip-version-check", "--quiet");
        Assert.IsTrue(Directory.Exists(cloned.PathOf(Path.Combine("target", "beta"))));
    }
}
