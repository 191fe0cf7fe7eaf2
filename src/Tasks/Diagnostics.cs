using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Turns the engine's user-facing failures into MSBuild errors with code, file and position.</summary>
internal static class Diagnostics
{
    /// <summary>
    /// Logs the error at its file and position. One that names no file (a property value the engine refused) is
    /// put on <paramref name="projectFile"/>: MSBuild would otherwise show the SDK's targets, which the user cannot fix.
    /// </summary>
    public static void LogError(Task task, PythonEnvException error, string? projectFile = null) =>
        task.Log.LogError(
            subcategory: null,
            errorCode: error.Code,
            helpKeyword: null,
            file: error.File ?? projectFile,
            lineNumber: error.Line,
            columnNumber: error.Column,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: error.Message);
}
