using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// The samples as a fresh clone has them: the project files and committed pylock.toml from samples/, the wheels
/// build/build-sample-wheels.py makes into artifacts/sample-wheels. A CI build (Locked mode) finds no drift,
/// installs the locked wheels from the lock's relative paths, hash-checked, and EmbedPython embeds the venv's
/// libpython named in its runtimeconfig.json to call the locked package.
/// </summary>
[TestClass]
public sealed class SampleTests : SdkTest
{
    [TestMethod]
    [DataRow("EmbedPython", "EmbedPython.csproj", "HELLO FROM PYTHON")]
    [DataRow("PyProjectGroups", "PyProjectGroups.proj", null)]
    public void A_sample_builds_in_Locked_mode_from_its_committed_lock(string name, string projectFile, string? prints)
    {
        var project = CloneSample(name, projectFile);
        var lockPath = project.PathOf("pylock.toml");
        Assert.IsTrue(File.Exists(lockPath), $"samples/{name}/pylock.toml is committed");
        var committed = File.ReadAllBytes(lockPath);

        var build = project.Build("-p:ContinuousIntegrationBuild=true");
        Assert.AreEqual(0, build.ExitCode,
            $"samples/{name}/pylock.toml no longer matches the sample (its declarations, the lock format or the wheels built from samples/packages): " +
            $"re-lock it with ./build/run-sample.sh {name} and commit the lock.\n{build}");
        CollectionAssert.AreEqual(committed, File.ReadAllBytes(lockPath), "Locked mode never writes");
        StringAssert.Contains(build.Output, "Installed greeting 1.2.0", "installed from ../../artifacts/sample-wheels, hash-checked");
        var locked = PylockReader.Load(lockPath).Packages.Select(p => $"{p.Name} {p.Version}").ToList();
        CollectionAssert.IsSubsetOf(new[] { "greeting 1.2.0", "shout 1.0.1" }, locked, "greeting's own dependency is locked too");

        if (prints is not null)
        {
            var assembly = Directory.GetFiles(project.PathOf("bin"), Path.ChangeExtension(projectFile, ".dll"), SearchOption.AllDirectories).Single();
            var app = DotNet.Run(project.Directory, new[] { assembly });
            Assert.AreEqual(0, app.ExitCode, app.Output);
            StringAssert.Contains(app.Output, "locked by PythonEnv.Sdk", "the app imported greeting from the venv and called hello()");
            StringAssert.Contains(app.Output, prints, "greeting reached its dependency shout in the venv");
        }
    }

    /// <summary>
    /// The repository's layout: samples/&lt;name&gt;, artifacts/sample-wheels (and the stand-in indexes the wheel script lays
    /// out beside it, artifacts/sample-indexes), and the SDK version pinned in global.json.
    /// </summary>
    private SdkProject CloneSample(string name, string projectFile)
    {
        var source = Path.Combine(SdkPackage.RepoRoot, "samples", name);
        var directory = Path.Combine(TestDirectory, "samples", name);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(TestDirectory, "global.json"), $$"""{ "msbuild-sdks": { "PythonEnv.Sdk": "{{SdkPackage.Version}}" } }""");
        PythonLockTests.RunPython(null, Path.Combine(SdkPackage.RepoRoot, "build", "build-sample-wheels.py"), Path.Combine(TestDirectory, "artifacts", "sample-wheels"));
        return SdkProject.Existing(directory, projectFile);
    }

    [TestMethod]
    public void TorchCuda_builds_in_Locked_mode_with_each_torch_build_from_its_pinned_index_and_this_machines_build_installed()
    {
        var project = CloneSample("TorchCuda", "TorchCuda.proj");
        var lockPath = project.PathOf("pylock.toml");
        var committed = File.ReadAllBytes(lockPath);

        var build = project.Build("-p:ContinuousIntegrationBuild=true");

        Assert.AreEqual(0, build.ExitCode, $"samples/TorchCuda/pylock.toml no longer matches the sample: re-lock it with ./build/run-sample.sh TorchCuda and commit the lock.\n{build}");
        CollectionAssert.AreEqual(committed, File.ReadAllBytes(lockPath), "Locked mode never writes");
        var locked = PylockReader.Load(lockPath).Packages.Select(p => $"{p.Name} {p.Version} ; {p.Marker} ; {(p.Wheels.Count > 0 ? p.Wheels[0].Path : null)}").ToList();
        CollectionAssert.AreEquivalent(
            new[]
            {
                "numpy 1.26.4 ;  ; ../../artifacts/sample-wheels/numpy-1.26.4-py3-none-any.whl",
                "torch 2.2.0+cpu ; sys_platform == \"darwin\" ; ../../artifacts/sample-indexes/cpu/torch/torch-2.2.0+cpu-py3-none-macosx_10_9_x86_64.whl",
                "torch 2.2.0+cu121 ; sys_platform == \"linux\" or sys_platform == \"win32\" ; ../../artifacts/sample-indexes/cu121/torch/torch-2.2.0+cu121-py3-none-manylinux_2_17_aarch64.whl",
            },
            locked, string.Join("\n", locked));
        StringAssert.Contains(build.Output, OperatingSystem.IsMacOS() ? "Installed torch 2.2.0+cpu" : "Installed torch 2.2.0+cu121");
        StringAssert.Contains(build.Output, "Installed numpy 1.26.4", "numpy from the default source, not the newer decoy on the PyTorch indexes");
    }
}
