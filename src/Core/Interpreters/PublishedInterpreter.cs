using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Hosts;

namespace PythonEnv.Interpreters;

/// <summary>
/// A self-contained publish (<c>PythonSelfContained</c>): the managed interpreter the build used, copied into the
/// published environment's folder, which so becomes a whole Python installation whose site-packages holds exactly
/// the locked packages (the build's own site-packages, pip and all, is left out; <c>pyvenv.cfg</c> goes, as the
/// folder is no longer a venv of another installation). The runtimeconfig.json then names the copied libpython,
/// home and executable relative to the app, so the app runs where no Python is installed, wherever it is moved.
/// </summary>
public static class PublishedInterpreter
{
    /// <summary>One file copied, with its path relative to the published environment's folder (<c>/</c> separators).</summary>
    public sealed record StagedFile(string Path, string RelativePath);

    /// <summary>Copies the interpreter at <paramref name="home"/> into <paramref name="environmentRoot"/> and rewrites the staged runtimeconfig.json; returns the files copied.</summary>
    public static IReadOnlyList<StagedFile> Stage(string home, string library, string environmentRoot, string environmentFolder, string stagedRuntimeConfig, string projectFile, string? runtimeIdentifier = null)
    {
        var build = ManagedInterpreters.BuildAt(home) ?? throw new PythonEnvException(DiagnosticCodes.SelfContainedNeedsManagedInterpreter,
            $"PythonSelfContained copies the managed interpreter beside the app, but this build's Python ({home}) was not installed by the SDK. " +
            "Set PythonInterpreterSource=managed so every machine builds with (and ships) the same python-build-standalone build, or set PythonSelfContained=false.", projectFile);
        if (!string.IsNullOrEmpty(runtimeIdentifier) && RuntimePlatform.FromRid(runtimeIdentifier!) is { } ridPlatform && !Runs(build.Platform, ridPlatform))
        {
            throw new PythonEnvException(DiagnosticCodes.PublishPlatformMismatch,
                $"PythonSelfContained ships the interpreter the build used, {build.Key}, which does not run on {runtimeIdentifier} ({ridPlatform.SysPlatform} {ridPlatform.Machine}). " +
                "Publish on a machine of that platform (or in a container of it), or set PythonSelfContained=false.", projectFile);
        }

        var copied = new List<StagedFile>();
        var root = Path.GetFullPath(home);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = RecordFile.RelativePath(root, file);
            if (relative == ManagedInterpreters.MarkerFile || IsOwnSitePackages(relative))
            {
                continue;
            }

            var target = Path.Combine(environmentRoot, relative.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(target))
            {
                continue; // the environment's own file (its site-packages) wins
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target); // a link is copied as the file it points at: the folder holds no link out of itself
#if NET
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(file)); // the interpreter stays executable
            }
#endif

            copied.Add(new StagedFile(target, relative));
        }

        FileSystem.DeleteFile(Path.Combine(environmentRoot, "pyvenv.cfg"));
        var executable = RecordFile.RelativePath(root, ManagedInterpreters.Executable(root, build.Platform));
        var libraryPath = string.IsNullOrEmpty(library) ? null : RecordFile.RelativePath(root, Path.GetFullPath(library));
        File.WriteAllText(stagedRuntimeConfig, WithInterpreter(File.ReadAllText(stagedRuntimeConfig), environmentFolder, executable, libraryPath));
        return copied;
    }

    /// <summary>Whether a build for <paramref name="platform"/> runs on a RID's OS and processor.</summary>
    private static bool Runs(BuildPlatform platform, RuntimePlatform target) =>
        BuildPlatform.Of(target.SysPlatform, target.Machine, platform.Libc) is var wanted && wanted.Os == platform.Os && wanted.Arch == platform.Arch
        && (platform.Os != "linux" || target.Rid.Split('-').Any(part => string.Equals(part, "musl", StringComparison.OrdinalIgnoreCase)) == (platform.Libc == "musl"));

    /// <summary>The interpreter's own site-packages (<c>lib/pythonX.Y/site-packages</c>, <c>Lib/site-packages</c>): not the app's packages.</summary>
    private static bool IsOwnSitePackages(string relative)
    {
        var parts = relative.Split('/');
        return (parts.Length > 3 && parts[0] == "lib" && parts[1].StartsWith("python", StringComparison.Ordinal) && parts[2] == "site-packages")
            || (parts.Length > 2 && parts[0] == "Lib" && parts[1] == "site-packages");
    }

    /// <summary>The published runtimeconfig.json with the interpreter's values relative to the app folder.</summary>
    public static string WithInterpreter(string json, string environmentFolder, string executable, string? library)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("runtimeconfig.json is not a JSON object.");
        var properties = root["runtimeOptions"]?["configProperties"]?.AsObject() ?? throw new InvalidOperationException("runtimeconfig.json has no configProperties.");
        properties[HostValues.Key(HostValues.PythonHome)] = environmentFolder;
        properties[HostValues.Key(HostValues.PythonExecutable)] = environmentFolder + "/" + executable;
        if (library is not null)
        {
            properties[HostValues.Key(HostValues.PythonLibrary)] = environmentFolder + "/" + library;
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
