using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>The artifact installed for each planned package: chosen by tag rank, fetched (or built), unpacked into the cache before the venv changes.</summary>
public static partial class EnvironmentSync
{
    private static PlannedArtifact Choose(PlannedPackage package, SyncOptions options, PythonInterpreter interpreter)
        => Located(package, () => ChooseArtifact(package, options, interpreter));

    private static PlannedArtifact ChooseArtifact(PlannedPackage package, SyncOptions options, PythonInterpreter interpreter)
    {
        var best = package.Wheels
            .Select(w => (Wheel: w, Rank: options.Rank(interpreter, w.FileName)))
            .Where(w => w.Rank is not null)
            .OrderBy(w => w.Rank)
            .Select(w => w.Wheel)
            .FirstOrDefault();
        if (best is not null)
        {
            return best;
        }
        var candidates = package.Wheels.Count == 0 ? "it has no wheels" : "none of its wheels fits (" + string.Join(", ", package.Wheels.Select(w => w.FileName)) + ")";
        if (package.Sdist is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel,
                $"{package.Name} {package.Version} cannot be installed on this interpreter: {candidates}, and the lock has no sdist to build. " +
                "Choose another Python (PythonVersion), or a version of the package with a wheel for this platform.");
        }
        if (options.NoBuild || options.SdistBuilder is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel,
                $"{package.Name} {package.Version} must be built from its sdist {package.Sdist.FileName} ({candidates}), " +
                (options.NoBuild ? "but PythonNoBuild is true. Set PythonNoBuild to false to allow the build, or choose a version with a compatible wheel."
                                 : "but no build was configured."));
        }
        return package.Sdist;
    }

    /// <summary>A local path to the artifact, checked against the lock's size and sha256.</summary>
    internal static async Task<string> FetchAsync(PlannedArtifact artifact, SyncOptions options, CancellationToken cancellationToken)
    {
        if (artifact.LocalPath is { } local)
        {
            var info = new FileInfo(local);
            if (!info.Exists)
            {
                throw new PythonEnvException(DiagnosticCodes.ArtifactHashMismatch, $"{artifact.FileName} is not at {local}. Restore the file or re-lock.", local);
            }
            var actual = Hashing.Sha256HexOfFile(local);
            if ((artifact.Size is { } size && size != info.Length) || !string.Equals(actual, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PythonEnvException(DiagnosticCodes.ArtifactHashMismatch,
                    $"{local} does not match the lock: expected sha256 {artifact.Sha256}" + (artifact.Size is null ? "" : $" and {artifact.Size} bytes") +
                    $", the file has sha256 {actual} and {info.Length} bytes. It was not installed; restore the original file or re-lock.", local);
            }
            return local;
        }
        if (artifact.Url is null)
        {
            throw new ArgumentException($"{artifact.FileName} has neither a local path nor a URL", nameof(artifact));
        }
        if (options.Download is null)
        {
            throw new PythonEnvException(DiagnosticCodes.NoCompatibleWheel, $"{artifact.FileName} must be downloaded from {artifact.Url.GetLeftPart(UriPartial.Path)}, but no index client was configured.");
        }
        return await options.Download(artifact.Url, artifact.Sha256.ToLowerInvariant(), artifact.Size, cancellationToken).ConfigureAwait(false);
    }
}
