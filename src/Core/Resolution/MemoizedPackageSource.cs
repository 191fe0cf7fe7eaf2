using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// A package source that asks the underlying one once per project and once per file, for the length of one
/// resolution: every fork of a universal resolution reads the same listings and metadata, and reading them
/// again from the HTTP cache (with hash checks and parsing) would cost each fork as much as the first.
/// </summary>
internal sealed class MemoizedPackageSource : IPackageSource
{
    private readonly IPackageSource _source;
    private readonly ConcurrentDictionary<PackageName, Lazy<Task<ProjectListing?>>> _listings = new();
    private readonly ConcurrentDictionary<(PackageName, Uri), Lazy<Task<ProjectListing?>>> _pinnedListings = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<CoreMetadata>>> _metadata = new(StringComparer.Ordinal);

    public MemoizedPackageSource(IPackageSource source) => _source = source;

    public Task<ProjectListing?> GetListingAsync(PackageName name, CancellationToken cancellationToken) =>
        _listings.GetOrAdd(name, key => new Lazy<Task<ProjectListing?>>(() => _source.GetListingAsync(key, cancellationToken))).Value;

    public Task<ProjectListing?> GetListingFromAsync(PackageName name, Uri index, CancellationToken cancellationToken) =>
        _pinnedListings.GetOrAdd((name, index), key => new Lazy<Task<ProjectListing?>>(() => _source.GetListingFromAsync(key.Item1, key.Item2, cancellationToken))).Value;

    public Task<CoreMetadata> GetMetadataAsync(DistributionFile file, CancellationToken cancellationToken) =>
        _metadata.GetOrAdd(file.Url.AbsoluteUri, _ => new Lazy<Task<CoreMetadata>>(() => _source.GetMetadataAsync(file, cancellationToken))).Value;
}
