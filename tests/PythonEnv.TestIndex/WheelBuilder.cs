using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace PythonEnv.TestIndex;

/// <summary>How <see cref="WheelBuilder"/> spoils RECORD, for installer negative tests.</summary>
public enum RecordCorruption
{
    /// <summary>A correct RECORD.</summary>
    None,

    /// <summary>The first file's <c>sha256=</c> does not match its content.</summary>
    WrongHash,

    /// <summary>The first file's size does not match its content.</summary>
    WrongSize,

    /// <summary>The first file is missing from RECORD.</summary>
    MissingFile,

    /// <summary>The wheel has no RECORD at all.</summary>
    Omitted,
}

/// <summary>
/// Builds a wheel (binary distribution format 1.0) from a <see cref="PackageSpec"/>: the root files,
/// <c>.data/{scripts,data,headers,purelib,platlib}</c>, and <c>.dist-info/</c> with METADATA, WHEEL,
/// entry_points.txt and RECORD (urlsafe-base64 SHA-256 without padding, sizes, its own line empty).
/// Bytes are deterministic: fixed timestamps and modes, fixed entry order, .dist-info last.
/// </summary>
public sealed class WheelBuilder
{
    /// <summary>The timestamp of every entry (zip cannot store dates before 1980).</summary>
    public static readonly DateTimeOffset Timestamp = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal const int RegularFile = 0x81A4; // S_IFREG | 0644
    internal const int Executable = 0x81ED;  // S_IFREG | 0755
    private const int Symlink = 0xA1FF;     // S_IFLNK | 0777

    private readonly PackageSpec spec;
    private readonly List<(string Path, byte[] Content, int Mode, bool InRecord)> rawEntries = [];

    public WheelBuilder(PackageSpec spec) => this.spec = spec;

    /// <summary>The tag set of the file name; WHEEL gets one <c>Tag:</c> line per expanded tag.</summary>
    public string Tags { get; set; } = "py3-none-any";

    /// <summary>The optional build tag (must start with a digit), in the file name and WHEEL's <c>Build:</c>.</summary>
    public string? BuildTag { get; set; }

    /// <summary>WHEEL <c>Wheel-Version</c>.</summary>
    public string WheelVersion { get; set; } = "1.0";

    /// <summary>WHEEL <c>Root-Is-Purelib</c>; by default true exactly when every tag's platform is <c>any</c>.</summary>
    public bool? RootIsPurelib { get; set; }

    /// <summary>Replaces the generated METADATA text (e.g. to make it disagree with the file name).</summary>
    public string? MetadataOverride { get; set; }

    /// <summary>How RECORD is spoiled, if at all.</summary>
    public RecordCorruption RecordCorruption { get; set; }

    /// <summary>The Requires-Python the index advertises; by default the spec's.</summary>
    public string? AdvertisedRequiresPython { get; set; }

    /// <summary>Writes the zip's sizes and offsets in zip64 records, as a wheel past 4 GiB (or <c>zip -fz</c>) has them.</summary>
    public Zip64Form Zip64 { get; set; }

    /// <summary>Overrides the file name (the content still uses the spec's dist-info name).</summary>
    public string? FileNameOverride { get; set; }

    /// <summary>
    /// Names the <c>.dist-info</c> and <c>.data</c> folders <c>{value}.dist-info</c> instead of after the spec
    /// (e.g. <c>victim-1.0</c>, so the wheel's metadata claims to be another distribution's); the file name is unchanged.
    /// </summary>
    public string? DistInfoPrefixOverride { get; set; }

    /// <summary>Sizes RECORD declares instead of the true ones, by entry path (e.g. far less than an entry holds).</summary>
    public Dictionary<string, long> RecordSizeOverrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds an arbitrary entry, such as <c>../evil.py</c> or <c>/etc/evil</c>.</summary>
    public WheelBuilder AddRawEntry(string path, byte[] content, bool listInRecord = true, bool executable = false)
    {
        rawEntries.Add((path, content, executable ? Executable : RegularFile, listInRecord));
        return this;
    }

    /// <inheritdoc cref="AddRawEntry(string, byte[], bool, bool)"/>
    public WheelBuilder AddRawEntry(string path, string content, bool listInRecord = true, bool executable = false) =>
        AddRawEntry(path, Encoding.UTF8.GetBytes(content), listInRecord, executable);

    /// <summary>Adds a symbolic-link entry (Unix mode <c>S_IFLNK</c>, content = the link target).</summary>
    public WheelBuilder AddSymlink(string path, string target, bool listInRecord = true)
    {
        rawEntries.Add((path, Encoding.UTF8.GetBytes(target), Symlink, listInRecord));
        return this;
    }

