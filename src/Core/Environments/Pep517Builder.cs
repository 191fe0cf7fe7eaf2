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
using Tomlyn.Model;
using Tomlyn;

namespace PythonEnv.Environments;

/// <summary>
/// Builds a wheel from an sdist the PEP 517 way, in an isolated build environment: a fresh venv of the
/// target interpreter holding only the sdist's build requirements (resolved by the caller's resolver and
/// installed by this engine), then the backend's <c>build_wheel</c> hook. Built wheels are cached per sdist
/// sha256 and interpreter, so each sdist is built once.
/// </summary>
public sealed class Pep517Builder
{
    private static readonly EmbeddedScript Frontend = new("pep517_build.py");

    /// <param name="resolveBuildRequirements">
    /// Turns PEP 508 build requirements into an install plan for the interpreter (the resolver); null when
    /// only sdists without build requirements (in-tree, stdlib-only backends) can be built.
    /// </param>
    public Pep517Builder(Func<IReadOnlyList<string>, PythonInterpreter, CancellationToken, Task<InstallPlan>>? resolveBuildRequirements)
    {
        ResolveBuildRequirements = resolveBuildRequirements;
    }

    public Func<IReadOnlyList<string>, PythonInterpreter, CancellationToken, Task<InstallPlan>>? ResolveBuildRequirements { get; }

