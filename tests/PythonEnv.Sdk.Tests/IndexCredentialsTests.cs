using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Index;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Index credentials work from every place a user gives them (PIP_INDEX_URL, -p:, a requirements file's
/// --index-url, PYTHONENV_INDEX_* variables) and never reach anything the SDK writes: obj/, the lock, the cache,
/// task parameters, messages, or the binary log.
/// </summary>
[TestClass]
public sealed class IndexCredentialsTests : SdkTest
{
    private const string Password = "s3cr3t-Pa55";

    private static async Task<TestIndexServer> PrivateIndexAsync()
    {
        var server = await TestIndexServer.StartAsync();
        server.Switches.User = "builder";
        server.Switches.Password = Password;
        server.Publish(PackageSpec.Of("alpha", "1.0"));
        return server;
    }

    private SdkProject Project(string properties, string items = """<PythonPackage Include="alpha" />""") => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
        {properties}
        </PropertyGroup>
        <ItemGroup>
        {items}
        </ItemGroup>
        """, fileName: "env.proj");

    [TestMethod]
    public async Task PIP_INDEX_URL_credentials_are_used_and_never_reach_obj_the_lock_the_cache_or_the_binlog()
    {
        await using var server = await PrivateIndexAsync();
        var project = Project("");
        project.Environment["PIP_INDEX_URL"] = server.SimpleUrlWithCredentials.AbsoluteUri;
        var binlog = project.PathOf("build.binlog");

        var build = project.Build($"-bl:{binlog}");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsTrue(File.Exists(project.PathOf(Path.Combine(".venv", "pyvenv.cfg"))), build.ToString());
        AssertNoSecret(project, build, binlog);
        // The lock records the index without credentials, and a changed environment index re-runs the lock check.
        StringAssert.Contains(File.ReadAllText(project.PathOf("pylock.toml")), server.SimpleUrl.AbsoluteUri);
    }

    [TestMethod]
    public async Task A_command_line_index_url_with_credentials_is_used_without_being_copied()
    {
        await using var server = await PrivateIndexAsync();
        var project = Project("");
        var binlog = project.PathOf("build.binlog");

        var build = project.Build($"-p:PythonIndexUrl={server.SimpleUrlWithCredentials.AbsoluteUri}", $"-bl:{binlog}");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        AssertNoSecret(project, build, binlog: null);
        // MSBuild itself records the command line; what the SDK logs (task parameters, messages) never holds the secret.
        var sdkLines = Replay(binlog).Split('\n').Where(line => line.Contains("Task Parameter", StringComparison.Ordinal)
            || line.Contains("PythonLock:", StringComparison.Ordinal) || line.Contains("PythonSync:", StringComparison.Ordinal));
        Assert.IsFalse(sdkLines.Any(line => line.Contains(Password, StringComparison.Ordinal)), string.Join("\n", sdkLines.Where(l => l.Contains(Password, StringComparison.Ordinal))));
    }

    [TestMethod]
    public async Task Credentials_written_in_the_project_are_a_warning_at_their_line_and_are_not_copied()
    {
        await using var server = await PrivateIndexAsync();
        var project = Project($"  <PythonIndexUrl>{server.SimpleUrlWithCredentials.AbsoluteUri}</PythonIndexUrl>");
        // Where the warning says credentials belong: they are what the index is asked with.
        var prefix = "PYTHONENV_INDEX_127_0_0_1_" + server.SimpleUrl.Port;
        project.Environment[prefix + "_USERNAME"] = "builder";
        project.Environment[prefix + "_PASSWORD"] = Password;
        var binlog = project.PathOf("build.binlog");

        var build = project.Build($"-bl:{binlog}");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var warning = build.WithCode("PYENV1003").FirstOrDefault();
        Assert.IsNotNull(warning, build.ToString());
        Assert.AreEqual("warning", warning.Severity);
        Assert.AreEqual(project.ProjectPath, warning.File);
        Assert.AreEqual(project.LineOf("<PythonIndexUrl>"), warning.Line);
        StringAssert.Contains(warning.Message, "PYTHONENV_INDEX_<HOST>_USERNAME");
        AssertNoSecret(project, build, binlog: null, except: project.ProjectPath);
        var taskParameters = Replay(binlog).Split('\n').Where(line => line.Contains("Task Parameter", StringComparison.Ordinal) && line.Contains(Password, StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(taskParameters, string.Join("\n", taskParameters));
    }

    [TestMethod]
    public async Task Credentials_in_the_managed_Python_mirror_or_manifest_are_a_warning_and_reach_no_file_or_task()
    {
        await using var server = await PrivateIndexAsync();
        var project = Project($"""
              <PythonIndexUrl>{server.SimpleUrl.AbsoluteUri}</PythonIndexUrl>
              <PythonInstallMirror>https://mirror-user:{Password}@mirror.invalid/python-build-standalone</PythonInstallMirror>
            """);
        project.Environment["PYTHONENV_INDEX_127_0_0_1_" + server.SimpleUrl.Port + "_USERNAME"] = "builder";
        project.Environment["PYTHONENV_INDEX_127_0_0_1_" + server.SimpleUrl.Port + "_PASSWORD"] = Password;
        var binlog = project.PathOf("build.binlog");

        var build = project.Build($"-bl:{binlog}", $"-p:PythonDownloadsManifest=https://manifest-user:{Password}@manifest.invalid/download-metadata.json");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var warnings = build.WithCode("PYENV1003").ToList();
        var mirror = warnings.Single(w => w.Message.StartsWith("PythonInstallMirror", StringComparison.Ordinal));
        Assert.AreEqual(project.LineOf("<PythonInstallMirror>"), mirror.Line, build.ToString());
        StringAssert.Contains(mirror.Message, "without credentials");
        Assert.IsTrue(warnings.Any(w => w.Message.StartsWith("PythonDownloadsManifest", StringComparison.Ordinal)), "from the command line too:\n" + build);
        AssertNoSecret(project, build, binlog: null, except: project.ProjectPath);
        var taskParameters = Replay(binlog).Split('\n').Where(line => line.Contains("Task Parameter", StringComparison.Ordinal) && line.Contains(Password, StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(taskParameters, string.Join("\n", taskParameters));
    }

    [TestMethod]
    public async Task A_requirements_file_index_url_with_credentials_serves_the_lock_and_the_sync()
    {
        await using var server = await PrivateIndexAsync();
        var project = Project("", """<PythonRequirementsFile Include="requirements.in" />""");
        project.WriteFile("requirements.in", $"--index-url http://builder:${{INDEX_TOKEN}}@127.0.0.1:{server.SimpleUrl.Port}/simple/\nalpha\n");
        project.Environment["INDEX_TOKEN"] = Password;
        var binlog = project.PathOf("build.binlog");

        var build = project.Build($"-bl:{binlog}");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsFalse(build.WithCode("PYENV5002").Any(), build.ToString());
        Assert.IsTrue(Directory.Exists(project.PathOf(Path.Combine(".venv"))), build.ToString());
        Assert.IsTrue(server.Log.Count("alpha-1.0-py3-none-any.whl") >= 1, "the sync downloaded the wheel from the private index");
        AssertNoSecret(project, build, binlog);
    }

    /// <summary>The password is in no file under the project (but <paramref name="except"/>), nor the build output, nor the binlog (raw and replayed).</summary>
    private static void AssertNoSecret(SdkProject project, BuildResult build, string? binlog, string? except = null)
    {
        Assert.IsFalse(build.Output.Contains(Password, StringComparison.Ordinal), build.ToString());
        var leaks = new List<string>();
        foreach (var file in Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories))
        {
            if (file == except || file.EndsWith(".binlog", StringComparison.Ordinal) || new FileInfo(file).LinkTarget is not null)
            {
                continue;
            }

            if (Encoding.UTF8.GetString(File.ReadAllBytes(file)).Contains(Password, StringComparison.Ordinal))
            {
                leaks.Add(file);
            }
        }

        Assert.IsEmpty(leaks, "the password was written to: " + string.Join(", ", leaks));
        if (binlog is not null)
        {
            using var raw = new MemoryStream();
            using (var gzip = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
            {
                gzip.CopyTo(raw);
            }

            Assert.IsFalse(Encoding.UTF8.GetString(raw.ToArray()).Contains(Password, StringComparison.Ordinal), "the password is in the binary log");
            var replayed = Replay(binlog);
            Assert.IsFalse(replayed.Contains(Password, StringComparison.Ordinal), "the password is in the replayed diagnostic log");
            StringAssert.Contains(replayed, "PythonLock", "the replay is the build's log");
        }

        // The masked form is what MSBuild saw, for the record.
        Assert.AreEqual("http://***@h/", IndexClientOptions.MaskCredentials("http://u:" + Password + "@h/"));
    }

    /// <summary>The binary log replayed as a diagnostic-verbosity text log.</summary>
    private static string Replay(string binlog)
    {
        var text = binlog + ".diag.log";
        var replay = DotNet.Run(Path.GetDirectoryName(binlog)!, ["msbuild", binlog, "-noconlog", $"-flp:logfile={text};verbosity=diagnostic", "-nologo"]);
        Assert.AreEqual(0, replay.ExitCode, replay.ToString());
        return File.ReadAllText(text);
    }
}
