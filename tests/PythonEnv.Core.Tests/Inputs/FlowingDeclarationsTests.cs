using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

/// <summary>
/// Requirements flowing from referenced projects and packages (main dependencies only, counted once, named by origin),
/// central versions (a constraint everywhere, a contradiction names both places, VersionOverride lifts it), and the
/// props file a packed library carries.
/// </summary>
[TestClass]
public sealed class FlowingDeclarationsTests
{
    private static PackageDeclaration Item(string name, string? version = null, string? group = null, string? origin = null, string file = "app.csproj") =>
        new(DeclarationKind.Package, name) { Version = version, Group = group, File = file, Origin = origin };

    private static PackageDeclaration Central(string name, string version) =>
        new(DeclarationKind.CentralVersion, name) { Version = version, File = "Directory.Packages.props" };

    [TestMethod]
    public void MainDependenciesOfReferencesFlowOnceAndGroupsStayBehind()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-flow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var pyproject = Path.Combine(folder, "pyproject.toml");
            File.WriteAllText(pyproject, "[project]\nname = \"lib\"\nversion = \"0\"\ndependencies = [\"b>=1\"]\n[dependency-groups]\ndev = [\"pytest\"]\n");
            var flowing = new FlowingDeclarations
            {
                Items = [Item("a", ">=1", origin: "project Lib", file: "lib.csproj"), Item("a", ">=1", origin: "project Core", file: "core.csproj"), Item("lint", group: "dev", origin: "project Lib")],
                ProjectFiles = [new FlowingFile(pyproject, "project Lib")],
            };

            var declarations = ProjectDeclarations.Gather([Item("c")], null, [], flowing: flowing);

            Assert.AreEqual(0, declarations.Errors.Count, string.Join("\n", declarations.Errors.Select(e => e.Message)));
            CollectionAssert.AreEqual(new[] { "c", "a>=1", "b>=1" }, declarations.Requirements.Select(r => r.Requirement.ToString()).ToArray(), "a diamond counts once; dev groups never flow");
            var b = declarations.Requirements.Single(r => r.Requirement.Name == "b");
            Assert.AreEqual("project Lib", b.Origin);
            StringAssert.Contains(b.Where, $"{pyproject}(4", "the place in the referenced project's own file");
            StringAssert.EndsWith(b.Where, ", from project Lib");
            CollectionAssert.Contains(declarations.Files.ToArray(), pyproject, "a referenced pyproject.toml is an input of the lock");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void PinsFlowWithTheIndexesTheyNameButNeverAsTheDefaultAndTheProjectsOwnPinWins()
    {
        var cuda = new PackageDeclaration(DeclarationKind.Package, "torch") { Version = "==2.2.0", Index = "pytorch", File = "lib.csproj", Origin = "project Lib" };
        var flowing = new FlowingDeclarations
        {
            Items = [cuda, Item("numpy", origin: "project Lib", file: "lib.csproj")],
            Indexes = [new IndexItem("pytorch", "https://download.pytorch.org/whl/cu121", "true", null, "lib.csproj"), new IndexItem("mirror", "https://mirror.example/simple", null, "true", "lib.csproj")],
        };

        var declarations = ProjectDeclarations.Gather([Item("app")], null, [], flowing: flowing);

        Assert.AreEqual(0, declarations.Errors.Count, string.Join("\n", declarations.Errors.Select(e => e.Message)));
        var pin = declarations.Pins.Single();
        Assert.AreEqual(("torch", "pytorch"), (pin.Package.Normalized, pin.Index));
        var index = declarations.Indexes.Single();
        Assert.AreEqual(("pytorch", "https://download.pytorch.org/whl/cu121", true, false), (index.Name, index.Url, index.Explicit, index.Default),
            "the index a flowing pin names comes along; Lib's default index does not become this project's default");

        // The project pins torch itself, to its own mirror of the index: its pin and index are the ones used.
        var own = new PackageDeclaration(DeclarationKind.Constraint, "torch") { Index = "internal", File = "app.csproj" };
        var pinnedHere = ProjectDeclarations.Gather([Item("app"), own], null, [], flowing: flowing,
            indexItems: [new IndexItem("internal", "https://artifacts.example/pytorch-cu121", "true", null, "app.csproj")]);
        Assert.AreEqual(0, pinnedHere.Errors.Count, string.Join("\n", pinnedHere.Errors.Select(e => e.Message)));
        Assert.AreEqual("internal", pinnedHere.Pins.Single().Index);
        CollectionAssert.AreEqual(new[] { "internal" }, pinnedHere.Indexes.Select(i => i.Name).ToArray());

        // Two references defining the index differently: said at the second definition.
        var clash = new FlowingDeclarations
        {
            Items = [cuda],
            Indexes = [new IndexItem("pytorch", "https://download.pytorch.org/whl/cu121", "true", null, "lib.csproj"), new IndexItem("pytorch", "https://download.pytorch.org/whl/cu118", "true", null, "other.csproj")],
        };
        var error = ProjectDeclarations.Gather([Item("app")], null, [], flowing: clash).Errors.Single();
        Assert.AreEqual("PYENV1010", error.Code);
        Assert.AreEqual("other.csproj", error.File);
    }

