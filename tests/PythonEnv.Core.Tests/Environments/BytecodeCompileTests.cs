using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Hosts;
using PythonEnv.IO;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// PythonCompileBytecode: installed .py files compiled to PEP 3147 bytecode by the target interpreter and recorded
/// in RECORD with hash and size, as pip's install does.
/// </summary>
[TestClass]
public sealed class BytecodeCompileTests
{
    /// <summary>A package with sources in folders, a file this Python cannot compile, a data file and a script.</summary>
    private static PackageSpec Calc()
    {
        var spec = new PackageSpec("calc", "1.0");
        spec.Files["calc/__init__.py"] = "from calc.ops import add\n";
        spec.Files["calc/ops.py"] = "def add(a, b):\n    return a + b\n";
        spec.Files["calc/sub/__init__.py"] = "";
        spec.Files["calc/legacy.py"] = "print 'only Python 2 reads this'\n";
        spec.Files["calc/table.txt"] = "1 2 3\n";
        spec.Files["calc_single.py"] = "VALUE = 42\n";
        spec.Scripts["calc-run"] = "#!python\nimport calc\n";
        return spec;
    }

    private static SyncOptions Compiling(InstallHarness harness, bool compile, List<string>? notes = null)
    {
        var options = harness.Options();
        return new SyncOptions
        {
            CacheDirectory = options.CacheDirectory,
            SdistBuilder = options.SdistBuilder,
            Log = options.Log,
            CompileBytecode = compile,
            Note = line => notes?.Add(line),
        };
    }

    private static Dictionary<string, RecordEntry> Record(string distInfo)
        => RecordFile.Parse(File.ReadAllText(Path.Combine(distInfo, "RECORD"))).ToDictionary(r => r.Path, StringComparer.Ordinal);

    private static string CacheTag(InstallHarness harness) => harness.RunInVenv("import sys; print(sys.implementation.cache_tag)");

    [TestMethod]
    public async Task Every_source_in_site_packages_is_compiled_and_its_pyc_recorded_with_hash_and_size()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("bytecode", python);
        var notes = new List<string>();
        var result = await harness.SyncAsync(new[] { harness.Package(Calc()) }, Compiling(harness, compile: true, notes));
        Assert.AreEqual(1, result.Installed.Count);

        var tag = CacheTag(harness);
        var site = harness.Venv.PureLib;
        var record = Record(Path.Combine(site, "calc-1.0.dist-info"));
        var expected = new[] { "calc/__pycache__/__init__", "calc/__pycache__/ops", "calc/sub/__pycache__/__init__", "__pycache__/calc_single" }
            .Select(stem => $"{stem}.{tag}.pyc").ToList();
        CollectionAssert.AreEquivalent(expected, record.Keys.Where(p => p.EndsWith(".pyc", StringComparison.Ordinal)).ToList(),
            "one .pyc per compilable source; none for the Python 2 file, the data file or the script");
        foreach (var pyc in expected)
        {
            var bytes = File.ReadAllBytes(Path.Combine(site, pyc));
            Assert.AreEqual(Hashing.RecordHash(Hashing.Sha256(bytes)), record[pyc].Hash, pyc);
            Assert.AreEqual(bytes.Length, record[pyc].Size, pyc);
        }
        var rows = RecordFile.Parse(File.ReadAllText(Path.Combine(site, "calc-1.0.dist-info", "RECORD")));
        Assert.AreEqual("calc-1.0.dist-info/RECORD", rows[rows.Count - 1].Path, "RECORD's own row stays last");
        Assert.IsTrue(harness.Log.Any(l => l.Contains("Compiled 4 files to bytecode")), string.Join("\n", harness.Log));
        Assert.AreEqual(1, notes.Count, string.Join("\n", notes));
        StringAssert.Contains(notes[0], "legacy.py");
        StringAssert.Contains(notes[0], "run from source");

