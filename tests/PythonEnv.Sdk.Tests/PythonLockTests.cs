using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>The PythonLock and PythonExportRequirements targets: `dotnet build` makes, keeps and checks pylock.toml.</summary>
[TestClass]
public sealed class PythonLockTests : SdkTest
{
    private static PackageSpec Spec(string name, string version, params string[] requires) => PackageSpec.Of(name, version, requires);

    private SdkProject LockProject(TestIndexServer server, string items) => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
        </PropertyGroup>
        <ItemGroup>
        {items}
        </ItemGroup>
        """, fileName: "env.proj");

    private static void SetItems(SdkProject project, string from, string to) =>
        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath).Replace(from, to, StringComparison.Ordinal));

    [TestMethod]
    public async Task Build_locks_keeps_relocks_minimally_checks_in_locked_mode_and_exports_for_pip()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(Spec("alpha", "1.0"));
        server.Publish(Spec("alpha", "1.1"));
        server.Publish(Spec("beta", "1.0", "gamma"));
        server.Publish(Spec("gamma", "1.0"));
        var project = LockProject(server, """
            <PythonPackage Include="alpha" Version="&lt;1.1" />
            <PythonPackage Include="beta" />
            """);
        var lockPath = project.PathOf("pylock.toml");

        var first = project.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        StringAssert.Contains(first.Output, "+ alpha 1.0");
        StringAssert.Contains(first.Output, "+ gamma 1.0");
        var lockFile = PylockReader.Load(lockPath);
        CollectionAssert.AreEqual(new[] { "alpha 1.0", "beta 1.0", "gamma 1.0" }, lockFile.Packages.Select(p => $"{p.Name} {p.Version}").OrderBy(s => s).ToArray());
        var parsed = RunPython($"import tomllib,sys; d=tomllib.load(open(sys.argv[1],'rb')); print(d['lock-version'], sorted(p['name'] for p in d['packages']))", lockPath);
        Assert.AreEqual("1.0 ['alpha', 'beta', 'gamma']", parsed.Trim());
        var bytes = File.ReadAllBytes(lockPath);
        var requests = server.Log.Count();

        var again = project.Build("--no-restore");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(lockPath), "a no-op build leaves the lock's bytes alone");
        Assert.IsFalse(again.Output.Contains("PythonLock:", StringComparison.Ordinal), again.ToString());
        Assert.AreEqual(requests, server.Log.Count(), "a no-op build does not ask the index");

        // gamma 2.0 appears, but nothing asks gamma to move: only alpha changes.
        server.Publish(Spec("gamma", "2.0"));
        SetItems(project, "Version=\"&lt;1.1\"", "Version=\"&gt;=1.1\"");
        var relock = project.Build("--no-restore");
        Assert.AreEqual(0, relock.ExitCode, relock.ToString());
        StringAssert.Contains(relock.Output, "~ alpha 1.0 -> 1.1");
        Assert.IsFalse(relock.Output.Split('\n').Any(line => line.Contains("PythonLock:", StringComparison.Ordinal) && line.Contains("gamma", StringComparison.Ordinal)), relock.ToString());
        CollectionAssert.AreEqual(new[] { "alpha 1.1", "beta 1.0", "gamma 1.0" }, PylockReader.Load(lockPath).Packages.Select(p => $"{p.Name} {p.Version}").OrderBy(s => s).ToArray());
        bytes = File.ReadAllBytes(lockPath);

        SetItems(project, "Version=\"&gt;=1.1\"", "Version=\"&lt;1.1\"");
        var locked = project.Build("--no-restore", "-p:ContinuousIntegrationBuild=true");
        Assert.AreNotEqual(0, locked.ExitCode, locked.ToString());
        var error = locked.WithCode("PYENV3001").FirstOrDefault();
        Assert.IsNotNull(error, locked.ToString());
        StringAssert.Contains(locked.Output, "alpha");
        StringAssert.Contains(locked.Output, "dotnet build -t:PythonLock -p:PythonLockMode=Update");
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(lockPath), "Locked mode never writes");

        SetItems(project, "Version=\"&lt;1.1\"", "Version=\"&gt;=1.1\"");
        var export = project.Build("--no-restore", "-t:PythonExportRequirements");
        Assert.AreEqual(0, export.ExitCode, export.ToString());
        var requirements = File.ReadAllText(project.PathOf("requirements.txt"));
        StringAssert.Contains(requirements, "alpha==1.1");
        StringAssert.Contains(requirements, "--hash=sha256:");
        var wheels = project.PathOf("wheels");
        foreach (var spec in new[] { Spec("alpha", "1.1"), Spec("beta", "1.0", "gamma"), Spec("gamma", "1.0") })
        {
            spec.Wheel().WriteTo(wheels);
        }

        RunPython(null, "-m", "pip", "install", "--require-hashes", "--no-deps", "--no-index", "--find-links", wheels,
            "-r", project.PathOf("requirements.txt"), "--target", project.PathOf("target"), "--disable-pip-version-check");
        Assert.IsTrue(Directory.Exists(project.PathOf(Path.Combine("target", "gamma"))));

        var clean = project.Clean();
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        Assert.IsTrue(File.Exists(lockPath), "dotnet clean leaves the lock alone");
        var check = project.Build("--no-restore", "-t:PythonCheckLock");
        Assert.AreEqual(0, check.ExitCode, check.ToString());
    }

    [TestMethod]
    public async Task Pyproject_dependencies_are_locked_and_an_incompatible_duplicate_names_both_places()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(Spec("alpha", "1.0"));
        server.Publish(Spec("alpha", "2.0"));
        var project = LockProject(server, """<PythonPackage Include="alpha" Version="&lt;1.5" />""");
        project.WriteFile("pyproject.toml", "[project]\nname = \"app\"\nversion = \"0\"\ndependencies = [\n  \"alpha>=2\",\n]\n");

        var conflict = project.Build();
        Assert.AreNotEqual(0, conflict.ExitCode, conflict.ToString());
        var error = conflict.WithCode("PYENV1001").FirstOrDefault();
        Assert.IsNotNull(error, conflict.ToString());
        StringAssert.Contains(error.Message, "env.proj");
        StringAssert.Contains(error.Message, "pyproject.toml");
        Assert.IsFalse(File.Exists(project.PathOf("pylock.toml")));

        SetItems(project, """<PythonPackage Include="alpha" Version="&lt;1.5" />""", "");
        var build = project.Build("--no-restore");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual("alpha 2.0", string.Join(",", PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}")));
    }

    [TestMethod]
    public async Task A_version_whose_metadata_cannot_be_read_is_skipped_with_a_warning_at_the_lock_file()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(Spec("alpha", "1.0"));
        // As ipython 4.1.0rc1 on PyPI: a Requires-Dist no parser accepts.
        server.Publish(Spec("alpha", "2.0", "setuptools (>=18.5decorator)"));
        var project = LockProject(server, """<PythonPackage Include="alpha" />""");

        var build = project.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.AreEqual("alpha 1.0", string.Join(",", PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version}")));
        var warning = build.WithCode("PYENV2002").SingleOrDefault();
        Assert.IsNotNull(warning, build.ToString());
        Assert.AreEqual("warning", warning.Severity);
        StringAssert.EndsWith(warning.File, "pylock.toml");
        StringAssert.Contains(warning.Message, "alpha 2.0 was skipped");
        StringAssert.Contains(warning.Message, "setuptools (>=18.5decorator)");
    }

    internal static string RunPython(string? code, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (code is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(code);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, output + error.Result);
        return output;
    }
}
