using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Index;

/// <summary>Several indexes (first one that has a project wins), file:// indexes and find-links.</summary>
[TestClass]
public sealed class SourcesTests
{
    [TestMethod]
    public async Task A_project_comes_from_the_first_index_that_has_it_never_mixed()
    {
        await using var primary = await IndexFixture.StartAsync();
        await using var extra = await TestIndexServer.StartAsync();
        primary.PublishWheel("internal-lib", "1.0");
        // The dependency-confusion attack: a higher version of the same name on a later index.
        extra.Publish(new PackageSpec("internal-lib", "99.0").Wheel());
        extra.Publish(new PackageSpec("public-lib", "3.0").Wheel());
        using var client = primary.Client(primary.Options(indexes: new[] { primary.Server.SimpleUrl, extra.SimpleUrl }));

        var internalLib = await client.GetProjectAsync(IndexFixture.Name("internal-lib"), CancellationToken.None);
        var publicLib = await client.GetProjectAsync(IndexFixture.Name("public-lib"), CancellationToken.None);

        Assert.AreEqual(primary.Server.SimpleUrl, internalLib.IndexUrl);
        Assert.IsTrue(internalLib.Files.All(f => f.Filename.Contains("-1.0-", StringComparison.Ordinal)), "nothing from the later index");
        Assert.AreEqual(0, extra.Log.Count("/simple/internal-lib/"), "the later index is not even asked");
        Assert.AreEqual(extra.SimpleUrl, publicLib.IndexUrl);
        Assert.AreEqual(1, primary.Server.Log.Count("/simple/public-lib/"));
    }

