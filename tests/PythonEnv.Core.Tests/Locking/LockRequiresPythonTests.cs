using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.Locking;

namespace PythonEnv.Core.Tests.Locking;

/// <summary>
/// The lock's requires-python: declared, else the lowest Python PythonVersion or .python-version asks for, else
/// what the lock records, else the interpreter the build found (said), else PYENV2004; never a hidden default.
/// </summary>
[TestClass]
public sealed class LockRequiresPythonTests
{
    private static readonly PythonInterpreter Python312 = PythonInterpreter.FromJson(
        """{"executable": "/opt/python/bin/python3.12", "version": "3.12.4", "version_info": [3, 12, 4, "final", 0], "implementation": "cpython"}""");

    private static PythonInterpreter NoInterpreterExpected() => throw new AssertFailedException("the interpreter was asked for although something else says requires-python");

    private static string Folder(string? pythonVersionFile = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "pythonenv-requires-python-" + Guid.NewGuid().ToString("N"), "app");
        Directory.CreateDirectory(folder);
        if (pythonVersionFile is not null)
        {
            File.WriteAllText(Path.Combine(folder, ".python-version"), pythonVersionFile);
        }

        return folder;
    }

    [TestMethod]
    public void A_declaration_wins()
    {
        var derived = LockRequiresPython.Derive(">=3.9,<4", "3.12", Folder("3.11\n"), ">=3.8", NoInterpreterExpected);
        Assert.AreEqual(">=3.9,<4", derived.Specifiers);
        Assert.IsFalse(derived.FromInterpreter);
    }

    [TestMethod]
    [DataRow("3.11", ">=3.11")]
    [DataRow("3.11.4", ">=3.11.4")]
    [DataRow(">=3.10,<3.13", ">=3.10")]
    [DataRow("cpython-3.13t", ">=3.13")]
    public void PythonVersion_gives_its_lowest_python(string pythonVersion, string expected)
    {
        Assert.AreEqual(expected, LockRequiresPython.Derive(null, pythonVersion, Folder("3.8\n"), ">=3.7", NoInterpreterExpected).Specifiers);
    }

    [TestMethod]
    public void Python_version_file_gives_the_lowest_of_its_lines_and_outranks_the_recorded_value()
    {
        var derived = LockRequiresPython.Derive(null, null, Folder("# pyenv\n3.12\n3.10\n"), ">=3.8", NoInterpreterExpected);
        Assert.AreEqual(">=3.10", derived.Specifiers);
        Assert.IsFalse(derived.FromInterpreter);
    }

    [TestMethod]
    public void A_python_version_file_naming_no_version_leaves_it_to_what_the_lock_records()
    {
        Assert.AreEqual(">=3.9", LockRequiresPython.Derive(null, null, Folder("system\n"), ">=3.9", NoInterpreterExpected).Specifiers);
    }

    [TestMethod]
    public void With_nothing_said_the_found_interpreter_decides_and_says_so()
    {
        var derived = LockRequiresPython.Derive(null, null, Folder(), null, () => Python312);

        Assert.AreEqual(">=3.12", derived.Specifiers);
        Assert.IsTrue(derived.FromInterpreter);
        StringAssert.Contains(derived.Note, "requires-python is >=3.12, from the interpreter this build found (cpython 3.12.4 at /opt/python/bin/python3.12)");
    }

    [TestMethod]
    public void With_nothing_said_and_no_interpreter_it_is_PYENV2004_saying_what_to_set()
    {
        var failure = Assert.ThrowsExactly<PythonEnvException>(() => LockRequiresPython.Derive(null, null, Folder(), null,
            () => throw new PythonEnvException(DiagnosticCodes.NoInterpreter, "No Python interpreter matches")));

        Assert.AreEqual(DiagnosticCodes.RequiresPythonUnknown, failure.Code);
        StringAssert.Contains(failure.Message, "Set PythonRequiresPython");
    }
}
