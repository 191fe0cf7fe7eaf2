using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// Where each package comes from, as NuGet's package source mapping and uv's indexes and sources: the indexes searched
/// in order (find-links, the non-explicit named indexes, <c>PythonIndexUrl</c> or the named default index, the extra
/// indexes), explicit indexes asked only for what is pinned to them, and the pins themselves (declared ones, then
/// <c>PythonTorchBackend</c>'s for the PyTorch packages no declaration pins).
/// </summary>
public sealed record SourceMapping(IndexClientOptions Options, IndexRoutes Routes)
{
    /// <param name="torchBackend">A resolved backend (<c>cpu</c>, <c>cu121</c>; never <c>auto</c>), or null for none.</param>
    /// <param name="torchIndexBase"><c>PythonTorchIndexUrl</c>: where the backends' indexes are (null: PyTorch's).</param>
    public static SourceMapping Build(IndexClientOptions options, IReadOnlyList<NamedIndex> indexes, IReadOnlyList<IndexPin> pins,
        string? torchBackend = null, string? torchIndexBase = null, string? projectDirectory = null)
    {
        var named = new Dictionary<string, (NamedIndex Index, Uri Url)>(StringComparer.Ordinal);
        foreach (var index in indexes.Where(index => !named.ContainsKey(index.Name)))
        {
            named[index.Name] = (index, UrlText.AsDirectory(IndexClientOptions.ParseLocation(index.Url, $"the index '{index.Name}'", projectDirectory)));
        }

        var searched = named.Values.Where(entry => !entry.Index.Explicit && !entry.Index.Default).Select(entry => entry.Url).ToList();
        // A named default index takes PyPI's place, as uv's default = true; an index the user set (PythonIndexUrl,
        // PIP_INDEX_URL) stays the default.
        var primary = options.IndexUrls[0];
        if (named.Values.FirstOrDefault(entry => entry.Index.Default && !entry.Index.Explicit) is { Url: { } defaultUrl }
            && primary.Equals(IndexClientOptions.DefaultIndexUrl))
        {
            primary = defaultUrl;
        }

        searched.Add(primary);
        searched.AddRange(options.IndexUrls.Skip(1));
        var routes = pins.Select(pin => new IndexRoute(pin.Package, named[pin.Index].Url, pin.Index, pin.Marker, pin.Location.ToString())).ToList();
        var explicitUrls = named.Values.Where(entry => entry.Index.Explicit).Select(entry => entry.Url).ToList();
        if (torchBackend is not null)
        {
            var torch = TorchBackend.IndexUrl(torchBackend, torchIndexBase);
            explicitUrls.Add(torch);
            var pinned = new HashSet<PackageName>(pins.Select(pin => pin.Package));
            routes.AddRange(TorchBackend.Packages.Select(PackageName.Parse).Where(package => !pinned.Contains(package))
                .Select(package => new IndexRoute(package, torch, "pytorch-" + torchBackend, null, "PythonTorchBackend")));
        }

        return new SourceMapping(
            options with { IndexUrls = searched.Distinct().ToList(), ExplicitIndexUrls = explicitUrls.Distinct().ToList() },
            new IndexRoutes(routes));
    }
}
