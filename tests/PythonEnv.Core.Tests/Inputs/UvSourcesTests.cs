using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

/// <summary>
/// uv's [[tool.uv.index]] and [tool.uv.sources] in pyproject.toml: named indexes (explicit, default), index pins
/// with markers, and every source kind the SDK cannot lock reported at its line instead of ignored.
/// </summary>
[TestClass]
public sealed class UvSourcesTests
{
    private const string Indexes = """
        [project]
        name = "app"
        version = "0.1"
        dependencies = ["torch==2.2.0", "numpy"]

        [[tool.uv.index]]
        name = "pytorch-cpu"
        url = "https://download.pytorch.org/whl/cpu"
        explicit = true

        [[tool.uv.index]]
        name = "pytorch-cu121"
        url = "https://download.pytorch.org/whl/cu121"
        explicit = true

        """;

    [TestMethod]
    public void Named_indexes_and_pins_by_marker_are_read_with_their_lines()
    {
        var project = PyProject.Parse(Indexes + """
            [tool.uv.sources]
            torch = [
              { index = "pytorch-cpu", marker = "sys_platform == 'darwin'" },
              { index = "pytorch-cu121", marker = "sys_platform != 'darwin'" },
            ]
            """, "pyproject.toml");

        CollectionAssert.AreEqual(new[] { "pytorch-cpu", "pytorch-cu121" }, project.Indexes.Select(i => i.Name).ToArray());
        Assert.IsTrue(project.Indexes.All(i => i.Explicit && !i.Default));
        Assert.AreEqual(11, project.Indexes[1].Location.Line);
        CollectionAssert.AreEqual(
            new[] { "torch pytorch-cpu sys_platform == \"darwin\"", "torch pytorch-cu121 sys_platform != \"darwin\"" },
            project.Pins.Select(p => $"{p.Package} {p.Index} {p.Marker}").ToArray());
        Assert.AreEqual(17, project.Pins[0].Location.Line);
    }

    [TestMethod]
    [DataRow("mylib = { git = \"https://github.com/me/mylib\" }", "git")]
    [DataRow("mylib = { path = \"../mylib\", editable = true }", "path")]
    [DataRow("mylib = { url = \"https://example.com/mylib-1.0.tar.gz\" }", "url")]
    [DataRow("mylib = { workspace = true }", "workspace")]
    public void A_source_kind_the_sdk_cannot_lock_is_an_error_at_its_line(string source, string kind)
    {
        var error = Assert.ThrowsExactly<PythonEnvException>(() => PyProject.Parse(Indexes + "[tool.uv.sources]\n" + source + "\n", "pyproject.toml"));

        Assert.AreEqual(DiagnosticCodes.UnsupportedSource, error.Code);
        Assert.AreEqual(16, error.Line);
        StringAssert.Contains(error.Message, $"a {kind} source");
    }

    [TestMethod]
    public void A_pin_to_an_undefined_index_and_overlapping_pins_are_reported_where_written()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pyproject-" + System.Guid.NewGuid().ToString("N") + ".toml");
        System.IO.File.WriteAllText(path, Indexes + """
            [tool.uv.sources]
            torch = [
              { index = "pytorch-cpu", marker = "sys_platform == 'darwin'" },
              { index = "pytorch-cu121", marker = "sys_platform != 'win32'" },
            ]
            torchvision = { index = "pytorch-cu118" }
            """);
        try
        {
            var declarations = ProjectDeclarations.Gather([], path, []);

            var codes = declarations.Errors.Select(e => $"{e.Code} {e.Line}").ToArray();
            CollectionAssert.AreEquivalent(new[] { "PYENV1010 20", "PYENV1011 18" }, codes, string.Join("\n", declarations.Errors.Select(e => e.Message)));
            StringAssert.Contains(declarations.Errors.Single(e => e.Code == DiagnosticCodes.OverlappingIndexPins).Message, "sys_platform == \"darwin\"");
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
