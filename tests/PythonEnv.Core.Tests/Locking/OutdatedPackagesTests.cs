using System;
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
/// <c>PythonOutdated</c>: locked packages with a newer version on their index, counting only versions that install
/// somewhere the lock covers (not yanked, final unless asked, a file for the lock's environments and Python).
/// </summary>
[TestClass]
public sealed class OutdatedPackagesTests
{
    [TestMethod]
    public async Task Newer_versions_count_only_where_the_lock_can_install_them()
    {
        await using var server = await TestIndexServer.StartAsync();
        foreach (var name in new[] { "fresh", "newer", "yanked", "prerelease", "windows-only", "old-python", "sdist-only" })
        {
            server.Publish(new PackageSpec(name, "1.0").Wheel());
        }
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-outdated-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var index = new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = Path.Combine(folder, "cache"), RetryCount = 0 };
            var lockPath = Path.Combine(folder, "pylock.toml");
            var declarations = ProjectDeclarations.Gather(
                new[] { "fresh", "newer", "yanked", "prerelease", "windows-only", "old-python", "sdist-only" }
                    .Select(n => new PackageDeclaration(DeclarationKind.Package, n) { File = "app.csproj" }), null, [], ">=3.10");
            LockWorkflow.Run(declarations, index, new LockRequest { LockPath = lockPath, CreatedBy = "test", Environments = ["sys_platform == 'linux'"] });
            var before = File.ReadAllBytes(lockPath);

            server.Publish(new PackageSpec("newer", "1.1").Wheel());
            server.Publish(new PackageSpec("newer", "1.2").Wheel());
            server.Publish(new PackageSpec("yanked", "2.0").Wheel(), new PublishOptions { Yanked = true });
            server.Publish(new PackageSpec("prerelease", "2.0b1").Wheel());
            server.Publish(new PackageSpec("windows-only", "2.0").Wheel("cp312-cp312-win_amd64"));
            server.Publish(new PackageSpec("old-python", "2.0") { RequiresPython = "<3.10" }.Wheel());
            server.Publish(new PackageSpec("sdist-only", "2.0").Sdist());

            using var client = new IndexClient(index with { Refresh = CacheRefresh.All });
            var outdated = await OutdatedPackages.FindAsync(PylockReader.Load(lockPath), client.GetProjectAsync);

            CollectionAssert.AreEqual(new[] { "newer 1.0 -> 1.2", "sdist-only 1.0 -> 2.0" }, outdated.Select(p => p.ToString()).ToArray());
            CollectionAssert.AreEqual(before, File.ReadAllBytes(lockPath), "the lock is only read");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
