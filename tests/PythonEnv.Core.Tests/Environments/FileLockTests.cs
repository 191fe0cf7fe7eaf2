using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// The cross-process lock that serializes builds on one venv, one cache entry or one sdist build: exclusive while
/// held, free again once disposed, waited for up to a limit, then PYENV4008 naming what is locked and where.
/// </summary>
[TestClass]
public sealed class FileLockTests
{
    private static string LockPath() => Path.Combine(TestPython.TempFolder("filelock"), "deep", "folder", "venv.lock");

    [TestMethod]
    public async Task A_free_lock_is_taken_and_its_folder_created()
    {
        var path = LockPath();
        using var held = await FileLock.AcquireAsync(path, "the virtual environment");
        Assert.AreEqual(path, held.Path);
        Assert.IsTrue(File.Exists(path));
    }

    [TestMethod]
    public async Task A_held_lock_cannot_be_taken_until_it_is_disposed()
    {
        var path = LockPath();
        var held = await FileLock.AcquireAsync(path, "the virtual environment");
        Assert.IsNull(FileLock.TryAcquire(path), "another handle cannot take a held lock");
        held.Dispose();
        using var again = FileLock.TryAcquire(path);
        Assert.IsNotNull(again, "a disposed lock is free");
    }

    [TestMethod]
    public async Task A_waiter_gets_the_lock_when_the_holder_lets_go()
    {
        var path = LockPath();
        var held = await FileLock.AcquireAsync(path, "the virtual environment");
        var waiting = FileLock.AcquireAsync(path, "the virtual environment", TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.IsFalse(waiting.IsCompleted, "the waiter waits while the lock is held");
        held.Dispose();
        using var taken = await waiting;
        Assert.IsNull(FileLock.TryAcquire(path));
    }

    [TestMethod]
    public async Task A_lock_held_too_long_is_PYENV4008_naming_what_and_where()
    {
        var path = LockPath();
        using var held = await FileLock.AcquireAsync(path, "the virtual environment");

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() =>
            FileLock.AcquireAsync(path, "the virtual environment /work/app/.venv", TimeSpan.FromMilliseconds(200)));

        Assert.AreEqual(DiagnosticCodes.LockTimeout, error.Code);
        Assert.AreEqual(path, error.File);
        Assert.Contains("the virtual environment /work/app/.venv", error.Message);
        Assert.Contains("Wait for it to finish", error.Message);
    }

    [TestMethod]
    public async Task Waiting_stops_when_the_build_is_canceled()
    {
        var path = LockPath();
        using var held = await FileLock.AcquireAsync(path, "the virtual environment");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            FileLock.AcquireAsync(path, "the virtual environment", TimeSpan.FromSeconds(30), cancellationToken: cancel.Token));
    }
}
