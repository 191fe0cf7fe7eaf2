using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PythonEnv.TestIndex;

/// <summary>Under which names the pages announce a PEP 658 metadata file (PEP 714 renamed them).</summary>
public enum MetadataAttributes
{
    /// <summary>
    /// PEP 714 as written: JSON <c>core-metadata</c>; HTML <c>data-core-metadata</c> plus the legacy
    /// <c>data-dist-info-metadata</c> with the same value, which PEP 714 allows in HTML only.
    /// </summary>
    Pep714,

    /// <summary>Only the new names: JSON <c>core-metadata</c>, HTML <c>data-core-metadata</c>.</summary>
    CoreMetadataOnly,

    /// <summary>Only the names from before PEP 714: JSON <c>dist-info-metadata</c> (PEP 691), HTML <c>data-dist-info-metadata</c> (PEP 658).</summary>
    DistInfoMetadataOnly,

    /// <summary>PyPI's JSON before PEP 714, the bug PEP 714 tells of: the key <c>data-dist-info-metadata</c> (HTML as <see cref="DistInfoMetadataOnly"/>).</summary>
    PypiMisnamedJson,
}

/// <summary>Renders the simple API pages: PEP 691 JSON and PEP 503 HTML (with PEP 592, 629, 658, 714, 700 data).</summary>
internal static class SimplePages
{
    public const string JsonType = "application/vnd.pypi.simple.v1+json";
    public const string HtmlV1Type = "application/vnd.pypi.simple.v1+html";
    public const string HtmlType = "text/html";
    public const string DefaultApiVersion = "1.1";

    public static string RootHtml(IEnumerable<string> projects, string apiVersion = DefaultApiVersion)
    {
        var html = Head("Simple index", apiVersion);
        foreach (string project in projects)
            html.Append("    <a href=\"").Append(Attr(Names.Normalize(project))).Append("/\">").Append(Text(project)).Append("</a>\n");
        return Tail(html);
    }

    public static byte[] RootJson(IEnumerable<string> projects, string apiVersion = DefaultApiVersion) => Json(apiVersion, writer =>
    {
        writer.WriteStartArray("projects");
        foreach (string project in projects)
        {
            writer.WriteStartObject();
            writer.WriteString("name", project);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    public static string ProjectHtml(string project, IEnumerable<PublishedFile> files, Func<PublishedFile, string> url, bool metadataFiles, MetadataAttributes attributes, string apiVersion = DefaultApiVersion)
    {
        StringBuilder html = Head("Links for " + project, apiVersion);
        foreach (PublishedFile file in files)
        {
            Distribution d = file.Distribution;
            html.Append("    <a href=\"").Append(Attr(url(file) + "#sha256=" + d.Sha256)).Append('"');
            if (d.RequiresPython is not null) html.Append(" data-requires-python=\"").Append(Attr(d.RequiresPython)).Append('"');
            if (file.Yanked) html.Append(" data-yanked=\"").Append(Attr(file.YankedReason ?? "")).Append('"');
            if (metadataFiles && file.HasMetadataFile)
            {
                string value = "sha256=" + d.MetadataSha256;
                bool legacyOnly = attributes is MetadataAttributes.DistInfoMetadataOnly or MetadataAttributes.PypiMisnamedJson;
                if (!legacyOnly) html.Append(" data-core-metadata=\"").Append(value).Append('"');
                if (attributes != MetadataAttributes.CoreMetadataOnly) html.Append(" data-dist-info-metadata=\"").Append(value).Append('"');
            }
            html.Append('>').Append(Text(d.FileName)).Append("</a><br/>\n");
        }
        return Tail(html);
    }

    /// <summary>The PEP 691 project page; PEP 700's <c>versions</c>, <c>size</c> and <c>upload-time</c> only from API version 1.1 on.</summary>
    public static byte[] ProjectJson(string project, IReadOnlyList<PublishedFile> files, Func<PublishedFile, string> url, bool metadataFiles, MetadataAttributes attributes, string apiVersion = DefaultApiVersion) => Json(apiVersion, writer =>
    {
        bool pep700 = apiVersion != "1.0";
        writer.WriteString("name", Names.Normalize(project));
        writer.WriteStartArray("files");
        foreach (PublishedFile file in files)
        {
            Distribution d = file.Distribution;
            writer.WriteStartObject();
            writer.WriteString("filename", d.FileName);
            writer.WriteString("url", url(file));
            writer.WriteStartObject("hashes");
            writer.WriteString("sha256", d.Sha256);
            writer.WriteEndObject();
            if (d.RequiresPython is not null) writer.WriteString("requires-python", d.RequiresPython);
            if (file.YankedReason is not null) writer.WriteString("yanked", file.YankedReason);
            else writer.WriteBoolean("yanked", file.Yanked);
            bool metadata = metadataFiles && file.HasMetadataFile;
            MetadataKey(writer, JsonMetadataKey(attributes), metadata, d);
            if (!pep700)
            {
                writer.WriteEndObject();
                continue;
            }
            writer.WriteNumber("size", d.Size);
            writer.WriteString("upload-time", file.UploadTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (!pep700) return;
        writer.WriteStartArray("versions");
        foreach (string version in files.Select(f => f.Distribution.Version).Distinct(StringComparer.Ordinal)) writer.WriteStringValue(version);
        writer.WriteEndArray();
    });

    public static string FindLinksHtml(IEnumerable<PublishedFile> files, Func<PublishedFile, string> url)
    {
        StringBuilder html = Head("Links", DefaultApiVersion);
        foreach (PublishedFile file in files)
            html.Append("    <a href=\"").Append(Attr(url(file) + "#sha256=" + file.Distribution.Sha256)).Append("\">")
                .Append(Text(file.FileName)).Append("</a><br/>\n");
        return Tail(html);
    }

    /// <summary>The one JSON key: PEP 714 gives JSON no legacy alias, since old pip broke on <c>dist-info-metadata</c>.</summary>
    private static string JsonMetadataKey(MetadataAttributes attributes) => attributes switch
    {
        MetadataAttributes.DistInfoMetadataOnly => "dist-info-metadata",
        MetadataAttributes.PypiMisnamedJson => "data-dist-info-metadata",
        _ => "core-metadata",
    };

    private static void MetadataKey(Utf8JsonWriter writer, string key, bool present, Distribution d)
    {
        if (!present)
        {
            writer.WriteBoolean(key, false);
            return;
        }
        writer.WriteStartObject(key);
        writer.WriteString("sha256", d.MetadataSha256);
        writer.WriteEndObject();
    }

    private static byte[] Json(string apiVersion, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("meta");
            writer.WriteString("api-version", apiVersion);
            writer.WriteEndObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static StringBuilder Head(string title, string apiVersion) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html>\n  <head>\n")
        .Append("    <meta name=\"pypi:repository-version\" content=\"").Append(Attr(apiVersion)).Append("\">\n")
        .Append("    <title>").Append(Text(title)).Append("</title>\n  </head>\n  <body>\n")
        .Append("    <h1>").Append(Text(title)).Append("</h1>\n");

    private static string Tail(StringBuilder html) => html.Append("  </body>\n</html>\n").ToString();

    /// <summary>Escapes an attribute value: <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>&quot;</c> become entities.</summary>
    private static string Attr(string value) => WebUtility.HtmlEncode(value);

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
