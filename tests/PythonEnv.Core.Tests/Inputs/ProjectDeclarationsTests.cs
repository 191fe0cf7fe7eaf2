using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

/// <summary>Items, pyproject.toml and requirements files combine; one package declared twice with no common version is an error naming both places.</summary>
[TestClass]
public sealed class ProjectDeclarationsTests
{
    private static PackageDeclaration Item(string name, string? version = null, string? marker = null, string? group = null) =>
        new(DeclarationKind.Package, name) { Version = version, Marker = marker, Group = group, File = "app.csproj" };

    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-decl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    [TestMethod]
    public void Items_pyproject_and_requirements_files_combine()
    {
        var folder = TempFolder();
        try
        {
            var pyproject = Path.Combine(folder, "pyproject.toml");
            File.WriteAllText(pyproject, "[project]\nname = \"app\"\nversion = \"0\"\nrequires-python = \">=3.10\"\ndependencies = [\"b>=1\"]\n[dependency-groups]\ndev = [\"pytest\"]\n");
            var requirements = Path.Combine(folder, "requirements.in");
            File.WriteAllText(requirements, "--extra-index-url https://mirror.example/simple/\nc<3\n");

            var declarations = ProjectDeclarations.Gather([Item("a", ">=1")], pyproject, [new RequirementsFileReference(requirements)]);

            Assert.AreEqual(0, declarations.Errors.Count, string.Join("\n", declarations.Errors.Select(e => e.Message)));
            CollectionAssert.AreEquivalent(new[] { "a>=1", "b>=1", "c<3", "pytest" }, declarations.Requirements.Select(r => r.Requirement.ToString()).ToArray());
            Assert.AreEqual("dev", declarations.Requirements.Single(r => r.Requirement.Name == "pytest").Group);
            Assert.AreEqual(">=3.10", declarations.RequiresPython);
            CollectionAssert.AreEqual(new[] { "https://mirror.example/simple/" }, declarations.ExtraIndexUrls.ToArray());
            CollectionAssert.AreEqual(new[] { pyproject, requirements }, declarations.Files.ToArray());
            Assert.AreEqual(">=3.12", ProjectDeclarations.Gather([], pyproject, [], requiresPython: ">=3.12").RequiresPython, "the property wins over pyproject.toml");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Incompatible_duplicate_names_both_places()
    {
        var folder = TempFolder();
        try
        {
            var requirements = Path.Combine(folder, "requirements.in");
            File.WriteAllText(requirements, "# pins\nA>=2\n");

            var declarations = ProjectDeclarations.Gather([Item("a", "<1.5")], null, [new RequirementsFileReference(requirements)]);

            var error = declarations.Errors.Single();
            Assert.AreEqual(DiagnosticCodes.InvalidDeclaration, error.Code);
            StringAssert.Contains(error.Message, "app.csproj");
            StringAssert.Contains(error.Message, "requirements.in(2)");
            Assert.AreEqual(requirements, error.File);
            Assert.AreEqual(2, error.Line);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("<1.5", ">=1", null, null, DisplayName = "overlapping ranges")]
    [DataRow("<1.5", ">=2", "sys_platform == 'linux'", "sys_platform == 'win32'", DisplayName = "disjoint markers")]
    [DataRow("<1.5", ">=2", "python_version < '3.10'", "python_version >= '3.10'", DisplayName = "disjoint Python versions")]
    [DataRow("<1.5", ">=2", "python_version < '3.8'", null, DisplayName = "one applies only below requires-python")]
    [DataRow("<1.5", ">=2", "os_name == 'nt'", "sys_platform == 'linux'", DisplayName = "correlated platform variables")]
    public void Duplicates_that_can_both_hold_are_not_errors(string first, string second, string? firstMarker, string? secondMarker)
    {
        var declarations = ProjectDeclarations.Gather([Item("a", first, firstMarker), Item("a", second, secondMarker)], null, []);
        Assert.AreEqual(0, declarations.Errors.Count, string.Join("\n", declarations.Errors.Select(e => e.Message)));
    }

    [TestMethod]
    public void Different_groups_may_disagree()
    {
        var declarations = ProjectDeclarations.Gather([Item("a", "<1.5"), Item("a", ">=2", group: "legacy")], null, []);
        Assert.AreEqual(0, declarations.Errors.Count);
    }

    [TestMethod]
    public void Overlapping_markers_with_no_common_version_are_an_error()
    {
        var declarations = ProjectDeclarations.Gather([Item("a", "<1.5", "sys_platform == 'linux'"), Item("a", ">=2", "python_version >= '3.10'")], null, []);
        Assert.AreEqual(1, declarations.Errors.Count);
    }
}
