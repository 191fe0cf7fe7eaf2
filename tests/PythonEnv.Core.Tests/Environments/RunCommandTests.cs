using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;

namespace PythonEnv.Core.Tests.Environments;

/// <summary><c>PythonRun</c>'s command: exactly one of a script and a module, its arguments split as a shell splits words.</summary>
[TestClass]
public sealed class RunCommandTests
{
    [TestMethod]
    public void Arguments_are_split_at_whitespace_with_quotes_keeping_spaces_inside_a_word()
    {
        var command = RunCommand.From(null, "pytest", "-k \"slow and not gpu\" --name='a b'  -x", Path.GetTempPath());

        CollectionAssert.AreEqual(new[] { "-m", "pytest", "-k", "slow and not gpu", "--name=a b", "-x" }, command.PythonArguments().ToArray());
        Assert.AreEqual("-m pytest", command.Describe());
    }

    [TestMethod]
    public void A_script_is_found_relative_to_the_project_and_a_missing_one_is_PYENV1031()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "train.py"), "print(1)\n");

            Assert.AreEqual(Path.Combine(folder, "train.py"), RunCommand.From("train.py", null, null, folder).PythonArguments()[0]);
            Assert.AreEqual(DiagnosticCodes.RunScriptNotFound, Assert.ThrowsExactly<PythonEnvException>(() => RunCommand.From("tran.py", "", null, folder)).Code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Neither_or_both_of_script_and_module_is_PYENV1030()
    {
        Assert.AreEqual(DiagnosticCodes.RunTargetMissing, Assert.ThrowsExactly<PythonEnvException>(() => RunCommand.From(" ", null, null, ".")).Code);
        Assert.AreEqual(DiagnosticCodes.RunTargetMissing, Assert.ThrowsExactly<PythonEnvException>(() => RunCommand.From("a.py", "pytest", null, ".")).Code);
    }
}
