using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Locking;

/// <summary>What an install or export asks of a lock: the extras it selects must be ones the lock has.</summary>
public static class LockSelection
{
    /// <summary>The extras, PEP 685-normalized; one the lock does not have is an error naming <paramref name="property"/> and the ones it has.</summary>
    public static List<string> KnownExtras(PylockFile lockFile, IEnumerable<string> extras, string property, string lockPath)
    {
        var normalized = extras.Select(PackageName.Normalize).ToList();
        var known = new HashSet<string>(lockFile.Extras.Select(PackageName.Normalize), StringComparer.Ordinal);
        var unknown = normalized.FirstOrDefault(extra => !known.Contains(extra));
        if (unknown is not null)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidLock,
                $"{property} names the extra '{unknown}', which the lock does not have (it has: {(lockFile.Extras.Count == 0 ? "none" : string.Join(", ", lockFile.Extras))}). " +
                $"Declare it under [project.optional-dependencies] in pyproject.toml, or remove it from {property}.", lockPath);
        }

        return normalized;
    }
}
