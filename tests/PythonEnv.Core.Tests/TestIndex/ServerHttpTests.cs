using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.TestIndex;
using static PythonEnv.Core.Tests.TestIndex.ServerPagesTests;

namespace PythonEnv.Core.Tests.TestIndex;

/// <summary>HTTP semantics of the test index: ranges, conditional requests, and each switch.</summary>
[TestClass]
public sealed class ServerHttpTests
{
    private const string Json = "application/vnd.pypi.simple.v1+json";

    /// <summary>The wheel every server here publishes first.</summary>
    private static Distribution WheelOf(TestIndexServer server) => server.Index.AllFiles[0].Distribution;

    private static async Task<TestIndexServer> StartAsync()
    {
        TestIndexServer server = await TestIndexServer.StartAsync();
        var spec = new PackageSpec("ranged", "1.0") { RequiresPython = ">=3.8" };
        Distribution wheel = spec.Wheel();
        server.Publish(wheel);
        server.Publish(spec.Sdist());
        return server;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, Uri url, Action<HttpRequestHeaders> headers)
    {
        using var request = new HttpRequestMessage(method, url);
        headers(request.Headers);
        return await client.SendAsync(request);
    }

    [TestMethod]
    [DataRow("bytes=0-9", 0, 9)]
    [DataRow("bytes=10-", 10, -1)]
    [DataRow("bytes=-22", -22, -1)]
    [DataRow("bytes=5-100000000", 5, -1)]
    public async Task Range_requests_answer_206_with_the_slice(string range, int start, int end)
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        byte[] content = wheel.Content;
        int from = start < 0 ? content.Length + start : start;
        int to = end < 0 ? content.Length - 1 : end;
        using HttpClient client = Client();
        using HttpResponseMessage response = await SendAsync(client, HttpMethod.Get, server.FileUrl(wheel.FileName), h => h.TryAddWithoutValidation("Range", range));
        Assert.AreEqual(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.AreEqual($"bytes {from}-{to}/{content.Length}", response.Content.Headers.ContentRange!.ToString());
        CollectionAssert.AreEqual(content[from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task Range_edge_cases_unsatisfiable_multiple_and_if_range()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        using HttpClient client = Client();
        Uri url = server.FileUrl(wheel.FileName);
        using HttpResponseMessage past = await SendAsync(client, HttpMethod.Get, url, h => h.TryAddWithoutValidation("Range", $"bytes={wheel.Size}-"));
        Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.AreEqual($"bytes */{wheel.Size}", past.Content.Headers.ContentRange!.ToString());

        using HttpResponseMessage several = await SendAsync(client, HttpMethod.Get, url, h => h.TryAddWithoutValidation("Range", "bytes=0-1,4-5"));
        Assert.AreEqual(HttpStatusCode.OK, several.StatusCode);
        Assert.AreEqual(wheel.Size, (await several.Content.ReadAsByteArrayAsync()).Length);
        Assert.AreEqual("bytes", several.Headers.AcceptRanges.First());

        string etag = several.Headers.ETag!.Tag;
        using HttpResponseMessage current = await SendAsync(client, HttpMethod.Get, url, h =>
        {
            h.TryAddWithoutValidation("Range", "bytes=0-3");
            h.TryAddWithoutValidation("If-Range", etag);
        });
        Assert.AreEqual(HttpStatusCode.PartialContent, current.StatusCode);
        using HttpResponseMessage stale = await SendAsync(client, HttpMethod.Get, url, h =>
        {
            h.TryAddWithoutValidation("Range", "bytes=0-3");
            h.TryAddWithoutValidation("If-Range", "\"something-else\"");
        });
        Assert.AreEqual(HttpStatusCode.OK, stale.StatusCode);
    }

    [TestMethod]
    public async Task Head_gives_the_length_without_a_body()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        using HttpClient client = Client();
        using HttpResponseMessage head = await SendAsync(client, HttpMethod.Head, server.FileUrl(wheel.FileName), _ => { });
        Assert.AreEqual(HttpStatusCode.OK, head.StatusCode);
        Assert.AreEqual(wheel.Size, head.Content.Headers.ContentLength);
        Assert.IsEmpty(await head.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(1, server.Log.Count(wheel.FileName, "HEAD"));
    }

    [TestMethod]
    public async Task Pages_and_files_carry_validators_and_answer_304_to_conditional_requests()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        using HttpClient client = Client();
        foreach (Uri url in new[] { server.ProjectUrl("ranged"), server.FileUrl(wheel.FileName), server.MetadataUrl(wheel.FileName), server.SimpleUrl })
        {
            using HttpResponseMessage first = await GetAsync(client, url, Json);
            Assert.AreEqual(HttpStatusCode.OK, first.StatusCode, url.ToString());
            EntityTagHeaderValue etag = first.Headers.ETag!;
            DateTimeOffset modified = first.Content.Headers.LastModified!.Value;
            Assert.IsNotNull(first.Headers.CacheControl, url.ToString());

            using HttpResponseMessage byTag = await SendAsync(client, HttpMethod.Get, url, h => { h.Accept.ParseAdd(Json); h.IfNoneMatch.Add(etag); });
            Assert.AreEqual(HttpStatusCode.NotModified, byTag.StatusCode, url.ToString());
            Assert.AreEqual(etag, byTag.Headers.ETag);
            using HttpResponseMessage weak = await SendAsync(client, HttpMethod.Get, url, h => { h.Accept.ParseAdd(Json); h.TryAddWithoutValidation("If-None-Match", "\"x\", W/" + etag.Tag); });
            Assert.AreEqual(HttpStatusCode.NotModified, weak.StatusCode, url.ToString());
            using HttpResponseMessage byDate = await SendAsync(client, HttpMethod.Get, url, h => { h.Accept.ParseAdd(Json); h.IfModifiedSince = modified; });
            Assert.AreEqual(HttpStatusCode.NotModified, byDate.StatusCode, url.ToString());
            using HttpResponseMessage older = await SendAsync(client, HttpMethod.Get, url, h => { h.Accept.ParseAdd(Json); h.IfModifiedSince = modified.AddSeconds(-1); });
            Assert.AreEqual(HttpStatusCode.OK, older.StatusCode, url.ToString());
            using HttpResponseMessage otherTag = await SendAsync(client, HttpMethod.Get, url, h => { h.Accept.ParseAdd(Json); h.TryAddWithoutValidation("If-None-Match", "\"x\""); h.IfModifiedSince = modified; });
            Assert.AreEqual(HttpStatusCode.OK, otherTag.StatusCode, "If-None-Match wins over If-Modified-Since: " + url);
        }
    }

    [TestMethod]
    public async Task A_publish_changes_the_page_validators()
    {
        await using TestIndexServer server = await StartAsync();
        server.Switches.PageCacheControl = "no-cache";
        using HttpClient client = Client();
        using HttpResponseMessage first = await GetAsync(client, server.ProjectUrl("ranged"), Json);
        Assert.AreEqual("no-cache", first.Headers.CacheControl!.ToString());
        server.Publish(new PackageSpec("ranged", "2.0").Wheel());
        using HttpResponseMessage second = await SendAsync(client, HttpMethod.Get, server.ProjectUrl("ranged"), h =>
        {
            h.Accept.ParseAdd(Json);
            h.IfNoneMatch.Add(first.Headers.ETag!);
        });
        Assert.AreEqual(HttpStatusCode.OK, second.StatusCode);
        Assert.IsGreaterThan(first.Content.Headers.LastModified!.Value, second.Content.Headers.LastModified!.Value);
        StringAssert.Contains(await second.Content.ReadAsStringAsync(), "ranged-2.0-py3-none-any.whl");
    }

    [TestMethod]
    public async Task Html_only_serves_html_even_to_json_clients()
    {
        await using TestIndexServer server = await StartAsync();
        server.Switches.HtmlOnly = true;
        using HttpClient client = Client();
        using HttpResponseMessage page = await GetAsync(client, server.ProjectUrl("ranged"), Json);
        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.AreEqual("text/html", page.Content.Headers.ContentType!.MediaType);
        using HttpResponseMessage root = await GetAsync(client, server.SimpleUrl, Json);
        Assert.AreEqual("text/html", root.Content.Headers.ContentType!.MediaType);
    }

    [TestMethod]
    public async Task No_metadata_files_hides_them_from_pages_and_answers_404()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        server.Switches.NoMetadataFiles = true;
        using HttpClient client = Client();
        string json = await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync();
        StringAssert.Contains(json, "\"core-metadata\": false");
        Assert.IsFalse(json.Contains("dist-info-metadata", StringComparison.Ordinal), json);
        string html = await (await GetAsync(client, server.ProjectUrl("ranged"), "text/html")).Content.ReadAsStringAsync();
        Assert.IsFalse(html.Contains("metadata=", StringComparison.Ordinal), html);
        using HttpResponseMessage metadata = await GetAsync(client, server.MetadataUrl(wheel.FileName));
        Assert.AreEqual(HttpStatusCode.NotFound, metadata.StatusCode);
    }

