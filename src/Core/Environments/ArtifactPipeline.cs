using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;

namespace PythonEnv.Environments;

/// <summary>
/// Gets every wheel a sync installs into the unpacked-wheel cache, before the venv is touched. Cache hits are
/// opened on every core at once. Misses are fetched several at a time (the index client bounds its connections
/// per host and keeps them alive) and each is unpacked as soon as its download lands, by as many unpackers as
/// there are cores, the largest first so the longest unpack is never left for last. The first failure cancels
/// the rest and is rethrown once all have stopped: cache entries appear whole or not at all, so the cache and
/// the venv are left as they were.
/// </summary>
internal static class ArtifactPipeline
{
    /// <summary>Downloads in flight at once (the index client's own gate and per-host connection limit apply too).</summary>
    public static int MaxDownloads { get; } = 8;

    /// <summary>Wheels unpacked (or sdists built) at once: unpacking is CPU and disk work.</summary>
    public static int MaxUnpacks { get; } = Math.Max(2, Environment.ProcessorCount);

    public static async Task<List<(PlannedPackage Package, (UnpackedWheel Wheel, string SourceSha256) Wheel)>> PrepareAsync(
        List<(PlannedPackage Package, PlannedArtifact Artifact)> work, WheelCache cache, SyncOptions options,
        PythonInterpreter interpreter, ISet<string> suspect, CancellationToken cancellationToken)
    {
        // Hits: the manifest read and every file's size checked, spread over the cores.
        var hits = Parallelism.Map(work, item => item.Artifact.IsWheel ? cache.TryGet(item.Artifact.Sha256, suspect.Contains(item.Package.NormalizedName)) : null, cancellationToken);
        var results = new (UnpackedWheel Wheel, string SourceSha256)?[work.Count];
        var misses = new List<int>();
        for (var i = 0; i < work.Count; i++)
        {
            if (hits[i] is { } hit)
            {
                results[i] = (hit, work[i].Artifact.Sha256);
            }
            else
            {
                misses.Add(i);
            }
        }
        if (misses.Count > 0)
        {
            misses = misses.OrderByDescending(i => work[i].Artifact.Size ?? 0).ThenBy(i => i).ToList();
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var downloads = new SemaphoreSlim(MaxDownloads);
            using var unpacks = new SemaphoreSlim(MaxUnpacks);
            var tasks = misses.Select(i => Task.Run(async () =>
            {
                var (package, artifact) = work[i];
                try
                {
                    string file;
                    await downloads.WaitAsync(failed.Token).ConfigureAwait(false);
                    try
                    {
                        file = await EnvironmentSync.FetchAsync(artifact, options, failed.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        downloads.Release();
                    }
                    await unpacks.WaitAsync(failed.Token).ConfigureAwait(false);
                    try
                    {
                        results[i] = await UnpackAsync(package, artifact, file, cache, options, interpreter, suspect.Contains(package.NormalizedName), failed.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        unpacks.Release();
                    }
                }
                catch (PythonEnvException error)
                {
                    failed.Cancel();
                    throw EnvironmentSync.At(package, error);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    failed.Cancel();
                    throw;
                }
            }, CancellationToken.None)).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                // Every task has stopped here; the error to report is the first real one, not a cancellation it caused.
                cancellationToken.ThrowIfCancellationRequested();
                var first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerExceptions[0]).FirstOrDefault(e => e is not OperationCanceledException);
                if (first is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
                }
                throw;
            }
        }
        return work.Select((item, i) => (item.Package, results[i]!.Value)).ToList();
    }

    /// <summary>A fetched wheel unpacked into the cache, or a fetched sdist built into a wheel and that unpacked.</summary>
    private static async Task<(UnpackedWheel Wheel, string SourceSha256)> UnpackAsync(
        PlannedPackage package, PlannedArtifact artifact, string file, WheelCache cache, SyncOptions options, PythonInterpreter interpreter,
        bool verify, CancellationToken cancellationToken)
    {
        if (artifact.IsWheel)
        {
            return (await cache.AddAsync(file, artifact.FileName, artifact.Sha256, verify, cancellationToken).ConfigureAwait(false), artifact.Sha256);
        }
        var (wheelPath, wheelSha) = await options.SdistBuilder!.BuildAsync(package, file, artifact.Sha256, interpreter, options, cancellationToken).ConfigureAwait(false);
        if (cache.TryGet(wheelSha, verify) is { } built)
        {
            return (built, artifact.Sha256);
        }
        return (await cache.AddAsync(wheelPath, Path.GetFileName(wheelPath), wheelSha, verify, cancellationToken).ConfigureAwait(false), artifact.Sha256);
    }
}
