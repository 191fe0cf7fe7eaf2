using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Sdk.Tests.Harness;

namespace PythonEnv.Sdk.Tests;

/// <summary>What the package holds: entry points for each way of use, and self-contained task folders.</summary>
[TestClass]
public sealed class PackageLayoutTests : SdkTest
{
    private static string PackagePath => Path.Combine(SdkPackage.FeedDirectory, $"PythonEnv.Sdk.{SdkPackage.Version}.nupkg");

    [TestMethod]
    [DataRow("Sdk/Sdk.props")]
    [DataRow("Sdk/Sdk.targets")]
    [DataRow("build/PythonEnv.Sdk.props")]
    [DataRow("build/PythonEnv.Sdk.targets")]
    [DataRow("build/PythonEnv.Sdk.Settings.targets")]
    [DataRow("build/PythonEnv.Sdk.BuildGraph.targets")]
    [DataRow("build/PythonEnv.Sdk.Validation.targets")]
    [DataRow("build/PythonEnv.Sdk.Lock.targets")]
    [DataRow("build/PythonEnv.Sdk.Sync.targets")]
    [DataRow("build/PythonEnv.Sdk.SyncState.targets")]
    [DataRow("build/PythonEnv.Sdk.Hosts.targets")]
    [DataRow("build/PythonEnv.Sdk.Commands.targets")]
    [DataRow("build/PythonEnv.Sdk.Indexes.targets")]
    [DataRow("build/PythonEnv.Sdk.References.targets")]
    [DataRow("build/PythonEnv.Sdk.Pack.targets")]
    [DataRow("build/PythonEnv.Sdk.SharedLock.targets")]
    [DataRow("build/PythonEnv.Sdk.Interpreters.targets")]
    [DataRow("hosts/HostValues.cs")]
    [DataRow("hosts/PythonHostConfiguration.cs")]
    [DataRow("buildMultiTargeting/PythonEnv.Sdk.props")]
    [DataRow("buildMultiTargeting/PythonEnv.Sdk.targets")]
    [DataRow("tasks/net8.0/PythonEnv.Sdk.Tasks.dll")]
    [DataRow("tasks/net8.0/PythonEnv.Core.dll")]
    [DataRow("tasks/net8.0/Tomlyn.dll")]
    [DataRow("tasks/netstandard2.0/PythonEnv.Sdk.Tasks.dll")]
    [DataRow("tasks/netstandard2.0/PythonEnv.Core.dll")]
    [DataRow("tasks/netstandard2.0/Tomlyn.dll")]
    [DataRow("tasks/netstandard2.0/System.Text.Json.dll")]
    public void Contains_entry(string entry)
    {
        using var package = ZipFile.OpenRead(PackagePath);
        Assert.IsNotNull(package.GetEntry(entry), $"{entry} is missing from {PackagePath}");
    }

    [TestMethod]
    public void Holds_every_file_the_targets_import()
    {
        using var package = ZipFile.OpenRead(PackagePath);
        using var targets = package.GetEntry("build/PythonEnv.Sdk.targets")!.Open();
        var imports = XDocument.Load(targets).Root!.Elements("Import").Select(import => import.Attribute("Project")!.Value).ToList();
        Assert.IsTrue(imports.Count > 1, "build/PythonEnv.Sdk.targets imports one file per concern");
        foreach (var import in imports)
        {
            Assert.IsNotNull(package.GetEntry("build/" + import), $"build/PythonEnv.Sdk.targets imports {import}, which is missing from {PackagePath}");
        }
    }

    [TestMethod]
    public void Is_a_development_dependency_with_nothing_that_flows_to_consumers()
    {
        using var package = ZipFile.OpenRead(PackagePath);
        Assert.IsFalse(package.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) || e.FullName.StartsWith("ref/", StringComparison.Ordinal)));
        Assert.IsFalse(package.Entries.Any(e => e.Name.StartsWith("Microsoft.Build", StringComparison.Ordinal)), "MSBuild's own assemblies must come from the MSBuild running the build.");

        var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.AreEqual("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.IsFalse(metadata.Elements().Any(e => e.Name.LocalName == "dependencies"));
        var types = metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string?)e.Attribute("name")).ToList();
        CollectionAssert.Contains(types, "MSBuildSdk");
    }

    /// <summary>
    /// Every assembly a task folder's assemblies reference is beside them, or comes from the host:
    /// MSBuild's own assemblies, and the runtime (.NET's shared framework; netstandard on .NET Framework).
    /// </summary>
    [TestMethod]
    [DataRow("net8.0")]
    [DataRow("netstandard2.0")]
    public void Task_folder_carries_every_dependency(string framework)
    {
        var folder = Path.Combine(TestDirectory, framework);
        using (var package = ZipFile.OpenRead(PackagePath))
        {
            foreach (var entry in package.Entries.Where(e => e.FullName.StartsWith($"tasks/{framework}/", StringComparison.Ordinal)))
            {
                Directory.CreateDirectory(folder);
                entry.ExtractToFile(Path.Combine(folder, entry.Name));
            }
        }

        var shipped = Directory.GetFiles(folder, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var missing = new List<string>();
        foreach (var assembly in Directory.GetFiles(folder, "*.dll"))
        {
            using var reader = new PEReader(File.OpenRead(assembly));
            var metadata = reader.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                var name = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
                var fromHost = name.StartsWith("Microsoft.Build", StringComparison.Ordinal)
                    || (framework == "netstandard2.0" ? name == "netstandard" : File.Exists(Path.Combine(runtime, name + ".dll")));
                if (!shipped.Contains(name!) && !fromHost)
                {
                    missing.Add($"{Path.GetFileName(assembly)} -> {name}");
                }
            }
        }

        Assert.AreEqual(0, missing.Count, "Not shipped: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Net_standard_task_folder_works_on_its_own()
    {
        // The folder Visual Studio's MSBuild (.NET Framework) loads, exercised here by forcing it.
        var project = NewProject(SdkUsage.SdkElement, """
            <ItemGroup>
              <PythonPackage Include="requests" Version="=>2" />
            </ItemGroup>
            """);

        var result = project.Build("-p:PythonEnvTasksFramework=netstandard2.0");

        Assert.AreEqual("PYENV1001", result.Errors.Single().Code, result.ToString());
    }
}
