using System;
using System.Globalization;
using Microsoft.Build.Framework;
using PythonEnv.Cache;
using PythonEnv.Diagnostics;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Empties the SDK's cache (<c>-t:PythonCacheClean</c>, as <c>uv cache clean</c>) or, with <see cref="MaxAgeDays"/>,
/// removes what no sync on this machine used for that many days (<c>-t:PythonCachePrune</c>). Waits while other
/// builds use the cache, never removes anything under them, and logs what it freed.
/// </summary>
public sealed class PythonCacheClean : PythonIndexTask
{
    /// <summary><c>PythonCacheMaxAge</c>: days; empty empties the whole cache.</summary>
    public string? MaxAgeDays { get; set; }

    protected override bool UsesCache => false;

    protected override string WhenCanceled => "PythonCacheClean was canceled; the cache may be partly cleaned (what is left is whole).";

    protected override bool Run()
    {
        var cache = IndexOptions().CacheDir;
        CacheCleanResult result;
        if (string.IsNullOrWhiteSpace(MaxAgeDays))
        {
            result = CacheCleaner.CleanAsync(cache, Cancellation).GetAwaiter().GetResult();
        }
        else
        {
            if (!int.TryParse(MaxAgeDays!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                throw new PropertyException("PythonCacheMaxAge", DiagnosticCodes.InvalidCacheMaxAge,
                    $"PythonCacheMaxAge has the value '{MaxAgeDays}', which is not a whole number of days. Use e.g. -p:PythonCacheMaxAge=30 (0 removes everything no sync is using right now).");
            }
            result = CacheCleaner.PruneAsync(cache, TimeSpan.FromDays(days), cancellationToken: Cancellation).GetAwaiter().GetResult();
        }
        Log.LogMessage(MessageImportance.High, $"{(string.IsNullOrWhiteSpace(MaxAgeDays) ? "PythonCacheClean" : "PythonCachePrune")}: {cache}: {result.Describe()}.");
        return true;
    }
}
