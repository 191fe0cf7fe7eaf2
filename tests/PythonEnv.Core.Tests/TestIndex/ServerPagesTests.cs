using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.TestIndex;

[TestClass]
public sealed class ServerPagesTests
{
    private const string Json = "application/vnd.pypi.simple.v1+json";

    internal static string Sha256Hex(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();

    internal static HttpClient Client(bool redirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = redirects, AutomaticDecompression = DecompressionMethods.None });

    internal static async Task<HttpResponseMessage> GetAsync(HttpClient client, Uri url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    private static async Task<TestIndexServer> ServerWithFooAsync()
    {
        TestIndexServer server = await TestIndexServer.StartAsync();
        var v1 = new PackageSpec("Foo_Bar", "1.0") { RequiresPython = ">=3.8,<4" };
        v1.RequiresDist.Add("idna");
        server.Publish(v1);
        server.Publish(new PackageSpec("Foo_Bar", "2.0").Wheel(), new PublishOptions { YankedReason = "broken <build>" });
        server.Publish(new PackageSpec("Foo_Bar", "3.0").Wheel("py2.py3-none-any"), new PublishOptions { Yanked = true, UploadTime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero) });
        server.Publish(new PackageSpec("other", "0.1"));
        return server;
    }

    [TestMethod]
    public async Task Json_project_page_follows_pep_691_and_700()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage response = await GetAsync(client, server.ProjectUrl("foo-bar"), Json);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(Json, response.Content.Headers.ContentType!.MediaType);
        using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = page.RootElement;
        Assert.AreEqual("1.1", root.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.AreEqual("foo-bar", root.GetProperty("name").GetString());
        CollectionAssert.AreEqual(new[] { "1.0", "2.0", "3.0" }, root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ToArray());

        JsonElement[] files = root.GetProperty("files").EnumerateArray().ToArray();
        Assert.HasCount(4, files);
        Distribution wheel = server.Index.Files("foo-bar")[0].Distribution;
        JsonElement first = files[0];
        Assert.AreEqual("foo_bar-1.0-py3-none-any.whl", first.GetProperty("filename").GetString());
        Assert.AreEqual(server.FileUrl(wheel.FileName).AbsoluteUri, first.GetProperty("url").GetString());
        Assert.AreEqual(wheel.Sha256, first.GetProperty("hashes").GetProperty("sha256").GetString());
        Assert.AreEqual(">=3.8,<4", first.GetProperty("requires-python").GetString());
        Assert.IsFalse(first.GetProperty("yanked").GetBoolean());
        Assert.AreEqual(wheel.MetadataSha256, first.GetProperty("core-metadata").GetProperty("sha256").GetString());
        Assert.IsFalse(first.TryGetProperty("dist-info-metadata", out _), "PEP 714: JSON has no legacy alias");
        Assert.IsFalse(first.TryGetProperty("data-dist-info-metadata", out _));
        Assert.AreEqual(wheel.Size, first.GetProperty("size").GetInt64());
        Assert.AreEqual("2025-01-01T00:00:00.000000Z", first.GetProperty("upload-time").GetString());

        JsonElement sdist = files[1];
        Assert.AreEqual("foo_bar-1.0.tar.gz", sdist.GetProperty("filename").GetString());
        Assert.IsFalse(sdist.GetProperty("core-metadata").GetBoolean());
        Assert.AreEqual("broken <build>", files[2].GetProperty("yanked").GetString());
        Assert.IsTrue(files[3].GetProperty("yanked").GetBoolean());
        Assert.IsFalse(files[3].TryGetProperty("requires-python", out _));
        Assert.AreEqual("2024-05-06T07:08:09.000000Z", files[3].GetProperty("upload-time").GetString());
    }

