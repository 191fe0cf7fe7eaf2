using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace PythonEnv.TestIndex;

/// <summary>Which parts of a wheel's zip structure are written in zip64 form (PKWARE APPNOTE 4.3.14-4.3.16, 4.5.3).</summary>
public enum Zip64Form
{
    /// <summary>A plain zip, as every wheel under 4 GiB normally is.</summary>
    None,

    /// <summary>
    /// Every size and offset moved to zip64 extended-information extra fields (local headers: the sizes;
    /// central headers: sizes and local-header offset), the classic end record saturated (<c>0xFFFF</c> counts,
    /// <c>0xFFFFFFFF</c> size and offset) and the zip64 end record and locator written, as <c>zip -fz</c> does.
    /// </summary>
    Everything,

    /// <summary>
    /// Only the local-header offsets and the central directory's offset in zip64 form: the layout of an archive
    /// past 4 GiB whose entries are small. Local headers stay classic; the zip64 extra field holds one value.
    /// </summary>
    OffsetsOnly,
}

/// <summary>Rewrites a classic zip (no data descriptors, no archive comment) into a <see cref="Zip64Form"/>.</summary>
internal static class Zip64
{
    private const uint LocalHeader = 0x04034b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const ushort Zip64ExtraId = 0x0001;
    private const ushort ExtendedTimestampId = 0x5455;
    private const ushort Zip64Version = 45;

    public static byte[] Rewrite(byte[] zip, Zip64Form form)
    {
        if (form == Zip64Form.None) return zip;
        ReadOnlySpan<byte> source = zip;
        int eocd = zip.Length - 22;
        if (U32(source, eocd) != EndOfCentralDirectory) throw new InvalidDataException("expected a zip without an archive comment");
        int count = U16(source, eocd + 10);
        int directory = (int)U32(source, eocd + 16);

        using var output = new MemoryStream();
        using var central = new MemoryStream();
        int at = directory;
        for (int i = 0; i < count; i++)
        {
            if (U32(source, at) != CentralHeader) throw new InvalidDataException("bad central header");
            int nameLength = U16(source, at + 28), extraLength = U16(source, at + 30), commentLength = U16(source, at + 32);
            uint compressed = U32(source, at + 20), uncompressed = U32(source, at + 24);
            int local = (int)U32(source, at + 42);
            if ((U16(source, at + 8) & 0x0008) != 0) throw new InvalidDataException("data descriptors are not supported");
            long newLocal = output.Position;
            WriteLocal(output, source, local, compressed, uncompressed, form);

            byte[] header = source.Slice(at, 46).ToArray();
            var extra = new MemoryStream();
            // An unrelated field first, as Info-ZIP writes, so readers must walk the extra fields rather than assume.
            WriteField(extra, ExtendedTimestampId, [0x01, 0x00, 0x00, 0x00, 0x5E]);
            extra.Write(source.Slice(at + 46 + nameLength, extraLength));
            var values = new List<ulong>();
            if (form == Zip64Form.Everything)
            {
                values.Add(uncompressed);
                values.Add(compressed);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), uint.MaxValue);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), uint.MaxValue);
            }
            values.Add((ulong)newLocal);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), uint.MaxValue);
            WriteField(extra, Zip64ExtraId, Values(values));
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), Zip64Version);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(30), checked((ushort)extra.Length));
            central.Write(header);
            central.Write(source.Slice(at + 46, nameLength));
            central.Write(extra.ToArray());
            central.Write(source.Slice(at + 46 + nameLength + extraLength, commentLength));
            at += 46 + nameLength + extraLength + commentLength;
        }

        long directoryOffset = output.Position;
        central.Position = 0;
        central.CopyTo(output);
        long record = output.Position;
        var writer = new BinaryWriter(output);
        writer.Write(0x06064b50u);           // zip64 end of central directory record
        writer.Write(44UL);                   // its size after this field
        writer.Write(Zip64Version);           // version made by
        writer.Write(Zip64Version);           // version needed
        writer.Write(0u);                     // this disk
        writer.Write(0u);                     // disk of the central directory
        writer.Write((ulong)count);           // entries on this disk
        writer.Write((ulong)count);           // entries in all
        writer.Write((ulong)central.Length);  // central directory size
        writer.Write((ulong)directoryOffset);
        writer.Write(0x07064b50u);           // zip64 end of central directory locator
        writer.Write(0u);
        writer.Write((ulong)record);
        writer.Write(1u);                     // disks in all
        bool everything = form == Zip64Form.Everything;
        writer.Write(EndOfCentralDirectory);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write(everything ? ushort.MaxValue : (ushort)count);
        writer.Write(everything ? ushort.MaxValue : (ushort)count);
        writer.Write(everything ? uint.MaxValue : (uint)central.Length);
        writer.Write(uint.MaxValue);          // the offset is what forces zip64 in both forms
        writer.Write((ushort)0);              // comment length
        writer.Flush();
        return output.ToArray();
    }

    private static void WriteLocal(MemoryStream output, ReadOnlySpan<byte> source, int at, uint compressed, uint uncompressed, Zip64Form form)
    {
        if (U32(source, at) != LocalHeader) throw new InvalidDataException("bad local header");
        int nameLength = U16(source, at + 26), extraLength = U16(source, at + 28);
        byte[] header = source.Slice(at, 30).ToArray();
        ReadOnlySpan<byte> name = source.Slice(at + 30, nameLength);
        ReadOnlySpan<byte> extra = source.Slice(at + 30 + nameLength, extraLength);
        ReadOnlySpan<byte> data = source.Slice(at + 30 + nameLength + extraLength, (int)compressed);
        if (form != Zip64Form.Everything)
        {
            output.Write(header);
            output.Write(name);
            output.Write(extra);
            output.Write(data);
            return;
        }

        var fields = new MemoryStream();
        fields.Write(extra);
        WriteField(fields, Zip64ExtraId, Values([uncompressed, compressed]));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), Zip64Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), uint.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), checked((ushort)fields.Length));
        output.Write(header);
        output.Write(name);
        output.Write(fields.ToArray());
        output.Write(data);
    }

    private static byte[] Values(IReadOnlyList<ulong> values)
    {
        var bytes = new byte[8 * values.Count];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    private static void WriteField(MemoryStream target, ushort id, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(head, id);
        BinaryPrimitives.WriteUInt16LittleEndian(head.Slice(2), checked((ushort)data.Length));
        target.Write(head);
        target.Write(data);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at));

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at));
}
