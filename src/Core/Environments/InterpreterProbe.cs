using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// Runs the embedded <c>probe.py</c> in a candidate interpreter and caches the answer on disk, keyed by the
/// candidate's path, size and modification time (and those of the executable it resolved to), so a build
/// pays for starting Python at most once per interpreter install.
/// </summary>
public sealed class InterpreterProbe
{
    private const string CacheFolder = "interpreters-v1";
    private static readonly EmbeddedScript Script = new("probe.py");

    // Entries made by another version of the probe script are stale: the script's digest is part of the key.
    private static readonly Lazy<string> ScriptDigest = new(() => Hashing.Sha256Hex(Encoding.UTF8.GetBytes(Script.Text)).Substring(0, 16));

    private readonly string? _cacheDirectory;

    /// <param name="cacheDirectory">The SDK's cache root (PythonCacheDir); null disables the disk cache.</param>
    public InterpreterProbe(string? cacheDirectory)
    {
        _cacheDirectory = cacheDirectory;
    }

    /// <summary>The probe script's text (what runs inside the interpreter).</summary>
    public static string ScriptText => Script.Text;

    /// <summary>Probes <paramref name="executable"/>, or returns null when it is not a working Python (with why in <paramref name="failure"/>).</summary>
    public async Task<(PythonInterpreter? Interpreter, string? Failure)> TryProbeAsync(string executable, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(executable);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return (null, "does not exist");
        }
        var cacheFile = CacheFile(path);
        if (cacheFile is not null && TryReadCache(cacheFile, file) is { } cached)
        {
            return (cached, null);
        }

        ProcessResult result;
        try
        {
            // -I: ignore PYTHON* variables and the user site, so the answer depends on the install only.
            result = await ProcessRunner.RunAsync(path, new[] { "-I", "-" }, standardInput: Script.Text,
                timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or TimeoutException or UnauthorizedAccessException)
        {
            return (null, "could not be run: " + e.Message);
        }
        if (result.ExitCode != 0)
        {
            var error = result.StandardError.Trim();
            var lastLine = error.Length == 0 ? $"exit code {result.ExitCode}" : error.Substring(error.LastIndexOf('\n') + 1);
            return (null, "failed to run the probe: " + lastLine);
        }

        PythonInterpreter interpreter;
        try
        {
            interpreter = PythonInterpreter.FromJson(result.StandardOutput.Trim());
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or IndexOutOfRangeException or System.Collections.Generic.KeyNotFoundException)
        {
            return (null, "printed something that is not the probe's answer (" + e.Message + ")");
        }
        if (cacheFile is not null)
        {
            WriteCache(cacheFile, file, interpreter);
        }
        return (interpreter, null);
    }

    /// <summary>Probes <paramref name="executable"/> or throws when it is not a working Python.</summary>
    public async Task<PythonInterpreter> ProbeAsync(string executable, CancellationToken cancellationToken = default)
    {
        var (interpreter, failure) = await TryProbeAsync(executable, cancellationToken).ConfigureAwait(false);
        return interpreter ?? throw new Diagnostics.PythonEnvException(Diagnostics.DiagnosticCodes.NoInterpreter,
            $"The Python interpreter '{executable}' {failure}. Set PythonInterpreter to a working python executable, or remove it to let the SDK discover one.");
    }

    private string? CacheFile(string path)
    {
        if (_cacheDirectory is null)
        {
            return null;
        }
        var name = Hashing.Sha256Hex(Encoding.UTF8.GetBytes(path)).Substring(0, 24);
        return Path.Combine(_cacheDirectory, CacheFolder, name + ".json");
    }

    private static string Stamp(FileInfo file)
    {
        file.Refresh();
        return file.Exists
            ? file.Length.ToString(CultureInfo.InvariantCulture) + ":" + file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)
            : "missing";
    }

    private static PythonInterpreter? TryReadCache(string cacheFile, FileInfo candidate)
    {
        try
        {
            if (!File.Exists(cacheFile))
            {
                return null;
            }
            using var document = JsonDocument.Parse(File.ReadAllText(cacheFile));
            var root = document.RootElement;
            if (root.GetProperty("path").GetString() != candidate.FullName || root.GetProperty("stamp").GetString() != Stamp(candidate)
                || root.GetProperty("script").GetString() != ScriptDigest.Value)
            {
                return null;
            }
            var interpreter = PythonInterpreter.FromJson(root.GetProperty("probe").GetRawText());
            // The candidate may be a link or launcher whose target was replaced (pyenv reinstall): check it too.
            if (root.GetProperty("executable_stamp").GetString() != Stamp(new FileInfo(interpreter.Executable)))
            {
                return null;
            }
            return interpreter;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Collections.Generic.KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    private static void WriteCache(string cacheFile, FileInfo candidate, PythonInterpreter interpreter)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("path", candidate.FullName);
                writer.WriteString("stamp", Stamp(candidate));
                writer.WriteString("script", ScriptDigest.Value);
                writer.WriteString("executable_stamp", Stamp(new FileInfo(interpreter.Executable)));
                writer.WritePropertyName("probe");
                using (var probe = JsonDocument.Parse(interpreter.Json))
                {
                    probe.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            AtomicFile.Write(cacheFile, buffer.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: a read-only or contended cache folder must not fail the build.
        }
    }
}
