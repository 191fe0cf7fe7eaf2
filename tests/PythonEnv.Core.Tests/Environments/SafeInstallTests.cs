using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// A malicious or broken wheel never changes a venv nor writes outside the venv and the cache: every wheel of
/// the plan is unpacked and validated, and every file's owner settled, before the venv's first change. The
/// wheels come from the loopback test index, as they would from a hostile one.
/// </summary>
[TestClass]
public sealed class SafeInstallTests
{
    /// <summary>A venv synced to one good package, and an index serving the wheels a test publishes.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly TestIndexServer _server;
        private readonly IndexClient _client;

        private Scenario(InstallHarness harness, TestIndexServer server)
        {
            Harness = harness;
            _server = server;
            _client = new IndexClient(new IndexClientOptions { IndexUrls = new[] { server.SimpleUrl }, CacheDir = harness.Cache, RetryCount = 0 });
        }

        public InstallHarness Harness { get; }

        /// <summary>The plan the venv was synced to before the test's own.</summary>
        public List<PlannedPackage> Before { get; } = new();

        public static async Task<Scenario> StartAsync(string name, PythonInterpreter? python = null)
        {
            var harness = new InstallHarness(name, python ?? await TestPython.DefaultAsync());
            var scenario = new Scenario(harness, await TestIndexServer.StartAsync());
            scenario.Before.Add(scenario.Serve(new PackageSpec("victim", "1.0") { ConsoleScripts = { ["victim-tool"] = "victim:main" } }));
            await scenario.SyncAsync(scenario.Before);
            return scenario;
        }

        /// <summary>Publishes the wheel and plans it as the lock would: by name, version, file name, sha256 and URL.</summary>
        public PlannedPackage Serve(PackageSpec spec, Distribution? wheel = null, string? lockedName = null, string? lockedVersion = null)
        {
            wheel ??= spec.Wheel();
            _server.Publish(wheel);
            return new PlannedPackage(lockedName ?? spec.Name, lockedVersion ?? spec.Version,
                new[] { new PlannedArtifact(wheel.FileName, wheel.Sha256, wheel.Size, Url: _server.FileUrl(wheel.FileName)) }, Requested: true);
        }

        public Task<SyncResult> SyncAsync(IEnumerable<PlannedPackage> packages, UnpackLimits? limits = null)
        {
            var options = Harness.Options(_client.DownloadAsync);
            return Harness.SyncAsync(packages, limits is null ? options : new SyncOptions
            {
                CacheDirectory = options.CacheDirectory, Download = options.Download, Log = options.Log, Limits = limits,
            });
        }

        /// <summary>Syncs the test's plan (the earlier one plus <paramref name="added"/>) and expects it to fail with <paramref name="code"/>.</summary>
        public async Task<PythonEnvException> RefusedAsync(string code, params PlannedPackage[] added)
            => await RefusedAsync(code, (UnpackLimits?)null, added);

