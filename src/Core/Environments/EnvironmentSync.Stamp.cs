using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>The stamp a completed sync writes last, the paths a no-op build watches, and the drift found against the stamp.</summary>
public static partial class EnvironmentSync
{
    /// <summary>The stamp, written last: the plan fingerprint the venv matches. Absent while a sync is under way.</summary>
    public const string StampFile = ".pythonenv-sync.json";

    /// <summary>Whether the venv at <paramref name="venvRoot"/> was completely synced to a plan with this fingerprint.</summary>
    public static bool IsUpToDate(string venvRoot, string fingerprint) => ReadStamp(venvRoot)?.Fingerprint == fingerprint;

    /// <summary>
    /// The files and folders whose modification time changes when the venv is altered from outside: pyvenv.cfg,
    /// its python, the stamp, site-packages and the scripts folder, and every folder directly in site-packages
    /// (packages and dist-info folders; bytecode caches excepted). A build that finds all of them as the last
    /// sync left them need not look inside the venv.
    /// </summary>
    public static IReadOnlyList<string> WatchedPaths(VirtualEnvironment venv)
    {
        var paths = new List<string> { Path.Combine(venv.Root, "pyvenv.cfg"), venv.Python, Path.Combine(venv.Root, StampFile), venv.Scripts };
        foreach (var site in new[] { venv.PureLib, venv.PlatLib }.Distinct(StringComparer.Ordinal))
        {
            paths.Add(site);
            if (Directory.Exists(site))
            {
                paths.AddRange(Directory.EnumerateDirectories(site)
                    .Where(folder => Path.GetFileName(folder) != "__pycache__")
                    .OrderBy(folder => folder, StringComparer.Ordinal));
            }
        }
        return paths;
    }

    /// <summary>What the last completed sync recorded: the plan's fingerprint and, per distribution, its version and source.</summary>
    /// <remarks><see cref="Installed"/> is null in a stamp written before the SDK recorded it: no drift can be told then.</remarks>
    private sealed record Stamp(string? Fingerprint, IReadOnlyDictionary<string, (string Name, string Version, string? Source)>? Installed);

    private static Stamp? ReadStamp(string venvRoot)
    {
        var path = Path.Combine(venvRoot, StampFile);
        try
        {
            if (!File.Exists(path) || File.Exists(Path.Combine(venvRoot, VirtualEnvironment.CreatingMarker)))
            {
                return null;
            }
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            Dictionary<string, (string, string, string?)>? installed = null;
            if (root.TryGetProperty("installed", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                installed = new Dictionary<string, (string, string, string?)>(StringComparer.Ordinal);
                foreach (var entry in list.EnumerateArray())
                {
                    var name = entry.GetProperty("name").GetString() ?? "";
                    installed[PackageName.Normalize(name)] = (name, entry.GetProperty("version").GetString() ?? "",
                        entry.TryGetProperty("sha256", out var sha) ? sha.GetString() : null);
                }
            }
            return new Stamp(root.TryGetProperty("fingerprint", out var value) ? value.GetString() : null, installed);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteStamp(
        string venvRoot, string fingerprint, PythonInterpreter interpreter, InstallPlan plan,
        IReadOnlyDictionary<string, string> newSources, Dictionary<string, List<InstalledDistribution>> kept)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", fingerprint);
            writer.WriteString("interpreter", interpreter.BaseExecutable);
            writer.WriteString("version", interpreter.Version);
            writer.WriteNumber("packages", plan.Packages.Count);
            writer.WriteStartArray("installed");
            foreach (var package in plan.Packages.OrderBy(p => p.NormalizedName, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("name", package.Name);
                writer.WriteString("version", package.Version);
                var source = newSources.TryGetValue(package.NormalizedName, out var sha) ? sha
                    : kept.TryGetValue(package.NormalizedName, out var dists) ? dists[0].Source : null;
                writer.WriteString("sha256", source?.ToLowerInvariant());
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        AtomicFile.Write(Path.Combine(venvRoot, StampFile), buffer.ToArray());
    }

    /// <summary>How the venv differs from what the last sync recorded: per distribution, its normalized name and a line.</summary>
    private static List<(string Name, string Line)> Drift(
        IReadOnlyDictionary<string, (string Name, string Version, string? Source)> recordedByName, Dictionary<string, List<InstalledDistribution>> installed)
    {
        var drift = new List<(string, string)>();
        foreach (var pair in installed.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var dist in pair.Value)
            {
                if (!recordedByName.TryGetValue(pair.Key, out var recorded))
                {
                    drift.Add((pair.Key, $"{dist.Name} {dist.Version} was installed by hand"));
                }
                else if (pair.Value.Count > 1 || dist.Version != recorded.Version || !string.Equals(dist.Source, recorded.Source, StringComparison.OrdinalIgnoreCase))
                {
                    drift.Add((pair.Key, $"{recorded.Name} {recorded.Version} was replaced by hand (now {dist.Name} {dist.Version}{(dist.Source is null ? ", not installed by PythonEnv.Sdk" : "")})"));
                }
                else if (dist.Damage is { } damage)
                {
                    drift.Add((pair.Key, $"{dist.Name} {dist.Version} was altered by hand ({damage})"));
                }
            }
        }
        foreach (var pair in recordedByName.Where(p => !installed.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            drift.Add((pair.Key, $"{pair.Value.Name} {pair.Value.Version} was removed by hand"));
        }
        return drift;
    }
}
