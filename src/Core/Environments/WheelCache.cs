using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>
/// The global cache of unpacked wheels, keyed by the archive's sha256: each wheel is unpacked and checked
/// against its RECORD once, then every venv hard-links its files. Entries appear atomically (unpacked to a
/// temporary folder, renamed into place under a cross-process lock), so concurrent builds share it safely.
/// </summary>
public sealed class WheelCache
{
    private const string Folder = "wheels-v1";

    public WheelCache(string cacheDirectory)
    {
        Root = Path.Combine(Path.GetFullPath(cacheDirectory), Folder);
    }

    /// <summary>The folder holding the unpacked wheels.</summary>
    public string Root { get; }

    private string EntryPath(string sha256) => Path.Combine(Root, sha256.Substring(0, 2), sha256);

    /// <summary>
    /// The cached, intact entry for a wheel archive with this sha256, or null. Intact means every file is there
    /// with its size; with <paramref name="verifyHashes"/>, also with the hash its RECORD gives (for an entry a
    /// hand edit in a venv may have changed through a hard link).
    /// </summary>
    public UnpackedWheel? TryGet(string sha256, bool verifyHashes = false)
    {
        sha256 = sha256.ToLowerInvariant();
        var path = EntryPath(sha256);
        if (!Directory.Exists(path))
        {
            return null;
        }
        var wheel = UnpackedWheel.TryOpen(path, sha256);
        return wheel is not null && verifyHashes && !wheel.FilesMatchRecord() ? null : wheel;
    }

    /// <summary>
    /// Unpacks <paramref name="wheelPath"/> (already verified to have <paramref name="sha256"/>) into the cache,
    /// unless another build did it first (an entry that fails <paramref name="verifyHashes"/> is replaced).
    /// Throws PYENV4004 for an unsafe or inconsistent wheel.
    /// </summary>
    public async Task<UnpackedWheel> AddAsync(string wheelPath, string fileName, string sha256, bool verifyHashes = false, CancellationToken cancellationToken = default)
    {
        sha256 = sha256.ToLowerInvariant();
        var path = EntryPath(sha256);
        using var entryLock = await FileLock.AcquireAsync(path + ".lock", "the wheel cache entry of " + fileName, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (TryGet(sha256, verifyHashes) is { } existing)
        {
            return existing;
        }
        if (Directory.Exists(path))
        {
            // Damaged (files missing, truncated or altered): the lock guarantees nobody is writing it. Venvs
            // linked to the old files keep their own links; the entry gets new files.
            FileSystem.DeleteDirectory(path);
        }
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            var (distInfo, files) = WheelArchive.Unpack(wheelPath, fileName, temp);
            var wheel = new UnpackedWheel(temp, fileName, sha256, distInfo, files);
            File.WriteAllText(Path.Combine(temp, UnpackedWheel.ManifestName), wheel.ManifestText());
            Directory.Move(temp, path);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                FileSystem.DeleteDirectory(temp);
            }
        }
        return TryGet(sha256) ?? throw new IOException($"the wheel cache entry {path} vanished right after it was written");
    }
}

/// <summary>
/// Unpacks a wheel archive and enforces the safety rules of the wheel spec: no entry may escape the target
/// (<c>..</c>, absolute paths, drive letters, symbolic links), every file must be listed in RECORD with the
/// right hash and size, and every RECORD row must be in the archive.
/// </summary>
internal static class WheelArchive
{
    private static readonly string[] UnrecordedNames = { "RECORD", "RECORD.jws", "RECORD.p7s" };

