using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Index;

namespace PythonEnv.Core.Tests.Index;

/// <summary>
/// <see cref="IndexClientOptions.Refresh"/>: pages cached fresh (within <c>max-age</c>) are revalidated for the
/// refreshed projects only, once per client, keeping the cached body on a 304.
/// </summary>
[TestClass]
public sealed class RefreshTests
{
    private static async Task<int> FileCountAsync(IndexFixture fx, string project, CacheRefresh refresh)
    {
        using var client = fx.Client(fx.Options() with { Refresh = refresh });
        return (await client.GetProjectAsync(IndexFixture.Name(project), CancellationToken.None)).Files.Count;
    }

    [TestMethod]
    public async Task A_version_published_within_max_age_is_seen_only_by_a_refreshed_project()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.PageCacheControl = "max-age=3600, public";
        fx.PublishWheel("demo", "1.0");
        fx.PublishWheel("other", "1.0");
        Assert.AreEqual(1, await FileCountAsync(fx, "demo", CacheRefresh.None));
        Assert.AreEqual(1, await FileCountAsync(fx, "other", CacheRefresh.None));
        fx.PublishWheel("demo", "1.1");
        fx.PublishWheel("other", "1.1");

        var cached = await FileCountAsync(fx, "demo", CacheRefresh.None);
        var otherNotNamed = await FileCountAsync(fx, "other", CacheRefresh.Packages([IndexFixture.Name("DEMO")]));
        var refreshed = await FileCountAsync(fx, "demo", CacheRefresh.Packages([IndexFixture.Name("DEMO")]));

        Assert.AreEqual(1, cached, "a fresh page is used as it is");
        Assert.AreEqual(1, otherNotNamed, "only the named projects are refreshed");
        Assert.AreEqual(2, refreshed, "the refreshed page shows the new version");
        var demo = fx.Server.Log.For("/simple/demo/");
        Assert.HasCount(2, demo);
        Assert.IsNotNull(demo[1].Header("If-None-Match"), "a refresh is a conditional request");
        Assert.AreEqual(200, demo[1].StatusCode);
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/other/"));
    }

    [TestMethod]
    public async Task An_unchanged_refreshed_page_is_a_304_that_keeps_the_cached_body()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.PageCacheControl = "max-age=3600, public";
        fx.PublishWheel("demo", "1.0");
        Assert.AreEqual(1, await FileCountAsync(fx, "demo", CacheRefresh.None));

        Assert.AreEqual(1, await FileCountAsync(fx, "demo", CacheRefresh.All));
        Assert.AreEqual(1, await FileCountAsync(fx, "demo", CacheRefresh.None));

        var requests = fx.Server.Log.For("/simple/demo/");
        Assert.HasCount(2, requests, "the 304 renewed the entry: the next plain client asks nothing");
        Assert.AreEqual(304, requests[1].StatusCode);
        Assert.IsNotNull(requests[1].Header("If-Modified-Since"));
        Assert.IsTrue(fx.LogLines.Any(l => l.StartsWith("Revalidating (refresh): ", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_refreshing_client_revalidates_each_page_once_and_the_shared_find_links_page_once()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.PageCacheControl = "max-age=3600, public";
        fx.PublishWheel("a", "1.0");
        fx.PublishWheel("b", "1.0");
        var options = fx.Options(findLinks: [fx.Server.FindLinksUrl.AbsoluteUri]);
        using (var warm = fx.Client(options))
        {
            await warm.GetProjectAsync(IndexFixture.Name("a"), CancellationToken.None);
            await warm.GetProjectAsync(IndexFixture.Name("b"), CancellationToken.None);
        }

        fx.Server.Log.Clear();
        using (var refreshing = fx.Client(options with { Refresh = CacheRefresh.All }))
        {
            // Different callers over time: the second asks after the first refresh has been stored.
            await refreshing.GetProjectAsync(IndexFixture.Name("a"), CancellationToken.None);
            await refreshing.GetProjectAsync(IndexFixture.Name("b"), CancellationToken.None);
            await refreshing.GetProjectAsync(IndexFixture.Name("a"), CancellationToken.None);
        }

        Assert.AreEqual(1, fx.Server.Log.Count("/links/"), "one page, revalidated once for both projects");
        Assert.AreEqual(304, fx.Server.Log.For("/links/").Single().StatusCode);
        Assert.AreEqual(1, fx.Server.Log.Count(), "find-links has both projects: no index page is asked");
    }

    [TestMethod]
    public async Task Offline_a_refresh_answers_from_the_cache()
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.PublishWheel("demo", "1.0");
        Assert.AreEqual(1, await FileCountAsync(fx, "demo", CacheRefresh.None));

        using var client = fx.Client(fx.Options(offline: true) with { Refresh = CacheRefresh.All });
        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.HasCount(1, listing.Files);
        Assert.AreEqual(1, fx.Server.Log.Count());
    }

    [TestMethod]
    public void Refresh_names_what_it_covers()
    {
        var named = CacheRefresh.Packages([IndexFixture.Name("Foo_Bar"), IndexFixture.Name("baz")]);

        Assert.IsTrue(named.Covers(IndexFixture.Name("foo-bar")));
        Assert.IsFalse(named.Covers(IndexFixture.Name("qux")));
        Assert.AreEqual("baz;foo-bar", named.ToString());
        Assert.IsTrue(CacheRefresh.All.Covers(IndexFixture.Name("qux")));
        Assert.IsFalse(CacheRefresh.None.Covers(IndexFixture.Name("qux")));
        Assert.AreSame(CacheRefresh.None, CacheRefresh.Packages([]));
    }
}