    /// <summary>Builds (or finds in the cache) the wheel of <paramref name="sdistPath"/>; returns its path and sha256.</summary>
    public async Task<(string WheelPath, string Sha256)> BuildAsync(
        PlannedPackage package, string sdistPath, string sdistSha256, PythonInterpreter interpreter, SyncOptions options, CancellationToken cancellationToken)
    {
        var key = sdistSha256.ToLowerInvariant() + "-" + Hashing.Sha256Hex(Encoding.UTF8.GetBytes(interpreter.BaseExecutable + " " + interpreter.Version)).Substring(0, 12);
        var folder = Path.Combine(options.CacheDirectory, "built-v1", key);
        using var buildLock = await FileLock.AcquireAsync(folder + ".lock", "the build of " + package.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        var existing = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.whl").FirstOrDefault() : null;
        if (existing is not null)
        {
            return (existing, Hashing.Sha256HexOfFile(existing));
        }

        var work = Path.Combine(options.CacheDirectory, "builds", Guid.NewGuid().ToString("N").Substring(0, 12));
        try
        {
            Directory.CreateDirectory(work);
            var frontend = Path.Combine(work, "pep517_build.py");
            File.WriteAllText(frontend, Frontend.Text);
            var unpacked = await RunFrontendAsync(interpreter.BaseExecutable, package, work,
                new[] { frontend, "unpack", Path.GetFullPath(sdistPath), Path.Combine(work, "src") }, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.Combine(work, "src"));
            var source = unpacked.GetProperty("source").GetString()!;
            var (backend, requires, backendPath) = ReadBuildSystem(source, package);

            var buildEnv = Path.Combine(work, "env");
            var python = interpreter.BaseExecutable;
            var installed = new List<string>();
            async Task InstallAsync(IReadOnlyList<string> requirements)
            {
                installed.AddRange(requirements);
                if (ResolveBuildRequirements is null)
                {
                    throw new PythonEnvException(DiagnosticCodes.BuildFailed,
                        $"Building {package.Name} {package.Version} from {Path.GetFileName(sdistPath)} needs the build requirements {string.Join(", ", installed)}, " +
                        "but no resolver was given to install them. Lock a version of the package that has a wheel, or build it into a wheel and use PythonFindLinks.");
                }
                var plan = await ResolveBuildRequirements(installed, interpreter, cancellationToken).ConfigureAwait(false);
                var result = await EnvironmentSync.SyncAsync(plan, interpreter, buildEnv, options, cancellationToken).ConfigureAwait(false);
                python = result.Venv.Python;
            }

            // An empty isolated venv even without requirements: the backend must not see the user's packages.
            var env = await VirtualEnvironment.CreateAsync(buildEnv, interpreter, cancellationToken).ConfigureAwait(false);
            python = env.Python;
            if (requires.Count > 0)
            {
                await InstallAsync(requires).ConfigureAwait(false);
            }
            var output = Path.Combine(work, "dist");
            Directory.CreateDirectory(output);
            var arguments = new List<string> { frontend, "build", source, output, backend, JsonSerializer.Serialize(backendPath), "0" };
            var answer = await RunFrontendAsync(python, package, source, arguments, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("requires", out var dynamic))
            {
                await InstallAsync(dynamic.EnumerateArray().Select(e => e.GetString()!).ToList()).ConfigureAwait(false);
                arguments[arguments.Count - 1] = "1";
                answer = await RunFrontendAsync(python, package, source, arguments, cancellationToken).ConfigureAwait(false);
            }
            var wheelName = answer.GetProperty("wheel").GetString()!;
            var built = Path.Combine(output, wheelName);
            if (!File.Exists(built) || Path.GetFileName(wheelName) != wheelName)
            {
                throw new PythonEnvException(DiagnosticCodes.BuildFailed, $"The build backend of {package.Name} said it built '{wheelName}', but there is no such file in {output}.");
            }
            var rank = options.Rank(interpreter, wheelName);
            if (rank is null)
            {
                throw new PythonEnvException(DiagnosticCodes.BuildFailed, $"Building {package.Name} {package.Version} produced {wheelName}, which this interpreter cannot install.");
            }
            var temp = folder + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            Directory.CreateDirectory(temp);
            File.Copy(built, Path.Combine(temp, wheelName));
            Directory.Move(temp, folder);
            var cached = Path.Combine(folder, wheelName);
            return (cached, Hashing.Sha256HexOfFile(cached));
        }
        finally
        {
            try
            {
                FileSystem.DeleteDirectory(work);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover build folder only costs disk space.
            }
        }
    }

    private static (string Backend, List<string> Requires, List<string> BackendPath) ReadBuildSystem(string source, PlannedPackage package)
    {
        var path = Path.Combine(source, "pyproject.toml");
        if (!File.Exists(path))
        {
            // PEP 517's fallback for projects without pyproject.toml: setuptools' legacy backend.
            return ("setuptools.build_meta:__legacy__", new List<string> { "setuptools>=40.8.0" }, new List<string>());
        }
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(path)) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new PythonEnvException(DiagnosticCodes.BuildFailed, $"The sdist of {package.Name} {package.Version} has an invalid pyproject.toml: {e.Message}");
        }
        if (!root.TryGetValue("build-system", out var value) || value is not TomlTable table)
        {
            return ("setuptools.build_meta:__legacy__", new List<string> { "setuptools>=40.8.0" }, new List<string>());
        }
        var requires = table.TryGetValue("requires", out var r) && r is TomlArray array ? array.OfType<string>().ToList() : new List<string>();
        var backend = table.TryGetValue("build-backend", out var b) && b is string name ? name : "setuptools.build_meta:__legacy__";
        var backendPath = table.TryGetValue("backend-path", out var p) && p is TomlArray paths ? paths.OfType<string>().ToList() : new List<string>();
        if (backendPath.Any(entry => !WheelInstaller.IsInside(source, Path.Combine(source, entry)) && Path.GetFullPath(Path.Combine(source, entry)) != Path.GetFullPath(source)))
        {
            throw new PythonEnvException(DiagnosticCodes.BuildFailed, $"The sdist of {package.Name} {package.Version} has a backend-path outside its source tree, which PEP 517 forbids.");
        }
        return (backend, requires, backendPath);
    }

    private static async Task<JsonElement> RunFrontendAsync(string python, PlannedPackage package, string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?> { ["PYTHONPATH"] = null, ["PYTHONHOME"] = null, ["PYTHONNOUSERSITE"] = "1", ["SOURCE_DATE_EPOCH"] = "315532800" };
        var result = await ProcessRunner.RunAsync(python, arguments, workingDirectory, environment, timeout: TimeSpan.FromMinutes(30), cancellationToken: cancellationToken).ConfigureAwait(false);
        var lines = result.StandardOutput.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode != 0 || lines.Length == 0)
        {
            var output = (result.StandardError + result.StandardOutput).Trim().Split('\n');
            var tail = string.Join("\n", output.Skip(Math.Max(0, output.Length - 15)));
            throw new PythonEnvException(DiagnosticCodes.BuildFailed,
                $"Building a wheel for {package.Name} {package.Version} from its sdist failed (exit code {result.ExitCode}):\n{tail}\n" +
                "Fix the build (its build requirements, compilers), lock a version with a wheel for this platform, or set PythonNoBuild=true to be told up front.");
        }
        using var document = JsonDocument.Parse(lines[lines.Length - 1]);
        return document.RootElement.Clone();
    }
}
