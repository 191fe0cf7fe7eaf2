using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace PythonEnv.Diagnostics;

/// <summary>The phases of a build's Python work whose time a summary line reports.</summary>
public enum ProgressPhase
{
    Resolve,
    Download,
    Unpack,
    Build,
    Link,
    Compile,
}

/// <summary>
/// Receives the long pieces of work (a download, an unpack, an sdist build) while they run. The engine calls it
/// where the work happens; how often and how it is shown is the reporter's business.
/// </summary>
public interface IProgressReporter
{
    /// <summary>Starts one piece of work of <paramref name="phase"/> (<paramref name="totalBytes"/> when known); dispose it when done.</summary>
    IProgressOperation Start(ProgressPhase phase, string subject, long? totalBytes = null);
}

/// <summary>One piece of work under way.</summary>
public interface IProgressOperation : IDisposable
{
    /// <summary><paramref name="bytes"/> more are done (thread-safe).</summary>
    void Advance(long bytes);
}

/// <summary>
/// Reports running work at most once per interval (a line such as <c>Downloading torch-2.5.1-….whl: 512.0 MiB of
/// 2.0 GiB (25.3 MiB/s)</c>), only for work that has run longer than one interval, so quick work and a build with
/// nothing to do print nothing; and sums up each phase that had work (<see cref="Summary"/>). Thread-safe: work may
/// run in parallel (the line names the longest-running piece and how many more run).
/// </summary>
public sealed class ThrottledProgress : IProgressReporter, IDisposable
{
    private readonly Action<string> _report;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _interval;
    private readonly Timer? _timer;
    private readonly object _gate = new();
    private readonly List<Operation> _running = [];
    private readonly Dictionary<ProgressPhase, PhaseTotals> _phases = [];
    private TimeSpan _lastReport = TimeSpan.MinValue;
    private bool _disposed;

    /// <param name="report">Receives each progress line.</param>
    /// <param name="interval">The shortest time between two lines (and how long work runs before its first line).</param>
    /// <param name="clock">The time since some fixed start; a stopwatch by default. A test passes its own and calls <see cref="Tick"/>.</param>
    public ThrottledProgress(Action<string> report, TimeSpan interval, Func<TimeSpan>? clock = null)
    {
        _report = report ?? throw new ArgumentNullException(nameof(report));
        _interval = interval;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            _clock = () => watch.Elapsed;
            // Lines come from a timer too, so a stalled download or a long build still says it is alive.
            _timer = new Timer(_ => Tick(), null, interval, interval);
        }
        else
        {
            _clock = clock;
        }
    }

    public IProgressOperation Start(ProgressPhase phase, string subject, long? totalBytes = null)
    {
        var operation = new Operation(this, phase, subject, totalBytes, _clock());
        lock (_gate)
        {
            _running.Add(operation);
            if (!_phases.TryGetValue(phase, out var totals))
            {
                _phases[phase] = totals = new PhaseTotals(operation.Started);
            }
            totals.Count++;
        }
        return operation;
    }

    /// <summary>Reports the running work when the last line is an interval old (the timer calls it; so does every advance).</summary>
    public void Tick()
    {
        // The line is reported under the lock: once Dispose has returned, no timer callback reports any more (a task
        // must not log after it ends).
        lock (_gate)
        {
            var now = _clock();
            var oldest = _running.OrderBy(o => o.Started).FirstOrDefault();
            if (_disposed || oldest is null || now - oldest.Started < _interval || (_lastReport != TimeSpan.MinValue && now - _lastReport < _interval))
            {
                return;
            }
            _lastReport = now;
            _report(oldest.Describe(now) + (_running.Count > 1 ? $" (+{_running.Count - 1} more)" : ""));
        }
    }

    /// <summary>One line per phase that had work, in phase order: <c>download: 3 files, 2.0 GiB in 41.2 s</c>.</summary>
    public IReadOnlyList<string> Summary()
    {
        lock (_gate)
        {
            return _phases.OrderBy(p => p.Key).Select(p => p.Value.Describe(p.Key)).ToList();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private void Finish(Operation operation)
    {
        lock (_gate)
        {
            if (_running.Remove(operation))
            {
                var totals = _phases[operation.Phase];
                totals.Bytes += operation.Done;
                totals.Ended = _clock();
            }
        }
    }

    private sealed class PhaseTotals(TimeSpan started)
    {
        public TimeSpan Started { get; } = started;
        public TimeSpan Ended { get; set; } = started;
        public int Count { get; set; }
        public long Bytes { get; set; }

        public string Describe(ProgressPhase phase)
        {
            var seconds = Math.Max(0, (Ended - Started).TotalSeconds);
            var what = phase switch
            {
                ProgressPhase.Resolve => "",
                ProgressPhase.Download => $"{Count} {(Count == 1 ? "file" : "files")}, {ByteSize.Format(Bytes)} ",
                ProgressPhase.Unpack => $"{Count} {(Count == 1 ? "wheel" : "wheels")} ",
                ProgressPhase.Build => $"{Count} {(Count == 1 ? "sdist" : "sdists")} ",
                ProgressPhase.Compile => "",
                _ => $"{Count} {(Count == 1 ? "package" : "packages")} ",
            };
            return string.Format(CultureInfo.InvariantCulture, "{0}: {1}in {2:0.0} s", phase.ToString().ToLowerInvariant(), what, seconds);
        }
    }

    private sealed class Operation(ThrottledProgress owner, ProgressPhase phase, string subject, long? total, TimeSpan started) : IProgressOperation
    {
        private long _done;

        public ProgressPhase Phase { get; } = phase;
        public TimeSpan Started { get; } = started;
        public long Done => Interlocked.Read(ref _done);

        public void Advance(long bytes)
        {
            Interlocked.Add(ref _done, bytes);
            owner.Tick();
        }

        public string Describe(TimeSpan now)
        {
            var verb = Phase switch
            {
                ProgressPhase.Resolve => "Resolving",
                ProgressPhase.Download => "Downloading",
                ProgressPhase.Unpack => "Unpacking",
                ProgressPhase.Build => "Building",
                ProgressPhase.Compile => "Compiling bytecode of",
                _ => "Linking",
            };
            var elapsed = now - Started;
            var done = Done;
            if (done == 0 && total is null)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2:0.0} s)", verb, subject, elapsed.TotalSeconds);
            }
            var rate = elapsed.TotalSeconds > 0 ? (long)(done / elapsed.TotalSeconds) : 0;
            var amount = total is { } all ? $"{ByteSize.Format(done)} of {ByteSize.Format(all)}" : ByteSize.Format(done);
            return $"{verb} {subject}: {amount} ({ByteSize.Format(rate)}/s)";
        }

        public void Dispose() => owner.Finish(this);
    }
}

/// <summary>Byte counts for people: <c>512 B</c>, <c>1.5 KiB</c>, <c>2.0 GiB</c>.</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Format(CultureInfo.InvariantCulture, "{0} B", bytes)
            : string.Format(CultureInfo.InvariantCulture, "{0:0.0} {1}", value, Units[unit]);
    }
}
