using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>
/// <c>PythonTree</c> and <c>PythonWhy</c>: the lock's graph printed as <c>uv tree</c> and <c>uv tree --invert --package</c>
/// print it, from the declared requirements (with extras, markers, groups) down the lock's dependency edges.
/// </summary>
[TestClass]
public sealed class LockGraphTests
{
    private static LockedPackage Entry(string name, string version, string? marker = null, params LockedDependency[] dependencies) =>
        new() { Name = name, Version = version, Marker = marker, Dependencies = dependencies };

    /// <summary>app requires requests[socks] (which needs urllib3, idna, pysocks), colorama on Windows only, and pytest in the dev group.</summary>
    private static PylockFile Lock() => new()
    {
        RequiresPython = ">=3.9",
        Packages =
        [
            Entry("requests", "2.32.3", null, new LockedDependency("idna"), new LockedDependency("pysocks"), new LockedDependency("urllib3")),
            Entry("urllib3", "2.2.3"),
            Entry("idna", "3.10"),
            Entry("pysocks", "1.7.1"),
            Entry("colorama", "0.4.6", "sys_platform == \"win32\""),
            Entry("pytest", "8.3.3", "'dev' in dependency_groups", new LockedDependency("colorama"), new LockedDependency("iniconfig")),
            Entry("iniconfig", "2.0.0", "'dev' in dependency_groups"),
        ],
        Manifest = new LockManifest
        {
            Requirements = ["requests[socks]>=2.31", "colorama; sys_platform == \"win32\""],
            DependencyGroups = new Dictionary<string, IReadOnlyList<string>> { ["dev"] = ["pytest"] },
        },
    };

    [TestMethod]
    public void Tree_lists_the_declared_requirements_with_extras_markers_and_groups_and_the_locked_edges_below_them()
    {
        var tree = new LockGraph(Lock(), "app").Tree();

        CollectionAssert.AreEqual(new[]
        {
            "app",
            "├── colorama v0.4.6 (marker: sys_platform == \"win32\")",
            "├── requests[socks] v2.32.3",
            "│   ├── idna v3.10",
            "│   ├── pysocks v1.7.1",
            "│   └── urllib3 v2.2.3",
            "└── pytest v8.3.3 (group: dev)",
            "    ├── colorama v0.4.6 (marker: sys_platform == \"win32\")",
            "    └── iniconfig v2.0.0 (marker: 'dev' in dependency_groups)",
        }, tree.ToArray(), string.Join("\n", tree));
    }

    [TestMethod]
    public void Why_prints_every_path_from_the_package_up_to_the_declarations_that_pull_it_in()
    {
        var why = new LockGraph(Lock(), "app").Why("Colorama");

        CollectionAssert.AreEqual(new[]
        {
            "colorama v0.4.6 (marker: sys_platform == \"win32\")",
            "├── pytest v8.3.3 (marker: 'dev' in dependency_groups)",
            "│   └── app (requires pytest; group: dev)",
            "└── app (requires colorama; sys_platform == \"win32\")",
        }, why.ToArray(), string.Join("\n", why));
    }

    [TestMethod]
    public void Why_of_a_package_the_lock_does_not_hold_is_PYENV1033()
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => new LockGraph(Lock(), "app").Why("numpy"));

        Assert.AreEqual(DiagnosticCodes.WhyPackageNotLocked, error.Code);
        StringAssert.Contains(error.Message, "'numpy'");
    }

    [TestMethod]
    public void A_package_locked_at_two_versions_shows_each_entry_with_its_marker_and_a_subtree_shown_before_is_marked()
    {
        var lockFile = new PylockFile
        {
            Packages =
            [
                Entry("a", "1.0", null, new LockedDependency("numpy", "1.26.4"), new LockedDependency("numpy", "2.1.0"), new LockedDependency("shared")),
                Entry("b", "1.0", null, new LockedDependency("shared")),
                Entry("shared", "1.0", null, new LockedDependency("leaf")),
                Entry("leaf", "1.0"),
                Entry("numpy", "1.26.4", "python_version < \"3.10\""),
                Entry("numpy", "2.1.0", "python_version >= \"3.10\""),
            ],
            Manifest = new LockManifest { Requirements = ["a", "b"] },
        };

        var tree = new LockGraph(lockFile, "app").Tree();

        CollectionAssert.AreEqual(new[]
        {
            "app",
            "├── a v1.0",
            "│   ├── numpy v1.26.4 (marker: python_version < \"3.10\")",
            "│   ├── numpy v2.1.0 (marker: python_version >= \"3.10\")",
            "│   └── shared v1.0",
            "│       └── leaf v1.0",
            "└── b v1.0",
            "    └── shared v1.0 (*)",
        }, tree.ToArray(), string.Join("\n", tree));
        CollectionAssert.AreEqual(new[] { "leaf v1.0", "└── shared v1.0", "    ├── a v1.0", "    │   └── app (requires a)", "    └── b v1.0", "        └── app (requires b)" },
            new LockGraph(lockFile, "app").Why("leaf").ToArray());
    }

    [TestMethod]
    public void A_declaration_with_a_marker_shows_only_the_entries_locked_where_its_marker_can_hold()
    {
        var lockFile = new PylockFile
        {
            Packages =
            [
                Entry("numpy", "1.26.4"),
                Entry("torch", "2.2.0+cpu", "sys_platform == \"darwin\"", new LockedDependency("numpy")),
                Entry("torch", "2.2.0+cu121", "sys_platform == \"linux\" or sys_platform == \"win32\"", new LockedDependency("numpy")),
            ],
            Manifest = new LockManifest { Requirements = ["numpy", "torch; sys_platform != \"darwin\"", "torch; sys_platform == \"darwin\""] },
        };

        var graph = new LockGraph(lockFile, "app");

        CollectionAssert.AreEqual(new[]
        {
            "app",
            "├── numpy v1.26.4",
            "├── torch v2.2.0+cu121 (marker: sys_platform != \"darwin\")",
            "│   └── numpy v1.26.4",
            "└── torch v2.2.0+cpu (marker: sys_platform == \"darwin\")",
            "    └── numpy v1.26.4",
        }, graph.Tree().ToArray(), string.Join("\n", graph.Tree()));
        CollectionAssert.AreEqual(new[] { "torch v2.2.0+cpu (marker: sys_platform == \"darwin\")", "└── app (requires torch; sys_platform == \"darwin\")" },
            graph.Why("torch").Take(2).ToArray(), string.Join("\n", graph.Why("torch")));
    }

    [TestMethod]
    public void A_lock_without_the_SDKs_table_is_rooted_at_the_entries_nothing_depends_on()
    {
        var lockFile = new PylockFile { Packages = [Entry("flask", "3.0.0", null, new LockedDependency("click")), Entry("click", "8.1.7")] };

        CollectionAssert.AreEqual(new[] { "app", "└── flask v3.0.0", "    └── click v8.1.7" }, new LockGraph(lockFile, "app").Tree().ToArray());
    }
}
