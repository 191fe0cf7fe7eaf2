using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PythonEnv.TestIndex;

/// <summary>How a file is listed when published.</summary>
public sealed record PublishOptions
{
    /// <summary>PEP 592: the file is yanked.</summary>
    public bool Yanked { get; init; }

    /// <summary>The yank reason; implies <see cref="Yanked"/>. Null: yanked without a reason.</summary>
    public string? YankedReason { get; init; }

    /// <summary>PEP 700 <c>upload-time</c> (and the file's Last-Modified); default <see cref="PackageIndex.DefaultUploadTime"/>.</summary>
    public DateTimeOffset? UploadTime { get; init; }

    /// <summary>Lists the file without a PEP 658 metadata file even when it has metadata.</summary>
    public bool WithoutMetadataFile { get; init; }
}

/// <summary>One file as the index lists it.</summary>
public sealed record PublishedFile(Distribution Distribution, bool Yanked, string? YankedReason, DateTimeOffset UploadTime, bool HasMetadataFile)
{
    public string FileName => Distribution.FileName;
}

/// <summary>
/// The content of a package index: projects and their files, in publish order. Thread-safe; a
/// <see cref="TestIndexServer"/> serves it live, and it can be written as a <c>file://</c> index tree or a
/// flat find-links folder.
/// </summary>
public sealed class PackageIndex
{
    /// <summary>The upload time of files published without one (fixed, so pages are deterministic).</summary>
    public static readonly DateTimeOffset DefaultUploadTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object gate = new();
    private readonly Dictionary<string, Project> projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PublishedFile> filesByName = new(StringComparer.Ordinal);
    private DateTimeOffset lastModified = Truncate(DateTimeOffset.UtcNow);

    private sealed class Project(string displayName)
    {
        public string DisplayName { get; } = displayName;
        public List<PublishedFile> Files { get; } = [];
        public DateTimeOffset LastModified { get; set; }
    }

    /// <summary>Publishes one file (replacing a file of the same name).</summary>
    public PublishedFile Publish(Distribution distribution, PublishOptions? options = null)
    {
        options ??= new PublishOptions();
        var file = new PublishedFile(distribution, options.Yanked || options.YankedReason is not null, options.YankedReason,
            options.UploadTime ?? DefaultUploadTime, distribution.MetadataBytes is not null && !options.WithoutMetadataFile);
        lock (gate)
        {
            Project project = GetOrAdd(distribution.Project);
            project.Files.RemoveAll(f => f.FileName == file.FileName);
            if (filesByName.TryGetValue(file.FileName, out PublishedFile? existing) && existing.Distribution.NormalizedName != distribution.NormalizedName)
                projects[existing.Distribution.NormalizedName].Files.Remove(existing);
            project.Files.Add(file);
            filesByName[file.FileName] = file;
            Touch(project);
        }
        return file;
    }

    /// <summary>Publishes a wheel (<c>py3-none-any</c>) and an sdist of the release.</summary>
    public void Publish(PackageSpec spec, PublishOptions? options = null)
    {
        Publish(spec.Wheel(), options);
        Publish(spec.Sdist(), options);
    }

    /// <summary>Marks a published file as yanked (PEP 592), optionally with a reason.</summary>
    public void Yank(string fileName, string? reason = null)
    {
        lock (gate)
        {
            PublishedFile file = filesByName.TryGetValue(fileName, out PublishedFile? found) ? found
                : throw new ArgumentException($"No file '{fileName}' is published.", nameof(fileName));
            Replace(file, file with { Yanked = true, YankedReason = reason });
        }
    }

    /// <summary>Removes a file from the index.</summary>
    public void Remove(string fileName)
    {
        lock (gate)
        {
            if (!filesByName.Remove(fileName, out PublishedFile? file)) return;
            Project project = projects[file.Distribution.NormalizedName];
            project.Files.Remove(file);
            Touch(project);
        }
    }

    /// <summary>The display names of the projects, in the order they were first published.</summary>
    public IReadOnlyList<string> Projects
    {
        get { lock (gate) return projects.Values.Select(p => p.DisplayName).ToList(); }
    }

    /// <summary>The files of a project (any spelling of its name), or an empty list.</summary>
    public IReadOnlyList<PublishedFile> Files(string project)
    {
        lock (gate) return projects.TryGetValue(Names.Normalize(project), out Project? p) ? p.Files.ToList() : [];
    }

    /// <summary>Every published file.</summary>
    public IReadOnlyList<PublishedFile> AllFiles
    {
        get { lock (gate) return projects.Values.SelectMany(p => p.Files).ToList(); }
    }

    /// <summary>The published file of this name, or null.</summary>
    public PublishedFile? FindFile(string fileName)
    {
        lock (gate) return filesByName.TryGetValue(fileName, out PublishedFile? file) ? file : null;
    }

