using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Packaging;

namespace PythonEnv.Locking;

/// <summary>
/// The lock's requires-python and where it came from, in the README's order: a declaration
/// (<c>PythonRequiresPython</c>, else pyproject.toml's <c>requires-python</c>); else the lowest Python that
/// <c>PythonVersion</c>, else <c>.python-version</c>, asks for (<c>3.11</c> locks for <c>&gt;=3.11</c>); else
/// what the lock already records; else the interpreter the build found (<c>&gt;=3.X</c>, as uv does), said once
/// when the lock takes it. Never a silent default.
/// </summary>
public sealed record LockRequiresPython(string Specifiers, string Origin)
{
    /// <summary>Derives requires-python; <paramref name="findInterpreter"/> runs only when nothing else says it.</summary>
    /// <param name="recorded">The requires-python the existing lock records, if any.</param>
    public static LockRequiresPython Derive(string? declared, string? pythonVersion, string? projectDirectory, string? recorded, Func<PythonInterpreter> findInterpreter)
    {
        if (!string.IsNullOrWhiteSpace(declared))
        {
            return new(declared!.Trim(), "declared");
        }

        if (!string.IsNullOrWhiteSpace(pythonVersion))
        {
            var request = Parse(pythonVersion!, "PythonVersion", null);
            return FromRequests([request]) is { } fromProperty
                ? new(fromProperty, "PythonVersion")
                : throw new PythonEnvException(DiagnosticCodes.RequiresPythonUnknown,
                    $"PythonVersion '{pythonVersion}' names no Python version the lock could cover. Set PythonRequiresPython (for example >=3.11) or write a version in PythonVersion.");
        }

        if (projectDirectory is not null && PythonVersionFile.Find(projectDirectory) is { } file && FromRequests(PythonVersionFile.Read(file)) is { } fromFile)
        {
            return new(fromFile, file);
        }

        if (!string.IsNullOrWhiteSpace(recorded))
        {
            return new(recorded!.Trim(), "lock");
        }

        PythonInterpreter interpreter;
        try
        {
            interpreter = findInterpreter();
        }
        catch (PythonEnvException e) when (e.Code == DiagnosticCodes.NoInterpreter)
        {
            throw new PythonEnvException(DiagnosticCodes.RequiresPythonUnknown,
                "The lock needs a requires-python and nothing says one: no requires-python in pyproject.toml, no PythonRequiresPython or PythonVersion, " +
                $"no .python-version, and no interpreter to take it from ({e.Message}). Set PythonRequiresPython (for example >=3.11) or PythonVersion.");
        }

        return new($">={interpreter.Major}.{interpreter.Minor}", $"{interpreter.Implementation} {interpreter.Version} at {interpreter.Executable}");
    }

    /// <summary>True when it was taken from the interpreter the build found (the user is told once, when the lock takes it).</summary>
    public bool FromInterpreter => Origin != "declared" && Origin != "PythonVersion" && Origin != "lock" && !Origin.EndsWith(PythonVersionFile.FileName, StringComparison.Ordinal);

    public SpecifierSet Set => SpecifierSet.Parse(Specifiers);

    /// <summary>The message for a requires-python taken from the interpreter.</summary>
    public string Note =>
        $"requires-python is {Specifiers}, from the interpreter this build found ({Origin}): the project declares none " +
        "(requires-python in pyproject.toml, PythonRequiresPython, PythonVersion or .python-version). The lock records it; declare one to choose another.";

    private static InterpreterRequest Parse(string text, string source, string? file)
    {
        try
        {
            return InterpreterRequest.Parse(text, source);
        }
        catch (PackagingFormatException e)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                $"PythonVersion '{text}' is not a Python version: {e.Reason}. Write a version such as 3.12 or a range such as >=3.11,<3.13.", file);
        }
    }

    /// <summary>The lowest Python the requests allow, as <c>&gt;=X.Y</c> (<c>3.11</c> and <c>==3.11.*</c> give <c>&gt;=3.11</c>); null when none names versions.</summary>
    private static string? FromRequests(IEnumerable<InterpreterRequest> requests)
    {
        var lows = new List<(Pep440Version Version, bool Inclusive)>();
        foreach (var request in requests)
        {
            if (request.Versions is not { } versions)
            {
                continue;
            }

            var set = VersionSet.FromSpecifierSet(versions);
            if (set.IsEmpty)
            {
                continue;
            }

            var lower = set.Intervals[0].Lower;
            if (lower.Version is not { } low)
            {
                return null;
            }

            lows.Add((low.IsDevZeroOfRelease ? low.WithoutDev() : low, lower.Inclusive || low.IsDevZeroOfRelease));
        }

        if (lows.Count == 0)
        {
            return null;
        }

        var lowest = lows.OrderBy(l => l.Version).First();
        return (lowest.Inclusive ? ">=" : ">") + lowest.Version;
    }
}
