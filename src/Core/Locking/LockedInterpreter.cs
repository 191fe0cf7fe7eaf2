using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Interpreters;

namespace PythonEnv.Locking;

/// <summary>
/// The interpreter a lock was made for, under <c>[tool.pythonenv-sdk.interpreter]</c>: what was asked
/// (<see cref="Request"/>, <see cref="Source"/>: a change is drift) and what was used (implementation, version and,
/// for a managed interpreter, its build and every platform's download with its sha256, so each machine installs
/// exactly these bytes).
/// </summary>
public sealed record LockedInterpreter
{
    /// <summary>PythonVersion, or the lines of .python-version; null when nothing asked for a version.</summary>
    public string? Request { get; init; }

    /// <summary><c>auto</c>, <c>managed</c> or <c>system</c> (<c>PythonInterpreterSource</c>).</summary>
    public string Source { get; init; } = "auto";

    public string? Implementation { get; init; }

    public string? Version { get; init; }

    /// <summary>The managed build's key (<c>cpython-3.12.8+20241219-linux-x86_64-gnu</c>) on the machine that locked; null for an installed interpreter.</summary>
    public string? Build { get; init; }

    /// <summary>The managed build's downloads, one per platform.</summary>
    public IReadOnlyList<LockedInterpreterDownload> Downloads { get; init; } = [];

    /// <summary>Whether there is anything to record: a request, a source other than auto, or a managed build.</summary>
    public bool IsWorthRecording => Request is not null || Source != "auto" || Build is not null;

    /// <summary>The recorded build for <paramref name="platform"/>, or null.</summary>
    public PythonBuild? BuildFor(BuildPlatform platform) =>
        Downloads.Where(d => d.Platform == platform.Key).Select(d => d.ToBuild()).FirstOrDefault();

    /// <summary>
    /// The request and the source, as drift is judged (what was found may differ from machine to machine). A request
    /// where the lock recorded none is not drift: a lock made without one holds for any interpreter (and records the
    /// request the next time it is made); a recorded request that changed or went away is.
    /// </summary>
    public static IEnumerable<ManifestChange> Compare(LockedInterpreter? recorded, LockedInterpreter? current)
    {
        var before = recorded ?? new LockedInterpreter();
        var after = current ?? new LockedInterpreter();
        if (before.Request is not null && !string.Equals(before.Request, after.Request ?? "", StringComparison.Ordinal))
        {
            yield return new ManifestChange(after.Request is null ? ManifestChangeKind.Removed : ManifestChangeKind.Changed, "interpreter request", before.Request, after.Request);
        }

        if (before.Source != after.Source)
        {
            yield return new ManifestChange(ManifestChangeKind.Changed, "interpreter source (PythonInterpreterSource)", before.Source, after.Source);
        }
    }
}

/// <summary>One platform's download of a locked managed interpreter.</summary>
public sealed record LockedInterpreterDownload(string Build, string Platform, string Url, string Sha256)
{
    /// <summary>The build this download stands for (its key's version and platform, the recorded URL and sha256).</summary>
    public PythonBuild ToBuild()
    {
        // cpython-3.12.8+20241219-linux-x86_64-gnu: implementation, version[+release], then the platform's three parts.
        var parts = Build.Split('-');
        if (parts.Length < 5 || Platform != string.Join("-", parts.Skip(parts.Length - 3)))
        {
            throw new FormatException($"'{Build}' is not a build name for the platform '{Platform}'");
        }

        var versionAndRelease = string.Join("-", parts.Skip(1).Take(parts.Length - 4)).Split('+');
        var version = System.Text.RegularExpressions.Regex.Match(versionAndRelease[0], @"^(\d+)\.(\d+)\.(\d+)((?:a|b|rc)\d+)?$");
        if (!version.Success)
        {
            throw new FormatException($"'{Build}' does not name a Python version such as 3.12.8");
        }

        int Number(int group) => int.Parse(version.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new PythonBuild(parts[0], Number(1), Number(2), Number(3), version.Groups[4].Value,
            BuildPlatform.Of(parts[parts.Length - 3], parts[parts.Length - 2], parts[parts.Length - 1]), Url, Sha256,
            versionAndRelease.Length > 1 ? versionAndRelease[1] : null);
    }
}
