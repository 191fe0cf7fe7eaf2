using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using PythonEnv.Diagnostics;

namespace PythonEnv.Index;

/// <summary>
/// Where <see cref="IndexClient"/> looks for packages and how it talks to the network. A record, so a
/// caller changes one setting with <c>with</c> and keeps every other.
/// </summary>
public sealed record IndexClientOptions
{
    /// <summary>PyPI's simple index, used when nothing else is configured.</summary>
    public static readonly Uri DefaultIndexUrl = new("https://pypi.org/simple/");

    /// <summary>Simple indexes in priority order (the first is the primary; http(s) or file).</summary>
    public IReadOnlyList<Uri> IndexUrls { get; init; } = new[] { DefaultIndexUrl };

    /// <summary>
    /// Explicit indexes (<c>PythonIndex</c> items with <c>Explicit="true"</c>, uv's <c>explicit = true</c>): never searched,
    /// asked only for the packages pinned to them (<see cref="IndexClient.GetProjectFromAsync"/>).
    /// </summary>
    public IReadOnlyList<Uri> ExplicitIndexUrls { get; init; } = Array.Empty<Uri>();

    /// <summary>Folders of distribution files, or URLs of flat HTML pages linking to them.</summary>
    public IReadOnlyList<string> FindLinks { get; init; } = Array.Empty<string>();

    /// <summary>
    /// URLs that are not searched but whose user info gives the credentials for their scheme, host and port
    /// (a requirements file's <c>--index-url</c> when installing from a lock that recorded it without them).
    /// </summary>
    public IReadOnlyList<Uri> CredentialUrls { get; init; } = Array.Empty<Uri>();

    /// <summary>The global cache folder; the client uses <c>http-v1/</c> and <c>archives-v1/</c> under it.</summary>
    public string CacheDir { get; init; } = DefaultCacheDir();

    /// <summary>Answer from the cache only; anything missing is a PYENV5004 naming it.</summary>
    public bool Offline { get; init; }

    /// <summary>Project pages to revalidate although cached fresh (an upgrade must see new versions).</summary>
    public CacheRefresh Refresh { get; init; } = CacheRefresh.None;

    /// <summary>Requests in flight at once, over all hosts.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Longest wait for a response, and for the next chunk of a body.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, on 5xx, timeouts and broken connections.</summary>
    public int RetryCount { get; init; } = 3;

    /// <summary>Back-off before the first retry; doubled before each next one.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest wait a server's <c>Retry-After</c> (on 429 and 503) can impose before one retry; a longer request
    /// is cut to this. Waits only happen while retries remain.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The netrc file; null means <c>NETRC</c>, else <c>~/.netrc</c> (<c>_netrc</c> on Windows).</summary>
    public string? NetrcPath { get; init; }

    /// <summary>Reads environment variables (per-index credentials, <c>NETRC</c>); null means the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Receives progress and retry messages; URLs in them never carry credentials.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Builds options from the MSBuild properties (<c>PythonIndexUrl</c>, <c>PythonExtraIndexUrls</c>,
    /// <c>PythonFindLinks</c>, <c>PythonCacheDir</c>, <c>PythonOffline</c>); lists are <c>;</c>-separated.
    /// <c>PIP_INDEX_URL</c>, then <c>UV_INDEX_URL</c>, are used only when <paramref name="indexUrl"/> is empty.
    /// </summary>
    public static IndexClientOptions FromMSBuild(
        string? indexUrl,
        string? extraIndexUrls,
        string? findLinks,
        string? cacheDir,
        string? offline,
        Func<string, string?>? environment = null,
        string? projectDirectory = null)
    {
        var env = environment ?? System.Environment.GetEnvironmentVariable;
        var primary = Trimmed(indexUrl) ?? Trimmed(env("PIP_INDEX_URL")) ?? Trimmed(env("UV_INDEX_URL"));
        var indexes = new List<Uri> { primary is null ? DefaultIndexUrl : ParseLocation(primary, "PythonIndexUrl", projectDirectory) };
        foreach (var extra in Split(extraIndexUrls))
        {
            indexes.Add(ParseLocation(extra, "PythonExtraIndexUrls", projectDirectory));
        }

        var links = new List<string>();
        foreach (var link in Split(findLinks))
        {
            links.Add(ParseLocation(link, "PythonFindLinks", projectDirectory) is { IsFile: true } file ? file.LocalPath : link);
        }

        var isOffline = Trimmed(offline) is { } text && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1");
        return new IndexClientOptions
        {
            IndexUrls = indexes,
            FindLinks = links,
            CacheDir = Trimmed(cacheDir) ?? DefaultCacheDir(env),
            Offline = isOffline,
            Environment = env,
        };
    }

    /// <summary>What <see cref="MaskCredentials"/> puts in place of a URL's <c>user:password</c>, with the <c>@</c>.</summary>
    public const string MaskedUserInfo = "***@";

    /// <summary>
    /// The text with the user info of every URL in it masked (<c>https://***@host/</c>), as the SDK's targets mask
    /// index properties with the same pattern before any task, file or log sees them.
    /// </summary>
    public static string MaskCredentials(string text) => UrlText.Mask(text);

    /// <summary>
    /// The platform's user cache folder: <c>%LOCALAPPDATA%\PythonEnv\Cache</c>, <c>~/Library/Caches/PythonEnv</c>,
    /// else <c>$XDG_CACHE_HOME/pythonenv</c> or <c>~/.cache/pythonenv</c>.
    /// </summary>
    public static string DefaultCacheDir() => DefaultCacheDir(System.Environment.GetEnvironmentVariable);

    private static string DefaultCacheDir(Func<string, string?> env)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData), "PythonEnv", "Cache");
        }

        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return Path.Combine(home, "Library", "Caches", "PythonEnv");
        }

        var xdg = Trimmed(env("XDG_CACHE_HOME"));
        return xdg is not null && Path.IsPathRooted(xdg) ? Path.Combine(xdg, "pythonenv") : Path.Combine(home, ".cache", "pythonenv");
    }

    /// <summary>An index or find-links location: an absolute http(s)/file URL, or a local path.</summary>
    internal static Uri ParseLocation(string text, string property, string? projectDirectory)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme is "http" or "https" or "file"))
        {
            return url;
        }

        if (text.IndexOf("://", StringComparison.Ordinal) < 0)
        {
            try
            {
                var path = Path.IsPathRooted(text) || projectDirectory is null ? Path.GetFullPath(text) : Path.GetFullPath(Path.Combine(projectDirectory, text));
                return new Uri(path);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
            }
        }

        throw new PythonEnvException(
            DiagnosticCodes.InvalidDeclaration,
            $"{property}: '{UrlText.Mask(text)}' is not an http(s) or file URL, nor a local path. Use e.g. https://pypi.org/simple/.");
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    private static IEnumerable<string> Split(string? list)
    {
        if (list is null)
        {
            yield break;
        }

        foreach (var part in list.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (Trimmed(part) is { } item)
            {
                yield return item;
            }
        }
    }
}
