using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// PythonSync's own up-to-date check: a no-op `dotnet build` runs none of the SDK's tasks yet still hands the host
/// values on; whatever the venv depends on (the lock, .python-version, the venv itself) is noticed; a venv
/// altered by hand is put back in line and reported, in Locked mode too.
/// </summary>
[TestClass]
public sealed partial class IncrementalSyncTests : SdkTest
{
    private static readonly string[] SdkTasks = { "PythonSync", "PythonLock", "ValidatePythonDeclarations" };

    private SdkProject Project(TestIndexServer server, string version) => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
        </PropertyGroup>
        <ItemGroup>
          <PythonPackage Include="alpha" Version="{version}" />
        </ItemGroup>
        <Target Name="ShowHostValues" AfterTargets="PythonSync">
          <Message Importance="high" Text="HOST python=$(PythonExecutable)|site=$(PythonSitePackages)|version=$(PythonInterpreterVersion)|options=@(RuntimeHostConfigurationOption->'%(Identity)=%(Value)', ',')" />
        </Target>
        """, fileName: "env.proj");

    /// <summary>The build with the console logger's performance summary, which lists every task that ran.</summary>
    private static BuildResult Build(SdkProject project, params string[] arguments) =>
        project.Build(new[] { "--no-restore", "-clp:PerformanceSummary" }.Concat(arguments).ToArray());

    /// <summary>The SDK tasks the build ran, from its "Task Performance Summary".</summary>
    private static void AssertTasksRun(BuildResult build, params string[] expected) =>
        Assert.AreEqual(string.Join(",", expected.Order()), string.Join(",", SdkTasksRun(build).Order()), "SDK tasks the build ran:\n" + build);

    private static string[] SdkTasksRun(BuildResult build)
    {
        var summary = build.Output[(build.Output.IndexOf("Task Performance Summary:", StringComparison.Ordinal) is var at and >= 0 ? at : build.Output.Length)..];
        return SdkTasks.Where(task => Regex.IsMatch(summary, $@"^\s+\d+ ms\s+{task}\s+\d+ calls", RegexOptions.Multiline)).ToArray();
    }

    private static (string Python, string Site, string Version, string Options) Host(BuildResult build)
    {
        var match = HostLine().Match(build.Output);
        Assert.IsTrue(match.Success, "the build printed no host values:\n" + build);
        // The RuntimeHostConfigurationOption items the SDK added (others come from the .NET SDK).
        var options = string.Join(",", match.Groups["options"].Value.Trim().Split(',').Where(o => o.StartsWith("PythonEnv.", StringComparison.Ordinal)));
        return (match.Groups["python"].Value.Trim(), match.Groups["site"].Value.Trim(), match.Groups["version"].Value.Trim(), options);
    }

    [GeneratedRegex(@"HOST python=(?<python>[^|]*)\|site=(?<site>[^|]*)\|version=(?<version>[^|]*)\|options=(?<options>.*)$", RegexOptions.Multiline)]
    private static partial Regex HostLine();

    private static void AssertSucceeded(BuildResult build)
    {
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual(0, build.Warnings.Count(w => w.Code.StartsWith("PYENV", StringComparison.Ordinal)), build.ToString());
    }

    [TestMethod]
    public async Task A_no_op_build_runs_no_SDK_task_yet_sets_the_host_values_and_edits_to_its_inputs_are_noticed()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        server.Publish(new PackageSpec("alpha", "2.0"));
        var project = Project(server, "&lt;2");

        var first = project.Build();
        AssertSucceeded(first);
        StringAssert.Contains(first.Output, "Installed alpha 1.0");
        var host = Host(first);
        var lockPath = project.PathOf("pylock.toml");
        var oldLock = File.ReadAllBytes(lockPath);
        Assert.AreEqual(project.PathOf(Path.Combine(".venv", "bin", "python")), host.Python);
        var options = host.Options.Split(',');
        CollectionAssert.AreEqual(
            new[] { "PythonExecutable", "PythonBaseExecutable", "PythonLibrary", "PythonHome", "PythonPrefix", "PythonSitePackages", "PythonInterpreterVersion" },
            options.Select(o => o["PythonEnv.".Length..o.IndexOf('=', StringComparison.Ordinal)]).ToArray());
        CollectionAssert.Contains(options, "PythonEnv.PythonExecutable=" + host.Python);
        CollectionAssert.Contains(options, "PythonEnv.PythonSitePackages=" + host.Site);
        CollectionAssert.Contains(options, "PythonEnv.PythonInterpreterVersion=" + host.Version);

        var noop = Build(project);
        AssertSucceeded(noop);
        AssertTasksRun(noop);
        Assert.AreEqual(host, Host(noop), "the no-op build hands on the same host values");

        // .python-version appears (naming the interpreter in use): noticed, and the venv is found up to date. The lock
        // reads it too (its requires-python when nothing declares one), finding it says what the lock records.
        var minor = string.Join(".", host.Version.Split('.').Take(2));
        project.WriteFile(".python-version", minor + "\n");
        var pinned = Build(project);
        AssertSucceeded(pinned);
        AssertTasksRun(pinned, "PythonLock", "PythonSync");
        CollectionAssert.AreEqual(oldLock, File.ReadAllBytes(lockPath), "the same requires-python: the lock is not rewritten");
        Assert.AreEqual(host.Version, Host(pinned).Version);
        var settled = Build(project);
        AssertTasksRun(settled);

        // A property the sync depends on: the same interpreter named explicitly.
        var baseExecutable = host.Options.Split(',').Single(o => o.StartsWith("PythonEnv.PythonBaseExecutable=", StringComparison.Ordinal)).Split('=', 2)[1];
        var named = Build(project, "-p:PythonInterpreter=" + baseExecutable);
        AssertSucceeded(named);
        AssertTasksRun(named, "PythonSync");
        Assert.AreEqual(host, Host(named));

        // An edit to .python-version itself.
        project.WriteFile(".python-version", "# the interpreter this project is tested with\n" + minor + "\n");
        var edited = Build(project);
        AssertSucceeded(edited);
        AssertTasksRun(edited, "PythonLock", "PythonSync");

        // A declaration change re-locks, and the new lock is installed.
        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath).Replace("Version=\"&lt;2\"", "Version=\"&gt;=2\"", StringComparison.Ordinal));
        var relocked = Build(project);
        AssertSucceeded(relocked);
        StringAssert.Contains(relocked.Output, "Replaced alpha 1.0 with 2.0");
        AssertTasksRun(relocked, SdkTasks);

        // The lock replaced by an older one (a checkout, a merge): installed as it is in Frozen mode.
        File.WriteAllBytes(lockPath, oldLock);
        var checkedOut = Build(project, "-p:PythonLockMode=Frozen");
        AssertSucceeded(checkedOut);
        StringAssert.Contains(checkedOut.Output, "Replaced alpha 2.0 with 1.0");
        AssertTasksRun(checkedOut, "PythonSync");

        // The venv deleted: created again, with the same host values.
        Directory.Delete(project.PathOf(".venv"), recursive: true);
        var recreated = Build(project, "-p:PythonLockMode=Frozen");
        AssertSucceeded(recreated);
        StringAssert.Contains(recreated.Output, "Created ");
        StringAssert.Contains(recreated.Output, "Installed alpha 1.0");
        Assert.AreEqual(host, Host(recreated));
        Assert.IsTrue(File.Exists(host.Python));
    }

    [TestMethod]
    public async Task PythonCompileBytecode_compiles_the_venv_in_place_and_the_app_importing_it_leaves_the_next_build_a_no_op()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        var project = Project(server, "==1.0");
        AssertSucceeded(project.Build());
        AssertTasksRun(Build(project));
        var record = Directory.GetFiles(project.PathOf(Path.Combine(".venv", "lib")), "RECORD", SearchOption.AllDirectories).Single(p => p.Contains("alpha-1.0.dist-info", StringComparison.Ordinal));
        Assert.IsFalse(File.ReadAllText(record).Contains(".pyc", StringComparison.Ordinal), "off by default: nothing compiled");

        var compiled = Build(project, "-p:PythonCompileBytecode=true");
        AssertSucceeded(compiled);
        CollectionAssert.Contains(SdkTasksRun(compiled), "PythonSync", "the property is a setting of the sync");
        StringAssert.Contains(compiled.Output, "Compiled 1 files to bytecode");
        Assert.IsFalse(compiled.Output.Contains("Installed alpha", StringComparison.Ordinal), "compiled in place, not reinstalled:\n" + compiled);
        StringAssert.Contains(File.ReadAllText(record), "alpha/__pycache__/__init__.");

        AssertTasksRun(Build(project, "-p:PythonCompileBytecode=true"));
        // The app imports the package: with its bytecode there, Python writes nothing into the venv.
        RealPython.Run(project.PathOf(Path.Combine(".venv", "bin", "python")), ["-c", "import alpha"]);
        AssertTasksRun(Build(project, "-p:PythonCompileBytecode=true"));

        var invalid = project.Build("--no-restore", "-p:PythonCompileBytecode=yes");
        Assert.AreNotEqual(0, invalid.ExitCode, invalid.ToString());
        StringAssert.Contains(invalid.WithCode("PYENV1001").Single().Message, "PythonCompileBytecode");
    }

    [TestMethod]
    public async Task A_package_installed_or_altered_by_hand_is_put_back_in_line_and_reported_in_Locked_mode()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        var project = Project(server, "&gt;=1");
        var first = project.Build();
        AssertSucceeded(first);
        var site = Host(first).Site;
        var venv = project.PathOf(".venv");

        // pip install intruder; a file of a locked package deleted; a module copied in.
        var intruder = new PackageSpec("intruder", "0.1").Wheel().WriteTo(Path.Combine(TestDirectory, "wheels"));
        ZipFile.ExtractToDirectory(intruder, site);
        File.Delete(Path.Combine(site, "alpha", "__init__.py"));
        File.WriteAllText(Path.Combine(site, "stray.py"), "copied = True\n");

        var locked = Build(project, "-p:ContinuousIntegrationBuild=true");
        Assert.AreEqual(0, locked.ExitCode, locked.ToString());
        var warning = locked.WithCode("PYENV4009").SingleOrDefault();
        Assert.IsNotNull(warning, locked.ToString());
        Assert.AreEqual(venv, warning.File);
        StringAssert.Contains(warning.Message, "intruder 0.1 was installed by hand");
        StringAssert.Contains(warning.Message, "alpha 1.0 was altered by hand (alpha/__init__.py is missing)");
        StringAssert.Contains(warning.Message, "stray.py in site-packages belonged to no distribution");
        StringAssert.Contains(locked.Output, "Removed intruder 0.1");
        StringAssert.Contains(locked.Output, "Reinstalled alpha 1.0");
        Assert.IsFalse(Directory.Exists(Path.Combine(site, "intruder")));
        Assert.IsFalse(File.Exists(Path.Combine(site, "stray.py")));
        Assert.IsTrue(File.Exists(Path.Combine(site, "alpha", "__init__.py")));
        Assert.AreEqual(Host(first), Host(locked));

        var again = Build(project, "-p:ContinuousIntegrationBuild=true");
        AssertSucceeded(again);
        AssertTasksRun(again);
    }
}
