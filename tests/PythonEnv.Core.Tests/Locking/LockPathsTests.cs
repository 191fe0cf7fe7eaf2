using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Locking;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>
/// PEP 751 <c>path</c> entries: files from find-links folders and <c>file://</c> indexes are recorded relative to
/// the lock file's directory, so a lock committed with its wheels is the same file in every clone.
/// </summary>
[TestClass]
public sealed class LockPathsTests
{
    private static readonly string Root = OperatingSystem.IsWindows() ? @"C:\" : "/";

    private static string At(params string[] parts) => Path.Combine([Root, .. parts]);

    [TestMethod]
    [DataRow(new[] { "repo", "app" }, new[] { "repo", "app", "wheels", "a-1.0-py3-none-any.whl" }, "wheels/a-1.0-py3-none-any.whl")]
    [DataRow(new[] { "repo", "samples", "app" }, new[] { "repo", "artifacts", "wheels" }, "../../artifacts/wheels")]
    [DataRow(new[] { "repo", "app" }, new[] { "repo", "app" }, ".")]
    [DataRow(new[] { "repo", "app", "deep" }, new[] { "repo" }, "../..")]
    public void A_location_sharing_a_folder_with_the_lock_is_recorded_relative_with_slashes(string[] lockFolder, string[] target, string expected)
    {
        Assert.AreEqual(expected, LockPaths.Record(At(target), At(lockFolder)));
        Assert.AreEqual(At(target), LockPaths.Resolve(expected, At(lockFolder)).TrimEnd(Path.DirectorySeparatorChar), "Resolve undoes Record");
    }

    [TestMethod]
    public void A_location_sharing_only_the_root_stays_absolute()
    {
        // A machine-wide wheelhouse: "../../../opt/wheels" would depend on how deep each clone sits.
        var recorded = LockPaths.Record(At("opt", "wheels", "a-1.0-py3-none-any.whl"), At("home", "me", "src", "app"));
        Assert.AreEqual(At("opt", "wheels", "a-1.0-py3-none-any.whl").Replace('\\', '/'), recorded);
        Assert.AreEqual(At("opt", "wheels", "a-1.0-py3-none-any.whl"), LockPaths.Resolve(recorded, At("elsewhere")));
        Assert.AreEqual(At("x", "a.whl").Replace('\\', '/'), LockPaths.Record(At("x", "a.whl"), null), "no lock folder: absolute");
    }

    [TestMethod]
    public void Paths_written_with_backslashes_resolve_on_every_OS()
    {
        Assert.AreEqual(At("repo", "wheels", "a.whl"), LockPaths.Resolve(@"..\wheels\a.whl", At("repo", "app")));
    }

    [TestMethod]
    public void The_manifest_records_local_indexes_and_find_links_like_files_and_urls_as_they_are()
    {
        var lockFolder = At("repo", "app");
        Assert.AreEqual("../index/simple", LockPaths.Portable(new Uri(At("repo", "index", "simple") + Path.DirectorySeparatorChar).AbsoluteUri, lockFolder));
        Assert.AreEqual("wheels", LockPaths.Portable(At("repo", "app", "wheels"), lockFolder));
        Assert.AreEqual("https://pypi.org/simple/", LockPaths.Portable("https://pypi.org/simple/", lockFolder));
        Assert.AreEqual("wheels", LockPaths.Portable("wheels", lockFolder), "a location that is neither a URL nor rooted is left alone");
    }

    private const string Header = "lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\n";

