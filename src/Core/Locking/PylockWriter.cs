using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PythonEnv.Diagnostics;
using PythonEnv.IO;
using PythonEnv.Index;
using PythonEnv.Packaging;
using Tomlyn.Model;
using Tomlyn;

namespace PythonEnv.Locking;

/// <summary>
/// Writes <c>pylock.toml</c> deterministically: keys in the order the specification lists them, packages by
/// name then version then marker, wheels by file name, hashes by algorithm, <c>\n</c> line endings and no
/// timestamps of our own, so the same inputs and index state give the same bytes on every OS.
/// </summary>
public static class PylockWriter
{
    private static readonly TomlSerializerOptions Options = new() { NewLine = TomlNewLineKind.Lf };

    public static string Write(PylockFile lockFile)
    {
        var document = new TomlTable
        {
            ["lock-version"] = lockFile.LockVersion,
        };
        if (lockFile.Environments.Count > 0)
        {
            document["environments"] = Strings(lockFile.Environments);
        }

        if (lockFile.RequiresPython is { } requiresPython)
        {
            document["requires-python"] = requiresPython;
        }

        document["extras"] = Strings(lockFile.Extras.OrderBy(value => value, StringComparer.Ordinal));
        document["dependency-groups"] = Strings(lockFile.DependencyGroups.OrderBy(value => value, StringComparer.Ordinal));
        document["default-groups"] = Strings(lockFile.DefaultGroups.OrderBy(value => value, StringComparer.Ordinal));
        document["created-by"] = lockFile.CreatedBy;

        var packages = new TomlTableArray();
        foreach (var package in Order(lockFile.Packages))
        {
            packages.Add(PackageTable(package));
        }

        document["packages"] = packages;
        var text = new StringBuilder(TomlSerializer.Serialize(document, Options));
        if (lockFile.Manifest is { } manifest)
        {
            var tool = new TomlTable { ["tool"] = new TomlTable { [PylockFile.ToolName] = ManifestTable(manifest.Normalize()) } };
            text.Append('\n').Append(TomlSerializer.Serialize(tool, Options));
        }

        return Spaced(text.ToString());
    }

    /// <summary>
    /// Writes the lock to <paramref name="path"/> unless it already holds the same bytes (UTF-8 without a BOM, <c>\n</c>
    /// line endings: the same on every OS). The file is replaced whole (<see cref="AtomicFile"/>): a build killed
    /// while writing leaves the previous lock, never an empty or truncated one.
    /// </summary>
    /// <returns>True when the file was written.</returns>
    public static bool Save(PylockFile lockFile, string path)
    {
        var text = Write(lockFile);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        Replace(path, text);
        return true;
    }

