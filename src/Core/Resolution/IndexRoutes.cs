using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// A pin: <see cref="Package"/> comes only from <see cref="Index"/> wherever <see cref="Marker"/> holds (null:
/// everywhere), as uv's <c>[tool.uv.sources] torch = { index = "pytorch-cu121", marker = "..." }</c> and NuGet's
/// package source mapping. No other source is asked about the package there, so a newer copy on another index
/// never wins.
/// </summary>
/// <param name="IndexName">The index's name as declared (<c>pytorch-cu121</c>), for messages.</param>
/// <param name="DeclaredAt">Where the pin was written (<c>app.csproj(12,5)</c>), for messages.</param>
public sealed record IndexRoute(PackageName Package, Uri Index, string IndexName, MarkerExpression? Marker = null, string? DeclaredAt = null)
{
    /// <summary>How messages name the pin: <c>index 'pytorch-cu121' (https://download.pytorch.org/whl/cu121/), the pin of torch at app.csproj(12)</c>.</summary>
    public string Describe() =>
        $"index '{IndexName}' ({UrlText.Display(Index)}), the pin of {Package}" + (Marker is null ? "" : $" where {Marker}") + (DeclaredAt is null ? "" : $" at {DeclaredAt}");

    /// <summary>The pin as the lock's manifest records it: <c>torch from https://.../cu121/ ; sys_platform != "darwin"</c> (no credentials).</summary>
    public string ManifestText(Func<string, string> portable) =>
        $"{Package.Normalized} from {portable(Index.AbsoluteUri)}" + (Marker is null ? "" : $" ; {Marker}");
}

/// <summary>
/// Which index serves which package: the pins of one project. A package without a pin where it is needed is
/// searched on the configured (non-explicit) indexes in order; a pinned one only on its index. Pins that differ by
/// marker cut a universal resolution along their markers, so each fork sees one index per package and the lock
/// gets one entry per index, each under its marker.
/// </summary>
public sealed class IndexRoutes
{
    public static readonly IndexRoutes None = new([]);

    private readonly Dictionary<PackageName, List<IndexRoute>> _byPackage;

    /// <summary>Routes of one package must not overlap (two indexes where both markers hold): the declarations are checked for that.</summary>
    public IndexRoutes(IEnumerable<IndexRoute> routes)
    {
        All = routes.ToList();
        _byPackage = All.GroupBy(route => route.Package).ToDictionary(group => group.Key, group => group.ToList());
    }

    public IReadOnlyList<IndexRoute> All { get; }

    /// <summary>
    /// The markers a universal fork must be cut along before <paramref name="name"/> can be listed: those of its pins
    /// that hold in part of the fork only. Empty when one index (or none) serves it throughout.
    /// </summary>
    internal IReadOnlyList<MarkerExpression> Cuts(PackageName name, MarkerScope scope)
    {
        if (!scope.IsUniversal || !_byPackage.TryGetValue(name, out var routes))
        {
            return [];
        }

        return routes.Where(route => route.Marker is { } marker && scope.Includes(marker, null) && !scope.Covers(marker, null))
            .Select(route => route.Marker!)
            .ToList();
    }

    /// <summary>The pin that serves <paramref name="name"/> throughout the scope, or null: the configured indexes, in order.</summary>
    internal IndexRoute? For(PackageName name, MarkerScope scope)
    {
        if (!_byPackage.TryGetValue(name, out var routes))
        {
            return null;
        }

        if (Cuts(name, scope).Count > 0)
        {
            throw new InvalidOperationException($"The fork {scope.Fork} was not cut along the pins of {name}.");
        }

        return routes.FirstOrDefault(route => route.Marker is null || scope.Covers(route.Marker, null));
    }
}
