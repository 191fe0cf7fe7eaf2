using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using PythonEnv.Diagnostics;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// Installs an unpacked wheel into a venv per "Binary distribution format" and "Recording installed
/// projects", and uninstalls a distribution through its RECORD. Files are hard-linked from the cache
/// (copied when linking is impossible); only generated files (RECORD, INSTALLER, rewritten and entry-point
/// scripts) are written anew.
/// </summary>
public static class WheelInstaller
{
    /// <summary>The INSTALLER file's content: who installed the distribution.</summary>
    public const string InstallerName = "pythonenv-sdk";

    /// <summary>
    /// Written last into the dist-info folder: the sha256 of the wheel the distribution came from. Its
    /// presence means the install completed; its value lets exact sync keep unchanged distributions.
    /// </summary>
    public const string SourceFile = "pythonenv-sdk.json";

    private static readonly string[] Schemes = { "purelib", "platlib", "headers", "scripts", "data" };

    /// <summary>
    /// Installs <paramref name="wheel"/> into <paramref name="venv"/>; returns the installed dist-info folder.
    /// <paramref name="sourceSha256"/> is the locked artifact it came from (the sdist, for a built wheel).
    /// </summary>
    public static string Install(UnpackedWheel wheel, VirtualEnvironment venv, bool requested, string? sourceSha256 = null)
        => Plan(wheel, venv, requested, sourceSha256).Apply();

