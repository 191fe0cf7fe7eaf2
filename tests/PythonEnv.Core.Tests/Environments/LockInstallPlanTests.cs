using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Locking;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Environments;

[TestClass]
public sealed class LockInstallPlanTests
{
    private static LockedPackage Locked(InstallHarness harness, PackageSpec spec, string? marker = null)
    {
        var wheel = spec.Wheel();
        var path = wheel.WriteTo(Path.Combine(harness.Root, "project", "wheels"));
        return new LockedPackage
        {
            Name = spec.NormalizedName,
            Version = spec.Version,
            Marker = marker,
            Wheels = new[]
            {
                new LockedFile { Name = wheel.FileName, Path = "wheels/" + Path.GetFileName(path), Size = wheel.Size, Hashes = new Dictionary<string, string> { ["sha256"] = wheel.Sha256 } },
            },
        };
    }

    [TestMethod]
    public async Task Markers_groups_and_paths_of_a_PEP_751_lock_decide_what_is_installed()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("lockplan", python);
        var lockFile = new PylockFile
        {
            DependencyGroups = new[] { "dev" },
            Packages = new[]
            {
                Locked(harness, new PackageSpec("always", "1.0")),
                Locked(harness, new PackageSpec("windows-only", "1.0"), "sys_platform == 'win32'"),
                Locked(harness, new PackageSpec("here-only", "1.0"), $"sys_platform == '{python.SysPlatform}'"),
                Locked(harness, new PackageSpec("dev-tool", "1.0"), "'dev' in dependency_groups"),
            },
            Manifest = new LockManifest { Requirements = new[] { "always>=1" } },
        };
        var lockPath = Path.Combine(harness.Root, "project", "pylock.toml");

        var plan = LockInstallPlan.Create(lockFile, lockPath, python);
        CollectionAssert.AreEquivalent(new[] { "always", "here-only" }, plan.Packages.Select(p => p.NormalizedName).ToArray());
        Assert.IsTrue(plan.Packages.Single(p => p.NormalizedName == "always").Requested);
        Assert.IsFalse(plan.Packages.Single(p => p.NormalizedName == "here-only").Requested);

        var withDev = LockInstallPlan.Create(lockFile, lockPath, python, groups: new[] { "dev" });
        CollectionAssert.Contains(withDev.Packages.Select(p => p.NormalizedName).ToArray(), "dev-tool");

        await harness.SyncAsync(withDev.Packages);
        Assert.AreEqual("hello from dev-tool 1.0", harness.RunInVenv("import dev_tool; print(dev_tool.hello())"));
    }

    [TestMethod]
    public async Task A_locked_file_without_sha256_is_refused()
    {
        var python = await TestPython.DefaultAsync();
        var lockFile = new PylockFile
        {
            Packages = new[] { new LockedPackage { Name = "nohash", Version = "1.0", Wheels = new[] { new LockedFile { Url = "https://example.invalid/nohash-1.0-py3-none-any.whl" } } } },
        };
        var error = Assert.ThrowsExactly<PythonEnvException>(() => LockInstallPlan.Create(lockFile, "/p/pylock.toml", python));
        Assert.AreEqual(DiagnosticCodes.InvalidLock, error.Code);
        StringAssert.Contains(error.Message, "sha256");
    }

    [TestMethod]
    public async Task Extras_of_the_project_install_only_when_asked_for_and_an_unknown_one_is_an_error()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("lockextras", python);
        var lockFile = new PylockFile
        {
            Extras = new[] { "cli" },
            Packages = new[]
            {
                Locked(harness, new PackageSpec("always", "1.0")),
                Locked(harness, new PackageSpec("click", "8.0"), "'cli' in extras"),
            },
        };
        var lockPath = Path.Combine(harness.Root, "project", "pylock.toml");

        CollectionAssert.AreEquivalent(new[] { "always" }, LockInstallPlan.Create(lockFile, lockPath, python).Packages.Select(p => p.NormalizedName).ToArray());
        CollectionAssert.AreEquivalent(new[] { "always", "click" }, LockInstallPlan.Create(lockFile, lockPath, python, extras: new[] { "CLI" }).Packages.Select(p => p.NormalizedName).ToArray());
        var error = Assert.ThrowsExactly<PythonEnvException>(() => LockInstallPlan.Create(lockFile, lockPath, python, extras: new[] { "gui" }));
        StringAssert.Contains(error.Message, "'gui'");
        StringAssert.Contains(error.Message, "it has: cli");
        Assert.AreEqual(lockPath, error.File);
    }

    [TestMethod]
    public async Task Each_planned_package_knows_its_line_in_the_lock_so_install_failures_point_there()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("locklines", python);
        var lockFile = new PylockFile
        {
            Packages = new[]
            {
                Locked(harness, new PackageSpec("first", "1.0")),
                Locked(harness, new PackageSpec("second", "1.0")),
            },
        };
        var lockPath = Path.Combine(harness.Root, "project", "pylock.toml");
        File.WriteAllText(lockPath, PylockWriter.Write(lockFile));
        var lines = File.ReadAllLines(lockPath);

        foreach (var package in LockInstallPlan.Create(PylockReader.Load(lockPath), lockPath, python).Packages)
        {
            Assert.AreEqual(lockPath, package.SourceFile);
            Assert.AreEqual($"name = \"{package.Name}\"", lines[package.SourceLine - 1].Trim());
        }
    }
}
