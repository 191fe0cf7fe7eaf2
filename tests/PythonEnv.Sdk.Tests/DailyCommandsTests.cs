using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// The daily loop through `dotnet build`: PythonTree and PythonWhy (uv tree), PythonOutdated (uv pip list --outdated),
/// lists on the command line, PythonRun (uv run), progress of a slow download, PythonCachePrune and PythonCacheClean.
/// </summary>
[TestClass]
public sealed class DailyCommandsTests : SdkTest
{
    [TestMethod]
    public async Task Tree_why_and_outdated_read_the_lock_and_a_comma_list_upgrades_from_the_command_line()
    {
        await using var server = await TestIndexServer.StartAsync();
        var web = new PackageSpec("web", "1.0");
        web.RequiresDist.Add("urllib3>=1");
        web.RequiresDist.Add("idna");
        var tool = new PackageSpec("tool", "1.0");
        tool.RequiresDist.Add("urllib3");
        foreach (var spec in new[] { web, tool, new PackageSpec("urllib3", "1.0"), new PackageSpec("idna", "1.0") })
        {
            server.Publish(spec.Wheel());
        }
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
              <PythonEnvironments>sys_platform == 'linux'</PythonEnvironments>
              <PythonRequiresPython>&gt;=3.8</PythonRequiresPython>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="web" />
              <PythonPackage Include="tool" Group="dev" />
            </ItemGroup>
            """, fileName: "env.proj");

        var tree = project.Build("-t:PythonTree");

        Assert.AreEqual(0, tree.ExitCode, tree.ToString());
        foreach (var line in new[] { "env", "├── web v1.0", "│   ├── idna v1.0", "│   └── urllib3 v1.0", "└── tool v1.0 (group: dev)", "    └── urllib3 v1.0" })
        {
            StringAssert.Contains(tree.Output, "  " + line + "\n", "PythonTree locks first (Update mode), then prints the graph");
        }

        var why = project.Build("--no-restore", "-t:PythonTree", "-p:PythonWhy=URLLIB3");

        Assert.AreEqual(0, why.ExitCode, why.ToString());
        foreach (var line in new[] { "urllib3 v1.0", "│   └── env (requires tool; group: dev)", "└── web v1.0", "    └── env (requires web)" })
        {
            StringAssert.Contains(why.Output, line, why.ToString());
        }
        var missing = project.Build("--no-restore", "-t:PythonTree", "-p:PythonWhy=numpy");
        Assert.AreEqual("PYENV1033", missing.Errors.Single().Code, missing.ToString());

        server.Publish(new PackageSpec("urllib3", "2.0").Wheel());
        server.Publish(new PackageSpec("urllib3", "2.1b1").Wheel());
        server.Publish(new PackageSpec("idna", "1.1").Wheel("cp312-cp312-win_amd64"));
        var before = Snapshot(project);

        var outdated = project.Build("--no-restore", "-t:PythonOutdated");

        Assert.AreEqual(0, outdated.ExitCode, outdated.ToString());
        StringAssert.Matches(outdated.Output, new Regex(@"urllib3\s+1\.0\s+2\.0\s*\n"), "the newest final release");
        Assert.IsFalse(Regex.IsMatch(outdated.Output, @"\bidna\s+1\.0"), "idna 1.1 has no file for the lock's environments (linux):\n" + outdated.Output);
        Assert.AreEqual(before, Snapshot(project), "PythonOutdated changes nothing: the lock and obj/ are byte-identical");

        // MSBuild splits -p: values at ',' and ';' unless they are quoted for it.
        var upgrade = project.Build("--no-restore", "-t:PythonLock", "-p:PythonUpgrade=\"urllib3,idna\"");

        Assert.AreEqual(0, upgrade.ExitCode, upgrade.ToString());
        StringAssert.Contains(upgrade.Output, "~ urllib3 1.0 -> 2.0");
        CollectionAssert.AreEqual(new[] { "idna 1.0", "tool 1.0", "urllib3 2.0", "web 1.0" },
            PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}").OrderBy(s => s).ToArray());
    }

    [TestMethod]
    public async Task A_slow_download_reports_progress_run_passes_the_exit_code_through_and_the_cache_is_pruned_and_cleaned()
    {
        await using var server = await TestIndexServer.StartAsync();
        var big = new PackageSpec("big", "1.0");
        // Incompressible, so the wheel is as large as its content: about 1.5 MB at 512 KiB/s takes three seconds.
        var random = new Random(15);
        var noise = new byte[1_100_000];
        random.NextBytes(noise);
        big.Purelib["big_blob.txt"] = Convert.ToBase64String(noise);
        server.Publish(big.Wheel());
        server.Switches.FileBytesPerSecond = 512 * 1024;
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="big" />
            </ItemGroup>
            """, fileName: "env.proj");
        project.WriteFile("train.py", """
            import os, sys, big
            print("prefix=" + sys.prefix)
            print("virtual-env=" + os.environ["VIRTUAL_ENV"])
            print("host-library-variable=" + ("set" if "PYTHONENV_PYTHON_LIBRARY" in os.environ else "missing"))
            print("args=" + "|".join(sys.argv[1:]))
            print(big.hello())
            if "fail" in sys.argv:
                print("failing on purpose", file=sys.stderr)
                sys.exit(3)
            """);