    /// <summary>
    /// Works out and validates the install of <paramref name="wheel"/> into <paramref name="venv"/> without
    /// touching it: the wheel names itself consistently (file name, dist-info folder, METADATA and, when given,
    /// the locked <paramref name="expected"/> package agree on name and version), every target stays inside the
    /// venv and out of the venv's own files and other distributions' metadata, and every entry point is valid.
    /// Throws PYENV4004 otherwise.
    /// </summary>
    public static WheelInstall Plan(UnpackedWheel wheel, VirtualEnvironment venv, bool requested, string? sourceSha256 = null, PlannedPackage? expected = null)
    {
        WheelIdentity.Check(wheel, expected);
        var metadata = wheel.WheelMetadata;
        if (!metadata.TryGetValue("Wheel-Version", out var wheelVersion) || !wheelVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw WheelArchive.Invalid(wheel.FileName, $"its WHEEL file declares Wheel-Version '{wheelVersion}'; only 1.x is supported");
        }
        var rootIsPurelib = metadata.TryGetValue("Root-Is-Purelib", out var purelib) && purelib.Equals("true", StringComparison.OrdinalIgnoreCase);
        var rootFolder = rootIsPurelib ? venv.PureLib : venv.PlatLib;
        var distInfoTarget = Path.Combine(rootFolder, wheel.DistInfo);
        var distributionName = wheel.DistInfo.Substring(0, wheel.DistInfo.IndexOf('-') is var dash and > 0 ? dash : wheel.DistInfo.Length - ".dist-info".Length);
        var targets = new InstallTargets(wheel, venv);

        var originalHashes = RecordFile.Parse(File.ReadAllText(wheel.PathOf(wheel.DistInfo + "/RECORD"), Encoding.UTF8))
            .GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var files = new List<InstallFile>();
        void Link(string path, string target, long size, int mode)
        {
            var row = originalHashes.TryGetValue(path, out var found) ? found : null;
            files.Add(new InstallFile(wheel.PathOf(path), target, null, mode, row?.Hash ?? "", row?.Size ?? size));
        }
        void Write(string target, byte[] content, int mode)
            => files.Add(new InstallFile("", target, content, mode, Hashing.RecordHash(Hashing.Sha256(content)), content.Length));

        foreach (var (path, size, mode) in wheel.Files)
        {
            if (path.StartsWith(wheel.DistInfo + "/", StringComparison.Ordinal))
            {
                var name = path.Substring(wheel.DistInfo.Length + 1);
                if (name is "RECORD" or "RECORD.jws" or "RECORD.p7s" or "INSTALLER" or "REQUESTED" or SourceFile)
                {
                    continue; // rewritten below; a signature no longer matches the installed RECORD
                }
                Link(path, targets.Resolve(distInfoTarget, name, ownMetadata: true), size, mode);
            }
            else if (path.StartsWith(wheel.DataFolder + "/", StringComparison.Ordinal))
            {
                var rest = path.Substring(wheel.DataFolder.Length + 1);
                var slash = rest.IndexOf('/');
                var scheme = slash > 0 ? rest.Substring(0, slash) : rest;
                if (slash < 0 || !Schemes.Contains(scheme))
                {
                    throw WheelArchive.Invalid(wheel.FileName, $"'{path}' is not in one of the .data schemes ({string.Join(", ", Schemes)})");
                }
                var relative = rest.Substring(slash + 1);
                if (scheme == "scripts")
                {
                    if (relative.Contains('/'))
                    {
                        throw WheelArchive.Invalid(wheel.FileName, $"the script '{path}' is in a subfolder; scripts go directly into the scripts folder");
                    }
                    Write(targets.Script(relative, $"the script '{path}'"), RewriteShebang(File.ReadAllBytes(wheel.PathOf(path)), venv), 0x1ED);
                    continue;
                }
                var schemeRoot = scheme switch
                {
                    "purelib" => venv.PureLib,
                    "platlib" => venv.PlatLib,
                    "headers" => venv.HeadersFor(distributionName),
                    _ => venv.Data,
                };
                Link(path, targets.Resolve(schemeRoot, relative), size, mode);
            }
            else
            {
                Link(path, targets.Resolve(rootFolder, path), size, mode);
            }
        }

        foreach (var entryPoint in ScriptEntryPoints(wheel))
        {
            try
            {
                if (venv.BaseInterpreter.IsWindows)
                {
                    var (script, cmd) = entryPoint.WindowsScripts(Path.GetFileName(venv.Python));
                    Write(targets.Script(entryPoint.Name + "-script.py", $"the entry point '{entryPoint.Name}'", entryPoint.Name), Encoding.UTF8.GetBytes(script), 0);
                    Write(targets.Script(entryPoint.Name + ".cmd", $"the entry point '{entryPoint.Name}'", entryPoint.Name), Encoding.UTF8.GetBytes(cmd), 0);
                }
                else
                {
                    Write(targets.Script(entryPoint.Name, $"the entry point '{entryPoint.Name}'"), Encoding.UTF8.GetBytes(entryPoint.PosixScript(venv.Python)), 0x1ED);
                }
            }
            catch (FormatException e)
            {
                throw WheelArchive.Invalid(wheel.FileName, e.Message);
            }
        }

        var generated = new List<(string Target, byte[] Content)>
        {
            (Path.Combine(distInfoTarget, "INSTALLER"), Encoding.UTF8.GetBytes(InstallerName + "\n")),
        };
        if (requested)
        {
            generated.Add((Path.Combine(distInfoTarget, "REQUESTED"), Array.Empty<byte>()));
        }
        var source = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["wheel"] = wheel.FileName, ["sha256"] = (sourceSha256 ?? wheel.Sha256).ToLowerInvariant() }));

        // RECORD: what will be installed, with hashes (the wheel's for linked files, fresh for generated ones).
        var rows = new List<RecordEntry>();
        foreach (var file in files)
        {
            rows.Add(new RecordEntry(RecordFile.RelativePath(rootFolder, file.Target), file.Hash, file.Size));
        }
        foreach (var (target, content) in generated.Concat(new[] { (Path.Combine(distInfoTarget, SourceFile), source) }))
        {
            rows.Add(new RecordEntry(RecordFile.RelativePath(rootFolder, target), Hashing.RecordHash(Hashing.Sha256(content)), content.Length));
        }
        rows.Add(new RecordEntry(RecordFile.RelativePath(rootFolder, Path.Combine(distInfoTarget, "RECORD")), "", null));
        return new WheelInstall(wheel, distInfoTarget, files, generated, source, RecordFile.Write(rows));
    }

    /// <summary>The wheel's console and GUI entry points, parsed and their names checked.</summary>
    private static IEnumerable<EntryPoint> ScriptEntryPoints(UnpackedWheel wheel)
    {
        if (wheel.ReadDistInfoFile("entry_points.txt") is not { } text)
        {
            return Array.Empty<EntryPoint>();
        }
        try
        {
            var scripts = EntryPoint.ParseFile(text, wheel.DistInfo + "/entry_points.txt").Where(e => e.IsScript).ToList();
            foreach (var script in scripts)
            {
                script.CheckScriptName();
            }
            return scripts;
        }
        catch (FormatException e)
        {
            throw WheelArchive.Invalid(wheel.FileName, e.Message);
        }
    }

    /// <summary>
    /// The wheel sha256 a distribution was installed from, or null when the SDK did not install it or its
    /// install did not finish.
    /// </summary>
    public static string? InstalledFrom(string distInfoFolder)
    {
        var path = Path.Combine(distInfoFolder, SourceFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("sha256", out var sha) ? sha.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes a distribution: every file its RECORD lists (never anything outside the venv), the bytecode
    /// Python compiled for them, folders left empty, and the dist-info folder. Files in <paramref name="keep"/>
    /// (full paths another distribution that stays also owns) are left.
    /// </summary>
    public static void Uninstall(string distInfoFolder, VirtualEnvironment venv, ISet<string>? keep = null)
    {
        var siteFolder = Path.GetDirectoryName(Path.GetFullPath(distInfoFolder).TrimEnd(Path.DirectorySeparatorChar))!;
        var recordPath = Path.Combine(distInfoFolder, "RECORD");
        var folders = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(recordPath))
        {
            foreach (var row in RecordFile.Parse(File.ReadAllText(recordPath, Encoding.UTF8)))
            {
                var path = Path.GetFullPath(Path.Combine(siteFolder, row.Path.Replace('/', Path.DirectorySeparatorChar)));
                if (!IsInside(venv.Root, path) || venv.IsOwnFile(path) || keep?.Contains(path) == true)
                {
                    continue; // a RECORD may not make us delete anything outside the venv, the venv's own files or another's
                }
                FileSystem.DeleteFile(path);
                var folder = Path.GetDirectoryName(path)!;
                folders.Add(folder);
                if (path.EndsWith(".py", StringComparison.Ordinal))
                {
                    var cache = Path.Combine(folder, "__pycache__");
                    if (Directory.Exists(cache))
                    {
                        foreach (var pyc in Directory.GetFiles(cache, Path.GetFileNameWithoutExtension(path) + ".*.pyc"))
                        {
                            FileSystem.DeleteFile(pyc);
                        }
                        folders.Add(cache);
                    }
                }
            }
        }
        FileSystem.DeleteDirectory(distInfoFolder);
        // Deepest first, so a package folder goes once its subfolders have.
        var roots = new HashSet<string>(new[] { venv.Root, venv.PureLib, venv.PlatLib, venv.Scripts, venv.Data }.Select(p => Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar)), StringComparer.Ordinal);
        foreach (var folder in folders.OrderByDescending(f => f.Length))
        {
            var current = folder;
            while (IsInside(venv.Root, current) && !roots.Contains(current) && Directory.Exists(current) && !Directory.EnumerateFileSystemEntries(current).Any())
            {
                Directory.Delete(current);
                current = Path.GetDirectoryName(current)!;
            }
        }
    }

    internal static bool IsInside(string root, string path)
    {
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(prefix, FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>
    /// A script in <c>.data/scripts</c> whose first line is <c>#!python</c> (or <c>#!pythonw</c>) gets the
    /// venv's interpreter instead, per the wheel spec; any other script is installed unchanged.
    /// </summary>
    internal static byte[] RewriteShebang(byte[] content, VirtualEnvironment venv)
    {
        var magic = Encoding.ASCII.GetBytes("#!python");
        if (content.Length < magic.Length || !content.Take(magic.Length).SequenceEqual(magic))
        {
            return content;
        }
        var lineEnd = Array.IndexOf(content, (byte)'\n');
        var firstLine = Encoding.UTF8.GetString(content, 0, lineEnd < 0 ? content.Length : lineEnd).TrimEnd('\r');
        var rest = firstLine.Substring(magic.Length);
        if (rest.Length > 0 && rest != "w" && !char.IsWhiteSpace(rest[0]))
        {
            return content; // e.g. "#!python3.12-config": not the placeholder
        }
        var python = venv.Python;
        var shebang = EntryPoint.Shebang(python);
        if (shebang.StartsWith("#!" + python + "\n", StringComparison.Ordinal) && rest != "w")
        {
            shebang = "#!" + python + rest + "\n"; // keep interpreter options such as "#!python -E"
        }
        var body = lineEnd < 0 ? Array.Empty<byte>() : content.Skip(lineEnd + 1).ToArray();
        return Encoding.UTF8.GetBytes(shebang).Concat(body).ToArray();
    }
}
