using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Core.Tests.TestIndex;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Locking;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>PythonLock's workflow: Update writes only on drift and moves only what must move; Locked never writes and lists the drift.</summary>
[TestClass]
public sealed class LockWorkflowTests
{
    private static ProjectDeclarations Declare(params (string Name, string? Version)[] packages) =>
        ProjectDeclarations.Gather(packages.Select(p => new PackageDeclaration(DeclarationKind.Package, p.Name) { Version = p.Version, File = "app.csproj" }), null, []);

    /// <summary>
    /// An index with a 1.0 and 2.0, b 1.0 (which needs c) and c 1.0, and a folder whose lock Update mode made from
    /// <c>a&lt;2</c> and <c>b</c>: the log of that first run and the lock's bytes.
    /// </summary>
    private sealed class Workflow : IAsyncDisposable
    {
        private readonly TempFolder _folder = new();

        private Workflow(TestIndexServer server)
        {
            Server = server;
            Index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = _folder.Combine("cache"), RetryCount = 0 };
        }

        public TestIndexServer Server { get; }

        public IndexClientOptions Index { get; private set; }

        public string LockPath => _folder.Combine("pylock.toml");

        public List<string> Log { get; } = [];

        public byte[] FirstLock { get; private set; } = [];

        public LockOutcome FirstRun { get; private set; } = null!;

        public static async Task<Workflow> StartAsync()
        {
            var server = await TestIndexServer.StartAsync();
            server.Publish(new PackageSpec("a", "1.0"));
            server.Publish(new PackageSpec("a", "2.0"));
            var b = new PackageSpec("b", "1.0");
            b.RequiresDist.Add("c");
            server.Publish(b);
            server.Publish(new PackageSpec("c", "1.0"));
            var workflow = new Workflow(server);
            workflow.FirstRun = await workflow.RunAsync(LockMode.Update, ("a", "<2"), ("b", null));
            workflow.FirstLock = File.ReadAllBytes(workflow.LockPath);
            return workflow;
        }

        public LockRequest Request(LockMode mode = LockMode.Update, string? upgrade = null) =>
            new() { LockPath = LockPath, Mode = mode, Log = Log.Add, CreatedBy = "test", Upgrade = upgrade };

        public Task<LockOutcome> RunAsync(LockMode mode, params (string Name, string? Version)[] packages) =>
            Task.Run(() => LockWorkflow.Run(Declare(packages), Index, Request(mode)));

        /// <summary>Publishes c 2.0 and reads the index afresh (a new cache), as a later day's build would.</summary>
        public void PublishNewerC()
        {
            Server.Publish(new PackageSpec("c", "2.0"));
            Index = Index with { CacheDir = _folder.Combine("cache2") };
        }

        public async ValueTask DisposeAsync()
        {
            _folder.Dispose();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Records what the engine says it starts.</summary>
    private sealed class RecordingProgress : IProgressReporter
    {
        public List<(ProgressPhase Phase, string Subject)> Started { get; } = [];

        public IProgressOperation Start(ProgressPhase phase, string subject, long? totalBytes = null)
        {
            lock (Started)
            {
                Started.Add((phase, subject));
            }
            return new Operation();
        }

        private sealed class Operation : IProgressOperation
        {
            public void Advance(long bytes)
            {
            }

            public void Dispose()
            {
            }
        }
    }

    [TestMethod]
    public async Task A_wheel_downloaded_whole_for_its_metadata_while_locking_reports_its_progress()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Switches.NoMetadataFiles = true;
        server.Switches.NoRangeRequests = true;
        server.Publish(new PackageSpec("a", "1.0"));
        using var folder = new TempFolder();
        var progress = new RecordingProgress();
        var request = new LockRequest { LockPath = folder.Combine("pylock.toml"), CreatedBy = "test", Progress = progress };

        await Task.Run(() => LockWorkflow.Run(Declare(("a", null)), new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = folder.Combine("cache"), RetryCount = 0 }, request));

