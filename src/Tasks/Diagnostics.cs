using System.Collections.Generic;
using System.Text.RegularExpressions;
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

    private static readonly Regex LeadingProperty = new(@"^(?<name>Python[A-Za-z]+)\b", RegexOptions.CultureInvariant);

    /// <summary>
    /// Like <see cref="LogError(Task, PythonEnvException, string?)"/>, but an error about a property's value (one the
    /// engine refused, e.g. a <c>PythonEnvironments</c> marker, a <c>PythonIndexUrl</c>, a <c>PythonInstallGroups</c>
    /// group the lock lacks; its message starts with the property's name) is put at the line that sets the property,
    /// found in <paramref name="searchFiles"/>.
    /// </summary>
    public static void LogError(Task task, PythonEnvException error, string? projectFile, IEnumerable<string> searchFiles)
    {
        var property = error is PropertyException known ? known.Property : LeadingProperty.Match(error.Message) is { Success: true } m ? m.Groups["name"].Value : null;
        var origin = property is null || string.IsNullOrEmpty(projectFile) ? null : PropertyLocator.Find(task, projectFile!, searchFiles, property, value: "");
        // A property the project sets is the thing to fix (PythonInstallGroups naming a group the lock lacks); one
        // from elsewhere keeps the file the engine named, if any.
        if (origin is null || (error.File is not null && origin.Source != PropertySource.ProjectFile))
        {
            LogError(task, error, projectFile);
            return;
        }

        task.Log.LogError(null, error.Code, null, origin.File, origin.Line, origin.Column, 0, 0,
            error.Message + PropertyLocator.Describe(origin, property!, value: null));
    }

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
