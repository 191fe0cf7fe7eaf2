using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.IO;
using PythonEnv.Locking;
using PythonEnv.Packaging;

namespace PythonEnv.Hosts;

/// <summary>What a publish needs: the synced environment, where to stage its copy, and the runtimeconfig.json to rewrite.</summary>
public sealed class PublishRequest
{
    public string LockFile { get; init; } = "";
    /// <summary>The synced venv (host values of the build).</summary>
    public IReadOnlyDictionary<string, string> HostValues { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the published environment is staged: the folder <see cref="EnvironmentFolder"/> and the runtimeconfig.json go here.</summary>
    public string StagingDirectory { get; init; } = "";
    /// <summary>The environment's folder in the published app (relative).</summary>
    public string EnvironmentFolder { get; init; } = "python";
    public string? RuntimeIdentifier { get; init; }
    /// <summary><c>PythonCompileBytecode</c> (default true for publish): hash-checked .pyc files, recorded in each RECORD.</summary>
    public bool CompileBytecode { get; init; } = true;
    /// <summary>The build's runtimeconfig.json (absolute host values), rewritten with relative ones.</summary>
    public string RuntimeConfig { get; init; } = "";
    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>
/// The locked environment as a published app carries it, beside the app: a venv without an interpreter (a
/// <c>pyvenv.cfg</c> and the site-packages of the synced venv, every file checked against its distribution's
/// RECORD hash, each RECORD listing what was published, bytecode compiled with hash-checked .pyc so moving the
/// folder never invalidates it, unless PythonCompileBytecode=false) and a
/// runtimeconfig.json whose host values are relative to the app folder. The interpreter itself is the locked
/// X.Y found on the target machine (<see cref="PythonHostConfiguration"/>).
/// </summary>
public static class PublishedEnvironment
{
    /// <summary>Stages the environment; returns the staged runtimeconfig.json's path.</summary>
    public static async Task<string> StageAsync(PublishRequest request, CancellationToken cancellation)
    {
        string Value(string name) => request.HostValues.TryGetValue(name, out var v) && v.Length > 0 ? v
            : throw new InvalidOperationException($"The build recorded no {name}; build before publishing.");
        var prefix = Value(HostValues.PythonPrefix);
        var sitePackages = Value(HostValues.PythonSitePackages);
        var version = Value(HostValues.PythonInterpreterVersion);

        var lockFile = PylockReader.Load(request.LockFile);
        var distributions = Directory.GetDirectories(sitePackages, "*.dist-info").OrderBy(d => d, StringComparer.Ordinal).ToList();
        CheckPlatform(lockFile, request.LockFile, version, request.RuntimeIdentifier, distributions);

        var root = Path.Combine(request.StagingDirectory, request.EnvironmentFolder);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
        var sitePackagesPath = RecordFile.RelativePath(prefix, Path.Combine(sitePackages, "x"));
        var stagedSitePackages = Path.Combine(root, sitePackagesPath.Substring(0, sitePackagesPath.Length - 2).Replace('/', Path.DirectorySeparatorChar));
        var files = 0;
        foreach (var distribution in distributions)
        {
            files += CopyVerified(sitePackages, distribution, stagedSitePackages);
        }
        // A venv with no interpreter in it: CPython's site module reads this beside the program name the host sets.
        File.WriteAllText(Path.Combine(root, "pyvenv.cfg"),
            $"include-system-site-packages = false\nversion = {version}\n");
        var compiled = "";
        if (request.CompileBytecode)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var stagedDistributions = distributions.Select(d => Path.Combine(stagedSitePackages, Path.GetFileName(d))).ToList();
            var report = await BytecodeCompiler.CompileAsync(Value(HostValues.PythonBaseExecutable), stagedDistributions, PycInvalidation.CheckedHash, cancellation, DiagnosticCodes.PublishCompileFailed).ConfigureAwait(false);
            compiled = $", {report.Compiled} .pyc compiled in {clock.Elapsed.TotalMilliseconds:0} ms";
            if (report.FailureSummary(version) is { } failures)
            {
                request.Log(failures);
            }
        }
        request.Log($"published environment: {distributions.Count} distributions, {files} files, hash-checked{compiled} (Python {version})");

        var staged = Path.Combine(request.StagingDirectory, Path.GetFileName(request.RuntimeConfig));
        File.WriteAllText(staged, RelativeRuntimeConfig(File.ReadAllText(request.RuntimeConfig), request.HostValues, prefix, request.EnvironmentFolder));
        return staged;
    }

    /// <summary>
    /// PYENV6004 when the lock's <c>environments</c> exclude the RID's platform; PYENV6005 when the RID is another
    /// platform than this machine's and a synced distribution holds native code (the environment is copied from this machine's venv).
    /// </summary>
    public static void CheckPlatform(PylockFile lockFile, string lockPath, string version, string? rid, IEnumerable<string> distributions)
    {
        if (string.IsNullOrEmpty(rid))
        {
            return;
        }
        var platform = RuntimePlatform.FromRid(rid!);
        if (platform is null)
        {
            return;
        }
        var parts = version.Split('.');
        var environment = new MarkerEnvironment(new Dictionary<string, string>
        {
            ["python_version"] = parts.Length >= 2 ? parts[0] + "." + parts[1] : version,
            ["python_full_version"] = version,
            ["implementation_name"] = "cpython",
            ["platform_python_implementation"] = "CPython",
        }.Concat(platform.MarkerValues()));
        if (lockFile.Environments.Count > 0 && !lockFile.Environments.Any(e => Holds(e, environment)))
        {
            throw new PythonEnvException(DiagnosticCodes.PublishPlatformNotLocked,
                $"Publishing for {rid} ({platform.SysPlatform} {platform.Machine}), but {Path.GetFileName(lockPath)} covers only the environments {string.Join(" | ", lockFile.Environments)}. " +
                "Add this platform to PythonEnvironments and re-lock, or publish for a covered RuntimeIdentifier.", lockPath);
        }
        var current = RuntimePlatform.Current();
        if (current is not null && !current.SameAs(platform))
        {
            var native = distributions.Where(HasNativeCode).Select(Path.GetFileName).ToList();
            if (native.Count > 0)
            {
                throw new PythonEnvException(DiagnosticCodes.PublishPlatformMismatch,
                    $"Publishing for {rid}, but the environment is copied from this machine's venv ({current.SysPlatform} {current.Machine}) and {string.Join(", ", native)} " +
                    $"contain{(native.Count == 1 ? "s" : "")} native code for this machine only. Publish on a {platform.SysPlatform} {platform.Machine} machine (or in a container of that platform).", lockPath);
            }
        }
    }

    private static bool Holds(string marker, MarkerEnvironment environment)
    {
        try
        {
            return MarkerExpression.Parse(marker).Evaluate(environment);
        }
        catch (MarkerEvaluationException)
        {
            return true; // names a value a RID does not fix (platform_release ...): not this check's to refuse
        }
    }

    /// <summary>A wheel is platform-specific when one of its WHEEL tags names a platform.</summary>
    private static bool HasNativeCode(string distInfo)
    {
        var wheel = Path.Combine(distInfo, "WHEEL");
        return File.Exists(wheel) && File.ReadAllLines(wheel)
            .Where(l => l.StartsWith("Tag:", StringComparison.OrdinalIgnoreCase))
            .Any(l => !l.Trim().EndsWith("-any", StringComparison.Ordinal));
    }

    /// <summary>
    /// Copies one distribution's files inside site-packages, each checked against its RECORD hash, and writes its
    /// RECORD with the rows of what was copied (scripts outside site-packages and the venv's bytecode stay behind);
    /// returns the count.
    /// </summary>
    private static int CopyVerified(string sitePackages, string distInfo, string target)
    {
        var record = Path.Combine(distInfo, "RECORD");
        var name = Path.GetFileName(distInfo);
        if (!File.Exists(record))
        {
            throw new PythonEnvException(DiagnosticCodes.PublishedFileAltered, $"{name} has no RECORD in {sitePackages}: the venv was altered. Build again (the sync repairs it), then publish.", distInfo);
        }
        var count = 0;
        var published = new List<RecordEntry>();
        var recordRow = name + "/RECORD";
        foreach (var entry in RecordFile.Parse(File.ReadAllText(record)))
        {
            var path = entry.Path.Replace('\\', '/');
            // Scripts and data outside site-packages, and bytecode (compiled again below), are not published.
            if (!RecordFile.IsInSiteFolder(path) || RecordFile.IsBytecode(path))
            {
                continue;
            }
            if (path == recordRow)
            {
                continue; // written below
            }
            var source = Path.Combine(sitePackages, path.Replace('/', Path.DirectorySeparatorChar));
            var inDistInfo = path.StartsWith(name + "/", StringComparison.Ordinal);
            if (!File.Exists(source))
            {
                throw new PythonEnvException(DiagnosticCodes.PublishedFileAltered, $"{path} of {name} is missing from {sitePackages}. Build again (the sync reinstalls it), then publish.", source);
            }
            if (entry.Hash.Length == 0 ? !inDistInfo : Hashing.RecordHash(Hashing.Sha256(File.ReadAllBytes(source))) != entry.Hash)
            {
                throw new PythonEnvException(DiagnosticCodes.PublishedFileAltered,
                    $"{path} of {name} in {sitePackages} does not match the hash its RECORD gives: the venv was altered. Build again (the sync repairs it), then publish.", source);
            }
            var destination = Path.Combine(target, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination, overwrite: true);
            published.Add(entry);
            count++;
        }
        published.Add(new RecordEntry(recordRow, "", null));
        var stagedRecord = Path.Combine(target, recordRow.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(stagedRecord)!);
        File.WriteAllText(stagedRecord, RecordFile.Write(published));
        return count + 1;
    }

    /// <summary>The runtimeconfig.json text with host values relative to the app folder and none of the build machine's.</summary>
    public static string RelativeRuntimeConfig(string json, IReadOnlyDictionary<string, string> hostValues, string prefix, string environmentFolder)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("runtimeconfig.json is not a JSON object.");
        var options = root["runtimeOptions"]?.AsObject() ?? throw new InvalidOperationException("runtimeconfig.json has no runtimeOptions.");
        var properties = options["configProperties"]?.AsObject();
        if (properties is null)
        {
            properties = new JsonObject();
            options["configProperties"] = properties;
        }
        foreach (var name in HostValues.All)
        {
            properties.Remove(HostValues.Key(name));
        }
        foreach (var name in HostValues.EnvironmentPaths)
        {
            var relative = RecordFile.RelativePath(prefix, Path.Combine(hostValues[name], "x"));
            var inside = relative.Substring(0, relative.Length - 1).TrimEnd('/');
            properties[HostValues.Key(name)] = inside.Length == 0 ? environmentFolder : environmentFolder + "/" + inside;
        }
        properties[HostValues.Key(HostValues.PythonInterpreterVersion)] = hostValues[HostValues.PythonInterpreterVersion];
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
