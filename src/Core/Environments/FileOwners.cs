using System;
using System.Collections.Generic;
using System.IO;
using PythonEnv.Diagnostics;

namespace PythonEnv.Environments;

/// <summary>
/// Which distribution owns each file of the venv after a sync, checked before the sync changes anything: two
/// distributions may not install one path, except the same bytes outside the scripts folder (the
/// <c>__init__.py</c> of an old-style namespace package that several distributions ship). A script is always
/// its package's own, so two packages naming one script (or one replacing another's) is a conflict.
/// </summary>
internal static class FileOwners
{
    /// <summary>
    /// Throws PYENV4010 when a planned install would take a file another distribution owns (one that stays, or
    /// another planned install). Returns the files the staying distributions own, which no uninstall may delete.
    /// </summary>
    public static ISet<string> Check(
        IEnumerable<EnvironmentSync.InstalledDistribution> staying, IEnumerable<(PlannedPackage Package, WheelInstall Install)> installs, VirtualEnvironment venv)
    {
        var scripts = Path.GetFullPath(venv.Scripts).TrimEnd(Path.DirectorySeparatorChar);
        var comparer = FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var owners = new Dictionary<string, (string Owner, string Hash)>(comparer);
        foreach (var dist in staying)
        {
            foreach (var file in dist.Files)
            {
                owners[file.Key] = ($"{dist.Name} {dist.Version} (installed)", file.Value);
            }
        }
        var kept = new HashSet<string>(owners.Keys, comparer);
        foreach (var (package, install) in installs)
        {
            foreach (var file in install.Files)
            {
                if (owners.TryGetValue(file.Target, out var owner) && owner.Owner != package.Name)
                {
                    var isScript = comparer.Equals(Path.GetDirectoryName(file.Target) ?? "", scripts);
                    if (isScript || owner.Hash.Length == 0 || owner.Hash != file.Hash)
                    {
                        throw new PythonEnvException(DiagnosticCodes.InstallConflict,
                            $"{package.Name} ({install.Wheel.FileName}) and {owner.Owner} both install {file.Target}{(isScript ? " (a script)" : " with different content")}. " +
                            "Only one package may own a file: lock only one of them, or versions of them that do not clash.", package.SourceFile, package.SourceLine);
                    }
                }
                owners[file.Target] = (package.Name, file.Hash);
            }
        }
        return kept;
    }
}
