using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// A frozen index from resolvelib's test suite (tests/data/resolvelib, see its README) served in memory: one
/// wheel per listed version, whose METADATA carries the release's Requires-Dist lines verbatim, so every line
/// goes through the same core-metadata and PEP 508 parsing as an index's.
/// </summary>
internal sealed class ResolvelibIndex : IPackageSource
{
    private static readonly Uri IndexUrl = new("https://resolvelib.invalid/simple/");

    // project -> (version as listed, its Requires-Dist lines)
    private readonly Dictionary<string, List<(string Version, List<string> Dependencies)>> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Project, string Version, List<string> Dependencies)> _files = new(StringComparer.Ordinal);

    private ResolvelibIndex()
    {
    }

    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data", "resolvelib");

    public static ResolvelibIndex Load(string name)
    {
        var index = new ResolvelibIndex();
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DataDirectory, "index", name + ".json")));
        foreach (var project in document.RootElement.EnumerateObject())
        {
            // backjump-test-3 has a stray "needs_optimistic": true, which is no project.
            if (project.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // dask's snapshot writes one release's empty list as {}.
            index._projects[project.Name] = project.Value.EnumerateObject()
                .Select(version => (version.Name, version.Value.GetProperty("dependencies") is { ValueKind: JsonValueKind.Array } list
                    ? list.EnumerateArray().Select(d => d.GetString()!).ToList()
                    : []))
                .ToList();
        }

        return index;
    }

    public int VersionCount => _projects.Values.Sum(v => v.Count);

    /// <summary>This frozen index is the only one: a pin to any other has nothing.</summary>
    public Task<ProjectListing?> GetListingFromAsync(PackageName name, Uri index, CancellationToken cancellationToken) =>
        index.Equals(IndexUrl) ? GetListingAsync(name, cancellationToken) : Task.FromResult<ProjectListing?>(null);

    public Task<ProjectListing?> GetListingAsync(PackageName name, CancellationToken cancellationToken)
    {
        if (!_projects.TryGetValue(name.Normalized, out var versions))
        {
            return Task.FromResult<ProjectListing?>(null);
        }

        var files = new List<DistributionFile>();
        foreach (var (version, dependencies) in versions)
        {
            // Two listed versions are no PEP 440 version at all (pyzmq 18.1.0-0_py38h16f9016): no wheel name can carry them.
            if (!Pep440Version.TryParse(version, out var parsed))
            {
                continue;
            }

            var filename = $"{name.Normalized.Replace('-', '_')}-{parsed}-py3-none-any.whl";
            var url = new Uri(IndexUrl, $"{name.Normalized}/{filename}");
            lock (_files)
            {
                _files[url.AbsoluteUri] = (name.Normalized, version, dependencies);
            }

            files.Add(new DistributionFile(filename, url, new Dictionary<string, string> { ["sha256"] = new string('0', 64) }, null, false, null, null, null,
                hasCoreMetadata: true, null, new Uri(IndexUrl, name.Normalized + "/")));
        }

        return Task.FromResult<ProjectListing?>(new ProjectListing(name, IndexUrl, files, null));
    }

    public Task<CoreMetadata> GetMetadataAsync(DistributionFile file, CancellationToken cancellationToken)
    {
        (string Project, string Version, List<string> Dependencies) release;
        lock (_files)
        {
            release = _files[file.Url.AbsoluteUri];
        }

        var text = new StringBuilder($"Metadata-Version: 2.1\nName: {release.Project}\nVersion: {release.Version}\n");
        foreach (var dependency in release.Dependencies)
        {
            text.Append("Requires-Dist: ").Append(dependency).Append('\n');
        }

        // CoreMetadata.Parse throws for a line no parser accepts, as reading a real METADATA would.
        return Task.Run(() => CoreMetadata.Parse(text.ToString()), cancellationToken);
    }

    /// <summary>The Requires-Dist of a locked version, for checking a lock against the graph.</summary>
    public IReadOnlyList<Requirement> RequiresDist(PackageName name, Pep440Version version) =>
        _projects[name.Normalized].Where(v => Pep440Version.TryParse(v.Version, out var parsed) && parsed.Equals(version))
            .SelectMany(v => v.Dependencies).Select(Requirement.Parse).ToList();
}

/// <summary>One case file of resolvelib's suite: the root requirements and what resolvelib's test provider resolved.</summary>
internal sealed record ResolvelibCase(string Index, IReadOnlyList<string> Requested, IReadOnlyDictionary<string, string> Resolved, IReadOnlyList<string> Conflicted)
{
    public static ResolvelibCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ResolvelibIndex.DataDirectory, "case", name + ".json")));
        var root = document.RootElement;
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("resolved", out var pins))
        {
            foreach (var pin in pins.EnumerateObject())
            {
                resolved[pin.Name] = pin.Value.ValueKind == JsonValueKind.String ? pin.Value.GetString()! : pin.Value.GetProperty("version").GetString()!;
            }
        }

        var conflicted = root.TryGetProperty("conflicted", out var clash) ? clash.EnumerateObject().Select(p => p.Name).ToList() : [];
        return new ResolvelibCase(root.GetProperty("index").GetString()!, root.GetProperty("requested").EnumerateArray().Select(r => r.GetString()!).ToList(), resolved, conflicted);
    }
}