    /// <summary>The <c>{name}-{version}</c> prefix of the .dist-info and .data directories.</summary>
    public string DistInfoPrefix => $"{Names.Escape(spec.Name)}-{Names.EscapeVersion(spec.Version)}";

    public string FileName => FileNameOverride ??
        (BuildTag is null ? $"{DistInfoPrefix}-{Tags}.whl" : $"{DistInfoPrefix}-{BuildTag}-{Tags}.whl");

    public Distribution Build()
    {
        IReadOnlyList<string> tags = Names.ExpandTags(Tags);
        bool purelib = RootIsPurelib ?? tags.All(t => t.EndsWith("-any", StringComparison.Ordinal));
        string distInfo = (DistInfoPrefixOverride ?? DistInfoPrefix) + ".dist-info";
        string data = (DistInfoPrefixOverride ?? DistInfoPrefix) + ".data";

        var entries = new List<(string Path, byte[] Content, int Mode, bool InRecord)>();
        void Add(string path, string content, int mode = RegularFile) => entries.Add((path, Encoding.UTF8.GetBytes(content), mode, true));

        foreach (KeyValuePair<string, string> file in spec.RootFiles()) Add(file.Key, file.Value);
        foreach (KeyValuePair<string, string> script in spec.Scripts) Add($"{data}/scripts/{script.Key}", PackageSpec.ScriptBody(script.Value), Executable);
        foreach (KeyValuePair<string, string> file in spec.DataFiles) Add($"{data}/data/{file.Key}", file.Value);
        foreach (KeyValuePair<string, string> file in spec.Headers) Add($"{data}/headers/{file.Key}", file.Value);
        foreach (KeyValuePair<string, string> file in spec.Purelib) Add($"{data}/purelib/{file.Key}", file.Value);
        foreach (KeyValuePair<string, string> file in spec.Platlib) Add($"{data}/platlib/{file.Key}", file.Value);
        entries.AddRange(rawEntries);

        string metadata = MetadataOverride ?? spec.CoreMetadata();
        Add($"{distInfo}/METADATA", metadata);
        var wheel = new StringBuilder();
        wheel.Append("Wheel-Version: ").Append(WheelVersion).Append('\n');
        wheel.Append("Generator: PythonEnv.TestIndex (1.0)\n");
        wheel.Append("Root-Is-Purelib: ").Append(purelib ? "true" : "false").Append('\n');
        foreach (string tag in tags) wheel.Append("Tag: ").Append(tag).Append('\n');
        if (BuildTag is not null) wheel.Append("Build: ").Append(BuildTag).Append('\n');
        Add($"{distInfo}/WHEEL", wheel.ToString());
        if (spec.EntryPoints() is { } entryPoints) Add($"{distInfo}/entry_points.txt", entryPoints);

        string recordPath = $"{distInfo}/RECORD";
        if (RecordCorruption != RecordCorruption.Omitted) Add(recordPath, Record(entries, recordPath));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string path, byte[] content, int mode, _) in entries)
            {
                ZipArchiveEntry entry = zip.CreateEntry(path, mode == Symlink ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                entry.LastWriteTime = Timestamp;
                entry.ExternalAttributes = mode << 16;
                using Stream stream = entry.Open();
                stream.Write(content);
            }
        }
        return new Distribution(spec.Name, spec.Version, FileName, TestIndex.Zip64.Rewrite(buffer.ToArray(), Zip64), DistributionKind.Wheel,
            Encoding.UTF8.GetBytes(metadata), AdvertisedRequiresPython ?? spec.RequiresPython);
    }

    private string Record(List<(string Path, byte[] Content, int Mode, bool InRecord)> entries, string recordPath)
    {
        var record = new StringBuilder();
        bool first = true;
        foreach ((string path, byte[] content, _, bool inRecord) in entries)
        {
            if (!inRecord) continue;
            string hash = RecordHash(content);
            long size = RecordSizeOverrides.TryGetValue(path, out long declared) ? declared : content.LongLength;
            if (first)
            {
                first = false;
                if (RecordCorruption == RecordCorruption.MissingFile) continue;
                if (RecordCorruption == RecordCorruption.WrongHash) hash = RecordHash(Encoding.UTF8.GetBytes("not the content"));
                if (RecordCorruption == RecordCorruption.WrongSize) size++;
            }
            record.Append(CsvField(path)).Append(",sha256=").Append(hash).Append(',').Append(size).Append('\n');
        }
        record.Append(CsvField(recordPath)).Append(",,\n");
        return record.ToString();
    }

    /// <summary>The RECORD form of a SHA-256: urlsafe base64 without '=' padding.</summary>
    public static string RecordHash(ReadOnlySpan<byte> content) =>
        Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
