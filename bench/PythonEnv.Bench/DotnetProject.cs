using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PythonEnv.Bench;

/// <summary>
/// The <c>dotnet build</c> side of the peer benchmark: the SDK packed from this tree into a local feed, a console
/// app that references it (PackageReference) and declares the benchmark's roots against the loopback index, and
/// the same app without the SDK, whose no-op build is bare MSBuild start-up.
/// </summary>
internal sealed class DotnetProject
{
    private readonly string _app;
    private readonly string _plain;
    private readonly string _packages;

    private DotnetProject(string app, string plain, string packages)
    {
        _app = app;
        _plain = plain;
        _packages = packages;
    }

    public static DotnetProject Create(string root, Uri index, IEnumerable<string> roots, string python)
    {
        var repository = Repository();
        var feed = Path.Combine(root, "feed");
        var version = Output("dotnet", ["msbuild", Path.Combine(repository, "src", "Sdk", "PythonEnv.Sdk.csproj"), "-getProperty:PackageVersion"]).Trim();
        PeerBenchmark.Run("dotnet", ["pack", Path.Combine(repository, "src", "Sdk", "PythonEnv.Sdk.csproj"), "-c", "Release", "-o", feed, "-nologo", "-v:q"]);
        var packages = Path.Combine(root, "nuget-packages");
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");
        string App(string name, string content)
        {
            var folder = Path.Combine(root, name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "Program.cs"), "System.Console.WriteLine(\"hi\");\n");
            File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  {content}
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                </Project>
                """);
            PeerBenchmark.Run("dotnet", ["restore", folder, "-nologo", "-v:q"], environment: new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages });
            return folder;
        }
        var app = App("withsdk", $"""
            <ItemGroup><PackageReference Include="PythonEnv.Sdk" Version="{version}" PrivateAssets="all" /></ItemGroup>
            <ItemGroup>{string.Join("", roots.Select(r => $"<PythonPackage Include=\"{r}\" />"))}</ItemGroup>
            <PropertyGroup><PythonIndexUrl>{index.AbsoluteUri}</PythonIndexUrl><PythonInterpreter>{python}</PythonInterpreter></PropertyGroup>
            """);
        var plain = App("plain", "");
        var project = new DotnetProject(app, plain, packages);
        project.Build(plain, []); // compile once: later builds of it are no-ops
        return project;
    }

    /// <summary>One round: lock cold / warm (no lock), install cold / warm (no venv), no-op, and bare MSBuild's no-op.</summary>
    public List<(string Row, double Ms)> Round(string work)
    {
        var rows = new List<(string, double)>();
        var cache = Path.Combine(work, "dotnet-cache");
        var lockPath = Path.Combine(_app, "pylock.toml");
        var venv = Path.Combine(_app, ".venv");
        File.Delete(lockPath);
        rows.Add(("ours, dotnet build -t:PythonLock: lock, cold cache", PeerBenchmark.Time(() => Build(_app, ["-t:PythonLock", "-p:PythonCacheDir=" + cache]))));
        File.Delete(lockPath);
        rows.Add(("ours, dotnet build -t:PythonLock: lock, warm cache, no lock", PeerBenchmark.Time(() => Build(_app, ["-t:PythonLock", "-p:PythonCacheDir=" + cache]))));
        // Once more with MSBuild's own clock, which the machine's load disturbs less than the wall time.
        File.Delete(lockPath);
        var relock = Inside(_app, ["-t:PythonLock", "-p:PythonCacheDir=" + cache]);
        rows.Add(("ours, dotnet build -t:PythonLock: warm re-lock, SDK targets inside MSBuild", relock.Targets));
        rows.Add(("ours, dotnet build -t:PythonLock: warm re-lock, PythonLock task inside MSBuild", relock.Tasks));
        var installCache = Path.Combine(work, "dotnet-install-cache");
        // The install's own cache: the lock's cached pages are not what a cold install may use.
        if (Directory.Exists(venv))
        {
            Directory.Delete(venv, recursive: true);
        }
        rows.Add(("ours, dotnet build: install, cold cache", PeerBenchmark.Time(() => Build(_app, ["-p:PythonCacheDir=" + installCache]))));
        Directory.Delete(venv, recursive: true);
        rows.Add(("ours, dotnet build: install, warm cache, no venv", PeerBenchmark.Time(() => Build(_app, ["-p:PythonCacheDir=" + installCache]))));
        rows.Add(("ours, dotnet build: no-op", PeerBenchmark.Time(() => Build(_app, ["-p:PythonCacheDir=" + installCache]))));
        rows.Add(("ours, dotnet build: no-op, SDK targets inside MSBuild", Inside(_app, ["-p:PythonCacheDir=" + installCache]).Targets));
        rows.Add(("bare MSBuild: no-op dotnet build without the SDK", PeerBenchmark.Time(() => Build(_plain, []))));
        return rows;
    }

    private void Build(string project, IEnumerable<string> arguments)
        => PeerBenchmark.Run("dotnet", ["build", project, "--no-restore", "-nologo", "-v:q", "-nodeReuse:false", .. arguments], environment: Environment());

    private Dictionary<string, string> Environment() => new() { ["NUGET_PACKAGES"] = _packages, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };

    /// <summary>
    /// One build with <c>-clp:PerformanceSummary</c>: the SDK's targets' time inside MSBuild (every <c>Python*</c> and
    /// <c>_Python*</c> target) and its tasks' (what ran of PythonLock, PythonSync, ValidatePythonDeclarations).
    /// </summary>
    private (double Targets, double Tasks) Inside(string project, IEnumerable<string> arguments)
    {
        var summary = Output("dotnet", ["build", project, "--no-restore", "-nologo", "-v:q", "-nodeReuse:false", "-clp:PerformanceSummary", .. arguments], Environment());
        double Sum(string section, Func<string, bool> counts) => summary
            .Split('\n')
            .SkipWhile(line => !line.StartsWith(section, StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(line => line.Trim().Length > 0)
            .Select(line => line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length >= 3 && cells[1] == "ms" && counts(cells[2]))
            .Sum(cells => double.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture));
        return (Sum("Target Performance Summary:", name => name.StartsWith("Python", StringComparison.Ordinal) || name.StartsWith("_Python", StringComparison.Ordinal)),
            Sum("Task Performance Summary:", name => name is "PythonLock" or "PythonSync" or "ValidatePythonDeclarations"));
    }

    private static string Repository()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "PythonEnv.Sdk.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("run the benchmark from the repository's bench/PythonEnv.Bench/bin");
        }
        return folder;
    }

    private static string Output(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}");
    }
}