    [TestMethod]
    [DataRow(MetadataAttributes.CoreMetadataOnly, "core-metadata", "dist-info-metadata", "data-core-metadata", "data-dist-info-metadata")]
    [DataRow(MetadataAttributes.DistInfoMetadataOnly, "dist-info-metadata", "core-metadata", "data-dist-info-metadata", "data-core-metadata")]
    [DataRow(MetadataAttributes.PypiMisnamedJson, "data-dist-info-metadata", "core-metadata", "data-dist-info-metadata", "data-core-metadata")]
    public async Task Metadata_attributes_can_be_limited_to_one_spelling(MetadataAttributes attributes, string jsonKey, string absentJsonKey, string htmlAttribute, string absentHtmlAttribute)
    {
        await using TestIndexServer server = await StartAsync();
        server.Switches.MetadataAttributes = attributes;
        using HttpClient client = Client();
        string json = await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync();
        string html = await (await GetAsync(client, server.ProjectUrl("ranged"), "text/html")).Content.ReadAsStringAsync();
        StringAssert.Contains(json, "\"" + jsonKey + "\": {");
        Assert.IsFalse(json.Contains("\"" + absentJsonKey + "\"", StringComparison.Ordinal), json);
        StringAssert.Contains(html, " " + htmlAttribute + "=\"sha256=");
        Assert.IsFalse(html.Contains(" " + absentHtmlAttribute + "=", StringComparison.Ordinal), html);
    }

