using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.TestIndex;

/// <summary>Installed distributions (a pip dist-info, Debian's egg-info forms) rebuilt into wheels.</summary>
[TestClass]
public sealed class WheelRepackerTests
{
    private TempFolder temp = null!;

    private string SitePackages => temp.Combine("prefix", "lib", "python3.11", "site-packages");

    [TestInitialize]
    public void Create() => temp = new TempFolder();

    [TestCleanup]
    public void Delete() => temp.Dispose();

    private string Write(string relative, string content)
    {
        string path = Path.GetFullPath(Path.Combine(SitePackages, relative));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static Dictionary<string, string> Entries(Distribution wheel)
    {
        using var zip = new ZipArchive(new MemoryStream(wheel.Content), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open());
            return reader.ReadToEnd();
        });
    }

    private InstalledDistribution Installed(string name) => InstalledDistribution.Scan(SitePackages).Single(d => d.NormalizedName == name);

    /// <summary>A pip-installed dist-info, as pyenv's site-packages hold them.</summary>
    private void InstallPipStyle()
    {
        Write("fast_lib/__init__.py", "X = 1\n");
        Write("fast_lib/_speed.cpython-311-x86_64-linux-gnu.so", "ELF");
        Write("fast_lib-2.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: Fast-Lib\nVersion: 2.0\nRequires-Python: >=3.8\nRequires-Dist: idna>=2\nRequires-Dist: colorama ; sys_platform == \"win32\"\nRequires-Dist: pytest ; extra == \"test\"\n\nThe description.\n");
        Write("fast_lib-2.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n");
        Write("fast_lib-2.0.dist-info/entry_points.txt", "[console_scripts]\nfast = fast_lib:main\n");
        Write("fast_lib-2.0.dist-info/INSTALLER", "pip\n");
        Write("fast_lib-2.0.dist-info/licenses/LICENSE", "MIT\n");
        Write("../../../bin/fast", "#!/opt/python/bin/python3.11\nfrom fast_lib import main\n");
        Write("../../../bin/fast-tool", "#!/opt/python/bin/python3.11\nprint('tool')\n");
        Write("../../../share/fast/data.txt", "data\n");
        Write("fast_lib-2.0.dist-info/RECORD", string.Join("\n",
            "fast_lib/__init__.py,sha256=x,6", "fast_lib/__pycache__/__init__.cpython-311.pyc,,", "fast_lib/_speed.cpython-311-x86_64-linux-gnu.so,sha256=x,3",
            "fast_lib/deleted.py,sha256=x,1", "../../../bin/fast,sha256=x,1", "../../../bin/fast-tool,sha256=x,1", "../../../share/fast/data.txt,sha256=x,5",
            "fast_lib-2.0.dist-info/METADATA,sha256=x,1", "fast_lib-2.0.dist-info/INSTALLER,sha256=x,1", "fast_lib-2.0.dist-info/RECORD,,", ""));
    }

    [TestMethod]
    public void A_dist_info_keeps_its_metadata_and_tags_and_gets_a_fresh_record()
    {
        InstallPipStyle();

        RepackedWheel repacked = WheelRepacker.Repack(Installed("fast-lib"), temp.Combine("out"));

        Assert.AreEqual("fast_lib-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", repacked.Wheel.FileName);
        Assert.AreEqual(">=3.8", repacked.Wheel.RequiresPython);
        var entries = Entries(repacked.Wheel);
        CollectionAssert.AreEquivalent(new[]
        {
            "fast_lib/__init__.py", "fast_lib/_speed.cpython-311-x86_64-linux-gnu.so",
            "fast_lib-2.0.data/scripts/fast-tool", "fast_lib-2.0.data/data/share/fast/data.txt",
            "fast_lib-2.0.dist-info/METADATA", "fast_lib-2.0.dist-info/WHEEL", "fast_lib-2.0.dist-info/entry_points.txt",
            "fast_lib-2.0.dist-info/licenses/LICENSE", "fast_lib-2.0.dist-info/RECORD",
        }, entries.Keys.ToArray(), "bytecode, INSTALLER and the entry point's own script are left out");
        Assert.AreEqual(File.ReadAllText(Path.Combine(SitePackages, "fast_lib-2.0.dist-info/METADATA")), entries["fast_lib-2.0.dist-info/METADATA"]);
        Assert.AreEqual(Encoding.UTF8.GetString(repacked.Wheel.Metadata!), entries["fast_lib-2.0.dist-info/METADATA"], "the PEP 658 file is the wheel's METADATA");
        Assert.AreEqual("#!python\nprint('tool')\n", entries["fast_lib-2.0.data/scripts/fast-tool"]);
        StringAssert.Contains(entries["fast_lib-2.0.dist-info/WHEEL"], "Root-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n");
        CollectionAssert.AreEqual(new[] { "fast_lib/deleted.py" }, repacked.MissingFiles.ToArray());

        string[] record = entries["fast_lib-2.0.dist-info/RECORD"].TrimEnd('\n').Split('\n');
        Assert.AreEqual("fast_lib-2.0.dist-info/RECORD,,", record[^1]);
        foreach (string line in record[..^1])
        {
            string[] fields = line.Split(',');
            byte[] content = Encoding.UTF8.GetBytes(entries[fields[0]]);
            Assert.AreEqual($"sha256={WheelBuilder.RecordHash(content)}", fields[1], line);
            Assert.AreEqual(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2], line);
        }

        Assert.AreEqual(record.Length, entries.Count, "RECORD lists every entry");
    }

    [TestMethod]
    public void An_egg_info_becomes_a_dist_info_with_requires_txt_as_markers_and_tags_from_its_extension_modules()
    {
        Write("sci/__init__.py", "");
        Write("sci/core/_impl.cpython-311-x86_64-linux-gnu.so", "ELF");
        Write("sci-1.5.egg-info/PKG-INFO", "Metadata-Version: 1.1\nName: sci\nVersion: 1.5\n");
        Write("sci-1.5.egg-info/top_level.txt", "sci\n");
        Write("sci-1.5.egg-info/SOURCES.txt", "setup.py\n");
        Write("sci-1.5.egg-info/requires.txt", "numpy>=1.20\n\n[:python_version < \"3.10\"]\ntyping-extensions\n\n[plot]\nmatplotlib\n\n[fast:sys_platform == \"linux\"]\nnumba ; python_version >= \"3.9\"\n");

        RepackedWheel repacked = WheelRepacker.Repack(Installed("sci"), temp.Combine("out"),
            new MetadataPatch("the packager stripped it") { Version = "1.5.1", AddRequiresDist = ["scipy>=1.3"] });

        Assert.AreEqual("sci-1.5.1-cp311-cp311-linux_x86_64.whl", repacked.Wheel.FileName);
        var entries = Entries(repacked.Wheel);
        CollectionAssert.AreEquivalent(new[]
        {
            "sci/__init__.py", "sci/core/_impl.cpython-311-x86_64-linux-gnu.so",
            "sci-1.5.1.dist-info/METADATA", "sci-1.5.1.dist-info/WHEEL", "sci-1.5.1.dist-info/top_level.txt", "sci-1.5.1.dist-info/RECORD",
        }, entries.Keys.ToArray());
        Assert.AreEqual(
            "Metadata-Version: 2.1\nName: sci\nVersion: 1.5.1\n" +
            "Requires-Dist: numpy>=1.20\n" +
            "Requires-Dist: typing-extensions ; (python_version < \"3.10\")\n" +
            "Requires-Dist: matplotlib ; extra == \"plot\"\n" +
            "Requires-Dist: numba ; (python_version >= \"3.9\") and (sys_platform == \"linux\") and extra == \"fast\"\n" +
            "Requires-Dist: scipy>=1.3\n",
            entries["sci-1.5.1.dist-info/METADATA"]);
        StringAssert.Contains(entries["sci-1.5.1.dist-info/WHEEL"], "Root-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n");
    }

    [TestMethod]
    public async Task A_single_file_egg_info_is_repacked_from_its_module_and_pip_installs_the_wheel()
    {
        Write("pexpectish/__init__.py", "VALUE = 42\n");
        Write("pexpectish-4.8.egg-info", "Metadata-Version: 2.1\nName: pexpectish\nVersion: 4.8\n");

        RepackedWheel repacked = WheelRepacker.Repack(Installed("pexpectish"), temp.Combine("out"));

        Assert.AreEqual("pexpectish-4.8-py3-none-any.whl", repacked.Wheel.FileName);
        string wheel = repacked.Wheel.WriteTo(temp.Combine("wheels"));
        (int exitCode, string output) = await TestPython.RunAsync(temp.Path, "-m", "pip", "install", "--no-index", "--no-deps", "--no-compile", "--target", temp.Combine("target"), wheel);
        Assert.AreEqual(0, exitCode, output);
        (exitCode, output) = await TestPython.RunAsync(temp.Combine("target"), "-c", "import pexpectish, importlib.metadata as m; print(pexpectish.VALUE, m.version('pexpectish'))");
        Assert.AreEqual((0, "42 4.8"), (exitCode, output.Trim()));
    }

    [TestMethod]
    public void Dependencies_are_followed_through_requires_dist_outside_extras_and_patches()
    {
        InstallPipStyle();
        Write("idna/__init__.py", "");
        Write("idna-3.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: idna\nVersion: 3.0\n");
        Write("idna-3.0.dist-info/RECORD", "idna/__init__.py,,\n");
        Write("extra_dep/__init__.py", "");
        Write("extra_dep-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: extra-dep\nVersion: 1.0\n");
        Write("extra_dep-1.0.dist-info/RECORD", "extra_dep/__init__.py,,\n");
        Write("pytest/__init__.py", "");
        Write("pytest-8.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pytest\nVersion: 8.0\n");
        Write("pytest-8.0.dist-info/RECORD", "pytest/__init__.py,,\n");

        var wheels = WheelRepacker.RepackWithDependencies(SitePackages, ["Fast_Lib"], temp.Combine("out"),
            new Dictionary<string, MetadataPatch> { ["idna"] = new("restored") { AddRequiresDist = ["extra-dep"] } });

        // colorama (win32) is not installed: skipped; pytest only in an extra: not followed.
        CollectionAssert.AreEqual(new[] { "fast-lib", "idna", "extra-dep" }, wheels.Select(w => w.Source.NormalizedName).ToArray());
        Assert.AreEqual("restored", wheels[1].Patch!.Reason);
        Assert.ThrowsExactly<InvalidOperationException>(() => WheelRepacker.RepackWithDependencies(SitePackages, ["colorama"], temp.Combine("out")));
    }
}
