using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PythonEnv.TestIndex;

/// <summary>
/// A PEP 503/691 package index on <c>127.0.0.1</c> (random port), serving a <see cref="PackageIndex"/>:
/// <c>/simple/</c>, <c>/simple/{project}/</c> (JSON or HTML by <c>Accept</c>), <c>/files/{file}</c> and
/// <c>/files/{file}.metadata</c> (Range, ETag, Last-Modified, Cache-Control, 304), <c>/links/</c> (a flat
/// find-links page). <see cref="Switches"/> change its behaviour, <see cref="Faults"/> inject failures and
/// <see cref="Log"/> records every request. Start one per test with <see cref="StartAsync"/>; dispose it.
/// </summary>
public sealed class TestIndexServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly object cannedGate = new();
    private readonly List<(string Path, Reply Reply)> canned = [];

    private TestIndexServer(WebApplication app, PackageIndex index)
    {
        this.app = app;
        Index = index;
    }

    /// <summary>The content served; publish into it (or use <see cref="Publish(Distribution, PublishOptions?)"/>) at any time.</summary>
    public PackageIndex Index { get; }

    public ServerSwitches Switches { get; } = new();

    public Faults Faults { get; } = new();

    public RequestLog Log { get; } = new();

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The index URL to configure: <c>http://127.0.0.1:{port}/simple/</c>.</summary>
    public Uri SimpleUrl => new(BaseUrl, "simple/");

    /// <summary>The index URL with <see cref="ServerSwitches.User"/>:<see cref="ServerSwitches.Password"/> in it.</summary>
    public Uri SimpleUrlWithCredentials => new UriBuilder(SimpleUrl)
    {
        UserName = Uri.EscapeDataString(Switches.User ?? ""),
        Password = Uri.EscapeDataString(Switches.Password ?? ""),
    }.Uri;

    /// <summary>A flat find-links page listing every file: <c>http://127.0.0.1:{port}/links/</c>.</summary>
    public Uri FindLinksUrl => new(BaseUrl, "links/");

    /// <summary>The normalized project page URL.</summary>
    public Uri ProjectUrl(string project) => new(BaseUrl, "simple/" + Names.Normalize(project) + "/");

    /// <summary>The absolute URL of a file.</summary>
    public Uri FileUrl(string fileName) => new(BaseUrl, FilePath(fileName));

    /// <summary>The absolute URL of a file's PEP 658 metadata file.</summary>
    public Uri MetadataUrl(string fileName) => new(BaseUrl, FilePath(fileName) + ".metadata");

    /// <summary>Starts a server on a free loopback port, serving <paramref name="index"/> (a new, empty one by default).</summary>
    public static async Task<TestIndexServer> StartAsync(PackageIndex? index = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        WebApplication app = builder.Build();
        var server = new TestIndexServer(app, index ?? new PackageIndex());
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = new Uri(new Uri(address), "/");
        return server;
    }

    /// <inheritdoc cref="PackageIndex.Publish(Distribution, PublishOptions?)"/>
    public PublishedFile Publish(Distribution distribution, PublishOptions? options = null) => Index.Publish(distribution, options);

    /// <inheritdoc cref="PackageIndex.Publish(PackageSpec, PublishOptions?)"/>
    public void Publish(PackageSpec spec, PublishOptions? options = null) => Index.Publish(spec, options);

    /// <summary>
    /// Answers requests matching <paramref name="path"/> (see <see cref="RequestLog.PathMatches"/>) with this
    /// response instead of the index's, after the auth check: pages with arbitrary content, odd statuses or headers.
    /// A later call for the same path replaces an earlier one.
    /// </summary>
    public void Serve(string path, int statusCode, string body = "", string contentType = "text/plain; charset=utf-8", IReadOnlyDictionary<string, string>? headers = null)
    {
        var reply = new Reply(statusCode, Encoding.UTF8.GetBytes(body), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType });
        if (headers is not null)
            foreach (KeyValuePair<string, string> header in headers) reply.Headers[header.Key] = header.Value;
        lock (cannedGate)
        {
            canned.RemoveAll(c => c.Path == path);
            canned.Add((path, reply));
        }
    }

    /// <summary>Answers requests matching <paramref name="path"/> with these bytes (a file that is no package: an interpreter archive, a manifest).</summary>
    public void Serve(string path, byte[] body, string contentType = "application/octet-stream")
    {
        var reply = new Reply(StatusCodes.Status200OK, body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType });
        lock (cannedGate)
        {
            canned.RemoveAll(c => c.Path == path);
            canned.Add((path, reply));
        }
    }

    /// <summary>Redirects requests matching <paramref name="path"/> to <paramref name="location"/> (e.g. another server).</summary>
    public void Redirect(string path, Uri location, int statusCode = StatusCodes.Status302Found) =>
        Serve(path, statusCode, "", headers: new Dictionary<string, string> { ["Location"] = location.OriginalString });

    /// <summary>Forgets every <see cref="Serve"/> and <see cref="Redirect"/>.</summary>
    public void ClearServed()
    {
        lock (cannedGate) canned.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private static string FilePath(string fileName) => "files/" + Uri.EscapeDataString(fileName);

    private sealed record Reply(int Status, byte[] Body, Dictionary<string, string> Headers);

    private async Task HandleAsync(HttpContext context)
    {
        Log.Enter();
        try
        {
            await RespondAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Log.Exit();
        }
    }

    private async Task RespondAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "/";
        Faults.Rule? fault = Faults.Take(path);
        Reply? reply = fault?.Kind switch
        {
            FaultKind.Fail => Failure(fault),
            FaultKind.Drop when fault.AfterBytes is null => null,
            _ => Route(request, path),
        };
        Log.Add(new LoggedRequest(request.Method, path, request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            reply?.Status ?? 0, DateTimeOffset.UtcNow));
        if (reply is null)
        {
            context.Abort();
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        try
        {
            if (fault is { Kind: FaultKind.Stall, AfterBytes: null }) await Task.Delay(fault.Delay, cancel.Token).ConfigureAwait(false);
            HttpResponse response = context.Response;
            response.StatusCode = reply.Status;
            foreach (KeyValuePair<string, string> header in reply.Headers) response.Headers[header.Key] = header.Value;
            bool hasBody = reply.Status != StatusCodes.Status304NotModified;
            if (hasBody) response.ContentLength = reply.Body.Length;
            if (!hasBody || HttpMethods.IsHead(request.Method)) return;

            if (Switches.FileBytesPerSecond is long rate && path.StartsWith("/files/", StringComparison.Ordinal) && !path.EndsWith(".metadata", StringComparison.Ordinal))
            {
                await WriteThrottledAsync(response, reply.Body, rate, cancel.Token).ConfigureAwait(false);
                return;
            }
            int split = fault?.AfterBytes is int n && fault.Kind != FaultKind.Fail ? Math.Clamp(n, 0, reply.Body.Length) : reply.Body.Length;
            await response.Body.WriteAsync(reply.Body.AsMemory(0, split), cancel.Token).ConfigureAwait(false);
            if (split == reply.Body.Length) return;
            await response.Body.FlushAsync(cancel.Token).ConfigureAwait(false);
            if (fault!.Kind == FaultKind.Drop)
            {
                context.Abort();
                return;
            }
            await Task.Delay(fault.Delay, cancel.Token).ConfigureAwait(false);
            await response.Body.WriteAsync(reply.Body.AsMemory(split), cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the server is stopping: nothing more to send.
            context.Abort();
        }
    }

    /// <summary>Sends <paramref name="body"/> a tenth of <paramref name="bytesPerSecond"/> at a time, a tenth of a second apart.</summary>
    private static async Task WriteThrottledAsync(HttpResponse response, byte[] body, long bytesPerSecond, CancellationToken cancel)
    {
        int chunk = (int)Math.Clamp(bytesPerSecond / 10, 1, int.MaxValue);
        for (int offset = 0; offset < body.Length; offset += chunk)
        {
            await response.Body.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)), cancel).ConfigureAwait(false);
            await response.Body.FlushAsync(cancel).ConfigureAwait(false);
            if (offset + chunk < body.Length) await Task.Delay(100, cancel).ConfigureAwait(false);
        }
    }

    private static Reply Failure(Faults.Rule fault)
    {
        Reply reply = Text(fault.StatusCode, $"injected failure {fault.StatusCode}\n");
        if (fault.RetryAfter is not null) reply.Headers["Retry-After"] = fault.RetryAfter;
        return reply;
    }

    private Reply Route(HttpRequest request, string path)
    {
        if (Switches.User is not null && !Authorized(request))
        {
            Reply denied = Text(StatusCodes.Status401Unauthorized, "authentication required\n");
            denied.Headers["WWW-Authenticate"] = "Basic realm=\"PythonEnv.TestIndex\"";
            return denied;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            Reply notAllowed = Text(StatusCodes.Status405MethodNotAllowed, "only GET and HEAD\n");
            notAllowed.Headers["Allow"] = "GET, HEAD";
            return notAllowed;
        }

        lock (cannedGate)
        {
            foreach ((string pattern, Reply reply) in canned)
                if (RequestLog.PathMatches(pattern, path)) return reply;
        }

        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool slash = path.EndsWith('/');
        if (segments.Length == 1 && segments[0] == "simple")
            return slash ? Page(request, null) : Redirect(request, "/simple/");
        if (segments.Length == 2 && segments[0] == "simple")
        {
            string normalized = Names.Normalize(segments[1]);
            if (!slash || normalized != segments[1]) return Redirect(request, "/simple/" + Uri.EscapeDataString(normalized) + "/");
            return Page(request, normalized);
        }
        if (segments.Length == 1 && segments[0] == "links" && slash)
            return FindLinksPage(request);
        if (segments.Length == 2 && segments[0] == "files" && !slash)
            return File(request, segments[1]);
        return Text(StatusCodes.Status404NotFound, "not found\n");
    }

    private bool Authorized(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Switches.User}:{Switches.Password}"));
        return string.Equals(header.Substring(6).Trim(), expected, StringComparison.Ordinal);
    }

    private Reply Page(HttpRequest request, string? project)
    {
        string? type = Switches.HtmlOnly ? SimplePages.HtmlType : Negotiate(request);
        if (type is null) return Text(StatusCodes.Status406NotAcceptable, $"acceptable: {SimplePages.JsonType}, {SimplePages.HtmlV1Type}, {SimplePages.HtmlType}\n");
        bool json = type == SimplePages.JsonType;
        bool metadata = !Switches.NoMetadataFiles;
        MetadataAttributes attributes = Switches.MetadataAttributes;
        string apiVersion = Switches.ApiVersion;
        byte[] body;
        DateTimeOffset modified;
        if (project is null)
        {
            modified = Index.LastModified;
            IReadOnlyList<string> projects = Index.Projects;
            body = json ? SimplePages.RootJson(projects, apiVersion) : Encoding.UTF8.GetBytes(SimplePages.RootHtml(projects, apiVersion));
        }
        else
        {
            if (!Index.TryGetProject(project, out string display, out IReadOnlyList<PublishedFile> files, out modified))
                return Text(StatusCodes.Status404NotFound, $"no project '{project}'\n");
            Func<PublishedFile, string> url = Switches.RelativeFileUrls
                ? f => "../../" + FilePath(f.FileName)
                : f => new Uri(BaseUrl, FilePath(f.FileName)).AbsoluteUri;
            body = json
                ? SimplePages.ProjectJson(display, files, url, metadata, attributes, apiVersion)
                : Encoding.UTF8.GetBytes(SimplePages.ProjectHtml(display, files, url, metadata, attributes, apiVersion));
        }
        Reply reply = Entity(request, body, type, modified, Switches.PageCacheControl, ranges: false);
        reply.Headers["Vary"] = "Accept";
        return reply;
    }

    private Reply FindLinksPage(HttpRequest request)
    {
        Func<PublishedFile, string> url = Switches.RelativeFileUrls
            ? f => "../" + FilePath(f.FileName)
            : f => new Uri(BaseUrl, FilePath(f.FileName)).AbsoluteUri;
        byte[] body = Encoding.UTF8.GetBytes(SimplePages.FindLinksHtml(Index.AllFiles, url));
        return Entity(request, body, SimplePages.HtmlType, Index.AnyLastModified, Switches.PageCacheControl, ranges: false);
    }

    private Reply File(HttpRequest request, string fileName)
    {
        PublishedFile? file = Index.FindFile(fileName);
        byte[] body;
        string type;
        if (file is not null)
        {
            body = file.Distribution.Bytes.ToArray();
            type = file.Distribution.Kind == DistributionKind.Wheel ? "application/zip" : "application/gzip";
        }
        else if (fileName.EndsWith(".metadata", StringComparison.Ordinal)
                 && Index.FindFile(fileName.Substring(0, fileName.Length - ".metadata".Length)) is { HasMetadataFile: true } owner
                 && !Switches.NoMetadataFiles)
        {
            file = owner;
            body = owner.Distribution.MetadataBytes!.Value.ToArray();
            type = "text/plain; charset=utf-8";
        }
        else
        {
            return Text(StatusCodes.Status404NotFound, $"no file '{fileName}'\n");
        }
        if (Faults.IsCorrupted(fileName)) Corrupt(body);
        return Entity(request, body, type, file.UploadTime, Switches.FileCacheControl, ranges: !Switches.NoRangeRequests);
    }

    /// <summary>Changes one byte: in a zip, the first byte of the first entry's data (the archive stays readable).</summary>
    private static void Corrupt(byte[] body)
    {
        if (body.Length == 0) return;
        int at = body.Length / 2;
        if (body.Length > 30 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4)
        {
            int dataStart = 30 + BitConverter.ToUInt16(body, 26) + BitConverter.ToUInt16(body, 28);
            if (dataStart < body.Length) at = dataStart;
        }
        body[at] ^= 0x01;
    }

    private static Reply Entity(HttpRequest request, byte[] body, string contentType, DateTimeOffset modified, string? cacheControl, bool ranges)
    {
        string etag = "\"" + Distribution.Hex(body).Substring(0, 32) + "\"";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = contentType,
            ["ETag"] = etag,
            ["Last-Modified"] = modified.ToString("R", CultureInfo.InvariantCulture),
        };
        if (cacheControl is not null) headers["Cache-Control"] = cacheControl;
        if (NotModified(request, etag, modified)) return new Reply(StatusCodes.Status304NotModified, [], headers);
        headers["Accept-Ranges"] = ranges ? "bytes" : "none";
        if (!ranges || !IfRangeHolds(request, etag, modified)) return new Reply(StatusCodes.Status200OK, body, headers);
        switch (ByteRange.Parse(request.Headers.Range.ToString(), body.Length))
        {
            case { Unsatisfiable: true }:
                headers["Content-Range"] = $"bytes */{body.Length}";
                return new Reply(StatusCodes.Status416RangeNotSatisfiable, [], headers);
            case { } range:
                headers["Content-Range"] = $"bytes {range.Start}-{range.End}/{body.Length}";
                return new Reply(StatusCodes.Status206PartialContent, body.AsSpan(range.Start, range.End - range.Start + 1).ToArray(), headers);
            default:
                return new Reply(StatusCodes.Status200OK, body, headers);
        }
    }

    /// <summary>RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since.</summary>
    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset modified)
    {
        string ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
            return ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || WeakEquals(t, etag));
        string ifModifiedSince = request.Headers.IfModifiedSince.ToString();
        return ifModifiedSince.Length > 0
               && DateTimeOffset.TryParse(ifModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset since)
               && modified <= since;
    }

    private static bool WeakEquals(string tag, string etag) =>
        (tag.StartsWith("W/", StringComparison.Ordinal) ? tag.Substring(2) : tag) == etag;

    private static bool IfRangeHolds(HttpRequest request, string etag, DateTimeOffset modified)
    {
        string ifRange = request.Headers.IfRange.ToString().Trim();
        if (ifRange.Length == 0) return true;
        if (ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal)) return ifRange == etag;
        return DateTimeOffset.TryParse(ifRange, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date) && date == modified;
    }

    /// <summary>Picks the page format from <c>Accept</c> (or PEP 691's <c>?format=</c>); no header means HTML.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        string format = request.Query["format"].ToString();
        string accept = format.Length > 0 ? format : request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return SimplePages.HtmlType;
        return AcceptHeader.Choose(accept, [SimplePages.JsonType, SimplePages.HtmlV1Type, SimplePages.HtmlType]);
    }

    private static Reply Redirect(HttpRequest request, string location)
    {
        Reply reply = Text(StatusCodes.Status301MovedPermanently, "moved\n");
        reply.Headers["Location"] = location + request.QueryString.Value;
        return reply;
    }

    private static Reply Text(int status, string text) =>
        new(status, Encoding.UTF8.GetBytes(text), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/plain; charset=utf-8" });
}
