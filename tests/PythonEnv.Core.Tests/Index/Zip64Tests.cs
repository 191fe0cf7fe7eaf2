using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Core.Tests.TestIndex;
using PythonEnv.Index;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Index;

/// <summary>
/// METADATA out of zip64 wheels (APPNOTE 4.3.14-4.3.16, 4.5.3): the zip64 end record found through its locator,
/// sizes and offsets taken from the zip64 extra field in order, whether each structure is in the first read or not.
/// </summary>
[TestClass]
public sealed class Zip64Tests
{
    /// <summary>A wheel whose METADATA follows 200 KB of incompressible data, so the wheel is longer than the first read.</summary>
    private static Distribution Wheel(Zip64Form form)
    {
        var spec = new PackageSpec("big-thing", "1.0") { RequiresPython = ">=3.9" };
        spec.RequiresDist.Add("dep>=1");
        var payload = new byte[200_000];
        new Random(64).NextBytes(payload);
        return new WheelBuilder(spec) { Zip64 = form }.AddRawEntry("big_thing/payload.bin", payload).Build();
    }

    /// <summary>A local file as a range source that counts its reads.</summary>
    private sealed class CountingSource(string path) : IRangeSource
    {
        private readonly FileRangeSource _file = new(path);

        public int Reads { get; private set; }

        public long Length => _file.Length;

        public Task<byte[]> ReadAsync(long offset, int count, CancellationToken ct)
        {
            Reads++;
            return _file.ReadAsync(offset, count, ct);
        }
    }

    [TestMethod]
    [DataRow(Zip64Form.Everything, WheelMetadataReader.TailSize, 1, DisplayName = "everything zip64, all in the first read")]
    [DataRow(Zip64Form.OffsetsOnly, WheelMetadataReader.TailSize, 1, DisplayName = "offsets zip64, all in the first read")]
    [DataRow(Zip64Form.Everything, 22 + 20 + 56, 3, DisplayName = "everything zip64, first read holds the end records only")]
    [DataRow(Zip64Form.Everything, 22, 5, DisplayName = "everything zip64, every structure read on its own")]
    [DataRow(Zip64Form.OffsetsOnly, 22, 5, DisplayName = "offsets zip64, every structure read on its own")]
    [DataRow(Zip64Form.None, 22, 3, DisplayName = "plain zip, every structure read on its own")]
    public async Task Metadata_is_read_from_zip64_structures_inside_or_outside_the_first_read(Zip64Form form, int tailSize, int reads)
    {
        var wheel = Wheel(form);
        using var temp = new TempFolder();
        var source = new CountingSource(wheel.WriteTo(temp.Path));

        var metadata = await WheelMetadataReader.ReadAsync(source, wheel.FileName, tailSize, CancellationToken.None);

        CollectionAssert.AreEqual(wheel.Metadata, metadata);
        Assert.AreEqual(reads, source.Reads);
    }

    [TestMethod]
    [DataRow(Zip64Form.None)]
    [DataRow(Zip64Form.Everything)]
    public async Task The_end_records_are_found_behind_the_longest_archive_comment(Zip64Form form)
    {
        var wheel = Wheel(form);
        var bytes = wheel.Content;
        BitConverter.GetBytes(ushort.MaxValue).CopyTo(bytes, bytes.Length - 2);
        var commented = bytes.Concat(Enumerable.Repeat((byte)'#', ushort.MaxValue)).ToArray();
        using var temp = new TempFolder();
        var path = temp.Combine(wheel.FileName);
        File.WriteAllBytes(path, commented);
        using (var zip = new ZipArchive(new MemoryStream(commented), ZipArchiveMode.Read))
        {
            Assert.AreEqual(ushort.MaxValue, zip.Comment.Length, "a valid zip with a 65,535-byte comment");
        }

        var source = new CountingSource(path);
        var metadata = await WheelMetadataReader.ReadAsync(source, wheel.FileName, CancellationToken.None);

        CollectionAssert.AreEqual(wheel.Metadata, metadata);
        Assert.AreEqual(1, source.Reads, "the first read reaches past the longest comment to the end record, its locator and this small directory");
    }

    [TestMethod]
    [DataRow(Zip64Form.Everything)]
    [DataRow(Zip64Form.OffsetsOnly)]
    public void The_test_wheels_really_are_zip64_and_valid(Zip64Form form)
    {
        var bytes = Wheel(form).Content;
        var eocd = bytes.Length - 22;

        Assert.AreEqual(0x07064b50u, BitConverter.ToUInt32(bytes, eocd - 20), "the zip64 locator sits before the end record");
        Assert.AreEqual(uint.MaxValue, BitConverter.ToUInt32(bytes, eocd + 16), "the classic end record defers the directory offset to zip64");
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.AreEqual(200_000, zip.GetEntry("big_thing/payload.bin")!.Length);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "range requests")]
    [DataRow(true, DisplayName = "no range requests: the whole wheel")]
    public async Task A_zip64_wheel_without_a_metadata_file_is_read_over_http(bool noRanges)
    {
        await using var fx = await IndexFixture.StartAsync();
        fx.Server.Switches.NoMetadataFiles = true;
        fx.Server.Switches.NoRangeRequests = noRanges;
        var wheel = Wheel(Zip64Form.Everything);
        fx.Server.Publish(wheel);
        using var client = fx.Client();

        var metadata = await client.GetMetadataAsync(await IndexFixture.OnlyFileAsync(client, "big-thing"), CancellationToken.None);

        Assert.AreEqual("dep>=1", metadata.RequiresDist.Single().ToString());
        var requests = fx.Server.Log.For(wheel.FileName);
        if (noRanges)
        {
            Assert.AreEqual(200, requests[^1].StatusCode);
        }
        else
        {
            Assert.HasCount(1, requests, "the suffix range holds every structure");
            Assert.AreEqual(206, requests[0].StatusCode);
        }
    }

    [TestMethod]
    public async Task A_zip64_wheel_in_a_find_links_folder_is_read_in_place()
    {
        await using var fx = await IndexFixture.StartAsync();
        var wheel = Wheel(Zip64Form.OffsetsOnly);
        var folder = Path.Combine(fx.Root, "wheels");
        wheel.WriteTo(folder);
        using var client = fx.Client(fx.Options(findLinks: [folder]));

        var metadata = await client.GetMetadataBytesAsync(await IndexFixture.OnlyFileAsync(client, "big-thing"), CancellationToken.None);

        CollectionAssert.AreEqual(wheel.Metadata, metadata);
        Assert.AreEqual(0, fx.Server.Log.Count());
    }
}