        CollectionAssert.Contains(progress.Started, (ProgressPhase.Resolve, "pylock.toml"));
        CollectionAssert.Contains(progress.Started, (ProgressPhase.Download, "a-1.0-py3-none-any.whl"), string.Join(", ", progress.Started));
    }

    [TestMethod]
    public async Task Update_writes_a_new_lock_and_logs_every_package_it_added()
    {
        await using var workflow = await Workflow.StartAsync();

        Assert.IsTrue(workflow.FirstRun.Written);
        CollectionAssert.AreEqual(new[] { "+ a 1.0", "+ b 1.0", "+ c 1.0" }, workflow.Log);
    }

    [TestMethod]
    public async Task Reordered_declarations_are_not_drift_and_leave_the_lock_as_it_was()
    {
        await using var workflow = await Workflow.StartAsync();

        var again = await workflow.RunAsync(LockMode.Update, ("b", null), ("a", "<2"));

        Assert.IsFalse(again.Written, "reordered declarations are not drift");
        CollectionAssert.AreEqual(workflow.FirstLock, File.ReadAllBytes(workflow.LockPath));
    }

    [TestMethod]
    public async Task Locked_mode_lists_every_difference_as_PYENV3001_and_never_writes()
    {
        await using var workflow = await Workflow.StartAsync();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => workflow.RunAsync(LockMode.Locked, ("a", ">=2"), ("b", null), ("d", null)));

        Assert.AreEqual(DiagnosticCodes.LockOutOfDate, error.Code);
        StringAssert.Contains(error.Message, "~ dependency a: a<2 -> a>=2");
        StringAssert.Contains(error.Message, "+ dependency d");
        StringAssert.Contains(error.Message, "a>=2 is not satisfied by the locked a 1.0" + Environment.NewLine);
        StringAssert.Contains(error.Message, LockWorkflow.FixCommand);
        Assert.IsTrue(error.Message.Split('\n').Length < 12, error.Message);
        CollectionAssert.AreEqual(workflow.FirstLock, File.ReadAllBytes(workflow.LockPath), "Locked never writes");
    }

    [TestMethod]
    public async Task A_relock_moves_only_what_the_changed_declaration_needs()
    {
        await using var workflow = await Workflow.StartAsync();
        workflow.PublishNewerC();
        workflow.Log.Clear();

        var relock = await workflow.RunAsync(LockMode.Update, ("a", ">=2"), ("b", null));

        Assert.IsTrue(relock.Written);
        CollectionAssert.AreEqual(new[] { "~ a 1.0 -> 2.0" }, workflow.Log, "c stays at its locked version");
    }

    [TestMethod]
    public async Task An_upgrade_of_one_package_lifts_only_its_preference()
    {
        await using var workflow = await Workflow.StartAsync();
        workflow.PublishNewerC();
        workflow.Log.Clear();

        var upgrade = await Task.Run(() => LockWorkflow.Run(Declare(("a", "<2"), ("b", null)), workflow.Index, workflow.Request(upgrade: "c")));

        Assert.IsTrue(upgrade.Written);
        CollectionAssert.AreEqual(new[] { "~ c 1.0 -> 2.0" }, workflow.Log, "PythonUpgrade=c lifts c's preference only");
    }

    /// <summary>A folder holding a lock of a (latest 2.0, which needs b 1.0) that Update mode made, and the workflow to run there again.</summary>
    private sealed class LockedFolder : IDisposable
    {
        private readonly TempFolder _folder = new();

        public LockedFolder(TestIndexServer server)
        {
            Index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = _folder.Combine("cache"), RetryCount = 0 };
        }

        public string Folder => _folder.Path;

        public string LockPath => _folder.Combine("pylock.toml");

        public IndexClientOptions Index { get; }

        public LockOutcome Run(LockMode mode, params (string Name, string? Version)[] packages) =>
            LockWorkflow.Run(Declare(packages.Length > 0 ? packages : [("a", null)]), Index, new LockRequest { LockPath = LockPath, Mode = mode });

        public void Dispose() => _folder.Dispose();
    }

    private static async Task<LockedFolder> Locked(TestIndexServer server, bool withAandB = true)
    {
        if (withAandB)
        {
            server.Publish(PackageSpec.Of("a", "1.0", "b"));
            server.Publish(PackageSpec.Of("a", "2.0", "b"));
            server.Publish(PackageSpec.Of("b", "1.0"));
        }

        var folder = new LockedFolder(server);
        Assert.IsTrue((await Task.Run(() => folder.Run(LockMode.Update))).Written);
        return folder;
    }

    [TestMethod]
    public async Task A_hand_edited_version_is_refused_in_every_mode_and_the_edit_is_never_overwritten()
    {
        await using var server = await TestIndexServer.StartAsync();
        using var project = await Locked(server);
        var text = File.ReadAllText(project.LockPath);
        Assert.IsTrue(text.Contains("name = \"a\"\nversion = \"2.0\"", StringComparison.Ordinal), text);
        var edited = text.Replace("name = \"a\"\nversion = \"2.0\"", "name = \"a\"\nversion = \"1.0\"", StringComparison.Ordinal);
        File.WriteAllText(project.LockPath, edited);
        var line = edited[..edited.IndexOf("name = \"a\"", StringComparison.Ordinal)].Count(c => c == '\n') + 2;

        foreach (var mode in new[] { LockMode.Update, LockMode.Locked, LockMode.Frozen })
        {
            var error = Assert.ThrowsExactly<PythonEnvException>(() => project.Run(mode), mode.ToString());
            Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code, error.Message);
            Assert.AreEqual(project.LockPath, error.File);
            Assert.AreEqual(line, error.Line, error.Message);
            StringAssert.Contains(error.Message, "which is version 2.0");
        }

        Assert.AreEqual(edited, File.ReadAllText(project.LockPath), "a hand edit is reported, never silently overwritten");
    }

    [TestMethod]
    public async Task Packages_split_around_the_tool_table_are_not_drift()
    {
        await using var server = await TestIndexServer.StartAsync();
        using var project = await Locked(server);
        var text = File.ReadAllText(project.LockPath);
        var tool = text[text.IndexOf("[tool]", StringComparison.Ordinal)..];
        var body = text[..text.IndexOf("[tool]", StringComparison.Ordinal)];
        var second = body.IndexOf("[[packages]]", body.IndexOf("[[packages]]", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        Assert.IsTrue(second > 0, text);
        File.WriteAllText(project.LockPath, body[..second] + tool + "\n" + body[second..]);

        var locked = project.Run(LockMode.Locked);
        var update = project.Run(LockMode.Update);

        Assert.AreEqual(0, locked.Drift.Count, string.Join("\n", locked.Drift));
        Assert.IsFalse(update.Written, "the same lock laid out differently is not drift");
        CollectionAssert.AreEqual(new[] { "a 2.0", "b 1.0" }, PylockReader.Load(project.LockPath).Packages.Select(p => p.ToString()).ToArray());
    }

    [TestMethod]
    public async Task The_lock_names_the_tool_that_made_it_and_keeps_the_indexs_upload_time()
    {
        await using var server = await TestIndexServer.StartAsync();
        var uploaded = new DateTimeOffset(2024, 1, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_560);
        server.Publish(PackageSpec.Of("a", "1.0", "b").Wheel(), new PublishOptions { UploadTime = uploaded });
        server.Publish(PackageSpec.Of("b", "1.0").Wheel());

        using var project = await Locked(server, withAandB: false);

        var text = File.ReadAllText(project.LockPath);
        StringAssert.Contains(text, "created-by = \"pythonenv-sdk\"\n");
        StringAssert.Contains(text, "upload-time = 2024-01-01T12:34:56.123456Z\n");
        StringAssert.Contains(text, "upload-time = 2025-01-01T00:00:00.000000Z\n", "the index wrote six digits; so does the lock");
        Assert.AreEqual(uploaded, PylockReader.Load(project.LockPath).Packages.Single(p => p.Name == "a").Wheels.Single().UploadTime);
    }

    [TestMethod]
    public async Task A_relock_replaces_the_lock_whole_instead_of_rewriting_it_in_place()
    {
        await using var server = await TestIndexServer.StartAsync();
        using var project = await Locked(server);
        var before = File.ReadAllBytes(project.LockPath);
        using var reader = new FileStream(project.LockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        var relock = await Task.Run(() => project.Run(LockMode.Update, ("a", "<2")));

        Assert.IsTrue(relock.Written);
        StringAssert.Contains(File.ReadAllText(project.LockPath), "version = \"1.0\"");
        var seen = new MemoryStream();
        reader.CopyTo(seen);
        CollectionAssert.AreEqual(before, seen.ToArray(), "a reader of the old lock (or a build killed mid-write) sees the old lock whole, never a truncated one");
        CollectionAssert.AreEqual(new[] { project.LockPath }, Directory.GetFiles(project.Folder), "no temporary file is left beside the lock");
    }

    [TestMethod]
    public void A_write_that_fails_midway_leaves_the_old_lock_whole_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        var lockPath = folder.Combine("pylock.toml");
        File.WriteAllText(lockPath, "lock-version = \"1.0\"\n");

        Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(lockPath, stream =>
        {
            stream.Write("lock-ver"u8);
            throw new IOException("the disk is full");
        }));

        Assert.AreEqual("lock-version = \"1.0\"\n", File.ReadAllText(lockPath));
        CollectionAssert.AreEqual(new[] { lockPath }, Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void A_lock_that_cannot_be_written_is_PYENV3003_not_a_crash()
    {
        using var folder = new TempFolder();
        var notAFolder = folder.Combine("file");
        File.WriteAllText(notAFolder, "");

        var error = Assert.ThrowsExactly<PythonEnvException>(() => PylockWriter.Save(PylockFileTests.Sample(), Path.Combine(notAFolder, "pylock.toml")));

        Assert.AreEqual(DiagnosticCodes.LockWriteFailed, error.Code);
        StringAssert.Contains(error.Message, "The previous file is unchanged.");
    }
}
