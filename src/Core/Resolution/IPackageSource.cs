using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>Where the resolver learns which versions exist and what they depend on.</summary>
public interface IPackageSource
{
    /// <summary>Every file of the project, or null when no configured source has it.</summary>
    Task<ProjectListing?> GetListingAsync(PackageName name, CancellationToken cancellationToken);

    /// <summary>Every file of the project on this one index (a pin names it), or null when that index does not have it.</summary>
    Task<ProjectListing?> GetListingFromAsync(PackageName name, Uri index, CancellationToken cancellationToken);

    /// <summary>The core metadata of one distribution file.</summary>
    Task<CoreMetadata> GetMetadataAsync(DistributionFile file, CancellationToken cancellationToken);
}

/// <summary>
/// The package source over the index client: listings and PEP 658 metadata (or a wheel's METADATA read by
/// range requests); for an sdist without a metadata file, the <c>PKG-INFO</c> of the downloaded archive,
/// which metadata 2.2+ makes authoritative for every field not marked <c>Dynamic</c>.
/// </summary>
public sealed class IndexPackageSource : IPackageSource
{
    private readonly IndexClient _client;

    public IndexPackageSource(IndexClient client) => _client = client;

    public async Task<ProjectListing?> GetListingAsync(PackageName name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetProjectAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (PythonEnvException e) when (e.Code == DiagnosticCodes.PackageNotFound)
        {
            return null;
        }
    }

    public async Task<ProjectListing?> GetListingFromAsync(PackageName name, Uri index, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetProjectFromAsync(name, index, cancellationToken).ConfigureAwait(false);
        }
        catch (PythonEnvException e) when (e.Code == DiagnosticCodes.PackageNotFound)
        {
            return null;
        }
    }

    public async Task<CoreMetadata> GetMetadataAsync(DistributionFile file, CancellationToken cancellationToken)
    {
        if (file.IsSdist && !file.HasCoreMetadata)
        {
            var path = await _client.DownloadAsync(file, cancellationToken).ConfigureAwait(false);
            var metadata = SdistMetadata.Read(path, file.Filename);
            // Metadata 2.2 makes PKG-INFO authoritative unless a field is marked Dynamic; older PKG-INFO files
            // are what the build backend wrote from the same configuration and are used as they are.
            if (metadata.IsDynamic("Requires-Dist"))
            {
                throw new InvalidOperationException($"{file.Filename} computes its dependencies at build time (Requires-Dist is Dynamic); building sdists to learn them is not supported.");
            }

            return metadata;
        }

        return CoreMetadata.Parse(await _client.GetMetadataBytesAsync(file, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>Reads <c>{name}-{version}/PKG-INFO</c> from an sdist (<c>.tar.gz</c> or <c>.zip</c>) without unpacking it.</summary>
internal static class SdistMetadata
{
    public static CoreMetadata Read(string path, string fileName)
    {
        using var stream = File.OpenRead(path);
        var bytes = fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? FromZip(stream) : FromTarGz(stream);
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

    /// <summary>Walks the ustar/PAX headers (512-byte blocks) until the first top-level PKG-INFO.</summary>
    private static byte[]? FromTarGz(Stream stream)
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
            else if ((type == '0' || type == '\0') && IsPkgInfo(name))
            {
                return content;
            }
        }

        return null;
    }

    private static bool IsPkgInfo(string name)
    {
        var parts = name.TrimStart('.', '/').Split('/');
        return parts.Length == 2 && parts[1] == "PKG-INFO";
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
