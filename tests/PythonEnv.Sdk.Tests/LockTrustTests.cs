using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>The lock is checked, never trusted blindly: what `dotnet build` does with a hand-edited or re-laid-out pylock.toml, and what it writes.</summary>
[TestClass]
public sealed class LockTrustTests : SdkTest
{
    private SdkProject LockProject(TestIndexServer server) => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
        </PropertyGroup>
        <ItemGroup>
          <PythonPackage Include="alpha" />
        </ItemGroup>
        """, fileName: "env.proj");

    [TestMethod]
    public async Task A_hand_edited_version_is_PYENV3002_at_its_line_in_every_mode_and_nothing_is_installed()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(PackageSpec.Of("alpha", "1.0", "beta"));
        server.Publish(PackageSpec.Of("alpha", "2.0", "beta"));
        server.Publish(PackageSpec.Of("beta", "1.0"));
        var project = LockProject(server);
        var lockPath = project.PathOf("pylock.toml");
        var locked = project.Build("-t:PythonLock");
        Assert.AreEqual(0, locked.ExitCode, locked.ToString());
        var text = File.ReadAllText(lockPath);
        var edited = text.Replace("name = \"alpha\"\nversion = \"2.0\"", "name = \"alpha\"\nversion = \"1.0\"", StringComparison.Ordinal);
        Assert.AreNotEqual(text, edited, text);
        File.WriteAllText(lockPath, edited);
        var line = edited[..edited.IndexOf("name = \"alpha\"", StringComparison.Ordinal)].Count(c => c == '\n') + 2;

        foreach (var arguments in new[]
                 {
                     new[] { "--no-restore" },
                     ["--no-restore", "-p:ContinuousIntegrationBuild=true"],
                     ["--no-restore", "-t:PythonCheckLock"],
                     ["--no-restore", "-p:PythonLockMode=Frozen"],
                     ["--no-restore", "-t:PythonSync", "-p:PythonLockMode=Frozen"],
                 })
        {
            var build = project.Build(arguments);

            Assert.AreNotEqual(0, build.ExitCode, build.ToString());
            var error = build.WithCode("PYENV3002").SingleOrDefault();
            Assert.IsNotNull(error, build.ToString());
            Assert.AreEqual(lockPath, Path.GetFullPath(error.File), error.ToString());
            Assert.AreEqual(line, error.Line, error.ToString());
            StringAssert.Contains(error.Message, "version \"1.0\" of alpha does not match \"alpha-2.0");
            StringAssert.Contains(error.Message, "which is version 2.0: the lock would install 2.0 and record 1.0");
            Assert.IsFalse(build.WithCode("PYENV3001").Any(), build.ToString());
        }

        Assert.AreEqual(edited, File.ReadAllText(lockPath), "the hand edit is reported, never overwritten");
        Assert.IsFalse(Directory.Exists(project.PathOf(".venv")), "a lock that fails validation is never installed");
    }

    [TestMethod]
    public async Task A_lock_laid_out_differently_is_not_drift_and_the_lock_names_its_tool_and_keeps_upload_times()
    {
        await using var server = await TestIndexServer.StartAsync();
        var uploaded = new DateTimeOffset(2024, 1, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_560);
        server.Publish(PackageSpec.Of("alpha", "1.0", "beta").Wheel(), new PublishOptions { UploadTime = uploaded });
        server.Publish(PackageSpec.Of("beta", "1.0"));
        var project = LockProject(server);
        var lockPath = project.PathOf("pylock.toml");
        var locked = project.Build("-t:PythonLock");
        Assert.AreEqual(0, locked.ExitCode, locked.ToString());

        var text = File.ReadAllText(lockPath);
        StringAssert.Contains(text, "created-by = \"pythonenv-sdk\"\n");
        StringAssert.Contains(text, "upload-time = 2024-01-01T12:34:56.123456Z\n");
        var times = PythonLockTests.RunPython(
            "import tomllib,sys; d=tomllib.load(open(sys.argv[1],'rb')); print(sorted(f['upload-time'].isoformat() for p in d['packages'] for f in p.get('wheels', [])))", lockPath);
        Assert.AreEqual("['2024-01-01T12:34:56.123456+00:00', '2025-01-01T00:00:00+00:00']", times.Trim());

        // Valid TOML: [[packages]] split around the [tool] table is the same lock.
        var tool = text[text.IndexOf("[tool]", StringComparison.Ordinal)..];
        var body = text[..text.IndexOf("[tool]", StringComparison.Ordinal)];
        var second = body.IndexOf("[[packages]]", body.IndexOf("[[packages]]", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        var split = body[..second] + tool + "\n" + body[second..];
        File.WriteAllText(lockPath, split);

        foreach (var arguments in new[] { new[] { "--no-restore", "-t:PythonCheckLock" }, ["--no-restore", "-t:PythonLock", "-p:ContinuousIntegrationBuild=true"], ["--no-restore", "-t:PythonLock"] })
        {
            var build = project.Build(arguments);
            Assert.AreEqual(0, build.ExitCode, build.ToString());
            Assert.IsFalse(build.WithCode("PYENV3001").Any(), build.ToString());
        }

        Assert.AreEqual(split, File.ReadAllText(lockPath), "a lock that did not drift is not rewritten");
        CollectionAssert.AreEqual(new[] { "alpha 1.0", "beta 1.0" }, PylockReader.Load(lockPath).Packages.Select(p => p.ToString()).ToArray());
    }
}
