using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>
/// Which projects' pages the client asks the index about again although the HTTP cache holds them fresh
/// (within <c>Cache-Control: max-age</c>), like uv's <c>--refresh</c> and <c>--refresh-package</c>. An
/// upgrade needs this: a version published within PyPI's ten-minute <c>max-age</c> is otherwise invisible.
/// A refreshed page is revalidated (<c>If-None-Match</c>/<c>If-Modified-Since</c>, so a 304 keeps the
/// cached body) at most once per client: entries stored after the client started count as refreshed.
/// Distribution files and metadata files are never refreshed: an index never changes a published file.
/// </summary>
public sealed class CacheRefresh
{
    private readonly HashSet<PackageName> _packages;

    private CacheRefresh(bool all, IEnumerable<PackageName> packages)
    {
        IsAll = all;
        _packages = new HashSet<PackageName>(packages);
    }

    /// <summary>Use fresh cached pages as they are (the default).</summary>
    public static CacheRefresh None { get; } = new(false, []);

    /// <summary>Revalidate every project page, and the find-links pages.</summary>
    public static CacheRefresh All { get; } = new(true, []);

    /// <summary>Revalidate these projects' pages (and a find-links page when one of them is looked up there).</summary>
    public static CacheRefresh Packages(IEnumerable<PackageName> names)
    {
        _ = names ?? throw new ArgumentNullException(nameof(names));
        var list = names.ToList();
        return list.Count == 0 ? None : new CacheRefresh(false, list);
    }

    /// <summary>Whether every page is refreshed.</summary>
    public bool IsAll { get; }

    /// <summary>The projects refreshed by name (empty for <see cref="None"/> and <see cref="All"/>).</summary>
    public IReadOnlyCollection<PackageName> PackageNames => _packages;

    /// <summary>Whether the pages of <paramref name="name"/> must be revalidated.</summary>
    public bool Covers(PackageName name) => IsAll || _packages.Contains(name);

    public override string ToString() =>
        IsAll ? "all" : _packages.Count == 0 ? "none" : string.Join(";", _packages.Select(p => p.Normalized).OrderBy(n => n, StringComparer.Ordinal));
}
