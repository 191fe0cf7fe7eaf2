using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Index;

/// <summary>PEP 691 JSON first, PEP 503 HTML as the fallback, with PEP 592, 658/714 and 700 data.</summary>
[TestClass]
public sealed class SimpleApiTests
{
    [TestMethod]
    public async Task Pep691_json_is_asked_for_first_with_html_as_fallback()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("Demo.Pkg", "1.0");
        using var client = fx.Client();

        var listing = await client.GetProjectAsync(IndexFixture.Name("Demo.Pkg"), CancellationToken.None);

        var request = fx.Server.Log.For("/simple/demo-pkg/").Single();
        Assert.AreEqual("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01", request.Header("Accept"));
        var file = listing.Files.Single();
        Assert.AreEqual(wheel.FileName, file.Filename);
        Assert.AreEqual(wheel.Sha256, file.Sha256);
        Assert.AreEqual(fx.Server.FileUrl(wheel.FileName), file.Url);
        Assert.AreEqual(fx.Server.SimpleUrl, listing.IndexUrl);
        // PEP 700 fields exist only in the JSON form: they prove JSON was read.
        Assert.AreEqual(wheel.Size, file.Size);
        Assert.AreEqual(PackageIndex.DefaultUploadTime, file.UploadTime);
        CollectionAssert.AreEqual(new[] { "1.0" }, listing.Versions!.ToArray());
    }

    [TestMethod]
    [DataRow(false, DisplayName = "JSON")]
    [DataRow(true, DisplayName = "HTML")]
    public async Task Requires_python_hashes_and_urls_are_read(bool htmlOnly)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.HtmlOnly = htmlOnly;
        var wheel = fx.PublishWheel("demo", "2.0", requiresPython: ">=3.8,<4");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        // In HTML the specifier is written entity-escaped (&gt;=3.8,&lt;4) and must come back decoded.
        Assert.AreEqual(">=3.8,<4", file.RequiresPythonText);
        Assert.AreEqual(SpecifierSet.Parse(">=3.8,<4"), file.RequiresPython);
        Assert.AreEqual(wheel.Sha256, file.Hashes["sha256"]);
        Assert.AreEqual("", file.Url.Fragment, "the hash fragment is not part of the file URL");
        Assert.AreEqual(htmlOnly ? null : wheel.Size, file.Size);
    }

    [TestMethod]
    [DataRow(false, null, DisplayName = "JSON, yanked without reason")]
    [DataRow(false, "broken build", DisplayName = "JSON, yanked with reason")]
    [DataRow(true, null, DisplayName = "HTML, yanked without reason")]
    [DataRow(true, "broken <build> & more", DisplayName = "HTML, yanked with reason")]
    public async Task Pep592_yanked_files_are_reported_with_their_reason(bool htmlOnly, string? reason)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.HtmlOnly = htmlOnly;
        fx.PublishWheel("demo", "1.0");
        fx.PublishWheel("demo", "1.1", options: new PublishOptions { Yanked = true, YankedReason = reason });
        using var client = fx.Client();

        var files = (await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None)).Files;

        var good = files.Single(f => f.Filename.Contains("-1.0-", StringComparison.Ordinal));
        var yanked = files.Single(f => f.Filename.Contains("-1.1-", StringComparison.Ordinal));
        Assert.IsFalse(good.IsYanked);
        Assert.IsTrue(yanked.IsYanked);
        Assert.AreEqual(reason, yanked.YankedReason);
    }

    [TestMethod]
    [DataRow(false, MetadataAttributes.Pep714)]
    [DataRow(false, MetadataAttributes.CoreMetadataOnly)]
    [DataRow(false, MetadataAttributes.DistInfoMetadataOnly)]
    [DataRow(false, MetadataAttributes.PypiMisnamedJson)]
    [DataRow(true, MetadataAttributes.Pep714)]
    [DataRow(true, MetadataAttributes.CoreMetadataOnly)]
    [DataRow(true, MetadataAttributes.DistInfoMetadataOnly)]
    public async Task Pep658_and_714_metadata_files_are_announced_under_either_name(bool htmlOnly, MetadataAttributes attributes)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.HtmlOnly = htmlOnly;
        fx.Server.Switches.MetadataAttributes = attributes;
        var wheel = fx.PublishWheel("demo", "1.0");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        Assert.IsTrue(file.HasCoreMetadata);
        Assert.AreEqual(wheel.MetadataSha256, file.CoreMetadataHashes["sha256"]);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Relative_file_urls_resolve_against_the_page(bool htmlOnly)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.RelativeFileUrls = true;
        fx.Server.Switches.HtmlOnly = htmlOnly;
        var wheel = fx.PublishWheel("demo", "1.0");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        Assert.AreEqual(fx.Server.FileUrl(wheel.FileName), file.Url);
    }

    [TestMethod]
    public async Task Redirects_are_followed_and_relative_urls_resolve_against_the_final_page()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.RelativeFileUrls = true;
        var wheel = fx.PublishWheel("demo", "1.0");
        await using var mover = await TestIndexServer.StartAsync();
        mover.Redirect("/simple/demo/", fx.Server.ProjectUrl("demo"));
        using var client = fx.Client(fx.Options(indexes: new[] { mover.SimpleUrl }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.AreEqual(fx.Server.FileUrl(wheel.FileName), listing.Files.Single().Url);
        Assert.AreEqual(mover.SimpleUrl, listing.IndexUrl, "the listing names the configured index");
        Assert.AreEqual(302, mover.Log.For("/simple/demo/").Single().StatusCode);
    }

    [TestMethod]
    public async Task Lax_html_with_raw_angle_brackets_a_base_tag_and_single_quotes_is_read()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, "<html><head><base href='/mirror/files/'></head><body>\n"
            + "<A HREF='demo-1.0-py3-none-any.whl#SHA256=ABCD' data-requires-python='>=3.8,<4' data-yanked>demo-1.0-py3-none-any.whl</A><br>\n"
            + "</body></html>", "text/html");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        Assert.AreEqual(new Uri(fx.Server.BaseUrl, "/mirror/files/demo-1.0-py3-none-any.whl"), file.Url);
        Assert.AreEqual("abcd", file.Hashes["sha256"]);
        Assert.AreEqual(">=3.8,<4", file.RequiresPythonText);
        Assert.IsTrue(file.IsYanked);
        Assert.IsNull(file.YankedReason);
    }

    [TestMethod]
    public async Task An_invalid_requires_python_keeps_its_text_and_has_no_value()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, "<a href=\"/f/demo-1.0.tar.gz#sha256=00\" data-requires-python=\"&gt;=3.6.*\">demo-1.0.tar.gz</a>", "text/html");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        Assert.AreEqual(">=3.6.*", file.RequiresPythonText);
        Assert.IsNull(file.RequiresPython);
        Assert.IsTrue(file.IsSdist);
    }

    [TestMethod]
    [DataRow("1.0")]
    [DataRow("1.1")]
    [DataRow("1.99")]
    public async Task Meta_api_version_1_x_is_read(string apiVersion)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200,
            "{\"meta\":{\"api-version\":\"" + apiVersion + "\"},\"name\":\"demo\",\"files\":[{\"filename\":\"demo-1.0-py3-none-any.whl\",\"url\":\"/f/demo-1.0-py3-none-any.whl\",\"hashes\":{\"sha256\":\"AB12\"},\"future-field\":1}],\"future\":true}",
            "application/vnd.pypi.simple.v1+json");
        using var client = fx.Client();

        var file = await IndexFixture.OnlyFileAsync(client, "demo");

        Assert.AreEqual(new Uri(fx.Server.BaseUrl, "/f/demo-1.0-py3-none-any.whl"), file.Url);
        Assert.AreEqual("ab12", file.Sha256, "hashes are compared in lower case");
    }

    [TestMethod]
    [DataRow("application/vnd.pypi.simple.v1+json", "{\"meta\":{\"api-version\":\"2.0\"},\"name\":\"demo\",\"files\":[]}")]
    [DataRow("text/html", "<html><head><meta name=\"pypi:repository-version\" content=\"2.0\"></head><body></body></html>")]
    public async Task Meta_api_version_2_is_refused_clearly(string contentType, string body)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, body, contentType);
        using var client = fx.Client();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.InvalidIndexResponse, error.Code);
        Assert.Contains("2.0", error.Message);
        Assert.Contains(fx.Server.ProjectUrl("demo").AbsoluteUri, error.Message);
    }

    [TestMethod]
    public async Task Malformed_json_is_a_clear_error()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, "{\"files\": [ oops", "application/vnd.pypi.simple.v1+json");
        using var client = fx.Client();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.InvalidIndexResponse, error.Code);
    }

    [TestMethod]
    [DataRow("text/plain; charset=utf-8", DisplayName = "text/plain")]
    [DataRow("application/octet-stream", DisplayName = "octet-stream")]
    [DataRow("image/png", DisplayName = "image/png")]
    public async Task A_page_that_is_neither_JSON_nor_HTML_is_PYENV5005_naming_the_url_and_not_cached(string contentType)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        fx.Server.Serve("/simple/demo/", 200, "<a href=\"/files/demo-1.0-py3-none-any.whl\">demo-1.0-py3-none-any.whl</a>", contentType);
        using (var client = fx.Client())
        {
            var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

            Assert.AreEqual(DiagnosticCodes.InvalidIndexResponse, error.Code);
            Assert.Contains(fx.Server.ProjectUrl("demo").AbsoluteUri, error.Message);
            Assert.Contains(contentType.Split(';')[0], error.Message);
        }

        fx.Server.ClearServed();
        using var next = fx.Client();
        Assert.HasCount(1, (await next.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None)).Files, "the unreadable page was not cached");
    }

    [TestMethod]
    [DataRow("<html><body>\n<a href=\"/files/demo-1.0-py3-none-any.whl\">demo-1.0-py3-none-any.whl</a><br/>\n<a href=\"/files/demo-2.0-py3-no", DisplayName = "inside a tag")]
    [DataRow("<html><body>\n<a href=\"/files/demo-1.0-py3-none-any.whl\">demo-1.0-py3-none-any.whl</a><br/>\n<a href=\"/files/demo-2.0-py3-none-any.whl\">demo-2.0-py3", DisplayName = "inside an anchor's text")]
    [DataRow("<!DOCTYPE html>\n<html><body>\n<a href=\"/files/demo-1.0-py3-none-any.whl\">demo-1.0-py3-none-any.whl</a><br/>\n", DisplayName = "before </html>")]
    public async Task Truncated_html_is_PYENV5005_naming_the_url(string body)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, body, "text/html");
        using var client = fx.Client();

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.InvalidIndexResponse, error.Code);
        Assert.Contains(fx.Server.ProjectUrl("demo").AbsoluteUri, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [TestMethod]
    public async Task A_bare_fragment_of_anchors_without_html_element_is_still_read()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Serve("/simple/demo/", 200, "<a href=\"/f/demo-1.0.tar.gz#sha256=00\">demo-1.0.tar.gz</a>\n", "application/vnd.pypi.simple.v1+html");
        using var client = fx.Client();

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.HasCount(1, listing.Files);
    }
}
