using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// The global cache of unpacked wheels, keyed by the archive's sha256: an entry is unpacked once and found again,
/// a damaged one is not handed out and is replaced, and an unsafe wheel leaves nothing behind.
/// </summary>
[TestClass]
public sealed class WheelCacheTests
{
    private static (WheelCache Cache, string Wheel, Distribution Distribution) Setup(string name, Distribution? distribution = null)
    {
        var root = TestPython.TempFolder("wheelcache-" + name);
        distribution ??= new PackageSpec(name, "1.0").Wheel();
        return (new WheelCache(Path.Combine(root, "cache")), distribution.WriteTo(Path.Combine(root, "files")), distribution);
    }

    [TestMethod]
    public async Task An_added_wheel_is_found_by_its_sha256_in_either_case()
    {
        var (cache, wheel, distribution) = Setup("found");
        Assert.IsNull(cache.TryGet(distribution.Sha256));

        var added = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256.ToUpperInvariant());

        Assert.AreEqual(distribution.Sha256, added.Sha256);
        Assert.IsTrue(added.Directory.StartsWith(cache.Root, System.StringComparison.Ordinal));
        Assert.IsTrue(added.Files.All(file => File.Exists(added.PathOf(file.Path))));
        Assert.AreEqual(added.Directory, cache.TryGet(distribution.Sha256.ToUpperInvariant())?.Directory);
    }

    [TestMethod]
    public async Task A_second_add_returns_the_entry_without_unpacking_again()
    {
        var (cache, wheel, distribution) = Setup("again");
        var first = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        var module = first.PathOf(first.Files.First(file => file.Path.EndsWith(".py", System.StringComparison.Ordinal)).Path);
        var written = File.GetLastWriteTimeUtc(module);
        File.SetLastWriteTimeUtc(module, written.AddHours(-1));

        var second = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);

        Assert.AreEqual(first.Directory, second.Directory);
        Assert.AreEqual(written.AddHours(-1), File.GetLastWriteTimeUtc(module), "the files were not written again");
    }

    [TestMethod]
    public async Task An_entry_with_a_missing_file_is_not_handed_out_and_is_replaced_on_the_next_add()
    {
        var (cache, wheel, distribution) = Setup("missing");
        var entry = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        var module = entry.PathOf(entry.Files.First(file => file.Path.EndsWith(".py", System.StringComparison.Ordinal)).Path);
        File.Delete(module);

        Assert.IsNull(cache.TryGet(distribution.Sha256));
        var repaired = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        Assert.IsTrue(File.Exists(module));
        Assert.IsNotNull(cache.TryGet(distribution.Sha256, verifyHashes: true));
        Assert.AreEqual(entry.Directory, repaired.Directory);
    }

    [TestMethod]
    public async Task A_file_altered_in_place_is_caught_only_when_hashes_are_verified()
    {
        var (cache, wheel, distribution) = Setup("altered");
        var entry = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        var module = entry.PathOf(entry.Files.First(file => file.Path.EndsWith(".py", System.StringComparison.Ordinal)).Path);
        var bytes = File.ReadAllBytes(module);
        bytes[0] = (byte)(bytes[0] == (byte)'#' ? ' ' : '#');
        File.WriteAllBytes(module, bytes);

        Assert.IsNotNull(cache.TryGet(distribution.Sha256), "same size: the quick check passes");
        Assert.IsNull(cache.TryGet(distribution.Sha256, verifyHashes: true));
        await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256, verifyHashes: true);
        Assert.IsNotNull(cache.TryGet(distribution.Sha256, verifyHashes: true), "adding with verification replaces the altered entry");
    }

    [TestMethod]
    public async Task An_unsafe_wheel_is_PYENV4004_and_leaves_no_entry_or_temporary_folder()
    {
        var spec = new PackageSpec("escape", "1.0");
        var (cache, wheel, distribution) = Setup("unsafe", new WheelBuilder(spec).AddRawEntry("../../outside.py", "print('escaped')").Build());

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => cache.AddAsync(wheel, distribution.FileName, distribution.Sha256));

        Assert.AreEqual(DiagnosticCodes.InvalidWheel, error.Code);
        Assert.IsNull(cache.TryGet(distribution.Sha256));
        var shard = Path.Combine(cache.Root, distribution.Sha256.Substring(0, 2));
        Assert.IsFalse(Directory.Exists(shard) && Directory.EnumerateDirectories(shard).Any(), "no entry and no temporary folder");
    }
    [TestMethod]
    public async Task A_file_larger_than_the_copy_buffer_is_written_whole_and_checked_against_its_RECORD_hash()
    {
        var spec = new PackageSpec("large", "1.0");
        var noise = new byte[(1 << 20) + 12345]; // four buffer fills and a remainder
        new System.Random(7).NextBytes(noise);
        var (cache, wheel, distribution) = Setup("large", new WheelBuilder(spec).AddRawEntry("large/noise.bin", noise).Build());

        var entry = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);

        CollectionAssert.AreEqual(noise, File.ReadAllBytes(entry.PathOf("large/noise.bin")));
        Assert.AreEqual((long)noise.Length, entry.Files.Single(file => file.Path == "large/noise.bin").Size);
    }

    [TestMethod]
    public async Task An_archive_too_large_to_read_into_memory_is_unpacked_from_its_file_with_the_same_checks()
    {
        var spec = new PackageSpec("streamed", "1.0");
        var noise = new byte[300_000];
        new System.Random(11).NextBytes(noise);
        var (inMemory, wheel, distribution) = Setup("in-memory", new WheelBuilder(spec).AddRawEntry("streamed/noise.bin", noise).Build());
        var fromFile = new WheelCache(Path.Combine(Path.GetDirectoryName(inMemory.Root)!, "from-file"), new UnpackLimits { MaxInMemoryArchive = 0 });

        var expected = await inMemory.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        var actual = await fromFile.AddAsync(wheel, distribution.FileName, distribution.Sha256);

        CollectionAssert.AreEqual(expected.Files.ToList(), actual.Files.ToList());
        foreach (var file in actual.Files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(expected.PathOf(file.Path)), File.ReadAllBytes(actual.PathOf(file.Path)), file.Path);
        }

        var unsafeSpec = new PackageSpec("escape", "1.0");
        var (_, unsafeWheel, unsafeDistribution) = Setup("streamed-unsafe", new WheelBuilder(unsafeSpec).AddRawEntry("../../outside.py", "print('escaped')").Build());
        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => fromFile.AddAsync(unsafeWheel, unsafeDistribution.FileName, unsafeDistribution.Sha256));
        Assert.AreEqual(DiagnosticCodes.InvalidWheel, error.Code);

        var bomb = new PackageSpec("bomb", "1.0");
        var (_, bombWheel, bombDistribution) = Setup("streamed-bomb", new WheelBuilder(bomb).AddRawEntry("bomb/zeros.bin", new byte[8 << 20]).Build());
        var bounded = new WheelCache(Path.Combine(Path.GetDirectoryName(inMemory.Root)!, "bounded"), new UnpackLimits { MaxInMemoryArchive = 0, ExpansionAllowance = 1 << 20 });
        error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => bounded.AddAsync(bombWheel, bombDistribution.FileName, bombDistribution.Sha256));
        StringAssert.Contains(error.Message, "a zip bomb?");
    }

    [TestMethod]
    public async Task An_added_entry_is_handed_out_from_its_final_folder_with_what_its_manifest_records()
    {
        var (cache, wheel, distribution) = Setup("manifest");

        var added = await cache.AddAsync(wheel, distribution.FileName, distribution.Sha256);
        var reopened = cache.TryGet(distribution.Sha256)!;

        Assert.AreEqual(reopened.Directory, added.Directory);
        Assert.AreEqual(reopened.DistInfo, added.DistInfo);
        CollectionAssert.AreEqual(reopened.Files.ToList(), added.Files.ToList());
        Assert.IsTrue(added.Files.All(file => new FileInfo(added.PathOf(file.Path)).Length == file.Size));
    }
}
