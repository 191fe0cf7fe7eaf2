using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;

namespace PythonEnv.Sdk.Tests.Harness;

/// <summary>
/// A throw-away project that uses the packed SDK, in a folder of its own with its own nuget.config (the
/// run's feed for PythonEnv.Sdk, the repository's sources for everything else) and empty Directory.Build
/// files so nothing from the folders above leaks in.
/// </summary>
public sealed class SdkProject
{
    private SdkProject(string directory, string projectPath)
    {
        Directory = directory;
        ProjectPath = projectPath;
    }

    public string Directory { get; }

    public string ProjectPath { get; }

    /// <summary>Environment variables for every command on this project (null removes one).</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The target framework of the C# projects: the test host's, which needs no download.</summary>
    public static string TargetFramework { get; } = $"net{System.Environment.Version.Major}.0";

    /// <summary>
    /// Writes a project using the SDK the given way, with <paramref name="body"/> (ItemGroups,
    /// PropertyGroups...) inside it. The project file is named <paramref name="fileName"/>.
    /// </summary>
    public static SdkProject Create(string directory, SdkUsage usage, string body, string fileName = "App.csproj")
    {
        System.IO.Directory.CreateDirectory(directory);
        WriteIsolation(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, ProjectText(usage, body));
        return new SdkProject(directory, path);
    }

    /// <summary>
    /// A project already on disk (a copy of a sample, a second clone of a repository), isolated like
    /// <see cref="Create"/>'s: its nuget.config and Directory.Build files are the harness's.
    /// </summary>
    public static SdkProject Existing(string directory, string fileName)
    {
        WriteIsolation(directory);
        return new SdkProject(directory, Path.Combine(directory, fileName));
    }

    public static string ProjectText(SdkUsage usage, string body)
    {
        var version = SdkPackage.Version;
        return usage switch
        {
            SdkUsage.SdkElement => $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Sdk Name="PythonEnv.Sdk" Version="{version}" />
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                  </PropertyGroup>
                {Indent(body)}
                </Project>
                """,
            SdkUsage.PackageReference => $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="PythonEnv.Sdk" Version="{version}" PrivateAssets="all" />
                  </ItemGroup>
                {Indent(body)}
                </Project>
                """,
            SdkUsage.ProjectSdk => $"""
                <Project Sdk="PythonEnv.Sdk/{version}">
                {Indent(body)}
                </Project>
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(usage)),
        };
    }

    /// <summary>The file's path in the project folder.</summary>
    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>Writes a file beside the project (pyproject.toml, .python-version...), creating folders.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The 1-based line of the project file that contains <paramref name="text"/> (once).</summary>
    public int LineOf(string text)
    {
        var lines = File.ReadAllLines(ProjectPath);
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(text, StringComparison.Ordinal)).ToList();
        return matches.Count == 1 ? matches[0] + 1 : throw new InvalidOperationException($"'{text}' is on {matches.Count} lines of {ProjectPath}.");
    }

    /// <summary><c>dotnet build</c> (with restore) and any extra MSBuild arguments.</summary>
    public BuildResult Build(params string[] arguments) => Run("build", arguments);

    /// <summary><c>dotnet clean</c>.</summary>
    public BuildResult Clean(params string[] arguments) => Run("clean", arguments);

    /// <summary><c>dotnet restore</c>.</summary>
    public BuildResult Restore(params string[] arguments) => Run("restore", arguments);

    /// <summary><c>dotnet msbuild</c>: for targets and switches <c>dotnet build</c> does not take.</summary>
    public BuildResult MSBuild(params string[] arguments) => Run("msbuild", arguments);

    /// <summary>Runs <c>dotnet {command} {project} {arguments}</c> and collects its diagnostics.</summary>
    public BuildResult Run(string command, params string[] arguments)
    {
        var log = Path.Combine(Directory, $"{command}-{Guid.NewGuid():N}.log");
        var all = new List<string> { command, ProjectPath }
            .Concat(arguments)
            .Concat(new[]
            {
                "-nologo", "-nodeReuse:false", "-tl:off", "-v:m", "-p:UseSharedCompilation=false",
                $"-flp:logfile={log};verbosity=minimal;NoSummary;ForceNoAlign",
            })
            .ToList();
        var process = DotNet.Run(Directory, all, Environment.Concat(new[]
        {
            new KeyValuePair<string, string?>("NUGET_PACKAGES", SdkPackage.PackagesDirectory),
        }).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        var text = File.Exists(log) ? File.ReadAllText(log) : "";
        var commandLine = $"dotnet {command} {Path.GetFileName(ProjectPath)} {string.Join(" ", arguments)}".TrimEnd();
        SdkPackage.Record($"{Path.GetFileName(Path.GetDirectoryName(Directory))}: {commandLine}: {process.Duration.TotalSeconds:F1}s (exit {process.ExitCode})");
        return new BuildResult(commandLine, process, text);
    }

    private static void WriteIsolation(string directory)
    {
        var sources = string.Concat(SdkPackage.UpstreamSources.Select(s =>
            $"\n    <add key=\"{SecurityElement.Escape(s.Key)}\" value=\"{SecurityElement.Escape(s.Url)}\" />"));
        var mappings = string.Concat(SdkPackage.UpstreamSources.Select(s =>
            $"\n    <packageSource key=\"{SecurityElement.Escape(s.Key)}\"><package pattern=\"*\" /></packageSource>"));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="pythonenv-sdk-under-test" value="{SecurityElement.Escape(SdkPackage.FeedDirectory)}" />{sources}
              </packageSources>
              <!-- PythonEnv.Sdk only ever comes from the feed the test run packed. -->
              <packageSourceMapping>
                <packageSource key="pythonenv-sdk-under-test"><package pattern="PythonEnv.Sdk" /></packageSource>{mappings}
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
    }

    private static string Indent(string body) =>
        string.Join("\n", body.Trim('\n').Split('\n').Select(l => l.Length == 0 ? l : "  " + l.TrimEnd('\r')));
}
