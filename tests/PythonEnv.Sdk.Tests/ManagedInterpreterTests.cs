using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Interpreters;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Managed interpreters through `dotnet build`: with no matching interpreter installed (installed ones hidden: no pyenv,
/// only Debian's 3.11 on PATH), a project asking for 3.12 downloads the build the manifest names from the loopback
/// server, verifies and unpacks it, and uses it; the lock pins it; another project reuses the cache; offline works.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ManagedInterpreterTests : SdkTest
{
    /// <summary>The test archive (pyenv's CPython 3.12 made relocatable), served with a manifest naming its sha256.</summary>
    internal static async Task<(TestIndexServer Server, InterpreterArchive Archive, string ManifestUrl, string ArchivePath)> ServeInterpreterAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new AssertInconclusiveException("The test interpreter archive is made from a Linux pyenv CPython.");
        }

        var installation = InterpreterArchive.FindPyenvInstallation("3.12") ?? throw new AssertInconclusiveException("No pyenv CPython 3.12 with a shared libpython here.");
        var archive = InterpreterArchive.Create(installation, Path.Combine(Path.GetTempPath(), "pythonenv-tests", "interpreter-archives-v1"));
        var server = await TestIndexServer.StartAsync();
        var path = $"/pbs/20990101/cpython-{archive.Version}+20990101-x86_64-unknown-linux-gnu-install_only.tar.gz";
        server.Serve(path, archive.Bytes);
        server.Serve("/pbs/download-metadata.json", System.Text.Encoding.UTF8.GetBytes(archive.Manifest(new Uri(server.BaseUrl, path).AbsoluteUri, BuildPlatform.Current().Key)), "application/json");
        return (server, archive, new Uri(server.BaseUrl, "/pbs/download-metadata.json").AbsoluteUri, path);
    }

    private SdkProject Project(string folder, TestIndexServer server, string cache, string manifestUrl, string source) => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonVersion>3.12</PythonVersion>
          <PythonInterpreterSource>{source}</PythonInterpreterSource>
          <PythonDownloadsManifest>{manifestUrl}</PythonDownloadsManifest>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>{cache}</PythonCacheDir>
        </PropertyGroup>
        <ItemGroup>
          <PythonPackage Include="greeter" Version="==1.0" />
        </ItemGroup>
        """, folder, "env.proj");

    /// <summary>Installed interpreters out of sight: no pyenv, only Debian's python3.11 on PATH.</summary>
    private static void HideInstalledInterpreters(SdkProject project)
    {
        project.Environment["PYENV_ROOT"] = "/nonexistent-pyenv";
        project.Environment["PATH"] = "/usr/bin:/bin";
    }

    [TestMethod]
    public async Task With_no_matching_interpreter_the_build_downloads_verifies_and_uses_one_another_project_reuses_it_and_offline_works()
    {
        var (server, archive, manifestUrl, archivePath) = await ServeInterpreterAsync();
        await using var _ = server;
        server.Publish(new PackageSpec("greeter", "1.0"));
        var cache = Path.Combine(TestDirectory, "cache");
        var key = $"cpython-{archive.Version}+20990101-{BuildPlatform.Current().Key}";
        var home = Path.Combine(cache, "python-v1", key);

        // auto: nothing installed matches 3.12, so the build provides it.
        var first = Project("First", server, cache, manifestUrl, "auto");
        HideInstalledInterpreters(first);
        var build = first.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        StringAssert.Contains(build.Output, $"installed Python {key} into {home} (download ");
        Console.WriteLine(build.Output.Split('\n').First(l => l.Contains("installed Python", StringComparison.Ordinal)).Trim());
        Assert.AreEqual(1, server.Log.Count(archivePath));
        StringAssert.Contains(File.ReadAllText(first.PathOf(".venv/pyvenv.cfg")), $"home = {Path.Combine(home, "bin")}");
        var lockText = File.ReadAllText(first.PathOf("pylock.toml"));
        StringAssert.Contains(lockText, "[tool.pythonenv-sdk.interpreter]");
        StringAssert.Contains(lockText, "request = \"3.12\"");
        StringAssert.Contains(lockText, $"version = \"{archive.Version}\"");
        StringAssert.Contains(lockText, $"build = \"{key}\"");
        StringAssert.Contains(lockText, $"sha256 = \"{archive.Sha256}\"");

        // A second project (managed: installed interpreters are never used) takes the build from the cache.
        var second = Project("Second", server, cache, manifestUrl, "managed");
        var again = second.Build();
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        Assert.AreEqual(1, server.Log.Count(archivePath), "the cached build is reused");
        StringAssert.Contains(File.ReadAllText(second.PathOf(".venv/pyvenv.cfg")), $"home = {Path.Combine(home, "bin")}");

        // Offline, the venv and obj/ deleted: the sync installs the locked build from the cache, asking the server nothing.
        var requests = server.Log.Count();
        Directory.Delete(second.PathOf(".venv"), recursive: true);
        Directory.Delete(second.PathOf("obj"), recursive: true);
        var offline = second.Build("-p:PythonOffline=true");
        Assert.AreEqual(0, offline.ExitCode, offline.ToString());
        StringAssert.Contains(File.ReadAllText(second.PathOf(".venv/pyvenv.cfg")), $"home = {Path.Combine(home, "bin")}");
        Assert.AreEqual(requests, server.Log.Count(), "offline: no request at all");

        // Locked mode: a changed interpreter request is drift.
        var locked = second.Build("-p:PythonOffline=true", "-p:PythonLockMode=Locked", "-p:PythonVersion=3.11");
        Assert.AreNotEqual(0, locked.ExitCode, locked.ToString());
        Assert.IsTrue(locked.WithCode("PYENV3001").Any(d => d.Message.Contains("~ interpreter request: 3.12 -> 3.11", StringComparison.Ordinal)), locked.ToString());

        // Offline with a build the cache does not have: a clear error.
        var missing = second.Build("-p:PythonOffline=true", "-p:PythonVersion=3.13", "-p:PythonLockMode=Update");
        Assert.AreNotEqual(0, missing.ExitCode, missing.ToString());
        StringAssert.Contains(missing.Output, "PythonOffline is true");
    }

    [TestMethod]
    public void An_unknown_interpreter_source_is_PYENV1001_at_the_project_line()
    {
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonInterpreterSource>downloaded</PythonInterpreterSource>
            </PropertyGroup>
            """, fileName: "env.proj");
        var build = project.Build();
        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var error = build.WithCode("PYENV1001").Single();
        Assert.AreEqual(project.ProjectPath, error.File);
        Assert.AreEqual(project.LineOf("<PythonInterpreterSource>"), error.Line);
        StringAssert.Contains(error.Message, "auto, managed or system");
    }
}
