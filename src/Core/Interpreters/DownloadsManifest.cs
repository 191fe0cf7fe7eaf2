using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Interpreters;

/// <summary>
/// The builds the SDK may download, in uv's <c>download-metadata.json</c> format: an object of entries keyed by
/// name, each with <c>name</c>, <c>arch</c> (a string, or an object with <c>family</c>), <c>os</c>, <c>libc</c>,
/// <c>major</c>, <c>minor</c>, <c>patch</c>, <c>prerelease</c>, <c>url</c>, <c>sha256</c> and an optional
/// <c>variant</c>. The SDK ships one (an embedded resource); <c>PythonDownloadsManifest</c> replaces it.
/// Entries with a variant (free-threaded, debug) or without a sha256 are not offered: what cannot be verified is never installed.
/// </summary>
public sealed class DownloadsManifest
{
    private const string ResourceName = "PythonEnv.Interpreters.download-metadata.json";

    private DownloadsManifest(string source, IReadOnlyList<PythonBuild> builds)
    {
        Source = source;
        Builds = builds;
    }

    /// <summary>Where the manifest came from (the SDK's own, a file, a URL), for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<PythonBuild> Builds { get; }

    /// <summary>The manifest shipped inside the SDK.</summary>
    public static DownloadsManifest Embedded()
    {
        using var stream = typeof(DownloadsManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The SDK's {ResourceName} resource is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "the SDK's downloads manifest");
    }

    /// <summary>Reads a manifest; anything not in the format is PYENV7002 naming <paramref name="source"/> and the entry.</summary>
    public static DownloadsManifest Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"it is not JSON ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "it is not a JSON object of builds keyed by name");
            }

            var builds = new List<PythonBuild>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (Read(entry, source) is { } build)
                {
                    builds.Add(build);
                }
            }

            return new DownloadsManifest(source, builds);
        }
    }

    /// <summary>
    /// The build to install for <paramref name="accepts"/> on <paramref name="platform"/>: the highest final release it
    /// accepts, else (none final) the highest pre-release, as PEP 440 allows pre-releases only when nothing else fits.
    /// </summary>
    public PythonBuild? Select(string implementation, BuildPlatform platform, Func<Pep440Version, bool> accepts)
    {
        var fitting = Builds
            .Where(b => b.Implementation == implementation && b.Platform == platform && accepts(b.Pep440))
            .OrderByDescending(b => b.Pep440)
            .ThenByDescending(b => b.Release, StringComparer.Ordinal)
            .ToList();
        return fitting.FirstOrDefault(b => b.Prerelease.Length == 0) ?? fitting.FirstOrDefault();
    }

    /// <summary>The same version and release of <paramref name="build"/> for every platform listed: what a lock records.</summary>
    public IReadOnlyList<PythonBuild> AllPlatforms(PythonBuild build) => Builds
        .Where(b => b.Implementation == build.Implementation && b.Version == build.Version && b.Release == build.Release)
        .GroupBy(b => b.Platform.Key, StringComparer.Ordinal)
        .Select(g => g.First())
        .OrderBy(b => b.Platform.Key, StringComparer.Ordinal)
        .ToList();

    /// <summary>The platforms this manifest has builds for, for messages.</summary>
    public IReadOnlyList<string> Platforms => Builds.Select(b => b.Platform.Key).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToList();

    private static PythonBuild? Read(JsonProperty entry, string source)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"the entry \"{entry.Name}\" is not an object");
        }

        if (Text(value, "variant") is { Length: > 0 })
        {
            return null;
        }

        var arch = value.TryGetProperty("arch", out var archValue) && archValue.ValueKind == JsonValueKind.Object
            ? (archValue.TryGetProperty("variant", out var archVariant) && archVariant.ValueKind == JsonValueKind.String ? null : Text(archValue, "family"))
            : Text(value, "arch");
        var sha256 = Text(value, "sha256");
        if (arch is null || sha256 is null)
        {
            return null; // a micro-architecture variant (x86_64_v3) or a build that cannot be verified
        }

        try
        {
            if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            {
                throw new FormatException($"\"sha256\" is '{sha256}', not 64 hex digits");
            }

            return new PythonBuild(
                Required(value, "name"), Number(value, "major"), Number(value, "minor"), Number(value, "patch"), Text(value, "prerelease") ?? "",
                BuildPlatform.Of(Required(value, "os"), arch, Text(value, "libc")), Required(value, "url"), sha256);
        }
        catch (FormatException e)
        {
            throw Invalid(source, $"the entry \"{entry.Name}\" is not a build: {e.Message}");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name) =>
        Text(element, name) is { Length: > 0 } text ? text : throw new FormatException($"\"{name}\" is missing or not a string");

    private static int Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0
            ? number
            : throw new FormatException($"\"{name}\" is missing or not a whole number");

    private static PythonEnvException Invalid(string source, string what) =>
        new(DiagnosticCodes.InvalidDownloadsManifest,
            $"The Python downloads manifest {source} cannot be used: {what}. PythonDownloadsManifest must name a file or URL in uv's download-metadata.json format.");
}
