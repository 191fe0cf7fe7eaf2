using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Per-package indexes: a pinned package comes only from its index (wherever it appears in the graph), an explicit
/// index serves nothing else, pins that differ by marker give one entry per index, and a pin whose index has no
/// file for a required environment fails naming it. Three loopback indexes: a default one, and PyTorch-like cu121
/// and cpu ones that also carry a newer numpy (the decoy).
/// </summary>
[TestClass]
public sealed class IndexPinTests
{
    private const string NotDarwin = "sys_platform != 'darwin'";
    private const string Darwin = "sys_platform == 'darwin'";

    private static void PublishDefault(PackageIndex index)
    {
        index.Publish(Spec("numpy", "1.26.4"));
        index.Publish(Spec("torch", "2.3.0", "numpy"));       // PyPI's own torch: never taken when pinned
        index.Publish(Spec("vision-app", "1.0", "torchvision"));
    }

    private static void PublishCuda(PackageIndex index)
    {
        foreach (var tags in new[] { "py3-none-manylinux_2_17_x86_64", "py3-none-win_amd64" })
        {
            index.Publish(Spec("torch", "2.2.0+cu121", "numpy").Wheel(tags));
            index.Publish(Spec("torchvision", "0.17.0+cu121", "torch==2.2.0").Wheel(tags));
        }

        index.Publish(Spec("numpy", "2.0.0"));
    }

    private static void PublishCpu(PackageIndex index)
    {
        foreach (var tags in new[] { "py3-none-manylinux_2_17_x86_64", "py3-none-win_amd64", "py3-none-macosx_11_0_arm64" })
        {
            index.Publish(Spec("torch", "2.2.0+cpu", "numpy").Wheel(tags));
            index.Publish(Spec("torchvision", "0.17.0+cpu", "torch==2.2.0").Wheel(tags));
        }

        index.Publish(Spec("numpy", "2.0.0"));
    }

    private sealed record Indexes(Uri Default, Uri Cuda, Uri Cpu);

