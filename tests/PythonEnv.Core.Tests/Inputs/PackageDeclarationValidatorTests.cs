using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

[TestClass]
public sealed class PackageDeclarationValidatorTests
{
    private static DeclarationValidation Package(string name, string? version = null, string? extras = null, string? marker = null, string? group = null) =>
        PackageDeclarationValidator.Validate(new PackageDeclaration(DeclarationKind.Package, name) { Version = version, Extras = extras, Marker = marker, Group = group, File = "/p/App.csproj" });

    private static DeclarationValidation Constraint(string name, string? version = null, string? extras = null, string? marker = null, string? group = null) =>
        PackageDeclarationValidator.Validate(new PackageDeclaration(DeclarationKind.Constraint, name) { Version = version, Extras = extras, Marker = marker, Group = group, File = "/p/App.csproj" });

    private static string SingleError(DeclarationValidation validation)
    {
        Assert.AreEqual(1, validation.Errors.Count, string.Join("\n", validation.Errors.Select(e => e.Message)));
        var error = validation.Errors[0];
        Assert.AreEqual("PYENV1001", error.Code);
        Assert.AreEqual("/p/App.csproj", error.File);
        Assert.IsNull(validation.Requirement);
        return error.Message;
    }

    [TestMethod]
    public void Valid_declaration_becomes_a_requirement()
    {
        var validation = Package("Requests", ">=2.31,<3", "socks, security", "sys_platform == 'linux'", "Dev_Tools");

        Assert.IsTrue(validation.IsValid);
        var requirement = validation.Requirement!;
        Assert.AreEqual("requests", requirement.PackageName.Normalized);
        CollectionAssert.AreEquivalent(new[] { "socks", "security" }, requirement.Extras.Select(e => e.ToString()).ToArray());
        Assert.IsTrue(requirement.Specifier.Contains(PythonEnv.Packaging.Pep440Version.Parse("2.32")));
        Assert.IsFalse(requirement.Specifier.Contains(PythonEnv.Packaging.Pep440Version.Parse("3.0")));
        Assert.IsNotNull(requirement.Marker);
        // PEP 735: group names compare by their PEP 503 normalized form.
        Assert.AreEqual("dev-tools", validation.Group);
    }

    [TestMethod]
    public void Name_alone_means_any_version()
    {
        var validation = Package("numpy");

        Assert.IsTrue(validation.IsValid);
        Assert.AreEqual("", validation.Requirement!.Specifier.ToString());
        Assert.IsNull(validation.Requirement.Marker);
        Assert.IsNull(validation.Group);
    }

    [TestMethod]
    [DataRow("=>2", "'=>' is not a PEP 440 operator; did you mean '>='?")]
    [DataRow(">=1,=>2", "'=>' is not a PEP 440 operator; did you mean '>='?")]
    [DataRow("=<2", "'=<' is not a PEP 440 operator; did you mean '<='?")]
    [DataRow("=2.0", "'=' is not a PEP 440 operator; did you mean '=='?")]
    [DataRow("<>2", "'<>' is not a PEP 440 operator; did you mean '!='?")]
    [DataRow("~1.2", "'~' is not a PEP 440 operator; did you mean '~='?")]
    [DataRow("^1.2", "'^' is not a PEP 440 operator; for a compatible range write '>=X.Y,<(X+1)' or '~=X.Y'.")]
    [DataRow("2.31", "a bare version is not a PEP 440 specifier; write '==2.31' to pin it or '>=2.31' for a minimum.")]
    [DataRow("[1.0,2.0)", "NuGet version ranges are not PEP 440; write specifiers separated by ',' instead, e.g. '>=1.0,<2.0'.")]
    [DataRow(">=2; python_version < '3.8'", "a marker does not belong in Version; put it in Marker=\"...\" and keep Version to specifiers such as '>=2,<3'.")]
    public void Common_version_mistakes_get_a_fix(string version, string advice)
    {
        var message = SingleError(Package("requests", version));

        Assert.AreEqual($"PythonPackage \"requests\" has an invalid Version \"{version}\": {advice}", message);
    }

