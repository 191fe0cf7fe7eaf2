using System;
using System.Runtime.InteropServices;

namespace EmbedPython;

/// <summary>
/// The few CPython C-API calls an embedding host needs, bound at run time from the libpython that the
/// build reported (<c>PythonEnv.PythonLibrary</c>): the same thing Python.NET does when you set
/// <c>Runtime.PythonDLL</c>. Only the stable, version-independent entry points are used.
/// </summary>
internal sealed unsafe class PythonRuntime : IDisposable
{
    private readonly IntPtr _library;
    private readonly delegate* unmanaged<byte*, nuint*, IntPtr> _decodeLocale;
    private readonly delegate* unmanaged<IntPtr, void> _setPythonHome;
    private readonly delegate* unmanaged<IntPtr, void> _setProgramName;
    private readonly delegate* unmanaged<int, void> _initialize;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<byte*, IntPtr> _importModule;
    private readonly delegate* unmanaged<IntPtr, byte*, IntPtr> _getAttr;
    private readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr> _callObject;
    private readonly delegate* unmanaged<IntPtr, IntPtr> _str;
    private readonly delegate* unmanaged<IntPtr, byte*> _asUtf8;
    private readonly delegate* unmanaged<IntPtr, void> _decRef;
    private readonly delegate* unmanaged<byte*, int> _runSimpleString;
    private readonly delegate* unmanaged<void> _printError;

    public PythonRuntime(string libraryPath)
    {
        _library = NativeLibrary.Load(libraryPath);
        _decodeLocale = (delegate* unmanaged<byte*, nuint*, IntPtr>)Export("Py_DecodeLocale");
        _setPythonHome = (delegate* unmanaged<IntPtr, void>)Export("Py_SetPythonHome");
        _setProgramName = (delegate* unmanaged<IntPtr, void>)Export("Py_SetProgramName");
        _initialize = (delegate* unmanaged<int, void>)Export("Py_InitializeEx");
        _finalize = (delegate* unmanaged<int>)Export("Py_FinalizeEx");
        _importModule = (delegate* unmanaged<byte*, IntPtr>)Export("PyImport_ImportModule");
        _getAttr = (delegate* unmanaged<IntPtr, byte*, IntPtr>)Export("PyObject_GetAttrString");
        _callObject = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Export("PyObject_CallObject");
        _str = (delegate* unmanaged<IntPtr, IntPtr>)Export("PyObject_Str");
        _asUtf8 = (delegate* unmanaged<IntPtr, byte*>)Export("PyUnicode_AsUTF8");
        _decRef = (delegate* unmanaged<IntPtr, void>)Export("Py_DecRef");
        _runSimpleString = (delegate* unmanaged<byte*, int>)Export("PyRun_SimpleString");
        _printError = (delegate* unmanaged<void>)Export("PyErr_Print");
    }

    /// <summary>
    /// Starts the interpreter on the environment, as PythonEngine.ProgramName/PythonHome do in Python.NET: the program
    /// name is the venv's python, so CPython's site module reads pyvenv.cfg beside it, makes sys.prefix the venv and
    /// puts only the venv's site-packages on sys.path; the home is the base installation (the standard library).
    /// </summary>
    public void Initialize(string programName, string pythonHome)
    {
        // Both calls keep the pointer, so the decoded strings are deliberately never freed.
        _setProgramName(Decode(programName));
        _setPythonHome(Decode(pythonHome));
        _initialize(0);
    }

    /// <summary>Runs Python source at module level; a Python exception is printed and rethrown.</summary>
    public void Run(string code)
    {
        fixed (byte* source = Utf8(code))
        {
            if (_runSimpleString(source) != 0)
            {
                throw new InvalidOperationException($"Python code failed: {code}");
            }
        }
    }

    /// <summary>Imports <paramref name="module"/>, calls its zero-argument <paramref name="function"/> and returns str(result).</summary>
    public string Call(string module, string function)
    {
        var imported = Check(ImportModule(module), $"import {module}");
        try
        {
            var callable = Check(GetAttr(imported, function), $"{module}.{function}");
            try
            {
                var result = Check(_callObject(callable, IntPtr.Zero), $"{module}.{function}()");
                try
                {
                    var text = Check(_str(result), "str(result)");
                    try
                    {
                        return Marshal.PtrToStringUTF8((IntPtr)_asUtf8(text)) ?? "";
                    }
                    finally
                    {
                        _decRef(text);
                    }
                }
                finally
                {
                    _decRef(result);
                }
            }
            finally
            {
                _decRef(callable);
            }
        }
        finally
        {
            _decRef(imported);
        }
    }

    public void Dispose()
    {
        _finalize();
        NativeLibrary.Free(_library);
    }

    private IntPtr ImportModule(string name)
    {
        fixed (byte* text = Utf8(name))
        {
            return _importModule(text);
        }
    }

    private IntPtr GetAttr(IntPtr target, string name)
    {
        fixed (byte* text = Utf8(name))
        {
            return _getAttr(target, text);
        }
    }

    private IntPtr Check(IntPtr result, string what)
    {
        if (result == IntPtr.Zero)
        {
            _printError();
            throw new InvalidOperationException($"Python raised an exception in {what}.");
        }
        return result;
    }

    private IntPtr Decode(string text)
    {
        fixed (byte* bytes = Utf8(text))
        {
            return _decodeLocale(bytes, null);
        }
    }

    private IntPtr Export(string name) => NativeLibrary.GetExport(_library, name);

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");

}
