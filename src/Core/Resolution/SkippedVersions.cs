using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Index;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// Versions left out of a resolution because their metadata cannot be read (a Requires-Dist no parser
/// accepts, a broken PKG-INFO), as pip skips them: each is reported once, however many forks met it,
/// as a PYENV2002 warning naming the package, the version and the offending line.
/// </summary>
internal sealed class SkippedVersions
{
    private readonly SortedDictionary<string, PythonEnvException> _warnings = new(System.StringComparer.Ordinal);

    public IReadOnlyList<PythonEnvException> Warnings => _warnings.Values.ToList();

    /// <summary>Whether the failure means the file's content is unreadable (not that it could not be fetched).</summary>
    public static bool IsUnreadable(System.Exception error) => error is PackagingFormatException or InvalidDataException;

    /// <summary>Records the skipped version; returns the reason the resolver gives for it.</summary>
    public string Skip(PackageName name, Pep440Version version, DistributionFile file, System.Exception error)
    {
        var reason = error is PackagingFormatException format && !format.Reason.Contains(format.Input.Trim())
            ? $"{format.Reason}: {format.Input.Trim()}"
            : error is PackagingFormatException known ? known.Reason : error.Message;
        var message = $"{name} {version} was skipped: its metadata ({file.Filename}) cannot be read: {reason}. " +
            $"The resolution uses other versions of {name}; if it needs this one, ask the project's maintainers for a fixed release or pin another version.";
        _warnings[$"{name.Normalized} {version}"] = new PythonEnvException(DiagnosticCodes.UnreadableMetadata, message);
        return $"cannot be used: its metadata cannot be read ({reason})";
    }
}