    [TestMethod]
    [DataRow(Header + "[[packages.wheels]]\npath = \"\"\nhashes = {md5 = \"ab\"}\n", 6, "path \"\" of a wheel of a is not a file path")]
    [DataRow(Header + "[[packages.wheels]]\npath = \"w/a\\u0000-1-py3-none-any.whl\"\nhashes = {md5 = \"ab\"}\n", 6, "is not a file path")]
    [DataRow(Header + "[packages.sdist]\nurl = \"a-1.tar.gz\"\nhashes = {md5 = \"ab\"}\n", 6, "url \"a-1.tar.gz\" of a sdist of a is not an absolute URL")]
    [DataRow(Header + "[packages.directory]\neditable = true\n", 6, "the directory of a has no \"path\"")]
    [DataRow(Header + "[packages.archive]\nhashes = {md5 = \"ab\"}\n", 6, "the archive of a has neither \"url\" nor \"path\"")]
    [DataRow(Header + "[packages.archive]\npath = \"a.zip\"\n", 6, "the archive of a has no \"hashes\"")]
    [DataRow(Header + "[packages.vcs]\ntype = \"git\"\nurl = \"https://x/a.git\"\n", 6, "\"commit-id\" is missing")]
    [DataRow(Header + "[packages.vcs]\ncommit-id = \"abc\"\npath = \"\"\ntype = \"git\"\n", 7, "path \"\" of the vcs of a is not a file path")]
    public void Bad_locations_are_PYENV3002_with_their_line(string text, int line, string message)
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PylockReader.Read(text, "pylock.toml"));
        Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code);
        Assert.AreEqual(line, error.Line, error.Message);
        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void Path_entries_and_the_other_sources_read_back()
    {
        var text = Header + "[[packages.wheels]]\npath = \"../wheels/a-1-py3-none-any.whl\"\nhashes = {sha256 = \"" + new string('a', 64) + "\"}\n"
            + "[[packages]]\nname = \"b\"\n[packages.directory]\npath = \"../b\"\n";
        var lockFile = PylockReader.Read(text, "pylock.toml");
        var wheel = lockFile.Packages[0].Wheels.Single();
        Assert.AreEqual("../wheels/a-1-py3-none-any.whl", wheel.Path);
        Assert.IsNull(wheel.Url);
        Assert.AreEqual("a-1-py3-none-any.whl", wheel.FileName);
        Assert.AreEqual("directory", lockFile.Packages[1].OtherSourceKind);
    }

    private static ProjectDeclarations Declare(params string[] names) =>
        ProjectDeclarations.Gather(names.Select(n => new PackageDeclaration(DeclarationKind.Package, n) { File = "app.csproj" }), null, []);

    /// <summary>A project tree with a find-links folder (a, which needs b) and a <c>file://</c> index (b) inside it.</summary>
    private static IndexClientOptions Project(string folder)
    {
        var a = new PackageSpec("a", "1.0");
        a.RequiresDist.Add("b");
        var findLinks = new PackageIndex();
        findLinks.Publish(a.Wheel());
        findLinks.Publish(a.Sdist());
        var wheels = Path.Combine(folder, "app", "wheels");
        Directory.CreateDirectory(wheels);
        foreach (var file in findLinks.AllFiles)
        {
            file.Distribution.WriteTo(wheels);
        }

        var index = new PackageIndex();
        index.Publish(new PackageSpec("b", "1.0").Wheel());
        var simple = index.WriteFileIndex(Path.Combine(folder, "index"));
        return new IndexClientOptions { IndexUrls = [simple], FindLinks = [wheels], CacheDir = Path.Combine(folder, "cache"), RetryCount = 0, Offline = true };
    }

    [TestMethod]
    public async Task Locking_the_same_tree_in_two_places_gives_the_same_bytes_and_either_lock_is_valid_in_the_other()
    {
        var root = Path.Combine(Path.GetTempPath(), "pythonenv-lockpaths-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = Path.Combine(root, "clone1");
            var second = Path.Combine(root, "nested", "clone2");
            var locks = new List<string>();
            foreach (var clone in new[] { first, second })
            {
                var options = Project(clone);
                var lockPath = Path.Combine(clone, "app", "pylock.toml");
                await Task.Run(() => LockWorkflow.Run(Declare("a"), options, new LockRequest { LockPath = lockPath, CreatedBy = "test" }));
                locks.Add(File.ReadAllText(lockPath));
            }

            Assert.AreEqual(locks[0], locks[1], "the lock does not depend on where the tree is");
            var text = locks[0];
            StringAssert.Contains(text, "path = \"wheels/a-1.0-py3-none-any.whl\"");
            StringAssert.Contains(text, "path = \"wheels/a-1.0.tar.gz\"");
            StringAssert.Contains(text, "path = \"../index/files/b-1.0-py3-none-any.whl\"");
            StringAssert.Contains(text, "indexes = [\"../index/simple\"]");
            StringAssert.Contains(text, "find-links = [\"wheels\"]");
            Assert.IsFalse(text.Contains("file:", StringComparison.Ordinal), text);
            Assert.IsFalse(text.Contains(root, StringComparison.Ordinal), text);
            Assert.IsFalse(text.Split('\n').Any(line => line.StartsWith("index =", StringComparison.Ordinal)), "a local folder is no index URL: " + text);

            // The first clone's lock is the second's byte for byte, so committing it means: no drift in Locked mode anywhere.
            var secondLock = Path.Combine(second, "app", "pylock.toml");
            var outcome = LockWorkflow.Run(Declare("a"), Project(second), new LockRequest { LockPath = secondLock, Mode = LockMode.Locked, CreatedBy = "test" });
            Assert.AreEqual(0, outcome.Drift.Count, string.Join("\n", outcome.Drift));
            var lockFile = PylockReader.Load(secondLock);
            var wheel = lockFile.Packages.Single(p => p.Name == "a").Wheels.Single();
            Assert.IsTrue(File.Exists(LockPaths.Resolve(wheel.Path!, Path.Combine(second, "app"))));

            var export = RequirementsExport.Write(lockFile, null, Path.Combine(second, "app"), second);
            StringAssert.Contains(export, "--find-links app/wheels\n--find-links index/files\n");
            StringAssert.Contains(export, "a==1.0 \\\n    --hash=sha256:");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
