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
    /// <summary>Warning: a project file writes credentials into an index URL property; they are not used (MSBuild logs properties).</summary>
    public const string CredentialsInProject = "PYENV1003";
    /// <summary>A pin names an index that no PythonIndex item or [[tool.uv.index]] defines, or a named index is invalid (no URL, a name given twice).</summary>
    public const string UnknownIndex = "PYENV1010";
    /// <summary>A package is pinned to two different indexes where both pins' markers can hold at once.</summary>
    public const string OverlappingIndexPins = "PYENV1011";
    /// <summary>A [tool.uv.sources] entry of a kind the SDK cannot lock (git, path, url, workspace, editable).</summary>
    public const string UnsupportedSource = "PYENV1012";
    /// <summary>A requirement's range shares no version with its package's central version (PythonPackageVersion); names both places.</summary>
    public const string CentralVersionConflict = "PYENV1020";
    /// <summary>A package has two central versions (PythonPackageVersion items).</summary>
    public const string CentralVersionDuplicate = "PYENV1021";
    /// <summary>Warning: a package a project uses carries Python requirements, and the project does not use PythonEnv.Sdk.</summary>
    public const string PackageRequirementsUnused = "PYENV1022";
    /// <summary>No resolution satisfies the declarations; the message carries the explanation.</summary>
    public const string NoSolution = "PYENV2001";
    /// <summary>Warning: a version was skipped because its metadata cannot be read (a line no parser accepts), as pip skips it.</summary>
    public const string UnreadableMetadata = "PYENV2002";
    /// <summary>Warning: a declaration (or a direct dependency's Requires-Dist) asks for an extra the package does not provide.</summary>
    public const string UnknownExtra = "PYENV2003";
    /// <summary>The lock needs a requires-python and nothing gives one (no declaration, PythonVersion, .python-version or interpreter).</summary>
    public const string RequiresPythonUnknown = "PYENV2004";
    /// <summary>Warning: a dependency's requirement was left out: it cannot be met, and its marker (platform_release &lt; '2.6') cannot be decided for the locked environments.</summary>
    public const string UnmetUndecidableRequirement = "PYENV2005";
    /// <summary>The lock is out of date with the declarations in Locked mode.</summary>
    public const string LockOutOfDate = "PYENV3001";
    /// <summary>The lock file is malformed or fails validation.</summary>
    public const string InvalidLock = "PYENV3002";
    /// <summary>The lock (or its requirements export) could not be written; the previous file is unchanged.</summary>
    public const string LockWriteFailed = "PYENV3003";
    /// <summary>A project sets PythonSharedLock but is not one of its PythonSharedLockProject items (reported by PythonEnv.Sdk.SharedLock.targets).</summary>
    public const string SharedLockNotMember = "PYENV3010";
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
    /// <summary>Two locked packages install the same file (or the same script), or one would take a file a package that stays owns.</summary>
    public const string InstallConflict = "PYENV4010";
    /// <summary>Compiling the venv's bytecode (PythonCompileBytecode) failed: the interpreter could not run the compiler.</summary>
    public const string BytecodeCompileFailed = "PYENV4030";
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
    /// <summary>PythonRun needs exactly one of PythonScript and PythonModule.</summary>
    public const string RunTargetMissing = "PYENV1030";
    /// <summary>PythonRun's PythonScript names no file.</summary>
    public const string RunScriptNotFound = "PYENV1031";
    /// <summary>PythonCacheMaxAge is not a whole number of days (0 or more).</summary>
    public const string InvalidCacheMaxAge = "PYENV1032";
    /// <summary>PythonWhy names a package the lock does not hold.</summary>
    public const string WhyPackageNotLocked = "PYENV1033";
    /// <summary>The script or module PythonRun ran exited with a code other than 0.</summary>
    public const string RunFailed = "PYENV9001";
    /// <summary>A cache clean or prune found the cache in use by other builds for too long.</summary>
    public const string CacheInUse = "PYENV9002";
    /// <summary>A daily-loop target (PythonTree, PythonOutdated, PythonRun) found no lock file to work from.</summary>
    public const string NoLockFile = "PYENV9003";
    /// <summary>No managed (downloadable) interpreter build fits the request on this platform.</summary>
    public const string NoManagedInterpreter = "PYENV7001";
    /// <summary>The downloads manifest (the SDK's, or PythonDownloadsManifest) cannot be read or is not in uv's download-metadata.json format.</summary>
    public const string InvalidDownloadsManifest = "PYENV7002";
    /// <summary>PythonOffline is true and the managed interpreter build is not in the cache.</summary>
    public const string ManagedInterpreterNotCached = "PYENV7003";
    /// <summary>A downloaded interpreter archive does not have the sha256 the manifest or the lock gives.</summary>
    public const string InterpreterHashMismatch = "PYENV7004";
    /// <summary>Downloading an interpreter build failed (network, HTTP status, cut short).</summary>
    public const string InterpreterDownloadFailed = "PYENV7005";
    /// <summary>An interpreter archive is not a safe install_only archive (bad tar, unsafe path or link, no interpreter in it).</summary>
    public const string InvalidInterpreterArchive = "PYENV7006";
    /// <summary>The lock pins a managed interpreter but records no build for this platform.</summary>
    public const string LockedInterpreterMissingPlatform = "PYENV7007";
    /// <summary>PythonSelfContained is true but the build's interpreter is not a managed one, so there is nothing to ship.</summary>
    public const string SelfContainedNeedsManagedInterpreter = "PYENV7008";
    /// <summary>Managed interpreters are unpacked only by MSBuild on .NET (the dotnet CLI), not on .NET Framework.</summary>
    public const string ManagedInterpreterUnsupported = "PYENV7009";
}
