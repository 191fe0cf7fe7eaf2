using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>PEP 517/518: an sdist's <c>[build-system] requires</c> are resolved and installed into its isolated build environment.</summary>
[TestClass]
public sealed class BuildRequirementsTests
{
    [TestMethod]
    public async Task Sdist_build_requirements_are_resolved_from_the_index_and_installed_in_the_isolated_build_env()
    {
        var python = await TestPython.DefaultAsync();
        var harness = new InstallHarness("buildreqs", python);
        await using var server = await TestIndexServer.StartAsync();

        // The backend itself is a build requirement (wheel only), and it imports a dependency of its own.
        var helper = new PackageSpec("hookdep", "1.0");
        var backend = new PackageSpec("hookwrap", "1.0");
        backend.RequiresDist.Add("hookdep>=1");
        backend.Files["delegating_backend.py"] =
            "import os, sys\n" +
            "import hookdep  # only importable when the resolver installed hookwrap's dependency\n" +
            "sys.path.insert(0, os.path.join(os.getcwd(), '_backend'))\n" +
            "from testindex_backend import *  # noqa: F401,F403\n";
        server.Publish(helper.Wheel());
        server.Publish(backend.Wheel());
        server.Publish(new PackageSpec("hookwrap", "0.5").Wheel());

        var project = new PackageSpec("needsbackend", "0.7");
        var sdist = new SdistBuilder(project)
        {
            PyProjectOverride =
                "[build-system]\nrequires = [\"hookwrap>=1\"]\nbuild-backend = \"delegating_backend\"\n\n" +
                "[project]\nname = \"needsbackend\"\nversion = \"0.7\"\ndependencies = []\n",
        }.Build();
        var package = new PlannedPackage(project.Name, project.Version, Array.Empty<PlannedArtifact>(), harness.Local(sdist), Requested: true);

        using var client = new IndexClient(new IndexClientOptions { IndexUrls = new[] { server.SimpleUrl }, CacheDir = harness.Cache, RetryCount = 0 });
        var withoutResolver = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => harness.SyncAsync(new[] { package }, harness.Options(client.DownloadAsync)));
        Assert.AreEqual(DiagnosticCodes.BuildFailed, withoutResolver.Code);
        StringAssert.Contains(withoutResolver.Message, "hookwrap>=1");

        await harness.SyncAsync(new[] { package }, harness.Options(client.DownloadAsync, builder: BuildRequirementsResolver.CreateBuilder(client)));
        Assert.AreEqual("hello from needsbackend 0.7", harness.RunInVenv("import needsbackend; print(needsbackend.hello())"));
        Assert.AreEqual(1, server.Log.Count(server.FileUrl("hookwrap-1.0-py3-none-any.whl").AbsolutePath), "hookwrap 1.0 was downloaded once");
        Assert.AreEqual(0, server.Log.Count(server.FileUrl("hookwrap-0.5-py3-none-any.whl").AbsolutePath));
        // The build environment is isolated: the backend and its dependency are not in the project's venv.
        Assert.IsFalse(File.Exists(Path.Combine(harness.Venv.PureLib, "delegating_backend.py")));
        Assert.IsFalse(Directory.Exists(Path.Combine(harness.Venv.PureLib, "hookdep")));
        Assert.AreEqual(1, Directory.GetFiles(Path.Combine(harness.Cache, "built-v1"), "*.whl", SearchOption.AllDirectories).Length);
    }
}
