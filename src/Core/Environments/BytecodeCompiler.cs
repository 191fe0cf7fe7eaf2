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

namespace PythonEnv.Environments;

/// <summary>How a .pyc tells whether it is still valid for its source (PEP 552).</summary>
public enum PycInvalidation
{
    /// <summary>The interpreter's default: the source's modification time and size (checked-hash when SOURCE_DATE_EPOCH is set), as pip compiles.</summary>
    Default,

    /// <summary>A hash of the source, checked on import: valid wherever the files are copied or moved (a published app).</summary>
    CheckedHash,
}

/// <summary>What a compile did: .pyc files written, and the sources this Python could not compile (they run from source).</summary>
public sealed record BytecodeReport(int Compiled, IReadOnlyList<(string Source, string Error)> Failed)
{
    /// <summary>One line for the log about the sources that did not compile, or null when all did.</summary>
    public string? FailureSummary(string pythonVersion)
        => Failed.Count == 0 ? null
            : $"{Failed.Count} .py file{(Failed.Count == 1 ? "" : "s")} did not compile with Python {pythonVersion} and run from source " +
              $"(as with pip), e.g. {Failed[0].Source}: {Failed[0].Error}";
}

/// <summary>
/// Compiles installed distributions to bytecode as pip's install does: every .py file a distribution's RECORD lists
/// in its site-packages folder is compiled by the target interpreter into <c>__pycache__</c> (PEP 3147), several
/// interpreter processes at once, and each .pyc is added to that RECORD with its sha256 and size, so an uninstall
/// removes it and the sync's look at the venv checks it like any other file. The RECORD is replaced whole.
/// </summary>
public static class BytecodeCompiler
{
    private static readonly EmbeddedScript Script = new("compile_bytecode.py");

    /// <summary>Files one interpreter process is given at least: below that, starting another costs more than it saves.</summary>
    private const int FilesPerProcess = 64;