    /// <summary>
    /// Replaces the file whole with <paramref name="text"/> (UTF-8 without a BOM). When it cannot be (no space, no
    /// permission, another program holding it), that is PYENV3003 and the previous file is left as it was.
    /// </summary>
    internal static void Replace(string path, string text)
    {
        try
        {
            AtomicFile.Write(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
            // The rename gives up on a file another program keeps open; then the old content is still there.
            if (File.ReadAllText(path) == text)
            {
                return;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PythonEnvException(DiagnosticCodes.LockWriteFailed, $"Could not write {path}: {error.Message} The previous file is unchanged.", path, 0, 0, error);
        }

        throw new PythonEnvException(DiagnosticCodes.LockWriteFailed,
            $"Could not replace {path}: another program keeps it open. The previous file is unchanged; close it and build again.", path);
    }

    /// <summary>The spec's recommended order: by name, then version (PEP 440 order), then marker.</summary>
    internal static IEnumerable<LockedPackage> Order(IEnumerable<LockedPackage> packages) =>
        packages
            .OrderBy(package => package.Name, StringComparer.Ordinal)
            .ThenBy(package => package.Version is { } v && Pep440Version.TryParse(v, out var parsed) ? parsed : null, Comparer<Pep440Version?>.Create(CompareVersions))
            .ThenBy(package => package.Version ?? "", StringComparer.Ordinal)
            .ThenBy(package => package.Marker ?? "", StringComparer.Ordinal);

    private static int CompareVersions(Pep440Version? left, Pep440Version? right) =>
        left is null ? (right is null ? 0 : -1) : right is null ? 1 : left.CompareTo(right);

    private static TomlTable PackageTable(LockedPackage package)
    {
        var table = new TomlTable { ["name"] = package.Name };
        if (package.Version is { } version)
        {
            table["version"] = version;
        }

        if (package.Marker is { } marker)
        {
            table["marker"] = marker;
        }

        if (package.RequiresPython is { } requiresPython)
        {
            table["requires-python"] = requiresPython;
        }

        if (package.Dependencies.Count > 0)
        {
            var dependencies = new TomlArray();
            foreach (var dependency in package.Dependencies
                         .OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Version ?? "", StringComparer.Ordinal).ThenBy(d => d.Marker ?? "", StringComparer.Ordinal))
            {
                var entry = new TomlTable(true) { ["name"] = dependency.Name };
                if (dependency.Version is { } dependencyVersion)
                {
                    entry["version"] = dependencyVersion;
                }

                if (dependency.Marker is { } dependencyMarker)
                {
                    entry["marker"] = dependencyMarker;
                }

                dependencies.Add(entry);
            }

            table["dependencies"] = dependencies;
        }

        if (package.Index is { } index)
        {
            table["index"] = index;
        }

        if (package.Sdist is { } sdist)
        {
            table["sdist"] = FileTable(sdist);
        }

        if (package.Wheels.Count > 0)
        {
            var wheels = new TomlTableArray();
            foreach (var wheel in package.Wheels.OrderBy(wheel => wheel.FileName, StringComparer.Ordinal))
            {
                wheels.Add(FileTable(wheel));
            }

            table["wheels"] = wheels;
        }

        return table;
    }

    private static TomlTable FileTable(LockedFile file)
    {
        var table = new TomlTable();
        if (file.Name is { } name)
        {
            table["name"] = name;
        }

        if (file.UploadTime is { } uploadTime)
        {
            table["upload-time"] = new TomlDateTime(uploadTime.ToUniversalTime(), FractionDigits(uploadTime, file.UploadTimeDigits), TomlDateTimeKind.OffsetDateTimeByZ);
        }

        if (file.Url is { } url)
        {
            table["url"] = LockManifest.WithoutCredentials(url);
        }

        if (file.Path is { } path)
        {
            table["path"] = path;
        }

        if (file.Size is { } size)
        {
            table["size"] = size;
        }

        var hashes = new TomlTable(true);
        foreach (var hash in file.Hashes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            hashes[hash.Key] = hash.Value;
        }

        table["hashes"] = hashes;
        return table;
    }

    /// <summary>
    /// The fraction-of-a-second digits to write: those the time was given with, and never fewer than its value
    /// needs (a DateTimeOffset holds 7), so the lock neither truncates nor re-rounds what the index said.
    /// </summary>
    private static int FractionDigits(DateTimeOffset time, int? given)
    {
        var needed = 0;
        for (var fraction = time.UtcTicks % TimeSpan.TicksPerSecond; fraction != 0; fraction = fraction * 10 % TimeSpan.TicksPerSecond)
        {
            needed++;
        }

        return Math.Min(7, Math.Max(needed, given ?? 0));
    }

    private static TomlTable ManifestTable(LockManifest manifest)
    {
        var table = new TomlTable
        {
            ["schema-version"] = (long)manifest.SchemaVersion,
        };
        if (manifest.RequiresPython is { } requiresPython)
        {
            table["requires-python"] = requiresPython;
        }

        table["environments"] = Strings(manifest.Environments);
        table["requirements"] = Strings(manifest.Requirements);
        table["constraints"] = Strings(manifest.Constraints);
        table["indexes"] = Strings(manifest.Indexes);
        table["find-links"] = Strings(manifest.FindLinks);
        if (manifest.IndexPins.Count > 0)
        {
            // Only when there are pins: locks without them keep their bytes.
            table["index-pins"] = Strings(manifest.IndexPins);
        }

        table["resolution"] = manifest.Resolution;
        table["prerelease"] = manifest.Prerelease;
        table["forks"] = Strings(manifest.Forks);
        table["extras"] = Scopes(manifest.Extras);
        table["dependency-groups"] = Scopes(manifest.DependencyGroups);
        return table;
    }

    private static TomlTable Scopes(IReadOnlyDictionary<string, IReadOnlyList<string>> scopes)
    {
        var table = new TomlTable();
        foreach (var scope in scopes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            table[scope.Key] = Strings(scope.Value);
        }

        return table;
    }

    private static TomlArray Strings(IEnumerable<string> values)
    {
        var array = new TomlArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    /// <summary>A blank line before every table header, for people reading diffs.</summary>
    private static string Spaced(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var output = new StringBuilder(text.Length + 256);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '[' && output.Length > 0)
            {
                output.Append('\n');
            }

            output.Append(line).Append('\n');
        }

        return output.ToString();
    }
}
