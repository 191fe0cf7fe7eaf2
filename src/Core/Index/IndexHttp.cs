using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;

namespace PythonEnv.Index;

/// <summary>One HTTP attempt in progress: its cancellation and the idle-timeout watchdog for body reads.</summary>
internal sealed class HttpAttempt
{
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _idle;

    public HttpAttempt(CancellationTokenSource timeout, TimeSpan idle, Uri finalUrl)
    {
        _timeout = timeout;
        _idle = idle;
        FinalUrl = finalUrl;
    }

    public CancellationToken Token => _timeout.Token;

    /// <summary>The URL that answered, after redirects (credentials removed).</summary>
    public Uri FinalUrl { get; }

    /// <summary>Data arrived: restart the idle timer, so only a stall (not a large file) times out.</summary>
    public void Progress() => _timeout.CancelAfter(_idle);

    /// <summary>Reads the whole body, restarting the idle timer on every chunk.</summary>
    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response)
    {
        using var body = new MemoryStream();
        await CopyBodyAsync(response, body, null).ConfigureAwait(false);
        return body.ToArray();
    }

    /// <summary>Copies the body to <paramref name="target"/>, feeding every chunk to <paramref name="observe"/>.</summary>
    public async Task CopyBodyAsync(HttpResponseMessage response, Stream target, Action<byte[], int>? observe)
    {
        using var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var stream = response.Content.Headers.ContentEncoding.Contains("gzip")
            ? new System.IO.Compression.GZipStream(source, System.IO.Compression.CompressionMode.Decompress)
            : source;
        var buffer = new byte[81920];
        while (true)
        {
            Progress();
#pragma warning disable CA1835 // the Memory overloads do not exist on netstandard2.0
            var read = await stream.ReadAsync(buffer, 0, buffer.Length, Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            observe?.Invoke(buffer, read);
            await target.WriteAsync(buffer, 0, read, Token).ConfigureAwait(false);
#pragma warning restore CA1835
        }
    }
}

/// <summary>
/// The transport under <see cref="IndexClient"/>: one shared <see cref="HttpClient"/>, requests in flight
/// bounded, redirects followed by hand so credentials are attached per hop for that hop's host only,
/// retries with exponential back-off on 5xx, timeouts and broken connections, then PYENV5002/5003.
/// </summary>
internal sealed class IndexHttp : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _gate;
    private readonly IndexClientOptions _options;
    private readonly CredentialStore _credentials;

    public IndexHttp(IndexClientOptions options, CredentialStore credentials)
    {
        _options = options;
        _credentials = credentials;
        _gate = new SemaphoreSlim(Math.Max(1, options.MaxConcurrency));
#if NET8_0_OR_GREATER
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = Math.Max(1, options.MaxConcurrency),
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
#else
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = Math.Max(1, options.MaxConcurrency),
        };
