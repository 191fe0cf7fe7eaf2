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
/// as a PYENV2002 warning naming the package, the version and the offending line. Also requirements left
/// out because they cannot be met where only an undecidable marker would need them (PYENV2005), reported
/// for the versions the resolution chose.
/// </summary>
internal sealed class SkippedVersions
{
    private readonly SortedDictionary<string, PythonEnvException> _warnings = new(System.StringComparer.Ordinal);

    private readonly Dictionary<(PackageName, Pep440Version), SortedDictionary<string, PythonEnvException>> _leftOut = new();

    /// <summary>The warnings, with the requirements left out only of versions some part of the resolution chose.</summary>
    public IReadOnlyList<PythonEnvException> WarningsFor(IEnumerable<IReadOnlyDictionary<PackageName, Pep440Version>> pins)
    {
        var chosen = new HashSet<(PackageName, Pep440Version)>(pins.SelectMany(part => part.Select(pin => (pin.Key, pin.Value))));
        return _warnings.Values
            .Concat(_leftOut.Where(pair => chosen.Contains(pair.Key)).OrderBy(pair => pair.Key.Item1.Normalized, System.StringComparer.Ordinal).SelectMany(pair => pair.Value.Values))
            .ToList();
    }

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

    /// <summary>
    /// Records that <paramref name="requirement"/> of <paramref name="name"/> <paramref name="version"/> was left
    /// out: it applies only where its marker holds, which the algebra cannot decide, and <paramref name="unmet"/> says why it cannot be met.
    /// </summary>
    public void LeaveOut(PackageName name, Pep440Version version, Requirement requirement, string unmet)
    {
        var message = $"{name} {version} requires '{requirement}', which was left out of the lock: {unmet}, and it applies only where " +
            $"{requirement.Marker}, which cannot be decided for the environments being locked (it is almost never needed). " +
            $"Environments where that marker holds will not get {requirement.PackageName}. If one needs it, declare it yourself " +
            $"(with an index that has it), or narrow PythonEnvironments to leave such environments out.";
        var key = (name, version);
        (_leftOut.TryGetValue(key, out var found) ? found : _leftOut[key] = new(System.StringComparer.Ordinal))[requirement.ToString()] =
            new PythonEnvException(DiagnosticCodes.UnmetUndecidableRequirement, message);
    }
}
