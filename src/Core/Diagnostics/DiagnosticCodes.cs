namespace PythonEnv.Diagnostics;

/// <summary>
/// Every diagnostic code the SDK emits, in one place so codes are never reused. The README lists them
/// for users; add a row there when adding one here.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>Invalid requirement or declaration (PythonPackage/PythonConstraint item, requirements line).</summary>
    public const string InvalidDeclaration = "PYENV1001";
    /// <summary>pyproject.toml (or another declaration file) is not valid TOML or breaks its schema.</summary>
    public const string InvalidDeclarationFile = "PYENV1002";
    /// <summary>No resolution satisfies the declarations; the message carries the explanation.</summary>
    public const string NoSolution = "PYENV2001";
    /// <summary>The lock is out of date with the declarations in Locked mode.</summary>
    public const string LockOutOfDate = "PYENV3001";
    /// <summary>The lock file is malformed or fails validation.</summary>
    public const string InvalidLock = "PYENV3002";
    /// <summary>No Python interpreter matches what was asked for.</summary>
    public const string NoInterpreter = "PYENV4001";
    /// <summary>PythonVenvDir exists and is not a virtual environment, so it is not replaced.</summary>
    public const string VenvDirNotAVenv = "PYENV4002";
    /// <summary>Creating the virtual environment failed.</summary>
    public const string VenvCreationFailed = "PYENV4003";
    /// <summary>A wheel is unsafe or inconsistent (path escaping the target, RECORD mismatch, bad metadata): not installed.</summary>
    public const string InvalidWheel = "PYENV4004";
    /// <summary>A wheel or sdist handed to the installer (a local file, a find-links file) does not match the lock's size or sha256.</summary>
    public const string ArtifactHashMismatch = "PYENV4005";
    /// <summary>A locked package has no wheel for this interpreter and cannot (or may not) be built from its sdist.</summary>
    public const string NoCompatibleWheel = "PYENV4006";
    /// <summary>Building a wheel from an sdist (PEP 517) failed.</summary>
    public const string BuildFailed = "PYENV4007";
    /// <summary>Another build holds the environment or cache lock for too long.</summary>
    public const string LockTimeout = "PYENV4008";
    /// <summary>Warning: the venv had drifted from the lock since the last sync (packages installed, removed or altered by hand); it was put back in line.</summary>
    public const string VenvDrifted = "PYENV4009";
    /// <summary>A package is on none of the configured indexes.</summary>
    public const string PackageNotFound = "PYENV5001";
    /// <summary>An index refused our credentials (401/403).</summary>
    public const string AuthenticationFailed = "PYENV5002";
    /// <summary>Network failure after retries.</summary>
    public const string NetworkFailure = "PYENV5003";
    /// <summary>Offline, and the cache does not hold what is needed.</summary>
    public const string OfflineCacheMiss = "PYENV5004";
    /// <summary>An index answered something the client cannot read (unknown API major version, malformed page).</summary>
    public const string InvalidIndexResponse = "PYENV5005";
    /// <summary>A downloaded distribution or metadata file does not match the hash or size the index gave.</summary>
    public const string HashMismatch = "PYENV5006";
    /// <summary>Warning: the project embeds Python (pythonnet, PythonEmbedded) and the interpreter has no shared libpython.</summary>
    public const string NoSharedLibPython = "PYENV6001";
    /// <summary>Warning: the referenced pythonnet version cannot load the environment's Python version.</summary>
    public const string PythonNetUnsupportedPython = "PYENV6002";
    /// <summary>A project without a lock of its own references projects with different Python environments.</summary>
    public const string ConflictingReferencedEnvironments = "PYENV6003";
    /// <summary>A publish for a RuntimeIdentifier whose platform the lock's environments do not cover.</summary>
    public const string PublishPlatformNotLocked = "PYENV6004";
    /// <summary>A publish for another platform than the build machine's while the environment holds native code.</summary>
    public const string PublishPlatformMismatch = "PYENV6005";
    /// <summary>A file of the venv to publish is missing or does not match its RECORD hash.</summary>
    public const string PublishedFileAltered = "PYENV6006";
    /// <summary>Compiling the published environment's bytecode failed.</summary>
    public const string PublishCompileFailed = "PYENV6007";
}