    private static async Task<T> WithIndexes<T>(Func<Indexes, IReadOnlyList<NamedIndex>, IndexClientOptions, T> run)
    {
        var (pypi, cuda, cpu) = (new PackageIndex(), new PackageIndex(), new PackageIndex());
        PublishDefault(pypi);
        PublishCuda(cuda);
        PublishCpu(cpu);
        await using var pypiServer = await TestIndexServer.StartAsync(pypi);
        await using var cudaServer = await TestIndexServer.StartAsync(cuda);
        await using var cpuServer = await TestIndexServer.StartAsync(cpu);
        var cache = Path.Combine(Path.GetTempPath(), "pythonenv-pins-" + Guid.NewGuid().ToString("N"));
        try
        {
            var named = new List<NamedIndex>
            {
                new("pytorch-cu121", cudaServer.SimpleUrl.AbsoluteUri, Explicit: true, Default: false, new SourceLocation("app.csproj", 5)),
                new("pytorch-cpu", cpuServer.SimpleUrl.AbsoluteUri, Explicit: true, Default: false, new SourceLocation("app.csproj", 6)),
            };
            var options = new IndexClientOptions { IndexUrls = [pypiServer.SimpleUrl], CacheDir = cache, RetryCount = 0 };
            return await Task.Run(() => run(new Indexes(pypiServer.SimpleUrl, cudaServer.SimpleUrl, cpuServer.SimpleUrl), named, options));
        }
        finally
        {
            try
            {
                Directory.Delete(cache, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static IndexPin Pin(string package, string index, string? marker = null) =>
        new(PackageName.Parse(package), index, marker is null ? null : MarkerExpression.Parse(marker), new SourceLocation("app.csproj", 9));

    private static ResolutionResult Resolve(IReadOnlyList<NamedIndex> named, IndexClientOptions options, IReadOnlyList<IndexPin> pins, string[] requirements, params string[] environments)
    {
        var mapping = SourceMapping.Build(options, named, pins);
        using var client = new IndexClient(mapping.Options);
        var resolverOptions = new ResolverOptions
        {
            RequiresPython = SpecifierSet.Parse(">=3.9"),
            Environments = environments.Select(MarkerExpression.Parse).ToList(),
            Routes = mapping.Routes,
        };
        return new PythonResolver(new IndexPackageSource(client), resolverOptions).Resolve(requirements.Select(text => Req(text)).ToList());
    }

    private static string[] Entries(ResolutionResult result) =>
        result.Packages.Select(p => $"{p.Name} {p.Version} ; {p.Marker} @ {p.Index.Port}").ToArray();

    [TestMethod]
    public async Task Pins_by_marker_lock_torch_from_each_index_and_numpy_from_the_default_one()
    {
        var (result, indexes) = await WithIndexes((indexes, named, options) =>
            (Resolve(named, options, [Pin("torch", "pytorch-cu121", NotDarwin), Pin("torch", "pytorch-cpu", Darwin)], ["torch==2.2.0"]), indexes));

        CollectionAssert.AreEquivalent(
            new[]
            {
                $"numpy 1.26.4 ;  @ {indexes.Default.Port}",
                $"torch 2.2.0+cpu ; sys_platform == \"darwin\" @ {indexes.Cpu.Port}",
                $"torch 2.2.0+cu121 ; sys_platform != \"darwin\" @ {indexes.Cuda.Port}",
            },
            Entries(result), string.Join("\n", Entries(result)));
    }

    [TestMethod]
    public async Task A_pin_applies_wherever_the_package_appears_in_the_graph()
    {
        // torchvision is no direct dependency: vision-app (on the default index) pulls it, and it still comes from the pin.
        var (result, indexes) = await WithIndexes((indexes, named, options) =>
            (Resolve(named, options, [Pin("torch", "pytorch-cu121"), Pin("torchvision", "pytorch-cu121")], ["vision-app"]), indexes));

        CollectionAssert.AreEquivalent(
            new[]
            {
                $"numpy 1.26.4 ;  @ {indexes.Default.Port}",
                $"torch 2.2.0+cu121 ;  @ {indexes.Cuda.Port}",
                $"torchvision 0.17.0+cu121 ;  @ {indexes.Cuda.Port}",
                $"vision-app 1.0 ;  @ {indexes.Default.Port}",
            },
            Entries(result), string.Join("\n", Entries(result)));
    }

    [TestMethod]
    public async Task An_explicit_index_serves_only_the_packages_pinned_to_it()
    {
        // Without a pin, torch comes from the default index even though an explicit index has it.
        var (result, indexes) = await WithIndexes((indexes, named, options) => (Resolve(named, options, [], ["torch"]), indexes));

        CollectionAssert.AreEquivalent(new[] { $"numpy 1.26.4 ;  @ {indexes.Default.Port}", $"torch 2.3.0 ;  @ {indexes.Default.Port}" }, Entries(result));
    }

    [TestMethod]
    public async Task A_cuda_only_pin_with_a_required_macos_environment_fails_naming_the_environment_and_the_pin()
    {
        var failure = await WithIndexes((_, named, options) => Assert.ThrowsExactly<PythonEnvException>(() =>
            Resolve(named, options, [Pin("torch", "pytorch-cu121")], ["torch==2.2.0"], "sys_platform == 'linux'", "sys_platform == 'darwin'")));

        Assert.AreEqual(DiagnosticCodes.NoSolution, failure.Code);
        StringAssert.Contains(failure.Message, "sys_platform == \"darwin\"");
        StringAssert.Contains(failure.Message, "index 'pytorch-cu121'");
    }

    [TestMethod]
    public async Task A_package_missing_from_its_pinned_index_says_so_instead_of_taking_it_elsewhere()
    {
        var failure = await WithIndexes((_, named, options) => Assert.ThrowsExactly<PythonEnvException>(() =>
            Resolve(named, options, [Pin("vision-app", "pytorch-cu121")], ["vision-app"])));

        StringAssert.Contains(failure.Message, "which is not on index 'pytorch-cu121'");
    }

    [TestMethod]
    public void A_named_default_index_takes_pypis_place_and_other_named_indexes_are_searched_before_it()
    {
        var options = new IndexClientOptions();
        var named = new List<NamedIndex>
        {
            new("private", "https://pkgs.example.com/simple", Explicit: false, Default: false, new SourceLocation("pyproject.toml", 3)),
            new("mirror", "https://mirror.example.com/simple/", Explicit: false, Default: true, new SourceLocation("pyproject.toml", 7)),
            new("pytorch-cu121", "https://download.pytorch.org/whl/cu121", Explicit: true, Default: false, new SourceLocation("pyproject.toml", 11)),
        };

        var mapping = SourceMapping.Build(options, named, [Pin("torch", "pytorch-cu121")]);

        CollectionAssert.AreEqual(new[] { "https://pkgs.example.com/simple/", "https://mirror.example.com/simple/" }, mapping.Options.IndexUrls.Select(u => u.AbsoluteUri).ToArray());
        CollectionAssert.AreEqual(new[] { "https://download.pytorch.org/whl/cu121/" }, mapping.Options.ExplicitIndexUrls.Select(u => u.AbsoluteUri).ToArray());
        Assert.AreEqual("torch from https://download.pytorch.org/whl/cu121/", mapping.Routes.All.Single().ManifestText(url => url));
    }

    [TestMethod]
    public void The_torch_backend_pins_the_pytorch_family_that_no_declaration_pins()
    {
        var mapping = SourceMapping.Build(new IndexClientOptions(), [], [], torchBackend: "cu124", torchIndexBase: "https://mirror.example.com/whl/");

        var torch = mapping.Routes.All.Single(route => route.Package.Normalized == "torch");
        Assert.AreEqual("https://mirror.example.com/whl/cu124/", torch.Index.AbsoluteUri);
        Assert.IsTrue(mapping.Routes.All.Any(route => route.Package.Normalized == "torchvision"));
        Assert.IsFalse(mapping.Routes.All.Any(route => route.Package.Normalized == "numpy"));
        CollectionAssert.AreEqual(new[] { "https://pypi.org/simple/" }, mapping.Options.IndexUrls.Select(u => u.AbsoluteUri).ToArray());
    }
}
