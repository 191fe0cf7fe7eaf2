using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Interpreters;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>[tool.pythonenv-sdk.interpreter]: the interpreter a lock was made for, pinned per platform when managed.</summary>
[TestClass]
public sealed class LockedInterpreterTests
{
    private static readonly string Sha = new('a', 64);

    private static LockedInterpreter Managed(string request = "3.12") => new()
    {
        Request = request,
        Source = "managed",
        Implementation = "cpython",
        Version = "3.12.6",
        Build = "cpython-3.12.6+20240909-linux-x86_64-gnu",
        Downloads =
        [
            new LockedInterpreterDownload("cpython-3.12.6+20240909-linux-x86_64-gnu", "linux-x86_64-gnu", "https://example.test/20240909/linux.tar.gz", Sha),
            new LockedInterpreterDownload("cpython-3.12.6+20240909-macos-aarch64-none", "macos-aarch64-none", "https://example.test/20240909/mac.tar.gz", new string('b', 64)),
        ],
    };

    private static string Written(LockedInterpreter? interpreter) =>
        PylockWriter.Write(new PylockFile
        {
            CreatedBy = "test",
            Packages =
            [
                new LockedPackage
                {
                    Name = "a", Version = "1.0",
                    Wheels = [new LockedFile { Url = "https://example.test/a-1.0-py3-none-any.whl", Hashes = new System.Collections.Generic.Dictionary<string, string> { ["sha256"] = Sha } }],
                },
            ],
            Manifest = new LockManifest { Interpreter = interpreter },
        });

    [TestMethod]
    public void The_interpreter_round_trips_with_every_platforms_download_and_the_build_for_this_platform_is_exact()
    {
        var text = Written(Managed());
        StringAssert.Contains(text, "[tool.pythonenv-sdk.interpreter]");
        StringAssert.Contains(text, "[[tool.pythonenv-sdk.interpreter.downloads]]");
        var read = PylockReader.Read(text, "pylock.toml").Manifest!.Interpreter!;
        Assert.AreEqual("3.12", read.Request);
        Assert.AreEqual("managed", read.Source);
        Assert.AreEqual("cpython-3.12.6+20240909-linux-x86_64-gnu", read.Build);
        Assert.AreEqual(2, read.Downloads.Count);
        var mac = read.BuildFor(BuildPlatform.Of("darwin", "arm64", null))!;
        Assert.AreEqual("cpython-3.12.6+20240909-macos-aarch64-none", mac.Key);
        Assert.AreEqual(new string('b', 64), mac.Sha256);
        Assert.AreEqual("https://example.test/20240909/mac.tar.gz", mac.Url);
        Assert.IsNull(read.BuildFor(BuildPlatform.Of("windows", "x86_64", null)));
    }

    [TestMethod]
    public void Nothing_is_recorded_when_nothing_was_asked_so_existing_locks_stay_as_they_are()
    {
        Assert.IsFalse(Written(new LockedInterpreter { Implementation = "cpython", Version = "3.11.2" }).Contains("interpreter", System.StringComparison.Ordinal));
        Assert.AreEqual(0, LockManifest.Compare(new LockManifest(), new LockManifest { Interpreter = new LockedInterpreter() }).Count);
    }

    [TestMethod]
    public void A_changed_or_removed_request_or_a_changed_source_is_drift_but_the_version_found_on_a_machine_is_not()
    {
        var recorded = new LockManifest { Interpreter = Managed() };
        Assert.AreEqual(0, LockManifest.Compare(recorded, new LockManifest { Interpreter = new LockedInterpreter { Request = "3.12", Source = "managed" } }).Count);
        var changes = LockManifest.Compare(recorded, new LockManifest { Interpreter = new LockedInterpreter { Request = "3.13", Source = "auto" } }).Select(c => c.ToString()).ToList();
        CollectionAssert.AreEqual(new[] { "~ interpreter request: 3.12 -> 3.13", "~ interpreter source (PythonInterpreterSource): managed -> auto" }, changes);
        Assert.AreEqual("- interpreter request: 3.12", LockManifest.Compare(recorded, new LockManifest { Interpreter = new LockedInterpreter { Source = "managed" } }).Single().ToString());
        Assert.AreEqual(0, LockManifest.Compare(new LockManifest(), new LockManifest { Interpreter = new LockedInterpreter { Request = "3.12" } }).Count,
            "a lock made without a request holds for any interpreter: a request added later is not drift");
    }

    [TestMethod]
    [DataRow("sha256 = \"" + "aaaa" + "\"", "not 64 lowercase hex digits")]
    [DataRow("url = \"not a url\"", "is not an absolute URL")]
    [DataRow("build = \"cpython-3.12.6-windows-x86_64-none\"", "is not a build name for the platform")]
    [DataRow("source = \"downloaded\"", "must be auto, managed or system")]
    [DataRow("mirror = \"x\"", "unknown key \"mirror\"")]
    public void A_hand_edited_interpreter_table_is_PYENV3002_at_its_line(string replacement, string reason)
    {
        var text = Written(Managed());
        var key = replacement.Split(' ')[0];
        var lines = text.Split('\n').ToList();
        var index = key == "mirror"
            ? lines.FindIndex(l => l.StartsWith("source = ", System.StringComparison.Ordinal))
            : lines.FindIndex(l => l.StartsWith(key + " = ", System.StringComparison.Ordinal) && (key != "build" || lines.IndexOf(l) > lines.FindIndex(x => x.Contains("downloads", System.StringComparison.Ordinal))));
        if (key == "mirror")
        {
            lines.Insert(index + 1, replacement);
            index++;
        }
        else
        {
            lines[index] = replacement;
        }

        var error = Assert.ThrowsExactly<PythonEnvException>(() => PylockReader.Read(string.Join("\n", lines), "pylock.toml"));
        Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code);
        StringAssert.Contains(error.Message, reason);
        Assert.AreEqual(index + 1, error.Line);
    }
}
