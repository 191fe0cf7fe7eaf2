using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace PythonEnv.Sdk.Tests.Harness;

/// <summary>
/// The SDK under test, packed once per test run into a feed of its own, with a packages folder of its
/// own: a PythonEnv.Sdk left in the user's NuGet cache by another build can never be the one tested.
/// </summary>
[TestClass]
public static class SdkPackage
{
    private static readonly ConcurrentQueue<string> Timings = new();

    /// <summary>The repository the tests were built from.</summary>
    public static string RepoRoot { get; } = Metadata("RepoRoot");

    /// <summary>The package version, as build/PythonEnv.Common.props sets it.</summary>
    public static string Version { get; } = Metadata("PythonEnvSdkVersion");

    /// <summary>This test run's folder: the feed, the packages folder and one folder per throw-away project.</summary>
    public static string RunDirectory { get; } = Path.Combine(Path.GetTempPath(), "pythonenv-sdk-tests", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");

    public static string FeedDirectory => Path.Combine(RunDirectory, "feed");

    /// <summary>NUGET_PACKAGES for every build in this run.</summary>
    public static string PackagesDirectory => Path.Combine(RunDirectory, "packages");

    /// <summary>The package sources of the repository's nuget.config (nuget.org), for Microsoft packages.</summary>
    public static (string Key, string Url)[] UpstreamSources { get; private set; } = Array.Empty<(string, string)>();

    public static TimeSpan PackDuration { get; private set; }

    [AssemblyInitialize]
    public static void Pack(TestContext context)
    {
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(PackagesDirectory);
        UpstreamSources = XDocument.Load(Path.Combine(RepoRoot, "nuget.config"))
            .Descendants("packageSources").Elements("add")
            .Select(e => ((string)e.Attribute("key")!, (string)e.Attribute("value")!))
            .ToArray();

        // The test project references the SDK project, so both task frameworks are already built.
        var result = DotNet.Run(RepoRoot, new[]
        {
            "pack", Path.Combine(RepoRoot, "src", "Sdk", "PythonEnv.Sdk.csproj"),
            "-c", Metadata("Configuration"), "--no-build", "--no-restore", "-o", FeedDirectory,
            "-nologo", "-nodeReuse:false", "-tl:off", "-v:m",
        });
        PackDuration = result.Duration;
        var package = Path.Combine(FeedDirectory, $"PythonEnv.Sdk.{Version}.nupkg");
        if (result.ExitCode != 0 || !File.Exists(package))
        {
            throw new InvalidOperationException($"Packing the SDK failed (exit code {result.ExitCode}):\n{result.Output}");
        }

        Record($"pack {result.Duration.TotalSeconds:F1}s");
        context.WriteLine($"Packed {package} in {result.Duration.TotalSeconds:F1}s");
    }

    [AssemblyCleanup]
    public static void Cleanup()
    {
        // Keep a record of what every build cost, to keep the suite inside CI's budget.
        var report = Path.Combine(RepoRoot, "artifacts", "sdk-tests", "timings.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        File.WriteAllLines(report, Timings.OrderBy(t => t, StringComparer.Ordinal));

        if (Environment.GetEnvironmentVariable("PYTHONENV_SDK_TESTS_KEEP") == "1")
        {
            return;
        }

        TryDelete(FeedDirectory);
        TryDelete(PackagesDirectory);
        TryDelete(RealWheelSet.Directory);
        if (Directory.Exists(RunDirectory) && !Directory.EnumerateFileSystemEntries(RunDirectory).Any())
        {
            TryDelete(RunDirectory);
        }
    }

    internal static void Record(string timing) => Timings.Enqueue(timing);

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open (e.g. by an antivirus) must not fail the run; the OS temp cleaner gets it.
        }
    }

    private static string Metadata(string key) =>
        typeof(SdkPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata.");
}
