using System;
using System.Diagnostics;
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

/// <summary>How <see cref="EnvironmentSync"/> gets and builds artifacts.</summary>
public sealed class SyncOptions
{
    /// <summary>The SDK cache root (PythonCacheDir): unpacked wheels, built wheels, locks.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>
    /// Downloads a URL with a known sha256 and size into the download cache and returns the local path
    /// (the index client's <c>DownloadAsync</c>); null when only local files may be used.
    /// </summary>
    public Func<Uri, string, long?, CancellationToken, Task<string>>? Download { get; init; }

    /// <summary>
    /// Ranks a wheel file name for the target interpreter: lower is better, null is incompatible. By default
    /// the interpreter's own PEP 425 tag order (<see cref="PythonInterpreter.Tags"/>).
    /// </summary>
    public Func<string, int?>? RankWheel { get; init; }

    internal int? Rank(PythonInterpreter interpreter, string fileName)
        => RankWheel is not null ? RankWheel(fileName)
            : WheelFileName.TryParse(fileName, out var wheel) ? interpreter.Tags.Rank(wheel) : null;

    /// <summary>Builds sdists when no wheel fits; null or <see cref="NoBuild"/> makes that an error.</summary>
    public Pep517Builder? SdistBuilder { get; init; }

    /// <summary>How far a wheel may expand when it is unpacked into the cache.</summary>
    public UnpackLimits Limits { get; init; } = UnpackLimits.Default;

    /// <summary>PythonNoBuild: never build from source.</summary>
    public bool NoBuild { get; init; }

    /// <summary>
    /// PythonCompileBytecode: compile every installed distribution's .py files (<see cref="BytecodeCompiler"/>), as pip
    /// does by default; distributions installed before without bytecode are compiled too.
    /// </summary>
    public bool CompileBytecode { get; init; }

    /// <summary>Receives notes that are not changes (sources the interpreter could not compile).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>Receives one line per change (install, remove, replace, venv creation).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Told about unpacks, builds and links while they run (downloads report through the index client).</summary>
    public IProgressReporter? Progress { get; init; }
}
