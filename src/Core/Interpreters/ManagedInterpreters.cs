using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Interpreters;

/// <summary><c>PythonInterpreterSource</c>: where the build's interpreter may come from.</summary>
public enum InterpreterSource
{
    /// <summary>An installed interpreter when one matches, else a managed (downloaded) one.</summary>
    Auto,

    /// <summary>Always a managed interpreter: every machine runs the same build.</summary>
    Managed,

    /// <summary>Only installed interpreters; never downloads.</summary>
    System,
}

/// <summary>The settings of managed interpreters: the cache, the manifest, the mirror, offline.</summary>
public sealed class ManagedInterpreterOptions
{
    /// <summary><c>PythonCacheDir</c>: builds are unpacked into <c>&lt;cache&gt;/python-v1/&lt;build&gt;</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary><c>PythonDownloadsManifest</c>: a file or http(s) URL in uv's format; empty for the SDK's own.</summary>
    public string? Manifest { get; init; }

    /// <summary><c>PythonInstallMirror</c>: replaces the python-build-standalone download prefix (as <c>UV_PYTHON_INSTALL_MIRROR</c>).</summary>
    public string? Mirror { get; init; }

    /// <summary><c>PythonOffline</c>: only builds already in the cache.</summary>
    public bool Offline { get; init; }

    /// <summary>The platform builds are chosen for (default: this machine).</summary>
    public BuildPlatform Platform { get; init; } = BuildPlatform.Current();

    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>
/// Managed interpreters: python-build-standalone builds downloaded on demand, verified against the sha256 the
/// manifest (or the lock) gives, and unpacked atomically into <c>&lt;cache&gt;/python-v1/&lt;build&gt;</c> under a
/// cross-process lock: a build folder exists whole or not at all, and an interrupted download or unpack leaves
/// only temporary files, which the next install removes.
/// </summary>
public sealed class ManagedInterpreters
{
    /// <summary>The cache folder's name; bumped if the layout ever changes.</summary>
    public const string CacheFolder = "python-v1";

    /// <summary>Written into a build's folder before it is moved into place: which build it is.</summary>
    public const string MarkerFile = "pythonenv-build.json";

    /// <summary>The prefixes <c>PythonInstallMirror</c> replaces (python-build-standalone's release downloads, old and new home).</summary>
    private static readonly string[] MirroredPrefixes =
    [
        "https://github.com/astral-sh/python-build-standalone/releases/download",
        "https://github.com/indygreg/python-build-standalone/releases/download",
    ];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(15) };

    private readonly ManagedInterpreterOptions _options;
    private DownloadsManifest? _manifest;

    public ManagedInterpreters(ManagedInterpreterOptions options)
    {
        _options = options;
    }

    public ManagedInterpreterOptions Options => _options;

    /// <summary><c>&lt;cache&gt;/python-v1</c>.</summary>
    public string Root => Path.Combine(_options.CacheDirectory, CacheFolder);

    /// <summary>The build <paramref name="accepts"/> takes for this platform: from the cache when offline, else from the manifest; null when none.</summary>
    public async Task<PythonBuild?> ChooseAsync(Func<Pep440Version, bool> accepts, CancellationToken cancellationToken)
    {
        if (_options.Offline)
        {
            return Installed()
                .Where(b => b.Implementation == "cpython" && b.Platform == _options.Platform && accepts(b.Pep440))
                .OrderByDescending(b => b.Prerelease.Length == 0).ThenByDescending(b => b.Pep440).ThenByDescending(b => b.Release, StringComparer.Ordinal)
                .FirstOrDefault();
        }

        return (await ManifestAsync(cancellationToken).ConfigureAwait(false)).Select("cpython", _options.Platform, accepts);
    }

    /// <summary>
    /// A manifest or mirror location without user info: managed Python downloads are made without credentials, and the
    /// targets hand these on masked (<c>***@</c>), which must not reach a URL the lock records.
    /// </summary>
    private static string? Anonymous(string? location)
    {
        var text = location?.Trim();
        return string.IsNullOrEmpty(text) ? text
            : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? Index.UrlText.WithoutUserInfo(uri).AbsoluteUri
            : text;
    }

    /// <summary>The downloads manifest (the SDK's, or <c>PythonDownloadsManifest</c>'s), read once.</summary>
    public async Task<DownloadsManifest> ManifestAsync(CancellationToken cancellationToken)
    {
        if (_manifest is not null)
        {
            return _manifest;
        }

        var location = Anonymous(_options.Manifest);
        if (string.IsNullOrEmpty(location))
        {
            return _manifest = DownloadsManifest.Embedded();
        }

        string text;
        try
        {
            if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                using var response = await Http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
#if NET
                text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
#else
                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
#endif
            }
            else
            {
                text = File.ReadAllText(uri is { IsFile: true } ? uri.LocalPath : location!);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDownloadsManifest,
                $"The Python downloads manifest '{location}' (PythonDownloadsManifest) cannot be read: {e.Message}. Point PythonDownloadsManifest at a readable file or URL, or remove it to use the SDK's own.");
        }

