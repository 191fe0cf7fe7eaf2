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

namespace PythonEnv.Core.Tests.Locking;

/// <summary>PythonLock's workflow: Update writes only on drift and moves only what must move; Locked never writes and lists the drift.</summary>
[TestClass]
public sealed class LockWorkflowTests
{
    private static ProjectDeclarations Declare(params (string Name, string? Version)[] packages) =>
        ProjectDeclarations.Gather(packages.Select(p => new PackageDeclaration(DeclarationKind.Package, p.Name) { Version = p.Version, File = "app.csproj" }), null, []);

    [TestMethod]
    public async Task UpdateWritesOnDriftOnlyAndLockedListsEveryDifference()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("a", "1.0"));
        server.Publish(new PackageSpec("a", "2.0"));
        var b = new PackageSpec("b", "1.0");
        b.RequiresDist.Add("c");
        server.Publish(b);
        server.Publish(new PackageSpec("c", "1.0"));
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-workflow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            IndexClientOptions index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = Path.Combine(folder, "cache"), RetryCount = 0 };
            var lockPath = Path.Combine(folder, "pylock.toml");
            var log = new List<string>();
            LockRequest Request(LockMode mode) => new() { LockPath = lockPath, Mode = mode, Log = log.Add, CreatedBy = "test" };

            var first = await Task.Run(() => LockWorkflow.Run(Declare(("a", "<2"), ("b", null)), index, Request(LockMode.Update)));
            Assert.IsTrue(first.Written);
            CollectionAssert.AreEqual(new[] { "+ a 1.0", "+ b 1.0", "+ c 1.0" }, log);
            var bytes = File.ReadAllBytes(lockPath);

            var again = await Task.Run(() => LockWorkflow.Run(Declare(("b", null), ("a", "<2")), index, Request(LockMode.Update)));
            Assert.IsFalse(again.Written, "reordered declarations are not drift");
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(lockPath));

            var error = Assert.ThrowsExactly<PythonEnvException>(() => LockWorkflow.Run(Declare(("a", ">=2"), ("b", null), ("d", null)), index, Request(LockMode.Locked)));
            Assert.AreEqual(DiagnosticCodes.LockOutOfDate, error.Code);
            StringAssert.Contains(error.Message, "~ dependency a: a<2 -> a>=2");
            StringAssert.Contains(error.Message, "+ dependency d");
            StringAssert.Contains(error.Message, "a>=2 is not satisfied by the locked a 1.0" + Environment.NewLine);
            StringAssert.Contains(error.Message, LockWorkflow.FixCommand);
            Assert.IsTrue(error.Message.Split('\n').Length < 12, error.Message);
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(lockPath), "Locked never writes");

            log.Clear();
            server.Publish(new PackageSpec("c", "2.0"));
            index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = Path.Combine(folder, "cache2"), RetryCount = 0 };
            var relock = await Task.Run(() => LockWorkflow.Run(Declare(("a", ">=2"), ("b", null)), index, Request(LockMode.Update)));
            Assert.IsTrue(relock.Written);
            CollectionAssert.AreEqual(new[] { "~ a 1.0 -> 2.0" }, log, "c stays at its locked version");

            log.Clear();
            var upgrade = await Task.Run(() => LockWorkflow.Run(Declare(("a", ">=2"), ("b", null)), index,
                new LockRequest { LockPath = lockPath, Log = log.Add, CreatedBy = "test", Upgrade = "c" }));
            Assert.IsTrue(upgrade.Written);
            CollectionAssert.AreEqual(new[] { "~ c 1.0 -> 2.0" }, log, "PythonUpgrade=c lifts c's preference only");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
