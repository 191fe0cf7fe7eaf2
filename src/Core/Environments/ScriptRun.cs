using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Hosts;

namespace PythonEnv.Environments;

/// <summary>What <c>PythonRun</c> runs: a script file or a module (<c>python -m</c>), with its arguments.</summary>
public sealed record RunCommand(string? Script, string? Module, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// The command from the targets' properties: exactly one of <c>PythonScript</c> and <c>PythonModule</c> (PYENV1030),
    /// a script that exists, relative to <paramref name="projectDirectory"/> (PYENV1031), and <c>PythonArguments</c>
    /// split as a shell splits words (whitespace, with single or double quotes around words that hold spaces).
    /// </summary>
    public static RunCommand From(string? script, string? module, string? arguments, string projectDirectory)
    {
        var hasScript = !string.IsNullOrWhiteSpace(script);
        var hasModule = !string.IsNullOrWhiteSpace(module);
        if (hasScript == hasModule)
        {
            throw new PythonEnvException(DiagnosticCodes.RunTargetMissing, hasScript
                ? $"PythonRun was given both PythonScript ('{script}') and PythonModule ('{module}'). Set one: -p:PythonScript=train.py, or -p:PythonModule=pytest."
                : "PythonRun needs what to run: -p:PythonScript=train.py (a file, relative to the project), or -p:PythonModule=pytest (python -m), with -p:PythonArguments=\"...\" for its arguments.");
        }
        var words = Words(arguments ?? "");
        if (hasModule)
        {
            return new RunCommand(null, module!.Trim(), words);
        }
        var path = Path.GetFullPath(Path.Combine(projectDirectory, script!.Trim()));
        if (!File.Exists(path))
        {
            throw new PythonEnvException(DiagnosticCodes.RunScriptNotFound, $"PythonScript names '{script}', but there is no file {path}. Give a path relative to the project folder.");
        }
        return new RunCommand(path, null, words);
    }

    /// <summary>What follows <c>python</c> on the command line.</summary>
    public IReadOnlyList<string> PythonArguments() =>
        (Module is not null ? new[] { "-m", Module } : new[] { Script! }).Concat(Arguments).ToList();

    /// <summary>How the build names the command in messages: <c>train.py</c>, <c>-m pytest</c>.</summary>
    public string Describe() => Module is not null ? "-m " + Module : Path.GetFileName(Script!);

    private static readonly Regex Word = new("\"(?<w>[^\"]*)\"|'(?<w>[^']*)'|(?<w>[^\\s\"']+)", RegexOptions.CultureInvariant);

    /// <summary>Words separated by whitespace; quotes group a word with spaces (adjacent pieces join: <c>--name="a b"</c>).</summary>
    internal static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        StringBuilder? current = null;
        var end = -1;
        foreach (Match match in Word.Matches(text))
        {
            if (current is not null && match.Index != end)
            {
                words.Add(current.ToString());
                current = null;
            }
            (current ??= new StringBuilder()).Append(match.Groups["w"].Value);
            end = match.Index + match.Length;
        }
        if (current is not null)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}

/// <summary>
/// Runs a command in the synced venv, as <c>uv run</c> does: the venv's python, <c>VIRTUAL_ENV</c> set and its scripts
/// folder first on <c>PATH</c>, <c>PYTHONHOME</c> unset, <c>PYTHONUNBUFFERED</c> set (its output is streamed), and the host values as <c>PYTHONENV_*</c> variables (the names
/// of <see cref="HostValues"/>, upper case with <c>_</c> between words: <c>PYTHONENV_PYTHON_LIBRARY</c>).
/// </summary>
public static class ScriptRun
{
    /// <summary>The variables the command runs with, besides the build's own: null removes one.</summary>
    public static IDictionary<string, string?> Environment(IReadOnlyDictionary<string, string> hostValues)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in hostValues)
        {
            variables["PYTHONENV_" + Regex.Replace(pair.Key, "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant()] = pair.Value;
        }
        var python = hostValues[HostValues.PythonExecutable];
        variables["VIRTUAL_ENV"] = hostValues[HostValues.PythonPrefix];
        variables["PATH"] = Path.GetDirectoryName(python) + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH");
        variables["PYTHONHOME"] = null;
        // Its output goes through a pipe, where Python would buffer it until exit: line by line, as on a terminal.
        variables["PYTHONUNBUFFERED"] = System.Environment.GetEnvironmentVariable("PYTHONUNBUFFERED") ?? "1";
        return variables;
    }

    /// <summary>Runs <paramref name="command"/> to its end, each line of its output and error streams passed on as it comes; returns its exit code.</summary>
    public static async Task<int> RunAsync(
        RunCommand command, IReadOnlyDictionary<string, string> hostValues, string workingDirectory,
        Action<string> output, Action<string> error, CancellationToken cancellationToken = default)
    {
        var result = await ProcessRunner.RunAsync(hostValues[HostValues.PythonExecutable], command.PythonArguments(), workingDirectory,
            Environment(hostValues), timeout: System.Threading.Timeout.InfiniteTimeSpan, cancellationToken: cancellationToken,
            onOutputLine: output, onErrorLine: error).ConfigureAwait(false);
        return result.ExitCode;
    }
}
