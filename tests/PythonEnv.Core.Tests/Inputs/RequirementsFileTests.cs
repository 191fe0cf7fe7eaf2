using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

[TestClass]
public sealed class RequirementsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pyenv-req-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void Comments_continuations_markers_and_line_numbers()
    {
        var path = Write("requirements.in", """
            # a comment line
            requests>=2.31   # trailing comment
            urllib3 \
              <3
            tomli ; python_version < "3.11"

            https-only @ https://example.invalid/p.whl#sha256=abc
            """);
        var file = RequirementsFile.Load(path);

        CollectionAssert.AreEqual(new[] { "requests>=2.31", "urllib3<3", "tomli; python_version < \"3.11\"", "https-only @ https://example.invalid/p.whl#sha256=abc" },
            file.Requirements.Select(r => r.Requirement.ToString()).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 5, 7 }, file.Requirements.Select(r => r.Location.Line).ToArray());
    }

    [TestMethod]
    public void A_per_requirement_index_option_pins_the_package_with_its_marker()
    {
        var path = Write("requirements.in", """
            torch==2.2.0 ; sys_platform != "darwin" --index pytorch-cu121
            torch==2.2.0 ; sys_platform == "darwin" --index=pytorch-cpu
            numpy --hash=sha256:0123
            """);
        var file = RequirementsFile.Load(path);

        CollectionAssert.AreEqual(
            new[] { "torch pytorch-cu121 sys_platform != \"darwin\" 1", "torch pytorch-cpu sys_platform == \"darwin\" 2" },
            file.Pins.Select(p => $"{p.Package} {p.Index} {p.Marker} {p.Location.Line}").ToArray());
        Assert.AreEqual(3, file.Requirements.Count);
    }

    [TestMethod]
    public void Includes_constraints_and_index_options_resolve_relative_to_the_including_file()
    {
        Write("sub/base.txt", "six==1.16.0\n");
        Write("sub/constraints.txt", "urllib3<2\n");
        Write("wheels/.keep", "");
        var path = Write("requirements.in", """
            -r sub/base.txt
            --constraint sub/constraints.txt
            --index-url https://mirror.invalid/simple/
            --extra-index-url=https://extra.invalid/simple/
            -f wheels
            requests
            """);
        var file = RequirementsFile.Load(path, group: "dev");

        CollectionAssert.AreEqual(new[] { "six==1.16.0", "requests" }, file.Requirements.Select(r => r.Requirement.ToString()).ToArray());
        Assert.AreEqual(Path.Combine(_dir, "sub", "base.txt"), file.Requirements[0].Location.File);
        Assert.IsTrue(file.Requirements.All(r => r.Group == "dev"));
        Assert.AreEqual("urllib3<2", file.Constraints.Single().Requirement.ToString());
        Assert.AreEqual("https://mirror.invalid/simple/", file.IndexUrl!.Value.Url);
        Assert.AreEqual("https://extra.invalid/simple/", file.ExtraIndexUrls.Single().Url);
        Assert.AreEqual(Path.Combine(_dir, "wheels"), file.FindLinks.Single().Location);
    }

    [TestMethod]
    public void Environment_variables_are_expanded()
    {
        var path = Write("r.txt", "--index-url https://${TOKEN_USER}@host.invalid/simple/\n");
        var values = new Dictionary<string, string> { ["TOKEN_USER"] = "me" };
        var file = RequirementsFile.Load(path, environment: name => values.TryGetValue(name, out var v) ? v : null);
        Assert.AreEqual("https://me@host.invalid/simple/", file.IndexUrl!.Value.Url);
    }

    [TestMethod]
    public void An_invalid_requirement_names_file_and_line()
    {
        var path = Write("r.txt", "ok\n\nrequests=>2\n");
        var error = Assert.ThrowsExactly<PythonEnvException>(() => RequirementsFile.Load(path));
        Assert.AreEqual(DiagnosticCodes.InvalidDeclaration, error.Code);
        Assert.AreEqual(path, error.File);
        Assert.AreEqual(3, error.Line);
        StringAssert.Contains(error.Message, ">=");
    }

    [TestMethod]
    public void Editables_and_unknown_options_are_rejected_with_the_line()
    {
        var editable = Write("e.txt", "-e ./src\n");
        Assert.AreEqual(1, Assert.ThrowsExactly<PythonEnvException>(() => RequirementsFile.Load(editable)).Line);
        var unknown = Write("u.txt", "a\n--trusted-host x\n");
        var error = Assert.ThrowsExactly<PythonEnvException>(() => RequirementsFile.Load(unknown));
        Assert.AreEqual(2, error.Line);
        StringAssert.Contains(error.Message, "--trusted-host");
    }

    [TestMethod]
    public void A_missing_include_and_an_include_cycle_are_errors()
    {
        var missing = Write("m.txt", "-r nowhere.txt\n");
        StringAssert.Contains(Assert.ThrowsExactly<PythonEnvException>(() => RequirementsFile.Load(missing)).Message, "included from");
        Write("a.txt", "-r b.txt\n");
        var b = Write("b.txt", "-r a.txt\n");
        StringAssert.Contains(Assert.ThrowsExactly<PythonEnvException>(() => RequirementsFile.Load(b)).Message, "cycle");
    }
}
