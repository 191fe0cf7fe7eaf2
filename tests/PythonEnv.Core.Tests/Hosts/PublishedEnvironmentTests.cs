using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Hosts;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Hosts;

[TestClass]
public sealed class PublishedEnvironmentTests
{
    [TestMethod]
    [DataRow("linux-x64", "linux", "x86_64")]
    [DataRow("linux-musl-arm64", "linux", "aarch64")]
    [DataRow("win-x64", "win32", "AMD64")]
    [DataRow("osx-arm64", "darwin", "arm64")]
    public void A_runtime_identifier_is_a_platform_in_marker_terms(string rid, string sysPlatform, string machine)
    {
        var platform = RuntimePlatform.FromRid(rid)!;
        Assert.AreEqual(sysPlatform, platform.SysPlatform);
        Assert.AreEqual(machine, platform.Machine);
    }

    [TestMethod]
    public void Portable_identifiers_fix_no_platform() => Assert.IsNull(RuntimePlatform.FromRid("any"));

    [TestMethod]
    public void A_RID_the_locks_environments_exclude_is_PYENV6004()
    {
        var lockFile = new PylockFile { Environments = new[] { "sys_platform == 'linux'", "sys_platform == 'darwin'" } };
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PublishedEnvironment.CheckPlatform(lockFile, "/p/pylock.toml", "3.12.1", "win-x64", new string[0]));
        Assert.AreEqual("PYENV6004", error.Code);
        StringAssert.Contains(error.Message, "win-x64");
        Assert.AreEqual("/p/pylock.toml", error.File);
    }

    [TestMethod]
    public void A_RID_the_lock_covers_passes()
    {
        var lockFile = new PylockFile { Environments = new[] { "sys_platform == 'linux' and python_version >= '3.11'" } };
        var current = RuntimePlatform.Current()!;
        PublishedEnvironment.CheckPlatform(lockFile, "/p/pylock.toml", "3.12.1", current.Rid, new string[0]);
        PublishedEnvironment.CheckPlatform(new PylockFile(), "/p/pylock.toml", "3.12.1", "win-arm64", new string[0]);
    }

    [TestMethod]
    public void Native_code_for_this_machine_does_not_publish_for_another_platform_PYENV6005()
    {
        var distInfo = Path.Combine(Path.GetTempPath(), "pythonenv-native-" + System.Guid.NewGuid().ToString("N"), "native-1.0.dist-info");
        Directory.CreateDirectory(distInfo);
        File.WriteAllText(Path.Combine(distInfo, "WHEEL"), "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\n");
        var other = RuntimePlatform.Current()!.SysPlatform == "win32" ? "linux-x64" : "win-x64";
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PublishedEnvironment.CheckPlatform(new PylockFile(), "/p/pylock.toml", "3.12.1", other, new[] { distInfo }));
        Assert.AreEqual("PYENV6005", error.Code);
        StringAssert.Contains(error.Message, "native-1.0.dist-info");
        Directory.Delete(Path.GetDirectoryName(distInfo)!, recursive: true);
    }

    [TestMethod]
    public void The_published_runtimeconfig_has_relative_paths_and_nothing_of_the_build_machine()
    {
        var json = """
            { "runtimeOptions": { "tfm": "net10.0", "configProperties": {
                "PythonEnv.PythonLibrary": "/opt/python/lib/libpython3.12.so",
                "PythonEnv.PythonHome": "/opt/python", "PythonEnv.PythonBaseExecutable": "/opt/python/bin/python3.12",
                "System.GC.Server": false } } }
            """;
        var prefix = Path.GetFullPath("/src/app/.venv");
        var values = new Dictionary<string, string>
        {
            ["PythonExecutable"] = Path.Combine(prefix, "bin", "python"),
            ["PythonPrefix"] = prefix,
            ["PythonSitePackages"] = Path.Combine(prefix, "lib", "python3.12", "site-packages"),
            ["PythonInterpreterVersion"] = "3.12.1",
        };
        var properties = JsonNode.Parse(PublishedEnvironment.RelativeRuntimeConfig(json, values, prefix, "python"))!["runtimeOptions"]!["configProperties"]!.AsObject();
        Assert.AreEqual("python/bin/python", (string?)properties["PythonEnv.PythonExecutable"]);
        Assert.AreEqual("python", (string?)properties["PythonEnv.PythonPrefix"]);
        Assert.AreEqual("python/lib/python3.12/site-packages", (string?)properties["PythonEnv.PythonSitePackages"]);
        Assert.AreEqual("3.12.1", (string?)properties["PythonEnv.PythonInterpreterVersion"]);
        Assert.IsFalse(properties.ContainsKey("PythonEnv.PythonLibrary"));
        Assert.IsFalse(properties.ContainsKey("PythonEnv.PythonHome"));
        Assert.IsFalse(properties.ContainsKey("PythonEnv.PythonBaseExecutable"));
        Assert.AreEqual(false, (bool?)properties["System.GC.Server"], "the app's other settings are kept");
    }
}
