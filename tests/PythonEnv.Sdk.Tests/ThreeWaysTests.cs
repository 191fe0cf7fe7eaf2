using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>The package works the same in each of the three ways a project can use it.</summary>
[TestClass]
public sealed class ThreeWaysTests : SdkTest
{
    private const string InvalidVersion = """
        <ItemGroup>
          <PythonPackage Include="requests" Version="=>2" />
        </ItemGroup>
        """;

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Invalid_version_fails_with_PYENV1001_naming_the_item(SdkUsage usage)
    {
        var project = NewProject(usage, InvalidVersion);

        var result = project.Build();

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        var error = result.Errors.Single();
        Assert.AreEqual("PYENV1001", error.Code, result.ToString());
        Assert.AreEqual(project.ProjectPath, error.File);
        Assert.AreEqual(project.LineOf("Version=\"=>2\""), error.Line);
        Assert.AreEqual(
            "PythonPackage \"requests\" has an invalid Version \"=>2\": '=>' is not a PEP 440 operator; did you mean '>='?",
            error.Message);
    }

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Each_invalid_declaration_is_reported_at_its_line(SdkUsage usage)
    {
        var project = NewProject(usage, """
            <ItemGroup>
              <PythonPackage Include="numpy" Marker="python_version >> '3.8'" />
              <PythonPackage Include="httpx" Extras="http2,not an extra" />
              <PythonPackage Include="my package" />
              <PythonPackage Include="flask" Version=">=2" Group="web" />
              <PythonConstraint Include="urllib3" Version="&lt;>2" />
              <PythonConstraint Include="idna" Group="dev" Version="&lt;4" />
            </ItemGroup>
            """);

        var result = project.Build();

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        Assert.IsTrue(result.Errors.All(e => e.Code == "PYENV1001" && e.File == project.ProjectPath), result.ToString());
        AssertError(result, project.LineOf("Marker="), "PythonPackage \"numpy\" has an invalid Marker \"python_version >> '3.8'\": ");
        AssertError(result, project.LineOf("Extras="), "PythonPackage \"httpx\" has an invalid extra \"not an extra\"");
        AssertError(result, project.LineOf("my package"), "PythonPackage \"my package\" is not a valid package name: a space is not allowed");
        AssertError(result, project.LineOf("&lt;>2"), "PythonConstraint \"urllib3\" has an invalid Version \"<>2\": '<>' is not a PEP 440 operator; did you mean '!='?");
        AssertError(result, project.LineOf("Group=\"dev\""), "PythonConstraint \"idna\" has Group=\"dev\": constraints apply to every group");
        Assert.AreEqual(5, result.Errors.Count(), result.ToString());
    }

    private static void AssertError(BuildResult result, int line, string messageStart)
    {
        var matches = result.Errors.Where(e => e.Message.StartsWith(messageStart, System.StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, matches.Count, $"No single error starting with: {messageStart}\n{result}");
        Assert.AreEqual(line, matches[0].Line, matches[0].ToString());
    }

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Valid_declarations_build_silently(SdkUsage usage)
    {
        // Validation only: no index here, so no lock (PythonLockTests cover locking).
        var project = NewProject(usage, """
            <PropertyGroup>
              <PythonLockMode>Frozen</PythonLockMode>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="requests" Version=">=2.31,&lt;3" Extras="socks" Marker="sys_platform == 'linux' or python_version >= '3.10'" />
              <PythonPackage Include="pytest" Group="dev" />
              <PythonConstraint Include="urllib3" Version="&lt;3" />
            </ItemGroup>
            """);

        var result = project.Build();

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(0, result.Diagnostics.Count, result.ToString());
        var assembly = project.PathOf(Path.Combine("bin", "Debug", SdkProject.TargetFramework, "App.dll"));
        // A C# project still compiles; a project that is only a Python environment produces no assembly.
        Assert.AreEqual(usage != SdkUsage.ProjectSdk, File.Exists(assembly), assembly);
    }

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Design_time_build_does_nothing(SdkUsage usage)
    {
        var project = NewProject(usage, InvalidVersion);

        // What Visual Studio and C# Dev Kit ask for in a design-time build: the compile, not run.
        var result = project.MSBuild("-restore", "-t:Compile", "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(0, result.Diagnostics.Count, result.ToString());
    }

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Multi_targeted_project_reports_each_problem_once(SdkUsage usage)
    {
        // net8.0 besides the SDK's own framework: its targeting pack is restored from nuget.org once per run.
        var project = NewProject(usage, $"""
            <PropertyGroup>
              <TargetFramework></TargetFramework>
              <TargetFrameworks>net8.0;{SdkProject.TargetFramework}</TargetFrameworks>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="requests" Version="=>2" />
            </ItemGroup>
            """);

        var result = project.Build();

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual("PYENV1001", result.Errors.Single().Code, result.ToString());
    }

    [TestMethod]
    [DataRow(SdkUsage.SdkElement)]
    [DataRow(SdkUsage.PackageReference)]
    [DataRow(SdkUsage.ProjectSdk)]
    public void Lock_mode_defaults_to_locked_only_in_continuous_integration(SdkUsage usage)
    {
        var project = NewProject(usage, "");
        // Restore first: a PackageReference's props and targets are only imported once restore wrote them.
        var restore = project.Restore();
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());

        Assert.AreEqual("Update", Property(project, "PythonLockMode"));
        Assert.AreEqual("Locked", Property(project, "PythonLockMode", "-p:ContinuousIntegrationBuild=true"));
        Assert.AreEqual("Frozen", Property(project, "PythonLockMode", "-p:ContinuousIntegrationBuild=true", "-p:PythonLockMode=Frozen"));
    }

    private static string Property(SdkProject project, string name, params string[] arguments)
    {
        var result = project.MSBuild(new[] { $"-getProperty:{name}" }.Concat(arguments).ToArray());
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        return result.Output.Trim();
    }
}
