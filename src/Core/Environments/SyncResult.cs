using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>What a sync did.</summary>
public sealed record SyncResult(
    VirtualEnvironment Venv, bool VenvCreated, bool UpToDate,
    IReadOnlyList<string> Installed, IReadOnlyList<string> Replaced, IReadOnlyList<string> Removed, int Unchanged, TimeSpan Elapsed)
{
    /// <summary>
    /// How the venv differed from what the previous sync left in it (a package installed, removed or changed
    /// by hand, files of a distribution deleted or altered), one line each; the sync put all of it back in line.
    /// Empty when the venv was as the last sync left it, or when no sync had completed in it before.
    /// </summary>
    public IReadOnlyList<string> Drift { get; init; } = Array.Empty<string>();

    /// <summary>Where the sync's time went.</summary>
    public SyncPhases Phases { get; init; } = new();

    /// <summary>The summary line the PythonSync target logs.</summary>
    public string Summary => UpToDate
        ? $"{Venv.Root} is up to date ({Unchanged} packages, {Elapsed.TotalMilliseconds:0} ms)"
        : $"{Venv.Root}: {Installed.Count} installed, {Replaced.Count} replaced, {Removed.Count} removed, {Unchanged} unchanged in {Elapsed.TotalMilliseconds:0} ms";
}