    [TestMethod]
    public async Task No_range_requests_ignores_range_and_says_none()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        server.Switches.NoRangeRequests = true;
        using HttpClient client = Client();
        using HttpResponseMessage response = await SendAsync(client, HttpMethod.Get, server.FileUrl(wheel.FileName), h => h.TryAddWithoutValidation("Range", "bytes=-10"));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("none", response.Headers.AcceptRanges.First());
        Assert.AreEqual(wheel.Size, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [TestMethod]
    public async Task Basic_auth_is_required_on_every_path_when_configured()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        server.Switches.User = "alice";
        server.Switches.Password = "s3cr:t@";
        using HttpClient client = Client();
        foreach (Uri url in new[] { server.SimpleUrl, server.ProjectUrl("ranged"), server.FileUrl(wheel.FileName) })
        {
            using HttpResponseMessage anonymous = await GetAsync(client, url);
            Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.AreEqual("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            using HttpResponseMessage wrong = await SendAsync(client, HttpMethod.Get, url, h => h.Authorization = Basic("alice", "nope"));
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
            using HttpResponseMessage right = await SendAsync(client, HttpMethod.Get, url, h => h.Authorization = Basic("alice", "s3cr:t@"));
            Assert.AreEqual(HttpStatusCode.OK, right.StatusCode);
        }
        Assert.AreEqual("alice:s3cr%3At%40", server.SimpleUrlWithCredentials.UserInfo);
        Assert.AreEqual("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cr:t@")), server.Log.Requests[^1].Header("Authorization"));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [TestMethod]
    public async Task Relative_file_urls_resolve_against_the_page()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        server.Switches.RelativeFileUrls = true;
        using HttpClient client = Client();
        string json = await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync();
        StringAssert.Contains(json, "\"url\": \"../../files/" + wheel.FileName + "\"");
        string html = await (await GetAsync(client, server.ProjectUrl("ranged"), "text/html")).Content.ReadAsStringAsync();
        StringAssert.Contains(html, "href=\"../../files/" + wheel.FileName + "#sha256=" + wheel.Sha256 + "\"");
        var resolved = new Uri(server.ProjectUrl("ranged"), "../../files/" + wheel.FileName);
        Assert.AreEqual(wheel.Sha256, Sha256Hex(await client.GetByteArrayAsync(resolved)));
    }

    [TestMethod]
    public async Task Find_links_page_lists_every_file()
    {
        await using TestIndexServer server = await StartAsync();
        Distribution wheel = WheelOf(server);
        using HttpClient client = Client();
        string html = await client.GetStringAsync(server.FindLinksUrl);
        StringAssert.Contains(html, "href=\"" + server.FileUrl(wheel.FileName).AbsoluteUri + "#sha256=" + wheel.Sha256 + "\"");
        StringAssert.Contains(html, ">ranged-1.0.tar.gz</a>");
    }

    [TestMethod]
    public async Task Other_methods_are_405()
    {
        await using TestIndexServer server = await StartAsync();
        using HttpClient client = Client();
        using HttpResponseMessage response = await client.PostAsync(server.SimpleUrl, new StringContent("x"));
        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [TestMethod]
    public async Task Api_version_switch_announces_another_version_and_1_0_drops_pep_700_fields()
    {
        await using TestIndexServer server = await StartAsync();
        using HttpClient client = Client();
        server.Switches.ApiVersion = "2.0";
        StringAssert.Contains(await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync(), "\"api-version\": \"2.0\"");
        StringAssert.Contains(await (await GetAsync(client, server.SimpleUrl, "text/html")).Content.ReadAsStringAsync(), "content=\"2.0\"");
        server.Switches.ApiVersion = "1.0";
        string json = await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync();
        StringAssert.Contains(json, "\"api-version\": \"1.0\"");
        Assert.IsFalse(json.Contains("\"versions\"", StringComparison.Ordinal) || json.Contains("\"size\"", StringComparison.Ordinal) || json.Contains("upload-time", StringComparison.Ordinal), json);
        StringAssert.Contains(json, "\"hashes\"");
    }

    [TestMethod]
    public async Task Serve_answers_a_path_with_arbitrary_content_until_cleared()
    {
        await using TestIndexServer server = await StartAsync();
        using HttpClient client = Client();
        server.Serve("/simple/ranged/", 200, "{\"meta\": {\"api-version\": \"1.1\"}, \"files\": \"not a list\"}", Json, new Dictionary<string, string> { ["X-Probe"] = "1" });
        using (HttpResponseMessage response = await GetAsync(client, server.ProjectUrl("ranged"), Json))
        {
            Assert.AreEqual(Json, response.Content.Headers.ContentType!.MediaType);
            Assert.AreEqual("1", response.Headers.GetValues("X-Probe").Single());
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "not a list");
        }
        server.ClearServed();
        StringAssert.Contains(await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync(), "ranged-1.0.tar.gz");
    }

    [TestMethod]
    public async Task Redirect_sends_a_path_to_another_server()
    {
        await using TestIndexServer server = await StartAsync();
        await using TestIndexServer other = await TestIndexServer.StartAsync();
        other.Publish(new PackageSpec("ranged", "9.0").Wheel());
        server.Redirect("/simple/ranged/", other.ProjectUrl("ranged"));
        using HttpClient client = Client();
        string json = await (await GetAsync(client, server.ProjectUrl("ranged"), Json)).Content.ReadAsStringAsync();
        StringAssert.Contains(json, other.FileUrl("ranged-9.0-py3-none-any.whl").AbsoluteUri);
        Assert.AreEqual(302, server.Log.For("/simple/ranged/")[0].StatusCode);
        Assert.AreEqual(1, other.Log.Count("/simple/ranged/"));
    }

    [TestMethod]
    public async Task Log_counts_requests_in_flight()
    {
        await using TestIndexServer server = await StartAsync();
        server.Faults.StallNext(3, TimeSpan.FromMilliseconds(1500));
        using HttpClient client = Client();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GetAsync(client, server.SimpleUrl)));
        Assert.AreEqual(3, server.Log.MaxInFlight);
        Assert.AreEqual(0, server.Log.InFlight);
    }

    [TestMethod]
    public async Task Each_page_dates_its_own_changes()
    {
        await using TestIndexServer server = await StartAsync();
        for (int i = 0; i < 20; i++) server.Publish(new PackageSpec("burst" + i, "1.0").Wheel());
        using HttpClient client = Client();
        using HttpResponseMessage root = await GetAsync(client, server.SimpleUrl, Json);
        using HttpResponseMessage page = await GetAsync(client, server.ProjectUrl("burst19"), Json);
        DateTimeOffset pageDate = page.Content.Headers.LastModified!.Value;
        Assert.IsLessThanOrEqualTo(DateTimeOffset.UtcNow.AddSeconds(2), pageDate, "a page's date is not pushed ahead by other projects' publishes");

        server.Publish(new PackageSpec("burst19", "2.0").Wheel());
        using HttpResponseMessage rootAgain = await SendAsync(client, HttpMethod.Get, server.SimpleUrl, h =>
        {
            h.Accept.ParseAdd(Json);
            h.IfModifiedSince = root.Content.Headers.LastModified;
        });
        Assert.AreEqual(HttpStatusCode.NotModified, rootAgain.StatusCode, "a new version of a known project leaves the root listing as it was");
        using HttpResponseMessage pageAgain = await SendAsync(client, HttpMethod.Get, server.ProjectUrl("burst19"), h =>
        {
            h.Accept.ParseAdd(Json);
            h.IfModifiedSince = pageDate;
        });
        Assert.AreEqual(HttpStatusCode.OK, pageAgain.StatusCode, "a change within the same second still moves the page's date");
    }
}
