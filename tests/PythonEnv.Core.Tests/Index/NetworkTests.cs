using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Index;

/// <summary>Retries with back-off on 5xx, timeouts and dropped connections; bounded concurrency; verified downloads.</summary>
[TestClass]
public sealed class NetworkTests
{
    [TestMethod]
    [DataRow(500)]
    [DataRow(502)]
    [DataRow(503)]
    public async Task Server_errors_are_retried(int status)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(2, "/simple/demo/", status);
        using var client = fx.Client(fx.Options(retries: 2));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.AreEqual(1, listing.Files.Count);
        Assert.AreEqual(3, fx.Server.Log.Count("/simple/demo/"));
        Assert.AreEqual(2, fx.LogLines.Count(l => l.StartsWith("Retrying", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Persistent_failure_is_PYENV5003_saying_what_where_and_how_often()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(100, "/simple/demo/", 503);
        using var client = fx.Client(fx.Options(retries: 3));

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.NetworkFailure, error.Code);
        Assert.Contains("'demo'", error.Message);
        Assert.Contains(fx.Server.ProjectUrl("demo").AbsoluteUri, error.Message);
        Assert.Contains("4 time(s)", error.Message);
        Assert.Contains("503", error.Message);
        Assert.AreEqual(4, fx.Server.Log.Count("/simple/demo/"));
    }

    [TestMethod]
    public async Task Back_off_doubles_between_attempts()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(3, "/simple/demo/", 500);
        using var client = fx.Client(fx.Options(retries: 3, retryDelay: TimeSpan.FromMilliseconds(100)));

        await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        var times = fx.Server.Log.For("/simple/demo/").Select(r => r.Time).ToArray();
        Assert.AreEqual(4, times.Length);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90), times[1] - times[0]);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190), times[2] - times[1]);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390), times[3] - times[2]);
    }

    [TestMethod]
    [DataRow(429)]
    [DataRow(503)]
    public async Task Retry_after_in_seconds_is_honoured(int status)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(1, "/simple/demo/", status, retryAfter: "1");
        using var client = fx.Client(fx.Options(retries: 2, retryDelay: TimeSpan.FromMilliseconds(10)));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        var times = fx.Server.Log.For("/simple/demo/").Select(r => r.Time).ToArray();
        Assert.HasCount(1, listing.Files);
        Assert.HasCount(2, times);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950), times[1] - times[0]);
        Assert.IsTrue(fx.LogLines.Any(l => l.Contains("Retry-After", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        // HTTP-dates have whole seconds: three seconds ahead is at least two seconds of waiting.
        var date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        fx.Server.Faults.FailNext(1, "/simple/demo/", 429, retryAfter: date);
        using var client = fx.Client(fx.Options(retries: 1, retryDelay: TimeSpan.FromMilliseconds(10)));

        await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        var times = fx.Server.Log.For("/simple/demo/").Select(r => r.Time).ToArray();
        Assert.HasCount(2, times);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1900), times[1] - times[0]);
    }

    [TestMethod]
    public async Task Retry_after_is_capped_and_never_adds_attempts()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(100, "/simple/demo/", 429, retryAfter: "3600");
        using var client = fx.Client(fx.Options(retries: 2, retryDelay: TimeSpan.FromMilliseconds(10)) with { MaxRetryAfter = TimeSpan.FromMilliseconds(300) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        var times = fx.Server.Log.For("/simple/demo/").Select(r => r.Time).ToArray();
        Assert.AreEqual(DiagnosticCodes.NetworkFailure, error.Code);
        Assert.HasCount(3, times, "the retry budget, not the server, decides how often");
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280), times[1] - times[0]);
        Assert.IsLessThan(TimeSpan.FromSeconds(10), clock.Elapsed, "an hour's Retry-After is cut to the cap");
        Assert.Contains("Retry-After", error.Message);
    }

    [TestMethod]
    public async Task Retry_after_on_the_last_attempt_is_not_waited_for()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(100, "/simple/demo/", 503, retryAfter: "20");
        using var client = fx.Client(fx.Options(retries: 0));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.NetworkFailure, error.Code);
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/demo/"));
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed);
    }

    [TestMethod]
    public async Task A_stalled_response_times_out_and_is_retried()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.StallNext(1, TimeSpan.FromSeconds(30), "/simple/demo/");
        using var client = fx.Client(fx.Options(timeout: TimeSpan.FromMilliseconds(500)));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.AreEqual(1, listing.Files.Count);
        Assert.AreEqual(2, fx.Server.Log.Count("/simple/demo/"));
        Assert.IsTrue(fx.LogLines.Any(l => l.Contains("no response within", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_download_stalled_mid_body_times_out_and_is_retried()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("demo", "1.0");
        using var client = fx.Client(fx.Options(timeout: TimeSpan.FromMilliseconds(500)));
        var file = await IndexFixture.OnlyFileAsync(client, "demo");
        fx.Server.Faults.StallNext(1, TimeSpan.FromSeconds(30), wheel.FileName, afterBytes: 100);

        var path = await client.DownloadAsync(file, CancellationToken.None);

        CollectionAssert.AreEqual(wheel.Content, File.ReadAllBytes(path));
        Assert.AreEqual(2, fx.Server.Log.Count(wheel.FileName));
    }

    [TestMethod]
    [DataRow(null, DisplayName = "before the response")]
    [DataRow(100, DisplayName = "in the middle of the body")]
    public async Task A_dropped_connection_is_retried(int? afterBytes)
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("demo", "1.0");
        using var client = fx.Client();
        var file = await IndexFixture.OnlyFileAsync(client, "demo");
        fx.Server.Faults.DropNext(1, wheel.FileName, afterBytes);

        var path = await client.DownloadAsync(file, CancellationToken.None);

        CollectionAssert.AreEqual(wheel.Content, File.ReadAllBytes(path));
        Assert.AreEqual(2, fx.Server.Log.Count(wheel.FileName));
    }

    [TestMethod]
    public async Task A_download_with_the_wrong_hash_is_PYENV5006_and_not_kept()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.Corrupt(wheel.FileName);
        using var client = fx.Client();
        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.DownloadAsync(file, CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.HashMismatch, error.Code);
        Assert.Contains(wheel.FileName, error.Message);
        Assert.Contains(wheel.Sha256, error.Message);
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(fx.CacheDir, "archives-v1"), "*", SearchOption.AllDirectories).Any(), "nothing kept");
    }

    [TestMethod]
    public async Task A_download_by_url_and_hash_verifies_both_hash_and_size()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("demo", "1.0");
        using var client = fx.Client();
        var url = fx.Server.FileUrl(wheel.FileName);

        var path = await client.DownloadAsync(url, wheel.Sha256.ToUpperInvariant(), wheel.Size, CancellationToken.None);
        var wrongHash = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.DownloadAsync(url, new string('0', 64), null, CancellationToken.None));
        var wrongSize = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.DownloadAsync(url, new string('1', 64), wheel.Size + 1, CancellationToken.None));

        Assert.AreEqual(Path.Combine(fx.CacheDir, "archives-v1", wheel.Sha256, wheel.FileName), path);
        CollectionAssert.AreEqual(wheel.Content, File.ReadAllBytes(path));
        Assert.AreEqual(DiagnosticCodes.HashMismatch, wrongHash.Code);
        Assert.AreEqual(DiagnosticCodes.HashMismatch, wrongSize.Code);
        Assert.Contains("bytes", wrongSize.Message);
        Assert.AreEqual(1, Directory.EnumerateFiles(Path.Combine(fx.CacheDir, "archives-v1"), "*", SearchOption.AllDirectories).Count());
    }

    [TestMethod]
    public async Task Callers_of_the_same_project_share_one_request_and_one_giving_up_does_not_fail_the_other()
    {
        await using var fx = await IndexFixture.StartAsync();
        SlowEmptyPages(fx.Server, TimeSpan.FromMilliseconds(300), "x");
        using var client = fx.Client();
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var first = client.GetProjectAsync(IndexFixture.Name("x"), impatient.Token);
        var second = client.GetProjectAsync(IndexFixture.Name("x"), CancellationToken.None);

        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        Assert.IsEmpty((await second).Files);
        Assert.AreEqual(1, fx.Server.Log.Count());
    }

    [TestMethod]
    public async Task Requests_in_flight_are_bounded_by_MaxConcurrency()
    {
        await using var fx = await IndexFixture.StartAsync();
        var projects = Enumerable.Range(0, 12).Select(i => "p" + i).ToArray();
        SlowEmptyPages(fx.Server, TimeSpan.FromMilliseconds(150), projects);
        using var client = fx.Client(fx.Options(maxConcurrency: 3));

        await Task.WhenAll(projects.Select(p => client.GetProjectAsync(IndexFixture.Name(p), CancellationToken.None)));

        Assert.AreEqual(12, fx.Server.Log.Count());
        Assert.IsLessThanOrEqualTo(3, fx.Server.Log.MaxInFlight);
        Assert.IsGreaterThan(1, fx.Server.Log.MaxInFlight, "requests do run in parallel");
    }

    /// <summary>Empty PEP 691 pages for <paramref name="projects"/>, every request answered only after <paramref name="delay"/>.</summary>
    private static void SlowEmptyPages(TestIndexServer server, TimeSpan delay, params string[] projects)
    {
        foreach (var project in projects)
        {
            server.Serve("/simple/" + project + "/", 200, "{\"meta\":{\"api-version\":\"1.0\"},\"name\":\"" + project + "\",\"files\":[]}", "application/vnd.pypi.simple.v1+json");
        }

        server.Faults.StallNext(int.MaxValue, delay);
    }
}
