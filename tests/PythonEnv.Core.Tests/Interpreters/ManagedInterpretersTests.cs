using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Core.Tests.Environments;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Interpreters;
using PythonEnv.Packaging;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Interpreters;

/// <summary>
/// Managed interpreters against a loopback server: an install_only archive made from pyenv's CPython 3.12 (relocatable,
/// as python-build-standalone builds are), named with its sha256 in a uv-format manifest; downloaded, verified,
/// unpacked atomically into the cache, and never half there, whatever goes wrong.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ManagedInterpretersTests
{
    private static readonly BuildPlatform Linux = BuildPlatform.Of("linux", "x86_64", "gnu");
    private static InterpreterArchive? _archive;

    /// <summary>The test archive (made once per machine); inconclusive where pyenv has no shared CPython 3.12.</summary>
    private static InterpreterArchive Archive()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new AssertInconclusiveException("The test interpreter archive is made from a Linux pyenv CPython.");
        }

        var installation = InterpreterArchive.FindPyenvInstallation("3.12") ?? throw new AssertInconclusiveException("No pyenv CPython 3.12 with a shared libpython here.");
        return _archive ??= InterpreterArchive.Create(installation, Path.Combine(Path.GetTempPath(), "pythonenv-tests", "interpreter-archives-v1"));
    }

    private static ManagedInterpreters Managed(string cache, string manifest, bool offline = false, string? mirror = null) => new(new ManagedInterpreterOptions
    {
        CacheDirectory = cache,
        Manifest = manifest,
        Offline = offline,
        Mirror = mirror,
        Platform = BuildPlatform.Current(),
    });

    /// <summary>A server with the archive (or <paramref name="body"/>) at /python/..., and a manifest file naming <paramref name="sha256"/> (default: the archive's).</summary>
    private static async Task<(TestIndexServer Server, string Manifest, string Path)> ServeAsync(string folder, byte[]? body = null, string? sha256 = null)
    {
        var archive = Archive();
        var server = await TestIndexServer.StartAsync();
        var path = $"/python/20990101/cpython-{archive.Version}+20990101-x86_64-unknown-linux-gnu-install_only.tar.gz";
        server.Serve(path, body ?? archive.Bytes);
        var manifest = Path.Combine(folder, "download-metadata.json");
        File.WriteAllText(manifest, archive.Manifest(new Uri(server.BaseUrl, path).AbsoluteUri, BuildPlatform.Current().Key, sha256));
        return (server, manifest, path);
    }

    private static async Task<PythonBuild> BuildAsync(ManagedInterpreters managed) =>
        await managed.ChooseAsync(v => SpecifierSet.Parse("==3.12.*").Contains(v, prereleases: false), CancellationToken.None) ?? throw new AssertFailedException("no 3.12 build");

    /// <summary>What is in the cache folder besides finished builds: nothing may be left of a failed install.</summary>
    private static string[] Leftovers(string cache)
    {
        var root = Path.Combine(cache, ManagedInterpreters.CacheFolder);
        return !Directory.Exists(root) ? [] : Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(".tmp", StringComparison.Ordinal))
            .Concat(Directory.Exists(Path.Combine(root, ".downloads")) ? Directory.GetFiles(Path.Combine(root, ".downloads")).Select(Path.GetFileName).OfType<string>() : []).ToArray();
    }

    [TestMethod]
    public void Builds_are_named_by_uvs_rules_from_a_download_metadata_json()
    {
        var manifest = DownloadsManifest.Parse("""
            {
              "cpython-3.12.8-linux-x86_64-gnu": { "name": "cpython", "arch": { "family": "x86_64", "variant": null }, "os": "linux", "libc": "gnu", "major": 3, "minor": 12, "patch": 8, "prerelease": "",
                "url": "https://github.com/astral-sh/python-build-standalone/releases/download/20241219/cpython-3.12.8%2B20241219-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
                "sha256": "0000000000000000000000000000000000000000000000000000000000000001", "variant": null },
              "cpython-3.12.8-linux-aarch64-musl": { "name": "cpython", "arch": "aarch64", "os": "linux", "libc": "musl", "major": 3, "minor": 12, "patch": 8, "prerelease": "",
                "url": "https://example.test/20241219/cpython-3.12.8+20241219-aarch64-unknown-linux-musl-install_only.tar.gz", "sha256": "0000000000000000000000000000000000000000000000000000000000000002" },
              "cpython-3.12.8-darwin-aarch64-none": { "name": "cpython", "arch": "aarch64", "os": "darwin", "libc": "none", "major": 3, "minor": 12, "patch": 8, "prerelease": "",
                "url": "https://example.test/download/20241219/x.tar.gz", "sha256": "0000000000000000000000000000000000000000000000000000000000000003" },
              "cpython-3.13.1-windows-x86_64-none": { "name": "cpython", "arch": "x86_64", "os": "windows", "libc": "none", "major": 3, "minor": 13, "patch": 1, "prerelease": "",
                "url": "https://example.test/download/20241219/y.tar.gz", "sha256": "0000000000000000000000000000000000000000000000000000000000000004" },
              "cpython-3.13.1+freethreaded-linux-x86_64-gnu": { "name": "cpython", "arch": "x86_64", "os": "linux", "libc": "gnu", "major": 3, "minor": 13, "patch": 1, "prerelease": "",
                "url": "https://example.test/z.tar.gz", "sha256": "0000000000000000000000000000000000000000000000000000000000000005", "variant": "freethreaded" },
              "cpython-3.13.1-linux-x86_64_v3-gnu": { "name": "cpython", "arch": { "family": "x86_64", "variant": "v3" }, "os": "linux", "libc": "gnu", "major": 3, "minor": 13, "patch": 1, "prerelease": "",
                "url": "https://example.test/v3.tar.gz", "sha256": "0000000000000000000000000000000000000000000000000000000000000006" }
            }
            """, "test");
        CollectionAssert.AreEqual(new[]
        {
            "cpython-3.12.8+20241219-linux-x86_64-gnu", "cpython-3.12.8+20241219-linux-aarch64-musl", "cpython-3.12.8+20241219-macos-aarch64-none", "cpython-3.13.1+20241219-windows-x86_64-none",
        }, manifest.Builds.Select(b => b.Key).ToArray(), "variants (free-threaded, x86_64_v3) are not offered");
        Assert.AreEqual("linux-x86_64-gnu", BuildPlatform.Of("Linux", "amd64", null).Key);
        Assert.AreEqual("macos-aarch64-none", BuildPlatform.Of("darwin", "arm64", "gnu").Key, "libc is none off Linux");
        Assert.AreEqual("windows-x86_64-none", BuildPlatform.Of("windows", "x64", null).Key);
    }

    [TestMethod]
    public void The_shipped_manifest_has_3_10_to_3_13_for_linux_gnu_and_musl_macos_and_windows_and_picks_finals_first()
    {
        var manifest = DownloadsManifest.Embedded();
        foreach (var minor in new[] { 10, 11, 12, 13 })
        {
            foreach (var platform in new[] { "linux-x86_64-gnu", "linux-aarch64-gnu", "linux-x86_64-musl", "macos-x86_64-none", "macos-aarch64-none", "windows-x86_64-none" })
            {
                Assert.IsTrue(manifest.Builds.Any(b => b.Minor == minor && b.Platform.Key == platform), $"3.{minor} for {platform}");
            }
        }

        Assert.IsTrue(manifest.Builds.All(b => b.Sha256.Length == 64 && b.Url.StartsWith("https://github.com/", StringComparison.Ordinal) && b.Release is not null));
        var linux = manifest.Select("cpython", Linux, v => SpecifierSet.Parse("==3.12.*").Contains(v, prereleases: true))!;
        Assert.AreEqual("cpython-3.12.6+20240909-linux-x86_64-gnu", linux.Key);
        Assert.AreEqual("3.13.0rc2", manifest.Select("cpython", Linux, v => SpecifierSet.Parse(">=3.13.0rc1").Contains(v, prereleases: true))!.Version, "a pre-release only when nothing final fits");
        Assert.AreEqual("3.12.6", manifest.Select("cpython", Linux, v => SpecifierSet.Parse(">=3.11").Contains(v, prereleases: true))!.Version, "the highest final");
        Assert.AreEqual(6, manifest.AllPlatforms(linux).Count, "every platform's build of that release, for the lock");
    }

    [TestMethod]
    [DataRow("not json", "is not JSON")]
    [DataRow("""{ "x": { "name": "cpython", "arch": "x86_64", "os": "linux", "libc": "gnu", "major": 3, "minor": 12, "patch": 1, "prerelease": "", "sha256": "0000000000000000000000000000000000000000000000000000000000000000" } }""", "\"url\" is missing")]
    [DataRow("""{ "x": { "name": "cpython", "arch": "x86_64", "os": "linux", "libc": "gnu", "major": 3, "minor": 12, "patch": 1, "prerelease": "", "url": "https://e.test/a", "sha256": "abc" } }""", "not 64 hex digits")]
    [DataRow("""{ "x": { "name": "../../etc", "arch": "x86_64", "os": "linux", "libc": "gnu", "major": 3, "minor": 12, "patch": 1, "prerelease": "", "url": "https://e.test/a", "sha256": "0000000000000000000000000000000000000000000000000000000000000000" } }""", "is not a build name")]
    public void A_manifest_not_in_the_format_is_PYENV7002_naming_the_entry(string json, string reason)
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => DownloadsManifest.Parse(json, "'m.json'"));
        Assert.AreEqual(DiagnosticCodes.InvalidDownloadsManifest, error.Code);
        StringAssert.Contains(error.Message, reason);
        StringAssert.Contains(error.Message, "'m.json'");
    }

    [TestMethod]
    public void The_install_mirror_replaces_the_python_build_standalone_prefix_as_uv_does()
    {
        var build = DownloadsManifest.Embedded().Select("cpython", Linux, v => v.Major == 3 && v.Minor == 12)!;
        var managed = Managed(TestPython.TempFolder("mirror"), "", mirror: "https://mirror.example.test/pbs/");
        Assert.AreEqual("https://mirror.example.test/pbs/20240909/cpython-3.12.6%2B20240909-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz", managed.DownloadUrl(build));
        var other = new PythonBuild("cpython", 3, 12, 1, "", Linux, "https://elsewhere.test/a.tar.gz", new string('0', 64));
        Assert.AreEqual("https://elsewhere.test/a.tar.gz", managed.DownloadUrl(other), "only the known prefix is replaced");
    }

    [TestMethod]
    public async Task A_build_is_downloaded_verified_unpacked_and_runs_relocated_with_its_own_libpython()
    {
        var folder = TestPython.TempFolder("managed-install");
        var (server, manifest, path) = await ServeAsync(folder);
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        var managed = Managed(cache, manifest);
        var build = await BuildAsync(managed);
        Assert.AreEqual($"cpython-{Archive().Version}+20990101-{BuildPlatform.Current().Key}", build.Key);

        var clock = Stopwatch.StartNew();
        var python = await managed.InstallAsync(build, CancellationToken.None);
        Console.WriteLine($"download+verify+unpack of {Archive().Bytes.Length / 1024 / 1024} MiB: {clock.ElapsedMilliseconds} ms");
        var home = Path.Combine(cache, "python-v1", build.Key);
        Assert.AreEqual(Path.Combine(home, "bin", "python3"), python);
        Assert.AreEqual(build.Key, ManagedInterpreters.BuildAt(home)!.Key);

        // A scrubbed environment: no PATH, no PYTHONHOME; the dynamic loader says which libpython it mapped.
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["LD_DEBUG"] = "libs";
        start.ArgumentList.Add("-I");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, ssl, json; print(sys.base_prefix); print(sys.executable)");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, output + await error);
        var lines = output.Split('\n');
        Assert.AreEqual(home, lines[0], "the standard library is the unpacked one");
        StringAssert.StartsWith(lines[1], home);
        var loaded = (await error).Split('\n').Where(l => l.Contains("calling init:", StringComparison.Ordinal) && l.Contains("libpython", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, loaded.Count, await error);
        var library = Path.GetFullPath(loaded[0][(loaded[0].IndexOf("calling init:", StringComparison.Ordinal) + "calling init:".Length)..].Trim());
        Assert.AreEqual(Path.Combine(home, "lib", "libpython3.12.so.1.0"), library, "libpython comes from the unpacked build, not from pyenv's installation");

        // Installed: a second install (another project) asks nothing of the server.
        var requests = server.Log.Count(path);
        Assert.AreEqual(python, await Managed(cache, manifest).InstallAsync(build, CancellationToken.None));
        Assert.AreEqual(requests, server.Log.Count(path));
        Assert.AreEqual(0, Leftovers(cache).Length);
    }

    [TestMethod]
    public async Task A_wrong_sha256_is_PYENV7004_and_nothing_is_installed()
    {
        var folder = TestPython.TempFolder("managed-sha");
        var (server, manifest, _) = await ServeAsync(folder, sha256: new string('a', 64));
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        var managed = Managed(cache, manifest);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(async () => await managed.InstallAsync(await BuildAsync(managed), CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.InterpreterHashMismatch, error.Code);
        StringAssert.Contains(error.Message, Archive().Sha256, "names the sha256 it got");
        StringAssert.Contains(error.Message, new string('a', 64), "and the one expected");
        Assert.AreEqual(0, managed.Installed().Count);
        Assert.AreEqual(0, Leftovers(cache).Length);
    }

    [TestMethod]
    public async Task A_tampered_archive_is_PYENV7004_and_nothing_is_installed()
    {
        var folder = TestPython.TempFolder("managed-tampered");
        var tampered = (byte[])Archive().Bytes.Clone();
        tampered[tampered.Length / 2] ^= 0xFF;
        var (server, manifest, _) = await ServeAsync(folder, body: tampered);
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        var managed = Managed(cache, manifest);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(async () => await managed.InstallAsync(await BuildAsync(managed), CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.InterpreterHashMismatch, error.Code);
        Assert.AreEqual(0, managed.Installed().Count);
        Assert.AreEqual(0, Leftovers(cache).Length);
    }

    [TestMethod]
    public async Task A_truncated_download_is_PYENV7005_and_the_next_install_succeeds()
    {
        var folder = TestPython.TempFolder("managed-truncated");
        var (server, manifest, path) = await ServeAsync(folder);
        await using var _ = server;
        server.Faults.DropNext(1, path, afterBytes: Archive().Bytes.Length / 3);
        var cache = Path.Combine(folder, "cache");
        var managed = Managed(cache, manifest);
        var build = await BuildAsync(managed);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => managed.InstallAsync(build, CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.InterpreterDownloadFailed, error.Code, error.Message);
        Assert.AreEqual(0, managed.Installed().Count);
        Assert.AreEqual(0, Leftovers(cache).Length);

        Assert.IsTrue(File.Exists(await managed.InstallAsync(build, CancellationToken.None)));
    }

    [TestMethod]
    public async Task An_interrupted_unpack_leaves_the_old_state_whole_and_the_next_install_recovers()
    {
        var folder = TestPython.TempFolder("managed-interrupted");
        var archive = Archive();
        // An archive cut in the middle of its tar stream, named with its own sha256: it verifies, then unpacking stops half-way.
        var cut = archive.Bytes.AsSpan(0, archive.Bytes.Length / 2).ToArray();
        var (server, manifest, path) = await ServeAsync(folder, body: cut, sha256: Convert.ToHexString(SHA256.HashData(cut)).ToLowerInvariant());
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        // The old state: another build already installed, which must stay whole.
        var other = Path.Combine(cache, "python-v1", "cpython-3.11.9+20990101-" + BuildPlatform.Current().Key);
        Directory.CreateDirectory(Path.Combine(other, "bin"));
        File.WriteAllText(Path.Combine(other, "bin", "python3"), "#!/bin/sh\n");
        var managed = Managed(cache, manifest);
        var build = await BuildAsync(managed);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => managed.InstallAsync(build, CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.InvalidInterpreterArchive, error.Code, error.Message);
        Assert.IsFalse(Directory.Exists(Path.Combine(cache, "python-v1", build.Key)), "no half-unpacked build in place");
        Assert.AreEqual(0, Leftovers(cache).Length);
        Assert.IsTrue(File.Exists(Path.Combine(other, "bin", "python3")));

        // A build killed mid-unpack leaves its temporary folder and download (and no marker): the next install clears them and succeeds.
        var root = Path.Combine(cache, "python-v1");
        Directory.CreateDirectory(Path.Combine(root, $".tmp-{build.Key}-deadbeef", "python", "lib"));
        File.WriteAllText(Path.Combine(root, $".tmp-{build.Key}-deadbeef", "python", "lib", "half"), "x");
        Directory.CreateDirectory(Path.Combine(root, ".downloads"));
        File.WriteAllBytes(Path.Combine(root, ".downloads", $"{build.Key}.deadbeef.partial"), cut);
        File.WriteAllText(manifest, archive.Manifest(new Uri(server.BaseUrl, path).AbsoluteUri, BuildPlatform.Current().Key));
        server.Serve(path, archive.Bytes);
        var fresh = Managed(cache, manifest);
        var python = await fresh.InstallAsync(await BuildAsync(fresh), CancellationToken.None);
        Assert.IsTrue(File.Exists(python));
        Assert.AreEqual(0, Leftovers(cache).Length);
    }

    [TestMethod]
    public async Task An_archive_with_a_path_or_link_out_of_its_folder_is_PYENV7006_and_writes_nothing_outside()
    {
        foreach (var (name, link) in new[] { ("python/../../escaped", (string?)null), ("python/bin/python3", "../../../escaped") })
        {
            var folder = TestPython.TempFolder("managed-unsafe");
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            using (var writer = new TarWriter(gzip))
            {
                var entry = link is null
                    ? new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("x")) }
                    : new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link };
                writer.WriteEntry(entry);
            }

            var bytes = buffer.ToArray();
            var (server, manifest, _) = await ServeAsync(folder, body: bytes, sha256: Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
            await using var _ = server;
            var cache = Path.Combine(folder, "cache");
            var managed = Managed(cache, manifest);
            var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(async () => await managed.InstallAsync(await BuildAsync(managed), CancellationToken.None));
            Assert.AreEqual(DiagnosticCodes.InvalidInterpreterArchive, error.Code);
            StringAssert.Contains(error.Message, "outside");
            Assert.IsFalse(Directory.EnumerateFileSystemEntries(folder, "escaped", SearchOption.AllDirectories).Any());
            Assert.AreEqual(0, Leftovers(cache).Length);
        }
    }

    [TestMethod]
    public async Task Offline_uses_the_cache_only_and_names_a_missing_build()
    {
        var folder = TestPython.TempFolder("managed-offline");
        var (server, manifest, path) = await ServeAsync(folder);
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        Assert.IsNull(await Managed(cache, manifest, offline: true).ChooseAsync(v => v.Major == 3, CancellationToken.None), "nothing cached, nothing chosen");
        var online = Managed(cache, manifest);
        var build = await BuildAsync(online);
        var offline = Managed(cache, "/nonexistent/manifest.json", offline: true);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => offline.InstallAsync(build, CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.ManagedInterpreterNotCached, error.Code);
        StringAssert.Contains(error.Message, build.Key);

        var python = await online.InstallAsync(build, CancellationToken.None);
        var requests = server.Log.Count(path);
        var cached = await offline.ChooseAsync(v => SpecifierSet.Parse("==3.12.*").Contains(v, prereleases: false), CancellationToken.None);
        Assert.AreEqual(build.Key, cached!.Key, "chosen from the cache, with no manifest read");
        Assert.AreEqual(python, await offline.InstallAsync(cached, CancellationToken.None));
        Assert.AreEqual(requests, server.Log.Count(path));
    }

    [TestMethod]
    public async Task Discovery_with_source_managed_ignores_installed_interpreters_and_auto_falls_back_to_a_download()
    {
        var folder = TestPython.TempFolder("managed-discovery");
        var (server, manifest, _) = await ServeAsync(folder);
        await using var _ = server;
        var cache = Path.Combine(folder, "cache");
        var empty = new Dictionary<string, string?> { ["PATH"] = "", ["PYENV_ROOT"] = Path.Combine(folder, "no-pyenv"), ["HOME"] = "/nonexistent" };
        foreach (var source in new[] { InterpreterSource.Auto, InterpreterSource.Managed })
        {
            var interpreter = await new InterpreterDiscovery(new InterpreterProbe(TestPython.ProbeCache), new DiscoveryOptions
            {
                ProjectDirectory = folder,
                PythonVersion = "3.12",
                Environment = name => empty.TryGetValue(name, out var value) ? value : null,
                SearchSystemLocations = false,
                Source = source,
                Managed = Managed(cache, manifest),
            }).FindAsync();
            StringAssert.StartsWith(interpreter.Executable, Path.Combine(cache, "python-v1"), source.ToString());
            Assert.IsTrue(interpreter.IsShared);
            StringAssert.StartsWith(interpreter.LibPython!, Path.Combine(cache, "python-v1"), "the probe finds the relocated build's own libpython");
        }

        var none = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => new InterpreterDiscovery(new InterpreterProbe(TestPython.ProbeCache), new DiscoveryOptions
        {
            ProjectDirectory = folder,
            PythonVersion = "3.9",
            Environment = name => empty.TryGetValue(name, out var value) ? value : null,
            SearchSystemLocations = false,
            Source = InterpreterSource.Managed,
            Managed = Managed(cache, manifest),
        }).FindAsync());
        Assert.AreEqual(DiagnosticCodes.NoManagedInterpreter, none.Code);
        StringAssert.Contains(none.Message, "Python 3.9");
        StringAssert.Contains(none.Message, BuildPlatform.Current().Key);
    }
}