    public static (string DistInfo, List<(string Path, long Size, int Mode)> Files) Unpack(string wheelPath, string fileName, string destination)
    {
        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var files = new List<(string Path, long Size, int Mode)>();
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = ZipFile.OpenRead(wheelPath);
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName;
                if (name.EndsWith("/", StringComparison.Ordinal))
                {
                    Check(fileName, name, root);
                    continue;
                }
                var target = Check(fileName, name, root);
                var mode = 0;
#if NET
                var unix = (entry.ExternalAttributes >> 16) & 0xFFFF;
                if ((unix & 0xF000) == 0xA000)
                {
                    throw Invalid(fileName, $"entry '{name}' is a symbolic link; wheels may only contain regular files");
                }
                mode = (unix & 0x49) != 0 ? 0x1ED : 0x1A4; // 0755 when any execute bit is set, else 0644
#endif
                if (hashes.ContainsKey(name))
                {
                    throw Invalid(fileName, $"entry '{name}' appears twice in the archive");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var input = entry.Open())
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        output.Write(buffer, 0, read);
                    }
                    hashes[name] = hash.GetHashAndReset();
                }
                if (mode != 0)
                {
                    FileSystem.SetMode(target, mode);
                }
                files.Add((name, new FileInfo(target).Length, mode));
            }
        }
        catch (InvalidDataException e)
        {
            throw Invalid(fileName, "it is not a valid zip archive: " + e.Message);
        }

        var distInfo = FindDistInfo(fileName, files.Select(f => f.Path));
        var recordPath = distInfo + "/RECORD";
        if (!hashes.ContainsKey(recordPath))
        {
            throw Invalid(fileName, $"it has no {recordPath}");
        }
        var record = RecordFile.Parse(File.ReadAllText(Path.Combine(root, recordPath.Replace('/', Path.DirectorySeparatorChar)), Encoding.UTF8));
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in record)
        {
            listed.Add(row.Path);
            if (row.Path.EndsWith("/", StringComparison.Ordinal) || UnrecordedNames.Any(n => row.Path == distInfo + "/" + n))
            {
                continue;
            }
            if (!hashes.TryGetValue(row.Path, out var digest))
            {
                throw Invalid(fileName, $"RECORD lists '{row.Path}', which is not in the archive");
            }
            CheckRecordHash(fileName, row, digest, Path.Combine(root, row.Path.Replace('/', Path.DirectorySeparatorChar)));
        }
        foreach (var file in files)
        {
            if (!listed.Contains(file.Path) && !UnrecordedNames.Any(n => file.Path == distInfo + "/" + n))
            {
                throw Invalid(fileName, $"'{file.Path}' is in the archive but not in RECORD");
            }
        }
        return (distInfo, files);
    }

    private static void CheckRecordHash(string fileName, RecordEntry row, byte[] sha256, string path)
    {
        if (row.Size is { } size && size != new FileInfo(path).Length)
        {
            throw Invalid(fileName, $"'{row.Path}' has {new FileInfo(path).Length} bytes but RECORD says {size}");
        }
        if (row.Hash.Length == 0)
        {
            return;
        }
        var equals = row.Hash.IndexOf('=');
        var algorithm = equals > 0 ? row.Hash.Substring(0, equals) : "";
        byte[] digest;
        switch (algorithm)
        {
            case "sha256":
                digest = sha256;
                break;
            case "sha384":
            case "sha512":
                using (var stream = File.OpenRead(path))
                using (HashAlgorithm hasher = algorithm == "sha384" ? SHA384.Create() : SHA512.Create())
                {
                    digest = hasher.ComputeHash(stream);
                }
                break;
            default:
                throw Invalid(fileName, $"RECORD hashes '{row.Path}' with '{algorithm}'; the wheel spec requires sha256 or stronger");
        }
        var expected = algorithm + "=" + Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!string.Equals(expected, row.Hash.TrimEnd('='), StringComparison.Ordinal))
        {
            throw Invalid(fileName, $"'{row.Path}' does not match its RECORD hash ({row.Hash}, the file has {expected})");
        }
    }

    private static string FindDistInfo(string fileName, IEnumerable<string> paths)
    {
        var candidates = paths.Select(p => p.Split('/')[0]).Where(p => p.EndsWith(".dist-info", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }
        // Several dist-info folders: the wheel's own is the one named after its file name's distribution and version.
        var parts = fileName.Split('-');
        var expected = PackageName.Normalize(parts[0]) + "-" + (parts.Length > 1 ? parts[1] : "") + ".dist-info";
        var match = candidates.Where(c => c.IndexOf('-') > 0 && string.Equals(
            PackageName.Normalize(c.Substring(0, c.IndexOf('-'))) + c.Substring(c.IndexOf('-')), expected, StringComparison.OrdinalIgnoreCase)).ToList();
        return match.Count == 1 ? match[0] : throw Invalid(fileName, candidates.Count == 0
            ? "it has no .dist-info folder"
            : "it has several .dist-info folders: " + string.Join(", ", candidates));
    }

    /// <summary>Rejects entry names that could land outside <paramref name="root"/> and returns the target path.</summary>
    internal static string Check(string fileName, string name, string root)
    {
        if (name.Length == 0 || name[0] == '/' || name[0] == '\\' || name.Contains('\\') || name.Contains('\0')
            || (name.Length > 1 && name[1] == ':'))
        {
            throw Invalid(fileName, $"entry '{name}' is an absolute path or uses backslashes");
        }
        if (name.TrimEnd('/').Split('/').Any(segment => segment is ".." or "." || segment.Length == 0))
        {
            throw Invalid(fileName, $"entry '{name}' contains '..', '.' or an empty path segment");
        }
        var target = Path.GetFullPath(Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar)));
        if (!target.StartsWith(root, FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw Invalid(fileName, $"entry '{name}' would be written outside the target folder");
        }
        return target;
    }

    internal static PythonEnvException Invalid(string fileName, string reason)
        => new(DiagnosticCodes.InvalidWheel, $"The wheel {fileName} was not installed: {reason}. Report this to the package's maintainers, or lock a different version.");
}
