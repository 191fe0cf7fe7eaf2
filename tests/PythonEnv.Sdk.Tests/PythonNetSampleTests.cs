using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// samples/PythonNetApp and samples/PythonNetApp.Tests with the real Python.NET (pythonnet from NuGet), as a fresh
/// clone has them, on each CPython here that pythonnet loads: the app runs on its venv (isolated), its test
/// project gets the app's environment without syncing it again, and the published app runs after its output
/// folder is moved and the project's .venv and the wheel cache are gone: the stages of samples/Docker/Dockerfile.
/// </summary>
[TestClass]
public sealed class PythonNetSampleTests : SdkTest
{
    [TestMethod]
    [DataRow("3.11")]
    [DataRow("3.12")]
    [DataRow("3.13")]
    public void The_app_runs_on_its_venv_its_tests_pass_and_it_runs_published_without_the_project(string version)
    {
        var interpreter = Interpreter(version);
        var samples = CopySamples("PythonNetApp", "PythonNetApp.Tests");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var cache = Path.Combine(TestDirectory, "cache");
        // The Dockerfile's build stage: Locked mode (the committed lock), the image's interpreter.
        var settings = new[] { "-c", "Release", "-p:ContinuousIntegrationBuild=true", $"-p:PythonInterpreter={interpreter}", $"-p:PythonCacheDir={cache}" };

        var build = app.Build(settings);
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsFalse(build.Warnings.Any(w => w.Code.StartsWith("PYENV6", StringComparison.Ordinal)), build.ToString());
        var dll = Path.Combine(app.Directory, "bin", "Release", SdkProject.TargetFramework, "PythonNetApp.dll");
        var run = DotNet.Run(app.Directory, new[] { dll });
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.StartsWith(run.Output, $"PYTHONNET OK Python {version}.");
        StringAssert.Contains(run.Output, $"prefix={app.PathOf(".venv")} ", "sys.prefix is the venv (the app itself fails when a base site-packages is on sys.path)");
        StringAssert.Contains(run.Output, $"greeting={app.PathOf(".venv")}{Path.DirectorySeparatorChar}");

        // dotnet test: the test project has no Python settings and gets the app's environment, without a sync of its own.
        var state = app.PathOf(Path.Combine("obj", "pythonenv", "sync.state"));
        var synced = File.GetLastWriteTimeUtc(state);
        var tests = SdkProject.Existing(Path.Combine(samples, "PythonNetApp.Tests"), "PythonNetApp.Tests.csproj");
        var test = tests.Run("test", settings);
        Assert.AreEqual(0, test.ExitCode, test.ToString());
        StringAssert.Matches(test.Output, new System.Text.RegularExpressions.Regex(@"(Passed: +2|succeeded: 2)"), test.ToString());
        Assert.AreEqual(synced, File.GetLastWriteTimeUtc(state), "the app's venv was not synced again for its test project");
        Assert.IsFalse(Directory.Exists(tests.PathOf(".venv")), "the test project has no environment of its own");

        // dotnet publish, then only the output folder moves on (the runtime stage): no .venv, no cache, no project.
        var output = Path.Combine(TestDirectory, "publish");
        var publish = app.Run("publish", settings.Concat(new[] { "-o", output }).ToArray());
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        var runtimeConfig = File.ReadAllText(Path.Combine(output, "PythonNetApp.runtimeconfig.json"));
        Assert.IsFalse(runtimeConfig.Contains(TestDirectory, StringComparison.Ordinal), "no build-machine path in the published runtimeconfig.json:\n" + runtimeConfig);
        StringAssert.Contains(runtimeConfig, "\"PythonEnv.PythonPrefix\": \"python\"");
        var sitePackages = Directory.GetDirectories(Path.Combine(output, "python"), "site-packages", SearchOption.AllDirectories).Single();
        Assert.IsTrue(File.Exists(Path.Combine(sitePackages, "greeting", "__init__.py")));
        Assert.IsTrue(Directory.GetFiles(Path.Combine(sitePackages, "shout", "__pycache__"), "*.pyc").Length > 0, "bytecode compiled at publish");

        var moved = Path.Combine(TestDirectory, "elsewhere", "app");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(output, moved);
        Directory.Delete(samples, recursive: true);
        Directory.Delete(cache, recursive: true);
        var path = Path.GetDirectoryName(interpreter) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        var shipped = DotNet.Run(moved, new[] { "PythonNetApp.dll" }, new Dictionary<string, string?> { ["PATH"] = path, ["PYTHONENV_PYTHON"] = null });
        Assert.AreEqual(0, shipped.ExitCode, shipped.Output);
        StringAssert.StartsWith(shipped.Output, $"PYTHONNET OK Python {version}.");
        StringAssert.Contains(shipped.Output, $"prefix={Path.Combine(moved, "python")} ");

        // A machine without that Python: the error names the version to install.
        var missing = DotNet.Run(moved, new[] { "PythonNetApp.dll" }, new Dictionary<string, string?> { ["PYTHONENV_PYTHON"] = Path.Combine(TestDirectory, "no-python") });
        Assert.AreNotEqual(0, missing.ExitCode, missing.Output);
        StringAssert.Contains(missing.Output, $"This app needs Python {version}");
    }