    /// <summary>
    /// Writes the index as a static PEP 503 tree for <c>file://</c> use: <c>simple/index.html</c>,
    /// <c>simple/{project}/index.html</c> (relative links with <c>#sha256=</c>) and <c>files/</c> with the
    /// distributions and their <c>.metadata</c> files. Returns the <c>file://</c> URL of <c>simple/</c>.
    /// With <paramref name="json"/>, the project pages are PEP 691 JSON in <c>simple/{project}/index.json</c>
    /// (relative URLs, PEP 700 sizes and upload times) instead.
    /// </summary>
    public Uri WriteFileIndex(string directory, bool json = false)
    {
        string simple = Path.Combine(directory, "simple");
        string filesDir = Path.Combine(directory, "files");
        Directory.CreateDirectory(simple);
        Directory.CreateDirectory(filesDir);
        foreach ((string normalized, string display, IReadOnlyList<PublishedFile> files) in Snapshot())
        {
            string projectDir = Path.Combine(simple, normalized);
            Directory.CreateDirectory(projectDir);
            Func<PublishedFile, string> url = f => "../../files/" + Uri.EscapeDataString(f.FileName);
            if (json) File.WriteAllBytes(Path.Combine(projectDir, "index.json"), SimplePages.ProjectJson(display, files, url, metadataFiles: true, MetadataAttributes.Pep714));
            else File.WriteAllText(Path.Combine(projectDir, "index.html"), SimplePages.ProjectHtml(display, files, url, metadataFiles: true, MetadataAttributes.Pep714));
            foreach (PublishedFile file in files) WriteFile(filesDir, file);
        }
        File.WriteAllText(Path.Combine(simple, "index.html"), SimplePages.RootHtml(Projects));
        return new Uri(Path.GetFullPath(simple).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
    }

    /// <summary>
    /// Writes every file flat into <paramref name="directory"/> (a find-links folder) plus <c>index.html</c>,
    /// a flat find-links page linking them relatively with <c>#sha256=</c> fragments. Returns the page's path.
    /// </summary>
    public string WriteFindLinks(string directory)
    {
        Directory.CreateDirectory(directory);
        IReadOnlyList<PublishedFile> files = AllFiles;
        foreach (PublishedFile file in files) file.Distribution.WriteTo(directory);
        string page = Path.Combine(directory, "index.html");
        File.WriteAllText(page, SimplePages.FindLinksHtml(files, f => Uri.EscapeDataString(f.FileName)));
        return page;
    }

    internal IReadOnlyList<(string Normalized, string Display, IReadOnlyList<PublishedFile> Files)> Snapshot()
    {
        lock (gate) return projects.Select(p => (p.Key, p.Value.DisplayName, (IReadOnlyList<PublishedFile>)p.Value.Files.ToList())).ToList();
    }

    internal bool TryGetProject(string normalizedName, out string displayName, out IReadOnlyList<PublishedFile> files, out DateTimeOffset modified)
    {
        lock (gate)
        {
            if (projects.TryGetValue(normalizedName, out Project? project))
            {
                (displayName, files, modified) = (project.DisplayName, project.Files.ToList(), project.LastModified);
                return true;
            }
        }
        (displayName, files, modified) = ("", [], default);
        return false;
    }

    /// <summary>When the set of projects (the root listing) last changed.</summary>
    internal DateTimeOffset LastModified
    {
        get { lock (gate) return lastModified; }
    }

    /// <summary>When any file or project last changed (the find-links page).</summary>
    internal DateTimeOffset AnyLastModified
    {
        get
        {
            lock (gate) return projects.Values.Select(p => p.LastModified).Append(lastModified).Max();
        }
    }

    private static void WriteFile(string directory, PublishedFile file)
    {
        file.Distribution.WriteTo(directory);
        if (file.HasMetadataFile && file.Distribution.Metadata is { } metadata)
            File.WriteAllBytes(Path.Combine(directory, file.FileName + ".metadata"), metadata);
    }

    private Project GetOrAdd(string name)
    {
        string normalized = Names.Normalize(name);
        if (!projects.TryGetValue(normalized, out Project? project))
        {
            projects[normalized] = project = new Project(name);
            lastModified = Later(lastModified);
        }
        return project;
    }

    private void Replace(PublishedFile old, PublishedFile updated)
    {
        Project project = projects[old.Distribution.NormalizedName];
        project.Files[project.Files.IndexOf(old)] = updated;
        filesByName[updated.FileName] = updated;
        Touch(project);
    }

    private static void Touch(Project project) => project.LastModified = Later(project.LastModified);

    /// <summary>
    /// The next Last-Modified of a page: now, or one second after the previous one. HTTP dates have whole seconds, so
    /// a change within the same second must still move the date, or an If-Modified-Since client would get a false 304.
    /// </summary>
    private static DateTimeOffset Later(DateTimeOffset previous)
    {
        DateTimeOffset now = Truncate(DateTimeOffset.UtcNow);
        return now > previous ? now : previous.AddSeconds(1);
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