    [TestMethod]
    public void TwoProjectsThatCannotAgreeAreNamedBoth()
    {
        var flowing = new FlowingDeclarations { Items = [Item("a", ">=2", origin: "project Lib", file: "lib.csproj")] };

        var declarations = ProjectDeclarations.Gather([Item("a", "<2")], null, [], flowing: flowing);

        var error = declarations.Errors.Single();
        Assert.AreEqual(DiagnosticCodes.InvalidDeclaration, error.Code);
        StringAssert.Contains(error.Message, "at app.csproj");
        StringAssert.Contains(error.Message, "at lib.csproj, from project Lib");
        Assert.AreEqual("lib.csproj", error.File, "reported at the declaring project's file");
    }

    [TestMethod]
    public void CentralVersionsConstrainEveryPackageAndContradictionsNameBothPlaces()
    {
        var ok = ProjectDeclarations.Gather([Item("numpy"), Item("scipy", ">=1")], null, [], centralVersions: [Central("numpy", "==1.26.4"), Central("urllib3", "<3")]);
        Assert.AreEqual(0, ok.Errors.Count, string.Join("\n", ok.Errors.Select(e => e.Message)));
        CollectionAssert.AreEquivalent(new[] { "numpy==1.26.4", "urllib3<3" }, ok.Constraints.Select(c => c.Requirement.ToString()).ToArray(), "a constraint even for packages only needed transitively");
        CollectionAssert.AreEquivalent(ok.Constraints.ToArray(), ok.CentralVersions.ToArray());

        var bad = ProjectDeclarations.Gather([Item("numpy", ">=2")], null, [], centralVersions: [Central("numpy", "==1.26.4")]);
        var error = bad.Errors.Single();
        Assert.AreEqual(DiagnosticCodes.CentralVersionConflict, error.Code);
        Assert.AreEqual("app.csproj", error.File);
        StringAssert.Contains(error.Message, "at app.csproj");
        StringAssert.Contains(error.Message, "\"==1.26.4\" at Directory.Packages.props");
        StringAssert.Contains(error.Message, "VersionOverride");

        var overridden = ProjectDeclarations.Gather([Item("numpy") with { VersionOverride = ">=2" }], null, [], centralVersions: [Central("numpy", "==1.26.4")]);
        Assert.AreEqual(0, overridden.Errors.Count, string.Join("\n", overridden.Errors.Select(e => e.Message)));
        Assert.AreEqual("numpy>=2", overridden.Requirements.Single().Requirement.ToString());
        Assert.AreEqual(0, overridden.Constraints.Count, "the project's own VersionOverride lifts the central version there");

        var twice = ProjectDeclarations.Gather([], null, [], centralVersions: [Central("numpy", "==1.26.4"), Central("NumPy", "==2.0")]);
        Assert.AreEqual(DiagnosticCodes.CentralVersionDuplicate, twice.Errors.Single().Code);
        Assert.AreEqual(DiagnosticCodes.InvalidDeclaration, ProjectDeclarations.Gather([], null, [], centralVersions: [Central("numpy", "")]).Errors.Single().Code, "a central version needs a Version");
    }

