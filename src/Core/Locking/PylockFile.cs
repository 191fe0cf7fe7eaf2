using System;
using System.Collections.Generic;

namespace PythonEnv.Locking;

/// <summary>
/// A PEP 751 lock file (<c>pylock.toml</c>), as the packaging.python.org "pylock.toml specification"
/// defines it. Values are kept as the spec's strings (versions, markers, specifiers) so a lock can be read,
/// validated and rewritten byte for byte; the resolver and the installer interpret them.
/// </summary>
public sealed class PylockFile
{
    /// <summary>The only lock version this reader and writer speak.</summary>
    public const string SupportedLockVersion = "1.0";

    /// <summary>This tool's name: the lock's <c>created-by</c> and its <c>[tool]</c> table.</summary>
    public const string ToolName = "pythonenv-sdk";

    /// <summary>The command that re-locks, which a stale or invalid lock tells the user to run.</summary>
    public const string FixCommand = "dotnet build -t:PythonLock -p:PythonLockMode=Update";

    public string LockVersion { get; init; } = SupportedLockVersion;

    /// <summary>PEP 508 markers of the environments the lock covers; empty means "any".</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The specifier set of the Python versions the lock covers.</summary>
    public string? RequiresPython { get; init; }

    /// <summary>The project's extras the lock covers (markers use <c>'x' in extras</c>).</summary>
    public IReadOnlyList<string> Extras { get; init; } = [];

    /// <summary>The dependency groups the lock covers (markers use <c>'x' in dependency_groups</c>).</summary>
    public IReadOnlyList<string> DependencyGroups { get; init; } = [];

    /// <summary>The groups an installer uses when none are asked for.</summary>
    public IReadOnlyList<string> DefaultGroups { get; init; } = [];

    public string CreatedBy { get; init; } = "";

    public IReadOnlyList<LockedPackage> Packages { get; init; } = [];

    /// <summary>What the lock was made from (<c>[tool.pythonenv-sdk]</c>); null when another tool wrote the lock.</summary>
    public LockManifest? Manifest { get; init; }
}

/// <summary>One <c>[[packages]]</c> entry: a package version and the files that install it.</summary>
public sealed class LockedPackage
{
    /// <summary>The PEP 503 normalized name.</summary>
    public string Name { get; init; } = "";

    public string? Version { get; init; }

    /// <summary>When the entry applies (PEP 508); null means always.</summary>
    public string? Marker { get; init; }

    public string? RequiresPython { get; init; }

    /// <summary>The simple-API URL of the index the files come from (no credentials); null for local folders (<see cref="LockPaths"/>).</summary>
    public string? Index { get; init; }

    /// <summary>The other entries this one depends on, identified by name (and version when the name is ambiguous).</summary>
    public IReadOnlyList<LockedDependency> Dependencies { get; init; } = [];

    public LockedFile? Sdist { get; init; }

    public IReadOnlyList<LockedFile> Wheels { get; init; } = [];

    /// <summary>True when the entry uses a source we read but do not install from (<c>vcs</c>, <c>directory</c>, <c>archive</c>).</summary>
    public string? OtherSourceKind { get; init; }

    public override string ToString() => Marker is null ? $"{Name} {Version}" : $"{Name} {Version} ; {Marker}";
}

/// <summary>A reference from one package entry to another.</summary>
public sealed record LockedDependency(string Name, string? Version = null, string? Marker = null);

/// <summary>An sdist or a wheel: where to get it and how to check it.</summary>
public sealed class LockedFile
{
    public string? Name { get; init; }

    /// <summary>Where to download the file; null when it is on the local file system.</summary>
    public string? Url { get; init; }

    /// <summary>PEP 751 <c>path</c>: a local file, relative to the lock file's directory with <c>/</c> separators, or absolute (<see cref="LockPaths"/>).</summary>
    public string? Path { get; init; }

    public long? Size { get; init; }

    /// <summary>PEP 700/751 <c>upload-time</c>, as the index gave it.</summary>
    public DateTimeOffset? UploadTime { get; init; }

    /// <summary>
    /// The digits of the fraction of a second <see cref="UploadTime"/> was given with (<c>…56.123456Z</c>: 6), so the
    /// lock keeps the index's precision; null: as many as the value needs.
    /// </summary>
    public int? UploadTimeDigits { get; init; }

    /// <summary>Algorithm (e.g. <c>sha256</c>) to lowercase hex digest.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = new Dictionary<string, string>();

    /// <summary>The file name: <see cref="Name"/>, else the last segment of the URL or path.</summary>
    public string FileName
    {
        get
        {
            if (Name is not null)
            {
                return Name;
            }

            var location = Url ?? Path ?? "";
            var end = location.IndexOfAny(['?', '#']);
            if (end >= 0)
            {
                location = location.Substring(0, end);
            }

            return Uri.UnescapeDataString(location.Substring(location.LastIndexOfAny(['/', '\\']) + 1));
        }
    }
}
