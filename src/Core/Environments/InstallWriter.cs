using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// Writes validated installs (<see cref="WheelInstall"/>) into a venv in three passes, each spread over the
/// cores: every distribution's RECORD (so an interrupted install can still be removed), then every file of all
/// of them (each folder created once; a file linked straight away, looked at only when the link fails), then
/// the generated files and, last, each completion marker. Nothing here re-reads what the plan already knows.
/// </summary>
internal static class InstallWriter
{
    public static void Apply(IReadOnlyList<WheelInstall> installs, CancellationToken cancellationToken = default)
    {
        Parallelism.ForEach(installs, install =>
        {
            Directory.CreateDirectory(install.DistInfoTarget);
            AtomicFile.Write(Path.Combine(install.DistInfoTarget, "RECORD"), Encoding.UTF8.GetBytes(install.Record));
        }, cancellationToken);

        // A path two distributions share (the same bytes: FileOwners checked) is written once, by the later one.
        var files = installs.SelectMany(install => install.Files.Select(file => (install, file)))
            .GroupBy(item => item.file.Target, FileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            .Select(group => group.Last()).ToList();
        var folders = new HashSet<string>(files.Select(f => Path.GetDirectoryName(f.file.Target)!), StringComparer.Ordinal);
        // Shallow folders first: each CreateDirectory then finds its parent in place.
        Parallelism.ForEach(folders.OrderBy(f => f.Length).ToList(), folder => Directory.CreateDirectory(folder), cancellationToken);
        Parallelism.ForEach(files, item => Place(item.install, item.file), cancellationToken);

        Parallelism.ForEach(installs, install =>
        {
            foreach (var (target, content) in install.Generated)
            {
                File.WriteAllBytes(target, content);
            }
            AtomicFile.Write(Path.Combine(install.DistInfoTarget, WheelInstaller.SourceFile), install.CompletionMarker);
        }, cancellationToken);
    }

    private static void Place(WheelInstall install, InstallFile file)
    {
        if (file.Content is null)
        {
            // A fresh venv has nothing at the target: one link(2) and done.
            if (!FileSystem.TryHardLink(file.Source, file.Target))
            {
                Clear(install, file.Target);
                FileSystem.LinkOrCopy(file.Source, file.Target);
            }
        }
        else
        {
            // Never written through an existing file: it may be a hard link into the cache.
            Clear(install, file.Target);
            File.WriteAllBytes(file.Target, file.Content);
        }
        if (file.Mode != 0 && (file.Content is not null || (file.Mode & 0x49) != 0))
        {
            FileSystem.SetMode(file.Target, file.Mode);
        }
    }

    private static void Clear(WheelInstall install, string target)
    {
        if (Directory.Exists(target))
        {
            throw WheelArchive.Invalid(install.Wheel.FileName, $"it installs the file {target}, but a folder of that name exists");
        }
        FileSystem.DeleteFile(target);
    }
}