    [TestMethod]
    public void ASharedLockMakesEachMemberADependencyGroup()
    {
        var app = ProjectDeclarations.Gather([Item("a", "<2"), Item("lint", group: "dev"), new PackageDeclaration(DeclarationKind.Constraint, "c") { Version = "<3", File = "app.csproj" }],
            null, [], requiresPython: ">=3.9");
        var tool = ProjectDeclarations.Gather([Item("a"), Item("b")], null, [], requiresPython: "<3.14", centralVersions: [Central("b", "==1.0")]);
        var both = ProjectDeclarations.Gather([new PackageDeclaration(DeclarationKind.Constraint, "c") { Version = "<3", File = "tool.csproj" }], null, []);

        var shared = ProjectDeclarations.Shared([new SharedLockMember("app", app), new SharedLockMember("My_Tool", tool), new SharedLockMember("other", both)]);

        CollectionAssert.AreEqual(new[] { "a<2 [app]", "lint [app-dev]", "a [my-tool]", "b [my-tool]" },
            shared.Requirements.Select(r => $"{r.Requirement} [{r.Group}]").ToArray(), "main dependencies become the member's group, its own groups <member>-<group>");
        CollectionAssert.AreEquivalent(new[] { "c<3", "b==1.0" }, shared.Constraints.Select(c => c.Requirement.ToString()).ToArray(), "the same constraint counts once");
        Assert.AreEqual(">=3.9,<3.14", shared.RequiresPython, "the Pythons every member supports");
        Assert.AreEqual("==3.12", ProjectDeclarations.Shared([new SharedLockMember("app", app)], "==3.12").RequiresPython, "the property wins");
    }

    [TestMethod]
    public void PackedPropsCarryMainDependenciesWithTheirOriginAndCentralVersions()
    {
        var declarations = ProjectDeclarations.Gather(
            [Item("numpy"), Item("requests", ">=2.31,<3") with { Marker = "python_version >= '3.9'", Extras = "socks" }, Item("pytest", group: "dev"),
             new PackageDeclaration(DeclarationKind.Constraint, "urllib3") { Version = "<3", File = "app.csproj" }],
            null, [], centralVersions: [Central("numpy", "==1.26.4")]);

        var props = XDocument.Parse(PackedRequirements.Props(declarations, "Contoso.Lib", "1.2.0"));

        var items = props.Root!.Element("ItemGroup")!.Elements().Select(e => $"{e.Name.LocalName} {(string?)e.Attribute("Include")} {(string?)e.Attribute("Version")} {(string?)e.Attribute("Extras")} {(string?)e.Attribute("Marker")} {(string?)e.Attribute("PythonOriginPackage")}").ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "PythonPackage numpy ==1.26.4   Contoso.Lib 1.2.0",
            "PythonPackage requests <3,>=2.31 socks python_version >= \"3.9\" Contoso.Lib 1.2.0",
            "PythonConstraint urllib3 <3   Contoso.Lib 1.2.0",
        }, items, "the central version fills an open range; groups and central constraints stay behind");
        var warning = props.Root.Element("Target")!;
        Assert.AreEqual("'$(UsingPythonEnvSdk)' != 'true'", (string?)warning.Attribute("Condition"));
        Assert.AreEqual(DiagnosticCodes.PackageRequirementsUnused, (string?)warning.Element("Warning")!.Attribute("Code"));
    }
}