    /// <summary>
    /// Compiles the .py files of the distributions whose dist-info folders are given, with <paramref name="python"/>,
    /// and records the .pyc files in their RECORDs. Throws PYENV4030 (<paramref name="failureCode"/>) when the
    /// interpreter cannot run the compiler; a source it cannot compile is reported, not an error.
    /// </summary>
    public static async Task<BytecodeReport> CompileAsync(
        string python, IReadOnlyList<string> distInfoFolders, PycInvalidation invalidation, CancellationToken cancellationToken,
        string failureCode = DiagnosticCodes.BytecodeCompileFailed)
    {
        var distributions = distInfoFolders.Select(Sources).Where(d => d.Sources.Count > 0).ToList();
        var sources = distributions.SelectMany(d => d.Sources).ToList();
        if (sources.Count == 0)
        {
            return new BytecodeReport(0, Array.Empty<(string, string)>());
        }

        // The largest files first, each to the least loaded process: the processes finish together.
        var processes = Math.Max(1, Math.Min(Environment.ProcessorCount, (sources.Count + FilesPerProcess - 1) / FilesPerProcess));
        var chunks = Enumerable.Range(0, processes).Select(_ => (Files: new List<string>(), Bytes: 0L)).ToArray();
        foreach (var (path, size) in sources.Select(s => (s, new FileInfo(s).Length)).OrderByDescending(s => s.Length))
        {
            var least = Array.IndexOf(chunks, chunks.OrderBy(c => c.Bytes).First());
            chunks[least].Files.Add(path);
            chunks[least].Bytes += size;
        }
        var results = await Task.WhenAll(chunks.Select(chunk => RunAsync(python, chunk.Files, invalidation, failureCode, cancellationToken))).ConfigureAwait(false);

        var compiled = new Dictionary<string, string>(StringComparer.Ordinal);
        var failed = new List<(string, string)>();
        foreach (var (source, pyc, error) in results.SelectMany(r => r))
        {
            if (pyc is null)
            {
                failed.Add((source, error ?? "not compiled"));
            }
            else
            {
                compiled[source] = pyc;
            }
        }
        var written = 0;
        foreach (var distribution in distributions)
        {
            written += Record(distribution, compiled);
        }
        return new BytecodeReport(written, failed.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Whether an installed distribution (the full paths of the files its RECORD lists, as the sync's look at the venv
    /// read them) has .py files in <paramref name="siteFolder"/> but no bytecode: installed when bytecode was not compiled.
    /// </summary>
    public static bool NeedsCompiling(string siteFolder, IEnumerable<string> installedFiles)
    {
        var paths = installedFiles.Select(file => RecordFile.RelativePath(siteFolder, file)).ToList();
        return paths.Any(IsCompilable) && !paths.Any(RecordFile.IsBytecode);
    }

    private sealed record Distribution(string DistInfo, string SiteFolder, IReadOnlyList<RecordEntry> Rows, List<string> Sources);

    /// <summary>A distribution's RECORD rows and the .py files among them that are inside its site-packages folder and present.</summary>
    private static Distribution Sources(string distInfo)
    {
        distInfo = Path.GetFullPath(distInfo).TrimEnd(Path.DirectorySeparatorChar);
        var site = Path.GetDirectoryName(distInfo)!;
        var record = Path.Combine(distInfo, "RECORD");
        var rows = File.Exists(record) ? RecordFile.Parse(File.ReadAllText(record, Encoding.UTF8)) : Array.Empty<RecordEntry>();
        var sources = rows.Where(r => IsCompilable(r.Path))
            .Select(r => Path.Combine(site, r.Path.Replace('/', Path.DirectorySeparatorChar)))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new Distribution(distInfo, site, rows, sources);
    }

    /// <summary>A RECORD path of Python source inside site-packages (scripts and data outside it are not compiled, as with pip).</summary>
    private static bool IsCompilable(string recordPath)
    {
        var path = recordPath.Replace('\\', '/');
        return path.EndsWith(".py", StringComparison.Ordinal) && RecordFile.IsInSiteFolder(path) && !RecordFile.IsBytecode(path);
    }

    private static async Task<List<(string Source, string? Pyc, string? Error)>> RunAsync(
        string python, IReadOnlyList<string> files, PycInvalidation invalidation, string failureCode, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mode"] = invalidation == PycInvalidation.CheckedHash ? "checked-hash" : "default",
            ["files"] = files,
        });
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(python, new[] { "-I", "-c", Script.Text }, standardInput: request,
                timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or IOException or TimeoutException)
        {
            throw Failed(failureCode, python, error.Message, files[0]);
        }
        if (result.ExitCode != 0)
        {
            var lines = (result.StandardError + result.StandardOutput).Trim().Split('\n');
            throw Failed(failureCode, python, $"exit code {result.ExitCode}: {lines[lines.Length - 1].Trim()}", files[0]);
        }
        var sent = new HashSet<string>(files, StringComparer.Ordinal);
        var answers = new List<(string, string?, string?)>();
        try
        {
            using var document = JsonDocument.Parse(result.StandardOutput);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var source = item[0].GetString() ?? "";
                var pyc = item[1].ValueKind == JsonValueKind.String ? item[1].GetString() : null;
                // Only a .pyc in the __pycache__ folder beside a source we sent is taken into a RECORD.
                if (!sent.Contains(source) || (pyc is not null && !IsCacheFileOf(source, pyc)))
                {
                    throw new FormatException($"it answered for {source} with {pyc}");
                }
                answers.Add((source, pyc, item[2].ValueKind == JsonValueKind.String ? item[2].GetString() : null));
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw Failed(failureCode, python, "its answer was not understood: " + error.Message, files[0]);
        }
        return answers;
    }

    private static bool IsCacheFileOf(string source, string pyc)
    {
        var folder = Path.Combine(Path.GetDirectoryName(source)!, "__pycache__");
        var name = Path.GetFileName(pyc);
        return string.Equals(Path.GetDirectoryName(Path.GetFullPath(pyc)), folder, StringComparison.Ordinal)
            && name.StartsWith(Path.GetFileNameWithoutExtension(source) + ".", StringComparison.Ordinal)
            && name.EndsWith(".pyc", StringComparison.Ordinal);
    }

    private static PythonEnvException Failed(string code, string python, string why, string file)
        => new(code, $"Compiling bytecode with {python} failed ({why}). The packages are installed; the build fails so this is not missed. " +
            "Check that the interpreter runs, or set PythonCompileBytecode=false to install without bytecode (Python then compiles on first import).", file);

    /// <summary>Adds the distribution's new .pyc files to its RECORD (or updates their rows); returns how many.</summary>
    private static int Record(Distribution distribution, IReadOnlyDictionary<string, string> compiled)
    {
        var pycs = distribution.Sources.Where(compiled.ContainsKey).Select(s => compiled[s]).ToList();
        if (pycs.Count == 0)
        {
            return 0;
        }
        var rows = distribution.Rows.ToList();
        var recordPath = RecordFile.RelativePath(distribution.SiteFolder, Path.Combine(distribution.DistInfo, "RECORD"));
        var byPath = rows.Select((row, index) => (row.Path, index)).GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
        var added = new List<RecordEntry>();
        foreach (var pyc in pycs)
        {
            var bytes = File.ReadAllBytes(pyc);
            var row = new RecordEntry(RecordFile.RelativePath(distribution.SiteFolder, pyc), Hashing.RecordHash(Hashing.Sha256(bytes)), bytes.Length);
            if (byPath.TryGetValue(row.Path, out var index))
            {
                rows[index] = row; // the wheel shipped bytecode of its own: the row now describes the compiled file
            }
            else
            {
                added.Add(row);
            }
        }
        // RECORD's own row stays last, as installers write it.
        var own = rows.FindIndex(r => r.Path == recordPath);
        rows.InsertRange(own < 0 ? rows.Count : own, added);
        AtomicFile.Write(Path.Combine(distribution.DistInfo, "RECORD"), Encoding.UTF8.GetBytes(RecordFile.Write(rows)));
        return pycs.Count;
    }
}
