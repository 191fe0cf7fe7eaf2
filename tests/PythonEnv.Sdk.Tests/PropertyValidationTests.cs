using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Enumerated and boolean properties: a value the SDK does not know is PYENV1001 naming the property, the value and
/// the allowed ones, at the line that sets it (the project, an imported file), or at the project file saying it came
/// from the command line; never silently taken as the default, never at the SDK's own targets.
/// </summary>
[TestClass]
public sealed class PropertyValidationTests : SdkTest
{
    [TestMethod]
    public void Unknown_values_are_PYENV1001_at_the_line_that_sets_them_naming_the_allowed_ones()
    {
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonResolution>lowestdirect</PythonResolution>
              <PythonPrerelease>yes</PythonPrerelease>
              <PythonLockMode>Strict</PythonLockMode>
              <PythonNoBuild>maybe</PythonNoBuild>
              <PythonCompileBytecode>often</PythonCompileBytecode>
              <PythonUpgrade>alpha&gt;=2</PythonUpgrade>
              <PythonPublishEnvironment>no</PythonPublishEnvironment>
            </PropertyGroup>
            <Import Project="python.props" />
            """, fileName: "env.proj");
        var imported = project.WriteFile("python.props", """
            <Project>
              <PropertyGroup>
                <PythonOffline>yes</PythonOffline>
              </PropertyGroup>
            </Project>
            """);

        var build = project.Build();

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        AssertError(build, "PythonResolution", "lowestdirect", project.ProjectPath, project.LineOf("<PythonResolution>"), "highest", "lowest", "lowest-direct");
        AssertError(build, "PythonPrerelease", "yes", project.ProjectPath, project.LineOf("<PythonPrerelease>"), "allow", "if-necessary-or-explicit");
        AssertError(build, "PythonLockMode", "Strict", project.ProjectPath, project.LineOf("<PythonLockMode>"), "Update", "Locked", "Frozen");
        AssertError(build, "PythonNoBuild", "maybe", project.ProjectPath, project.LineOf("<PythonNoBuild>"), "true", "false");
        AssertError(build, "PythonCompileBytecode", "often", project.ProjectPath, project.LineOf("<PythonCompileBytecode>"), "true", "false");
        AssertError(build, "PythonUpgrade", "alpha>=2", project.ProjectPath, project.LineOf("<PythonUpgrade>"), "true", "false", "package names");
        AssertError(build, "PythonOffline", "yes", imported, 3, "true", "false");
        AssertError(build, "PythonPublishEnvironment", "no", project.ProjectPath, project.LineOf("<PythonPublishEnvironment>"), "true", "false");
        Assert.IsFalse(build.Diagnostics.Any(d => d.File.EndsWith(".targets", StringComparison.OrdinalIgnoreCase)), build.ToString());
        Assert.IsFalse(File.Exists(project.PathOf("pylock.toml")), "nothing runs on a property the SDK cannot read");
    }

    [TestMethod]
    public void A_value_from_the_command_line_is_PYENV1001_at_the_project_file_saying_so_and_a_fix_is_picked_up()
    {
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonResolution>lowest</PythonResolution>
            </PropertyGroup>
            """, fileName: "env.proj");

        var build = project.Build("-p:PythonResolution=lowestdirect", "-p:PythonEnvironmentEnabled=no");

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var resolution = AssertError(build, "PythonResolution", "lowestdirect", project.ProjectPath, 0, "lowest-direct");
        StringAssert.Contains(resolution.Message, "-p:PythonResolution=lowestdirect");
        AssertError(build, "PythonEnvironmentEnabled", "no", project.ProjectPath, 0, "true", "false");

        var fixedUp = project.Build("--no-restore", "-p:PythonResolution=LOWEST-direct", "-p:PythonEnvironmentEnabled=false");
        Assert.AreEqual(0, fixedUp.ExitCode, fixedUp.ToString());
        Assert.IsFalse(fixedUp.WithCode("PYENV1001").Any(), fixedUp.ToString());
    }

    [TestMethod]
    [DataRow("PythonEnvironments", "sys_platform ==", DisplayName = "a marker that does not parse")]
    [DataRow("PythonIndexUrl", "ftp://mirror.example/simple", DisplayName = "an index URL that is not http(s), file or a path")]
    public void A_value_the_engine_refuses_is_reported_at_the_line_that_sets_it(string property, string value)
    {
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
              <{property}>{value}</{property}>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            """, fileName: "env.proj");

        var build = project.Build();

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var error = build.WithCode("PYENV1001").SingleOrDefault(d => d.Message.StartsWith(property, StringComparison.Ordinal));
        Assert.IsNotNull(error, build.ToString());
        Assert.AreEqual(project.ProjectPath, error.File, error.ToString());
        Assert.AreEqual(project.LineOf($"<{property}>"), error.Line, error.ToString());
    }

    [TestMethod]
    public void A_property_naming_what_the_lock_lacks_is_reported_at_the_line_that_sets_it()
    {
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonExportExtras>cli</PythonExportExtras>
            </PropertyGroup>
            """, fileName: "env.proj");
        var wheel = new LockedFile { Name = "alpha-1.0-py3-none-any.whl", Path = "wheels/alpha-1.0-py3-none-any.whl", Size = 1, Hashes = new Dictionary<string, string> { ["sha256"] = new string('0', 64) } };
        project.WriteFile("pylock.toml", PylockWriter.Write(new PylockFile
        {
            CreatedBy = "test",
            Packages = new[] { new LockedPackage { Name = "alpha", Version = "1.0", Wheels = new[] { wheel } } },
        }));

        var build = project.Build("-t:PythonExportRequirements");

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var error = build.Errors.SingleOrDefault(d => d.Message.StartsWith("PythonExportExtras", StringComparison.Ordinal));
        Assert.IsNotNull(error, build.ToString());
        StringAssert.Contains(error.Message, "'cli'");
        Assert.AreEqual(project.ProjectPath, error.File, error.ToString());
        Assert.AreEqual(project.LineOf("<PythonExportExtras>"), error.Line, error.ToString());
    }

    private static BuildDiagnostic AssertError(BuildResult build, string property, string value, string file, int line, params string[] allowed)
    {
        var error = build.WithCode("PYENV1001").SingleOrDefault(d => d.Message.StartsWith(property + " ", StringComparison.Ordinal));
        Assert.IsNotNull(error, $"no PYENV1001 for {property}:\n{build}");
        Assert.AreEqual("error", error.Severity);
        StringAssert.Contains(error.Message, $"'{value}'");
        foreach (var name in allowed)
        {
            StringAssert.Contains(error.Message, name);
        }

        Assert.AreEqual(Path.GetFullPath(file), Path.GetFullPath(error.File), error.ToString());
        Assert.AreEqual(line, error.Line, error.ToString());
        return error;
    }
}
