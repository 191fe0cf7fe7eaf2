using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;

namespace PythonEnv.Core.Tests.Index;

/// <summary>
/// The transport under the index client, on its own: a GET that follows redirects, is retried on 5xx, 429 and
/// dropped connections with back-off, fails with PYENV5002 on 401/403 at once and with PYENV5003 once the attempts
/// are spent, and never has more requests in flight than allowed.
/// </summary>
[TestClass]
public sealed class IndexHttpTests
{
    private static IndexHttp Http(IndexFixture fx, IndexClientOptions options) =>
        new(options, new CredentialStore(options.IndexUrls, options.Environment ?? (_ => null), options.NetrcPath));

    private static Task<int> StatusAsync(IndexHttp http, Uri url, CancellationToken ct = default) =>
        http.GetAsync(url, _ => { }, async (response, attempt) =>
        {
            await attempt.ReadBodyAsync(response);
            return (int)response.StatusCode;
        }, "the test page", ct);

    [TestMethod]
    public async Task A_request_gets_the_retry_count_plus_one_attempts()
    {
        await using var fx = await IndexFixture.StartAsync();
        using var http = Http(fx, fx.Options(retries: 3));
        Assert.AreEqual(4, http.Attempts);
        using var none = Http(fx, fx.Options(retries: 0));
        Assert.AreEqual(1, none.Attempts);
    }

    [TestMethod]
    public async Task A_server_error_is_retried_until_an_answer_comes()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(2, "/simple/demo/", 502);
        using var http = Http(fx, fx.Options(retries: 2));

        Assert.AreEqual(200, await StatusAsync(http, fx.Server.ProjectUrl("demo")));
        Assert.AreEqual(3, fx.Server.Log.Count("/simple/demo/"));
    }

    [TestMethod]
    public async Task A_dropped_connection_is_retried()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.DropNext(1, "/simple/demo/");
        using var http = Http(fx, fx.Options(retries: 1));

        Assert.AreEqual(200, await StatusAsync(http, fx.Server.ProjectUrl("demo")));
        Assert.IsTrue(fx.LogLines.Any(line => line.StartsWith("Retrying the test page", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Spent_attempts_are_PYENV5003_with_the_last_problem()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.FailNext(100, "/simple/demo/", 500);
        using var http = Http(fx, fx.Options(retries: 1));

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => StatusAsync(http, fx.Server.ProjectUrl("demo")));
        Assert.AreEqual(DiagnosticCodes.NetworkFailure, error.Code);
        Assert.Contains("tried 2 time(s)", error.Message);
        Assert.Contains("HTTP 500", error.Message);
        Assert.AreEqual(2, fx.Server.Log.Count("/simple/demo/"));
    }

    [TestMethod]
    public async Task Refused_credentials_are_PYENV5002_at_once_without_retrying()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Switches.User = "alice";
        fx.Server.Switches.Password = "secret";
        using var http = Http(fx, fx.Options(retries: 3));

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => StatusAsync(http, fx.Server.ProjectUrl("demo")));
        Assert.AreEqual(DiagnosticCodes.AuthenticationFailed, error.Code);
        Assert.Contains("HTTP 401", error.Message);
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/demo/"), "a refusal is not retried");
    }

    [TestMethod]
    public async Task Redirects_are_followed_to_the_answer()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Redirect("/moved/demo/", fx.Server.ProjectUrl("demo"), 301);
        using var http = Http(fx, fx.Options());

        Assert.AreEqual(200, await StatusAsync(http, new Uri(fx.Server.BaseUrl, "moved/demo/")));
        Assert.AreEqual(1, fx.Server.Log.Count("/moved/demo/"));
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/demo/"));
    }

    [TestMethod]
    public async Task Requests_in_flight_never_exceed_the_concurrency_limit()
    {
        await using var fx = await IndexFixture.StartAsync();
        foreach (var i in Enumerable.Range(0, 12))
        {
            fx.PublishWheel("demo" + i, "1.0");
        }
        fx.Server.Faults.StallNext(12, TimeSpan.FromMilliseconds(100));
        using var http = Http(fx, fx.Options(maxConcurrency: 3));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => StatusAsync(http, fx.Server.ProjectUrl("demo" + i))));
        Assert.IsTrue(statuses.All(status => status == 200));
        Assert.IsLessThanOrEqualTo(3, fx.Server.Log.MaxInFlight);
    }

    [TestMethod]
    public async Task A_canceled_request_stops_without_retrying()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Faults.StallNext(1, TimeSpan.FromSeconds(5), "/simple/demo/");
        using var http = Http(fx, fx.Options(retries: 3));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<OperationCanceledException>(() => StatusAsync(http, fx.Server.ProjectUrl("demo"), cancel.Token));
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/demo/"));
    }
}
