using Microsoft.VisualStudio.TestTools.UnitTesting;
using Python.Runtime;
using PythonEnv.Hosts;

[assembly: DoNotParallelize] // one Python interpreter per process

namespace PythonNetApp.Tests;

[TestClass]
public sealed class GreetingTests
{
    private static PythonHostConfiguration _python = null!;

    [AssemblyInitialize]
    public static void StartPython(TestContext context)
    {
        _python = PythonHostConfiguration.FromAppContext();
        Runtime.PythonDLL = _python.Library;
        PythonEngine.ProgramName = _python.ProgramName;
        PythonEngine.PythonHome = _python.Home;
        PythonEngine.Initialize();
    }

    [AssemblyCleanup]
    public static void StopPython() => PythonEngine.Shutdown();

    [TestMethod]
    public void Python_runs_in_the_apps_environment()
    {
        using (Py.GIL())
        {
            dynamic sys = Py.Import("sys");
            Assert.AreEqual(_python.Prefix, (string)sys.prefix, "sys.prefix is the app's venv");
            var path = new PyList((PyObject)sys.path).Select(p => p.ToString()!).ToList();
            CollectionAssert.Contains(path, _python.SitePackages);
            Assert.IsFalse(path.Any(p => p.Contains("-packages") && !p.StartsWith(_python.Prefix, StringComparison.Ordinal)),
                "no site-packages of the base interpreter: " + string.Join(", ", path));
        }
    }

    [TestMethod]
    public void The_locked_package_imports_from_the_apps_environment()
    {
        using (Py.GIL())
        {
            dynamic greeting = Py.Import("greeting");
            StringAssert.StartsWith((string)greeting.__file__, _python.SitePackages);
            StringAssert.EndsWith((string)greeting.hello(), "locked by PythonEnv.Sdk");
            StringAssert.StartsWith((string)greeting.hello(), "HELLO FROM PYTHON", "greeting's dependency shout is installed too");
        }
    }
}