        public async Task<PythonEnvException> RefusedAsync(string code, UnpackLimits? limits, params PlannedPackage[] added)
        {
            var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => SyncAsync(Before.Concat(added), limits));
            Assert.AreEqual(code, error.Code, error.Message);
            return error;
        }

        /// <summary>The venv is exactly as the earlier sync left it, and nothing was written outside the venv and cache.</summary>
        public void AssertVenvUntouched()
        {
            var venv = Harness.Venv;
            Assert.IsTrue(EnvironmentSync.IsUpToDate(Harness.VenvRoot, new InstallPlan(Before).Fingerprint(Harness.Python)), "the venv still carries the earlier sync's stamp");
            CollectionAssert.AreEquivalent(new[] { "victim", "victim-1.0.dist-info" },
                Directory.EnumerateFileSystemEntries(venv.PureLib).Select(Path.GetFileName).Where(n => n != "__pycache__").ToArray(),
                "site-packages holds only what the earlier sync installed");
            var metadata = File.ReadAllText(Path.Combine(venv.PureLib, "victim-1.0.dist-info", "METADATA"));
            StringAssert.Contains(metadata, "Name: victim\nVersion: 1.0\n");
            Assert.IsFalse(metadata.Contains("6.6.6", StringComparison.Ordinal), metadata);
            Assert.AreEqual("hello from victim 1.0", Harness.RunInVenv("import victim; print(victim.hello())"));
            StringAssert.Contains(File.ReadAllText(Path.Combine(venv.Scripts, "victim-tool")), "from victim import main");
            Assert.AreEqual(0, Harness.FilesOutsideVenv().Length, string.Join(", ", Harness.FilesOutsideVenv()));
            Assert.AreEqual(0, TemporaryCacheFolders(Harness.Cache).Length, "an unpack that failed leaves no temporary folder");
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _server.DisposeAsync();
        }
    }

    private static string[] TemporaryCacheFolders(string cache)
        => Directory.Exists(Path.Combine(cache, "wheels-v1"))
            ? Directory.GetDirectories(Path.Combine(cache, "wheels-v1"), "*.tmp-*", SearchOption.AllDirectories)
            : Array.Empty<string>();

    private static string Metadata(string name, string version) => $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n";

    [TestMethod]
    public async Task A_wheel_whose_dist_info_folder_names_another_distribution_is_refused()
    {
        await using var scenario = await Scenario.StartAsync("distinfo-name");
        var spec = new PackageSpec("evil", "1.0");
        // Its metadata folder claims to be victim's: installing it would overwrite victim's METADATA and RECORD.
        var wheel = new WheelBuilder(spec) { DistInfoPrefixOverride = "victim-1.0", MetadataOverride = Metadata("victim", "1.0") }.Build();
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec, wheel));
        StringAssert.Contains(error.Message, "victim-1.0.dist-info does not name the distribution and version of its file name (evil 1.0)");
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("evil", "2.0", "its METADATA gives version '2.0', not 1.0", DisplayName = "METADATA version")]
    [DataRow("victim", "1.0", "its METADATA names the distribution 'victim', not evil", DisplayName = "METADATA name")]
    [DataRow("Evil", "1.0.0", null, DisplayName = "another spelling of the same name and version installs")]
    public async Task A_wheel_whose_METADATA_names_another_distribution_or_version_is_refused(string name, string version, string? reason)
    {
        await using var scenario = await Scenario.StartAsync("metadata");
        var spec = new PackageSpec("evil", "1.0");
        var wheel = new WheelBuilder(spec) { MetadataOverride = Metadata(name, version) }.Build();
        var package = scenario.Serve(spec, wheel);
        if (reason is null)
        {
            await scenario.SyncAsync(scenario.Before.Append(package));
            Assert.AreEqual("hello from evil 1.0", scenario.Harness.RunInVenv("import evil; print(evil.hello())"));
            return;
        }
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, package);
        StringAssert.Contains(error.Message, reason);
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("other", "1.0", "it is the distribution evil, but the lock installs it for other", DisplayName = "another name")]
    [DataRow("evil", "1.1", "it is version 1.0 of evil, but the lock says 1.1", DisplayName = "another version")]
    [DataRow("EVIL", "1.0.0", null, DisplayName = "PEP 503 name and PEP 440 version equal")]
    public async Task A_wheel_must_be_the_distribution_and_version_the_lock_names(string lockedName, string lockedVersion, string? reason)
    {
        await using var scenario = await Scenario.StartAsync("lockname");
        var spec = new PackageSpec("evil", "1.0");
        var package = scenario.Serve(spec, lockedName: lockedName, lockedVersion: lockedVersion);
        if (reason is null)
        {
            await scenario.SyncAsync(scenario.Before.Append(package));
            return;
        }
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, package);
        StringAssert.Contains(error.Message, reason);
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("victim-1.0.dist-info/RECORD", "several .dist-info folders", DisplayName = "a second dist-info folder")]
    [DataRow("evil-1.0.data/purelib/victim-1.0.dist-info/METADATA", "would be installed into the metadata folder", DisplayName = "through .data/purelib")]
    [DataRow("evil-1.0.data/platlib/victim-1.0.dist-info/entry_points.txt", "would be installed into the metadata folder", DisplayName = "through .data/platlib")]
    public async Task A_wheel_may_not_write_into_another_distributions_dist_info(string entry, string reason)
    {
        await using var scenario = await Scenario.StartAsync("overwrite");
        var spec = new PackageSpec("evil", "1.0");
        var wheel = new WheelBuilder(spec).AddRawEntry(entry, "Metadata-Version: 2.1\nName: victim\nVersion: 6.6.6\n").Build();
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec, wheel));
        StringAssert.Contains(error.Message, reason);
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("python", DisplayName = "python")]
    [DataRow("python3", DisplayName = "python3")]
    [DataRow("python3.11", DisplayName = "python3.X")]
    [DataRow("python3.13t", DisplayName = "free-threaded python3.Xt")]
    [DataRow("pythonw", DisplayName = "pythonw")]
    [DataRow("activate", DisplayName = "activate")]
    [DataRow("Activate.ps1", DisplayName = "Activate.ps1")]
    public async Task A_console_script_may_never_replace_the_venvs_interpreter_or_activate_scripts(string name)
    {
        await using var scenario = await Scenario.StartAsync("script-" + name);
        var python = scenario.Harness.Venv.Python;
        var spec = new PackageSpec("evil", "1.0");
        spec.ConsoleScripts[name] = "evil:main";
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec));
        StringAssert.Contains(error.Message, "belongs to the virtual environment itself");
        scenario.AssertVenvUntouched();
        Assert.AreEqual(scenario.Harness.Python.Version, TestPython.Run(python, "-c", "import platform; print(platform.python_version())").Output.Trim());
    }

    [TestMethod]
    [DataRow("python", DisplayName = ".data/scripts/python")]
    [DataRow("python3", DisplayName = ".data/scripts/python3")]
    [DataRow("activate", DisplayName = ".data/scripts/activate")]
    public async Task A_data_script_may_never_replace_the_venvs_own_files(string name)
    {
        await using var scenario = await Scenario.StartAsync("datascript-" + name);
        var spec = new PackageSpec("evil", "1.0");
        spec.Scripts[name] = "print('pwned')\n";
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec));
        StringAssert.Contains(error.Message, "belongs to the virtual environment itself");
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("evil-1.0.data/data/pyvenv.cfg", DisplayName = "pyvenv.cfg through .data/data")]
    [DataRow("evil-1.0.data/data/bin/python", DisplayName = "the interpreter through .data/data")]
    [DataRow("evil-1.0.data/data/.pythonenv-sync.json", DisplayName = "the sync stamp through .data/data")]
    [DataRow("evil-1.0.data/scripts/sub/tool", DisplayName = "a script in a subfolder")]
    public async Task Data_files_may_never_replace_the_venvs_own_files(string entry)
    {
        await using var scenario = await Scenario.StartAsync("datafile");
        var spec = new PackageSpec("evil", "1.0");
        var wheel = new WheelBuilder(spec).AddRawEntry(entry, "home = /tmp/evil\n").Build();
        await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec, wheel));
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    [DataRow("../escape", DisplayName = "parent folder")]
    [DataRow("sub/tool", DisplayName = "slash")]
    [DataRow("sub\\tool", DisplayName = "backslash")]
    [DataRow("C:tool", DisplayName = "drive colon")]
    [DataRow(".hidden", DisplayName = "leading dot")]
    public async Task An_invalid_entry_point_name_in_a_later_wheel_of_the_plan_leaves_the_venv_untouched(string name)
    {
        await using var scenario = await Scenario.StartAsync("later");
        var good = Enumerable.Range(1, 3).Select(i => scenario.Serve(new PackageSpec($"good{i}", "1.0"))).ToArray();
        var spec = new PackageSpec("zlast", "1.0");
        spec.ConsoleScripts[name] = "zlast:main";
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, good.Append(scenario.Serve(spec)).ToArray());
        StringAssert.Contains(error.Message, "is not a valid script name");
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    public async Task Two_packages_naming_one_script_conflict_before_the_venv_changes()
    {
        await using var scenario = await Scenario.StartAsync("script-conflict");
        var first = new PackageSpec("first", "1.0");
        first.ConsoleScripts["tool"] = "first:main";
        var second = new PackageSpec("second", "1.0");
        second.ConsoleScripts["tool"] = "second:main";
        var error = await scenario.RefusedAsync(DiagnosticCodes.InstallConflict, scenario.Serve(first), scenario.Serve(second));
        StringAssert.Contains(error.Message, "both install " + Path.Combine(scenario.Harness.Venv.Scripts, "tool"));
        scenario.AssertVenvUntouched();

        // A package that stays owns its script: a new package may not take it over.
        var usurper = new PackageSpec("usurper", "1.0");
        usurper.ConsoleScripts["victim-tool"] = "usurper:main";
        error = await scenario.RefusedAsync(DiagnosticCodes.InstallConflict, scenario.Serve(usurper));
        StringAssert.Contains(error.Message, "victim 1.0 (installed)");
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    public async Task Two_packages_installing_one_file_conflict_unless_its_bytes_are_the_same()
    {
        await using var scenario = await Scenario.StartAsync("file-conflict");
        var clash = new PackageSpec("clash", "1.0");
        var clashWheel = new WheelBuilder(clash).AddRawEntry("victim/__init__.py", "print('replaced')\n").Build();
        var error = await scenario.RefusedAsync(DiagnosticCodes.InstallConflict, scenario.Serve(clash, clashWheel));
        StringAssert.Contains(error.Message, "with different content");
        scenario.AssertVenvUntouched();

        // Old-style namespace packages ship the same __init__.py in several distributions: allowed, and removing
        // one keeps the file the other still owns.
        var a = new PackageSpec("ns-a", "1.0") { Files = { ["ns/__init__.py"] = "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n", ["ns/a.py"] = "A = 1\n" } };
        var b = new PackageSpec("ns-b", "1.0") { Files = { ["ns/__init__.py"] = "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n", ["ns/b.py"] = "B = 2\n" } };
        var (packageA, packageB) = (scenario.Serve(a), scenario.Serve(b));
        await scenario.SyncAsync(scenario.Before.Append(packageA).Append(packageB));
        Assert.AreEqual("1 2", scenario.Harness.RunInVenv("import ns.a, ns.b; print(ns.a.A, ns.b.B)"));
        await scenario.SyncAsync(scenario.Before.Append(packageB));
        Assert.AreEqual("2", scenario.Harness.RunInVenv("import ns.b; print(ns.b.B)"));
        var again = await scenario.SyncAsync(scenario.Before.Append(packageB));
        Assert.IsTrue(again.UpToDate, "ns-b was left whole: " + string.Join("; ", again.Drift));
    }

    [TestMethod]
    public async Task An_entry_larger_than_RECORD_declares_is_refused_before_it_is_written()
    {
        await using var scenario = await Scenario.StartAsync("oversized");
        var spec = new PackageSpec("bomb", "1.0");
        var builder = new WheelBuilder(spec).AddRawEntry("bomb/zeros.bin", new byte[8 << 20]);
        builder.RecordSizeOverrides["bomb/zeros.bin"] = 16;
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, scenario.Serve(spec, builder.Build()));
        StringAssert.Contains(error.Message, "'bomb/zeros.bin' unpacks to 8388608 bytes but RECORD says 16");
        scenario.AssertVenvUntouched();
    }

    [TestMethod]
    public async Task A_zip_bomb_is_refused_by_the_expansion_bound_and_the_global_cap()
    {
        await using var scenario = await Scenario.StartAsync("zipbomb");
        // 32 MiB of zeros deflate to ~32 KiB: a ratio of ~1000, honestly declared in RECORD.
        var spec = new PackageSpec("bomb", "1.0");
        var bomb = new WheelBuilder(spec).AddRawEntry("bomb/zeros.bin", new byte[32 << 20]).Build();
        var package = scenario.Serve(spec, bomb);
        var error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, new UnpackLimits { ExpansionAllowance = 1 << 20 }, package);
        StringAssert.Contains(error.Message, "a zip bomb?");
        scenario.AssertVenvUntouched();

        // Incompressible content past the global cap, whatever the ratio.
        var big = new PackageSpec("big", "1.0");
        var noise = new byte[4 << 20];
        new Random(42).NextBytes(noise);
        var bigWheel = new WheelBuilder(big).AddRawEntry("big/noise.bin", noise).Build();
        error = await scenario.RefusedAsync(DiagnosticCodes.InvalidWheel, new UnpackLimits { MaxUnpackedSize = 2 << 20 }, scenario.Serve(big, bigWheel));
        StringAssert.Contains(error.Message, "more than the 2097152 bytes");
        scenario.AssertVenvUntouched();

        // The default limits let a real-sized wheel of the same kind through.
        await scenario.SyncAsync(scenario.Before.Append(scenario.Serve(big, bigWheel)));
        Assert.AreEqual(noise.Length, new FileInfo(Path.Combine(scenario.Harness.Venv.PureLib, "big", "noise.bin")).Length);
    }

    [TestMethod]
    public async Task Stale_temporary_cache_folders_are_removed_unless_young_or_held_by_a_live_writer()
    {
        await using var scenario = await Scenario.StartAsync("stale");
        var shard = Path.Combine(scenario.Harness.Cache, "wheels-v1", "ab");
        string Temp(string sha, string id, TimeSpan age)
        {
            var folder = Path.Combine(shard, sha + ".tmp-" + id);
            Directory.CreateDirectory(Path.Combine(folder, "pkg"));
            File.WriteAllBytes(Path.Combine(folder, "pkg", "half.bin"), new byte[1024]);
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow - age);
            return folder;
        }
        var killed = Temp("ab" + new string('1', 62), "dead0001", TimeSpan.FromHours(2));
        var young = Temp("ab" + new string('2', 62), "live0002", TimeSpan.FromMinutes(1));
        var held = Temp("ab" + new string('3', 62), "live0003", TimeSpan.FromHours(2));
        using (await FileLock.AcquireAsync(Path.Combine(shard, "ab" + new string('3', 62)) + ".lock", "a writer in another build"))
        {
            // A sync that adds a wheel to the cache sweeps it.
            await scenario.SyncAsync(scenario.Before.Append(scenario.Serve(new PackageSpec("fresh", "1.0"))));
        }
        Assert.IsFalse(Directory.Exists(killed), "a killed writer's folder is removed");
        Assert.IsTrue(Directory.Exists(young), "a folder younger than the age is kept");
        Assert.IsTrue(Directory.Exists(held), "a folder whose entry lock is held is kept");
    }

    [TestMethod]
    public async Task Switching_to_an_interpreter_without_a_wheel_fails_PYENV4006_with_the_old_venv_intact()
    {
        var older = await TestPython.PyenvAsync("3.11");
        var newer = await TestPython.PyenvAsync("3.12");
        await using var scenario = await Scenario.StartAsync("switch", older);
        var spec = new PackageSpec("only311", "1.0");
        var package = scenario.Serve(spec, spec.Wheel("cp311-none-any"));
        scenario.Before.Add(package);
        await scenario.SyncAsync(scenario.Before);

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() =>
            EnvironmentSync.SyncAsync(new InstallPlan(scenario.Before), newer, scenario.Harness.VenvRoot, scenario.Harness.Options()));
        Assert.AreEqual(DiagnosticCodes.NoCompatibleWheel, error.Code);
        StringAssert.Contains(error.Message, "only311 1.0 cannot be installed on this interpreter");
        Assert.IsTrue(VirtualEnvironment.IsFor(scenario.Harness.VenvRoot, older, out var reason), reason);
        Assert.IsTrue(EnvironmentSync.IsUpToDate(scenario.Harness.VenvRoot, new InstallPlan(scenario.Before).Fingerprint(older)));
        Assert.AreEqual("3.11 hello from only311 1.0", scenario.Harness.RunInVenv("import sys, only311; print('%d.%d' % sys.version_info[:2], only311.hello())"));
    }
}