    [TestMethod]
    public async Task A_project_on_no_index_is_PYENV5001_naming_the_indexes_and_the_normalized_name()
    {
        await using var fx = await IndexFixture.StartAsync();
        await using var extra = await TestIndexServer.StartAsync();
        using var client = fx.Client(fx.Options(indexes: new[] { fx.Server.SimpleUrl, extra.SimpleUrl }));

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("No_Such.Thing"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.PackageNotFound, error.Code);
        Assert.Contains("'No_Such.Thing'", error.Message);
        Assert.Contains("'no-such-thing'", error.Message);
        Assert.Contains(fx.Server.SimpleUrl.AbsoluteUri, error.Message);
        Assert.Contains(extra.SimpleUrl.AbsoluteUri, error.Message);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "index.html")]
    [DataRow(true, DisplayName = "index.json")]
    public async Task A_file_index_is_read_from_disk(bool json)
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("Demo_Pkg", "1.0", requiresPython: ">=3.9");
        var fileIndex = fx.Server.Index.WriteFileIndex(Path.Combine(fx.Root, "static"), json);
        using var client = fx.Client(fx.Options(indexes: new[] { fileIndex }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo-pkg"), CancellationToken.None);
        var file = listing.Files.Single();
        var metadata = await client.GetMetadataBytesAsync(file, CancellationToken.None);
        var path = await client.DownloadAsync(file, CancellationToken.None);

        Assert.AreEqual(fileIndex, listing.IndexUrl);
        Assert.AreEqual(new Uri(fileIndex, "../files/" + wheel.FileName), file.Url, "relative to the page");
        Assert.AreEqual(">=3.9", file.RequiresPythonText);
        Assert.AreEqual(wheel.MetadataSha256, file.CoreMetadataHashes["sha256"]);
        Assert.AreEqual(json ? wheel.Size : null, file.Size, "PEP 700 sizes exist in JSON only");
        CollectionAssert.AreEqual(json ? new[] { "1.0" } : null, listing.Versions?.ToArray());
        CollectionAssert.AreEqual(wheel.Metadata, metadata);
        CollectionAssert.AreEqual(wheel.Content, File.ReadAllBytes(path));
        Assert.StartsWith(fx.CacheDir, path);
        Assert.AreEqual(0, fx.Server.Log.Count());
    }

    [TestMethod]
    public async Task A_file_index_folder_with_both_pages_is_read_from_index_json()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        var folder = Path.Combine(fx.Root, "static");
        fx.Server.Index.WriteFileIndex(folder);
        fx.PublishWheel("demo", "1.1");
        fx.PublishWheel("demo", "1.2", options: new PublishOptions { Yanked = true, YankedReason = "broken" });
        var fileIndex = fx.Server.Index.WriteFileIndex(folder, json: true);
        using var client = fx.Client(fx.Options(indexes: new[] { fileIndex }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.IsTrue(File.Exists(Path.Combine(folder, "simple", "demo", "index.html")));
        Assert.HasCount(3, listing.Files, "the JSON page, written after the HTML one, is the one read");
        Assert.AreEqual("broken", listing.Files.Single(f => f.IsYanked).YankedReason);
    }

    [TestMethod]
    public async Task A_find_links_folder_supplies_wheels_and_sdists_with_their_hashes()
    {
        await using var fx = await IndexFixture.StartAsync();
        var spec = new PackageSpec("local-thing", "0.3");
        var wheel = spec.Wheel();
        var sdist = spec.Sdist();
        var folder = Path.Combine(fx.Root, "wheels");
        wheel.WriteTo(folder);
        sdist.WriteTo(folder);
        new PackageSpec("other", "1.0").Wheel().WriteTo(folder);
        using var client = fx.Client(fx.Options(findLinks: new[] { folder }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("Local.Thing"), CancellationToken.None);

        CollectionAssert.AreEquivalent(new[] { wheel.FileName, sdist.FileName }, listing.Files.Select(f => f.Filename).ToArray());
        Assert.AreEqual(wheel.Sha256, listing.Files.Single(f => f.IsWheel).Sha256);
        Assert.AreEqual(sdist.Sha256, listing.Files.Single(f => !f.IsWheel).Sha256);
        CollectionAssert.AreEqual(wheel.Metadata, await client.GetMetadataBytesAsync(listing.Files.Single(f => f.IsWheel), CancellationToken.None));
        Assert.AreEqual(0, fx.Server.Log.Count(), "the index is not asked for a project the find-links have");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "served page")]
    [DataRow(true, DisplayName = "local page")]
    public async Task A_flat_find_links_html_page_supplies_the_files_it_links(bool local)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.RelativeFileUrls = true;
        var wheel = fx.PublishWheel("linked", "1.0");
        fx.PublishWheel("unrelated", "1.0");
        var page = local ? fx.Server.Index.WriteFindLinks(Path.Combine(fx.Root, "links")) : fx.Server.FindLinksUrl.AbsoluteUri;
        using var client = fx.Client(fx.Options(findLinks: new[] { page }, indexes: new[] { new Uri("https://index.invalid/simple/") }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("linked"), CancellationToken.None);
        var file = listing.Files.Single();
        var path = await client.DownloadAsync(file, CancellationToken.None);

        Assert.AreEqual(wheel.FileName, file.Filename);
        Assert.AreEqual(wheel.Sha256, file.Sha256);
        CollectionAssert.AreEqual(wheel.Content, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void Index_properties_win_over_PIP_INDEX_URL_and_UV_INDEX_URL_which_win_over_PyPI()
    {
        var env = new Dictionary<string, string> { ["PIP_INDEX_URL"] = "https://pip.example/simple/", ["UV_INDEX_URL"] = "https://uv.example/simple/" };
        string? Lookup(string name) => env.TryGetValue(name, out var value) ? value : null;

        var fromProperty = IndexClientOptions.FromMSBuild("https://prop.example/simple", "https://extra.example/simple/; ", null, "/tmp/c", "false", Lookup);
        var fromPip = IndexClientOptions.FromMSBuild("", null, null, null, null, Lookup);
        env.Remove("PIP_INDEX_URL");
        var fromUv = IndexClientOptions.FromMSBuild(null, null, null, null, null, Lookup);
        env.Clear();
        var fromDefault = IndexClientOptions.FromMSBuild(null, null, "./wheels", null, "true", Lookup, projectDirectory: "/work/project");

        CollectionAssert.AreEqual(new[] { new Uri("https://prop.example/simple"), new Uri("https://extra.example/simple/") }, fromProperty.IndexUrls.ToArray());
        Assert.AreEqual("/tmp/c", fromProperty.CacheDir);
        Assert.IsFalse(fromProperty.Offline);
        Assert.AreEqual(new Uri("https://pip.example/simple/"), fromPip.IndexUrls.Single());
        Assert.AreEqual(new Uri("https://uv.example/simple/"), fromUv.IndexUrls.Single());
        Assert.AreEqual(new Uri("https://pypi.org/simple/"), fromDefault.IndexUrls.Single());
        Assert.AreEqual(Path.GetFullPath("/work/project/wheels"), fromDefault.FindLinks.Single());
        Assert.IsTrue(fromDefault.Offline);
    }

    [TestMethod]
    public void An_unusable_index_url_is_PYENV1001_without_its_secret()
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => IndexClientOptions.FromMSBuild("ftp://user:hunter2@example/simple", null, null, null, null, _ => null));

        Assert.AreEqual(DiagnosticCodes.InvalidDeclaration, error.Code);
        Assert.Contains("PythonIndexUrl", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