        return _manifest = DownloadsManifest.Parse(text, $"'{location}'");
    }

    /// <summary>The builds unpacked in the cache (those whose folder is whole).</summary>
    public IReadOnlyList<PythonBuild> Installed()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.GetDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal))
            .Select(d => BuildAt(d))
            .OfType<PythonBuild>()
            .ToList();
    }

    /// <summary>The build unpacked at <paramref name="home"/> (a managed interpreter's base prefix), or null for any other folder.</summary>
    public static PythonBuild? BuildAt(string home)
    {
        var marker = Path.Combine(home, MarkerFile);
        try
        {
            if (!File.Exists(marker))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(marker));
            var root = document.RootElement;
            string Text(string name) => root.GetProperty(name).GetString() ?? throw new FormatException(name);
            var build = new PythonBuild(Text("implementation"), root.GetProperty("major").GetInt32(), root.GetProperty("minor").GetInt32(), root.GetProperty("patch").GetInt32(),
                Text("prerelease"), BuildPlatform.Of(Text("os"), Text("arch"), Text("libc")), Text("url"), Text("sha256"),
                root.TryGetProperty("release", out var release) && release.ValueKind == JsonValueKind.String ? release.GetString() : null);
            return Path.GetFileName(Path.GetFullPath(home).TrimEnd(Path.DirectorySeparatorChar)) == build.Key ? build : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The interpreter executable inside a build's folder (<c>python.exe</c> at the root on Windows, <c>bin/python3</c> elsewhere).</summary>
    public static string Executable(string home, BuildPlatform platform) =>
        platform.IsWindows ? Path.Combine(home, "python.exe") : Path.Combine(home, "bin", "python3");

    /// <summary>
    /// The build's folder in the cache, downloaded, verified and unpacked first when it is not there (offline: PYENV7003).
    /// Returns the interpreter executable.
    /// </summary>
    public async Task<string> InstallAsync(PythonBuild build, CancellationToken cancellationToken)
    {
        var home = Path.Combine(Root, build.Key);
        if (BuildAt(home) is not null)
        {
            return Executable(home, build.Platform);
        }

        Directory.CreateDirectory(Root);
        using var held = await FileLock.AcquireAsync(Path.Combine(Root, ".locks", build.Key + ".lock"), $"the managed Python {build.Key}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (BuildAt(home) is not null)
        {
            return Executable(home, build.Platform); // another build installed it while this one waited
        }

        RemoveLeftovers(build);
        if (_options.Offline)
        {
            throw new PythonEnvException(DiagnosticCodes.ManagedInterpreterNotCached,
                $"PythonOffline is true and the managed Python {build.Key} is not in the cache ({home}). Build once without PythonOffline to download it, or point PythonCacheDir at a cache that has it.");
        }

        if (Directory.Exists(home))
        {
            FileSystem.DeleteDirectory(home); // a folder without its marker was not made by a finished install
        }

        var url = DownloadUrl(build);
        var clock = Stopwatch.StartNew();
        var archive = await DownloadAsync(build, url, cancellationToken).ConfigureAwait(false);
        var downloaded = clock.Elapsed;
        var staging = Path.Combine(Root, $".tmp-{build.Key}-{Guid.NewGuid():N}");
        try
        {
            clock.Restart();
            BuildArchive.Extract(archive, staging, $"The Python build {build.Key} ({url})");
            var unpacked = Path.Combine(staging, "python");
            if (!File.Exists(Executable(unpacked, build.Platform)) && !IsLink(Executable(unpacked, build.Platform)))
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidInterpreterArchive,
                    $"The Python build {build.Key} ({url}) is not an install_only archive: it has no {(build.Platform.IsWindows ? "python/python.exe" : "python/bin/python3")}. Nothing was installed; check the downloads manifest.");
            }

            File.WriteAllText(Path.Combine(unpacked, MarkerFile), Marker(build));
            cancellationToken.ThrowIfCancellationRequested();
            // The one step that makes the build visible: a rename within the cache folder.
            Directory.Move(unpacked, home);
            _options.Log($"installed Python {build.Key} into {home} (download {downloaded.TotalMilliseconds:0} ms, unpack {clock.Elapsed.TotalMilliseconds:0} ms, {new FileInfo(archive).Length / 1024 / 1024.0:0.0} MiB)");
        }
        finally
        {
            FileSystem.DeleteDirectory(staging);
            FileSystem.DeleteFile(archive);
        }

        return Executable(home, build.Platform);
    }

    /// <summary>The build's URL with <c>PythonInstallMirror</c> in place of the python-build-standalone prefix.</summary>
    public string DownloadUrl(PythonBuild build)
    {
        var mirror = Anonymous(_options.Mirror)?.TrimEnd('/');
        if (string.IsNullOrEmpty(mirror))
        {
            return build.Url;
        }

        foreach (var prefix in MirroredPrefixes)
        {
            if (build.Url.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return mirror + build.Url.Substring(prefix.Length);
            }
        }

        return build.Url;
    }

    private async Task<string> DownloadAsync(PythonBuild build, string url, CancellationToken cancellationToken)
    {
        var partial = Path.Combine(Root, ".downloads", $"{build.Key}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        string actual;
        long length;
        try
        {
            using var hash = SHA256.Create();
            using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            using (var hashing = new CryptoStream(output, hash, CryptoStreamMode.Write))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    using var response = await Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw DownloadFailed(build, url, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
                    }

                    var expected = response.Content.Headers.ContentLength;
#if NET
                    using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
#else
                    using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
#endif
                    {
                        await body.CopyToAsync(hashing, 81920, cancellationToken).ConfigureAwait(false);
                    }

                    if (expected is { } size && output.Length != size)
                    {
                        throw DownloadFailed(build, url, $"the download was cut short ({output.Length} of {size} bytes)");
                    }
                }
                else
                {
                    using var source = File.OpenRead(uri is { IsFile: true } ? uri.LocalPath : url);
                    await source.CopyToAsync(hashing, 81920, cancellationToken).ConfigureAwait(false);
                }

                hashing.FlushFinalBlock();
                length = output.Length;
            }

            actual = Hex.Lower(hash.Hash!);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or UnauthorizedAccessException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            FileSystem.DeleteFile(partial);
            throw DownloadFailed(build, url, e.Message);
        }
        catch
        {
            FileSystem.DeleteFile(partial);
            throw;
        }

        if (!string.Equals(actual, build.Sha256, StringComparison.Ordinal))
        {
            FileSystem.DeleteFile(partial);
            throw new PythonEnvException(DiagnosticCodes.InterpreterHashMismatch,
                $"The Python build {build.Key} downloaded from {url} has sha256 {actual} ({length} bytes), but {build.Sha256} was expected. Nothing was installed. " +
                "The file was altered or the manifest (or lock) names another file: check PythonInstallMirror and PythonDownloadsManifest.");
        }

        return partial;
    }

    /// <summary>Temporary folders and downloads of this build that an interrupted install left (the caller holds the build's lock).</summary>
    private void RemoveLeftovers(PythonBuild build)
    {
        foreach (var folder in Directory.GetDirectories(Root, $".tmp-{build.Key}-*"))
        {
            FileSystem.DeleteDirectory(folder);
        }

        var downloads = Path.Combine(Root, ".downloads");
        if (Directory.Exists(downloads))
        {
            foreach (var file in Directory.GetFiles(downloads, build.Key + ".*.partial"))
            {
                FileSystem.DeleteFile(file);
            }
        }
    }

    private static bool IsLink(string path)
    {
        var info = new FileInfo(path);
        return info.Exists || (info.Attributes != (FileAttributes)(-1) && info.Attributes.HasFlag(FileAttributes.ReparsePoint));
    }

    private static string Marker(PythonBuild build)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("key", build.Key);
            writer.WriteString("implementation", build.Implementation);
            writer.WriteNumber("major", build.Major);
            writer.WriteNumber("minor", build.Minor);
            writer.WriteNumber("patch", build.Patch);
            writer.WriteString("prerelease", build.Prerelease);
            writer.WriteString("os", build.Platform.Os);
            writer.WriteString("arch", build.Platform.Arch);
            writer.WriteString("libc", build.Platform.Libc);
            writer.WriteString("url", build.Url);
            writer.WriteString("sha256", build.Sha256);
            if (build.Release is not null)
            {
                writer.WriteString("release", build.Release);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static PythonEnvException DownloadFailed(PythonBuild build, string url, string reason) =>
        new(DiagnosticCodes.InterpreterDownloadFailed,
            $"Downloading the Python build {build.Key} from {url} failed: {reason}. Nothing was installed; the next build tries again. " +
            "On a network without access to it, set PythonInstallMirror to a mirror of the python-build-standalone releases.");
}
