using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>
/// The lock is checked, never trusted blindly: pylock.toml is read as TOML (however its tables are laid out)
/// and every PEP 751 consistency rule packaging's <c>Pylock.from_dict</c> checks is PYENV3002 at the line.
/// </summary>
[TestClass]
public sealed class PylockConsistencyTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string Head = "lock-version = \"1.0\"\ncreated-by = \"x\"\n";

    private static string Wheel(string file) => $"[[packages.wheels]]\nurl = \"https://x/{file}\"\nhashes = {{sha256 = \"{Sha}\"}}\n";

    private static PythonEnvException Invalid(string text)
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PylockReader.Read(text, "/repo/pylock.toml"));
        Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code);
        Assert.AreEqual("/repo/pylock.toml", error.File);
        StringAssert.Contains(error.Message, "delete the file and run 'dotnet build -t:PythonLock -p:PythonLockMode=Update' to re-lock", "every invalid lock says how to get a valid one");
        return error;
    }

    [TestMethod]
    public void Packages_split_around_the_tool_table_are_all_read()
    {
        var text = Head
            + "[[packages]]\nname = \"a\"\nversion = \"1.0\"\n" + Wheel("a-1.0-py3-none-any.whl")
            + "[tool.pythonenv-sdk]\nschema-version = 1\nrequirements = [\"a\", \"b\"]\n"
            + "[[packages]]\nname = \"b\"\nversion = \"2.0\"\n"
            + "[tool.other]\nx = 1\n"
            + Wheel("b-2.0-py3-none-any.whl") + Wheel("b-2.0-cp312-cp312-win_amd64.whl");

        var read = PylockReader.Read(text, "pylock.toml");

        CollectionAssert.AreEqual(new[] { "a 1.0", "b 2.0" }, read.Packages.Select(p => p.ToString()).ToArray());
        Assert.AreEqual(1, read.Packages[0].Wheels.Count);
        Assert.AreEqual(2, read.Packages[1].Wheels.Count, "[[packages.wheels]] after another table still belongs to the last [[packages]]");
        CollectionAssert.AreEqual(new[] { "a", "b" }, read.Manifest!.Requirements.ToArray());
    }

    [TestMethod]
    public void Dotted_keys_and_inline_tables_are_the_tables_they_name()
    {
        var text = Head + "packages = [{name = \"a\", version = \"1.0\", wheels = [{url = \"https://x/a-1.0-py3-none-any.whl\", hashes.sha256 = \"" + Sha + "\"}]}]\n"
            + "tool.pythonenv-sdk.schema-version = 1\ntool.pythonenv-sdk.requirements = [\"a\"]\n";

        var read = PylockReader.Read(text, "pylock.toml");

        Assert.AreEqual(Sha, read.Packages.Single().Wheels.Single().Hashes["sha256"]);
        Assert.AreEqual("a", read.Manifest!.Requirements.Single());
    }

    [TestMethod]
    public void A_hand_edited_version_that_its_wheels_contradict_is_an_error_at_the_version()
    {
        var text = Head + "[[packages]]\nname = \"a\"\nversion = \"2.0\"\n" + Wheel("a-1.0-py3-none-any.whl");

        var error = Invalid(text);

        Assert.AreEqual(5, error.Line, error.Message);
        StringAssert.Contains(error.Message, "version \"2.0\" of a does not match \"a-1.0-py3-none-any.whl\" (line 7), which is version 1.0");
        StringAssert.Contains(error.Message, "to pin a, declare the version you want");
    }

    [TestMethod]
    public void An_sdist_must_match_its_entry_too()
    {
        var text = Head + "[[packages]]\nname = \"a\"\nversion = \"1.1\"\n[packages.sdist]\nname = \"a-1.0.tar.gz\"\nurl = \"https://x/download?id=7\"\nhashes = {sha256 = \"" + Sha + "\"}\n";

        var error = Invalid(text);

        Assert.AreEqual(5, error.Line, error.Message);
        StringAssert.Contains(error.Message, "\"a-1.0.tar.gz\" (line 7), which is version 1.0");
    }

    [TestMethod]
    public void A_file_of_another_package_is_an_error_at_its_name()
    {
        var text = Head + "[[packages]]\nname = \"a\"\nversion = \"1.0\"\n" + Wheel("a-1.0-py3-none-any.whl") + Wheel("b-1.0-py3-none-any.whl");

        var error = Invalid(text);

        Assert.AreEqual(10, error.Line, error.Message);
        StringAssert.Contains(error.Message, "\"b-1.0-py3-none-any.whl\" is a file of b, not of a");
    }

    [TestMethod]
    public void File_names_are_compared_as_normalized_names_and_pep_440_versions()
    {
        var text = Head + "[[packages]]\nname = \"foo-bar\"\nversion = \"1.0\"\n" + Wheel("Foo_Bar-1.0.0-py3-none-any.whl")
            + "[packages.sdist]\nurl = \"https://x/foo.bar-1.0.tar.gz\"\nhashes = {sha256 = \"" + Sha + "\"}\n";

        var read = PylockReader.Read(text, "pylock.toml");

        Assert.AreEqual("foo-bar 1.0", read.Packages.Single().ToString());
    }

    [TestMethod]
    [DataRow("1")]
    [DataRow("1.0")]
    [DataRow("1.1")]
    public void Any_lock_version_one_is_read(string version)
    {
        var read = PylockReader.Read($"lock-version = \"{version}\"\ncreated-by = \"x\"\npackages = []\n", "pylock.toml");

        Assert.AreEqual(version, read.LockVersion);
    }

    [TestMethod]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\ncreated-by = \"y\"\npackages = []\n", 3, "not valid TOML")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nname = \"b\"\n", 5, "not valid TOML")]
    [DataRow("lock-version = \"1.0\"\ncreated-by = \"x\"\npackages = []\n[tool]\n[tool]\n", 5, "not valid TOML")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\nversion = \"1.0\"\n[[packages.wheels]]\nurl = \"https://x/a-1.0.whl\"\nhashes = {sha256 = \"" + Sha + "\"}\n", 7, "\"a-1.0.whl\" is listed as a wheel of a but is not named like one")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.sdist]\npath = \"dist/a.tar.gz\"\nhashes = {sha256 = \"" + Sha + "\"}\n", 6, "\"a.tar.gz\" is listed as a sdist of a but is not named like one")]
    [DataRow("lock-version = \"0.9\"\ncreated-by = \"x\"\npackages = []\n", 1, "lock-version \"0.9\" is not supported")]
    [DataRow("lock-version = \"one\"\ncreated-by = \"x\"\npackages = []\n", 1, "lock-version \"one\" is not a version")]
    [DataRow(Head + "extras = [\"Socks\"]\npackages = []\n", 3, "the extra \"Socks\" in \"extras\" is not a normalized name; pylock.toml records \"socks\"")]
    [DataRow(Head + "extras = \"socks\"\npackages = []\n", 3, "\"extras\" must be an array of strings")]
    [DataRow(Head + "dependency-groups = [1]\npackages = []\n", 3, "\"dependency-groups\" must be an array of strings")]
    [DataRow(Head + "packages = []\ntool = 1\n", 4, "\"tool\" must be a table")]
    [DataRow(Head + "packages = {}\n", 3, "\"packages\" must be an array of tables")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\ntool = [1]\n[packages.directory]\npath = \"a\"\n", 5, "\"tool\" must be a table")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\nattestation-identities = [{issuer = \"x\"}]\n[packages.directory]\npath = \"a\"\n", 5, "each with a \"kind\" string")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.directory]\npath = \"a\"\neditable = \"yes\"\n", 7, "\"editable\" of the directory of a must be true or false")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.directory]\npath = \"a\"\nsubdirectory = 1\n", 7, "\"subdirectory\" must be a string")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.vcs]\ntype = \"git\"\nurl = \"https://x/a.git\"\ncommit-id = \"abc\"\nbranch = \"main\"\n", 9, "unknown key \"branch\" in the vcs of a")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.vcs]\ntype = \"git\"\nurl = \"https://x/a.git\"\n", 6, "the required key \"commit-id\" is missing")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.archive]\nurl = \"https://x/a.zip\"\n", 6, "the archive of a has no \"hashes\"")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.archive]\nurl = \"https://x/a.zip\"\nhashes = {}\n", 7, "empty \"hashes\" table")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.archive]\nurl = \"https://x/a.zip\"\nsize = \"1\"\nhashes = {sha256 = \"" + Sha + "\"}\n", 7, "size of the archive of a must be a non-negative integer")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.archive]\nurl = \"https://x/a.zip\"\nupload-time = \"2024-01-01\"\nhashes = {sha256 = \"" + Sha + "\"}\n", 7, "upload-time of the archive of a must be an offset date-time")]
    [DataRow(Head + "[[packages]]\nname = \"a\"\n[packages.sdist]\nurl = \"https://x/a-1.tar.gz\"\nhashes = {sha256 = 1}\n", 7, "hash \"sha256\" of a sdist of a must be a hexadecimal string")]
    public void Every_broken_rule_is_an_error_at_its_line(string text, int line, string message)
    {
        var error = Invalid(text);

        Assert.AreEqual(line, error.Line, error.Message);
        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void Upload_time_keeps_the_fractional_digits_it_was_given_with()
    {
        var time = new DateTimeOffset(2024, 1, 1, 12, 34, 56, TimeSpan.Zero);
        static LockedFile File(string name, DateTimeOffset at, int? digits) =>
            new() { Name = name, Url = "https://x/" + name, UploadTime = at, UploadTimeDigits = digits, Hashes = new Dictionary<string, string> { ["sha256"] = Sha } };
        var lockFile = new PylockFile
        {
            CreatedBy = PylockFile.ToolName,
            Packages =
            [
                new LockedPackage
                {
                    Name = "a", Version = "1.0",
                    Wheels =
                    [
                        File("a-1.0-cp312-none-any.whl", time.AddTicks(1_234_560), 6),
                        File("a-1.0-cp313-none-any.whl", time.AddTicks(1_200_000), 6),
                        File("a-1.0-py2-none-any.whl", time, 6),
                        File("a-1.0-py3-none-any.whl", time.AddTicks(1_234_567), null),
                        File("a-1.0-py4-none-any.whl", time.AddTicks(1_234_567), 3),
                    ],
                },
            ],
        };

        var text = PylockWriter.Write(lockFile);

        StringAssert.Contains(text, "upload-time = 2024-01-01T12:34:56.123456Z\n");
        StringAssert.Contains(text, "upload-time = 2024-01-01T12:34:56.120000Z\n", "trailing zeros the index wrote are kept");
        StringAssert.Contains(text, "upload-time = 2024-01-01T12:34:56.000000Z\n");
        Assert.AreEqual(2, text.Split('\n').Count(line => line == "upload-time = 2024-01-01T12:34:56.1234567Z"), "never fewer digits than the value needs: no truncation");
        var read = PylockReader.Read(text, "pylock.toml");
        Assert.AreEqual(time.AddTicks(1_234_560), read.Packages[0].Wheels[0].UploadTime);
        Assert.AreEqual(text, PylockWriter.Write(read), "reading and writing again keeps every digit");
    }
}
