using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.TestIndex;

[TestClass]
public sealed class WheelBuilderTests
{
    private static PackageSpec Rich()
    {
        var spec = new PackageSpec("Foo.Bar_baz", "1.2.3") { RequiresPython = ">=3.8", Summary = "A test package" };
        spec.RequiresDist.Add("idna>=2");
        spec.RequiresDist.Add("colorama; sys_platform == \"win32\"");
        spec.Extras["socks"] = ["pysocks>=1.5", "win-inet-pton; sys_platform == \"win32\""];
        spec.ConsoleScripts["foo-hello"] = "foo_bar_baz:main";
        spec.GuiScripts["foo-gui"] = "foo_bar_baz:main";
        spec.Scripts["foo-run"] = "import foo_bar_baz\nprint(foo_bar_baz.hello())\n";
        spec.DataFiles["share/foo/data.txt"] = "data";
        spec.Headers["foo.h"] = "#define FOO 1\n";
        spec.Purelib["foo_extra_pure.py"] = "X = 1\n";
        spec.Platlib["foo_extra_plat.py"] = "Y = 2\n";
        return spec;
    }

    private static Dictionary<string, byte[]> Entries(Distribution wheel)
    {
        using var zip = new ZipArchive(new MemoryStream(wheel.Content), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var buffer = new MemoryStream();
            using (Stream stream = e.Open()) stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    private static string Text(Dictionary<string, byte[]> entries, string name) => Encoding.UTF8.GetString(entries[name]);

    [TestMethod]
    public void File_name_escapes_the_name_and_keeps_the_compressed_tag_set()
    {
        var spec = new PackageSpec("Foo.Bar_baz", "1.0");
        Assert.AreEqual("foo_bar_baz-1.0-py2.py3-none-any.whl", spec.Wheel("py2.py3-none-any").FileName);
        Assert.AreEqual("foo_bar_baz-1.0-7-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            new WheelBuilder(spec) { BuildTag = "7", Tags = "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64" }.Build().FileName);
    }

    [TestMethod]
    public void Record_lists_every_entry_with_its_urlsafe_sha256_and_size_and_its_own_line_empty()
    {
        Distribution wheel = Rich().Wheel();
        Dictionary<string, byte[]> entries = Entries(wheel);
        string[] lines = Text(entries, "foo_bar_baz-1.2.3.dist-info/RECORD").TrimEnd('\n').Split('\n');
        Assert.HasCount(entries.Count, lines);
        foreach (string line in lines)
        {
            string[] fields = line.Split(',');
            Assert.HasCount(3, fields);
            if (fields[0] == "foo_bar_baz-1.2.3.dist-info/RECORD")
            {
                Assert.AreEqual("", fields[1] + fields[2]);
                continue;
            }
            byte[] content = entries[fields[0]];
            string expected = Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.AreEqual("sha256=" + expected, fields[1], fields[0]);
            Assert.AreEqual(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2], fields[0]);
        }
    }

    [TestMethod]
    public void Metadata_wheel_and_entry_points_say_what_the_spec_says()
    {
        Distribution wheel = Rich().Wheel("py2.py3-none-any");
        Dictionary<string, byte[]> entries = Entries(wheel);
        string metadata = Text(entries, "foo_bar_baz-1.2.3.dist-info/METADATA");
        CollectionAssert.AreEqual(new[]
        {
            "Metadata-Version: 2.1",
            "Name: Foo.Bar_baz",
            "Version: 1.2.3",
            "Summary: A test package",
            "Requires-Python: >=3.8",
            "Requires-Dist: idna>=2",
            "Requires-Dist: colorama; sys_platform == \"win32\"",
            "Provides-Extra: socks",
            "Requires-Dist: pysocks>=1.5 ; extra == \"socks\"",
            "Requires-Dist: win-inet-pton ; (sys_platform == \"win32\") and extra == \"socks\"",
        }, metadata.TrimEnd('\n').Split('\n'));
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(metadata), wheel.Metadata);
        Assert.AreEqual(">=3.8", wheel.RequiresPython);

        CollectionAssert.AreEqual(new[]
        {
            "Wheel-Version: 1.0",
            "Generator: PythonEnv.TestIndex (1.0)",
            "Root-Is-Purelib: true",
            "Tag: py2-none-any",
            "Tag: py3-none-any",
        }, Text(entries, "foo_bar_baz-1.2.3.dist-info/WHEEL").TrimEnd('\n').Split('\n'));
        Assert.AreEqual("[console_scripts]\nfoo-hello = foo_bar_baz:main\n\n[gui_scripts]\nfoo-gui = foo_bar_baz:main\n",
            Text(entries, "foo_bar_baz-1.2.3.dist-info/entry_points.txt"));
        StringAssert.StartsWith(Text(entries, "foo_bar_baz-1.2.3.data/scripts/foo-run"), "#!python\n");
        Assert.AreEqual("data", Text(entries, "foo_bar_baz-1.2.3.data/data/share/foo/data.txt"));
        Assert.IsTrue(entries.ContainsKey("foo_bar_baz-1.2.3.data/headers/foo.h"));
        Assert.IsTrue(entries.ContainsKey("foo_bar_baz-1.2.3.data/purelib/foo_extra_pure.py"));
        Assert.IsTrue(entries.ContainsKey("foo_bar_baz-1.2.3.data/platlib/foo_extra_plat.py"));
        StringAssert.Contains(Text(entries, "foo_bar_baz/__init__.py"), "__version__ = \"1.2.3\"");
    }

    [TestMethod]
    public void Platform_wheels_are_not_purelib_and_list_every_expanded_tag()
    {
        Distribution wheel = new PackageSpec("a", "1").Wheel("cp311.cp312-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64");
        string[] lines = Text(Entries(wheel), "a-1.dist-info/WHEEL").TrimEnd('\n').Split('\n');
        Assert.AreEqual("Root-Is-Purelib: false", lines[2]);
        CollectionAssert.AreEqual(new[]
        {
            "Tag: cp311-abi3-manylinux_2_17_x86_64", "Tag: cp311-abi3-manylinux2014_x86_64",
            "Tag: cp312-abi3-manylinux_2_17_x86_64", "Tag: cp312-abi3-manylinux2014_x86_64",
        }, lines.Skip(3).ToArray());
    }

    [TestMethod]
    public void Bytes_are_deterministic()
    {
        CollectionAssert.AreEqual(Rich().Wheel().Content, Rich().Wheel().Content);
        CollectionAssert.AreEqual(Rich().Sdist().Content, Rich().Sdist().Content);
    }

    [TestMethod]
    public void Escape_hatches_add_raw_entries_symlinks_and_corrupt_record()
    {
        var spec = new PackageSpec("evil", "1.0");
        Distribution wheel = new WheelBuilder(spec) { RecordCorruption = RecordCorruption.WrongHash }
            .AddRawEntry("../evil.py", "print('escaped')")
            .AddRawEntry("/tmp/absolute.py", "x = 1", listInRecord: false)
            .AddSymlink("evil/link", "/etc/passwd")
            .Build();
        using var zip = new ZipArchive(new MemoryStream(wheel.Content), ZipArchiveMode.Read);
        Assert.IsNotNull(zip.GetEntry("../evil.py"));
        Assert.IsNotNull(zip.GetEntry("/tmp/absolute.py"));
        ZipArchiveEntry link = zip.GetEntry("evil/link")!;
        Assert.AreEqual(0xA000, (link.ExternalAttributes >> 16) & 0xF000);
        string record = new StreamReader(zip.GetEntry("evil-1.0.dist-info/RECORD")!.Open()).ReadToEnd();
        StringAssert.Contains(record, "../evil.py,");
        Assert.IsFalse(record.Contains("/tmp/absolute.py", StringComparison.Ordinal));
        string firstHash = record.Split('\n')[0].Split(',')[1];
        string initHash = "sha256=" + WheelBuilder.RecordHash(Encoding.UTF8.GetBytes(new StreamReader(zip.GetEntry("evil/__init__.py")!.Open()).ReadToEnd()));
        Assert.AreNotEqual(initHash, firstHash);

        Distribution noRecord = new WheelBuilder(spec) { RecordCorruption = RecordCorruption.Omitted }.Build();
        using var zip2 = new ZipArchive(new MemoryStream(noRecord.Content), ZipArchiveMode.Read);
        Assert.IsNull(zip2.GetEntry("evil-1.0.dist-info/RECORD"));
    }

    [TestMethod]
    [DataRow(RecordCorruption.WrongSize)]
    [DataRow(RecordCorruption.MissingFile)]
    public void Record_corruptions_spoil_the_first_file_line(RecordCorruption corruption)
    {
        Distribution wheel = new WheelBuilder(new PackageSpec("spoiled", "1.0")) { RecordCorruption = corruption }.Build();
        Dictionary<string, byte[]> entries = Entries(wheel);
        string record = Text(entries, "spoiled-1.0.dist-info/RECORD");
        string init = "spoiled/__init__.py";
        string? line = record.Split('\n').SingleOrDefault(l => l.StartsWith(init + ",", StringComparison.Ordinal));
        if (corruption == RecordCorruption.MissingFile)
        {
            Assert.IsNull(line, record);
            return;
        }
        Assert.IsNotNull(line, record);
        Assert.AreEqual((entries[init].Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), line.Split(',')[2]);
    }

    [TestMethod]
    [DataRow("py3-none")]
    [DataRow("py3--any")]
    [DataRow("py3-none-any-x")]
    public void Malformed_tag_sets_are_refused(string tags) =>
        Assert.ThrowsExactly<ArgumentException>(() => new PackageSpec("a", "1").Wheel(tags));

    [TestMethod]
    [DataRow(Zip64Form.Everything)]
    [DataRow(Zip64Form.OffsetsOnly)]
    public async Task Python_zipfile_reads_zip64_wheels_through_their_zip64_records(Zip64Form form)
    {
        using var temp = new TempFolder();
        Distribution wheel = new WheelBuilder(Rich()) { Zip64 = form }.Build();
        string path = wheel.WriteTo(temp.Combine("dist"));
        const string Check = "import sys, zipfile\n"
            + "z = zipfile.ZipFile(sys.argv[1])\n"
            + "assert z.testzip() is None\n"
            + "m = [i for i in z.infolist() if i.filename.endswith('.dist-info/METADATA')][0]\n"
            + "sys.stdout.write(z.read(m).decode())\n";
        (int code, string output) = await TestPython.RunAsync(temp.Path, "-c", Check, path);
        Assert.AreEqual(0, code, output);
        Assert.AreEqual(Encoding.UTF8.GetString(wheel.Metadata!), output);
        Assert.AreNotEqual(Convert.ToHexString(Rich().Wheel().Content), Convert.ToHexString(wheel.Content), "the zip64 form differs from the plain one");
    }

    [TestMethod]
    public async Task Python_zipfile_accepts_the_wheel_and_pip_installs_it_and_its_code_runs()
    {
        using var temp = new TempFolder();
        string path = Rich().Wheel().WriteTo(temp.Combine("dist"));
        (int code, string output) = await TestPython.RunAsync(temp.Path, "-m", "zipfile", "-t", path);
        Assert.AreEqual(0, code, output);

        string target = temp.Combine("target");
        (code, output) = await TestPython.RunAsync(temp.Path, "-m", "pip", "install", "--no-index", "--no-deps", "--no-compile", "--target", target, path);
        Assert.AreEqual(0, code, output);
        (code, output) = await TestPython.RunAsync(target, "-c", "import foo_bar_baz, foo_extra_pure; print(foo_bar_baz.hello(), foo_bar_baz.__version__)");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("hello from Foo.Bar_baz 1.2.3 1.2.3", output.Trim());
        Assert.IsTrue(File.Exists(Path.Combine(target, "bin", "foo-run")) || File.Exists(Path.Combine(target, "bin", "foo-hello")), "scripts installed");
    }
}
