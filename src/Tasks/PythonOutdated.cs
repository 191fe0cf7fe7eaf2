using System.Linq;
using Microsoft.Build.Framework;
using PythonEnv.Index;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Lists the locked packages that have newer versions on their index, for the environments the lock covers
/// (<c>-t:PythonOutdated</c>, as <c>uv pip list --outdated</c>). Index pages are revalidated, so a version
/// published minutes ago is seen; the lock, the venv and everything under <c>obj/</c> stay as they are.
/// </summary>
public sealed class PythonOutdated : PythonIndexTask
{
    [Required] public string LockFile { get; set; } = "";

    /// <summary>One item per outdated package: its name, with <c>Locked</c>, <c>Latest</c> and <c>Index</c> metadata.</summary>
    [Output] public ITaskItem[] Outdated { get; private set; } = [];

    protected override string WhenCanceled => "PythonOutdated was canceled.";

    protected override bool Run()
    {
        var lockFile = LockFiles.Load(LockFile, "PythonOutdated");
        using var client = new IndexClient(IndexOptions() with { Refresh = CacheRefresh.All });
        var outdated = OutdatedPackages.FindAsync(lockFile, client.GetProjectAsync, Cancellation).GetAwaiter().GetResult();
        if (outdated.Count == 0)
        {
            Log.LogMessage(MessageImportance.High, $"PythonOutdated: all {lockFile.Packages.Select(p => p.Name).Distinct().Count()} locked packages are at their newest version.");
            return true;
        }
        var width = outdated.Select(p => p.Name.Length).Append("Package".Length).Max();
        var lockedWidth = outdated.Select(p => string.Join(", ", p.Locked).Length).Append("Locked".Length).Max();
        Log.LogMessage(MessageImportance.High, $"{"Package".PadRight(width)}  {"Locked".PadRight(lockedWidth)}  Latest");
        foreach (var package in outdated)
        {
            Log.LogMessage(MessageImportance.High, $"{package.Name.PadRight(width)}  {string.Join(", ", package.Locked).PadRight(lockedWidth)}  {package.Latest}");
        }
        Log.LogMessage(MessageImportance.High, "PythonOutdated: to move to them, run 'dotnet build -t:PythonLock -p:PythonUpgrade=true' (or the package names, e.g. -p:PythonUpgrade=\"a b\"), within your declared ranges.");
        Outdated = outdated.Select(p => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(p.Name, new System.Collections.Generic.Dictionary<string, string>
        {
            ["Locked"] = string.Join(";", p.Locked), ["Latest"] = p.Latest, ["Index"] = p.Source,
        })).ToArray();
        return true;
    }
}
