using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PythonEnv.Environments;

/// <summary>
/// Runs file-system work over a list on every core. File operations wait on the kernel as much as they compute,
/// so twice as many workers as cores keep the cores busy. The first failure stops the rest and is rethrown as
/// itself (not wrapped), so a <see cref="Diagnostics.PythonEnvException"/> keeps its code and place.
/// </summary>
internal static class Parallelism
{
    public static int Workers { get; } = Math.Max(2, Environment.ProcessorCount * 2);

    public static void ForEach<T>(IReadOnlyList<T> items, Action<T> body, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }
        try
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, items.Count, Math.Max(1, items.Count / (Workers * 8))),
                new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken },
                (range, state) =>
                {
                    for (var i = range.Item1; i < range.Item2 && !state.ShouldExitCurrentIteration; i++)
                    {
                        body(items[i]);
                    }
                });
        }
        catch (AggregateException error)
        {
            ExceptionDispatchInfo.Capture(error.Flatten().InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Maps every item, results in the items' order.</summary>
    public static List<TResult> Map<T, TResult>(IReadOnlyList<T> items, Func<T, TResult> body, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        var indexes = new int[items.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }
        ForEach(indexes, i => results[i] = body(items[i]), cancellationToken);
        return new List<TResult>(results);
    }
}
