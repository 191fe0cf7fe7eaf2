using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;

namespace PythonEnv.Core.Tests.Environments;

/// <summary>
/// PYENV4003: where the venv is made by the interpreter's own <c>venv</c> module (Windows interpreters), a failure
/// of that module is reported with the command, its exit code and what it printed, at the venv folder, and the
/// half-made folder is never taken for a venv.
/// </summary>
[TestClass]
public sealed class VenvCreationFailureTests
{
    [TestMethod]
    public async Task A_failing_venv_module_is_PYENV4003_with_its_exit_code_and_message_and_leaves_no_venv()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("the stand-in interpreter is a POSIX shell script");
            return;
        }
        var root = TestPython.TempFolder("venv-failure");
        var python = Path.Combine(root, "python.exe");
        File.WriteAllText(python, "#!/bin/sh\necho \"Error: [Errno 13] Permission denied: '$5'\" >&2\nexit 3\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var windowsPython = PythonInterpreter.FromJson($$"""
            {"executable": "{{python}}", "base_executable": "{{python}}", "version": "3.12.4", "version_info": [3, 12, 4, "final", 0],
             "implementation": "cpython", "os_name": "nt", "sys_platform": "win32", "venv_scheme": "nt_venv",
             "venv_paths": {"purelib": "@VENV@/Lib/site-packages", "platlib": "@VENV@/Lib/site-packages", "scripts": "@VENV@/Scripts", "data": "@VENV@"} }
            """);
        var venvRoot = Path.Combine(root, "project", ".venv");

        var error = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => VirtualEnvironment.CreateAsync(venvRoot, windowsPython));

        Assert.AreEqual(DiagnosticCodes.VenvCreationFailed, error.Code);
        Assert.AreEqual(venvRoot, error.File);
        Assert.Contains("-m venv --without-pip", error.Message);
        Assert.Contains("exit code 3", error.Message);
        Assert.Contains("Permission denied", error.Message);
        Assert.IsNull(VirtualEnvironment.ReadConfig(venvRoot), "a half-made folder is never a venv");
    }
}
