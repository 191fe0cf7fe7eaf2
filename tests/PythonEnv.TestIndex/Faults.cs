using System;
using System.Collections.Generic;

namespace PythonEnv.TestIndex;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>Answer with an error status (500 by default) and a short body.</summary>
    Fail,

    /// <summary>Wait before answering (or, with a byte count, after sending that much of the body).</summary>
    Stall,

    /// <summary>Abort the connection without an answer (or, with a byte count, after sending that much of the body).</summary>
    Drop,
}

/// <summary>
/// Fault injection for a <see cref="TestIndexServer"/>. Each rule applies to the next <c>count</c> requests
/// whose path matches (null: any path; see <see cref="RequestLog.PathMatches"/>); at most one rule applies to a
/// request, the earliest added. Thread-safe; rules can be added while requests are in flight.
/// </summary>
public sealed class Faults
{
    private readonly object gate = new();
    private readonly List<Rule> rules = [];
    private readonly HashSet<string> corrupted = new(StringComparer.Ordinal);

    internal sealed class Rule(FaultKind kind, int count, string? path, int statusCode, TimeSpan delay, int? afterBytes, string? retryAfter = null)
    {
        /// <summary>The <c>Retry-After</c> header a failure carries (delta-seconds or an HTTP-date), or null.</summary>
        public string? RetryAfter { get; } = retryAfter;
        public FaultKind Kind { get; } = kind;
        public int Remaining { get; set; } = count;
        public string? Path { get; } = path;
        public int StatusCode { get; } = statusCode;
        public TimeSpan Delay { get; } = delay;
        public int? AfterBytes { get; } = afterBytes;
    }

    /// <summary>
    /// The next <paramref name="count"/> matching requests get <paramref name="statusCode"/> (default 500), with a
    /// <c>Retry-After</c> header when <paramref name="retryAfter"/> is given (e.g. <c>"2"</c> or an HTTP-date).
    /// </summary>
    public Faults FailNext(int count, string? path = null, int statusCode = 500, string? retryAfter = null) =>
        Add(new Rule(FaultKind.Fail, count, path, statusCode, TimeSpan.Zero, null, retryAfter));

    /// <summary>
    /// The next <paramref name="count"/> matching requests are answered only after <paramref name="delay"/>;
    /// with <paramref name="afterBytes"/>, the headers and that many body bytes are sent first, then the rest
    /// after the delay (a stalled download). The stall ends early when the client gives up or the server stops.
    /// </summary>
    public Faults StallNext(int count, TimeSpan delay, string? path = null, int? afterBytes = null) =>
        Add(new Rule(FaultKind.Stall, count, path, 0, delay, afterBytes));

    /// <summary>
    /// The next <paramref name="count"/> matching requests get their connection aborted without a response;
    /// with <paramref name="afterBytes"/>, the headers (full Content-Length) and that many body bytes are sent first
    /// (a connection reset mid-download).
    /// </summary>
    public Faults DropNext(int count, string? path = null, int? afterBytes = null) =>
        Add(new Rule(FaultKind.Drop, count, path, 0, TimeSpan.Zero, afterBytes));

    /// <summary>
    /// Serves different bytes (same length) for this file name or <c>{file}.metadata</c> name, while the pages keep
    /// advertising the true hash. Wheels stay readable zips (a byte of the first entry's data changes), so only a
    /// hash check notices.
    /// </summary>
    public Faults Corrupt(string fileName)
    {
        lock (gate) corrupted.Add(fileName);
        return this;
    }

    /// <summary>Removes every rule and corruption.</summary>
    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
            corrupted.Clear();
        }
    }

    /// <summary>How many requests the rules still apply to (int.MaxValue counts are left out).</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                int pending = 0;
                foreach (Rule rule in rules) if (rule.Remaining != int.MaxValue) pending += rule.Remaining;
                return pending;
            }
        }
    }

    internal bool IsCorrupted(string fileName)
    {
        lock (gate) return corrupted.Contains(fileName);
    }

    /// <summary>Takes the first rule matching <paramref name="path"/>, consuming one of its count.</summary>
    internal Rule? Take(string path)
    {
        lock (gate)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                Rule rule = rules[i];
                if (rule.Path is not null && !RequestLog.PathMatches(rule.Path, path)) continue;
                if (rule.Remaining != int.MaxValue) rule.Remaining--;
                if (rule.Remaining == 0) rules.RemoveAt(i);
                return rule;
            }
            return null;
        }
    }

    private Faults Add(Rule rule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rule.Remaining, "count");
        lock (gate) rules.Add(rule);
        return this;
    }
}