    [TestMethod]
    public async Task Html_project_page_follows_pep_503_592_658_714()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage response = await GetAsync(client, server.ProjectUrl("foo-bar"), "text/html");
        Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Distribution wheel = server.Index.Files("foo-bar")[0].Distribution;
        StringAssert.Contains(html, "<meta name=\"pypi:repository-version\" content=\"1.1\">");
        StringAssert.Contains(html,
            $"<a href=\"{server.FileUrl(wheel.FileName).AbsoluteUri}#sha256={wheel.Sha256}\" data-requires-python=\"&gt;=3.8,&lt;4\" " +
            $"data-core-metadata=\"sha256={wheel.MetadataSha256}\" data-dist-info-metadata=\"sha256={wheel.MetadataSha256}\">foo_bar-1.0-py3-none-any.whl</a>");
        StringAssert.Contains(html, "foo_bar-2.0-py3-none-any.whl#sha256=");
        StringAssert.Contains(html, " data-yanked=\"broken &lt;build&gt;\" ");
        StringAssert.Contains(html, " data-yanked=\"\" ");
        StringAssert.Contains(html, "\">foo_bar-1.0.tar.gz</a>");
        string sdistLine = html.Split('\n').Single(l => l.Contains("foo_bar-1.0.tar.gz</a>", StringComparison.Ordinal));
        Assert.IsFalse(sdistLine.Contains("metadata", StringComparison.Ordinal), sdistLine);
    }

    [TestMethod]
    [DataRow(null, "text/html")]
    [DataRow("*/*", Json)]
    [DataRow("text/html", "text/html")]
    [DataRow("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html")]
    [DataRow("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01", Json)]
    [DataRow("application/vnd.pypi.simple.v1+json;q=0.1, text/html", "text/html")]
    [DataRow("text/*;q=0.5, application/vnd.pypi.simple.v1+json;q=0.4", "text/html")]
    [DataRow("application/vnd.pypi.simple.v1+json;q=0, */*;q=0.1", "application/vnd.pypi.simple.v1+html")]
    public async Task Accept_header_with_q_values_chooses_the_format(string? accept, string expected)
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage response = await GetAsync(client, server.ProjectUrl("foo-bar"), accept);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("Accept", response.Headers.Vary.Single());
    }

    [TestMethod]
    public async Task Nothing_acceptable_is_406()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage response = await GetAsync(client, server.ProjectUrl("foo-bar"), "application/xml");
        Assert.AreEqual(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [TestMethod]
    public async Task Root_lists_every_project_in_both_formats()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage json = await GetAsync(client, server.SimpleUrl, Json);
        using JsonDocument page = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        CollectionAssert.AreEqual(new[] { "Foo_Bar", "other" }, page.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray());
        using HttpResponseMessage html = await GetAsync(client, server.SimpleUrl, "text/html");
        string text = await html.Content.ReadAsStringAsync();
        StringAssert.Contains(text, "<a href=\"foo-bar/\">Foo_Bar</a>");
        StringAssert.Contains(text, "<a href=\"other/\">other</a>");
    }

    [TestMethod]
    [DataRow("simple/Foo.Bar/", "/simple/foo-bar/")]
    [DataRow("simple/foo__bar/", "/simple/foo-bar/")]
    [DataRow("simple/foo-bar", "/simple/foo-bar/")]
    [DataRow("simple", "/simple/")]
    public async Task Non_normalized_project_urls_redirect_to_the_normalized_one(string path, string location)
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client(redirects: false);
        using HttpResponseMessage response = await GetAsync(client, new Uri(server.BaseUrl, path), Json);
        Assert.AreEqual(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.AreEqual(location, response.Headers.Location!.OriginalString);

        using HttpClient following = Client();
        using HttpResponseMessage followed = await GetAsync(following, new Uri(server.BaseUrl, path), Json);
        Assert.AreEqual(HttpStatusCode.OK, followed.StatusCode);
    }

    [TestMethod]
    public async Task Unknown_projects_and_files_are_404()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        using HttpResponseMessage project = await GetAsync(client, server.ProjectUrl("nope"), Json);
        Assert.AreEqual(HttpStatusCode.NotFound, project.StatusCode);
        using HttpResponseMessage file = await GetAsync(client, server.FileUrl("nope-1.0.tar.gz"));
        Assert.AreEqual(HttpStatusCode.NotFound, file.StatusCode);
        using HttpResponseMessage sdistMetadata = await GetAsync(client, server.MetadataUrl("foo_bar-1.0.tar.gz"));
        Assert.AreEqual(HttpStatusCode.NotFound, sdistMetadata.StatusCode);
    }

    [TestMethod]
    public async Task Files_and_metadata_files_are_served_with_their_advertised_hashes()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        foreach (PublishedFile file in server.Index.Files("foo-bar"))
        {
            byte[] bytes = await client.GetByteArrayAsync(server.FileUrl(file.FileName));
            Assert.AreEqual(file.Distribution.Sha256, Sha256Hex(bytes));
        }
        Distribution wheel = server.Index.Files("foo-bar")[0].Distribution;
        byte[] metadata = await client.GetByteArrayAsync(server.MetadataUrl(wheel.FileName));
        Assert.AreEqual(wheel.MetadataSha256, Sha256Hex(metadata));
        StringAssert.StartsWith(System.Text.Encoding.UTF8.GetString(metadata), "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n");
    }

    [TestMethod]
    public async Task Publishing_while_running_updates_the_page()
    {
        await using TestIndexServer server = await TestIndexServer.StartAsync();
        using HttpClient client = Client();
        using (HttpResponseMessage missing = await GetAsync(client, server.ProjectUrl("late"), Json))
            Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
        server.Publish(new PackageSpec("late", "1.0").Wheel());
        using HttpResponseMessage found = await GetAsync(client, server.ProjectUrl("late"), Json);
        Assert.AreEqual(HttpStatusCode.OK, found.StatusCode);
        server.Index.Yank("late-1.0-py3-none-any.whl", "bad");
        StringAssert.Contains(await (await GetAsync(client, server.ProjectUrl("late"), Json)).Content.ReadAsStringAsync(), "\"yanked\": \"bad\"");
    }

    [TestMethod]
    public async Task Two_servers_are_independent_and_can_share_an_index()
    {
        await using TestIndexServer first = await TestIndexServer.StartAsync();
        await using TestIndexServer second = await TestIndexServer.StartAsync();
        await using TestIndexServer mirror = await TestIndexServer.StartAsync(first.Index);
        first.Publish(new PackageSpec("only-first", "1").Wheel());
        Assert.AreNotEqual(first.BaseUrl, second.BaseUrl);
        using HttpClient client = Client();
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync(client, first.ProjectUrl("only-first"), Json)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync(client, second.ProjectUrl("only-first"), Json)).StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync(client, mirror.ProjectUrl("only-first"), Json)).StatusCode);
        Assert.AreEqual(1, first.Log.Count("/simple/only-first/"));
        Assert.AreEqual(1, mirror.Log.Count("/simple/only-first/"));
    }

    [TestMethod]
    public async Task Request_log_records_paths_headers_and_statuses()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("probe", "1.0"));
        await GetAsync(client, server.ProjectUrl("foo-bar"), Json);
        await GetAsync(client, server.ProjectUrl("nope"), Json);
        LoggedRequest[] requests = server.Log.Requests.ToArray();
        Assert.HasCount(2, requests);
        Assert.AreEqual("/simple/foo-bar/", requests[0].Path);
        Assert.AreEqual(Json, requests[0].Header("accept"));
        Assert.AreEqual("probe/1.0", requests[0].Header("User-Agent"));
        Assert.AreEqual(200, requests[0].StatusCode);
        Assert.AreEqual(404, requests[1].StatusCode);
        Assert.AreEqual(1, server.Log.Count("foo-bar/"));
        Assert.AreEqual(1, server.Log.Count("/simple/nope/", "GET"));
        server.Log.Clear();
        Assert.AreEqual(0, server.Log.Count());
    }

    [TestMethod]
    public async Task Local_version_files_are_served_by_escaped_and_literal_plus()
    {
        await using TestIndexServer server = await TestIndexServer.StartAsync();
        Distribution wheel = new PackageSpec("local", "1.0+cpu.2").Wheel();
        server.Publish(wheel);
        Assert.AreEqual("local-1.0+cpu.2-py3-none-any.whl", wheel.FileName);
        using HttpClient client = Client();
        StringAssert.Contains(server.FileUrl(wheel.FileName).AbsoluteUri, "%2B");
        Assert.AreEqual(wheel.Sha256, Sha256Hex(await client.GetByteArrayAsync(server.FileUrl(wheel.FileName))));
        Assert.AreEqual(wheel.Sha256, Sha256Hex(await client.GetByteArrayAsync(new Uri(server.BaseUrl, "files/" + wheel.FileName))));
        Assert.AreEqual(wheel.MetadataSha256, Sha256Hex(await client.GetByteArrayAsync(server.MetadataUrl(wheel.FileName))));
    }

    [TestMethod]
    public async Task Localhost_reaches_the_same_server_under_another_host_name()
    {
        await using TestIndexServer server = await ServerWithFooAsync();
        using HttpClient client = Client();
        var other = new UriBuilder(server.SimpleUrl) { Host = "localhost" }.Uri;
        using HttpResponseMessage response = await GetAsync(client, other, Json);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("localhost:" + server.BaseUrl.Port, server.Log.Requests[0].Header("Host"));
    }
}
