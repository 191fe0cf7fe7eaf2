using System;
using System.IO;
using System.IO.Compression;
using PythonEnv.IO;

namespace PythonEnv.Packaging;

/// <summary>Reads <c>{name}-{version}/PKG-INFO</c> from an sdist (<c>.tar.gz</c> or <c>.zip</c>) without unpacking it.</summary>
internal static class SdistMetadata
{
    public static CoreMetadata Read(string path, string fileName)
    {
        using var stream = File.OpenRead(path);
        var bytes = fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? FromZip(stream) : TarArchive.ReadFirstGz(stream, IsPkgInfo);
        return CoreMetadata.Parse(bytes ?? throw new InvalidDataException($"{fileName} has no top-level PKG-INFO."));
    }

    private static byte[]? FromZip(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            if (IsPkgInfo(entry.FullName))
            {
                using var entryStream = entry.Open();
                using var buffer = new MemoryStream();
                entryStream.CopyTo(buffer);
                return buffer.ToArray();
            }
        }

        return null;
    }

    private static bool IsPkgInfo(string name)
    {
        var parts = name.TrimStart('.', '/').Split('/');
        return parts.Length == 2 && parts[1] == "PKG-INFO";
    }
}
