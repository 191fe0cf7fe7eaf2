using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Index;

/// <summary>One test's loopback index, temp folder and client options (fast retries, no ambient credentials).</summary>
internal sealed class IndexFixture : IAsyncDisposable
{
    private IndexFixture(TestIndexServer server, string root)
    {
        Server = server;
        Root = root;
    }

    public TestIndexServer Server { get; }

    public string Root { get; }

    public string CacheDir => Path.Combine(Root, "cache");

    /// <summary>Every line the client logged, to check that no secret appears in it.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public static async Task<IndexFixture> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "pyenv-index-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new IndexFixture(await TestIndexServer.StartAsync(), root);
    }

    public IndexClientOptions Options(
        IReadOnlyList<Uri>? indexes = null,
        IReadOnlyList<string>? findLinks = null,
        bool offline = false,
        int retries = 2,
        TimeSpan? timeout = null,
        int maxConcurrency = 8,
        string? netrc = null,
        string? cacheDir = null,
        TimeSpan? retryDelay = null) => new()
        {
            IndexUrls = indexes ?? new[] { Server.SimpleUrl },
            FindLinks = findLinks ?? Array.Empty<string>(),
            CacheDir = cacheDir ?? CacheDir,
            Offline = offline,
            RetryCount = retries,
            RetryBaseDelay = retryDelay ?? TimeSpan.FromMilliseconds(10),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxConcurrency = maxConcurrency,
            NetrcPath = netrc ?? Path.Combine(Root, "no-netrc"),
            Environment = name => Environment.TryGetValue(name, out var value) ? value : null,
            Log = LogLines.Enqueue,
        };

    public IndexClient Client(IndexClientOptions? options = null) => new(options ?? Options());

    public static PackageName Name(string name) => PackageName.Parse(name);

    /// <summary>The one file the project's listing has.</summary>
    public static async Task<DistributionFile> OnlyFileAsync(IndexClient client, string project)
    {
        var files = (await client.GetProjectAsync(Name(project), CancellationToken.None)).Files;
        Assert.HasCount(1, files);
        return files[0];
    }

    /// <summary>Publishes a py3-none-any wheel of <paramref name="name"/> <paramref name="version"/> and returns it.</summary>
    public Distribution PublishWheel(string name, string version, string? requiresPython = null, PublishOptions? options = null)
    {
        var spec = new PackageSpec(name, version) { RequiresPython = requiresPython };
        spec.RequiresDist.Add("dependency-of-" + Names.Normalize(name) + ">=1");
        var wheel = spec.Wheel();
        Server.Publish(wheel, options);
        return wheel;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
