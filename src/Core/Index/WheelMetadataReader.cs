using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;

namespace PythonEnv.Index;

/// <summary>Random access to the bytes of a file of known length (a local file, or HTTP range requests).</summary>
internal interface IRangeSource
{
    long Length { get; }

    Task<byte[]> ReadAsync(long offset, int count, CancellationToken ct);
}

/// <summary>A local file as a range source.</summary>
internal sealed class FileRangeSource : IRangeSource
{
    private readonly string _path;

    public FileRangeSource(string path)
    {
        _path = path;
        Length = new FileInfo(path).Length;
    }

    public long Length { get; }

    public Task<byte[]> ReadAsync(long offset, int count, CancellationToken ct)
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
        stream.Position = offset;
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = stream.Read(buffer, total, count - total);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            total += read;
        }

        return Task.FromResult(buffer);
    }
}

/// <summary>
/// Reads <c>{name}-{version}.dist-info/METADATA</c> out of a wheel touching only the zip's end of central
/// directory, the central directory and that one entry: three small reads, whatever the wheel's size.
/// </summary>
internal static class WheelMetadataReader
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64EndOfCentralDirectory = 0x06064b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint LocalHeader = 0x04034b50;

    /// <summary>
    /// How much of the end of a wheel to read first: enough for the directory of most wheels, and always for the
    /// end record with the longest comment (22 + 65,535 bytes) and the zip64 locator before it.
    /// </summary>
    public const int TailSize = 66 * 1024;

    public static Task<byte[]> ReadAsync(IRangeSource source, string wheelFilename, CancellationToken ct) =>
        ReadAsync(source, wheelFilename, TailSize, ct);

    /// <summary>As above, reading <paramref name="tailSize"/> bytes first; every structure outside them is read on its own.</summary>
    public static async Task<byte[]> ReadAsync(IRangeSource source, string wheelFilename, int tailSize, CancellationToken ct)
    {
        var tailLength = (int)Math.Min(source.Length, tailSize);
        var tailStart = source.Length - tailLength;
        var tail = await source.ReadAsync(tailStart, tailLength, ct).ConfigureAwait(false);

        var eocd = -1;
        for (var i = tail.Length - 22; i >= 0 && i >= tail.Length - 22 - 65535; i--)
        {
            if (U32(tail, i) == EndOfCentralDirectory)
            {
                eocd = i;
                break;
            }
        }

        if (eocd < 0)
        {
            throw new InvalidDataException("no zip end-of-central-directory record");
        }

        long directorySize = U32(tail, eocd + 12);
        long directoryOffset = U32(tail, eocd + 16);
        if (directoryOffset == 0xFFFFFFFF || directorySize == 0xFFFFFFFF)
        {
            // Zip64: the locator just before the classic record points at the 64-bit record.
            var locator = eocd >= 20 ? Slice(tail, eocd - 20, 20)
                : tailStart + eocd >= 20 ? await source.ReadAsync(tailStart + eocd - 20, 20, ct).ConfigureAwait(false)
                : null;
            if (locator is null || U32(locator, 0) != Zip64Locator)
            {
                throw new InvalidDataException("zip64 locator missing");
            }

            var recordOffset = (long)U64(locator, 8);
            if (recordOffset < 0 || recordOffset + 56 > source.Length)
            {
                throw new InvalidDataException("zip64 end-of-central-directory record out of range");
            }

            var record = recordOffset >= tailStart
                ? Slice(tail, (int)(recordOffset - tailStart), 56)
                : await source.ReadAsync(recordOffset, 56, ct).ConfigureAwait(false);
            if (U32(record, 0) != Zip64EndOfCentralDirectory)
            {
                throw new InvalidDataException("zip64 end-of-central-directory record missing");
            }

            directorySize = (long)U64(record, 40);
            directoryOffset = (long)U64(record, 48);
        }

        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > source.Length)
        {
            throw new InvalidDataException("central directory out of range");
        }

        var directory = directoryOffset >= tailStart && directoryOffset + directorySize <= source.Length
            ? Slice(tail, (int)(directoryOffset - tailStart), (int)directorySize)
            : await source.ReadAsync(directoryOffset, (int)directorySize, ct).ConfigureAwait(false);

        var entry = FindMetadata(directory, wheelFilename);

        // The local header's name and extra field lengths may differ from the central ones: read the
        // fixed part first when it is not already in hand.
        byte[] local;
        long localBase;
        if (entry.LocalOffset >= tailStart && entry.LocalOffset + 30 <= source.Length)
        {
            local = tail;
            localBase = tailStart;
        }
        else
        {
            local = await source.ReadAsync(entry.LocalOffset, (int)Math.Min(source.Length - entry.LocalOffset, 30 + entry.NameLength + 256 + entry.CompressedSize), ct).ConfigureAwait(false);
            localBase = entry.LocalOffset;
        }

        var at = (int)(entry.LocalOffset - localBase);
        if (U32(local, at) != LocalHeader)
        {
            throw new InvalidDataException("bad local file header");
        }

        var dataOffset = entry.LocalOffset + 30 + U16(local, at + 26) + U16(local, at + 28);
        var compressed = dataOffset >= localBase && dataOffset + entry.CompressedSize <= localBase + local.Length
            ? Slice(local, (int)(dataOffset - localBase), (int)entry.CompressedSize)
            : await source.ReadAsync(dataOffset, (int)entry.CompressedSize, ct).ConfigureAwait(false);

        byte[] data;
        switch (entry.Method)
        {
            case 0:
                data = compressed;
                break;
            case 8:
                using (var inflater = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress))
                using (var output = new MemoryStream())
                {
                    inflater.CopyTo(output);
                    data = output.ToArray();
                }

                break;
            default:
                throw new InvalidDataException($"METADATA uses zip compression method {entry.Method}");
        }

        if (data.Length != entry.UncompressedSize || Crc32.Compute(data) != entry.Crc)
        {
            throw new InvalidDataException("METADATA fails its zip CRC check");
        }

        return data;
    }

    private sealed record Entry(string Name, int Method, uint Crc, long CompressedSize, long UncompressedSize, long LocalOffset, int NameLength);

    private static Entry FindMetadata(byte[] directory, string wheelFilename)
    {
        var candidates = new List<Entry>();
        var at = 0;
        while (at + 46 <= directory.Length && U32(directory, at) == CentralHeader)
        {
            var method = U16(directory, at + 10);
            var crc = U32(directory, at + 16);
            long compressedSize = U32(directory, at + 20);
            long uncompressedSize = U32(directory, at + 24);
            var nameLength = U16(directory, at + 28);
            var extraLength = U16(directory, at + 30);
            var commentLength = U16(directory, at + 32);
            long localOffset = U32(directory, at + 42);
            if (at + 46 + nameLength + extraLength > directory.Length)
            {
                break;
            }

            var name = System.Text.Encoding.UTF8.GetString(directory, at + 46, nameLength);
            var slash = name.IndexOf('/');
            if (slash > 0 && name.Substring(0, slash).EndsWith(".dist-info", StringComparison.OrdinalIgnoreCase)
                && name.Substring(slash + 1) == "METADATA")
            {
                // Zip64 extended information: the 64-bit values replace the 0xFFFFFFFF ones, in order.
                var extra = at + 46 + nameLength;
                var extraEnd = extra + extraLength;
                while (extra + 4 <= extraEnd)
                {
                    var id = U16(directory, extra);
                    var size = U16(directory, extra + 2);
                    if (id == 1)
                    {
                        var field = extra + 4;
                        if (uncompressedSize == 0xFFFFFFFF) { uncompressedSize = (long)U64(directory, field); field += 8; }
                        if (compressedSize == 0xFFFFFFFF) { compressedSize = (long)U64(directory, field); field += 8; }
                        if (localOffset == 0xFFFFFFFF) { localOffset = (long)U64(directory, field); }
                    }

                    extra += 4 + size;
                }

                candidates.Add(new Entry(name, method, crc, compressedSize, uncompressedSize, localOffset, nameLength));
            }

            at += 46 + nameLength + extraLength + commentLength;
        }

        // The wheel spec names the folder {distribution}-{version}.dist-info, the file name's first two parts.
        var parts = wheelFilename.Split('-');
        var expected = parts.Length >= 2 ? parts[0] + "-" + parts[1] + ".dist-info/METADATA" : null;
        foreach (var candidate in candidates)
        {
            if (expected is not null && candidate.Name.Equals(expected, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return candidates.Count == 1 ? candidates[0] : throw new InvalidDataException(
            candidates.Count == 0 ? "the wheel has no .dist-info/METADATA" : "the wheel has several .dist-info folders and none matches its file name");
    }

    private static byte[] Slice(byte[] source, int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > source.Length)
        {
            throw new InvalidDataException("zip structure out of range");
        }

        var slice = new byte[count];
        Buffer.BlockCopy(source, offset, slice, 0, count);
        return slice;
    }

    private static int U16(byte[] b, int i) => i + 2 <= b.Length && i >= 0 ? b[i] | (b[i + 1] << 8) : throw new InvalidDataException("zip structure out of range");

    private static uint U32(byte[] b, int i) => i + 4 <= b.Length && i >= 0 ? (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) : throw new InvalidDataException("zip structure out of range");

    private static ulong U64(byte[] b, int i) => U32(b, i) | ((ulong)U32(b, i + 4) << 32);
}

/// <summary>CRC-32 (IEEE 802.3), as zip uses it to check each entry.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    public static uint Compute(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] Build()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
