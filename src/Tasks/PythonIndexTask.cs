using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Cache;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Inputs;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// The base of the tasks that read package indexes (<see cref="PythonLock"/>, <see cref="PythonSync"/>): the
/// project directory and the index properties every such target passes the same way, turned into the client's
/// options in one place so the tasks cannot disagree on them. They run the same way too: cancelable, with user
/// mistakes logged as their PYENV code and a cancellation as a warning saying what was left undone.
/// </summary>
public abstract class PythonIndexTask : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The project's folder; relative index and find-links paths are taken from it.</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>The project file (<c>$(MSBuildProjectFullPath)</c>): where an error about a property value is shown.</summary>
    public string? ProjectFullPath { get; set; }

    /// <summary>The files that may set properties, in evaluation order: an error about a property's value is put at its line.</summary>
    public string[] PropertySearchFiles { get; set; } = Array.Empty<string>();

    /// <summary><c>PythonIndexUrl</c>; empty means <c>PIP_INDEX_URL</c>, <c>UV_INDEX_URL</c>, else PyPI.</summary>
    public string? IndexUrl { get; set; }

    /// <summary><c>PythonExtraIndexUrls</c>, separated by <c>;</c> (or <c>,</c> or spaces before the next URL).</summary>
    public string? ExtraIndexUrls { get; set; }

    /// <summary><c>PythonFindLinks</c>: folders or flat HTML pages, separated by <c>;</c> (or <c>,</c> or spaces before a URL).</summary>
    public string? FindLinks { get; set; }

    /// <summary><c>PythonCacheDir</c>; empty means the platform's user cache folder.</summary>
    public string? CacheDir { get; set; }

    /// <summary><c>PythonOffline</c>: <c>true</c> answers from the cache alone.</summary>
    public string? Offline { get; set; }

    /// <summary><c>PythonInterpreterSource</c>: auto, managed or system.</summary>
    public string? InterpreterSource { get; set; }

    /// <summary><c>PythonDownloadsManifest</c>: a file or URL replacing the SDK's list of interpreter builds.</summary>
    public string? DownloadsManifest { get; set; }

    /// <summary><c>PythonInstallMirror</c>: replaces the python-build-standalone download prefix.</summary>
    public string? InstallMirror { get; set; }

    /// <summary>Set when MSBuild cancels the build (Ctrl+C).</summary>
    protected CancellationToken Cancellation => _cancel.Token;

    /// <summary>The warning a canceled run leaves, saying what was left undone.</summary>
    protected abstract string WhenCanceled { get; }

    public void Cancel() => _cancel.Cancel();

    /// <summary>Whether the task holds the cache (shared) while it runs, so a cache clean waits for it; the clean itself does not.</summary>
    protected virtual bool UsesCache => true;

    public sealed override bool Execute()
    {
        try
        {
            using var cacheUse = UsesCache ? CacheLock.UseAsync(IndexOptions().CacheDir, cancellationToken: Cancellation).GetAwaiter().GetResult() : null;
            return Run();
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(this, error, ProjectFullPath, PropertySearchFiles);
            return false;
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning(WhenCanceled);
            return false;
        }
    }

    /// <summary>The task's work; a <see cref="PythonEnvException"/> it throws becomes the build error.</summary>
    protected abstract bool Run();

    /// <summary>
    /// Progress of long downloads, unpacks and builds, at most two lines a second and only for work that runs longer
    /// than that, as normal-importance messages prefixed with the task's name; dispose it before the task returns.
    /// </summary>
    protected ThrottledProgress NewProgress(string prefix) =>
        new(line => Log.LogMessage(MessageImportance.Normal, prefix + line), TimeSpan.FromMilliseconds(500));

    /// <summary>One normal-importance line per phase that had work (<c>download: 1 file, 2.0 GiB in 41.2 s</c>).</summary>
    protected void LogPhases(string prefix, ThrottledProgress progress)
    {
        foreach (var line in progress.Summary())
        {
            Log.LogMessage(MessageImportance.Normal, prefix + line);
        }
    }

    /// <summary>
    /// The index client's options from these properties (PYENV1001 for an unusable URL). The targets pass URLs with
    /// their credentials masked (<c>https://***@host/</c>), so no task parameter, file or log holds a secret; the real
    /// URL is read here from where MSBuild got it, a global property (<c>-p:</c>) or an environment variable of the
    /// property's name. A URL written with credentials in a project file (warned about by
    /// <see cref="ValidatePythonProperties"/>) is used without them: the netrc file and
    /// <c>PYTHONENV_INDEX_&lt;HOST&gt;_*</c> variables still apply. An empty <c>PythonIndexUrl</c> lets the client read
    /// <c>PIP_INDEX_URL</c>/<c>UV_INDEX_URL</c> from this process's environment itself.
    /// </summary>
    protected IndexClientOptions IndexOptions() =>
        IndexClientOptions.FromMSBuild(
            Unmasked("PythonIndexUrl", IndexUrl),
            string.Join(";", PropertyLists.Locations(Unmasked("PythonExtraIndexUrls", ExtraIndexUrls))),
            string.Join(";", PropertyLists.Locations(Unmasked("PythonFindLinks", FindLinks))),
            CacheDir,
            PythonProperties.Boolean(PythonProperties.OfflineName, Offline) ? "true" : "false",
            projectDirectory: ProjectDirectory);

    /// <summary>The managed interpreters' settings from these properties (the cache and offline shared with the index's).</summary>
    protected Interpreters.ManagedInterpreters ManagedInterpreters(IndexClientOptions index) => new(new Interpreters.ManagedInterpreterOptions
    {
        CacheDirectory = index.CacheDir,
        Manifest = string.IsNullOrWhiteSpace(DownloadsManifest) ? null : DownloadsManifest,
        Mirror = string.IsNullOrWhiteSpace(InstallMirror) ? null : InstallMirror,
        Offline = index.Offline,
        Log = line => Log.LogMessage(MessageImportance.High, "Python: " + line),
    });

    /// <summary>
    /// Credentials for the hosts of the requirements files' <c>--index-url</c>, <c>--extra-index-url</c> and
    /// <c>--find-links</c> URLs (user info, usually <c>${VAR}</c> from the environment). The lock records those
    /// indexes without credentials, so installing from it needs them again.
    /// </summary>
    protected static IReadOnlyList<Uri> RequirementsFileCredentials(IEnumerable<ITaskItem> requirementsFiles)
    {
        var urls = new List<Uri>();
        foreach (var item in requirementsFiles)
        {
            RequirementsFile file;
            try
            {
                file = RequirementsFile.Load(item.GetMetadata("FullPath"));
            }
            catch (PythonEnvException)
            {
                // PythonLock reports a broken file; here it only means there are no credentials to take from it.
                continue;
            }

            var declared = file.ExtraIndexUrls.Select(url => url.Url).Concat(file.FindLinks.Select(link => link.Location));
            foreach (var text in file.IndexUrl is { } primary ? declared.Prepend(primary.Url) : declared)
            {
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.UserInfo.Length > 0)
                {
                    urls.Add(url);
                }
            }
        }

        return urls;
    }

    /// <summary>The value MSBuild holds for <paramref name="property"/> when <paramref name="masked"/> is its masked form.</summary>
    private string? Unmasked(string property, string? masked)
    {
        if (masked is null || !masked.Contains(IndexClientOptions.MaskedUserInfo))
        {
            return masked;
        }

        var globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties();
        foreach (var candidate in new[] { globals is not null && globals.TryGetValue(property, out var global) ? global : null, Environment.GetEnvironmentVariable(property) })
        {
            if (candidate is not null && IndexClientOptions.MaskCredentials(candidate) == masked)
            {
                return candidate;
            }
        }

        return masked.Replace(IndexClientOptions.MaskedUserInfo, "");
    }
}
