using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>
/// The tags an interpreter supports, most preferred first (PEP 425, the platform compatibility tags spec).
/// A wheel is installable when any of its tags is in the list; among installable wheels the one whose best tag
/// comes earliest is preferred. The static generators reproduce the ones of the spec's reference implementation
/// (<c>packaging.tags</c>) for explicit arguments, so any interpreter can be described without running it.
/// </summary>
public sealed partial class PlatformTags : IReadOnlyList<WheelTag>
{
    private readonly WheelTag[] _tags;
    private readonly Dictionary<WheelTag, int> _ranks;

    /// <summary>A ranking from tags in preference order; a repeated tag keeps its first (best) place.</summary>
    public PlatformTags(IEnumerable<WheelTag> tagsInPreferenceOrder)
    {
        _ = tagsInPreferenceOrder ?? throw new ArgumentNullException(nameof(tagsInPreferenceOrder));
        var list = new List<WheelTag>();
        _ranks = new Dictionary<WheelTag, int>();
        foreach (var tag in tagsInPreferenceOrder)
        {
            if (!_ranks.ContainsKey(tag))
            {
                _ranks.Add(tag, list.Count);
                list.Add(tag);
            }
        }
        _tags = list.ToArray();
    }

    public int Count => _tags.Length;

    public WheelTag this[int index] => _tags[index];

    public IEnumerator<WheelTag> GetEnumerator() => ((IEnumerable<WheelTag>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _tags.GetEnumerator();

    /// <summary>The position of <paramref name="tag"/> in the list (0 = best), or null when unsupported.</summary>
    public int? Rank(WheelTag tag) => _ranks.TryGetValue(tag, out var rank) ? rank : null;

    /// <summary>The best (lowest) rank among <paramref name="tags"/>, or null when none is supported.</summary>
    public int? Rank(IEnumerable<WheelTag> tags)
    {
        int? best = null;
        foreach (var tag in tags)
        {
            if (_ranks.TryGetValue(tag, out var rank) && (best is null || rank < best))
            {
                best = rank;
            }
        }
        return best;
    }

    /// <summary>The wheel's best rank, or null when this interpreter cannot install it.</summary>
    public int? Rank(WheelFileName wheel) => Rank(wheel.Tags);

    public bool IsCompatible(WheelFileName wheel) => Rank(wheel) is not null;

    /// <summary>
    /// The items whose tags meet this list, best first; items of equal rank keep their order.
    /// </summary>
    public IEnumerable<T> SelectCompatible<T>(IEnumerable<T> items, Func<T, IEnumerable<WheelTag>> tagsOf)
    {
        var ranked = new List<(T Item, int Rank, int Index)>();
        var index = 0;
        foreach (var item in items)
        {
            if (Rank(tagsOf(item)) is int rank)
            {
                ranked.Add((item, rank, index));
            }
            index++;
        }
        return ranked.OrderBy(r => r.Rank).ThenBy(r => r.Index).Select(r => r.Item).ToList();
    }

    /// <summary>
    /// The wheel to install among <paramref name="wheels"/> (files of one release): the best-ranked compatible
    /// one, and among equally ranked ones the highest build tag, as installers do. Null when none fits.
    /// </summary>
    public WheelFileName? BestWheel(IEnumerable<WheelFileName> wheels)
    {
        WheelFileName? best = null;
        var bestRank = 0;
        foreach (var wheel in wheels)
        {
            if (Rank(wheel) is not int rank)
            {
                continue;
            }
            if (best is null || rank < bestRank || (rank == bestRank && CompareBuild(wheel.BuildTag, best.BuildTag) > 0))
            {
                best = wheel;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int CompareBuild(WheelBuildTag? a, WheelBuildTag? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.Value.CompareTo(b.Value);

    public override string ToString() => string.Join(", ", _tags.Take(5)) + (_tags.Length > 5 ? $", ... ({_tags.Length} tags)" : "");
}
