using System;
using EmbedPython;
using PythonEnv.Hosts;

// The build (PythonEnv.Sdk's PythonSync target) wrote the environment into EmbedPython.runtimeconfig.json, and the SDK
// compiles PythonHostConfiguration into the project to read it: the app needs no configuration of its own.
var python = PythonHostConfiguration.FromAppContext();

using var runtime = new PythonRuntime(python.Library);
runtime.Initialize(python.ProgramName, python.Home);
Console.WriteLine($"Python {python.Version} from {python.Library}, environment {python.Prefix}");
Console.WriteLine(runtime.Call("greeting", "hello"));
