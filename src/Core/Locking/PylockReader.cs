using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using Tomlyn.Model;
using Tomlyn;

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

    private static readonly Dictionary<string, HashSet<string>> OtherSourceKeys = new(StringComparer.Ordinal)
    {
        ["vcs"] = new(StringComparer.Ordinal) { "type", "url", "path", "requested-revision", "commit-id", "subdirectory" },
        ["directory"] = new(StringComparer.Ordinal) { "path", "editable", "subdirectory" },
        ["archive"] = new(StringComparer.Ordinal) { "url", "path", "size", "upload-time", "hashes", "subdirectory" },
    };

    public static PylockFile Load(string path) => Read(File.ReadAllText(path), path);

    public static PylockFile Read(string text, string path) => new Reader(text, path).Read();

    private sealed class Reader
    {
        private readonly string _text;
        private readonly string _path;
        private TomlDocument _document = null!;

        public Reader(string text, string path)
        {
            _text = text;
            _path = path;
        }

        public PylockFile Read()
        {
            _document = TomlDocument.Parse(_text, _path, out var syntaxError);
            if (syntaxError is { } error)
            {
                throw Error(error.Line, $"it is not valid TOML: {error.Message}.");
            }

            var document = _document.Root;
            if (document.Count == 0)
            {
                throw Error(1, "the file is empty.");
            }

            RejectUnknown(document, TopKeys, "at the top level");
            var lockVersion = RequiredString(document, "lock-version");
            CheckLockVersion(document, lockVersion);
            var createdBy = RequiredString(document, "created-by");
            var packages = TableArray(document, "packages", required: true);
            var result = packages.Select(ReadPackage).ToList();
            CheckDuplicates(packages, result);
            var extras = StringArray(document, "extras");
            var badExtra = extras.FirstOrDefault(extra => !PackageName.IsNormalized(extra));
            if (badExtra is not null)
            {
                throw Error(Line(document, "extras"), $"the extra \"{badExtra}\" in \"extras\" is not a normalized name; pylock.toml records \"{(PackageName.IsValid(badExtra) ? PackageName.Normalize(badExtra) : "a valid name")}\".");
            }

            OptionalTable(document, "tool");
            return new PylockFile
            {
                LockVersion = lockVersion,
                Environments = Markers(document, "environments"),
                RequiresPython = RequiresPython(document, "requires-python"),
                Extras = extras,
                DependencyGroups = StringArray(document, "dependency-groups"),
                DefaultGroups = StringArray(document, "default-groups"),
                CreatedBy = createdBy,
                Packages = result,
                Manifest = ReadManifest(document),
            };
        }

        /// <summary>PEP 751: <c>lock-version</c> is a PEP 440 version; readers support 1.x (a later 1.x is read as 1.0, as packaging does).</summary>
        private void CheckLockVersion(TomlTable document, string lockVersion)
        {
            if (!Pep440Version.TryParse(lockVersion, out var version))
            {
                throw Error(Line(document, "lock-version"), $"lock-version \"{lockVersion}\" is not a version such as \"1.0\".");
            }

            if (version.CompareTo(Pep440Version.Parse("1")) < 0 || version.CompareTo(Pep440Version.Parse("2")) >= 0)
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
            Pep440Version? parsedVersion = null;
            if (version is not null && !Pep440Version.TryParse(version, out parsedVersion))
            {
                throw Error(Line(table, "version"), $"version \"{version}\" of {name} is not a PEP 440 version.");
            }

            var index = OptionalString(table, "index");
            if (index is not null && !Uri.TryCreate(index, UriKind.Absolute, out _))
            {
                throw Error(Line(table, "index"), $"index \"{index}\" of {name} is not an absolute URL.");
            }

            var sdist = OptionalTable(table, "sdist") is { } sdistTable ? ReadFile(sdistTable, table, name, parsedVersion, "sdist") : null;
            var wheels = TableArray(table, "wheels", required: false).Select(wheel => ReadFile(wheel, table, name, parsedVersion, "wheel")).ToList();
            CheckAttestationIdentities(table);
            OptionalTable(table, "tool");
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

        /// <summary>PEP 751 <c>attestation-identities</c>: an array of tables, each with a string <c>kind</c>.</summary>
        private void CheckAttestationIdentities(TomlTable package)
        {
            if (!package.TryGetValue("attestation-identities", out var value))
            {
                return;
            }

            if (value is not (TomlArray or TomlTableArray) || ((IEnumerable<object>)value).Any(item => item is not TomlTable identity || identity.TryGetValue("kind", out var kind) is false || kind is not string))
            {
                throw Error(Line(package, "attestation-identities"), "\"attestation-identities\" must be an array of tables, each with a \"kind\" string.");
            }
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

        /// <summary>
        /// A wheel or sdist. Its file name must parse and name the package and version of its entry: one that
        /// disagrees (a hand-edited <c>version</c>, a file pasted under the wrong package) would install one version
        /// and record another, so it is an error at the line that disagrees.
        /// </summary>
        private LockedFile ReadFile(TomlTable table, TomlTable package, string owner, Pep440Version? version, string kind)
        {
            RejectUnknown(table, FileKeys, $"in a {kind} of {owner}");
            var url = OptionalString(table, "url");
            var path = OptionalString(table, "path");
            if (url is null && path is null)
            {
                throw Error(FirstLine(table), $"a {kind} of {owner} has neither \"url\" nor \"path\".");
            }

            CheckLocation(table, url, path, $"a {kind} of {owner}");
            var size = Size(table, $"a {kind} of {owner}");
            var uploadTime = UploadTime(table, $"a {kind} of {owner}");
            var hashes = Hashes(table, $"a {kind} of {owner}");
            var file = new LockedFile
            {
                Name = OptionalString(table, "name"), Url = url, Path = path, Size = size, UploadTime = uploadTime?.DateTime, UploadTimeDigits = uploadTime?.SecondPrecision, Hashes = hashes,
            };
            var fileLine = Line(table, file.Name is not null ? "name" : path is not null ? "path" : "url");
            var (fileProject, fileVersion) = kind == "wheel"
                ? WheelFileName.TryParse(file.FileName, out var wheel) ? (wheel.Name, wheel.Version) : default
                : SdistFileName.TryParse(file.FileName, out var sdist) ? (sdist.Name, sdist.Version) : default;
            if (fileProject is null || fileVersion is null)
            {
                throw Error(fileLine,
                    $"\"{file.FileName}\" is listed as a {kind} of {owner} but is not named like one: {(kind == "wheel" ? "{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl" : "{name}-{version}.tar.gz")}.");
            }

            if (fileProject.Normalized != owner)
            {
                throw Error(fileLine, $"\"{file.FileName}\" is a file of {fileProject.Normalized}, not of {owner}, the package it is listed under.");
            }

            if (version is not null && !fileVersion.Equals(version))
            {
                throw Error(Line(package, "version"),
                    $"version \"{package["version"]}\" of {owner} does not match \"{file.FileName}\" (line {fileLine}), which is version {fileVersion}: the lock would install {fileVersion} and record {version}. " +
                    $"A lock is not edited by hand: to pin {owner}, declare the version you want.");
            }

            return file;
        }

        private long? Size(TomlTable table, string what) =>
            !table.TryGetValue("size", out var value) ? null
            : value is long size && size >= 0 ? size
            : throw Error(Line(table, "size"), $"size of {what} must be a non-negative integer.");

        /// <summary>An optional PEP 751 <c>upload-time</c>: a TOML offset date-time, kept with its fractional digits.</summary>
        private TomlDateTime? UploadTime(TomlTable table, string what)
        {
            if (!table.TryGetValue("upload-time", out var value))
            {
                return null;
            }

            return value is TomlDateTime { Kind: TomlDateTimeKind.OffsetDateTimeByZ or TomlDateTimeKind.OffsetDateTimeByNumber } time
                ? time
                : throw Error(Line(table, "upload-time"), $"upload-time of {what} must be an offset date-time (UTC), e.g. 2024-01-01T00:00:00Z.");
        }

        /// <summary>The required <c>hashes</c> table: at least one algorithm, each a hex digest (a sha256 of 64 digits).</summary>
        private Dictionary<string, string> Hashes(TomlTable table, string what)
        {
            if (!table.ContainsKey("hashes"))
            {
                throw Error(FirstLine(table), $"{what} has no \"hashes\": every file in a lock must be hash-checked.");
            }

            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in Table(table, "hashes"))
            {
                if (pair.Value is not string digest || digest.Length == 0 || !digest.All(Uri.IsHexDigit))
                {
                    throw Error(Line(table, "hashes"), $"hash \"{pair.Key}\" of {what} must be a hexadecimal string.");
                }

                if (pair.Key == "sha256" && digest.Length != 64)
                {
                    throw Error(Line(table, "hashes"), $"the sha256 of {what} has {digest.Length} hex digits, not 64.");
                }

                hashes[pair.Key] = digest.ToLowerInvariant();
            }

            return hashes.Count > 0 ? hashes : throw Error(Line(table, "hashes"), $"{what} has an empty \"hashes\" table.");
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
            RejectUnknown(table, OtherSourceKeys[kind], $"in {what}");
            OptionalString(table, "subdirectory");
            switch (kind)
            {
                case "vcs":
                    RequiredString(table, "type");
                    RequiredString(table, "commit-id");
                    OptionalString(table, "requested-revision");
                    break;
                case "directory":
                    if (table.TryGetValue("editable", out var editable) && editable is not bool)
                    {
                        throw Error(Line(table, "editable"), $"\"editable\" of {what} must be true or false.");
                    }

                    break;
                default:
                    Size(table, what);
                    UploadTime(table, what);
                    Hashes(table, what);
                    break;
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
            if (!tool.TryGetValue(PylockFile.ToolName, out var value))
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
                IndexPins = StringArray(table, "index-pins"),
                Resolution = OptionalString(table, "resolution") ?? ResolverOptionNames.Name(ResolverOptionNames.DefaultStrategy),
                Prerelease = OptionalString(table, "prerelease") ?? ResolverOptionNames.Name(ResolverOptionNames.DefaultPrerelease),
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

        private TomlTable? OptionalTable(TomlTable table, string key) => table.ContainsKey(key) ? Table(table, key) : null;

        private int Line(TomlTable table, string key) => _document.Line(table, key);

        private int FirstLine(TomlTable table) => _document.Line(table);

        /// <summary>PYENV3002 at the line; every mode refuses such a lock, so the message says how to get a valid one.</summary>
        private PythonEnvException Error(int line, string message) =>
            new(DiagnosticCodes.InvalidLock,
                $"{Path.GetFileName(_path)} is invalid: {message} Fix that line, or delete the file and run '{PylockFile.FixCommand}' to re-lock.",
                _path, line);
    }
}
