using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Hosts;

namespace PythonEnv.Core.Tests.Hosts;

/// <summary>The app side of the host values: a build's absolute values as they are; a publish's relative ones against the app folder.</summary>
[TestClass]
public sealed class PythonHostConfigurationTests
{
    private static readonly string App = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "published-app"));

    [TestMethod]
    public void A_builds_values_are_used_as_they_are()
    {
        var values = new Dictionary<string, string>
        {
            ["PythonExecutable"] = "/src/app/.venv/bin/python",
            ["PythonBaseExecutable"] = "/opt/python/bin/python3.12",
            ["PythonLibrary"] = "/opt/python/lib/libpython3.12.so.1.0",
            ["PythonHome"] = "/opt/python",
            ["PythonPrefix"] = "/src/app/.venv",
            ["PythonSitePackages"] = "/src/app/.venv/lib/python3.12/site-packages",
            ["PythonInterpreterVersion"] = "3.12.1",
        };
        var python = PythonHostConfiguration.From(n => values.TryGetValue(n, out var v) ? v : null, App, _ => throw new AssertFailedException("never looked up"));
        Assert.AreEqual("/opt/python/lib/libpython3.12.so.1.0", python.Library);
        Assert.AreEqual(Path.GetFullPath("/src/app/.venv/bin/python"), python.ProgramName);
        Assert.AreEqual("/opt/python", python.Home);
        Assert.AreEqual(Path.GetFullPath("/src/app/.venv"), python.Prefix);
    }

    [TestMethod]
    public void A_published_app_resolves_its_paths_against_its_folder_and_finds_the_locked_version_on_the_machine()
    {
        var values = Published();
        string? asked = null;
        var python = PythonHostConfiguration.From(n => values.TryGetValue(n, out var v) ? v : null, App, version =>
        {
            asked = version;
            return new InstalledPython("/usr/bin/python3.12", "3.12", "/usr", "/usr/lib/libpython3.12.so.1.0");
        });
        Assert.AreEqual("3.12", asked, "the locked X.Y, any patch release");
        Assert.AreEqual(Path.Combine(App, "python"), python.Prefix);
        Assert.AreEqual(Path.Combine(App, "python", "bin", "python"), python.ProgramName);
        Assert.AreEqual(Path.Combine(App, "python", "lib", "python3.12", "site-packages"), python.SitePackages);
        Assert.AreEqual("/usr", python.Home);
        Assert.AreEqual("/usr/lib/libpython3.12.so.1.0", python.Library);
    }

    [TestMethod]
    public void A_published_app_without_its_Python_says_which_version_to_install()
    {
        var values = Published();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => PythonHostConfiguration.From(n => values.TryGetValue(n, out var v) ? v : null, App, _ => null));
        StringAssert.Contains(error.Message, "needs Python 3.12");
        StringAssert.Contains(error.Message, PythonHostConfiguration.InterpreterVariable);
    }

    [TestMethod]
    public void A_build_with_an_interpreter_without_libpython_names_it()
    {
        var values = Published();
        values["PythonBaseExecutable"] = "/usr/local/bin/python3.12";
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => PythonHostConfiguration.From(n => values.TryGetValue(n, out var v) ? v : null, App, _ => null));
        StringAssert.Contains(error.Message, "/usr/local/bin/python3.12");
        StringAssert.Contains(error.Message, "--enable-shared");
    }

    [TestMethod]
    public void Missing_values_say_how_to_get_them()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => PythonHostConfiguration.From(_ => null, App, _ => null));
        StringAssert.Contains(error.Message, "PythonEnv.PythonInterpreterVersion");
        StringAssert.Contains(error.Message, "PythonEnv.Sdk");
    }

    [TestMethod]
    public void The_state_file_carries_every_host_value_by_name()
    {
        var values = Published();
        var text = SyncState.Write("1|2", values);
        CollectionAssert.AreEqual(new[] { "1", "2" }, (System.Collections.ICollection)SyncState.Observed(text));
        var read = SyncState.Values(text);
        CollectionAssert.AreEquivalent((System.Collections.ICollection)HostValues.All, (System.Collections.ICollection)read.Keys);
        Assert.AreEqual("python/lib/python3.12/site-packages", read["PythonSitePackages"]);
        Assert.IsFalse(SyncState.CanRecord("/a;b"), "MSBuild would split it");
    }

    private static Dictionary<string, string> Published() => new()
    {
        ["PythonExecutable"] = "python/bin/python",
        ["PythonPrefix"] = "python",
        ["PythonSitePackages"] = "python/lib/python3.12/site-packages",
        ["PythonInterpreterVersion"] = "3.12.1",
    };
}
