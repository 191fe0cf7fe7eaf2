using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

[TestClass]
public sealed class EnvironmentSyncTests
{
    [TestMethod]
    public async Task Exact_sync_removes_extraneous_replaces_changed_and_keeps_unchanged()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("exact", python);
        var keep = new PackageSpec("keep", "1.0");
        var old = new PackageSpec("bump", "1.0");
        old.ConsoleScripts["bump-tool"] = "bump:main";
        var extra = new PackageSpec("extraneous", "1.0");
        var first = await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(old), harness.Package(extra) });
        Assert.AreEqual(3, first.Installed.Count);
        var keptFile = Path.Combine(harness.Venv.PureLib, "keep", "__init__.py");
        var keptWrite = File.GetLastWriteTimeUtc(Path.Combine(harness.Venv.PureLib, "keep-1.0.dist-info", "RECORD"));
        harness.RunInVenv("import extraneous"); // leaves __pycache__ behind, which removal must clean up too

        var newer = new PackageSpec("bump", "2.0");
        var added = new PackageSpec("added", "1.0");
        var second = await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(newer), harness.Package(added) });
        CollectionAssert.AreEqual(new[] { "extraneous 1.0" }, second.Removed.ToArray());
        CollectionAssert.AreEqual(new[] { "bump 1.0 -> 2.0" }, second.Replaced.ToArray());
        CollectionAssert.AreEqual(new[] { "added 1.0" }, second.Installed.ToArray());
        Assert.AreEqual(1, second.Unchanged);

        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "extraneous")), "extraneous package folder removed");
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "extraneous-1.0.dist-info")));
        Assert.IsFalse(File.Exists(Path.Combine(harness.Venv.Scripts, "bump-tool")), "the old version's script went with it");
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "bump-1.0.dist-info")));
        Assert.AreEqual("hello from bump 2.0", harness.RunInVenv("import bump; print(bump.hello())"));
        Assert.IsTrue(File.Exists(keptFile));
        Assert.AreEqual(keptWrite, File.GetLastWriteTimeUtc(Path.Combine(harness.Venv.PureLib, "keep-1.0.dist-info", "RECORD")), "unchanged distribution left alone");

        var third = await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(newer), harness.Package(added) });
        Assert.IsTrue(third.UpToDate);
        StringAssert.Contains(third.Summary, "up to date");
    }

    [TestMethod]
    public async Task A_venv_altered_by_hand_is_put_back_in_line_and_the_drift_reported()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("drift", python);
        var plan = new[] { "kept", "emptied", "swapped", "deleted" }.Select(n => harness.Package(new PackageSpec(n, "1.0"))).ToArray();
        var first = await harness.SyncAsync(plan);
        Assert.AreEqual(0, first.Drift.Count, "a new venv has no drift");
        var site = harness.Venv.PureLib;

        // What people do by hand: pip install something, delete a module, replace a version, uninstall one.
        var extra = new PackageSpec("handmade", "0.1").Wheel().WriteTo(harness.Files);
        TestPython.Run(python.Executable, "-c", $"import zipfile; zipfile.ZipFile({Py(extra)}).extractall({Py(site)})");
        File.Delete(Path.Combine(site, "emptied", "__init__.py"));
        FileSystem.DeleteDirectory(Path.Combine(site, "swapped-1.0.dist-info"));
        var other = new PackageSpec("swapped", "0.9").Wheel().WriteTo(Path.Combine(harness.Root, "other"));
        TestPython.Run(python.Executable, "-c", $"import zipfile; zipfile.ZipFile({Py(other)}).extractall({Py(site)})");
        WheelInstaller.Uninstall(Path.Combine(site, "deleted-1.0.dist-info"), harness.Venv);
        // Files copied in without any RECORD: a module, and a package with a dist-info that lists nothing.
        File.WriteAllText(Path.Combine(site, "stray.py"), "x = 1\n");
        Directory.CreateDirectory(Path.Combine(site, "norecord", "sub"));
        File.WriteAllText(Path.Combine(site, "norecord", "sub", "__init__.py"), "");
        Directory.CreateDirectory(Path.Combine(site, "norecord-2.0.dist-info"));
        File.WriteAllText(Path.Combine(site, "norecord-2.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: norecord\nVersion: 2.0\n\n");

        var repaired = await harness.SyncAsync(plan);
        Assert.IsFalse(repaired.UpToDate);
        CollectionAssert.AreEqual(new[]
        {
            "emptied 1.0 was altered by hand (emptied/__init__.py is missing)",
            "handmade 0.1 was installed by hand",
            "norecord 2.0 was installed by hand",
            "swapped 1.0 was replaced by hand (now swapped 0.9, not installed by PythonEnv.Sdk)",
            "deleted 1.0 was removed by hand",
            "norecord/ in site-packages belonged to no distribution",
            "stray.py in site-packages belonged to no distribution",
        }, repaired.Drift.ToArray(), string.Join("\n", repaired.Drift));
        CollectionAssert.AreEqual(new[] { "handmade 0.1", "norecord 2.0" }, repaired.Removed.ToArray());
        CollectionAssert.AreEquivalent(new[] { "emptied 1.0", "swapped 0.9 -> 1.0" }, repaired.Replaced.ToArray());
        CollectionAssert.AreEqual(new[] { "deleted 1.0" }, repaired.Installed.ToArray());
        Assert.AreEqual(1, repaired.Unchanged);
        CollectionAssert.AreEquivalent(
            new[] { "kept", "emptied", "swapped", "deleted" }.SelectMany(n => new[] { n, n + "-1.0.dist-info" }).ToArray(),
            Directory.EnumerateFileSystemEntries(site).Select(Path.GetFileName).Where(n => n != "__pycache__").ToArray(),
            "site-packages holds exactly the locked distributions");
        foreach (var name in new[] { "kept", "emptied", "swapped", "deleted" })
        {
            Assert.AreEqual($"hello from {name} 1.0", harness.RunInVenv($"import {name}; print({name}.hello())"));
        }

        var again = await harness.SyncAsync(plan);
        Assert.IsTrue(again.UpToDate);
        Assert.AreEqual(0, again.Drift.Count);
    }

    [TestMethod]
    public async Task Watched_paths_cover_the_venv_files_and_every_folder_in_site_packages_but_bytecode_caches()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("watch", python);
        await harness.SyncAsync(new[] { harness.Package(new PackageSpec("watched", "1.0")) });
        harness.RunInVenv("import watched");
        Directory.CreateDirectory(Path.Combine(harness.Venv.PureLib, "__pycache__"));

        var paths = EnvironmentSync.WatchedPaths(harness.Venv);
        foreach (var expected in new[]
        {
            Path.Combine(harness.VenvRoot, "pyvenv.cfg"), harness.Venv.Python, Path.Combine(harness.VenvRoot, EnvironmentSync.StampFile),
            harness.Venv.Scripts, harness.Venv.PureLib,
            Path.Combine(harness.Venv.PureLib, "watched"), Path.Combine(harness.Venv.PureLib, "watched-1.0.dist-info"),
        })
        {
            CollectionAssert.Contains(paths.ToArray(), expected);
        }
        Assert.IsFalse(paths.Any(p => Path.GetFileName(p) == "__pycache__"), string.Join("\n", paths));
    }

    [TestMethod]
    public async Task Installs_hard_link_from_the_unpacked_wheel_cache()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("links", python);
        var spec = new PackageSpec("linked", "1.0");
        await harness.SyncAsync(new[] { harness.Package(spec) });
        var installed = Path.Combine(harness.Venv.PureLib, "linked", "__init__.py");
        var cached = Directory.GetFiles(Path.Combine(harness.Cache, "wheels-v1"), "__init__.py", SearchOption.AllDirectories).Single();
        // Same inode: writing through one name is visible through the other (checked without modifying them).
        var (code, output) = TestPython.Run(python.Executable, "-c", $"import os; print(os.stat({Py(installed)}).st_ino == os.stat({Py(cached)}).st_ino)");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("True", output.Trim());
    }

    [TestMethod]
    public async Task Corrupted_download_hash_mismatch_is_refused_and_the_venv_untouched()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("hash", python);
        var good = new PackageSpec("good", "1.0");
        await harness.SyncAsync(new[] { harness.Package(good) });

        // A local file that is not what the lock says.
        var spec = new PackageSpec("tampered", "1.0");
        var wheel = spec.Wheel();
        var path = wheel.WriteTo(harness.Files);
        File.AppendAllText(path, "garbage");
        var local = new PlannedPackage("tampered", "1.0", new[] { new PlannedArtifact(wheel.FileName, wheel.Sha256, wheel.Size, path) });
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(good), local }));
        Assert.AreEqual(DiagnosticCodes.ArtifactHashMismatch, error.Code);
        StringAssert.Contains(error.Message, wheel.Sha256);

        // A download the index corrupts in transit.
        await using var server = await TestIndexServer.StartAsync();
        var served = new PackageSpec("served", "1.0");
        var servedWheel = served.Wheel();
        server.Publish(servedWheel);
        server.Faults.Corrupt(servedWheel.FileName);
        using var client = new IndexClient(new IndexClientOptions { IndexUrls = new[] { server.SimpleUrl }, CacheDir = harness.Cache, RetryCount = 0 });
        var remote = new PlannedPackage("served", "1.0", new[] { new PlannedArtifact(servedWheel.FileName, servedWheel.Sha256, servedWheel.Size, Url: server.FileUrl(servedWheel.FileName)) });
        var downloadError = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(good), remote }, harness.Options(client.DownloadAsync)));
        Assert.AreEqual(DiagnosticCodes.HashMismatch, downloadError.Code);

        // Nothing was changed: the venv still holds exactly the previous, complete environment.
        Assert.IsTrue(EnvironmentSync.IsUpToDate(harness.VenvRoot, new InstallPlan(new[] { harness.Package(good) }).Fingerprint(python)));
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "tampered")));

        // Once the index serves the right bytes, the same plan installs from it.
        server.Faults.Clear();
        await harness.SyncAsync(new[] { harness.Package(good), remote }, harness.Options(client.DownloadAsync));
        Assert.AreEqual("hello from served 1.0", harness.RunInVenv("import served; print(served.hello())"));
    }

    [TestMethod]
    [DataRow("../evil.py", DisplayName = "parent traversal")]
    [DataRow("/tmp/evil.py", DisplayName = "absolute path")]
    [DataRow("pkg/../../evil.py", DisplayName = "traversal inside a folder")]
    [DataRow("C:/evil.py", DisplayName = "drive letter")]
    [DataRow("evil.data/scripts/../../../../evil", DisplayName = "traversal through .data")]
    public async Task Malicious_wheel_entries_abort_the_install(string entry)
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("evil", python);
        var spec = new PackageSpec("evil", "1.0");
        var wheel = new WheelBuilder(spec).AddRawEntry(entry, "print('pwned')\n").Build();
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(spec, wheel) }));
        Assert.AreEqual(DiagnosticCodes.InvalidWheel, error.Code);
        StringAssert.Contains(error.Message, "evil-1.0-py3-none-any.whl");
        Assert.AreEqual(0, harness.FilesOutsideVenv().Length, string.Join(", ", harness.FilesOutsideVenv()));
        Assert.IsFalse(File.Exists("/tmp/evil.py"));
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "evil")));
    }

    [TestMethod]
    [DataRow(RecordCorruption.WrongHash)]
    [DataRow(RecordCorruption.WrongSize)]
    [DataRow(RecordCorruption.MissingFile)]
    [DataRow(RecordCorruption.Omitted)]
    public async Task Files_missing_from_or_differing_from_RECORD_abort_the_install(RecordCorruption corruption)
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("record", python);
        var spec = new PackageSpec("badrecord", "1.0");
        var wheel = new WheelBuilder(spec) { RecordCorruption = corruption }.Build();
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(spec, wheel) }));
        Assert.AreEqual(DiagnosticCodes.InvalidWheel, error.Code);
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "badrecord")));
    }

    [TestMethod]
    public async Task Symbolic_link_entries_are_rejected()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("symlink", python);
        var spec = new PackageSpec("linky", "1.0");
        var wheel = new WheelBuilder(spec).AddSymlink("linky/escape", "/etc/passwd").Build();
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(spec, wheel) }));
        Assert.AreEqual(DiagnosticCodes.InvalidWheel, error.Code);
        StringAssert.Contains(error.Message, "symbolic link");
    }

    [TestMethod]
    public async Task Killed_install_is_never_taken_as_complete_and_the_next_sync_repairs_it()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("killed", python);
        var specs = Enumerable.Range(1, 6).Select(i => new PackageSpec($"part{i}", "1.0")).ToArray();
        var plan = specs.Select(s => harness.Package(s)).ToArray();
        await harness.SyncAsync(plan.Take(2));

        // Stop the sync right after its second change, as a killed build would.
        using var kill = new CancellationTokenSource();
        var changes = 0;
        var options = harness.Options(log: _ => { if (++changes == 2) { kill.Cancel(); } });
        await Assert.ThrowsAsync<OperationCanceledException>(() => harness.SyncAsync(plan, options, kill.Token));
        var fingerprint = new InstallPlan(plan).Fingerprint(python);
        Assert.IsFalse(EnvironmentSync.IsUpToDate(harness.VenvRoot, fingerprint), "a half-synced venv has no stamp");

        // Simulate a kill inside one wheel's install too: its dist-info has RECORD but no completion marker.
        var partial = Directory.GetDirectories(harness.Venv.PureLib, "part*.dist-info").First();
        File.Delete(Path.Combine(partial, WheelInstaller.SourceFile));

        var repaired = await harness.SyncAsync(plan);
        Assert.IsFalse(repaired.UpToDate);
        Assert.IsTrue(EnvironmentSync.IsUpToDate(harness.VenvRoot, fingerprint));
        foreach (var spec in specs)
        {
            Assert.AreEqual($"hello from {spec.Name} 1.0", harness.RunInVenv($"import {spec.ModuleName}; print({spec.ModuleName}.hello())"));
        }
        Assert.AreEqual(specs.Length, Directory.GetDirectories(harness.Venv.PureLib, "*.dist-info").Length);
    }

    [TestMethod]
    public async Task Two_concurrent_syncs_of_one_venv_do_not_corrupt_it()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("concurrent", python);
        var plan = Enumerable.Range(1, 8).Select(i => harness.Package(new PackageSpec($"conc{i}", "1.0"))).ToArray();
        var results = await Task.WhenAll(
            Task.Run(() => harness.SyncAsync(plan)),
            Task.Run(() => harness.SyncAsync(plan)));
        // One did the work under the lock; the other then found the venv up to date.
        Assert.AreEqual(1, results.Count(r => r.UpToDate));
        Assert.AreEqual(8, results.Sum(r => r.Installed.Count));
        Assert.IsTrue(EnvironmentSync.IsUpToDate(harness.VenvRoot, new InstallPlan(plan).Fingerprint(python)));
        Assert.AreEqual("hello from conc8 1.0", harness.RunInVenv("import conc8; print(conc8.hello())"));
    }

    [TestMethod]
    public async Task Corrupt_cache_entry_is_detected_and_refetched()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("cachefix", python);
        var spec = new PackageSpec("cached", "1.0");
        var package = harness.Package(spec);
        await harness.SyncAsync(new[] { package });
        var cachedFile = Directory.GetFiles(Path.Combine(harness.Cache, "wheels-v1"), "__init__.py", SearchOption.AllDirectories).Single();
        File.Delete(cachedFile); // a disk clean-up or a crash took part of the entry

        FileSystem.DeleteDirectory(harness.VenvRoot);
        await harness.SyncAsync(new[] { package });
        Assert.AreEqual("hello from cached 1.0", harness.RunInVenv("import cached; print(cached.hello())"));
        Assert.IsTrue(File.Exists(cachedFile), "the entry was unpacked again");
    }

    [TestMethod]
    public async Task Venv_from_another_Python_is_recreated_by_sync()
    {
        var older = await TestPython.PyenvAsync("3.11");
        var newer = await TestPython.PyenvAsync("3.12");
        var harness = new InstallHarness("otherpy", older);
        var spec = new PackageSpec("portable", "1.0");
        await harness.SyncAsync(new[] { harness.Package(spec) });

        var result = await EnvironmentSync.SyncAsync(new InstallPlan(new[] { harness.Package(spec) }), newer, harness.VenvRoot, harness.Options());
        Assert.IsTrue(result.VenvCreated);
        Assert.IsTrue(harness.Log.Any(l => l.StartsWith("Recreated", StringComparison.Ordinal)), string.Join("\n", harness.Log));
        var (code, output) = TestPython.Run(result.Venv.Python, "-c", "import platform, portable; print(platform.python_version(), portable.hello())");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual($"{newer.Version} hello from portable 1.0", output.Trim());
    }

    private static string Py(string path) => "'" + path.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
