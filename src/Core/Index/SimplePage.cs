using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PythonEnv.Diagnostics;

namespace PythonEnv.Index;

/// <summary>One project page of a simple index (PEP 503 HTML or PEP 691 JSON), as the index wrote it.</summary>
internal sealed class SimplePage
{
    public List<DistributionFile> Files { get; } = new();

    /// <summary>PEP 700 <c>versions</c>, when the page has them (JSON, API 1.1+).</summary>
    public List<string>? Versions { get; set; }

    public const string JsonContentType = "application/vnd.pypi.simple.v1+json";

    /// <summary>PEP 691 content negotiation: JSON preferred, HTML accepted.</summary>
    public const string Accept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    /// <summary>
    /// A page as an index served it: PEP 691 JSON or PEP 503 HTML by its media type. Anything else (a login page
    /// served as <c>text/plain</c>, a proxy's <c>application/octet-stream</c>, no type at all) is PYENV5005, as is
    /// a truncated page: read as HTML it would only look like a project without usable versions.
    /// </summary>
    public static SimplePage Parse(byte[] body, string? contentType, Uri pageUrl, Uri source, bool allowJson = true)
    {
        var text = Encoding.UTF8.GetString(body);
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (allowJson && IsJson(mediaType))
        {
            return ParseJson(text, pageUrl, source);
        }

        if (!IsHtml(mediaType))
        {
            var expected = allowJson ? $"{JsonContentType} or HTML (text/html)" : "HTML (text/html)";
            throw Invalid(pageUrl, mediaType.Length == 0
                ? $"the answer has no Content-Type; an index page must be {expected}"
                : $"it was served as '{mediaType}', which is neither {expected}. Check that the URL points at a simple index (PythonIndexUrl, PythonExtraIndexUrls, PythonFindLinks)");
        }

        return ParseHtml(text, pageUrl, source);
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || (mediaType.StartsWith("application/vnd.pypi.simple.", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));

    private static bool IsHtml(string mediaType) => mediaType is "text/html" or "application/xhtml+xml"
        || (mediaType.StartsWith("application/vnd.pypi.simple.", StringComparison.Ordinal) && mediaType.EndsWith("+html", StringComparison.Ordinal));

    /// <summary>
    /// PEP 691 JSON. <c>meta.api-version</c> is checked as PEP 629 says: an unknown major version is an
    /// error, a newer minor version is read as far as this client understands it.
    /// </summary>
    public static SimplePage ParseJson(string text, Uri pageUrl, Uri source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Invalid(pageUrl, "the JSON is malformed: " + e.Message);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(pageUrl, "the JSON is not an object");
            }

            if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("api-version", out var apiVersion) && apiVersion.ValueKind == JsonValueKind.String)
            {
                CheckApiVersion(apiVersion.GetString()!, pageUrl);
            }

