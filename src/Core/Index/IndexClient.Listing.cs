using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Index;

/// <summary>Project listings: the first source (find-links folders and pages, then the indexes in order) that has the project.</summary>
public sealed partial class IndexClient
{
    /// <summary>
    /// Every file of a project from the first source that has it. Throws PYENV5001 when no source has it,
    /// PYENV5002/5003 on authentication or network failure, PYENV5004 offline without a cached page.
    /// </summary>
    public Task<ProjectListing> GetProjectAsync(PackageName name, CancellationToken ct)
    {
        _ = name ?? throw new ArgumentNullException(nameof(name));

        // Concurrent callers of the same project share one request; a failed one is forgotten so a
        // later call can try again.
        return Shared(_listings, name.Normalized, token => LoadProjectAsync(name, token), ct);
    }

    /// <summary>
    /// Every file of a project from this one index, which a pin names (<c>PythonPackage Index="..."</c>,
    /// <c>[tool.uv.sources]</c>): no other source is asked. Throws PYENV5001 when the index does not have it.
    /// </summary>
    public Task<ProjectListing> GetProjectFromAsync(PackageName name, Uri index, CancellationToken ct)
    {
        _ = name ?? throw new ArgumentNullException(nameof(name));
        var directory = UrlText.AsDirectory(index ?? throw new ArgumentNullException(nameof(index)));
        return Shared(_listings, directory.AbsoluteUri + " " + name.Normalized, async token =>
        {
            var page = await IndexPageAsync(directory, name, _options.Refresh.Covers(name), token).ConfigureAwait(false);
            return page is not null
                ? new ProjectListing(name, directory, page.Files, page.Versions)
                : throw new PythonEnvException(
                    DiagnosticCodes.PackageNotFound,
                    $"Package '{name.Original}' was not found on {UrlText.Display(directory)}, the index it is pinned to (asked for the normalized name '{name.Normalized}'). Check the pin's index, or remove the pin.");
        }, ct);
    }

    private async Task<SimplePage?> IndexPageAsync(Uri index, PackageName name, bool refresh, CancellationToken ct) =>
        index.IsFile ? ReadFileIndexPage(index, name) : await GetIndexPageAsync(index, name, refresh, ct).ConfigureAwait(false);

    private async Task<ProjectListing> LoadProjectAsync(PackageName name, CancellationToken ct)
    {
        var refresh = _options.Refresh.Covers(name);
        foreach (var link in _options.FindLinks)
        {
            var (source, files) = await FindLinksFilesAsync(link, name, refresh, ct).ConfigureAwait(false);
            if (files.Count > 0)
            {
                return new ProjectListing(name, source, files, null);
            }
        }

        foreach (var index in _indexes)
        {
            var page = await IndexPageAsync(index, name, refresh, ct).ConfigureAwait(false);
            if (page is not null)
            {
                return new ProjectListing(name, index, page.Files, page.Versions);
            }
        }

        var sources = new List<string>();
        foreach (var link in _options.FindLinks)
        {
            sources.Add("find-links " + (Uri.TryCreate(link, UriKind.Absolute, out var u) && !u.IsFile ? UrlText.Display(u) : link));
        }

        foreach (var index in _indexes)
        {
            sources.Add(UrlText.Display(index));
        }

        throw new PythonEnvException(
            DiagnosticCodes.PackageNotFound,
            $"Package '{name.Original}' was not found on the configured indexes: {string.Join(", ", sources)}. "
            + $"The indexes were asked for the normalized name '{name.Normalized}'; check its spelling, or add the index that has it (PythonIndexUrl, PythonExtraIndexUrls, PythonFindLinks).");
    }

    /// <summary>The project page of an http(s) index, through the HTTP cache; null when the index does not have the project.</summary>
    private async Task<SimplePage?> GetIndexPageAsync(Uri index, PackageName name, bool refresh, CancellationToken ct)
    {
        var url = new Uri(index, name.Normalized + "/");
        var entry = await GetCachedAsync(url, "simple", SimplePage.Accept, $"the index page of '{name.Normalized}'", refresh, ct,
            readable: fetched => SimplePage.Parse(fetched.Body, fetched.ContentType, new Uri(fetched.FinalUrl), index)).ConfigureAwait(false);
        return entry.Status is 404 or 410 ? null : SimplePage.Parse(entry.Body, entry.ContentType, new Uri(entry.FinalUrl), index);
    }

    /// <summary>
    /// A <c>file://</c> index laid out like a static simple index: <c>&lt;root&gt;/&lt;name&gt;/index.html</c>
    /// (or <c>index.json</c> in PEP 691 form).
    /// </summary>
    private static SimplePage? ReadFileIndexPage(Uri index, PackageName name)
    {
        var folder = Path.Combine(index.LocalPath, name.Normalized);
        var json = Path.Combine(folder, "index.json");
        var html = Path.Combine(folder, "index.html");
        if (File.Exists(json))
        {
            return SimplePage.ParseJson(File.ReadAllText(json), new Uri(json), index);
        }

        return File.Exists(html) ? SimplePage.ParseHtml(File.ReadAllText(html), new Uri(html), index) : null;
    }

    private async Task<(Uri Source, List<DistributionFile> Files)> FindLinksFilesAsync(string link, PackageName name, bool refresh, CancellationToken ct)
    {
        var files = new List<DistributionFile>();
        if (Uri.TryCreate(link, UriKind.Absolute, out var url) && !url.IsFile)
        {
            // One page lists every project: refreshing one project revalidates it (once per client).
            var entry = await GetCachedAsync(url, "find-links", "text/html", $"the find-links page", refresh, ct,
                readable: fetched => SimplePage.Parse(fetched.Body, fetched.ContentType, new Uri(fetched.FinalUrl), url, allowJson: false)).ConfigureAwait(false);
            if (entry.Status is 404 or 410)
            {
                return (url, files);
            }

            foreach (var file in SimplePage.Parse(entry.Body, entry.ContentType, new Uri(entry.FinalUrl), url, allowJson: false).Files)
            {
                if (Belongs(file.Filename, name))
                {
                    files.Add(file);
                }
            }

            return (url, files);
        }

        var path = url is not null && url.IsFile ? url.LocalPath : Path.GetFullPath(link);
        var folder = new Uri(UrlText.AsDirectory(new Uri(path)).AbsoluteUri);
        if (Directory.Exists(path))
        {
            var entries = Directory.GetFiles(path);
            Array.Sort(entries, StringComparer.Ordinal);
            foreach (var file in entries)
            {
                var filename = Path.GetFileName(file);
                if (Belongs(filename, name))
                {
                    // Local files get their hash computed, so locks made from them carry one like any other.
                    var hashes = new Dictionary<string, string>(StringComparer.Ordinal) { ["sha256"] = Hashing.Sha256HexOfFile(file) };
                    files.Add(new DistributionFile(filename, new Uri(file), hashes, null, false, null, new FileInfo(file).Length, null, false, null, folder));
                }
            }
        }
        else if (File.Exists(path))
        {
            foreach (var file in SimplePage.ParseHtml(File.ReadAllText(path), new Uri(path), new Uri(path)).Files)
            {
                if (Belongs(file.Filename, name))
                {
                    files.Add(file);
                }
            }
        }

        return (folder, files);
    }

    private static bool Belongs(string filename, PackageName name) => DistributionFile.ProjectOf(filename) is { } project && project.Equals(name);
}
