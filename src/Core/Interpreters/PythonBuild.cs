using System;
using System.Text.RegularExpressions;
using PythonEnv.Packaging;

namespace PythonEnv.Interpreters;

/// <summary>
/// One downloadable interpreter build of a downloads manifest (uv's <c>download-metadata.json</c> entry): a
/// python-build-standalone "install_only" archive of one version for one platform, with the sha256 it must have.
/// Its <see cref="Key"/> names its folder in the cache: <c>cpython-3.12.8+20241219-linux-x86_64-gnu</c>.
/// </summary>
public sealed class PythonBuild
{
    private static readonly Regex ReleaseInUrl = new(@"(?:%2[Bb]|\+)(\d{8})\b|/download/(\d{8})/", RegexOptions.CultureInvariant);
    private static readonly Regex SafeKey = new(@"^[A-Za-z0-9][A-Za-z0-9.+_-]*$", RegexOptions.CultureInvariant);

    public PythonBuild(string implementation, int major, int minor, int patch, string prerelease, BuildPlatform platform, string url, string sha256, string? release = null)
    {
        Implementation = implementation;
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Platform = platform;
        Url = url;
        Sha256 = sha256.ToLowerInvariant();
        Release = release ?? ReleaseOf(url);
        if (!SafeKey.IsMatch(Key))
        {
            throw new FormatException($"'{Key}' is not a build name (letters, digits and . + _ - only)");
        }
    }

    /// <summary><c>cpython</c> (uv's manifests also list <c>pypy</c>, <c>graalpy</c>).</summary>
    public string Implementation { get; }

    public int Major { get; }
    public int Minor { get; }
    public int Patch { get; }

    /// <summary><c>rc2</c>, <c>b1</c>..., empty for a final release.</summary>
    public string Prerelease { get; }

    public BuildPlatform Platform { get; }

    /// <summary>Where the archive is (before <c>PythonInstallMirror</c> is applied).</summary>
    public string Url { get; }

    /// <summary>Lowercase hex sha256 of the archive.</summary>
    public string Sha256 { get; }

    /// <summary>The python-build-standalone release (<c>20241219</c>), from the URL; null when it names none.</summary>
    public string? Release { get; }

    /// <summary><c>3.12.8</c>, <c>3.13.0rc2</c>.</summary>
    public string Version => $"{Major}.{Minor}.{Patch}{Prerelease}";

    public Pep440Version Pep440 => Pep440Version.Parse(Version);

    /// <summary><c>cpython-3.12.8+20241219-linux-x86_64-gnu</c>: the build's one name, in the cache and the lock.</summary>
    public string Key => $"{Implementation}-{Version}{(Release is null ? "" : "+" + Release)}-{Platform.Key}";

    public override string ToString() => Key;

    private static string? ReleaseOf(string url)
    {
        var match = ReleaseInUrl.Match(url);
        return !match.Success ? null : match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
    }
}
