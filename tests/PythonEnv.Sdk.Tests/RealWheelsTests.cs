using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// Real packages, not generated ones: wheels repacked from an interpreter's site-packages (their METADATA with
/// every real Requires-Dist and marker, their extension modules and tags) are served from the loopback index;
/// `dotnet build` locks them, installs them, and the venv's python imports them. pip, as an outside tool,
/// checks the venv's dependencies and installs the exported requirements.txt.
/// </summary>
[TestClass]
public sealed class RealWheelsTests : SdkTest
{
    // The wheels are cp311 Linux x86_64 builds (or pure): the lock covers that platform and Python.
    private const string Environments = "sys_platform == 'linux' and platform_machine == 'x86_64' and platform_python_implementation == 'CPython'";

    [TestMethod]
    public async Task Boto3_flask_pydantic_and_moto_lock_install_and_import_and_pip_installs_the_export()
    {
        RealPython python = RealPython.Pyenv311();
        RealWheelSet wheels = python.Repack("boto3", "flask", "pydantic", "moto", "cryptography");
        await using var server = await wheels.ServeAsync();

        var project = Project(server, python, "boto3", "flask", "pydantic", "moto");
        (PylockFile lockFile, string venvPython) = LockAndInstall(project, wheels);

        // Every locked package is a repacked one, at its installed version (and pip check finds nothing missing).
        CollectionAssert.IsSubsetOf(lockFile.Packages.Select(p => $"{p.Name} {p.Version}").ToList(), wheels.Wheels.Select(w => $"{w.Source.NormalizedName} {w.Source.Version}").ToList());
        StringAssert.Contains(string.Join("\n", lockFile.Packages.Select(p => p.Wheels.Single().Name)), "pydantic_core-", "the extension-module dependency is locked");
        AssertImports(venvPython, project, wheels, ("boto3", "boto3"), ("flask", "flask"), ("pydantic", "pydantic"), ("pydantic_core", "pydantic-core"), ("moto", "moto"), ("cryptography", "cryptography"));
        PipCheck(python, venvPython);

        // pip installs what PythonExportRequirements writes, hash-checked, from the same index, into a venv of its own.
        var export = project.Build("--no-restore", "-t:PythonExportRequirements");
        Assert.AreEqual(0, export.ExitCode, export.ToString());
        string pipVenv = Path.Combine(TestDirectory, "pip-venv");
        RealPython.Run(python.Executable, ["-m", "venv", "--without-pip", pipVenv]);
        string pipPython = Path.Combine(pipVenv, "bin", "python");
        RealPython.Run(python.Executable, ["-m", "pip", "--python", pipPython, "install", "--require-hashes", "--no-deps", "--index-url", server.SimpleUrl.ToString(), "-r", project.PathOf("requirements.txt")]);
        AssertImports(pipPython, project, wheels, ("boto3", "boto3"), ("moto", "moto"), ("pydantic", "pydantic"));
        PipCheck(python, pipPython);
    }

    [TestMethod]
    public async Task Debian_numpy_scipy_pandas_scikit_learn_and_matplotlib_lock_install_and_import()
    {
        RealPython python = RealPython.Debian();
        RealWheelSet wheels = python.Repack("numpy", "scipy", "pandas", "scikit-learn", "matplotlib");
        await using var server = await wheels.ServeAsync();

        var project = Project(server, python, "numpy", "pandas", "scikit-learn", "matplotlib");
        (PylockFile lockFile, string venvPython) = LockAndInstall(project, wheels);

        CollectionAssert.IsSubsetOf(new[] { "numpy", "scipy", "pandas", "scikit-learn", "matplotlib", "joblib", "threadpoolctl", "pillow", "kiwisolver", "python-dateutil", "pytz", "six" }, lockFile.Packages.Select(p => p.Name).ToList(),
            "the dependencies Debian strips and the patches restore are locked");
        Assert.AreEqual("1.4.4", lockFile.Packages.Single(p => p.Name == "kiwisolver").Version, "kiwisolver's Debian 0.0.0 is repacked as dpkg's version");
        StringAssert.EndsWith(lockFile.Packages.Single(p => p.Name == "numpy").Wheels.Single().Name!, "-cp311-cp311-linux_x86_64.whl");
        AssertImports(venvPython, project, wheels, ("numpy", "numpy"), ("scipy", "scipy"), ("pandas", "pandas"), ("sklearn", "scikit-learn"), ("matplotlib", "matplotlib"));
        // The extension modules work, and a pandas-on-numpy and a scikit-learn-on-scipy computation runs.
        string computed = RealPython.Run(venvPython, ["-c", """
            import matplotlib; matplotlib.use("Agg")
            import numpy, pandas, matplotlib.pyplot as plt
            from sklearn.linear_model import LinearRegression
            x = numpy.arange(10.0).reshape(-1, 1)
            model = LinearRegression().fit(x, 3 * x.ravel() + 1)
            frame = pandas.DataFrame({"x": x.ravel()})
            plt.plot(frame["x"], model.predict(x))
            print(round(model.coef_[0], 6), round(model.intercept_, 6), int(frame["x"].sum()))
            """]);
        Assert.AreEqual("3.0 1.0 45", computed.Trim());
        PipCheck(python, venvPython);
    }

