using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PythonEnv.Diagnostics;

namespace PythonEnv.Environments;

/// <summary>
/// Unpacks a wheel archive and enforces the safety rules of the wheel spec before a byte lands: no entry may
/// escape the target (<c>..</c>, absolute paths, drive letters, symbolic links), the archive has exactly one
/// top-level <c>.dist-info</c> folder, every file must be listed in RECORD (read first) and every RECORD row
/// must be in the archive. Files are then streamed out, each stopped at the size RECORD declares and the whole
/// at <see cref="UnpackLimits"/>, and checked against RECORD's hash.
/// </summary>
internal static class WheelArchive
{
    private static readonly string[] UnrecordedNames = { "RECORD", "RECORD.jws", "RECORD.p7s" };

    public static (string DistInfo, List<(string Path, long Size, int Mode)> Files) Unpack(string wheelPath, string fileName, string destination, UnpackLimits limits)
    {
        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var files = new List<(string Path, long Size, int Mode)>();
        try
        {
            using var archive = Open(wheelPath, limits);
            var members = Members(archive, fileName, root);
            var distInfo = FindDistInfo(fileName, members.Keys);
            var record = ReadRecord(members, distInfo, fileName, limits);

            // Everything RECORD says is checked against the archive's names before anything is written.
            foreach (var name in members.Keys)
            {
                if (!record.ContainsKey(name) && !IsUnrecorded(distInfo, name))
                {
                    throw Invalid(fileName, $"'{name}' is in the archive but not in RECORD");
                }
            }
            foreach (var row in record.Values)
            {
                if (!row.Path.EndsWith("/", StringComparison.Ordinal) && !IsUnrecorded(distInfo, row.Path) && !members.ContainsKey(row.Path))
                {
                    throw Invalid(fileName, $"RECORD lists '{row.Path}', which is not in the archive");
                }
            }

            var budget = new Budget(fileName, limits.TotalFor(new FileInfo(wheelPath).Length));
            budget.Reserve(members.Values.Sum(m => m.Entry.Length)); // the sizes the archive declares, before any is believed
            // Per file only what must be: one open, one write, close (created with its mode where the runtime can),
            // every folder created once up front, one buffer and one hasher for all. (Unpacking one wheel with
            // several workers measured slower here: file creation in one tree contends in the kernel.)
            var targets = members.Keys.Select(name => Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar))).ToList();
            foreach (var folder in targets.Select(t => Path.GetDirectoryName(t)!).Distinct(StringComparer.Ordinal).OrderBy(f => f.Length))
            {
                Directory.CreateDirectory(folder);
            }
            var buffer = new byte[CopyBuffer];
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var index = 0;
            foreach (var member in members)
            {
                var (name, entry, mode) = (member.Key, member.Value.Entry, member.Value.Mode);
                var target = targets[index++];
                var bound = record.TryGetValue(name, out var row) && row.Size is { } size ? size : long.MaxValue;
                var (digest, length) = Extract(entry, target, mode, bound, budget, fileName, name, buffer, hash);
                if (row is not null)
                {
                    CheckRecordHash(fileName, row, digest, length, target);
                }
                files.Add((name, length, mode));
            }
            return (distInfo, files);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(fileName, "it is not a valid zip archive: " + e.Message);
        }
    }

    /// <summary>
    /// Bytes inflated before they are written: a file up to this size (nearly every file of a wheel) is hashed and
    /// written in one call.
    /// </summary>
    internal const int CopyBuffer = 1 << 18;

    /// <summary>
    /// The archive, read into memory in one go when it is small enough (the zip reader then seeks and reads per
    /// entry in memory instead of with two system calls), else from the file.
    /// </summary>
    private static ZipArchive Open(string wheelPath, UnpackLimits limits)
    {
        var file = new FileStream(wheelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            if (file.Length > limits.MaxInMemoryArchive)
            {
                return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
            }
            var bytes = new byte[file.Length];
            var filled = 0;
            int read;
            while (filled < bytes.Length && (read = file.Read(bytes, filled, bytes.Length - filled)) > 0)
            {
                filled += read;
            }
            file.Dispose();
            if (filled != bytes.Length)
            {
                throw new IOException($"{wheelPath} changed while it was read");
            }
            return new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The archive's files by name, each name checked to stay inside <paramref name="root"/>, with its Unix mode.</summary>
    private static Dictionary<string, (ZipArchiveEntry Entry, int Mode)> Members(ZipArchive archive, string fileName, string root)
    {
        var members = new Dictionary<string, (ZipArchiveEntry, int)>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            Check(fileName, name, root);
            if (name.EndsWith("/", StringComparison.Ordinal))
            {
                continue;
            }
            var mode = 0;
#if NET
            var unix = (entry.ExternalAttributes >> 16) & 0xFFFF;
            if ((unix & 0xF000) == 0xA000)
            {
                throw Invalid(fileName, $"entry '{name}' is a symbolic link; wheels may only contain regular files");
            }
            mode = (unix & 0x49) != 0 ? 0x1ED : 0x1A4; // 0755 when any execute bit is set, else 0644
#endif
            if (members.ContainsKey(name))
            {
                throw Invalid(fileName, $"entry '{name}' appears twice in the archive");
            }
            members.Add(name, (entry, mode));
        }
        return members;
    }

    /// <summary>RECORD, read from the archive into memory (bounded) before any file is unpacked, by path.</summary>
    private static Dictionary<string, RecordEntry> ReadRecord(
        Dictionary<string, (ZipArchiveEntry Entry, int Mode)> members, string distInfo, string fileName, UnpackLimits limits)
    {
        var recordPath = distInfo + "/RECORD";
        if (!members.TryGetValue(recordPath, out var member))
        {
            throw Invalid(fileName, $"it has no {recordPath}");
        }
        using var buffer = new MemoryStream();
        var budget = new Budget(fileName, limits.MaxRecordSize);
        Copy(member.Entry, buffer, long.MaxValue, budget, fileName, recordPath, hash: null);
        var rows = new Dictionary<string, RecordEntry>(StringComparer.Ordinal);
        foreach (var row in RecordFile.Parse(new UTF8Encoding(false).GetString(buffer.ToArray())))
        {
            if (rows.TryGetValue(row.Path, out var earlier) && earlier != row)
            {
                throw Invalid(fileName, $"RECORD lists '{row.Path}' twice, with different hashes or sizes");
            }
            rows[row.Path] = row;
        }
        return rows;
    }

    /// <summary>Streams one entry to <paramref name="target"/> (a new file with <paramref name="mode"/>) within its bounds; returns its sha256 and length.</summary>
    private static (byte[] Sha256, long Length) Extract(
        ZipArchiveEntry entry, string target, int mode, long bound, Budget budget, string fileName, string name, byte[] buffer, IncrementalHash hash)
    {
        if (entry.Length > bound)
        {
            throw Invalid(fileName, $"'{name}' unpacks to {entry.Length} bytes but RECORD says {bound}");
        }
        long length;
#if NET
        // Unbuffered (the copy writes whole buffers) and created with its mode: no chmod afterwards. The umask
        // can only take permissions away.
        // FileShare.None: on Unix any share takes a flock, and for a writer any other share also asks fstatfs first.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (mode != 0 && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = (UnixFileMode)mode;
        }
        using (var output = new FileStream(target, options))
        {
            length = Copy(entry, output, bound, budget, fileName, name, hash, buffer);
            if (mode != 0 && !OperatingSystem.IsWindows() && (mode & 0x49) != 0 && (int)File.GetUnixFileMode(output.SafeFileHandle) != mode)
            {
                FileSystem.SetMode(target, mode); // a umask that removes execute bits: scripts must still run
            }
        }
#else
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            length = Copy(entry, output, bound, budget, fileName, name, hash, buffer);
        }
        if (mode != 0)
        {
            FileSystem.SetMode(target, mode);
        }
