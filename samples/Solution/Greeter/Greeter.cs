using System;
using System.Diagnostics;

namespace Greeter;

/// <summary>Runs the locked Python package <c>greeting</c> in the environment of the app that uses this library.</summary>
public static class PythonGreeter
{
    public static string Hello()
    {
        // The app's build wrote its environment's python into its runtimeconfig.json.
        var python = AppContext.GetData("PythonEnv.PythonExecutable") as string
            ?? throw new InvalidOperationException("This app has no Python environment: build it with PythonEnv.Sdk.");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import greeting; print(greeting.hello())");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{python} exited with {process.ExitCode}");
    }
}
