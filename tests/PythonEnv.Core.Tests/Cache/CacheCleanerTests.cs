using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Cache;
using PythonEnv.Diagnostics;

namespace PythonEnv.Core.Tests.Cache;

/// <summary>Cache clean and prune: only the SDK's folders, never while a build uses the cache, freed bytes counted.</summary>
[TestClass]
public sealed class CacheCleanerTests
{
    private string _cache = "";

    [TestInitialize]
    public void CreateCache() => _cache = Path.Combine(Path.GetTempPath(), "pythonenv-cachetest-" + Guid.NewGuid().ToString("N"));

    [TestCleanup]
    public void DeleteCache()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private string Write(string relative, int bytes, DateTime? lastWrite = null)
    {
        var path = Path.Combine(_cache, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        if (lastWrite is { } time)
        {
            File.SetLastWriteTimeUtc(path, time);
            Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(path)!, time);
        }
        return path;
    }

    [TestMethod]
    public async Task Clean_removes_the_SDKs_folders_counts_their_bytes_and_keeps_anything_else()
    {
        Write("wheels-v1/ab/abcd/pkg/__init__.py", 100);
        Write("archives-v1/abcd/pkg-1.0-py3-none-any.whl", 1000);
        Write("http-v1/pages/x.json", 10);
        Write("locks/venv-1.lock", 0);
        Write("notes.txt", 5);

        var result = await CacheCleaner.CleanAsync(_cache);

        Assert.AreEqual(1110, result.Bytes);
        Assert.AreEqual(4, result.Entries);
        Assert.AreEqual("removed 4 entries (1.1 KiB)", result.Describe());
        CollectionAssert.AreEquivalent(new[] { CacheLock.FileName, "notes.txt" }, Array.ConvertAll(Directory.GetFileSystemEntries(_cache), p => Path.GetFileName(p)!));
    }

    [TestMethod]
    public async Task Clean_waits_for_builds_using_the_cache_and_fails_with_PYENV9002_when_they_do_not_finish()
    {
        Write("wheels-v1/ab/abcd/pkg/__init__.py", 100);
        var wait = CacheCleaner.WaitForBuilds;
        CacheCleaner.WaitForBuilds = TimeSpan.FromMilliseconds(300);
        try
        {
            using (await CacheLock.UseAsync(_cache))
            using (await CacheLock.UseAsync(_cache))
            {
                var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => CacheCleaner.CleanAsync(_cache));
                Assert.AreEqual(DiagnosticCodes.CacheInUse, error.Code, "two builds share the cache; the clean waits for both");
                Assert.IsTrue(File.Exists(Path.Combine(_cache, "wheels-v1/ab/abcd/pkg/__init__.py")));
            }

            Assert.AreEqual(100, (await CacheCleaner.CleanAsync(_cache)).Bytes);
        }
        finally
        {
            CacheCleaner.WaitForBuilds = wait;
        }
    }

    [TestMethod]
    public async Task Prune_removes_what_no_sync_used_within_the_age_and_keeps_what_a_sync_touched()
    {
        var old = DateTime.UtcNow.AddDays(-40);
        Write("wheels-v1/aa/aaaa/used/__init__.py", 10, old);
        Write("archives-v1/aaaa/used-1.0-py3-none-any.whl", 20, old);
        Write("wheels-v1/bb/bbbb/unused/__init__.py", 30, old);
        Write("archives-v1/bbbb/unused-1.0-py3-none-any.whl", 40, old);
        Write("wheels-v1/cc/cccc/recent/__init__.py", 50);
        Write("http-v1/pages/old.json", 60, old);
        Directory.SetLastWriteTimeUtc(Path.Combine(_cache, "wheels-v1/aa/aaaa"), old);
        Directory.SetLastWriteTimeUtc(Path.Combine(_cache, "wheels-v1/bb/bbbb"), old);
        CacheUsage.Touch(_cache, ["AAAA"]);

        var result = await CacheCleaner.PruneAsync(_cache, TimeSpan.FromDays(30));

        Assert.AreEqual(30 + 40 + 60, result.Bytes);
        Assert.IsTrue(Directory.Exists(Path.Combine(_cache, "wheels-v1/aa/aaaa")), "a sync used it");
        Assert.IsTrue(Directory.Exists(Path.Combine(_cache, "archives-v1/aaaa")));
        Assert.IsTrue(Directory.Exists(Path.Combine(_cache, "wheels-v1/cc/cccc")), "made recently, no sync recorded yet");
        Assert.IsFalse(Directory.Exists(Path.Combine(_cache, "wheels-v1/bb/bbbb")));
        Assert.IsFalse(Directory.Exists(Path.Combine(_cache, "archives-v1/bbbb")));
        Assert.IsFalse(File.Exists(Path.Combine(_cache, "http-v1/pages/old.json")));
    }
}
