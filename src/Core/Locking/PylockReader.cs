using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Locking;

/// <summary>
/// Reads <c>pylock.toml</c> with full validation against the specification. Anything malformed (bad TOML,
/// a missing or mistyped key, an unknown key, an invalid name, version or hash, an entry without files) is
/// PYENV3002 naming the file, the line and what is wrong; nothing is silently ignored.
/// </summary>
public static class PylockReader
{
    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal)
    {
        "lock-version", "environments", "requires-python", "extras", "dependency-groups", "default-groups", "created-by", "packages", "tool",
    };

    private static readonly HashSet<string> PackageKeys = new(StringComparer.Ordinal)
    {
        "name", "version", "marker", "requires-python", "dependencies", "index", "vcs", "directory", "archive", "sdist", "wheels", "attestation-identities", "tool",
    };

    private static readonly HashSet<string> FileKeys = new(StringComparer.Ordinal) { "name", "upload-time", "url", "path", "size", "hashes" };

    public static PylockFile Load(string path) => Read(File.ReadAllText(path), path);

    public static PylockFile Read(string text, string path) => new Reader(text, path).Read();

    private sealed class Reader
    {
        private readonly string _text;
        private readonly string _path;
        private readonly TomlMetadataStore _metadata = new();

        public Reader(string text, string path)
        {
            _text = text;
            _path = path;
        }

        public PylockFile Read()
        {
            TomlTable document;
            try
            {
                document = TomlSerializer.Deserialize<TomlTable>(_text, new TomlSerializerOptions { MetadataStore = _metadata, SourceName = _path })
                    ?? throw Error(1, "the file is empty");
            }
            catch (TomlException e)
            {
                var message = e.Diagnostics is { Count: > 0 } diagnostics ? diagnostics[0].Message : e.Message;
                throw new PythonEnvException(DiagnosticCodes.InvalidLock, $"pylock.toml is not valid TOML: {message}. Fix the file or delete it to re-lock.", _path, e.Line ?? 0, e.Column ?? 0, e);
            }

            RejectUnknown(document, TopKeys, "at the top level");
            var lockVersion = RequiredString(document, "lock-version");
            CheckLockVersion(document, lockVersion);
            var createdBy = RequiredString(document, "created-by");
            var packages = TableArray(document, "packages", required: true);
            var result = packages.Select(ReadPackage).ToList();
            CheckDuplicates(packages, result);
            return new PylockFile
            {
                LockVersion = lockVersion,
                Environments = Markers(document, "environments"),
                RequiresPython = RequiresPython(document, "requires-python"),
                Extras = StringArray(document, "extras"),
                DependencyGroups = StringArray(document, "dependency-groups"),
                DefaultGroups = StringArray(document, "default-groups"),
                CreatedBy = createdBy,
                Packages = result,
                Manifest = ReadManifest(document),
            };
        }

        private void CheckLockVersion(TomlTable document, string lockVersion)
        {
            var parts = lockVersion.Split('.');
            if (parts.Length != 2 || !parts.All(part => part.Length > 0 && part.All(char.IsDigit)))
            {
                throw Error(Line(document, "lock-version"), $"lock-version \"{lockVersion}\" is not a version of the form \"1.0\".");
            }

            if (parts[0] != "1")
            {
                throw Error(Line(document, "lock-version"), $"lock-version \"{lockVersion}\" is not supported: this SDK reads lock version 1.x. Re-lock with this SDK or upgrade it.");
            }
        }

        private LockedPackage ReadPackage(TomlTable table)
        {
            RejectUnknown(table, PackageKeys, "in a [[packages]] entry");
            var name = RequiredString(table, "name");
            if (!PackageName.IsValid(name))
            {
                throw Error(Line(table, "name"), $"package name \"{name}\" is not a valid package name.");
            }

            if (!PackageName.IsNormalized(name))
            {
                throw Error(Line(table, "name"), $"package name \"{name}\" is not normalized; pylock.toml records \"{PackageName.Normalize(name)}\".");
            }

            var version = OptionalString(table, "version");
            if (version is not null && !Pep440Version.TryParse(version, out _))
            {
                throw Error(Line(table, "version"), $"version \"{version}\" of {name} is not a PEP 440 version.");
            }

            var index = OptionalString(table, "index");
            if (index is not null && !Uri.TryCreate(index, UriKind.Absolute, out _))
            {
                throw Error(Line(table, "index"), $"index \"{index}\" of {name} is not an absolute URL.");
            }

            var sdist = table.ContainsKey("sdist") ? ReadFile(Table(table, "sdist"), name, "sdist") : null;
            var wheels = TableArray(table, "wheels", required: false).Select(wheel => ReadFile(wheel, name, "wheel")).ToList();
            var others = new[] { "vcs", "directory", "archive" }.Where(table.ContainsKey).ToList();
            foreach (var other in others)
            {
                CheckOtherSource(Table(table, other), other, name);
            }

            if (others.Count > 1 || (others.Count == 1 && (sdist is not null || wheels.Count > 0)))
            {
                var keys = others.Concat(sdist is null ? [] : ["sdist"]).Concat(wheels.Count == 0 ? [] : ["wheels"]);
                throw Error(Line(table, others[0]), $"{name} has {string.Join(" and ", keys)}; a package comes from exactly one kind of source.");
            }

            if (others.Count == 0 && sdist is null && wheels.Count == 0)
            {
                throw Error(FirstLine(table), $"{name} {version} has no sdist, wheels, archive, directory or vcs: there is nothing to install.");
            }

            return new LockedPackage
            {
                Name = name,
                Version = version,
                Marker = Marker(table, "marker", $"the marker of {name} {version}"),
                RequiresPython = RequiresPython(table, $"the requires-python of {name} {version}"),
                Index = index,
                Dependencies = ReadDependencies(table, name),
                Sdist = sdist,
                Wheels = wheels,
                OtherSourceKind = others.FirstOrDefault(),
            };
        }

        /// <summary>An optional PEP 508 marker; one that does not parse is an error at its line.</summary>
        private string? Marker(TomlTable table, string key, string what)
        {
            var text = OptionalString(table, key);
            if (text is not null && !MarkerExpression.TryParse(text, out _))
            {
                throw Error(Line(table, key), $"{what}, \"{text}\", is not a PEP 508 marker.");
            }

            return text;
        }

        private List<string> Markers(TomlTable table, string key)
        {
            var markers = StringArray(table, key);
            var bad = markers.FirstOrDefault(text => !MarkerExpression.TryParse(text, out _));
            return bad is null ? markers : throw Error(Line(table, key), $"\"{bad}\" in \"{key}\" is not a PEP 508 marker.");
        }

        /// <summary>An optional requires-python; one that is not a PEP 440 specifier set is an error at its line.</summary>
        private string? RequiresPython(TomlTable table, string what)
        {
            var text = OptionalString(table, "requires-python");
            if (text is not null && !SpecifierSet.TryParse(text, out _))
            {
                throw Error(Line(table, "requires-python"), $"{what}, \"{text}\", is not a PEP 440 version specifier set.");
            }

            return text;
        }

        private List<LockedDependency> ReadDependencies(TomlTable table, string owner)
        {
            if (!table.TryGetValue("dependencies", out var value))
            {
                return [];
            }

            if (value is not TomlArray array)
            {
                throw Error(Line(table, "dependencies"), $"dependencies of {owner} must be an array of tables.");
            }

            var dependencies = new List<LockedDependency>();
            foreach (var item in array)
            {
                if (item is not TomlTable entry || !entry.TryGetValue("name", out var name) || name is not string dependencyName)
                {
                    throw Error(Line(table, "dependencies"), $"each dependency of {owner} must be a table with a \"name\" string.");
                }

                dependencies.Add(new LockedDependency(dependencyName, entry.TryGetValue("version", out var v) ? v as string : null, entry.TryGetValue("marker", out var m) ? m as string : null));
            }

            return dependencies;
        }

        private LockedFile ReadFile(TomlTable table, string owner, string kind)
        {
            RejectUnknown(table, FileKeys, $"in a {kind} of {owner}");
            var url = OptionalString(table, "url");
            var path = OptionalString(table, "path");
            if (url is null && path is null)
            {
                throw Error(FirstLine(table), $"a {kind} of {owner} has neither \"url\" nor \"path\".");
            }

            CheckLocation(table, url, path, $"a {kind} of {owner}");
            long? size = null;
            if (table.TryGetValue("size", out var sizeValue))
            {
                if (sizeValue is not long number || number < 0)
                {
                    throw Error(Line(table, "size"), $"size of a {kind} of {owner} must be a non-negative integer.");
                }

                size = number;
            }

            DateTimeOffset? uploadTime = null;
            if (table.TryGetValue("upload-time", out var timeValue))
            {
                if (timeValue is not TomlDateTime time || time.Kind is not (TomlDateTimeKind.OffsetDateTimeByZ or TomlDateTimeKind.OffsetDateTimeByNumber))
                {
                    throw Error(Line(table, "upload-time"), $"upload-time of a {kind} of {owner} must be an offset date-time (UTC), e.g. 2024-01-01T00:00:00Z.");
                }

                uploadTime = time.DateTime;
            }

            if (!table.ContainsKey("hashes"))
            {
                throw Error(FirstLine(table), $"a {kind} of {owner} has no \"hashes\": every file in a lock must be hash-checked.");
            }

            var hashTable = Table(table, "hashes");
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in hashTable)
            {
                if (pair.Value is not string digest || digest.Length == 0 || !digest.All(Uri.IsHexDigit))
                {
                    throw Error(Line(table, "hashes"), $"hash \"{pair.Key}\" of a {kind} of {owner} must be a hexadecimal string.");
                }

                if (pair.Key == "sha256" && digest.Length != 64)
                {
                    throw Error(Line(table, "hashes"), $"the sha256 of a {kind} of {owner} has {digest.Length} hex digits, not 64.");
                }

                hashes[pair.Key] = digest.ToLowerInvariant();
            }

            if (hashes.Count == 0)
            {
                throw Error(Line(table, "hashes"), $"a {kind} of {owner} has an empty \"hashes\" table.");
            }

            var file = new LockedFile { Name = OptionalString(table, "name"), Url = url, Path = path, Size = size, UploadTime = uploadTime, Hashes = hashes };
            var expected = kind == "wheel" ? file.FileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase)
                : file.FileName.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || file.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
            if (!expected)
            {
                throw Error(FirstLine(table), $"\"{file.FileName}\" is listed as a {kind} of {owner} but is not named like one.");
            }

            return file;
        }

        /// <summary>A <c>url</c> must be absolute; a <c>path</c> (relative to the lock file's directory, or absolute) must be a path.</summary>
        private void CheckLocation(TomlTable table, string? url, string? path, string what)
        {
            if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw Error(Line(table, "url"), $"url \"{url}\" of {what} is not an absolute URL.");
            }

            if (path is not null && !LockPaths.IsValid(path))
            {
                throw Error(Line(table, "path"), $"path \"{path}\" of {what} is not a file path; write it relative to the lock file's directory with / separators, or absolute.");
            }
        }

        /// <summary>The keys PEP 751 requires of a <c>vcs</c>, <c>directory</c> or <c>archive</c> source, so a lock another tool wrote is read faithfully.</summary>
        private void CheckOtherSource(TomlTable table, string kind, string owner)
        {
            var what = $"the {kind} of {owner}";
            var url = OptionalString(table, "url");
            var path = OptionalString(table, "path");
            if (kind == "directory" ? path is null : url is null && path is null)
            {
                throw Error(FirstLine(table), kind == "directory" ? $"{what} has no \"path\"." : $"{what} has neither \"url\" nor \"path\".");
            }

            CheckLocation(table, url, path, what);
            var required = kind switch
            {
                "vcs" => new[] { "type", "commit-id" },
                _ => [],
            };
            foreach (var key in required)
            {
                RequiredString(table, key);
            }

            if (kind == "archive" && !table.ContainsKey("hashes"))
            {
                throw Error(FirstLine(table), $"{what} has no \"hashes\": every file in a lock must be hash-checked.");
            }
        }

        private void CheckDuplicates(List<TomlTable> tables, List<LockedPackage> packages)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < packages.Count; i++)
            {
                var key = $"{packages[i].Name}\n{packages[i].Version}\n{packages[i].Marker}";
                if (!seen.Add(key))
                {
                    throw Error(Line(tables[i], "name"), $"{packages[i]} is listed twice.");
                }
            }

            var names = new HashSet<string>(packages.Select(package => package.Name), StringComparer.Ordinal);
            for (var i = 0; i < packages.Count; i++)
            {
                foreach (var dependency in packages[i].Dependencies)
                {
                    if (!names.Contains(dependency.Name))
                    {
                        throw Error(Line(tables[i], "dependencies"), $"{packages[i].Name} depends on {dependency.Name}, which has no [[packages]] entry.");
                    }
                }
            }
        }

        private LockManifest? ReadManifest(TomlTable document)
        {
            if (!document.TryGetValue("tool", out var toolValue))
            {
                return null;
            }

            var tool = toolValue as TomlTable ?? throw Error(Line(document, "tool"), "[tool] must be a table.");
            if (!tool.TryGetValue("pythonenv-sdk", out var value))
            {
                return null;
            }

            var table = value as TomlTable ?? throw Error(Line(tool, "pythonenv-sdk"), "[tool.pythonenv-sdk] must be a table.");
            if (!table.TryGetValue("schema-version", out var schema) || schema is not long schemaVersion)
            {
                throw Error(FirstLine(table), "[tool.pythonenv-sdk] has no integer \"schema-version\".");
            }

            return new LockManifest
            {
                SchemaVersion = (int)schemaVersion,
                RequiresPython = OptionalString(table, "requires-python"),
                Environments = StringArray(table, "environments"),
                Requirements = StringArray(table, "requirements"),
                Constraints = StringArray(table, "constraints"),
                Indexes = StringArray(table, "indexes"),
                FindLinks = StringArray(table, "find-links"),
                Resolution = OptionalString(table, "resolution") ?? "highest",
                Prerelease = OptionalString(table, "prerelease") ?? "if-necessary-or-explicit",
                Forks = StringArray(table, "forks"),
                Extras = Scopes(table, "extras"),
                DependencyGroups = Scopes(table, "dependency-groups"),
            };
        }

        private Dictionary<string, IReadOnlyList<string>> Scopes(TomlTable table, string key)
        {
            var scopes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (table.ContainsKey(key))
            {
                var scopeTable = Table(table, key);
                foreach (var name in scopeTable.Keys)
                {
                    scopes[name] = StringArray(scopeTable, name);
                }
            }

            return scopes;
        }

        private void RejectUnknown(TomlTable table, HashSet<string> known, string where)
        {
            foreach (var key in table.Keys)
            {
                if (!known.Contains(key))
                {
                    throw Error(Line(table, key), $"unknown key \"{key}\" {where} (allowed: {string.Join(", ", known.OrderBy(k => k, StringComparer.Ordinal))}).");
                }
            }
        }

        private string RequiredString(TomlTable table, string key) =>
            OptionalString(table, key) ?? throw Error(FirstLine(table), $"the required key \"{key}\" is missing.");

        private string? OptionalString(TomlTable table, string key)
        {
            if (!table.TryGetValue(key, out var value))
            {
                return null;
            }

            return value as string ?? throw Error(Line(table, key), $"\"{key}\" must be a string.");
        }

        private List<string> StringArray(TomlTable table, string key)
        {
            if (!table.TryGetValue(key, out var value))
            {
                return [];
            }

            if (value is not TomlArray array || array.Any(item => item is not string))
            {
                throw Error(Line(table, key), $"\"{key}\" must be an array of strings.");
            }

            return array.Cast<string>().ToList();
        }

        private TomlTable Table(TomlTable table, string key) =>
            table[key] as TomlTable ?? throw Error(Line(table, key), $"\"{key}\" must be a table.");

        private List<TomlTable> TableArray(TomlTable table, string key, bool required)
        {
            if (!table.TryGetValue(key, out var value))
            {
                return required ? throw Error(FirstLine(table), $"the required array \"{key}\" is missing.") : [];
            }

            return value switch
            {
                TomlTableArray tables => tables.ToList(),
                TomlArray array when array.All(item => item is TomlTable) => array.Cast<TomlTable>().ToList(),
                _ => throw Error(Line(table, key), $"\"{key}\" must be an array of tables."),
            };
        }

        private int Line(TomlTable table, string key) =>
            _metadata.TryGetProperties(table, out var properties) && properties!.TryGetProperty(key, out var property) && property!.Span is { } span
                ? span.Start.Line + 1
                : FirstLine(table);

        private int FirstLine(TomlTable table)
        {
            var best = int.MaxValue;
            if (_metadata.TryGetProperties(table, out var properties))
            {
                foreach (var key in table.Keys)
                {
                    if (properties!.TryGetProperty(key, out var property) && property!.Span is { } span)
                    {
                        best = Math.Min(best, span.Start.Line);
                    }
                }
            }

            // Spans count lines from 0; diagnostics from 1.
            return best == int.MaxValue ? 0 : best + 1;
        }

        private PythonEnvException Error(int line, string message) =>
            new(DiagnosticCodes.InvalidLock, $"pylock.toml is invalid: {message}", _path, line);
    }
}