    [TestMethod]
    [DataRow("pyenv")]
    [DataRow("debian")]
    public async Task Ipython_locks_installs_and_imports(string source)
    {
        // IPython needs pickleshare, whose METADATA says `pathlib2; python_version in "2.6 2.7 3.2 3.3"` (PEP 508's `in` on strings).
        RealPython python = source == "pyenv" ? RealPython.Pyenv311() : RealPython.Debian();
        RealWheelSet wheels = python.Repack("ipython");
        await using var server = await wheels.ServeAsync();

        var project = Project(server, python, "ipython");
        (PylockFile lockFile, string venvPython) = LockAndInstall(project, wheels);

        CollectionAssert.IsSubsetOf(new[] { "ipython", "pickleshare", "jedi", "parso", "prompt-toolkit", "traitlets", "pexpect", "stack-data" }, lockFile.Packages.Select(p => p.Name).ToList());
        Assert.IsFalse(lockFile.Packages.Any(p => p.Name is "pathlib2" or "appnope" or "colorama"), "no Python 2 or other-platform dependency is locked");
        AssertImports(venvPython, project, wheels, ("IPython", "ipython"), ("pickleshare", "pickleshare"), ("jedi", "jedi"), ("prompt_toolkit", "prompt-toolkit"));
        string shell = RealPython.Run(project.PathOf(Path.Combine(".venv", "bin", "ipython")), ["--quick", "--no-banner", "--colors=NoColor", "-c", "print(sum(range(10)))"], new Dictionary<string, string> { ["HOME"] = TestDirectory, ["IPYTHONDIR"] = Path.Combine(TestDirectory, "ipython") });
        StringAssert.Contains(shell, "45", "the ipython console script made from the entry point runs");
        PipCheck(python, venvPython);
    }

    private SdkProject Project(TestIndexServer server, RealPython python, params string[] packages) => NewProject(SdkUsage.ProjectSdk, $"""
        <PropertyGroup>
          <PythonIndexUrl>{server.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
          <PythonInterpreter>{python.Executable}</PythonInterpreter>
          <PythonRequiresPython>==3.11.*</PythonRequiresPython>
          <PythonEnvironments>{Environments}</PythonEnvironments>
        </PropertyGroup>
        <ItemGroup>
        {string.Join("\n", packages.Select(p => $"  <PythonPackage Include=\"{p}\" />"))}
        </ItemGroup>
        """, fileName: "env.proj");

    /// <summary>Locks (`-t:PythonLock`), then builds (the venv), timing each; returns the lock and the venv's python.</summary>
    private (PylockFile Lock, string Python) LockAndInstall(SdkProject project, RealWheelSet wheels)
    {
        var locking = project.Build("-t:PythonLock");
        Assert.AreEqual(0, locking.ExitCode, $"{locking}\nRepacked:\n{wheels.Describe()}");
        var lockFile = PylockReader.Load(project.PathOf("pylock.toml"));
        var install = project.Build("--no-restore");
        Assert.AreEqual(0, install.ExitCode, install.ToString());
        string measured = $"{wheels.Wheels.Count} wheels repacked ({wheels.Wheels.Sum(w => w.Wheel.Size) / (1024 * 1024)} MiB) in {wheels.RepackTime.TotalSeconds:F1}s; " +
            $"locked {lockFile.Packages.Count} packages in {locking.Duration.TotalSeconds:F1}s; installed in {install.Duration.TotalSeconds:F1}s";
        TestContext.WriteLine(measured);
        SdkPackage.Record($"{TestContext.TestName}: {measured}");
        foreach (var package in lockFile.Packages)
        {
            StringAssert.Contains(install.Output, $"Installed {package.Name} {package.Version}", install.ToString());
        }

        return (lockFile, project.PathOf(Path.Combine(".venv", "bin", "python")));
    }

    /// <summary>Imports each module in the venv: it comes from the venv, at the repacked distribution's version.</summary>
    private static void AssertImports(string venvPython, SdkProject project, RealWheelSet wheels, params (string Module, string Distribution)[] imports)
    {
        string output = RealPython.Run(venvPython, ["-c", """
            import importlib, importlib.metadata, sys
            for pair in sys.argv[1:]:
                module, dist = pair.split("=")
                m = importlib.import_module(module)
                print(module, importlib.metadata.version(dist), m.__file__.startswith(sys.prefix))
            """, .. imports.Select(i => $"{i.Module}={i.Distribution}")]);
        var expected = imports.Select(i => $"{i.Module} {wheels[i.Distribution].Wheel.Version} True").ToArray();
        CollectionAssert.AreEqual(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), $"{output}\n(in {project.Directory})");
    }

    /// <summary>pip, an outside judge, finds every installed distribution's requirements satisfied in the venv.</summary>
    private static void PipCheck(RealPython pip, string venvPython) =>
        StringAssert.Contains(RealPython.Run(pip.Executable, ["-m", "pip", "--python", venvPython, "check"]), "No broken requirements found.");
}
