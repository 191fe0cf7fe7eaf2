using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>A project that is only a Python environment (<c>&lt;Project Sdk="PythonEnv.Sdk/…"&gt;</c>).</summary>
[TestClass]
public sealed class PythonOnlyProjectTests : SdkTest
{
    [TestMethod]
    public void Restores_builds_and_cleans_as_a_proj_file()
    {
        // No index here, so no lock (PythonLockTests cover locking).
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonLockMode>Frozen</PythonLockMode>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="requests" Version=">=2" />
            </ItemGroup>
            """, fileName: "env.proj");

        var restore = project.Restore();
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        Assert.IsTrue(File.Exists(project.PathOf(Path.Combine("obj", "project.assets.json"))), restore.ToString());

        var build = project.Build("--no-restore");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual(0, build.Diagnostics.Count, build.ToString());

        var clean = project.Clean();
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        Assert.AreEqual(0, clean.Diagnostics.Count, clean.ToString());
    }
}
