using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>
/// Turns a <c>pylock.toml</c> into the <see cref="InstallPlan"/> for one interpreter, as PEP 751 tells an
/// installer to: evaluate each package's marker against the interpreter's environment with the selected
/// extras and dependency groups (the lock's <c>default-groups</c> when none are named), keep the matching
/// entries (at most one per name), and offer their wheels and sdist with the locked sha256 and size.
/// </summary>
public static class LockInstallPlan
{
    public static InstallPlan Create(
        PylockFile lockFile, string lockPath, PythonInterpreter interpreter,
        IEnumerable<string>? extras = null, IEnumerable<string>? groups = null)
    {
        var environment = new MarkerEnvironment(interpreter.MarkerEnvironment);
        var selectedExtras = (extras ?? Array.Empty<string>()).ToList();
        var selectedGroups = (groups ?? Array.Empty<string>()).ToList();
        if (selectedGroups.Count == 0)
        {
            selectedGroups = lockFile.DefaultGroups.ToList();
        }
        var unknownGroup = selectedGroups.FirstOrDefault(g => !lockFile.DependencyGroups.Contains(g, StringComparer.Ordinal) && !lockFile.DefaultGroups.Contains(g, StringComparer.Ordinal));
        if (unknownGroup is not null && lockFile.DependencyGroups.Count > 0)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidLock,
                $"PythonInstallGroups names the group '{unknownGroup}', which the lock does not have (it has: {string.Join(", ", lockFile.DependencyGroups)}).", lockPath);
        }

        selectedExtras = LockSelection.KnownExtras(lockFile, selectedExtras, "PythonInstallExtras", lockPath);

        // The direct requirements (recorded in the lock's manifest) are installed as REQUESTED.
        var requested = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in lockFile.Manifest?.Requirements ?? Array.Empty<string>())
        {
            if (Requirement.TryParse(text, out var requirement))
            {
                requested.Add(requirement.PackageName.Normalized);
            }
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(lockPath)) ?? ".";
        var packageLines = PackageLines(File.Exists(lockPath) ? File.ReadAllLines(lockPath) : Array.Empty<string>());
        var index = -1;
        var chosen = new Dictionary<string, PlannedPackage>(StringComparer.Ordinal);
        foreach (var package in lockFile.Packages)
        {
            index++;
            if (package.Marker is { Length: > 0 } marker)
            {
                bool applies;
                try
                {
                    applies = MarkerExpression.Parse(marker).Evaluate(environment, selectedExtras, selectedGroups);
                }
                catch (Exception e) when (e is PackagingFormatException or MarkerEvaluationException)
                {
                    throw new PythonEnvException(DiagnosticCodes.InvalidLock, $"The marker of {package.Name} ('{marker}') cannot be evaluated: {e.Message}", lockPath);
                }
                if (!applies)
                {
                    continue;
                }
            }
            var name = PackageName.Normalize(package.Name);
            if (package.OtherSourceKind is not null)
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidLock,
                    $"{package.Name} is locked from a {package.OtherSourceKind} source, which this SDK does not install. Declare it from an index or find-links instead.", lockPath);
            }
            if (chosen.ContainsKey(name))
            {
                throw new PythonEnvException(DiagnosticCodes.InvalidLock,
                    $"Two entries for {package.Name} apply to this interpreter ({interpreter.Version}, {interpreter.SysPlatform}); the lock is ambiguous. Re-lock.", lockPath);
            }
            var wheels = package.Wheels.Select(w => Artifact(w, package, folder, lockPath)).ToList();
            var sdist = package.Sdist is null ? null : Artifact(package.Sdist, package, folder, lockPath);
            chosen[name] = new PlannedPackage(package.Name, package.Version ?? "", wheels, sdist, requested.Contains(name))
            {
                SourceFile = lockPath,
                SourceLine = packageLines.Count == lockFile.Packages.Count ? packageLines[index] : 0,
            };
        }
        return new InstallPlan(chosen.Values);
    }

    /// <summary>
    /// The 1-based line of each <c>[[packages]]</c> table's <c>name</c> key, in file order (the order the reader
    /// keeps), or of the header when the key is not found on a line of its own.
    /// </summary>
    private static List<int> PackageLines(string[] lines)
    {
        var result = new List<int>();
        var inPackage = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("[", StringComparison.Ordinal))
            {
                inPackage = line.Replace(" ", "") == "[[packages]]";
                if (inPackage)
                {
                    result.Add(i + 1);
                }
            }
            else if (inPackage && line.StartsWith("name", StringComparison.Ordinal) && line.Substring(4).TrimStart().StartsWith("=", StringComparison.Ordinal))
            {
                result[result.Count - 1] = i + 1;
                inPackage = false;
            }
        }
        return result;
    }

    private static PlannedArtifact Artifact(LockedFile file, LockedPackage package, string folder, string lockPath)
    {
        if (!file.Hashes.TryGetValue("sha256", out var sha256) || sha256.Length != 64)
        {
            throw new PythonEnvException(DiagnosticCodes.InvalidLock,
                $"{file.FileName} of {package.Name} has no sha256 in the lock; every artifact must be hash-checked. Re-lock.", lockPath);
        }
        if (file.Url is { Length: > 0 } url)
        {
            return new PlannedArtifact(file.FileName, sha256, file.Size, Url: new Uri(url));
        }
        if (file.Path is { Length: > 0 } path)
        {
            // PEP 751: a relative path is relative to the lock file's directory; the file is still hash-checked before use.
            return new PlannedArtifact(file.FileName, sha256, file.Size, LocalPath: LockPaths.Resolve(path, folder));
        }
        throw new PythonEnvException(DiagnosticCodes.InvalidLock, $"{file.FileName} of {package.Name} has neither a url nor a path in the lock.", lockPath);
    }
}