        // The interpreter takes the .pyc as valid: importing does not write it again.
        var ops = Path.Combine(site, "calc", "__pycache__", $"ops.{tag}.pyc");
        var written = File.GetLastWriteTimeUtc(ops);
        Thread.Sleep(20);
        Assert.AreEqual("3", harness.RunInVenv("import calc; print(calc.add(1, 2))"));
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(ops), "the compiled file is the one Python uses");

        var again = await harness.SyncAsync(new[] { harness.Package(Calc()) }, Compiling(harness, compile: true));
        Assert.IsTrue(again.UpToDate, "the recorded .pyc files are part of the distribution the next sync checks");
    }

    [TestMethod]
    public async Task The_compiled_files_are_the_ones_pip_compiles_for_the_same_wheel()
    {
        var python = await TestPython.DefaultAsync();
        var pip = TestPython.BundledPipWheel(python);
        var harness = new InstallHarness("bytecode-pip", python);
        var calc = Calc().Wheel();
        await harness.SyncAsync(new[] { harness.Package(Calc(), calc) }, Compiling(harness, compile: true));

        var pipVenv = Path.Combine(harness.Root, "pip-venv");
        Assert.AreEqual(0, TestPython.Run(python.Executable, "-m", "venv", "--without-pip", pipVenv).ExitCode);
        var wheel = calc.WriteTo(Path.Combine(harness.Root, "pip-wheel"));
        var (exit, output) = TestPython.Run(Path.Combine(pipVenv, "bin", "python"), Path.Combine(pip, "pip"), "install", "--no-deps", "--no-index", "--disable-pip-version-check", wheel);
        Assert.AreEqual(0, exit, output);
        var pipSite = Directory.GetDirectories(Path.Combine(pipVenv, "lib"), "python*").Single();
        var pipRecord = Record(Path.Combine(pipSite, "site-packages", "calc-1.0.dist-info"));
        var ours = Record(Path.Combine(harness.Venv.PureLib, "calc-1.0.dist-info"));
        CollectionAssert.AreEquivalent(
            pipRecord.Keys.Where(p => p.Contains("__pycache__")).ToList(),
            ours.Keys.Where(p => p.Contains("__pycache__")).ToList(),
            "pip's RECORD lists the same bytecode");
        foreach (var pyc in ours.Keys.Where(p => p.Contains("__pycache__")))
        {
            // pip lists bytecode without hash or size; we record both (the sync checks them like every other file). The
            // code objects name their source path, which differs between the venvs; the PEP 552 header says how each
            // .pyc is validated: the same magic number, flags (0: by timestamp) and source size as pip's.
            var theirs = File.ReadAllBytes(Path.Combine(pipSite, "site-packages", pyc));
            var ourBytes = File.ReadAllBytes(Path.Combine(harness.Venv.PureLib, pyc));
            CollectionAssert.AreEqual(theirs.Take(8).Concat(theirs.Skip(12).Take(4)).ToArray(), ourBytes.Take(8).Concat(ourBytes.Skip(12).Take(4)).ToArray(), pyc);
        }
    }

    [TestMethod]
    public async Task Turning_it_on_compiles_what_was_installed_without_and_removal_takes_the_bytecode_along()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("bytecode-on", python);
        var keep = new PackageSpec("keep", "1.0");
        await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(Calc()) }, Compiling(harness, compile: false));
        Assert.IsFalse(Record(Path.Combine(harness.Venv.PureLib, "calc-1.0.dist-info")).Keys.Any(p => p.EndsWith(".pyc", StringComparison.Ordinal)), "off: nothing compiled");
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "calc", "__pycache__")));

        var on = await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(Calc()) }, Compiling(harness, compile: true));
        Assert.IsFalse(on.UpToDate, "a venv without bytecode does not match a build that asks for it");
        Assert.AreEqual(0, on.Installed.Count + on.Replaced.Count, "nothing reinstalled: compiled in place");
        Assert.AreEqual(2, on.Unchanged);
        Assert.IsTrue(Record(Path.Combine(harness.Venv.PureLib, "calc-1.0.dist-info")).Keys.Any(p => p.EndsWith(".pyc", StringComparison.Ordinal)));
        Assert.IsTrue(Record(Path.Combine(harness.Venv.PureLib, "keep-1.0.dist-info")).Keys.Any(p => p.EndsWith(".pyc", StringComparison.Ordinal)));
        Assert.IsTrue((await harness.SyncAsync(new[] { harness.Package(keep), harness.Package(Calc()) }, Compiling(harness, compile: true))).UpToDate);

        var removed = await harness.SyncAsync(new[] { harness.Package(keep) }, Compiling(harness, compile: true));
        CollectionAssert.AreEqual(new[] { "calc 1.0" }, removed.Removed.ToArray());
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "calc")), "the package folder went with its bytecode");
        Assert.IsFalse(Directory.GetFiles(harness.Venv.PureLib, "calc_single*", SearchOption.AllDirectories).Any(), "the top-level module's .pyc went too");
    }

    [TestMethod]
    public async Task An_interpreter_that_cannot_run_the_compiler_is_PYENV4030()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("bytecode-broken", python);
        await harness.SyncAsync(new[] { harness.Package(Calc()) }, Compiling(harness, compile: false));
        var distInfo = Path.Combine(harness.Venv.PureLib, "calc-1.0.dist-info");
        var before = File.ReadAllText(Path.Combine(distInfo, "RECORD"));

        var failing = Path.Combine(harness.Root, "failing-python");
        File.WriteAllText(failing, "#!/bin/sh\necho 'error while loading shared libraries: libpython3.so' >&2\nexit 127\n");
        FileSystem.SetMode(failing, 0x1ED);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => BytecodeCompiler.CompileAsync(failing, new[] { distInfo }, PycInvalidation.Default, CancellationToken.None));
        Assert.AreEqual("PYENV4030", error.Code);
        StringAssert.Contains(error.Message, "exit code 127: error while loading shared libraries");
        StringAssert.Contains(error.Message, "PythonCompileBytecode=false");
        Assert.AreEqual(before, File.ReadAllText(Path.Combine(distInfo, "RECORD")), "RECORD untouched");
    }

    [TestMethod]
    public async Task An_answer_naming_a_file_outside_the_sources_pycache_is_not_recorded()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("bytecode-liar", python);
        await harness.SyncAsync(new[] { harness.Package(Calc()) }, Compiling(harness, compile: false));
        var distInfo = Path.Combine(harness.Venv.PureLib, "calc-1.0.dist-info");
        var before = File.ReadAllText(Path.Combine(distInfo, "RECORD"));

        // A "compiler" that claims to have written the venv's pyvenv.cfg for every source.
        var liar = Path.Combine(harness.Root, "liar-python");
        File.WriteAllText(liar, $"#!{python.Executable}\nimport json, sys\nrequest = json.load(sys.stdin)\n" +
            $"print(json.dumps([[f, {System.Text.Json.JsonSerializer.Serialize(Path.Combine(harness.VenvRoot, "pyvenv.cfg"))}, None] for f in request['files']]))\n");
        FileSystem.SetMode(liar, 0x1ED);
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => BytecodeCompiler.CompileAsync(liar, new[] { distInfo }, PycInvalidation.Default, CancellationToken.None));
        Assert.AreEqual("PYENV4030", error.Code);
        StringAssert.Contains(error.Message, "not understood");
        Assert.AreEqual(before, File.ReadAllText(Path.Combine(distInfo, "RECORD")), "RECORD untouched");
    }

    [TestMethod]
    public async Task A_published_environment_has_hash_checked_bytecode_recorded_and_no_rows_for_what_stayed_behind()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("bytecode-publish", python);
        await harness.SyncAsync(new[] { harness.Package(Calc()) }, Compiling(harness, compile: true));
        var (staged, report) = await Publish(harness, compile: true);
        var site = Directory.GetDirectories(Path.Combine(staged, "lib"), "python*").Single() + "/site-packages";
        var record = Record(Path.Combine(site, "calc-1.0.dist-info"));
        foreach (var row in record.Values.Where(r => r.Hash.Length > 0))
        {
            var path = Path.Combine(site, row.Path);
            Assert.IsTrue(File.Exists(path), $"{row.Path} is listed and published");
            Assert.AreEqual(Hashing.RecordHash(Hashing.Sha256(File.ReadAllBytes(path))), row.Hash, row.Path);
        }
        Assert.IsFalse(record.Keys.Any(p => p.StartsWith("..", StringComparison.Ordinal)), "the script stayed behind, and so did its row");
        var pycs = record.Keys.Where(p => p.EndsWith(".pyc", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(4, pycs.Count, string.Join("\n", record.Keys));
        foreach (var pyc in pycs)
        {
            // PEP 552: the flags word after the magic number; 0b11 is a checked hash-based .pyc.
            Assert.AreEqual(3, BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(site, pyc)), 4), pyc);
        }
        StringAssert.Contains(report, "4 .pyc compiled");

        var (plain, _) = await Publish(harness, compile: false);
        var plainSite = Directory.GetDirectories(Path.Combine(plain, "lib"), "python*").Single() + "/site-packages";
        Assert.IsFalse(Directory.GetFiles(plainSite, "*.pyc", SearchOption.AllDirectories).Any(), "PythonCompileBytecode=false publishes sources only");
        Assert.IsFalse(Record(Path.Combine(plainSite, "calc-1.0.dist-info")).Keys.Any(p => p.Contains("__pycache__")), "and lists no bytecode (not the venv's either)");
    }

    private static async Task<(string Root, string Log)> Publish(InstallHarness harness, bool compile)
    {
        var folder = Path.Combine(harness.Root, compile ? "publish" : "publish-plain");
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, "pylock.toml");
        File.WriteAllText(lockPath, "lock-version = \"1.0\"\ncreated-by = \"test\"\npackages = []\n");
        var runtimeConfig = Path.Combine(folder, "app.runtimeconfig.json");
        File.WriteAllText(runtimeConfig, "{\"runtimeOptions\": {\"tfm\": \"net10.0\"}}");
        var venv = harness.Venv;
        var log = new List<string>();
        await PublishedEnvironment.StageAsync(new PublishRequest
        {
            LockFile = lockPath,
            HostValues = new Dictionary<string, string>
            {
                [HostValues.PythonExecutable] = venv.Python,
                [HostValues.PythonBaseExecutable] = harness.Python.BaseExecutable,
                [HostValues.PythonLibrary] = harness.Python.LibPython ?? "",
                [HostValues.PythonHome] = harness.Python.BasePrefix,
                [HostValues.PythonPrefix] = venv.Root,
                [HostValues.PythonSitePackages] = venv.PureLib,
                [HostValues.PythonInterpreterVersion] = harness.Python.Version,
            },
            StagingDirectory = Path.Combine(folder, "staging"),
            RuntimeConfig = runtimeConfig,
            CompileBytecode = compile,
            Log = log.Add,
        }, CancellationToken.None);
        return (Path.Combine(folder, "staging", "python"), string.Join("\n", log));
    }
}
