namespace PythonEnv.Diagnostics;

/// <summary>A problem the engine worked around and reports as an MSBuild warning with its PYENV code.</summary>
public sealed record PythonEnvWarning(string Code, string Message);
