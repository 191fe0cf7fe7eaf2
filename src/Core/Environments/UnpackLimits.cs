namespace PythonEnv.Environments;

/// <summary>
/// How much a wheel may expand when it is unpacked into the cache. Every file is bounded by the size its
/// RECORD declares; the whole wheel by <see cref="MaxUnpackedSize"/> and by <see cref="MaxExpansion"/> times
/// the archive's size (zip bombs reach ratios of thousands by overlapping entries; real wheels stay below
/// ~20), once past <see cref="ExpansionAllowance"/>. Unpacking stops before a byte past a bound is written.
/// </summary>
public sealed record UnpackLimits
{
    /// <summary>The defaults: 16 GiB in all, 200 times the archive, at least 64 MiB whatever the archive's size.</summary>
    public static UnpackLimits Default { get; } = new();

    /// <summary>The most bytes one wheel may unpack to, however large its archive.</summary>
    public long MaxUnpackedSize { get; init; } = 16L << 30;

    /// <summary>The most bytes a wheel may unpack to per byte of its archive.</summary>
    public int MaxExpansion { get; init; } = 200;

    /// <summary>What any wheel may unpack to whatever its ratio (a small wheel of text compresses well).</summary>
    public long ExpansionAllowance { get; init; } = 64L << 20;

    /// <summary>The most bytes of RECORD read into memory.</summary>
    public long MaxRecordSize { get; init; } = 64L << 20;

    /// <summary>
    /// Archives up to this size are read into memory once and unpacked from there; larger ones are read from the
    /// file entry by entry (a speed trade, not a bound: both check the same).
    /// </summary>
    public long MaxInMemoryArchive { get; init; } = 64L << 20;

    /// <summary>The bound on everything a wheel archive of <paramref name="archiveSize"/> bytes unpacks to.</summary>
    internal long TotalFor(long archiveSize)
    {
        var byRatio = archiveSize > long.MaxValue / MaxExpansion ? long.MaxValue : archiveSize * MaxExpansion;
        var bound = byRatio > ExpansionAllowance ? byRatio : ExpansionAllowance;
        return bound < MaxUnpackedSize ? bound : MaxUnpackedSize;
    }
}
