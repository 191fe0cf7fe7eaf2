using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>pylock.toml as a hash-checked pip requirements file.</summary>
[TestClass]
public sealed class RequirementsExportTests
{
    private static LockedPackage Package(string name, string version, string? marker, params string[] hashes)
    {
        var wheels = new List<LockedFile>();
        foreach (var hash in hashes)
        {
            wheels.Add(new LockedFile { Name = $"{name}-{version}-py3-none-any.whl", Url = "https://x/" + hash, Hashes = new Dictionary<string, string> { ["sha256"] = hash } });
        }

        return new LockedPackage { Name = name, Version = version, Marker = marker, Wheels = wheels };
    }

    private static readonly PylockFile Lock = new()
    {
        CreatedBy = "test",
        RequiresPython = ">=3.10",
        DependencyGroups = ["dev"],
        Extras = ["cli"],
        Packages =
        [
            Package("click", "8.0", "'cli' in extras", "cc"),
            Package("colorama", "0.4", "sys_platform == 'win32' and 'cli' in extras", "co"),
            Package("old", "1.0", "python_version < '3.10'", "oo"),
            Package("b", "2.0", "sys_platform == \"linux\"", "bb"),
            Package("a", "1.0", null, "a2", "a1"),
            Package("pytest", "8.0", "'dev' in dependency_groups", "pp"),
        ],
    };

    [TestMethod]
    public void Every_entry_is_pinned_with_its_marker_and_every_hash()
    {
        var text = RequirementsExport.Write(Lock);
        StringAssert.Contains(text, "a==1.0 \\\n    --hash=sha256:a1 \\\n    --hash=sha256:a2\n");
        StringAssert.Contains(text, "b==2.0 ; sys_platform == \"linux\" \\\n    --hash=sha256:bb\n");
        Assert.IsFalse(text.Contains("pytest", System.StringComparison.Ordinal), "groups are left out unless asked for");
        Assert.IsFalse(text.Contains("click", System.StringComparison.Ordinal), "extras are left out unless asked for");
        Assert.IsFalse(text.Contains("old==", System.StringComparison.Ordinal), "an entry for no Python the lock covers is left out");
    }

    [TestMethod]
    public void Selected_groups_are_included_without_pep_751_only_markers()
    {
        var text = RequirementsExport.Write(Lock, ["dev"]);
        StringAssert.Contains(text, "pytest==8.0");
        Assert.IsFalse(text.Contains("dependency_groups", System.StringComparison.Ordinal), text);
    }

    [TestMethod]
    public void Selected_extras_are_included_with_the_rest_of_their_marker()
    {
        var text = RequirementsExport.Write(Lock, extras: ["CLI"]);
        StringAssert.Contains(text, "click==8.0 \\\n");
        StringAssert.Contains(text, "colorama==0.4 ; sys_platform == \"win32\" \\\n");
        Assert.IsFalse(text.Contains("in extras", System.StringComparison.Ordinal), text);
    }

    [TestMethod]
    public void An_entry_from_a_pinned_index_names_that_index_for_pip()
    {
        var cuda = Package("torch", "2.2.0+cu121", "sys_platform != 'darwin'", "tc");
        var numpy = Package("numpy", "1.26.4", null, "nn");
        var pinned = new PylockFile
        {
            CreatedBy = "test",
            RequiresPython = ">=3.10",
            Packages =
            [
                new LockedPackage { Name = cuda.Name, Version = cuda.Version, Marker = cuda.Marker, Wheels = cuda.Wheels, Index = "https://download.pytorch.org/whl/cu121/" },
                new LockedPackage { Name = numpy.Name, Version = numpy.Version, Wheels = numpy.Wheels, Index = "https://pypi.org/simple/" },
            ],
            Manifest = new LockManifest { Indexes = ["https://pypi.org/simple/"] },
        };

        var text = RequirementsExport.Write(pinned);

        StringAssert.Contains(text, "--extra-index-url https://download.pytorch.org/whl/cu121/\n");
        Assert.IsFalse(text.Contains("--extra-index-url https://pypi.org", System.StringComparison.Ordinal), text);
        StringAssert.Contains(text, "torch==2.2.0+cu121 ; sys_platform != \"darwin\"");
    }

    [TestMethod]
    public void An_extra_the_lock_does_not_have_is_an_error()
    {
        var error = Assert.ThrowsExactly<PythonEnv.Diagnostics.PythonEnvException>(() => LockSelection.KnownExtras(Lock, ["gui"], "PythonExportExtras", "/repo/pylock.toml"));
        StringAssert.Contains(error.Message, "PythonExportExtras names the extra 'gui'");
        StringAssert.Contains(error.Message, "it has: cli");
        Assert.AreEqual("/repo/pylock.toml", error.File);
    }
}
