using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace PythonEnv.IO;

/// <summary>Reads one file out of a gzipped tar archive (an sdist) without unpacking it.</summary>
internal static class TarArchive
{
    /// <summary>
    /// The content of the first regular file whose path (ustar prefix, GNU long name or PAX <c>path</c> applied)
    /// <paramref name="match"/> accepts, walking the 512-byte header blocks of a <c>.tar.gz</c>; null when none does.
    /// </summary>
    public static byte[]? ReadFirstGz(Stream stream, Func<string, bool> match)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        var header = new byte[512];
        string? longName = null;
        while (ReadBlock(gzip, header))
        {
            if (header[0] == 0)
            {
                return null;
            }

            var name = longName ?? Text(header, 0, 100);
            longName = null;
            var prefix = Text(header, 345, 155);
            if (prefix.Length > 0 && header[257] == (byte)'u')
            {
                name = prefix + "/" + name;
            }

            var size = Convert.ToInt64(Text(header, 124, 12).Trim().Length == 0 ? "0" : Text(header, 124, 12).Trim(), 8);
            var type = (char)header[156];
            var content = new byte[size];
            var read = 0;
            while (read < size)
            {
                var n = gzip.Read(content, read, (int)Math.Min(size - read, 81920));
                if (n <= 0)
                {
                    throw new InvalidDataException("truncated sdist archive");
                }

                read += n;
            }

            var padding = (int)((512 - (size % 512)) % 512);
            if (padding > 0)
            {
                ReadBlock(gzip, new byte[padding]);
            }

            if (type == 'x')
            {
                longName = PaxPath(content);
            }
            else if (type == 'L')
            {
                longName = Encoding.UTF8.GetString(content).TrimEnd('\0');
            }
            else if ((type == '0' || type == '\0') && match(name))
            {
                return content;
            }
        }

        return null;
    }

    private static string? PaxPath(byte[] content)
    {
        foreach (var record in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var space = record.IndexOf(' ');
            if (space > 0 && record.Substring(space + 1).StartsWith("path=", StringComparison.Ordinal))
            {
                return record.Substring(space + 6);
            }
        }

        return null;
    }

    private static string Text(byte[] block, int offset, int length)
    {
        var end = Array.IndexOf(block, (byte)0, offset, length);
        return Encoding.UTF8.GetString(block, offset, (end < 0 ? offset + length : end) - offset);
    }

    private static bool ReadBlock(Stream stream, byte[] block)
    {
        var read = 0;
        while (read < block.Length)
        {
            var n = stream.Read(block, read, block.Length - read);
            if (n <= 0)
            {
                return read > 0 ? throw new InvalidDataException("truncated sdist archive") : false;
            }

            read += n;
        }

        return true;
    }
}