    [TestMethod]
    public async System.Threading.Tasks.Task A_self_contained_publish_ships_the_managed_interpreter_and_runs_moved_on_a_machine_without_Python()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("The test interpreter archive is made from a Linux pyenv CPython.");
            return;
        }

        var (server, archive, manifestUrl, _) = await ManagedInterpreterTests.ServeInterpreterAsync();
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var cache = Path.Combine(TestDirectory, "cache");
        var output = Path.Combine(TestDirectory, "publish");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var publish = app.Run("publish", "-c", "Release", "-o", output, "-p:PythonInterpreterSource=managed", "-p:PythonVersion=3.12", "-p:PythonSelfContained=true",
            $"-p:PythonDownloadsManifest={manifestUrl}", $"-p:PythonCacheDir={cache}");
        await server.DisposeAsync();
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "PythonPublish: self-contained: Python " + archive.Version);
        var size = new DirectoryInfo(output).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Console.WriteLine($"publish (download, unpack, sync, publish) {clock.Elapsed.TotalSeconds:0.0} s; published folder {size / 1024.0 / 1024.0:0.0} MiB; " +
            publish.Output.Split('\n').First(l => l.Contains("self-contained", StringComparison.Ordinal)).Trim());
        var runtimeConfig = File.ReadAllText(Path.Combine(output, "PythonNetApp.runtimeconfig.json"));
        Assert.IsFalse(runtimeConfig.Contains(TestDirectory, StringComparison.Ordinal), "no build-machine path in the published runtimeconfig.json:\n" + runtimeConfig);
        StringAssert.Contains(runtimeConfig, "\"PythonEnv.PythonLibrary\": \"python/lib/libpython3.12.so.1.0\"");
        Assert.IsFalse(File.Exists(Path.Combine(output, "python", "pyvenv.cfg")), "a whole installation, not a venv of one");
        Assert.IsFalse(Directory.Exists(Path.Combine(output, "python", "lib", "python3.12", "site-packages", "pip")), "only the locked packages");

        // Only the output folder moves on: no project, no .venv, no cache, no server, no Python on PATH or in pyenv's reach.
        var moved = Path.Combine(TestDirectory, "elsewhere", "app");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(output, moved);
        Directory.Delete(samples, recursive: true);
        Directory.Delete(cache, recursive: true);
        var shipped = DotNet.Run(moved, new[] { "PythonNetApp.dll" }, new Dictionary<string, string?>
        {
            ["PATH"] = "/nonexistent", ["PYENV_ROOT"] = "/nonexistent", ["PYTHONENV_PYTHON"] = null, ["PYTHONHOME"] = null, ["PYTHONPATH"] = null, ["LD_DEBUG"] = "libs",
        });
        var result = string.Join("\n", shipped.Output.Split('\n').Where(l => l.StartsWith("PYTHONNET", StringComparison.Ordinal)));
        Assert.AreEqual(0, shipped.ExitCode, result + shipped.Output[..Math.Min(shipped.Output.Length, 4000)]);
        StringAssert.StartsWith(result, $"PYTHONNET OK Python {archive.Version} ");
        StringAssert.Contains(result, $"prefix={Path.Combine(moved, "python")} ");
        StringAssert.Contains(result, $"executable={Path.Combine(moved, "python", "bin", "python3")} ", "sys.executable is inside the publish folder");
        var loaded = shipped.Output.Split('\n').Where(l => l.Contains("calling init:", StringComparison.Ordinal) && l.Contains("libpython", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, loaded.Count, string.Join("\n", loaded));
        StringAssert.Contains(loaded[0], Path.Combine(moved, "python", "lib", "libpython3.12.so.1.0"), "libpython is the shipped copy");
    }

    [TestMethod]
    public void The_READMEs_Python_NET_code_works_verbatim()
    {
        var readme = File.ReadAllText(Path.Combine(SdkPackage.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Python.NET", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var code = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        StringAssert.Contains(code, "PythonEngine.Initialize();");

        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        app.WriteFile("Program.cs", code);
        var build = app.Build("-p:ContinuousIntegrationBuild=true");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var run = DotNet.Run(app.Directory, new[] { Path.Combine(app.Directory, "bin", "Debug", SdkProject.TargetFramework, "PythonNetApp.dll") });
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "locked by PythonEnv.Sdk", "greeting.hello() from the venv");
    }

    [TestMethod]
    public void A_Python_that_pythonnet_cannot_load_is_a_build_warning_at_the_project()
    {
        var interpreter = Interpreter("3.10");
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var build = app.Build("-p:ContinuousIntegrationBuild=true", $"-p:PythonInterpreter={interpreter}");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var warning = build.WithCode("PYENV6002").Single();
        Assert.AreEqual(app.ProjectPath, warning.File);
        StringAssert.Contains(warning.Message, "pythonnet 3.2.1 loads Python 3.11 to 3.14");
        StringAssert.Contains(warning.Message, "3.10.");
    }

    [TestMethod]
    public void An_interpreter_without_a_shared_libpython_is_a_build_warning_naming_it()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("A POSIX shell script stands in for the interpreter.");
            return;
        }
        // A CPython built without --enable-shared, as the interpreter probe sees it: the real 3.11 behind a script that
        // reports no libpython (every other answer is the real one).
        var real = Interpreter("3.11");
        var folder = Path.Combine(TestDirectory, "static-python", "bin");
        Directory.CreateDirectory(folder);
        var wrapper = Path.Combine(folder, "python3.11");
        File.WriteAllText(wrapper, $$"""
            #!/bin/sh
            if [ "$*" = "-I -" ]; then
              "{{real}}" "$@" | sed -e 's/"libpython": "[^"]*"/"libpython": null/' -e 's/"shared": true/"shared": false/'
              exit $?
            fi
            exec "{{real}}" "$@"
            """.Replace("\r", ""));
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var build = app.Build("-p:ContinuousIntegrationBuild=true", $"-p:PythonInterpreter={wrapper}", $"-p:PythonCacheDir={Path.Combine(TestDirectory, "cache")}");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var warning = build.WithCode("PYENV6001").Single();
        Assert.AreEqual(app.ProjectPath, warning.File);
        StringAssert.Contains(warning.Message, real, "names the interpreter (the executable it reports for itself)");
        StringAssert.Contains(warning.Message, "--enable-shared", "and the fix");
    }

    [TestMethod]
    public void A_self_contained_dotnet_publish_with_an_installed_python_publishes_with_warning_PYENV7008()
    {
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var output = Path.Combine(TestDirectory, "publish");

        // PythonSelfContained is not set: it follows SelfContained, and the build's Python is an installed one.
        var publish = app.Run("publish", "-r", "linux-x64", "--self-contained", "true", "-p:PythonInterpreterSource=system", "-o", output);

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        var warning = publish.WithCode("PYENV7008").Single();
        Assert.AreEqual(app.ProjectPath, warning.File);
        StringAssert.Contains(warning.Message, "PythonInterpreterSource=managed", "names the fix");
        Assert.IsTrue(Directory.Exists(Path.Combine(output, "python")), "the environment is published");
        Assert.AreEqual(0, Directory.GetFiles(output, "libpython*", SearchOption.AllDirectories).Length, "no interpreter is shipped");

        var strict = app.Run("publish", "-r", "linux-x64", "--self-contained", "true", "-p:PythonInterpreterSource=system", "-p:PythonSelfContained=true", "-o", Path.Combine(TestDirectory, "strict"));
        Assert.AreNotEqual(0, strict.ExitCode, "asked for explicitly, a self-contained Python that cannot be shipped fails");
        Assert.AreEqual(1, strict.WithCode("PYENV7008").Count(), strict.ToString());
    }

    [TestMethod]
    public void A_publish_for_a_platform_the_lock_does_not_cover_is_PYENV6004_at_the_lock()
    {
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        File.WriteAllText(app.ProjectPath, File.ReadAllText(app.ProjectPath).Replace(
            "<PythonFindLinks>", "<PythonEnvironments>sys_platform == 'linux'</PythonEnvironments>\n    <PythonFindLinks>", StringComparison.Ordinal));
        var publish = app.Run("publish", "-r", "win-x64", "--self-contained", "false", "-p:UseAppHost=false", "-o", Path.Combine(TestDirectory, "publish"));
        Assert.AreNotEqual(0, publish.ExitCode, publish.ToString());
        var error = publish.WithCode("PYENV6004").Single();
        Assert.AreEqual(app.PathOf("pylock.toml"), error.File);
        StringAssert.Contains(error.Message, "win-x64");
        StringAssert.Contains(error.Message, "sys_platform == 'linux'");
        Assert.IsFalse(Directory.Exists(Path.Combine(TestDirectory, "publish", "python")), "nothing published");
    }

    [TestMethod]
    public void The_pure_Python_image_recipe_installs_the_exported_lock_with_pip()
    {
        var samples = CopySamples("PythonNetApp");
        var app = SdkProject.Existing(Path.Combine(samples, "PythonNetApp"), "PythonNetApp.csproj");
        var requirements = Path.Combine(TestDirectory, "requirements.txt");
        var export = app.Build("-t:PythonExportRequirements", "-p:ContinuousIntegrationBuild=true", $"-p:PythonRequirementsOutput={requirements}");
        Assert.AreEqual(0, export.ExitCode, export.ToString());

        // samples/Docker/Dockerfile.python: pip install --require-hashes --no-deps -r requirements.txt, in a fresh venv.
        var image = Path.Combine(TestDirectory, "image");
        PythonLockTests.RunPython(null, "-m", "venv", image);
        var python = Path.Combine(image, "bin", "python");
        Assert.AreEqual(0, Run(python, TestDirectory, "-m", "pip", "install", "--require-hashes", "--no-deps", "--no-index", "-r", requirements).ExitCode);
        var hello = Run(python, TestDirectory, "-c", "import greeting; print(greeting.hello())");
        StringAssert.Contains(hello.Output, "locked by PythonEnv.Sdk");
    }

    /// <summary>samples/&lt;name&gt; folders, samples/global.json (this run's SDK version) and the sample wheels, as in the repository.</summary>
    private string CopySamples(params string[] names)
    {
        var samples = Path.Combine(TestDirectory, "samples");
        foreach (var name in names)
        {
            var source = Path.Combine(SdkPackage.RepoRoot, "samples", name);
            var target = Path.Combine(samples, name);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
            SdkProject.Existing(target, name + ".csproj");
        }
        File.WriteAllText(Path.Combine(samples, "global.json"), $$"""{ "msbuild-sdks": { "PythonEnv.Sdk": "{{SdkPackage.Version}}" } }""");
        PythonLockTests.RunPython(null, Path.Combine(SdkPackage.RepoRoot, "build", "build-sample-wheels.py"), Path.Combine(TestDirectory, "artifacts", "sample-wheels"));
        return samples;
    }

    /// <summary>The CPython X.Y installed here (pyenv's, else on PATH); the test is inconclusive without it.</summary>
    private static string Interpreter(string version)
    {
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var pyenv = Directory.Exists(Path.Combine(root, "versions"))
            ? Directory.GetDirectories(Path.Combine(root, "versions"), version + ".*").Select(d => Path.Combine(d, "bin", "python" + version)).Where(File.Exists).OrderBy(p => p).LastOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "python" + version)).FirstOrDefault(p => File.Exists(p) && !p.Contains("shims", StringComparison.Ordinal));
        return pyenv ?? onPath ?? throw new AssertInconclusiveException($"No CPython {version} on this machine.");
    }

    private static ProcessResult Run(string program, string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = new ProcessResult(process.ExitCode, output + error.Result, TimeSpan.Zero);
        Assert.AreEqual(0, result.ExitCode, $"{program} {string.Join(" ", arguments)}:\n{result.Output}");
        return result;
    }
}
