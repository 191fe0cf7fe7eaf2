using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace PythonEnv.Hosts;

/// <summary>
/// obj/pythonenv/sync.state, what a successful sync leaves for the next build's up-to-date check: the line
/// <c>observed=</c> (the watched paths' modification ticks, joined by <c>|</c>), then one <c>PythonEnv.Name=value</c>
/// line per host value. The targets read the values back by name, as <c>RuntimeHostConfigurationOption</c> items.
/// </summary>
public static class SyncState
{
    public const string ObservedKey = "observed=";

    /// <summary>Characters MSBuild cannot carry through ReadLinesFromFile and item specs unchanged.</summary>
    private static readonly char[] Unsafe = { '\n', '\r', ';', '%', '\'' };

    /// <summary>Whether a path or value can be recorded (else the target simply runs the sync on every build).</summary>
    public static bool CanRecord(string text) => text.Trim() == text && text.IndexOfAny(Unsafe) < 0;

    public static string Write(string observed, IReadOnlyDictionary<string, string> hostValues)
    {
        var state = new StringBuilder().Append(ObservedKey).Append(observed).Append('\n');
        foreach (var name in HostValues.All)
        {
            state.Append(HostValues.Key(name)).Append('=').Append(hostValues.TryGetValue(name, out var value) ? value : "").Append('\n');
        }
        return state.ToString();
    }

    /// <summary>The observed ticks recorded in <paramref name="text"/>, or none.</summary>
    public static IReadOnlyList<string> Observed(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(ObservedKey, StringComparison.Ordinal));
        return line?.Substring(ObservedKey.Length).Split('|') ?? Array.Empty<string>();
    }

    /// <summary>The host values recorded in <paramref name="text"/>, by name (without the <c>PythonEnv.</c> prefix).</summary>
    public static IReadOnlyDictionary<string, string> Values(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var equals = line.IndexOf('=');
            if (equals > 0 && line.StartsWith(HostValues.Prefix, StringComparison.Ordinal))
            {
                values[line.Substring(HostValues.Prefix.Length, equals - HostValues.Prefix.Length)] = line.Substring(equals + 1);
            }
        }
        return values;
    }
}
