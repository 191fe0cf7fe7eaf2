using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Locking;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>Resolution against the loopback index, written as pylock.toml, read back and checked against the declarations.</summary>
[TestClass]
public sealed class LockFromResolutionTests
{
    [TestMethod]
    public async Task Universal_lock_forks_by_platform_and_satisfies_every_environment()
    {
        var requirements = new[] { Req("a>=2 ; sys_platform == 'linux'"), Req("a<2 ; sys_platform == 'darwin'"), Req("b") };
        var manifest = new LockManifest { RequiresPython = ">=3.12", Requirements = requirements.Select(r => r.Requirement.ToString()).ToList() };
        var options = new ResolverOptions { RequiresPython = SpecifierSet.Parse(">=3.12") };

        var (text, again) = await WithIndex(
            index =>
            {
                index.Publish(Spec("a", "1.0.0"));
                index.Publish(Spec("a", "2.0.0"));
                index.Publish(Spec("b", "1.0.0", "a"));
            },
            source =>
            {
                var first = PylockWriter.Write(LockBuilder.Build(new PythonResolver(source, options).Resolve(requirements), manifest, "pythonenv-sdk test"));
                var second = PylockWriter.Write(LockBuilder.Build(new PythonResolver(source, options).Resolve(requirements), manifest, "pythonenv-sdk test"));
                return (first, second);
            });

        Assert.AreEqual(text, again, "same inputs and index, same bytes");
        var lockFile = PylockReader.Read(text, "pylock.toml");
        var entries = lockFile.Packages.Where(p => p.Name == "a").Select(p => $"{p.Version} ; {p.Marker}").ToList();
        // Three forks (linux, darwin, the rest); the rest only needs some 'a' and takes the first fork's.
        CollectionAssert.AreEquivalent(new[] { "1.0.0 ; sys_platform == \"darwin\"", "2.0.0 ; sys_platform != \"darwin\"" }, entries, string.Join("\n", entries));
        Assert.AreEqual(3, lockFile.Manifest!.Forks.Count, string.Join("\n", lockFile.Manifest.Forks));
        Assert.IsTrue(lockFile.Packages.All(p => p.Wheels.Count > 0 && p.Sdist is not null && p.Index is not null));
        var universe = PythonResolver.Universe(SpecifierSet.Parse(">=3.12"), []);
        var python = VersionSet.FromSpecifierSet(SpecifierSet.Parse(">=3.12"));
        Assert.AreEqual(0, LockVerifier.Check(lockFile, requirements, [], universe, python).Count);

        var tightened = new[] { Req("a>=3 ; sys_platform == 'linux'"), requirements[1], requirements[2] };
        CollectionAssert.AreEqual(
            new[] { "a>=3; sys_platform == \"linux\" is not satisfied by the locked a 2.0.0 where sys_platform == \"linux\"" },
            LockVerifier.Check(lockFile, tightened, [], universe, python).ToArray());
    }

    [TestMethod]
    public void The_verifier_finds_gaps_and_overlaps_everywhere_the_lock_covers()
    {
        var lockFile = new PylockFile
        {
            Extras = ["cli"],
            Packages =
            [
                new LockedPackage { Name = "a", Version = "1.0", Marker = "sys_platform == 'linux'" },
                new LockedPackage { Name = "a", Version = "2.0", Marker = "sys_platform == 'win32' or python_version >= '3.13'" },
                new LockedPackage { Name = "click", Version = "8.0", Marker = "'cli' in extras" },
            ],
        };
        var universe = PythonResolver.Universe(SpecifierSet.Parse(">=3.12"), []);
        var python = VersionSet.FromSpecifierSet(SpecifierSet.Parse(">=3.12"));

        var problems = LockVerifier.Check(lockFile, [Req("a"), Req("click", extra: "cli")], [], universe, python);
        CollectionAssert.AreEquivalent(
            new[]
            {
                // Neither entry applies on macOS (or FreeBSD...) before 3.13; both apply on Linux from 3.13.
                "a has no locked entry where python_version < \"3.13\" and sys_platform != \"linux\" and sys_platform != \"win32\"",
                "a has two locked entries (1.0 and 2.0) that apply together where python_version >= \"3.13\" and sys_platform == \"linux\"",
            },
            problems.ToArray(), string.Join("\n", problems));

        var withEnvironments = PythonResolver.Universe(SpecifierSet.Parse(">=3.12"), [MarkerExpression.Parse("sys_platform == 'win32'")]);
        Assert.AreEqual(0, LockVerifier.Check(lockFile, [Req("a>=2"), Req("click", extra: "cli")], [], withEnvironments, python).Count);
    }

    [TestMethod]
    public async Task No_solution_names_the_declaration_and_the_missing_package()
    {
        var error = await WithIndex(
            index =>
            {
                index.Publish(Spec("b", "1.0", "a==1.0"));
                index.Publish(Spec("b", "2.0", "a==1.0"));
                index.Publish(Spec("a", "1.0", "c"));
            },
            source => Assert.ThrowsExactly<PythonEnvException>(() =>
                new PythonResolver(source, new ResolverOptions { Environment = TargetEnvironments.For("3.12.0", "linux") }).Resolve([Req("b>=2")])));

        Assert.AreEqual(DiagnosticCodes.NoSolution, error.Code);
        StringAssert.Contains(error.Message, "Because b>=2.0 depends on a and a depends on c, which is on no configured index, b>=2.0 cannot be used.");
        StringAssert.Contains(error.Message, "And because the project depends on b>=2 (declared at app.csproj(12)), no solution exists.");
    }

    [TestMethod]
    public async Task Locked_versions_are_preferred_until_upgraded()
    {
        var requirements = new[] { Req("a") };
        var preferences = new[] { new Preference(PackageName.Parse("a"), Pep440Version.Parse("1.0")) };

        var (kept, upgraded) = await WithIndex(
            index =>
            {
                index.Publish(Spec("a", "1.0"));
                index.Publish(Spec("a", "2.0"));
            },
            source => (
                new PythonResolver(source, new ResolverOptions { Environment = TargetEnvironments.For("3.12.0", "linux"), Preferences = preferences }).Resolve(requirements),
                new PythonResolver(source, new ResolverOptions { Environment = TargetEnvironments.For("3.12.0", "linux"), Preferences = preferences, UpgradeAll = true }).Resolve(requirements)));

        Assert.AreEqual("1.0", kept.Packages.Single().Version.ToString());
        Assert.AreEqual("2.0", upgraded.Packages.Single().Version.ToString());
    }
}
