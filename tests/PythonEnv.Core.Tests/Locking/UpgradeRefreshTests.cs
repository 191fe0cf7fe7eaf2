using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Locking;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>
/// <c>PythonUpgrade</c> sees versions published while the index pages are still fresh in the HTTP cache: the
/// upgraded packages' pages are revalidated, every other page comes from the cache.
/// </summary>
[TestClass]
public sealed class UpgradeRefreshTests
{
    private static ProjectDeclarations Declare(params string[] names) =>
        ProjectDeclarations.Gather(names.Select(n => new PackageDeclaration(DeclarationKind.Package, n) { File = "app.csproj" }), null, []);

    [TestMethod]
    public async Task Upgrade_revalidates_exactly_the_upgraded_pages_and_sees_versions_published_within_max_age()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Switches.PageCacheControl = "max-age=3600, public";
        var a = new PackageSpec("a", "1.0");
        a.RequiresDist.Add("c");
        server.Publish(a.Wheel());
        server.Publish(new PackageSpec("b", "1.0").Wheel());
        server.Publish(new PackageSpec("c", "1.0").Wheel());
        server.Publish(new PackageSpec("d", "1.0").Wheel());
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-refresh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = Path.Combine(folder, "cache"), RetryCount = 0 };
            var lockPath = Path.Combine(folder, "pylock.toml");
            var log = new List<string>();
            Task<LockOutcome> Lock(ProjectDeclarations declarations, string? upgrade = null) =>
                Task.Run(() => LockWorkflow.Run(declarations, index, new LockRequest { LockPath = lockPath, Log = log.Add, CreatedBy = "test", Upgrade = upgrade }));
            int Pages(string project) => server.Log.Count("/simple/" + project + "/");

            await Lock(Declare("a", "b"));
            CollectionAssert.AreEqual(new[] { "+ a 1.0", "+ b 1.0", "+ c 1.0" }, log);
            var a11 = new PackageSpec("a", "1.1");
            a11.RequiresDist.Add("c");
            server.Publish(a11.Wheel());
            server.Publish(new PackageSpec("b", "1.1").Wheel());
            server.Publish(new PackageSpec("c", "1.1").Wheel());

            log.Clear();
            await Lock(Declare("a", "b", "d"));
            CollectionAssert.AreEqual(new[] { "+ d 1.0" }, log, "a declaration change re-locks from the cache");
            Assert.AreEqual((1, 1, 1, 1), (Pages("a"), Pages("b"), Pages("c"), Pages("d")), "no page was asked again");

            log.Clear();
            await Lock(Declare("a", "b", "d"), upgrade: "a");
            CollectionAssert.AreEqual(new[] { "~ a 1.0 -> 1.1" }, log, "the upgraded package sees the version published within max-age");
            Assert.AreEqual((2, 1, 1, 1), (Pages("a"), Pages("b"), Pages("c"), Pages("d")), "only a's page is revalidated");
            var revalidation = server.Log.For("/simple/a/")[1];
            Assert.IsNotNull(revalidation.Header("If-None-Match"));
            Assert.AreEqual(200, revalidation.StatusCode);

            log.Clear();
            await Lock(Declare("a", "b", "d"), upgrade: "true");
            CollectionAssert.AreEqual(new[] { "~ b 1.0 -> 1.1", "~ c 1.0 -> 1.1" }, log);
            Assert.AreEqual((3, 2, 2, 2), (Pages("a"), Pages("b"), Pages("c"), Pages("d")), "PythonUpgrade=true revalidates every page once");
            Assert.AreEqual(304, server.Log.For("/simple/a/")[2].StatusCode, "a did not change since: its cached page is kept");
            Assert.AreEqual(304, server.Log.For("/simple/d/")[1].StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
