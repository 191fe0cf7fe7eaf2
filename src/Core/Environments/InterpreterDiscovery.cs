using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>What the project asks of its interpreter (the MSBuild properties and the lock's requires-python).</summary>
public sealed class DiscoveryOptions
{
    /// <summary>The project folder: where <c>.python-version</c> is looked up (then each folder above).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>PythonInterpreter: an explicit interpreter path; discovery is skipped.</summary>
    public string? InterpreterPath { get; init; }

    /// <summary>PythonVersion: <c>3.12</c>, <c>&gt;=3.11,&lt;3.13</c>...; when empty, <c>.python-version</c> decides.</summary>
    public string? PythonVersion { get; init; }

    /// <summary>The lock's requires-python, which the interpreter must satisfy.</summary>
    public string? RequiresPython { get; init; }

    /// <summary>The file requires-python came from (pylock.toml, pyproject.toml), for diagnostics.</summary>
    public string? RequiresPythonSource { get; init; }

    /// <summary>Reads environment variables (PATH, PYENV_ROOT, HOME...); replaceable so tests control the search.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Whether to search OS-wide locations (py launcher, PEP 514 registry, macOS framework folders).</summary>
    public bool SearchSystemLocations { get; init; } = true;

    /// <summary><c>PythonInterpreterSource</c>: installed interpreters, managed (downloaded) ones, or installed first.</summary>
    public Interpreters.InterpreterSource Source { get; init; } = Interpreters.InterpreterSource.Auto;

    /// <summary>Managed interpreters (downloads, cache); null: installed interpreters only.</summary>
    public Interpreters.ManagedInterpreters? Managed { get; init; }
}

/// <summary>
/// Finds the interpreter for a project, in the documented order: <c>PythonInterpreter</c>; then the request
/// from <c>PythonVersion</c> or <c>.python-version</c>, looked for in pyenv's versions folder, on PATH
/// (<c>python3.X</c>, <c>python3</c>, <c>python</c>), through the <c>py</c> launcher and PEP 514 registry keys on
/// Windows, and in the framework folders on macOS. The choice must satisfy requires-python. Nothing found
/// is PYENV4001, listing what was asked and everything that was found where.
/// </summary>
public sealed class InterpreterDiscovery
{
    private readonly InterpreterProbe _probe;
    private readonly DiscoveryOptions _options;

    public InterpreterDiscovery(InterpreterProbe probe, DiscoveryOptions options)
    {
        _probe = probe;
        _options = options;
    }

    public async Task<PythonInterpreter> FindAsync(CancellationToken cancellationToken = default)
    {
        var requiresPython = ParseRequiresPython();
        var seen = new List<string>();

        if (!string.IsNullOrWhiteSpace(_options.InterpreterPath))
        {
            var path = _options.InterpreterPath!;
            var (interpreter, failure) = await _probe.TryProbeAsync(path, cancellationToken).ConfigureAwait(false);
            if (interpreter is null)
            {
                throw new PythonEnvException(DiagnosticCodes.NoInterpreter,
                    $"PythonInterpreter is '{path}', which {failure}. Point PythonInterpreter at a python executable, or remove it to let the SDK discover one.");
            }
            if (requiresPython is not null && !Satisfies(requiresPython, interpreter))
            {
                throw new PythonEnvException(DiagnosticCodes.NoInterpreter,
                    $"PythonInterpreter '{path}' is Python {interpreter.Version}, but the project requires Python {requiresPython}{RequiresPythonOrigin()}. " +
                    "Point PythonInterpreter at a matching interpreter, or change requires-python.", _options.RequiresPythonSource);
            }
            return interpreter;
        }

        var (requests, requestOrigin) = Requests();
        if (_options.Source == Interpreters.InterpreterSource.Managed)
        {
            return await FindManagedAsync(requests, requestOrigin, requiresPython, null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var request in requests)
        {
            await foreach (var candidate in CandidatesAsync(request, cancellationToken).ConfigureAwait(false))
            {
                var (interpreter, failure) = await _probe.TryProbeAsync(candidate.Path, cancellationToken).ConfigureAwait(false);
                if (interpreter is null)
                {
                    seen.Add($"{candidate.Path} ({candidate.Where}): {failure}");
                    continue;
                }
                var matches = (candidate.MatchedByName || request.Matches(interpreter)) && (requiresPython is null || Satisfies(requiresPython, interpreter));
                seen.Add($"{interpreter.Implementation} {interpreter.Version}{(interpreter.IsFreeThreaded ? " (free-threaded)" : "")} at {candidate.Path} ({candidate.Where})");
                if (matches)
                {
                    return interpreter;
                }
            }
        }

        var asked = new StringBuilder();
        asked.Append(requests.Count == 1 && requests[0] == InterpreterRequest.Any ? "any Python" : "Python " + string.Join(" or ", requests.Select(r => r.Text)));
        asked.Append(requestOrigin);
        if (requiresPython is not null)
        {
            asked.Append($", satisfying requires-python {requiresPython}{RequiresPythonOrigin()}");
        }
        var found = seen.Count == 0 ? "no Python interpreter was found at all" : "found:\n  " + string.Join("\n  ", seen.Distinct());
        if (_options.Source == Interpreters.InterpreterSource.Auto && _options.Managed is not null)
        {
            // Nothing installed fits: the build provides one (a python-build-standalone download), as uv does.
            return await FindManagedAsync(requests, requestOrigin, requiresPython, found, cancellationToken).ConfigureAwait(false);
        }

        throw new PythonEnvException(DiagnosticCodes.NoInterpreter,
            $"No Python interpreter matches: asked for {asked}; {found}\n" +
            "Install a matching Python (for example `pyenv install 3.12`), set PythonVersion to one that is installed, " +
            "or set PythonInterpreter to the path of a python executable.",
            requestOrigin.Length > 0 && requests.Count > 0 && requests[0].Source.Contains(PythonVersionFile.FileName) ? requests[0].Source.Split(':')[0] : _options.RequiresPythonSource);
    }

    /// <summary>The request as the lock records it: PythonVersion, or the lines of .python-version; null when nothing asks for a version.</summary>
    public string? RequestText()
    {
        var (requests, _) = Requests();
        return requests.Count == 1 && requests[0] == InterpreterRequest.Any ? null : string.Join(", ", requests.Select(r => r.Text));
    }

    /// <summary>The managed build for the first request it has one for (honouring requires-python), installed and probed.</summary>
    private async Task<PythonInterpreter> FindManagedAsync(IReadOnlyList<InterpreterRequest> requests, string requestOrigin, SpecifierSet? requiresPython, string? installed, CancellationToken cancellationToken)
    {
        var managed = _options.Managed ?? throw new InvalidOperationException("PythonInterpreterSource=managed needs the managed interpreters' settings.");
        foreach (var request in requests)
        {
            if (request.IsSystem || request.FreeThreaded == true || (request.Implementation is { } implementation && implementation != "cpython")
                || (request.Versions is null && request.PyenvName is not null && request != InterpreterRequest.Any))
            {
                continue; // no python-build-standalone build is "system", free-threaded here, another implementation or a named pyenv build
            }

            var build = await managed.ChooseAsync(
                version => (request.Versions is null || request.Versions.Contains(version, prereleases: true)) && (requiresPython is null || requiresPython.Contains(version, prereleases: true)),
                cancellationToken).ConfigureAwait(false);
            if (build is null)
            {
                continue;
            }

            var executable = await managed.InstallAsync(build, cancellationToken).ConfigureAwait(false);
            var (interpreter, failure) = await _probe.TryProbeAsync(executable, cancellationToken).ConfigureAwait(false);
            return interpreter ?? throw new PythonEnvException(DiagnosticCodes.InvalidInterpreterArchive,
                $"The managed Python {build.Key} at {executable} {failure}. Delete {Path.GetDirectoryName(executable)} from the cache to download it again.");
        }

        var asked = (requests.Count == 1 && requests[0] == InterpreterRequest.Any ? "any Python" : "Python " + string.Join(" or ", requests.Select(r => r.Text))) + requestOrigin
            + (requiresPython is null ? "" : $", satisfying requires-python {requiresPython}{RequiresPythonOrigin()}");
        var where = managed.Options.Offline
            ? $"PythonOffline is true and the cache ({managed.Root}) holds no such build. Build once without PythonOffline to download it"
            : $"{(await managed.ManifestAsync(cancellationToken).ConfigureAwait(false)).Source} has no build of it for {managed.Options.Platform}. Set PythonVersion to a version it lists, or PythonDownloadsManifest to a manifest that has one";
        throw new PythonEnvException(installed is null ? DiagnosticCodes.NoManagedInterpreter : DiagnosticCodes.NoInterpreter,
            $"No Python interpreter matches: asked for {asked}; {(installed is null ? "" : installed + "\n")}{where}" +
            (installed is null ? "." : ", install a matching Python, or set PythonInterpreter to the path of a python executable."),
            requestOrigin.Length > 0 && requests.Count > 0 && requests[0].Source.Contains(PythonVersionFile.FileName) ? requests[0].Source.Split(':')[0] : _options.RequiresPythonSource);
    }

    /// <summary>
    /// The files and folders whose change can change what <see cref="FindAsync"/> returns or what the chosen
    /// interpreter is: <c>.python-version</c>, the interpreter's executables and libpython, and, when the
    /// interpreter was discovered rather than named, the folders searched (pyenv's versions folder, each PATH
    /// folder but pyenv's shims, which <c>pyenv rehash</c> rewrites after any pip install). Environment variables the search reads are not included; callers watch those themselves.
    /// </summary>
    public IReadOnlyList<string> WatchedPaths(PythonInterpreter chosen)
    {
        var paths = new List<string>();
        if (!string.IsNullOrWhiteSpace(_options.InterpreterPath))
        {
            paths.Add(Path.GetFullPath(_options.InterpreterPath!));
        }
        else
        {
            if (PythonVersionFile.Find(_options.ProjectDirectory) is { } versionFile)
            {
                paths.Add(versionFile);
            }
            if (PyenvRoot() is { } root)
            {
                paths.Add(Path.Combine(root, "versions"));
            }
            paths.AddRange(PathFolders());
        }
        paths.Add(chosen.Executable);
        paths.Add(chosen.BaseExecutable);
        if (!string.IsNullOrEmpty(chosen.LibPython))
        {
            paths.Add(chosen.LibPython!);
        }
        return paths;
    }

    private SpecifierSet? ParseRequiresPython()
    {
        if (string.IsNullOrWhiteSpace(_options.RequiresPython))
        {
            return null;
        }
        try
        {
            return SpecifierSet.Parse(_options.RequiresPython!);
        }
        catch (PackagingFormatException e)
        {
            throw new PythonEnvException(DiagnosticCodes.NoInterpreter, $"requires-python '{_options.RequiresPython}' is not a specifier set: {e.Reason}", _options.RequiresPythonSource);
        }
    }

    private static bool Satisfies(SpecifierSet requiresPython, PythonInterpreter interpreter)
        => Pep440Version.TryParse(interpreter.Version, out var version) && requiresPython.Contains(version, prereleases: true);

    private string RequiresPythonOrigin() => _options.RequiresPythonSource is null ? "" : $" (from {_options.RequiresPythonSource})";

    private (IReadOnlyList<InterpreterRequest> Requests, string Origin) Requests()
    {
        if (!string.IsNullOrWhiteSpace(_options.PythonVersion))
        {
            try
            {
                return (new[] { InterpreterRequest.Parse(_options.PythonVersion!, "PythonVersion") }, " (PythonVersion)");
            }
            catch (PackagingFormatException e)
            {
                throw new PythonEnvException(DiagnosticCodes.NoInterpreter,
                    $"PythonVersion '{_options.PythonVersion}' is not a Python version: {e.Reason}. Use a version such as 3.12 or a range such as >=3.11,<3.13.");
            }
        }
        if (PythonVersionFile.Find(_options.ProjectDirectory) is { } file)
        {
            var requests = PythonVersionFile.Read(file);
            if (requests.Count > 0)
            {
                return (requests, $" (in {file})");
            }
        }
        return (new[] { InterpreterRequest.Any }, "");
    }

    /// <summary>A path to try, where it was found, and whether its pyenv folder name already is the request.</summary>
    private sealed record Candidate(string Path, string Where, bool MatchedByName = false);

    private async IAsyncEnumerable<Candidate> CandidatesAsync(InterpreterRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var returned = new HashSet<string>(FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        IEnumerable<Candidate> all = request.IsSystem
            ? PathCandidates(request)
            : PyenvCandidates(request).Concat(PathCandidates(request));
        if (_options.SearchSystemLocations)
        {
            all = all.Concat(WindowsCandidates()).Concat(MacCandidates());
        }
        foreach (var candidate in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string full;
            try
            {
                full = Path.GetFullPath(candidate.Path);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                continue;
            }
            if (File.Exists(full) && returned.Add(full))
            {
                yield return candidate with { Path = full };
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string? PyenvRoot()
    {
        var root = _options.Environment("PYENV_ROOT");
        if (string.IsNullOrEmpty(root))
        {
            var home = _options.Environment(FileSystem.IsWindows ? "USERPROFILE" : "HOME");
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }
            root = FileSystem.IsWindows ? Path.Combine(home, ".pyenv", "pyenv-win") : Path.Combine(home, ".pyenv");
        }
        return root;
    }

    private IEnumerable<Candidate> PyenvCandidates(InterpreterRequest request)
    {
        var root = PyenvRoot();
        var versions = root is null ? null : Path.Combine(root, "versions");
        if (versions is null || !Directory.Exists(versions))
        {
            yield break;
        }
        var folders = Directory.GetDirectories(versions).Select(Path.GetFileName).OfType<string>().ToList();
        // An exact pyenv name (what `pyenv local` writes) first, then every version, newest first.
        var ordered = folders
            .OrderByDescending(name => name == request.PyenvName)
            .ThenByDescending(name => Pep440Version.TryParse(name, out var v) ? v : null)
            .ThenBy(name => name, StringComparer.Ordinal);
        foreach (var name in ordered)
        {
            var byName = name == request.PyenvName;
            // A folder named after a release that the request excludes need not be started.
            if (!byName && request.Versions is not null && Pep440Version.TryParse(name, out var folderVersion)
                && !request.Versions.Contains(folderVersion, prereleases: true) && request.FreeThreaded is null)
            {
                continue;
            }
            if (!byName && request.PyenvName is not null && request.Versions is null)
            {
                continue; // "pypy3.10-7.3.12"-style requests only match their own folder
            }
            var folder = Path.Combine(versions, name);
            foreach (var executable in ExecutableNames(folder, request))
            {
                yield return new Candidate(executable, "pyenv", byName);
            }
        }
    }

    private static IEnumerable<string> ExecutableNames(string folder, InterpreterRequest request)
    {
        if (FileSystem.IsWindows)
        {
            yield return Path.Combine(folder, "python.exe");
            yield break;
        }
        if (request.FreeThreaded == true)
        {
            foreach (var file in SafeFiles(Path.Combine(folder, "bin"), "python3.*t"))
            {
                yield return file;
            }
        }
        yield return Path.Combine(folder, "bin", "python3");
        yield return Path.Combine(folder, "bin", "python");
    }

    /// <summary>The PATH folders searched, as full paths, in order.</summary>
    private IEnumerable<string> PathFolders()
    {
        var pyenvShims = PyenvRoot() is { } root ? Path.GetFullPath(Path.Combine(root, "shims")) : null;
        foreach (var folder in (_options.Environment("PATH") ?? "").Split(Path.PathSeparator).Where(f => f.Length > 0))
        {
            string full;
            try
            {
                full = Path.GetFullPath(folder);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                continue;
            }
            // pyenv's shims answer for whatever .python-version says in the *current* directory; the
            // versions folder was searched directly already.
            if (pyenvShims is not null && string.Equals(full.TrimEnd(Path.DirectorySeparatorChar), pyenvShims.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                continue;
            }
            if (FileSystem.IsWindows && full.Split(Path.DirectorySeparatorChar).Any(part => part.Equals("WindowsApps", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // the Microsoft Store's python.exe stub opens the Store instead of running Python
            }
            yield return full;
        }
    }

    private IEnumerable<Candidate> PathCandidates(InterpreterRequest request)
    {
        foreach (var full in PathFolders())
        {
            if (FileSystem.IsWindows)
            {
                yield return new Candidate(Path.Combine(full, "python.exe"), "PATH");
                yield return new Candidate(Path.Combine(full, "python3.exe"), "PATH");
                continue;
            }
            // python3.X names, highest minor first, then python3, then python.
            var versioned = SafeFiles(full, "python3.*")
                .Select(file => (File: file, Name: Path.GetFileName(file)))
                .Where(f => IsVersionedName(f.Name, request.FreeThreaded == true))
                .OrderByDescending(f => int.Parse(f.Name.Substring("python3.".Length).TrimEnd('t'), System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (file, _) in versioned)
            {
                yield return new Candidate(file, "PATH");
            }
            yield return new Candidate(Path.Combine(full, "python3"), "PATH");
            yield return new Candidate(Path.Combine(full, "python"), "PATH");
        }
    }

    private static bool IsVersionedName(string name, bool freeThreaded)
    {
        if (!name.StartsWith("python3.", StringComparison.Ordinal))
        {
            return false; // the "python3.*" pattern also matches "python3" itself
        }
        var rest = name.Substring("python3.".Length);
        if (rest.EndsWith("t", StringComparison.Ordinal))
        {
            if (!freeThreaded)
            {
                return false;
            }
            rest = rest.Substring(0, rest.Length - 1);
        }
        return rest.Length > 0 && rest.All(char.IsDigit);
    }

    private static IEnumerable<string> SafeFiles(string folder, string pattern)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.GetFiles(folder, pattern) : Array.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }

    private IEnumerable<Candidate> WindowsCandidates()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return Array.Empty<Candidate>();
        }
        return WindowsRegistry.Pep514Interpreters().Select(path => new Candidate(path, "PEP 514 registry"))
            .Concat(PyLauncherCandidates());
    }

    private static IEnumerable<Candidate> PyLauncherCandidates()
    {
        // `py -0p` lists every interpreter the launcher knows (registry and Store installs): "-V:3.12 *  C:\...\python.exe".
        ProcessResult result;
        try
        {
            result = ProcessRunner.RunAsync("py", new[] { "-0p" }, timeout: TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or TimeoutException or InvalidOperationException)
        {
            yield break;
        }
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            var index = line.IndexOf(":\\", StringComparison.Ordinal);
            if (index > 0)
            {
                yield return new Candidate(line.Substring(index - 1).Trim(), "py launcher");
            }
        }
    }

    private static IEnumerable<Candidate> MacCandidates()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            yield break;
        }
        // python.org framework installs, then Homebrew (Apple silicon and Intel), then the Command Line Tools' python3.
        var frameworks = "/Library/Frameworks/Python.framework/Versions";
        foreach (var version in SafeDirectories(frameworks).OrderByDescending(v => Pep440Version.TryParse(Path.GetFileName(v), out var parsed) ? parsed : null))
        {
            yield return new Candidate(Path.Combine(version, "bin", "python3"), "Python.framework");
        }
        foreach (var prefix in new[] { "/opt/homebrew", "/usr/local" })
        {
            foreach (var formula in SafeDirectories(Path.Combine(prefix, "opt")).Where(d => Path.GetFileName(d).StartsWith("python@3", StringComparison.Ordinal)))
            {
                yield return new Candidate(Path.Combine(formula, "bin", "python3"), "Homebrew");
            }
        }
        yield return new Candidate("/usr/bin/python3", "macOS");
    }

    private static IEnumerable<string> SafeDirectories(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.GetDirectories(folder) : Array.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }
}