        var build = BuildWithNormalLog(project, out var log);

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        StringAssert.Matches(log, new Regex(@"PythonSync: Downloading big-1\.0-py3-none-any\.whl: [0-9.]+ [KM]iB of 1\.[0-9] MiB \([0-9.]+ [KM]iB/s\)"), "progress of the running download:\n" + log);
        StringAssert.Matches(log, new Regex(@"PythonSync: download: 1 file, 1\.[0-9] MiB in [0-9]+\.[0-9] s"));
        StringAssert.Matches(log, new Regex(@"PythonSync: unpack: 1 wheel in [0-9]+\.[0-9] s"));
        StringAssert.Matches(log, new Regex(@"PythonSync: link: 1 package in [0-9]+\.[0-9] s"));
        StringAssert.Matches(log, new Regex(@"PythonLock: resolve: in [0-9]+\.[0-9] s"));
        Assert.IsFalse(build.Output.Contains("Downloading", StringComparison.Ordinal), "progress is for normal verbosity, not minimal");

        var noOp = BuildWithNormalLog(project, out var noOpLog, "--no-restore");
        Assert.AreEqual(0, noOp.ExitCode, noOp.ToString());
        Assert.IsFalse(Regex.IsMatch(noOpLog, "Downloading|download:|unpack:|link:|resolve:"), "nothing changed, nothing to report:\n" + noOpLog);
        Assert.IsFalse(Regex.IsMatch(noOp.Output, "PythonSync|PythonLock"), "the no-op build says nothing at minimal verbosity:\n" + noOp.Output);

        var run = project.Build("--no-restore", "-t:PythonRun", "-p:PythonScript=train.py", "-p:PythonArguments=--epochs 2 'a b'");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var venv = project.PathOf(".venv");
        StringAssert.Contains(run.Output, "prefix=" + venv);
        StringAssert.Contains(run.Output, "virtual-env=" + venv);
        StringAssert.Contains(run.Output, "host-library-variable=set");
        StringAssert.Contains(run.Output, "args=--epochs|2|a b");
        StringAssert.Contains(run.Output, "hello from big 1.0");

        var failed = project.Build("--no-restore", "-t:PythonRun", "-p:PythonScript=train.py", "-p:PythonArguments=fail");

        Assert.AreNotEqual(0, failed.ExitCode);
        StringAssert.Contains(failed.Output, "failing on purpose", "stderr is streamed");
        Assert.IsTrue(failed.Output.IndexOf("args=fail", StringComparison.Ordinal) < failed.Output.IndexOf("hello from big 1.0", StringComparison.Ordinal),
            "output lines come in the order the script printed them (the two streams are two pipes: no order between them):\n" + failed.Output);
        var error = failed.Errors.Single();
        Assert.AreEqual("PYENV9001", error.Code);
        StringAssert.Contains(error.Message, "train.py exited with code 3");
        Assert.AreEqual(project.ProjectPath, error.File);

        var prune = project.Build("--no-restore", "-t:PythonCachePrune");
        Assert.AreEqual(0, prune.ExitCode, prune.ToString());
        StringAssert.Contains(prune.Output, "removed 0 entries (0 B)", "everything was used by the sync a moment ago");

        var clean = project.Build("--no-restore", "-t:PythonCacheClean");

        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        StringAssert.Matches(clean.Output, new Regex(@"PythonCacheClean: .*cache: removed [0-9]+ entries \([0-9.]+ MiB\)\."), clean.ToString());
        CollectionAssert.AreEqual(new[] { ".lock" }, Directory.GetFileSystemEntries(project.PathOf("cache")).Select(Path.GetFileName).ToArray());
        var afterClean = project.Build("--no-restore", "-t:PythonRun", "-p:PythonScript=train.py");
        Assert.AreEqual(0, afterClean.ExitCode, "the venv keeps its hard-linked files:\n" + afterClean);
        StringAssert.Contains(afterClean.Output, "hello from big 1.0");
    }

    /// <summary>A build with a second, normal-verbosity file log (the harness's own log is minimal).</summary>
    private static BuildResult BuildWithNormalLog(SdkProject project, out string log, params string[] arguments)
    {
        var path = project.PathOf($"normal-{Guid.NewGuid():N}.log");
        var result = project.Build(arguments.Append($"-flp1:logfile={path};verbosity=normal").ToArray());
        log = File.Exists(path) ? File.ReadAllText(path) : "";
        return result;
    }

    /// <summary>The lock's and obj/'s bytes, for "nothing changed".</summary>
    private static string Snapshot(SdkProject project)
    {
        var files = Directory.GetFiles(project.PathOf("obj"), "*", SearchOption.AllDirectories).Append(project.PathOf("pylock.toml")).Order(StringComparer.Ordinal);
        return string.Join("\n", files.Select(f => f + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));
    }
}
