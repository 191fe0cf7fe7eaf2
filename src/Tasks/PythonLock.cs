using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Locking;
using PythonEnv.Workflows;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Makes or checks <c>pylock.toml</c> from the project's declarations (items, pyproject.toml, requirements files)
/// by <c>PythonLockMode</c>: Update re-resolves when they drifted, Locked fails with PYENV3001, Frozen does nothing.
/// On success it records the declaration files it read (for the target's Inputs) and touches the stamp (its Outputs).
/// </summary>
public sealed class PythonLock : PythonIndexTask
{
    [Required] public string LockFile { get; set; } = "";
    public ITaskItem[] Packages { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] Constraints { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] RequirementsFiles { get; set; } = Array.Empty<ITaskItem>();

    /// <summary><c>PythonIndex</c> items: named indexes that <c>Index</c> metadata pins packages to.</summary>
    public ITaskItem[] Indexes { get; set; } = Array.Empty<ITaskItem>();

    /// <summary><c>PythonTorchBackend</c>: <c>cpu</c>, <c>cu121</c>, ... or <c>auto</c>.</summary>
    public string? TorchBackend { get; set; }

    /// <summary><c>PythonTorchIndexUrl</c>: where PyTorch's per-backend indexes are.</summary>
    public string? TorchIndexUrl { get; set; }
    public string? ProjectFile { get; set; }

    /// <summary>What the referenced projects' PythonFlowingRequirements returned (PythonEnv.Sdk.References.targets).</summary>
    public ITaskItem[] ReferencedDeclarations { get; set; } = Array.Empty<ITaskItem>();

    /// <summary><c>PythonPackageVersion</c> items: the repository's central versions.</summary>
    public ITaskItem[] CentralVersions { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>
    /// With <c>PythonSharedLock</c>: what every project of the set declares (PythonEnv.Sdk.SharedLock.targets), locked
    /// together in place of this project's own declarations.
    /// </summary>
    public ITaskItem[] SharedMembers { get; set; } = Array.Empty<ITaskItem>();
    public string? Mode { get; set; }
    public string? Upgrade { get; set; }
    public string? RequiresPython { get; set; }
    public string? PythonVersion { get; set; }
    public string? PythonInterpreter { get; set; }
    public string? NoBuild { get; set; }
    public string? Environments { get; set; }
    public string? Resolution { get; set; }
    public string? Prerelease { get; set; }
    public string? StampFile { get; set; }
    public string? InputsFile { get; set; }

    protected override string WhenCanceled => "PythonLock was canceled; the lock was not changed.";

    protected override bool Run()
    {
        var clock = Stopwatch.StartNew();
        var mode = PythonProperties.LockMode(Mode);
        var declarations = SharedMembers.Length > 0
            ? Declarations.Shared(SharedMembers, CentralVersions, RequiresPython, Indexes)
            : Declarations.Gather(Packages, Constraints, RequirementsFiles, ProjectFile, ReferencedDeclarations, CentralVersions, RequiresPython, Indexes);
        foreach (var error in declarations.Errors)
        {
            Diagnostics.LogError(this, error, ProjectFullPath);
        }

        if (declarations.Errors.Count > 0)
        {
            return false;
        }

        var index = IndexOptions();
        using var turn = LockFileGuard.Acquire(LockFile, index.CacheDir, Cancellation);
        using var progress = NewProgress("PythonLock: ");
        var outcome = LockWorkflow.Run(declarations, index, new LockRequest
        {
            Progress = progress,
            LockPath = LockFile,
            Mode = mode,
            Upgrade = PythonProperties.Upgrade(Upgrade),
            Environments = PropertyLists.Markers(Environments),
            Resolution = PythonProperties.Resolution(Resolution),
            Prerelease = PythonProperties.Prerelease(Prerelease),
            PythonVersion = PythonVersion,
            ProjectDirectory = ProjectDirectory,
            PythonInterpreter = string.IsNullOrWhiteSpace(PythonInterpreter) ? null : PythonInterpreter,
            NoBuild = PythonProperties.Boolean(PythonProperties.NoBuildName, NoBuild),
            TorchBackend = PythonProperties.TorchBackend(TorchBackend),
            TorchIndexUrl = string.IsNullOrWhiteSpace(TorchIndexUrl) ? null : TorchIndexUrl,
            InterpreterSource = PythonProperties.InterpreterSource(InterpreterSource),
            ManagedInterpreters = ManagedInterpreters(index),
            Log = line => Log.LogMessage(MessageImportance.High, "PythonLock: " + line),
            Note = line => Log.LogMessage(MessageImportance.Normal, "PythonLock: " + line),
            // A skipped version (PYENV2002) is about no file of the user's: it is reported at the lock it shaped.
            Warn = warning => Diagnostics.LogWarning(Log, warning.File is null ? new PythonEnvException(warning.Code, warning.Message, LockFile) : warning),
        }, Cancellation);

        var summary = outcome.Written
            ? $"PythonLock: wrote {LockFile} ({outcome.PackageChanges.Count} package change(s), {clock.Elapsed.TotalMilliseconds:0} ms)"
            : $"PythonLock: {Path.GetFileName(LockFile)} is up to date ({clock.Elapsed.TotalMilliseconds:0} ms)";
        Log.LogMessage(outcome.Written ? MessageImportance.High : MessageImportance.Normal, summary);
        LogPhases("PythonLock: ", progress);
        Record(declarations.Files);
        return !Log.HasLoggedErrors;
    }

    /// <summary>The stamp and the list of declaration files the next build's Inputs include (requirements -r includes are found only by reading).</summary>
    private void Record(IReadOnlyList<string> declarationFiles)
    {
        if (!string.IsNullOrWhiteSpace(InputsFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(InputsFile)!);
            var text = string.Join("\n", declarationFiles) + "\n";
            if (!File.Exists(InputsFile) || File.ReadAllText(InputsFile) != text)
            {
                File.WriteAllText(InputsFile, text);
            }
        }

        if (!string.IsNullOrWhiteSpace(StampFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StampFile)!);
            File.WriteAllText(StampFile, "");
            File.SetLastWriteTimeUtc(StampFile, DateTime.UtcNow);
        }
    }
}
