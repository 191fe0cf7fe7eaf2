using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Locking;
using PythonEnv.Sdk.Tests.Harness;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests;

/// <summary>
/// `dotnet build` with per-package indexes, the PyTorch/CUDA case: a default loopback index (numpy) and PyTorch-like
/// ones (<c>torch 2.2.0+cu121</c> for Linux and Windows, <c>2.2.0+cpu</c> for every platform, torchvision, and a decoy
/// newer numpy). torch locks from its pinned index per environment, numpy from the default one, the lock records
/// each entry's index, this machine's venv gets the CUDA build, and a uv pyproject locks the same.
/// </summary>
[TestClass]
public sealed class IndexPinsTests : SdkTest
{
    private static readonly string[] CudaPlatforms = ["py3-none-manylinux_2_17_x86_64", "py3-none-win_amd64"];
    private static readonly string[] CpuPlatforms = ["py3-none-manylinux_2_17_x86_64", "py3-none-win_amd64", "py3-none-macosx_11_0_arm64"];

    private sealed class Indexes : IAsyncDisposable
    {
        public required TestIndexServer Default { get; init; }
        public required TestIndexServer Cuda { get; init; }
        public required TestIndexServer Cpu { get; init; }

        public static async Task<Indexes> StartAsync()
        {
            var indexes = new Indexes { Default = await TestIndexServer.StartAsync(), Cuda = await TestIndexServer.StartAsync(), Cpu = await TestIndexServer.StartAsync() };
            indexes.Default.Publish(PackageSpec.Of("numpy", "1.26.4"));
            indexes.Default.Publish(PackageSpec.Of("torch", "2.3.0", "numpy"));
            Builds(indexes.Cuda, "cu121", CudaPlatforms);
            Builds(indexes.Cpu, "cpu", CpuPlatforms);
            return indexes;
        }

        /// <summary>torch and torchvision built for one backend, and the newer numpy PyTorch's indexes also carry.</summary>
        public static void Builds(TestIndexServer server, string backend, string[] platforms)
        {
            foreach (var tags in platforms)
            {
                server.Publish(PackageSpec.Of("torch", $"2.2.0+{backend}", "numpy").Wheel(tags));
                server.Publish(PackageSpec.Of("torchvision", $"0.17.0+{backend}", "torch==2.2.0").Wheel(tags));
            }

            server.Publish(PackageSpec.Of("numpy", "2.0.0"));
        }

        public async ValueTask DisposeAsync()
        {
            await Default.DisposeAsync();
            await Cuda.DisposeAsync();
            await Cpu.DisposeAsync();
        }
    }

    private SdkProject ItemsProject(Indexes indexes, string extra = "", string cpuPin = """Index="pytorch-cpu" """, string folder = "App",
        SdkUsage usage = SdkUsage.ProjectSdk, string fileName = "env.proj") => NewProject(usage, $"""
        <PropertyGroup>
          <PythonIndexUrl>{indexes.Default.SimpleUrl}</PythonIndexUrl>
          <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
          <PythonRequiresPython>&gt;=3.9</PythonRequiresPython>
        {extra}
        </PropertyGroup>
        <ItemGroup>
          <PythonIndex Include="pytorch-cu121" Url="{indexes.Cuda.SimpleUrl}" Explicit="true" />
          <PythonIndex Include="pytorch-cpu" Url="{indexes.Cpu.SimpleUrl}" Explicit="true" />
          <PythonPackage Include="torch" Version="==2.2.0" Index="pytorch-cu121" Marker="sys_platform != 'darwin'" />
          <PythonPackage Include="torch" Version="==2.2.0" {cpuPin}Marker="sys_platform == 'darwin'" />
          <PythonPackage Include="torchvision" />
          <PythonConstraint Include="torchvision" Index="pytorch-cu121" Marker="sys_platform != 'darwin'" />
          <PythonConstraint Include="torchvision" Index="pytorch-cpu" Marker="sys_platform == 'darwin'" />
          <PythonPackage Include="numpy" />
        </ItemGroup>
        """, folder: folder, fileName: fileName);

    private static string[] Entries(SdkProject project) =>
        PylockReader.Load(project.PathOf("pylock.toml")).Packages.Select(p => $"{p.Name} {p.Version} ; {p.Marker} @ {p.Index}").OrderBy(e => e, StringComparer.Ordinal).ToArray();

    private static string[] ExpectedEntries(Indexes indexes) =>
    [
        $"numpy 1.26.4 ;  @ {indexes.Default.SimpleUrl}",
        $"torch 2.2.0+cpu ; sys_platform == \"darwin\" @ {indexes.Cpu.SimpleUrl}",
        $"torch 2.2.0+cu121 ; sys_platform != \"darwin\" @ {indexes.Cuda.SimpleUrl}",
        $"torchvision 0.17.0+cpu ; sys_platform == \"darwin\" @ {indexes.Cpu.SimpleUrl}",
        $"torchvision 0.17.0+cu121 ; sys_platform != \"darwin\" @ {indexes.Cuda.SimpleUrl}",
    ];

