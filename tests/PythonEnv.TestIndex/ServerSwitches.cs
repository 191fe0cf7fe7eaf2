namespace PythonEnv.TestIndex;

/// <summary>How a <see cref="TestIndexServer"/> behaves. Mutable while the server runs; each request reads the current values.</summary>
public sealed class ServerSwitches
{
    /// <summary>A legacy PEP 503 index: every page is <c>text/html</c>, whatever the <c>Accept</c> header says.</summary>
    public bool HtmlOnly { get; set; }

    /// <summary>
    /// The API version the pages announce (JSON <c>meta.api-version</c>, HTML <c>pypi:repository-version</c>).
    /// <c>"1.0"</c> also leaves out PEP 700's <c>versions</c>, <c>size</c> and <c>upload-time</c>; a future major
    /// such as <c>"2.0"</c> tests that clients refuse what they cannot read.
    /// </summary>
    public string ApiVersion { get; set; } = "1.1";

    /// <summary>No PEP 658 metadata files: pages announce none and <c>.metadata</c> URLs answer 404.</summary>
    public bool NoMetadataFiles { get; set; }

    /// <summary>Under which names pages announce metadata files: PEP 714's by default; the legacy ones test clients' fallback.</summary>
    public MetadataAttributes MetadataAttributes { get; set; } = MetadataAttributes.Pep714;

    /// <summary>Ignore <c>Range</c> headers (always 200 with the whole file) and send <c>Accept-Ranges: none</c>.</summary>
    public bool NoRangeRequests { get; set; }

    /// <summary>When set (with <see cref="Password"/>), every request needs HTTP basic auth; 401 otherwise.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>File URLs relative to the page (<c>../../files/x.whl</c>) instead of absolute <c>http://127.0.0.1:port/files/x.whl</c>.</summary>
    public bool RelativeFileUrls { get; set; }

    /// <summary><c>Cache-Control</c> of the index pages (PyPI's value by default). Null sends none.</summary>
    public string? PageCacheControl { get; set; } = "max-age=600, public";

    /// <summary><c>Cache-Control</c> of files and metadata files. Null sends none.</summary>
    public string? FileCacheControl { get; set; } = "max-age=365000000, immutable, public";

    /// <summary>
    /// Sends distribution files (<c>/files/</c>, not <c>.metadata</c>) at about this many bytes a second, in tenth-of-a-second
    /// chunks: a slow download, for progress reporting. Null sends them at full speed.
    /// </summary>
    public long? FileBytesPerSecond { get; set; }
}
