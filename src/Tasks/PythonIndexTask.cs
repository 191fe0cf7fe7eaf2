using System;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Index;

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

    /// <summary><c>PythonIndexUrl</c>; empty means <c>PIP_INDEX_URL</c>, <c>UV_INDEX_URL</c>, else PyPI.</summary>
    public string? IndexUrl { get; set; }

    /// <summary><c>PythonExtraIndexUrls</c>, separated by <c>;</c>.</summary>
    public string? ExtraIndexUrls { get; set; }

    /// <summary><c>PythonFindLinks</c>: folders or flat HTML pages, separated by <c>;</c>.</summary>
    public string? FindLinks { get; set; }

    /// <summary><c>PythonCacheDir</c>; empty means the platform's user cache folder.</summary>
    public string? CacheDir { get; set; }

    /// <summary><c>PythonOffline</c>: <c>true</c> answers from the cache alone.</summary>
    public string? Offline { get; set; }

    /// <summary>Set when MSBuild cancels the build (Ctrl+C).</summary>
    protected CancellationToken Cancellation => _cancel.Token;

    /// <summary>The warning a canceled run leaves, saying what was left undone.</summary>
    protected abstract string WhenCanceled { get; }

    public void Cancel() => _cancel.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            return Run();
        }
        catch (PythonEnvException error)
        {
            Diagnostics.LogError(Log, error);
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

    /// <summary>The index client's options from these properties (PYENV1001 for an unusable URL).</summary>
    protected IndexClientOptions IndexOptions() =>
        IndexClientOptions.FromMSBuild(IndexUrl, ExtraIndexUrls, FindLinks, CacheDir, Offline, projectDirectory: ProjectDirectory);
}
