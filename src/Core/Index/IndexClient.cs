using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>
/// Reads projects, metadata and distribution files from the configured sources (find-links locations,
/// then the indexes in order; the first source that has a project supplies all of it). Thread-safe:
/// share one instance for a whole restore.
/// </summary>
public sealed partial class IndexClient : IDisposable
{
    private static readonly char[] PathSeparators = { '/', '\\' };
    private readonly IndexClientOptions _options;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly IndexHttp _http;
    private readonly HttpCache _cache;
    private readonly string _archives;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly List<Uri> _indexes = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ProjectListing>>> _listings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _metadata = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _downloads = new(StringComparer.Ordinal);

    public IndexClient(IndexClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var environment = options.Environment ?? Environment.GetEnvironmentVariable;
        var configured = new List<Uri>();
        foreach (var index in options.IndexUrls)
        {
            _indexes.Add(UrlText.AsDirectory(index));
            configured.Add(index);
        }

        foreach (var link in options.FindLinks)
        {
            if (Uri.TryCreate(link, UriKind.Absolute, out var url) && !url.IsFile)
            {
                configured.Add(url);
            }
        }

        configured.AddRange(options.ExplicitIndexUrls);
        configured.AddRange(options.CredentialUrls);
        var credentials = new CredentialStore(configured, environment, options.NetrcPath ?? Netrc.DefaultPath(environment));
        _http = new IndexHttp(options, credentials);
        _cache = new HttpCache(options.CacheDir);
        _archives = Path.Combine(options.CacheDir, "archives-v1");
    }

    /// <summary>
    /// Concurrent callers asking for the same thing share one load. The load runs on the client's own
    /// lifetime, so one caller giving up does not fail the others; a failed load is forgotten so a later
    /// call tries again.
    /// </summary>
    private async Task<T> Shared<T>(ConcurrentDictionary<string, Lazy<Task<T>>> memo, string key, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        var lazy = memo.GetOrAdd(key, _ => new Lazy<Task<T>>(() => load(_lifetime.Token)));
        var task = lazy.Value;
        try
        {
            if (ct.CanBeCanceled && !task.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (ct.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    {
                        ct.ThrowIfCancellationRequested();
                    }
                }
            }

            return await task.ConfigureAwait(false);
        }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            ((ICollection<KeyValuePair<string, Lazy<Task<T>>>>)memo).Remove(new KeyValuePair<string, Lazy<Task<T>>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
        _http.Dispose();
    }
}
