using System.IO;
using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Core.Tests.Environments;
using PythonEnv.Diagnostics;
using PythonEnv.Interpreters;

namespace PythonEnv.Core.Tests.Interpreters;

/// <summary>PythonSelfContained: the managed interpreter copied into the published environment, the runtimeconfig pointing at it.</summary>
[TestClass]
public sealed class PublishedInterpreterTests
{
    private const string RuntimeConfig = """{ "runtimeOptions": { "configProperties": { "PythonEnv.PythonPrefix": "python" } } }""";

    /// <summary>A managed build's folder as an install leaves it (the marker names it), with a site-packages of its own.</summary>
    private static string FakeBuild(string folder)
    {
        var build = new PythonBuild("cpython", 3, 12, 6, "", BuildPlatform.Of("linux", "x86_64", "gnu"), "https://example.test/download/20240909/x.tar.gz", new string('a', 64));
        var home = Path.Combine(folder, build.Key);
        Directory.CreateDirectory(Path.Combine(home, "bin"));
        Directory.CreateDirectory(Path.Combine(home, "lib", "python3.12", "site-packages", "pip"));
        File.WriteAllText(Path.Combine(home, "bin", "python3"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(home, "lib", "libpython3.12.so.1.0"), "elf");
        File.WriteAllText(Path.Combine(home, "lib", "python3.12", "os.py"), "# os\n");
        File.WriteAllText(Path.Combine(home, "lib", "python3.12", "site-packages", "pip", "__init__.py"), "");
        File.WriteAllText(Path.Combine(home, ManagedInterpreters.MarkerFile),
            $$"""{"key":"{{build.Key}}","implementation":"cpython","major":3,"minor":12,"patch":6,"prerelease":"","os":"linux","arch":"x86_64","libc":"gnu","url":"{{build.Url}}","sha256":"{{build.Sha256}}","release":"20240909"}""");
        return home;
    }

    [TestMethod]
    public void The_interpreter_is_copied_without_its_own_packages_and_the_runtimeconfig_points_at_the_copy_relative_to_the_app()
    {
        var folder = TestPython.TempFolder("published-interpreter");
        var home = FakeBuild(folder);
        var environment = Path.Combine(folder, "staging", "python");
        Directory.CreateDirectory(environment);
        File.WriteAllText(Path.Combine(environment, "pyvenv.cfg"), "version = 3.12.6\n");
        var config = Path.Combine(folder, "staging", "App.runtimeconfig.json");
        File.WriteAllText(config, RuntimeConfig);

        var files = PublishedInterpreter.Stage(home, Path.Combine(home, "lib", "libpython3.12.so.1.0"), environment, "python", config, "App.csproj");

        Assert.AreEqual(3, files.Count, string.Join(", ", System.Linq.Enumerable.Select(files, f => f.RelativePath)));
        Assert.IsTrue(File.Exists(Path.Combine(environment, "lib", "python3.12", "os.py")));
        Assert.IsFalse(Directory.Exists(Path.Combine(environment, "lib", "python3.12", "site-packages", "pip")), "the build's own pip is not the app's");
        Assert.IsFalse(File.Exists(Path.Combine(environment, ManagedInterpreters.MarkerFile)));
        Assert.IsFalse(File.Exists(Path.Combine(environment, "pyvenv.cfg")), "a whole installation now, not a venv");
        var properties = JsonNode.Parse(File.ReadAllText(config))!["runtimeOptions"]!["configProperties"]!;
        Assert.AreEqual("python", (string?)properties["PythonEnv.PythonHome"]);
        Assert.AreEqual("python/lib/libpython3.12.so.1.0", (string?)properties["PythonEnv.PythonLibrary"]);
        Assert.AreEqual("python/bin/python3", (string?)properties["PythonEnv.PythonExecutable"]);
    }

    [TestMethod]
    public void An_interpreter_the_SDK_did_not_install_is_PYENV7008_and_another_platforms_RID_is_PYENV6005()
    {
        var folder = TestPython.TempFolder("published-interpreter-errors");
        var config = Path.Combine(folder, "App.runtimeconfig.json");
        File.WriteAllText(config, RuntimeConfig);
        var installed = Assert.ThrowsExactly<PythonEnvException>(() => PublishedInterpreter.Stage("/usr", "", Path.Combine(folder, "python"), "python", config, "App.csproj"));
        Assert.AreEqual(DiagnosticCodes.SelfContainedNeedsManagedInterpreter, installed.Code);
        Assert.AreEqual("App.csproj", installed.File);

        var home = FakeBuild(folder);
        foreach (var rid in new[] { "osx-arm64", "win-x64", "linux-arm64", "linux-musl-x64" })
        {
            var other = Assert.ThrowsExactly<PythonEnvException>(() => PublishedInterpreter.Stage(home, "", Path.Combine(folder, "python"), "python", config, "App.csproj", rid));
            Assert.AreEqual(DiagnosticCodes.PublishPlatformMismatch, other.Code, rid);
            StringAssert.Contains(other.Message, rid);
        }

        Assert.IsTrue(PublishedInterpreter.Stage(home, "", Path.Combine(folder, "python"), "python", config, "App.csproj", "linux-x64").Count > 0);
    }
}