#endif
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("PythonEnv.Sdk/" + typeof(IndexHttp).Assembly.GetName().Version);
    }

    /// <summary>How many attempts a request gets (the first plus the retries).</summary>
    public int Attempts => Math.Max(0, _options.RetryCount) + 1;

    /// <summary>
    /// Sends a GET (following redirects) and hands the response to <paramref name="handle"/>, which reads
    /// the body inside the same attempt so a connection dropped mid-body is retried too.
    /// </summary>
    public async Task<T> GetAsync<T>(
        Uri url,
        Action<HttpRequestMessage> configure,
        Func<HttpResponseMessage, HttpAttempt, Task<T>> handle,
        string what,
        CancellationToken ct)
    {
        Exception? last = null;
        string lastProblem = "";
        TimeSpan? serverAsked = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = RetryDelay(attempt, serverAsked);
                serverAsked = null;
                _options.Log?.Invoke($"Retrying {what} ({UrlText.Display(url)}) in {delay.TotalMilliseconds:0} ms after: {lastProblem}");
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }

            await _gate.WaitAsync(ct).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var response = await SendFollowingRedirectsAsync(url, configure, timeout.Token).ConfigureAwait(false);
                var status = (int)response.Response.StatusCode;
                if (status is 401 or 403)
                {
                    throw new PythonEnvException(
                        DiagnosticCodes.AuthenticationFailed,
                        $"Authentication failed for {what}: {response.FinalUrl.Host} answered HTTP {status} {response.Response.ReasonPhrase} for {UrlText.Display(response.FinalUrl)}. "
                        + $"Check the credentials for host '{response.FinalUrl.Host}' (user info in the index URL, the {CredentialStore.EnvironmentPrefix(response.FinalUrl)}_USERNAME/_PASSWORD environment variables, or the netrc file).");
                }

                if (status >= 500 || status == 429)
                {
                    lastProblem = $"HTTP {status} {response.Response.ReasonPhrase}";
                    if (status is 429 or 503 && RetryAfter(response.Response) is { } asked)
                    {
                        serverAsked = asked;
                        lastProblem += $" (Retry-After: {asked.TotalSeconds:0.###} s)";
                    }

                    continue;
                }

                var context = new HttpAttempt(timeout, _options.Timeout, response.FinalUrl);
                return await handle(response.Response, context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastProblem = $"no response within {_options.Timeout.TotalSeconds:0.###} s";
            }
            catch (HttpRequestException e)
            {
                last = e;
                lastProblem = UrlText.Mask(Describe(e));
            }
            catch (IOException e)
            {
                last = e;
                lastProblem = UrlText.Mask(Describe(e));
            }
            finally
            {
                _gate.Release();
            }
        }

        throw new PythonEnvException(
            DiagnosticCodes.NetworkFailure,
            $"Network failure while fetching {what} from {UrlText.Display(url)}: tried {Attempts} time(s), last error: {lastProblem}. "
            + "Check the connection and the index URL, or build with PythonOffline=true to use only the cache.",
            inner: last is null ? null : new IOException(UrlText.Mask(last.Message)));
    }

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/>: the exponential back-off, or longer when the server
    /// asked for it (<c>Retry-After</c>), but never longer than <see cref="IndexClientOptions.MaxRetryAfter"/>,
    /// so a server cannot stall the build; the number of attempts stays the same either way.
    /// </summary>
    private TimeSpan RetryDelay(int attempt, TimeSpan? serverAsked)
    {
        var backOff = TimeSpan.FromMilliseconds(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 2));
        if (serverAsked is not { } asked || asked <= backOff)
        {
            return backOff;
        }

        return asked < _options.MaxRetryAfter ? asked : (_options.MaxRetryAfter > backOff ? _options.MaxRetryAfter : backOff);
    }

    /// <summary>RFC 9110 <c>Retry-After</c>: delta-seconds or an HTTP-date (a date in the past means now).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string Describe(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " (" + inner.Message + ")";
        }

        return message;
    }

    private sealed class FinalResponse : IDisposable
    {
        public FinalResponse(HttpResponseMessage response, Uri finalUrl)
        {
            Response = response;
            FinalUrl = finalUrl;
        }

        public HttpResponseMessage Response { get; }
        public Uri FinalUrl { get; }
        public void Dispose() => Response.Dispose();
    }

    private async Task<FinalResponse> SendFollowingRedirectsAsync(Uri url, Action<HttpRequestMessage> configure, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            // Credentials come from the store for this hop's own scheme, host and port; user info in a
            // redirect target is never used, and the request URL itself never carries any.
            var target = UrlText.WithoutUserInfo(current);
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            configure(request);
            var credentials = hop == 0 ? UrlText.UserInfoCredentials(current) ?? _credentials.For(target) : _credentials.For(target);
            if (credentials is not null)
            {
                request.Headers.Authorization = credentials.ToHeader();
            }

            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location && hop < MaxRedirects)
            {
                response.Dispose();
                current = location.IsAbsoluteUri ? location : new Uri(target, location);
                continue;
            }

            return new FinalResponse(response, target);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _gate.Dispose();
    }
}
