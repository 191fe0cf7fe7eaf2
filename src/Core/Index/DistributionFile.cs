using System;
using System.Collections.Generic;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>
/// One file a source offers for a project, with everything the index said about it (PEP 503, 592, 658,
/// 691, 700, 714). URLs never carry credentials.
/// </summary>
public sealed class DistributionFile
{
    public DistributionFile(
        string filename,
        Uri url,
        IReadOnlyDictionary<string, string> hashes,
        string? requiresPythonText,
        bool isYanked,
        string? yankedReason,
        long? size,
        DateTimeOffset? uploadTime,
        bool hasCoreMetadata,
        IReadOnlyDictionary<string, string>? coreMetadataHashes,
        Uri source)
    {
        Filename = filename;
        Url = UrlText.WithoutUserInfo(url);
        Hashes = hashes;
        RequiresPythonText = requiresPythonText;
        IsYanked = isYanked;
        YankedReason = yankedReason;
        Size = size;
        UploadTime = uploadTime;
        HasCoreMetadata = hasCoreMetadata;
        CoreMetadataHashes = coreMetadataHashes ?? new Dictionary<string, string>();
        Source = UrlText.WithoutUserInfo(source);
        // An index may carry a Requires-Python no specifier grammar accepts; the text is kept, the value is null.
        RequiresPython = SpecifierSet.TryParse(requiresPythonText, out var requiresPython) ? requiresPython : null;
        if (WheelFileName.TryParse(filename, out var wheel))
        {
            Wheel = wheel;
        }
        else if (SdistFileName.TryParse(filename, out var sdist))
        {
            Sdist = sdist;
        }
    }

    /// <summary>The file name, e.g. <c>requests-2.31.0-py3-none-any.whl</c>.</summary>
    public string Filename { get; }

    /// <summary>Absolute URL of the file (http(s) or file), without credentials or hash fragment.</summary>
    public Uri Url { get; }

    /// <summary>Hashes the index gave: algorithm (lower case, e.g. <c>sha256</c>) to lower-case hex.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; }

    /// <summary>The SHA-256 the index gave, or null.</summary>
    public string? Sha256 => Hashes.TryGetValue("sha256", out var hash) ? hash : null;

    /// <summary><c>Requires-Python</c> as the index wrote it (entities decoded), or null.</summary>
    public string? RequiresPythonText { get; }

    /// <summary><see cref="RequiresPythonText"/> parsed; null when absent or not a valid specifier set.</summary>
    public SpecifierSet? RequiresPython { get; }

    /// <summary>PEP 592: the file is yanked (still installable when pinned exactly).</summary>
    public bool IsYanked { get; }

    public string? YankedReason { get; }

    /// <summary>PEP 700 size in bytes, when the index gave it.</summary>
    public long? Size { get; }

    /// <summary>PEP 700 upload time, when the index gave it.</summary>
    public DateTimeOffset? UploadTime { get; }

    /// <summary>The digits of the fraction of a second the index wrote <see cref="UploadTime"/> with, so a lock keeps its precision.</summary>
    public int UploadTimeDigits { get; init; }

    /// <summary>PEP 658/714: the index serves the file's METADATA at <c>Url + ".metadata"</c>.</summary>
    public bool HasCoreMetadata { get; }

    /// <summary>Hashes of the <c>.metadata</c> file (may be empty even when it exists).</summary>
    public IReadOnlyDictionary<string, string> CoreMetadataHashes { get; }

    /// <summary>The index page, index or find-links location this file was listed by (no credentials).</summary>
    public Uri Source { get; }

    /// <summary>The parsed wheel file name, when this is a wheel with a valid name.</summary>
    public WheelFileName? Wheel { get; }

    /// <summary>The parsed sdist file name, when this is a source distribution with a valid name.</summary>
    public SdistFileName? Sdist { get; }

    /// <summary>The release this file belongs to, from its file name (null for other files: eggs, installers).</summary>
    public Pep440Version? Version => Wheel?.Version ?? Sdist?.Version;

    /// <summary>The project the file name says it belongs to.</summary>
    public PackageName? Project => Wheel?.Name ?? Sdist?.Name;

    public bool IsWheel => Wheel is not null;

    public bool IsSdist => Sdist is not null;

    /// <summary>The project a distribution file name belongs to, or null when it is no wheel or sdist name.</summary>
    internal static PackageName? ProjectOf(string filename) =>
        WheelFileName.TryParse(filename, out var wheel) ? wheel.Name
        : SdistFileName.TryParse(filename, out var sdist) ? sdist.Name
        : null;

    public override string ToString() => Filename;
}
