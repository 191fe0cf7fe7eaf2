using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

[TestClass]
public sealed class PylockFileTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    internal static PylockFile Sample() => new()
    {
        Environments = ["sys_platform == \"win32\"", "sys_platform == \"linux\""],
        RequiresPython = ">=3.12",
        DependencyGroups = ["dev"],
        DefaultGroups = [],
        CreatedBy = "pythonenv-sdk 0.1.0",
        Packages =
        [
            new LockedPackage
            {
                Name = "urllib3", Version = "2.2.2", Index = "https://pypi.org/simple/",
                Wheels = [new LockedFile { Name = "urllib3-2.2.2-py3-none-any.whl", Url = "https://files.example/urllib3-2.2.2-py3-none-any.whl", Size = 121, UploadTime = new DateTimeOffset(2024, 6, 17, 12, 0, 0, TimeSpan.Zero), Hashes = new Dictionary<string, string> { ["sha256"] = Sha } }],
            },
            new LockedPackage
            {
                Name = "requests", Version = "2.32.3", Index = "https://pypi.org/simple/",
                Dependencies = [new LockedDependency("urllib3")],
                Sdist = new LockedFile { Name = "requests-2.32.3.tar.gz", Url = "https://files.example/requests-2.32.3.tar.gz", Size = 1000, Hashes = new Dictionary<string, string> { ["sha256"] = Sha } },
                Wheels = [new LockedFile { Url = "https://files.example/requests-2.32.3-py3-none-any.whl", Size = 64, Hashes = new Dictionary<string, string> { ["sha256"] = Sha } }],
            },
            new LockedPackage
            {
                Name = "pytest", Version = "8.0.0", Marker = "\"dev\" in dependency_groups",
                Wheels = [new LockedFile { Url = "https://files.example/pytest-8.0.0-py3-none-any.whl", Hashes = new Dictionary<string, string> { ["sha256"] = Sha } }],
            },
        ],
        Manifest = new LockManifest
        {
            RequiresPython = ">=3.12",
            Requirements = ["requests>=2.31"],
            DependencyGroups = new Dictionary<string, IReadOnlyList<string>> { ["dev"] = ["pytest"] },
            Indexes = ["https://user:secret@pypi.org/simple/"],
        },
    };

    [TestMethod]
    public void Writes_the_specifications_keys_in_its_order()
    {
        var text = PylockWriter.Write(Sample());

        var keys = text.Split('\n').Where(line => line.Length > 0 && line[0] != '[').Select(line => line.Split(' ')[0]).Take(8).ToArray();
        CollectionAssert.AreEqual(new[] { "lock-version", "environments", "requires-python", "extras", "dependency-groups", "default-groups", "created-by", "name" }, keys);
        StringAssert.StartsWith(text, "lock-version = \"1.0\"\n");
        StringAssert.Contains(text, "[[packages]]\nname = \"pytest\"");
        StringAssert.Contains(text, "[[packages.wheels]]");
        StringAssert.Contains(text, "[packages.sdist]");
        StringAssert.Contains(text, "upload-time = 2024-06-17T12:00:00Z");
        StringAssert.Contains(text, "hashes = {sha256 = \"" + Sha + "\"}");
        StringAssert.Contains(text, "[tool.pythonenv-sdk]\nschema-version = 1");
        Assert.IsFalse(text.Contains('\r'), "only \\n line endings");
        Assert.IsFalse(text.Contains("secret"), "credentials never reach the lock");
    }

    [TestMethod]
    public void Packages_are_sorted_by_name_then_version()
    {
        var text = PylockWriter.Write(Sample());

        var names = text.Split('\n').Where(line => line.StartsWith("name = ", StringComparison.Ordinal) && !line.Contains(".whl") && !line.Contains(".tar.gz")).ToArray();
        CollectionAssert.AreEqual(new[] { "name = \"pytest\"", "name = \"requests\"", "name = \"urllib3\"" }, names);
    }

    [TestMethod]
    public void Same_input_same_bytes()
    {
        var shuffled = Sample();
        var reversed = new PylockFile
        {
            Environments = shuffled.Environments, RequiresPython = shuffled.RequiresPython, DependencyGroups = shuffled.DependencyGroups,
            CreatedBy = shuffled.CreatedBy, Manifest = shuffled.Manifest, Packages = shuffled.Packages.Reverse().ToList(),
        };

        Assert.AreEqual(PylockWriter.Write(shuffled), PylockWriter.Write(reversed));
    }

    [TestMethod]
    public void Round_trips()
    {
        var text = PylockWriter.Write(Sample());

        var read = PylockReader.Read(text, "pylock.toml");

        Assert.AreEqual("1.0", read.LockVersion);
        Assert.AreEqual(">=3.12", read.RequiresPython);
        Assert.AreEqual(3, read.Packages.Count);
        var requests = read.Packages.Single(p => p.Name == "requests");
        Assert.AreEqual("2.32.3", requests.Version);
        Assert.AreEqual("requests-2.32.3-py3-none-any.whl", requests.Wheels[0].FileName);
        Assert.AreEqual(1000, requests.Sdist!.Size);
        Assert.AreEqual("urllib3", requests.Dependencies.Single().Name);
        Assert.AreEqual(new DateTimeOffset(2024, 6, 17, 12, 0, 0, TimeSpan.Zero), read.Packages.Single(p => p.Name == "urllib3").Wheels[0].UploadTime);
        Assert.AreEqual("\"dev\" in dependency_groups", read.Packages.Single(p => p.Name == "pytest").Marker);
        Assert.AreEqual("pytest", read.Manifest!.DependencyGroups["dev"].Single());
        Assert.AreEqual("https://pypi.org/simple/", read.Manifest.Indexes.Single());
        Assert.AreEqual(text, PylockWriter.Write(read), "reading and writing again changes nothing");
    }

    [TestMethod]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\npackages = [\n", 4, "not valid TOML")]
    [DataRow("created-by = \"x\"\npackages = []\n", 1, "\"lock-version\" is missing")]
    [DataRow("lock-version = \"2.0\"\ncreated-by = \"x\"\npackages = []\n", 1, "not supported")]
    [DataRow("lock-version = \"1.0\"\npackages = []\n", 1, "\"created-by\" is missing")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n", 1, "\"packages\" is missing")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\nverison = 1\npackages = []\n", 3, "unknown key \"verison\"")]
    [DataRow("lock-version = 1\ncreated-by = \"x\"\npackages = []\n", 1, "must be a string")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"Foo_Bar\"\nversion = \"1\"\n", 4, "not normalized")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nversion = \"one\"\n", 5, "not a PEP 440 version")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\n", 4, "nothing to install")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nurl = \"https://x/a-1-py3-none-any.whl\"\n", 6, "no \"hashes\"")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nurl = \"https://x/a-1-py3-none-any.whl\"\nhashes = {sha256 = \"xyz\"}\n", 7, "hexadecimal")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nurl = \"https://x/a-1-py3-none-any.whl\"\nhashes = {sha256 = \"abc\"}\n", 7, "not 64")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nurl = \"https://x/a-1-py3-none-any.whl\"\nsize = -1\nhashes = {md5 = \"ab\"}\n", 7, "non-negative")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nhashes = {md5 = \"ab\"}\n", 6, "neither \"url\" nor \"path\"")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[[packages.wheels]]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n", 6, "not named like one")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\ndependencies = [{name = \"b\"}]\n[[packages.wheels]]\nurl = \"https://x/a-1-py3-none-any.whl\"\nhashes = {md5 = \"ab\"}\n", 5, "no [[packages]] entry")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nupload = 1\n", 5, "unknown key \"upload\"")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nupload-time = 2024-01-01\nhashes = {md5 = \"ab\"}\n", 7, "offset date-time")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n[[packages]]\nname = \"a\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n", 9, "listed twice")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\nenvironments = [\"sys_platform == 'linux'\", \"os_name ==\"]\npackages = []\n", 3, "\"os_name ==\" in \"environments\" is not a PEP 508 marker")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\nrequires-python = \"=>3.9\"\npackages = []\n", 3, "is not a PEP 440 version specifier set")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\nmarker = \"sys_platform = 'linux'\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n", 6, "the marker of a 1, \"sys_platform = 'linux'\", is not a PEP 508 marker")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\nrequires-python = \">=3.9.*\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n", 6, "the requires-python of a 1")]
    public void Broken_locks_are_reported_with_their_line(string text, int line, string message)
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PylockReader.Read(text, "/repo/pylock.toml"));

        Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code);
        Assert.AreEqual("/repo/pylock.toml", error.File);
        Assert.AreEqual(line, error.Line, error.Message);
        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void Manifest_comparison_ignores_order_and_names_each_change()
    {
        var recorded = new LockManifest
        {
            RequiresPython = ">=3.12",
            Requirements = ["requests>=2.31", "numpy"],
            Constraints = ["urllib3<3"],
            DependencyGroups = new Dictionary<string, IReadOnlyList<string>> { ["dev"] = ["pytest"] },
            Indexes = ["https://pypi.org/simple/"],
        }.Normalize();
        var reordered = new LockManifest
        {
            RequiresPython = ">=3.12",
            Requirements = ["numpy", "requests>=2.31"],
            Constraints = ["urllib3<3"],
            DependencyGroups = new Dictionary<string, IReadOnlyList<string>> { ["dev"] = ["pytest"] },
            Indexes = ["https://pypi.org/simple/"],
        }.Normalize();
        var edited = new LockManifest
        {
            RequiresPython = ">=3.11",
            Requirements = ["numpy", "requests>=2.32", "rich"],
            DependencyGroups = new Dictionary<string, IReadOnlyList<string>> { ["dev"] = ["pytest"], ["docs"] = ["sphinx"] },
            Indexes = ["https://pypi.org/simple/"],
        }.Normalize();

        Assert.AreEqual(0, LockManifest.Compare(recorded, reordered).Count);
        var changes = LockManifest.Compare(recorded, edited).Select(change => change.ToString()).ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                "~ requires-python: >=3.12 -> >=3.11",
                "~ dependency requests: requests>=2.31 -> requests>=2.32",
                "+ dependency rich",
                "+ dependency group 'docs': sphinx",
                "- constraint urllib3: urllib3<3",
            },
            changes);
    }
}
