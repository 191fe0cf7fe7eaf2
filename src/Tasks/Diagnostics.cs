using Microsoft.Build.Utilities;
using PythonEnv.Diagnostics;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Turns the engine's user-facing failures into MSBuild errors with code, file and position.</summary>
internal static class Diagnostics
{
    public static void LogError(TaskLoggingHelper log, PythonEnvException error) =>
        log.LogError(
            subcategory: null,
            errorCode: error.Code,
            helpKeyword: null,
            file: error.File,
            lineNumber: error.Line,
            columnNumber: error.Column,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: error.Message);

    public static void LogWarning(TaskLoggingHelper log, PythonEnvException warning) =>
        log.LogWarning(
            subcategory: null,
            warningCode: warning.Code,
            helpKeyword: null,
            file: warning.File,
            lineNumber: warning.Line,
            columnNumber: warning.Column,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: warning.Message);
}