            var page = new SimplePage();
            if (root.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array)
            {
                page.Versions = new List<string>();
                foreach (var v in versions.EnumerateArray())
                {
                    if (v.ValueKind == JsonValueKind.String)
                    {
                        page.Versions.Add(v.GetString()!);
                    }
                }
            }

            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(pageUrl, "the JSON has no 'files' list");
            }

            foreach (var file in files.EnumerateArray())
            {
                var filename = String(file, "filename");
                var url = String(file, "url");
                if (filename is null || url is null || !Uri.TryCreate(pageUrl, url, out var absolute))
                {
                    throw Invalid(pageUrl, "a file entry has no valid 'filename' and 'url'");
                }

                var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
                if (file.TryGetProperty("hashes", out var hashObject) && hashObject.ValueKind == JsonValueKind.Object)
                {
                    foreach (var hash in hashObject.EnumerateObject())
                    {
                        if (hash.Value.ValueKind == JsonValueKind.String)
                        {
                            hashes[hash.Name.ToLowerInvariant()] = hash.Value.GetString()!.ToLowerInvariant();
                        }
                    }
                }

                // PEP 714: 'core-metadata' replaces 'dist-info-metadata'; read the new key first. PyPI
                // served the old key as 'data-dist-info-metadata' for a while (the bug PEP 714 tells of).
                var metadata = file.TryGetProperty("core-metadata", out var m) ? m
                    : file.TryGetProperty("dist-info-metadata", out var legacy) ? legacy
                    : file.TryGetProperty("data-dist-info-metadata", out var misnamed) ? misnamed
                    : default;
                Dictionary<string, string>? metadataHashes = null;
                var hasMetadata = false;
                if (metadata.ValueKind == JsonValueKind.True)
                {
                    hasMetadata = true;
                }
                else if (metadata.ValueKind == JsonValueKind.Object)
                {
                    hasMetadata = true;
                    metadataHashes = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var hash in metadata.EnumerateObject())
                    {
                        if (hash.Value.ValueKind == JsonValueKind.String)
                        {
                            metadataHashes[hash.Name.ToLowerInvariant()] = hash.Value.GetString()!.ToLowerInvariant();
                        }
                    }
                }

                var yanked = file.TryGetProperty("yanked", out var y) ? y : default;
                var isYanked = yanked.ValueKind == JsonValueKind.True
                    || (yanked.ValueKind == JsonValueKind.String);
                var yankedReason = yanked.ValueKind == JsonValueKind.String && yanked.GetString()!.Length > 0 ? yanked.GetString() : null;

                long? size = file.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sizeValue) ? sizeValue : null;
                DateTimeOffset? uploadTime = String(file, "upload-time") is { } uploaded
                    && DateTimeOffset.TryParse(uploaded, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                    ? time : null;

                page.Files.Add(new DistributionFile(
                    filename, UrlText.WithoutUserInfo(absolute), hashes, String(file, "requires-python"),
                    isYanked, yankedReason, size, uploadTime, hasMetadata, metadataHashes, source)
                {
                    UploadTimeDigits = uploadTime is null ? 0 : FractionDigits(String(file, "upload-time")!),
                });
            }

            return page;
        }
    }

    /// <summary>How many digits follow the seconds' decimal point in an ISO 8601 time (<c>12:34:56.123456Z</c>: 6).</summary>
    private static int FractionDigits(string time)
    {
        var point = time.IndexOf('.', Math.Max(0, time.IndexOf('T')));
        var end = point + 1;
        while (point >= 0 && end < time.Length && char.IsDigit(time[end]))
        {
            end++;
        }

        return point < 0 ? 0 : end - point - 1;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Attribute lists may hold a raw '>' inside quotes (data-requires-python=">=3.8" on lax indexes).
    private const string Attrs = @"(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*)";
    private static readonly Regex Anchor = new(@"<a\b" + Attrs + @">(?<text>.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex Attribute = new(@"(?<name>[^\s=/>""']+)(?:\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>""']+)))?", RegexOptions.CultureInvariant);
    private static readonly Regex Base = new(@"<base\b" + Attrs + ">", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Meta = new(@"<meta\b" + Attrs + ">", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Tag = new(@"<[^>]*>", RegexOptions.CultureInvariant);

    /// <summary>
    /// PEP 503 HTML (also PEP 592 <c>data-yanked</c>, PEP 658/714 <c>data-core-metadata</c> and the legacy
    /// <c>data-dist-info-metadata</c>, PEP 629 <c>pypi:repository-version</c>), and flat find-links pages.
    /// Attribute values are HTML entity-decoded (<c>data-requires-python="&amp;gt;=3.8"</c>).
    /// </summary>
    public static SimplePage ParseHtml(string html, Uri pageUrl, Uri source)
    {
        var baseUrl = pageUrl;
        foreach (Match meta in Meta.Matches(html))
        {
            var attrs = Attributes(meta.Groups["attrs"].Value);
            if (attrs.TryGetValue("name", out var name) && name == "pypi:repository-version" && attrs.TryGetValue("content", out var content))
            {
                CheckApiVersion(content, pageUrl);
            }
        }

        if (Base.Match(html) is { Success: true } baseTag && Attributes(baseTag.Groups["attrs"].Value).TryGetValue("href", out var baseHref)
            && Uri.TryCreate(pageUrl, baseHref, out var resolvedBase))
        {
            baseUrl = resolvedBase;
        }

        var anchors = Anchor.Matches(html);
        CheckComplete(html, anchors.Count, pageUrl);
        var page = new SimplePage();
        foreach (Match anchor in anchors)
        {
            var attrs = Attributes(anchor.Groups["attrs"].Value);
            // The hash fragment is split off the text: file: URLs would keep a '#' as part of the path.
            if (!attrs.TryGetValue("href", out var href))
            {
                continue;
            }

            var hash = href.IndexOf('#');
            var fragment = hash < 0 ? "" : href.Substring(hash + 1);
            if (!Uri.TryCreate(baseUrl, hash < 0 ? href : href.Substring(0, hash), out var absolute))
            {
                continue;
            }

            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            var eq = fragment.IndexOf('=');
            if (eq > 0)
            {
                hashes[fragment.Substring(0, eq).ToLowerInvariant()] = fragment.Substring(eq + 1).ToLowerInvariant();
            }

            var withoutFragment = UrlText.WithoutUserInfo(absolute);
            var text = WebUtility.HtmlDecode(Tag.Replace(anchor.Groups["text"].Value, "")).Trim();
            var lastSegment = Uri.UnescapeDataString(withoutFragment.Segments[withoutFragment.Segments.Length - 1]);
            var filename = text.Length > 0 && text.IndexOf('/') < 0 ? text : lastSegment;

            attrs.TryGetValue("data-requires-python", out var requiresPython);
            var isYanked = attrs.TryGetValue("data-yanked", out var yankedReason);
            var hasMetadata = attrs.TryGetValue("data-core-metadata", out var metadata) || attrs.TryGetValue("data-dist-info-metadata", out metadata);
            Dictionary<string, string>? metadataHashes = null;
            if (hasMetadata)
            {
                var metadataEq = metadata!.IndexOf('=');
                if (metadataEq > 0)
                {
                    metadataHashes = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        [metadata.Substring(0, metadataEq).ToLowerInvariant()] = metadata.Substring(metadataEq + 1).ToLowerInvariant(),
                    };
                }
                else if (metadata.Length > 0 && !metadata.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    hasMetadata = false;
                }
            }

            page.Files.Add(new DistributionFile(
                filename, withoutFragment, hashes, string.IsNullOrEmpty(requiresPython) ? null : requiresPython,
                isYanked, string.IsNullOrEmpty(yankedReason) ? null : yankedReason, null, null, hasMetadata, metadataHashes, source));
        }

        return page;
    }

    private static readonly Regex AnchorStart = new(@"<a\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex HtmlStart = new(@"<html\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex HtmlEnd = new(@"</html\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// A page cut short (a dropped proxy connection with a consistent length, a half-written static file) ends
    /// inside a tag, leaves an anchor unclosed, or opens <c>&lt;html&gt;</c> without closing it. Its missing files
    /// would silently be missing versions, so it is PYENV5005 instead.
    /// </summary>
    private static void CheckComplete(string html, int anchors, Uri pageUrl)
    {
        var lastOpen = html.LastIndexOf('<');
        var opened = 0;
        for (var start = AnchorStart.Match(html); start.Success; start = start.NextMatch())
        {
            opened++;
        }

        var truncated = lastOpen >= 0 && html.IndexOf('>', lastOpen) < 0
            || opened > anchors
            || (HtmlStart.IsMatch(html) && !HtmlEnd.IsMatch(html));
        if (truncated)
        {
            throw Invalid(pageUrl, "the HTML is truncated (it ends before the page does). Try again; if it persists, the index or a proxy in between cuts the page short");
        }
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var attrs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in Attribute.Matches(text))
        {
            var name = match.Groups["name"].Value;
            if (!attrs.ContainsKey(name))
            {
                attrs.Add(name, WebUtility.HtmlDecode(match.Groups["v"].Value));
            }
        }

        return attrs;
    }

    private static void CheckApiVersion(string version, Uri pageUrl)
    {
        var dot = version.IndexOf('.');
        var majorText = dot < 0 ? version : version.Substring(0, dot);
        if (!int.TryParse(majorText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            throw Invalid(pageUrl, $"its API version '{version}' is not a version number");
        }

        if (major != 1)
        {
            throw Invalid(pageUrl, $"it uses simple repository API version {version}; this client reads version 1.x (PEP 629). Upgrade PythonEnv.Sdk or use another index");
        }
    }

    private static PythonEnvException Invalid(Uri pageUrl, string why) =>
        new(DiagnosticCodes.InvalidIndexResponse, $"Cannot read the index page {UrlText.Display(pageUrl)}: {why}.");
}