#endif
        return (hash.GetHashAndReset(), length);
    }

    /// <summary>
    /// Copies an entry within its bounds; returns the bytes written. The buffer is filled before it is hashed and
    /// written, so a file that fits is one write, not one per chunk the inflater hands out.
    /// </summary>
    private static long Copy(ZipArchiveEntry entry, Stream output, long bound, Budget budget, string fileName, string name, IncrementalHash? hash, byte[]? buffer = null)
    {
        using var input = entry.Open();
        buffer ??= new byte[1 << 16];
        long written = 0;
        var filled = 0;
        int read;
        do
        {
            read = input.Read(buffer, filled, buffer.Length - filled);
            if (written + filled + read > bound)
            {
                throw Invalid(fileName, $"'{name}' unpacks to more than the {bound} bytes RECORD says");
            }
            budget.Spend(read, name);
            filled += read;
            if (filled == buffer.Length || (read == 0 && filled > 0))
            {
                hash?.AppendData(buffer, 0, filled);
                output.Write(buffer, 0, filled);
                written += filled;
                filled = 0;
            }
        }
        while (read > 0);
        return written;
    }

    /// <summary>Bytes a wheel may still unpack to; exceeding it stops the unpack before the excess is written.</summary>
    private sealed class Budget
    {
        private readonly string _fileName;
        private readonly long _total;
        private long _spent;

        public Budget(string fileName, long total)
        {
            _fileName = fileName;
            _total = total;
        }

        public void Reserve(long declared)
        {
            if (declared > _total)
            {
                throw Invalid(_fileName, $"its files declare {declared} bytes unpacked, more than the {_total} bytes a wheel of its size may unpack to (a zip bomb?)");
            }
        }

        public void Spend(int bytes, string name)
        {
            _spent += bytes;
            if (_spent > _total)
            {
                throw Invalid(_fileName, $"it unpacks to more than {_total} bytes (at '{name}'), more than a wheel of its size may (a zip bomb?)");
            }
        }
    }

    private static bool IsUnrecorded(string distInfo, string path) => UnrecordedNames.Any(n => path == distInfo + "/" + n);

    private static void CheckRecordHash(string fileName, RecordEntry row, byte[] sha256, long length, string path)
    {
        if (row.Size is { } size && size != length)
        {
            throw Invalid(fileName, $"'{row.Path}' has {length} bytes but RECORD says {size}");
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

    /// <summary>
    /// The wheel's one top-level <c>.dist-info</c> folder. A second one could only be another distribution's
    /// metadata, which installing would overwrite or forge.
    /// </summary>
    private static string FindDistInfo(string fileName, IEnumerable<string> paths)
    {
        var candidates = paths.Select(p => p.Split('/')[0]).Where(p => p.EndsWith(".dist-info", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw Invalid(fileName, "it has no .dist-info folder"),
            _ => throw Invalid(fileName, "it has several .dist-info folders (" + string.Join(", ", candidates) + "); a wheel holds the metadata of exactly one distribution"),
        };
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
