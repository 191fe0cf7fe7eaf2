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

/// <summary>Credentials from the URL, netrc or environment; sent to their own host only; never shown.</summary>
[TestClass]
public sealed class CredentialTests
{
    private const string Secret = "s3cr3t-p@ss:word";

    private static async Task<IndexFixture> StartWithAuthAsync()
    {
        var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.User = "alice";
        fx.Server.Switches.Password = Secret;
        fx.PublishWheel("private-pkg", "1.0");
        return fx;
    }

    private static async Task AssertWorksWithoutLeakingAsync(IndexFixture fx, IndexClient client)
    {
        var listing = await client.GetProjectAsync(IndexFixture.Name("private-pkg"), CancellationToken.None);
        var file = listing.Files.Single();
        await client.GetMetadataBytesAsync(file, CancellationToken.None);
        var path = await client.DownloadAsync(file, CancellationToken.None);

        Assert.IsTrue(File.Exists(path));
        Assert.AreEqual("", listing.IndexUrl.UserInfo, "the listing's index URL carries no credentials");
        Assert.AreEqual("", file.Url.UserInfo);
        Assert.IsTrue(fx.Server.Log.Requests.All(r => r.StatusCode != 401), "every request was authenticated");
        Assert.IsFalse(fx.LogLines.Any(line => line.Contains("s3cr3t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Credential_urls_give_credentials_for_their_host_without_being_searched()
    {
        await using var fx = await StartWithAuthAsync();
        var index = new Uri(fx.Server.BaseUrl, "simple/");
        using var client = fx.Client(fx.Options(indexes: new[] { index }) with { CredentialUrls = new[] { new Uri(fx.Server.SimpleUrlWithCredentials, "elsewhere/") } });

        await AssertWorksWithoutLeakingAsync(fx, client);
        Assert.AreEqual(0, fx.Server.Log.Count("elsewhere/"), "a credential URL is never asked for packages");
    }

    [TestMethod]
    public void Masking_hides_the_user_info_of_every_url_in_a_list()
    {
        Assert.AreEqual("https://***@a.example/simple/;http://b.example/;file:///x", IndexClientOptions.MaskCredentials("https://u:" + Secret.Replace("@", "%40") + "@a.example/simple/;http://b.example/;file:///x"));
    }

    [TestMethod]
    public async Task User_and_password_in_the_index_url_are_used_and_never_returned()
    {
        await using var fx = await StartWithAuthAsync();
        using var client = fx.Client(fx.Options(indexes: new[] { fx.Server.SimpleUrlWithCredentials }));

        await AssertWorksWithoutLeakingAsync(fx, client);
    }

    [TestMethod]
    public async Task Netrc_credentials_are_used_for_their_machine()
    {
        await using var fx = await StartWithAuthAsync();
        var netrc = Path.Combine(fx.Root, "netrc");
        File.WriteAllText(netrc, $"machine other.example login bob password nope\n# comment\nmachine {fx.Server.BaseUrl.Host}\n  login alice\n  password \"{Secret}\"\n");
        using var client = fx.Client(fx.Options(netrc: netrc));

        await AssertWorksWithoutLeakingAsync(fx, client);
    }

    [TestMethod]
    public async Task Per_index_environment_variables_are_used()
    {
        await using var fx = await StartWithAuthAsync();
        var prefix = $"PYTHONENV_INDEX_127_0_0_1_{fx.Server.BaseUrl.Port}";
        fx.Environment[prefix + "_USERNAME"] = "alice";
        fx.Environment[prefix + "_PASSWORD"] = Secret;
        using var client = fx.Client();

        await AssertWorksWithoutLeakingAsync(fx, client);
    }

    [TestMethod]
    [DataRow(401, DisplayName = "wrong password")]
    [DataRow(403, DisplayName = "forbidden")]
    public async Task Refused_credentials_are_PYENV5002_naming_the_host_not_the_secret(int status)
    {
        await using var fx = await StartWithAuthAsync();
        if (status == 403)
        {
            fx.Server.Faults.FailNext(1, statusCode: 403);
        }
        else
        {
            fx.Server.Switches.Password = "another";
        }

        using var client = fx.Client(fx.Options(indexes: new[] { new UriBuilder(fx.Server.SimpleUrl) { UserName = "alice", Password = "s3cr3t" }.Uri }));

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => client.GetProjectAsync(IndexFixture.Name("private-pkg"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.AuthenticationFailed, error.Code);
        Assert.Contains(fx.Server.BaseUrl.Host, error.Message);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.DoesNotContain("s3cr3t", error.ToString());
        Assert.AreEqual(1, fx.Server.Log.Count("/simple/private-pkg/"), "authentication failures are not retried");
    }

    [TestMethod]
    public async Task A_redirect_to_another_host_drops_the_authorization_header()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = fx.PublishWheel("demo", "1.0");
        // The index (127.0.0.1, with credentials) sends the page on to the test index under another host name, localhost.
        await using var index = await TestIndexServer.StartAsync();
        index.Redirect("/simple/demo/", new UriBuilder(fx.Server.ProjectUrl("demo")) { Host = "localhost" }.Uri);
        using var client = fx.Client(fx.Options(indexes: new[] { new UriBuilder(index.SimpleUrl) { UserName = "alice", Password = Secret }.Uri }));

        var listing = await client.GetProjectAsync(IndexFixture.Name("demo"), CancellationToken.None);

        Assert.AreEqual(wheel.FileName, listing.Files.Single().Filename);
        Assert.IsNotNull(index.Log.For("/simple/demo/").Single().Header("Authorization"), "the index's own host gets the credentials");
        Assert.AreEqual(1, index.Log.Count());
        var forwarded = fx.Server.Log.For("/simple/demo/").Single();
        Assert.IsNull(forwarded.Header("Authorization"), "the other host must not get them");
    }

    [TestMethod]
    public void Netrc_default_entry_and_macros_are_understood()
    {
        var netrc = Netrc.Parse("macdef init\ncd /pub\n\nmachine a.example login u1 password p1\ndefault login anon password guest\n");

        Assert.AreEqual(new BasicCredentials("u1", "p1"), netrc.For("A.EXAMPLE"));
        Assert.AreEqual(new BasicCredentials("anon", "guest"), netrc.For("b.example"));
    }

    [TestMethod]
    [DataRow("https://pkgs.example.com/simple/", "PYTHONENV_INDEX_PKGS_EXAMPLE_COM")]
    [DataRow("https://pkgs.example.com:8443/simple/", "PYTHONENV_INDEX_PKGS_EXAMPLE_COM_8443")]
    [DataRow("http://my-index.local/", "PYTHONENV_INDEX_MY_INDEX_LOCAL")]
    public void Environment_variable_names_are_derived_from_the_host(string url, string prefix)
    {
        Assert.AreEqual(prefix, CredentialStore.EnvironmentPrefix(new Uri(url)));
    }

    [TestMethod]
    public void Urls_in_messages_are_masked()
    {
        Assert.AreEqual("see https://***@host.example/simple/ and http://***@other/", UrlText.Mask("see https://u:p@host.example/simple/ and http://token@other/"));
    }
}
