using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// `dotnet build` never lets a bad wheel or an impossible plan change a working .venv: a package whose console
/// script would replace the venv's python fails the build with the venv as it was, and so does switching
/// .python-version to an interpreter a locked package has no wheel for.
/// </summary>
[TestClass]
public sealed class SafeSyncTests : SdkTest
{
    [TestMethod]
    public async Task A_console_script_named_python_fails_the_build_and_the_venv_keeps_its_interpreter()
    {
        await using var server = await TestIndexServer.StartAsync();
        server.Publish(new PackageSpec("alpha", "1.0"));
        var evil = new PackageSpec("evil", "1.0");
        evil.ConsoleScripts["python"] = "evil:main";
        server.Publish(evil);
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="alpha" />
            </ItemGroup>
            """, fileName: "env.proj");
        var first = project.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        var python = project.PathOf(Path.Combine(".venv", "bin", "python"));
        var interpreterVersion = Run(python, "-c", "import platform; print(platform.python_version())");

        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath)
            .Replace("<PythonPackage Include=\"alpha\" />", "<PythonPackage Include=\"alpha\" />\n    <PythonPackage Include=\"evil\" />", StringComparison.Ordinal));
        var refused = project.Build("--no-restore");
        Assert.AreNotEqual(0, refused.ExitCode, refused.ToString());
        var error = refused.WithCode("PYENV4004").SingleOrDefault();
        Assert.IsNotNull(error, refused.ToString());
        StringAssert.Contains(error.Message, "evil-1.0-py3-none-any.whl");
        StringAssert.Contains(error.Message, "belongs to the virtual environment itself");
        Assert.AreEqual(project.PathOf("pylock.toml"), error.File, "the error points at the lock entry of the package");
        Assert.IsTrue(error.Line > 0, error.ToString());

        Assert.IsTrue((File.GetAttributes(python) & FileAttributes.ReparsePoint) != 0, "bin/python is still the venv's interpreter link");
        Assert.AreEqual(interpreterVersion, Run(python, "-c", "import platform; print(platform.python_version())"));
        Assert.AreEqual("hello from alpha 1.0", Run(python, "-c", "import alpha; print(alpha.hello())"));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.PathOf(".venv"), "lib", "python" + string.Join(".", interpreterVersion.Split('.').Take(2)), "site-packages", "evil")));
    }

    [TestMethod]
    public void Switching_python_version_to_an_interpreter_without_a_wheel_fails_PYENV4006_and_keeps_the_venv()
    {
        RequirePyenv("3.11");
        RequirePyenv("3.12");
        var project = NewProject(SdkUsage.ProjectSdk, """
            <PropertyGroup>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
              <PythonOffline>true</PythonOffline>
              <PythonLockMode>Frozen</PythonLockMode>
            </PropertyGroup>
            """, fileName: "env.proj");
        // A package built for CPython 3.11 only: the lock has no other wheel and no sdist.
        var spec = new PackageSpec("only311", "1.0");
        var wheel = spec.Wheel("cp311-none-any");
        wheel.WriteTo(project.PathOf("wheels"));
        project.WriteFile("pylock.toml", PylockWriter.Write(new PylockFile
        {
            CreatedBy = "test",
            Packages = new[]
            {
                new LockedPackage
                {
                    Name = "only311",
                    Version = "1.0",
                    Wheels = new[] { new LockedFile { Name = wheel.FileName, Path = "wheels/" + wheel.FileName, Size = wheel.Size, Hashes = new Dictionary<string, string> { ["sha256"] = wheel.Sha256 } } },
                },
            },
        }));
        project.WriteFile(".python-version", "3.11\n");
        var first = project.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        var python = project.PathOf(Path.Combine(".venv", "bin", "python"));
        Assert.AreEqual("3.11 hello from only311 1.0", Run(python, "-c", "import sys, only311; print('%d.%d' % sys.version_info[:2], only311.hello())"));
        var config = File.ReadAllText(project.PathOf(Path.Combine(".venv", "pyvenv.cfg")));

        project.WriteFile(".python-version", "3.12\n");
        var switched = project.Build("--no-restore");
        Assert.AreNotEqual(0, switched.ExitCode, switched.ToString());
        var error = switched.WithCode("PYENV4006").SingleOrDefault();
        Assert.IsNotNull(error, switched.ToString());
        StringAssert.Contains(error.Message, "only311 1.0 cannot be installed on this interpreter");
        StringAssert.Contains(error.Message, "was left as it was");
        Assert.AreEqual(project.PathOf("pylock.toml"), error.File);

        Assert.AreEqual(config, File.ReadAllText(project.PathOf(Path.Combine(".venv", "pyvenv.cfg"))), "the venv was not recreated");
        Assert.AreEqual("3.11 hello from only311 1.0", Run(python, "-c", "import sys, only311; print('%d.%d' % sys.version_info[:2], only311.hello())"));

        // Back on 3.11 the venv is found as it was.
        project.WriteFile(".python-version", "3.11\n");
        var back = project.Build("--no-restore");
        Assert.AreEqual(0, back.ExitCode, back.ToString());
        Assert.IsFalse(back.Output.Contains("Installed only311", StringComparison.Ordinal), back.ToString());
    }

    /// <summary>pyenv's CPython X.Y, or an inconclusive test when this machine has none.</summary>
    private static void RequirePyenv(string minor)
    {
        var versions = Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv"), "versions");
        if (!Directory.Exists(versions) || !Directory.GetDirectories(versions, minor + ".*").Any(d => File.Exists(Path.Combine(d, "bin", "python3"))))
        {
            Assert.Inconclusive($"pyenv has no Python {minor} on this machine");
        }
    }

    /// <summary>Runs a program and returns its trimmed standard output; fails the test when it fails.</summary>
    private static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, errors);
        return output.Result.Trim();
    }
}