    [TestMethod]
    [DataRow(">=2.31")]
    [DataRow(">= 2.31 , < 3")]
    [DataRow("~=2.2")]
    [DataRow("==2.*")]
    [DataRow("!=2.0.1,>=2")]
    [DataRow("===2.0-custom")]
    public void Valid_specifier_sets_pass(string version) => Assert.IsTrue(Package("requests", version).IsValid);

    [TestMethod]
    public void Other_version_errors_carry_the_parsers_reason()
    {
        var message = SingleError(Package("requests", ">=2..0"));

        StringAssert.StartsWith(message, "PythonPackage \"requests\" has an invalid Version \">=2..0\": ");
        Assert.IsTrue(message.Length > "PythonPackage \"requests\" has an invalid Version \">=2..0\": ".Length + 5, message);
    }

    [TestMethod]
    [DataRow("requests>=2", "Include takes the name only; write Include=\"requests\" Version=\">=2\".")]
    [DataRow("requests[socks]", "Include takes the name only; write Include=\"requests\" Extras=\"socks\".")]
    public void Requirement_written_as_the_name_is_split_into_metadata(string include, string advice)
    {
        var message = SingleError(Package(include));

        Assert.AreEqual($"PythonPackage \"{include}\" is not a valid package name: {advice}", message);
    }

    [TestMethod]
    [DataRow("my package")]
    [DataRow("-requests")]
    [DataRow("requests-")]
    [DataRow("réquests")]
    public void Invalid_names_are_rejected(string name)
    {
        var message = SingleError(Package(name));

        StringAssert.StartsWith(message, $"PythonPackage \"{name}\" is not a valid package name: ");
    }

    [TestMethod]
    public void Empty_extras_are_ignored_and_bad_ones_named()
    {
        Assert.IsTrue(Package("requests", extras: "socks,,security;").IsValid);

        var message = SingleError(Package("requests", extras: "socks,not valid"));

        StringAssert.StartsWith(message, "PythonPackage \"requests\" has an invalid extra \"not valid\" in Extras=\"socks,not valid\"");
    }

    [TestMethod]
    public void Invalid_marker_is_reported()
    {
        var message = SingleError(Package("numpy", marker: "python_version >> '3.8'"));

        StringAssert.StartsWith(message, "PythonPackage \"numpy\" has an invalid Marker \"python_version >> '3.8'\": ");
    }

    [TestMethod]
    public void Invalid_group_is_reported()
    {
        var message = SingleError(Package("pytest", group: "dev tools"));

        StringAssert.StartsWith(message, "PythonPackage \"pytest\" has an invalid Group \"dev tools\"");
    }

    [TestMethod]
    public void Constraint_needs_a_version() =>
        StringAssert.StartsWith(SingleError(Constraint("urllib3")), "PythonConstraint \"urllib3\" has no Version");

    [TestMethod]
    public void Constraint_takes_no_extras_nor_group()
    {
        var validation = Constraint("urllib3", "<3", extras: "socks", group: "dev");

        var messages = validation.Errors.Select(e => e.Message).ToList();
        Assert.AreEqual(2, messages.Count, string.Join("\n", messages));
        StringAssert.StartsWith(messages[0], "PythonConstraint \"urllib3\" has Extras=\"socks\": a constraint only limits versions");
        StringAssert.StartsWith(messages[1], "PythonConstraint \"urllib3\" has Group=\"dev\": constraints apply to every group");
    }

    [TestMethod]
    public void Constraint_with_marker_is_valid()
    {
        var validation = Constraint("urllib3", "<2", marker: "python_version < '3.10'");

        Assert.IsTrue(validation.IsValid);
        Assert.IsNotNull(validation.Requirement!.Marker);
    }

    [TestMethod]
    public void Every_problem_is_reported_on_its_own()
    {
        var validation = Package("requests", "=>2", "not valid", "os_name = 'nt'", "a b");

        Assert.AreEqual(4, validation.Errors.Count);
        Assert.IsTrue(validation.Errors.All(e => e.Code == "PYENV1001"));
    }
}
