using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.IO;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

[TestClass]
public sealed class WheelInstallerTests
{
    [TestMethod]
    public async Task Bundled_pip_wheel_installs_and_runs()
    {
        var python = await TestPython.DefaultAsync();
        var wheel = TestPython.BundledPipWheel(python);
        var harness = new InstallHarness("pip", python);
        var name = Path.GetFileName(wheel);
        var version = name.Split('-')[1];
        var artifact = new PlannedArtifact(name, Hashing.Sha256HexOfFile(wheel), new FileInfo(wheel).Length, wheel);
        await harness.SyncAsync(new[] { new PlannedPackage("pip", version, new[] { artifact }, Requested: true) });

        var (code, output) = TestPython.Run(harness.Venv.Python, "-m", "pip", "--version");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, $"pip {version} from {harness.Venv.PureLib}");
        (code, output) = TestPython.Run(harness.Venv.Python, "-m", "pip", "check");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "No broken requirements found");
        // The console entry point runs too, with the venv's interpreter.
        (code, output) = TestPython.Run(Path.Combine(harness.Venv.Scripts, "pip"), "--version");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, version);
        Assert.AreEqual(WheelInstaller.InstallerName, File.ReadAllText(Path.Combine(harness.Venv.PureLib, $"pip-{version}.dist-info", "INSTALLER")).Trim());
        Assert.IsTrue(File.Exists(Path.Combine(harness.Venv.PureLib, $"pip-{version}.dist-info", "REQUESTED")));
    }

    [TestMethod]
    public async Task Data_scripts_headers_and_entry_points_go_where_the_wheel_spec_says()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("rich", python);
        var spec = new PackageSpec("Rich.Pkg", "1.2.0");
        spec.ConsoleScripts["rich-hello"] = "rich_pkg:main";
        spec.GuiScripts["rich-gui"] = "rich_pkg:main";
        spec.Scripts["rich-script"] = "import rich_pkg\nprint('script', rich_pkg.hello())\n";
        spec.DataFiles["share/rich/data.txt"] = "data file";
        spec.Headers["rich.h"] = "#define RICH 1\n";
        spec.Purelib["rich_extra.py"] = "VALUE = 'purelib'\n";
        spec.Platlib["rich_plat.py"] = "VALUE = 'platlib'\n";
        await harness.SyncAsync(new[] { harness.Package(spec) });

        var venv = harness.Venv;
        Assert.AreEqual("hello from Rich.Pkg 1.2.0|purelib|platlib", harness.RunInVenv("import rich_pkg, rich_extra, rich_plat; print(rich_pkg.hello() + '|' + rich_extra.VALUE + '|' + rich_plat.VALUE)"));
        Assert.AreEqual("data file", File.ReadAllText(Path.Combine(venv.Root, "share", "rich", "data.txt")));
        Assert.IsTrue(File.Exists(Path.Combine(venv.HeadersFor("rich_pkg"), "rich.h")) || File.Exists(Path.Combine(venv.HeadersFor("Rich.Pkg"), "rich.h"))
            || Directory.EnumerateFiles(Path.Combine(venv.Root, "include", "site"), "rich.h", SearchOption.AllDirectories).Any());

        // #!python is rewritten to the venv's interpreter, and the script runs.
        var script = Path.Combine(venv.Scripts, "rich-script");
        Assert.AreEqual("#!" + venv.Python, File.ReadAllLines(script)[0]);
        var (code, output) = TestPython.Run(script);
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("script hello from Rich.Pkg 1.2.0", output.Trim());
        (code, output) = TestPython.Run(Path.Combine(venv.Scripts, "rich-hello"));
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("hello from Rich.Pkg 1.2.0", output.Trim());
        Assert.IsTrue(File.Exists(Path.Combine(venv.Scripts, "rich-gui")));

        // RECORD lists every installed file, with hashes that match what is on disk.
        var distInfo = Directory.GetDirectories(venv.PureLib, "rich_pkg-1.2.0.dist-info").Single();
        var rows = RecordFile.Parse(File.ReadAllText(Path.Combine(distInfo, "RECORD")));
        foreach (var row in rows.Where(r => r.Hash.Length > 0))
        {
            var path = Path.GetFullPath(Path.Combine(venv.PureLib, row.Path));
            Assert.IsTrue(File.Exists(path), row.Path);
            Assert.AreEqual(row.Hash, Hashing.RecordHash(Hashing.Sha256(File.ReadAllBytes(path))), row.Path);
        }
        foreach (var expected in new[] { "../../../bin/rich-hello", "../../../bin/rich-script", "rich_pkg/__init__.py", "rich_pkg-1.2.0.dist-info/INSTALLER", "rich_pkg-1.2.0.dist-info/RECORD" })
        {
            Assert.IsTrue(rows.Any(r => r.Path == expected), $"RECORD lacks {expected}: {string.Join(", ", rows.Select(r => r.Path))}");
        }
        // pip (when present) agrees the distribution is installed and complete: importlib.metadata reads it.
        Assert.AreEqual("1.2.0", harness.RunInVenv("import importlib.metadata as m; print(m.version('rich-pkg'))"));
    }

    [TestMethod]
    public async Task The_best_wheel_by_the_interpreters_tag_order_is_chosen()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("tags", python);
        var generic = new PackageSpec("fast", "1.0");
        var specific = new PackageSpec("fast", "1.0");
        specific.Files["fast/__init__.py"] = "KIND = 'specific'\n";
        generic.Files["fast/__init__.py"] = "KIND = 'generic'\n";
        var best = python.Tags[0];
        var other = new PackageSpec("fast", "1.0");
        other.Files["fast/__init__.py"] = "KIND = 'windows'\n";
        var wheels = new[]
        {
            generic.Wheel("py3-none-any"),
            new WheelBuilder(specific) { Tags = $"{best.Interpreter}-{best.Abi}-{best.Platform}" }.Build(),
            other.Wheel("cp312-cp312-win_amd64"),
        };
        await harness.SyncAsync(new[] { harness.Package(generic, wheels) });
        Assert.AreEqual("specific", harness.RunInVenv("import fast; print(fast.KIND)"));
    }

    [TestMethod]
    public async Task No_compatible_wheel_and_no_sdist_is_a_clear_error()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("notags", python);
        var spec = new PackageSpec("winonly", "1.0");
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { harness.Package(spec, spec.Wheel("cp312-cp312-win_amd64")) }));
        Assert.AreEqual(DiagnosticCodes.NoCompatibleWheel, error.Code);
        StringAssert.Contains(error.Message, "winonly-1.0-cp312-cp312-win_amd64.whl");
    }

    [TestMethod]
    public async Task Extras_dependencies_install_alongside_and_metadata_names_them()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("extras", python);
        var main = new PackageSpec("withextra", "2.0");
        main.Extras["socks"] = new() { "sockslib>=1" };
        var dependency = new PackageSpec("sockslib", "1.1");
        await harness.SyncAsync(new[] { harness.Package(main), harness.Package(dependency) with { Requested = false } });
        StringAssert.Contains(harness.RunInVenv("import importlib.metadata as m; print(m.requires('withextra'))"), "sockslib>=1");
        Assert.AreEqual("hello from sockslib 1.1", harness.RunInVenv("import sockslib; print(sockslib.hello())"));
        Assert.IsFalse(File.Exists(Path.Combine(harness.Venv.PureLib, "sockslib-1.1.dist-info", "REQUESTED")), "only direct requirements are REQUESTED");
    }

    [TestMethod]
    public async Task Sdist_is_built_with_its_PEP_517_backend_and_the_wheel_cached()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("sdist", python);
        var spec = new PackageSpec("fromsource", "0.3");
        spec.ConsoleScripts["fromsource"] = "fromsource:main";
        var sdist = spec.Sdist();
        var package = new PlannedPackage(spec.Name, spec.Version, Array.Empty<PlannedArtifact>(), harness.Local(sdist), Requested: true);

        var noBuild = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { package }, harness.Options(noBuild: true)));
        Assert.AreEqual(DiagnosticCodes.NoCompatibleWheel, noBuild.Code);
        StringAssert.Contains(noBuild.Message, "PythonNoBuild");

        await harness.SyncAsync(new[] { package });
        Assert.AreEqual("hello from fromsource 0.3", harness.RunInVenv("import fromsource; print(fromsource.hello())"));
        var (code, output) = TestPython.Run(Path.Combine(harness.Venv.Scripts, "fromsource"));
        Assert.AreEqual(0, code, output);
        Assert.AreEqual(1, Directory.GetFiles(Path.Combine(harness.Cache, "built-v1"), "*.whl", SearchOption.AllDirectories).Length);
    }
}
