using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// A cold sync fetches and unpacks its wheels in parallel (downloads bounded, unpacks as downloads land), and a
/// failure part-way leaves the venv and the wheel cache as they were.
/// </summary>
[TestClass]
public sealed class ArtifactPipelineTests
{
    private static (PlannedPackage Package, Distribution Wheel) Served(TestIndexServer server, string name, int modules)
    {
        var spec = new PackageSpec(name, "1.0");
        for (var m = 0; m < modules; m++)
        {
            spec.Files[$"{spec.ModuleName}/mod{m}.py"] = $"VALUE = {m}\n";
        }
        spec.Files[$"{spec.ModuleName}/__init__.py"] = $"def hello():\n    return 'hello from {name}'\n";
        var wheel = spec.Wheel();
        server.Publish(wheel);
        return (new PlannedPackage(name, "1.0", new[] { new PlannedArtifact(wheel.FileName, wheel.Sha256, wheel.Size, Url: server.FileUrl(wheel.FileName)) }, Requested: true), wheel);
    }

    [TestMethod]
    public async Task Downloads_run_several_at_a_time_within_the_bound_and_every_wheel_is_installed()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("pipeline-parallel", python);
        await using var server = await TestIndexServer.StartAsync();
        var served = Enumerable.Range(0, 12).Select(i => Served(server, $"par{i:00}", 1 + i)).ToList();
        foreach (var (_, wheel) in served)
        {
            server.Faults.StallNext(1, TimeSpan.FromMilliseconds(150), wheel.FileName); // downloads overlap only if they run at once
        }
        using var client = new IndexClient(new IndexClientOptions { IndexUrls = new[] { server.SimpleUrl }, CacheDir = harness.Cache, RetryCount = 0 });
        var inFlight = 0;
        var most = 0;
        async Task<string> Download(Uri url, string sha256, long? size, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            try
            {
                return await client.DownloadAsync(url, sha256, size, ct);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        var result = await harness.SyncAsync(served.Select(s => s.Package), harness.Options(Download));

        Assert.AreEqual(12, result.Installed.Count);
        Assert.IsTrue(most > 1, $"downloads ran one at a time (at most {most} in flight)");
        Assert.IsTrue(most <= ArtifactPipeline.MaxDownloads, $"{most} downloads in flight, more than the bound {ArtifactPipeline.MaxDownloads}");
        foreach (var (package, _) in served)
        {
            Assert.IsTrue(Directory.Exists(Path.Combine(harness.Venv.PureLib, package.Name + "-1.0.dist-info")), package.Name);
        }
        Assert.AreEqual("hello from par11 11", harness.RunInVenv("import par11, par11.mod11; print(par11.hello(), par11.mod11.VALUE)"));
    }

    [TestMethod]
    public async Task A_download_failing_part_way_stops_the_rest_and_leaves_the_venv_and_the_cache_whole()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("pipeline-failure", python);
        var good = new PackageSpec("good", "1.0");
        await harness.SyncAsync(new[] { harness.Package(good) });
        var before = new InstallPlan(new[] { harness.Package(good) }).Fingerprint(python);

        await using var server = await TestIndexServer.StartAsync();
        var served = Enumerable.Range(0, 10).Select(i => Served(server, $"part{i:00}", 20)).ToList();
        // Some downloads are slow, one fails: the failure lands while others are still in flight or unpacking.
        foreach (var (_, wheel) in served.Take(5))
        {
            server.Faults.StallNext(1, TimeSpan.FromMilliseconds(300), wheel.FileName);
        }
        server.Faults.FailNext(int.MaxValue, served[7].Wheel.FileName, statusCode: 500);
        using var client = new IndexClient(new IndexClientOptions { IndexUrls = new[] { server.SimpleUrl }, CacheDir = harness.Cache, RetryCount = 0 });
        var plan = new[] { harness.Package(good) }.Concat(served.Select(s => s.Package)).ToList();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(plan, harness.Options(client.DownloadAsync)));

        StringAssert.Contains(error.Message, served[7].Wheel.FileName);
        // The venv is the previous, complete environment: still stamped for it, nothing of the new plan in it.
        Assert.IsTrue(EnvironmentSync.IsUpToDate(harness.VenvRoot, before));
        Assert.IsFalse(Directory.EnumerateDirectories(harness.Venv.PureLib, "part*").Any(), "a package of the failed plan reached the venv");
        // The cache holds whole entries only: no unpack was left half-written.
        var cache = new WheelCache(harness.Cache);
        Assert.IsFalse(Directory.EnumerateDirectories(cache.Root, "*.tmp-*", SearchOption.AllDirectories).Any(), "a temporary unpack folder was left in the cache");
        foreach (var (_, wheel) in served)
        {
            var entry = Path.Combine(cache.Root, wheel.Sha256[..2], wheel.Sha256);
            Assert.IsTrue(!Directory.Exists(entry) || cache.TryGet(wheel.Sha256, verifyHashes: true) is not null, $"the cache entry of {wheel.FileName} is not whole");
        }

        // Once the index serves the file, the same plan installs.
        server.Faults.Clear();
        var result = await harness.SyncAsync(plan, harness.Options(client.DownloadAsync));
        Assert.AreEqual(10, result.Installed.Count);
        Assert.AreEqual("hello from part07", harness.RunInVenv("import part07; print(part07.hello())"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
