using System.Diagnostics;
using Python.Runtime;
using PythonEnv.Hosts;

// The build (or dotnet publish) wrote the environment into PythonNetApp.runtimeconfig.json; PythonEnv.Sdk compiles
// PythonHostConfiguration into the project to read it (a published app finds the locked Python X.Y on the machine).
PythonHostConfiguration python;
try
{
    python = PythonHostConfiguration.FromAppContext();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message); // e.g. a published app on a machine without its Python X.Y
    return 2;
}
Runtime.PythonDLL = python.Library;          // the interpreter's shared libpython
PythonEngine.ProgramName = python.ProgramName; // the environment's python: CPython reads pyvenv.cfg beside it, so sys.prefix is the environment
PythonEngine.PythonHome = python.Home;         // the base installation, where the standard library is

var clock = Stopwatch.StartNew();
PythonEngine.Initialize();
var initialize = clock.Elapsed;

try
{
    using (Py.GIL())
    {
        dynamic sys = Py.Import("sys");
        dynamic greeting = Py.Import("greeting");
        string prefix = sys.prefix;
        string package = greeting.__file__;
        // Isolation: the environment is sys.prefix, the package comes from it, and no base site-packages is on sys.path.
        var leaked = new PyList((PyObject)sys.path).Select(p => p.ToString()!)
            .Where(p => p.Contains("-packages") && !p.StartsWith(python.Prefix, StringComparison.Ordinal)).ToList();
        if (prefix != python.Prefix || !package.StartsWith(python.SitePackages, StringComparison.Ordinal) || leaked.Count > 0)
        {
            Console.Error.WriteLine($"PYTHONNET NOT ISOLATED prefix={prefix} (expected {python.Prefix}) greeting={package} foreign site-packages={string.Join(", ", leaked)}");
            return 1;
        }
        Console.WriteLine($"PYTHONNET OK Python {sys.version.split()[0]} prefix={prefix} greeting={package} executable={sys.executable} ({greeting.hello()}; Initialize {initialize.TotalMilliseconds:0} ms)");
    }
    return 0;
}
finally
{
    // Without it the process can hang at exit, the interpreter still holding the GIL.
    PythonEngine.Shutdown();
}
