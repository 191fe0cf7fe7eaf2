using System;
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
