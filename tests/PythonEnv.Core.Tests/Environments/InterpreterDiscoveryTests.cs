using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;

namespace PythonEnv.Core.Tests.Environments;

[TestClass]
public sealed class InterpreterDiscoveryTests
{
    /// <summary>Discovery that sees only pyenv's versions folder and the given PATH (no OS-wide locations).</summary>
    private static InterpreterDiscovery Discovery(string project, string? version = null, string? requiresPython = null, string path = "", string? pyenvRoot = null, string? interpreter = null)
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = path, ["PYENV_ROOT"] = pyenvRoot ?? TestPython.PyenvRoot, ["HOME"] = "/nonexistent" };
        return new InterpreterDiscovery(new InterpreterProbe(TestPython.ProbeCache), new DiscoveryOptions
        {
            ProjectDirectory = project,
            PythonVersion = version,
            RequiresPython = requiresPython,
            RequiresPythonSource = requiresPython is null ? null : Path.Combine(project, "pylock.toml"),
            InterpreterPath = interpreter,
            Environment = name => environment.TryGetValue(name, out var value) ? value : null,
            SearchSystemLocations = false,
        });
    }

    [TestMethod]
    public async Task Watched_paths_are_the_version_file_the_searched_folders_but_pyenv_shims_and_the_interpreter_files()
    {
        var python = await TestPython.DefaultAsync();
        var project = TestPython.TempFolder("watch");
        var versionFile = Path.Combine(project, ".python-version");
        File.WriteAllText(versionFile, python.ShortVersion + "\n");
        var pyenvRoot = TestPython.TempFolder("pyenv-root");
        var bin = Path.GetDirectoryName(python.Executable)!;
        var shims = Path.Combine(pyenvRoot, "shims");
        var discovery = Discovery(project, path: string.Join(Path.PathSeparator, shims, bin), pyenvRoot: pyenvRoot);
        var found = await discovery.FindAsync();

        var watched = discovery.WatchedPaths(found);
        CollectionAssert.IsSubsetOf(new[] { versionFile, Path.Combine(pyenvRoot, "versions"), bin, found.Executable, found.BaseExecutable }, watched.ToArray());
        CollectionAssert.DoesNotContain(watched.ToArray(), shims, "pyenv rewrites its shims after any pip install; discovery never looks there");
        if (found.LibPython is { } libpython)
        {
            CollectionAssert.Contains(watched.ToArray(), libpython);
        }

        var named = Discovery(project, interpreter: python.Executable);
        var watchedNamed = named.WatchedPaths(await named.FindAsync());
        CollectionAssert.Contains(watchedNamed.ToArray(), Path.GetFullPath(python.Executable));
        CollectionAssert.DoesNotContain(watchedNamed.ToArray(), versionFile, "an explicit PythonInterpreter ignores .python-version");
    }

    [TestMethod]
    public async Task PythonVersion_minor_picks_that_minor_from_pyenv()
    {
        var expected = await TestPython.PyenvAsync("3.12");
        var found = await Discovery(TestPython.TempFolder("disc"), version: "3.12").FindAsync();
        Assert.AreEqual(expected.Executable, found.Executable);
        Assert.AreEqual(12, found.Minor);
    }

    [TestMethod]
    public async Task PythonVersion_range_picks_the_newest_match()
    {
        await TestPython.PyenvAsync("3.11");
        var expected = await TestPython.PyenvAsync("3.12");
        var found = await Discovery(TestPython.TempFolder("disc"), version: ">=3.11,<3.13").FindAsync();
        Assert.AreEqual(expected.Version, found.Version);
    }

    [TestMethod]
    public async Task Python_version_file_above_the_project_is_used_line_by_line()
    {
        var expected = await TestPython.PyenvAsync("3.10");
        var root = TestPython.TempFolder("disc");
        var project = Path.Combine(root, "src", "App");
        Directory.CreateDirectory(project);
        // pyenv's format: several versions, the first installed one wins; comments allowed.
        File.WriteAllText(Path.Combine(root, ".python-version"), "# pinned\n3.99\n3.10\n");
        var found = await Discovery(project).FindAsync();
        Assert.AreEqual(expected.Version, found.Version);
    }

    [TestMethod]
    public async Task PythonVersion_wins_over_the_python_version_file()
    {
        var expected = await TestPython.PyenvAsync("3.11");
        await TestPython.PyenvAsync("3.10");
        var project = TestPython.TempFolder("disc");
        File.WriteAllText(Path.Combine(project, ".python-version"), "3.10\n");
        var found = await Discovery(project, version: "3.11").FindAsync();
        Assert.AreEqual(expected.Version, found.Version);
    }

    [TestMethod]
    public async Task Requires_python_filters_the_candidates()
    {
        await TestPython.PyenvAsync("3.13");
        var found = await Discovery(TestPython.TempFolder("disc"), requiresPython: ">=3.13").FindAsync();
        Assert.IsTrue(found.Minor >= 13, found.Version);
    }

    [TestMethod]
    public async Task PATH_is_searched_for_python3_X_then_python3()
    {
        var python = await TestPython.DefaultAsync();
        var bin = TestPython.TempFolder("disc-path");
        // A PATH folder holding only a versioned name: discovery must find it and report the real executable.
        File.CreateSymbolicLink(Path.Combine(bin, $"python{python.ShortVersion}"), python.Executable);
        var found = await Discovery(TestPython.TempFolder("disc"), path: bin, pyenvRoot: TestPython.TempFolder("no-pyenv")).FindAsync();
        Assert.AreEqual(python.Version, found.Version);
    }

    [TestMethod]
    public async Task Explicit_interpreter_must_satisfy_requires_python()
    {
        var python = await TestPython.DefaultAsync();
        var project = TestPython.TempFolder("disc");
        Assert.AreEqual(python.Executable, (await Discovery(project, interpreter: python.Executable).FindAsync()).Executable);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => Discovery(project, interpreter: python.Executable, requiresPython: "<3").FindAsync());
        Assert.AreEqual(DiagnosticCodes.NoInterpreter, error.Code);
        StringAssert.Contains(error.Message, "<3");
        StringAssert.Contains(error.Message, python.Version);
    }

    [TestMethod]
    public async Task No_match_is_PYENV4001_with_what_was_asked_and_what_was_found_where()
    {
        var python = await TestPython.DefaultAsync();
        var bin = TestPython.TempFolder("disc-path");
        File.CreateSymbolicLink(Path.Combine(bin, "python3"), python.Executable);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(
            () => Discovery(TestPython.TempFolder("disc"), version: "3.4", path: bin, pyenvRoot: TestPython.TempFolder("no-pyenv")).FindAsync());
        Assert.AreEqual(DiagnosticCodes.NoInterpreter, error.Code);
        StringAssert.Contains(error.Message, "asked for Python 3.4 (PythonVersion)");
        StringAssert.Contains(error.Message, $"cpython {python.Version} at {Path.Combine(bin, "python3")} (PATH)");
        StringAssert.Contains(error.Message, "PythonInterpreter");
    }

    [TestMethod]
    public void Bad_python_version_file_line_names_the_file_and_line()
    {
        var project = TestPython.TempFolder("disc");
        var file = Path.Combine(project, ".python-version");
        File.WriteAllText(file, "3.12\nnot a version!\n");
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PythonVersionFile.Read(file));
        Assert.AreEqual(file, error.File);
        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    [DataRow("3.12", "3.12.1", true)]
    [DataRow("3.12", "3.13.0", false)]
    [DataRow("3.12.1", "3.12.1", true)]
    [DataRow("3.12.1", "3.12.10", false)]
    [DataRow(">=3.11,<3.13", "3.11.7", true)]
    [DataRow(">=3.11,<3.13", "3.13.0", false)]
    [DataRow("3.13", "3.13.0rc2", true)]
    public void Version_requests_follow_PEP_440_prefix_and_specifier_rules(string request, string version, bool matches)
    {
        var parsed = InterpreterRequest.Parse(request, "PythonVersion");
        Assert.IsNotNull(parsed.Versions);
        Assert.AreEqual(matches, parsed.Versions!.Contains(PythonEnv.Packaging.Pep440Version.Parse(version), prereleases: true));
    }

    [TestMethod]
    public void Free_threaded_and_pyenv_names_are_understood()
    {
        Assert.IsTrue(InterpreterRequest.Parse("3.13t", "x").FreeThreaded);
        Assert.AreEqual("pypy3.10-7.3.12", InterpreterRequest.Parse("pypy3.10-7.3.12", "x").PyenvName);
        Assert.IsTrue(InterpreterRequest.Parse("system", "x").IsSystem);
        Assert.ThrowsExactly<PythonEnv.Packaging.PackagingFormatException>(() => InterpreterRequest.Parse("3.12 please", "x"));
    }
}