    private static string[] Installed(SdkProject project) =>
        Directory.GetDirectories(project.PathOf(Path.Combine(".venv", "lib")), "python*").SelectMany(lib => Directory.GetDirectories(Path.Combine(lib, "site-packages"), "*.dist-info"))
            .Select(path => Path.GetFileName(path)[..^".dist-info".Length])
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();

    [TestMethod]
    public async Task Torch_locks_from_the_pinned_index_per_environment_numpy_from_the_default_one_and_the_venv_gets_the_cuda_build()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Inconclusive("the stand-in CUDA wheels are for Linux and Windows x86_64; the venv assertions are about Linux");
        }

        await using var indexes = await Indexes.StartAsync();
        var project = ItemsProject(indexes);

        var build = project.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var entries = Entries(project);
        CollectionAssert.AreEqual(ExpectedEntries(indexes), entries, string.Join("\n", entries));
        CollectionAssert.AreEqual(new[] { "numpy-1.26.4", "torch-2.2.0+cu121", "torchvision-0.17.0+cu121" }, Installed(project), string.Join(", ", Installed(project)));

        // The same project as uv writes it: [[tool.uv.index]] and [tool.uv.sources] by marker lock the same entries.
        var uv = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            """, folder: "Uv", fileName: "env.proj");
        uv.WriteFile("pyproject.toml", $$"""
            [project]
            name = "app"
            version = "0.1"
            requires-python = ">=3.9"
            dependencies = ["torch==2.2.0", "torchvision", "numpy"]

            [[tool.uv.index]]
            name = "default"
            url = "{{indexes.Default.SimpleUrl}}"
            default = true

            [[tool.uv.index]]
            name = "pytorch-cu121"
            url = "{{indexes.Cuda.SimpleUrl}}"
            explicit = true

            [[tool.uv.index]]
            name = "pytorch-cpu"
            url = "{{indexes.Cpu.SimpleUrl}}"
            explicit = true

            [tool.uv.sources]
            torch = [
              { index = "pytorch-cpu", marker = "sys_platform == 'darwin'" },
              { index = "pytorch-cu121", marker = "sys_platform != 'darwin'" },
            ]
            torchvision = [
              { index = "pytorch-cpu", marker = "sys_platform == 'darwin'" },
              { index = "pytorch-cu121", marker = "sys_platform != 'darwin'" },
            ]
            """);

        var uvBuild = uv.Build();

        Assert.AreEqual(0, uvBuild.ExitCode, uvBuild.ToString());
        CollectionAssert.AreEqual(ExpectedEntries(indexes), Entries(uv), string.Join("\n", Entries(uv)));
        CollectionAssert.AreEqual(Installed(project), Installed(uv));
    }

    [TestMethod]
    public async Task A_changed_pin_is_drift_in_Locked_mode_naming_the_pin()
    {
        await using var indexes = await Indexes.StartAsync();
        var project = ItemsProject(indexes);
        var locked = project.Build("-t:PythonLock");
        Assert.AreEqual(0, locked.ExitCode, locked.ToString());

        // The macOS torch loses its pin: it would now come from the default index.
        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath).Replace("""<PythonPackage Include="torch" Version="==2.2.0" Index="pytorch-cpu" """, """<PythonPackage Include="torch" Version="==2.2.0" """));
        var check = project.Build("--no-restore", "-t:PythonLock", "-p:PythonLockMode=Locked");

        Assert.AreNotEqual(0, check.ExitCode, check.ToString());
        // A multi-line message is one diagnostic per line.
        var drift = string.Join("\n", check.WithCode("PYENV3001").Select(d => d.Message));
        StringAssert.Contains(drift, "index pin of torch");
        StringAssert.Contains(drift, indexes.Cpu.SimpleUrl.AbsoluteUri);
    }

    [TestMethod]
    public async Task A_cuda_only_pin_with_a_required_macos_environment_fails_naming_the_environment()
    {
        await using var indexes = await Indexes.StartAsync();
        var project = ItemsProject(indexes, extra: "<PythonEnvironments>sys_platform == 'linux'; sys_platform == 'darwin'</PythonEnvironments>", cpuPin: """Index="pytorch-cu121" """);

        var build = project.Build("-t:PythonLock");

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var error = string.Join("\n", build.WithCode("PYENV2001").Select(d => d.Message));
        StringAssert.Contains(error, "torch 2.2.0+cu121 has no file that installs on sys_platform == \"darwin\"");
        StringAssert.Contains(error, "index 'pytorch-cu121'");
        Assert.IsFalse(File.Exists(project.PathOf("pylock.toml")), "no uninstallable lock is written");
    }

    [TestMethod]
    public async Task PythonTorchBackend_auto_takes_the_pytorch_family_from_the_backend_the_faked_driver_runs()
    {
        await using var indexes = await Indexes.StartAsync();
        // A driver of the 470 series runs CUDA 11.x only: the cu118 index. PythonTorchIndexUrl points the backends at a
        // loopback server whose /whl/cu118/ pages are those of a cu118 index.
        await using var pytorch = await TestIndexServer.StartAsync();
        Indexes.Builds(pytorch, "cu118", CudaPlatforms);
        foreach (var name in new[] { "torch", "torchvision" })
        {
            pytorch.Redirect($"/whl/cu118/{name}/", pytorch.ProjectUrl(name));
        }

        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{indexes.Default.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
              <PythonRequiresPython>&gt;=3.9</PythonRequiresPython>
              <PythonTorchBackend>auto</PythonTorchBackend>
              <PythonTorchIndexUrl>{pytorch.BaseUrl}whl</PythonTorchIndexUrl>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="torchvision" />
            </ItemGroup>
            """, fileName: "env.proj");
        project.Environment["PYTHONENV_CUDA_DRIVER_VERSION"] = "470.82.01";

        var build = project.Build("-t:PythonLock");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var cu118 = $"{pytorch.BaseUrl}whl/cu118/";
        CollectionAssert.AreEqual(
            new[] { $"numpy 1.26.4 ;  @ {indexes.Default.SimpleUrl}", $"torch 2.2.0+cu118 ;  @ {cu118}", $"torchvision 0.17.0+cu118 ;  @ {cu118}" },
            Entries(project), string.Join("\n", Entries(project)));
    }

    [TestMethod]
    public async Task Mistakes_are_errors_at_their_line_an_unknown_index_a_git_source_and_a_backend_name()
    {
        await using var indexes = await Indexes.StartAsync();
        var project = NewProject(SdkUsage.ProjectSdk, $"""
            <PropertyGroup>
              <PythonIndexUrl>{indexes.Default.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
            </PropertyGroup>
            <ItemGroup>
              <PythonPackage Include="torch" Index="pytorch-cu212" />
            </ItemGroup>
            """, fileName: "env.proj");
        project.WriteFile("pyproject.toml", """
            [project]
            name = "app"
            version = "0.1"
            requires-python = ">=3.9"
            dependencies = ["mylib"]

            [tool.uv.sources]
            mylib = { git = "https://github.com/me/mylib" }
            """);

        var build = project.Build();

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        var unknown = build.WithCode("PYENV1010").Single();
        Assert.AreEqual(project.LineOf("pytorch-cu212"), unknown.Line, unknown.ToString());
        StringAssert.Contains(unknown.Message, "'pytorch-cu212'");
        var git = build.WithCode("PYENV1012").Single();
        Assert.AreEqual(8, git.Line, git.ToString());
        StringAssert.EndsWith(git.File.Replace('\\', '/'), "/pyproject.toml");

        var backend = project.Build("-p:PythonTorchBackend=cuda12");
        var invalid = backend.WithCode("PYENV1001").Single();
        StringAssert.Contains(invalid.Message, "PythonTorchBackend");
        StringAssert.Contains(invalid.Message, "cu121");
    }

    [TestMethod]
    public async Task A_librarys_pins_flow_with_the_indexes_they_name_into_the_app_that_references_it()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Inconclusive("the stand-in CUDA wheels are for Linux and Windows x86_64; the venv assertions are about Linux");
        }

        await using var indexes = await Indexes.StartAsync();
        // The library takes torch from PyTorch's indexes; the app only references it, as it would a NuGet package.
        var lib = ItemsProject(indexes, folder: "Lib", usage: SdkUsage.SdkElement, fileName: "Lib.csproj");
        var app = NewProject(SdkUsage.SdkElement, $"""
            <PropertyGroup>
              <PythonIndexUrl>{indexes.Default.SimpleUrl}</PythonIndexUrl>
              <PythonCacheDir>$(MSBuildProjectDirectory)/cache</PythonCacheDir>
              <PythonRequiresPython>&gt;=3.9</PythonRequiresPython>
            </PropertyGroup>
            <ItemGroup>
              <ProjectReference Include="../Lib/Lib.csproj" />
            </ItemGroup>
            """, "App", "App.csproj");

        var build = app.Build();

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var entries = Entries(app);
        CollectionAssert.AreEqual(ExpectedEntries(indexes), entries, "the app locks torch from the library's pinned indexes, not torch 2.3.0 from the default:\n" + string.Join("\n", entries));
        CollectionAssert.AreEqual(new[] { "numpy-1.26.4", "torch-2.2.0+cu121", "torchvision-0.17.0+cu121" }, Installed(app), string.Join(", ", Installed(app)));

        // The library moves its CUDA pin to another index: the app re-locks.
        File.WriteAllText(lib.ProjectPath, File.ReadAllText(lib.ProjectPath).Replace(indexes.Cuda.SimpleUrl.AbsoluteUri, indexes.Cpu.SimpleUrl.AbsoluteUri, StringComparison.Ordinal));
        var moved = app.Build("--no-restore");
        Assert.AreEqual(0, moved.ExitCode, moved.ToString());
        // Both pins now name one URL: one torch for every environment.
        CollectionAssert.Contains(Entries(app), $"torch 2.2.0+cpu ;  @ {indexes.Cpu.SimpleUrl}", string.Join("\n", Entries(app)));
    }
}
