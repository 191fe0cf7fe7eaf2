using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;

namespace PythonEnv.IO;

/// <summary>
/// SHA-256 in the two spellings the standards use (hex for lock files and indexes, urlsafe base64 for RECORD),
/// and, as an instance, the check of a download: in one pass the SHA-256 of a file (the cache key and what locks
/// record) and every hash the index gave that this platform can compute, then which one, if any, does not match.
/// </summary>
internal sealed class Hashing : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _expected;
    private readonly Dictionary<string, IncrementalHash> _hashes = new(StringComparer.Ordinal);

    public Hashing(IReadOnlyDictionary<string, string> expected)
    {
        _expected = expected;
        Reset();
    }

    public readonly record struct Mismatch(string Algorithm, string Expected, string Actual);

    public static byte[] Sha256(byte[] data)
    {
#if NET
        return SHA256.HashData(data);
#else
        using var sha = SHA256.Create();
        return sha.ComputeHash(data);
#endif
    }

    public static byte[] Sha256(Stream stream)
    {
#if NET
        return SHA256.HashData(stream);
#else
        using var sha = SHA256.Create();
        return sha.ComputeHash(stream);
#endif
    }

    public static string Sha256Hex(byte[] data) => Hex.Lower(Sha256(data));

    public static string Sha256Hex(byte[] data, int offset, int count)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data, offset, count);
        return Hex.Lower(sha.GetHashAndReset());
    }

    public static string Sha256HexOfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        return Hex.Lower(Sha256(stream));
    }

    /// <summary>The RECORD spelling: <c>sha256=</c> + urlsafe base64 without padding.</summary>
    public static string RecordHash(byte[] digest)
        => "sha256=" + Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Checks a body already in memory against the expected hashes.</summary>
    public static Mismatch? FirstMismatch(IReadOnlyDictionary<string, string> expected, byte[] body)
    {
        using var hashing = new Hashing(expected);
        hashing.Append(body, body.Length);
        return hashing.FirstMismatch(hashing.Finish());
    }

    /// <summary>Starts over (a retried download streams the body again).</summary>
    public void Reset()
    {
        foreach (var hash in _hashes.Values)
        {
            hash.Dispose();
        }

        _hashes.Clear();
        _hashes["sha256"] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var algorithm in _expected.Keys)
        {
            if (!_hashes.ContainsKey(algorithm) && Create(algorithm) is { } hash)
            {
                _hashes[algorithm] = hash;
            }
        }
    }

    public void Append(byte[] buffer, int count)
    {
        foreach (var hash in _hashes.Values)
        {
            hash.AppendData(buffer, 0, count);
        }
    }

    public Dictionary<string, string> Finish()
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in _hashes)
        {
            digests[pair.Key] = Hex.Lower(pair.Value.GetHashAndReset());
        }

        return digests;
    }

    public Mismatch? FirstMismatch(IReadOnlyDictionary<string, string> digests)
    {
        foreach (var pair in _expected)
        {
            if (digests.TryGetValue(pair.Key, out var actual) && !string.Equals(actual, pair.Value, StringComparison.OrdinalIgnoreCase))
            {
                return new Mismatch(pair.Key, pair.Value, actual);
            }
        }

        return null;
    }

    private static IncrementalHash? Create(string algorithm) => algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        // Old indexes give only md5; checking it still catches corruption.
        "md5" => IncrementalHash.CreateHash(HashAlgorithmName.MD5),
        _ => null,
    };

    public void Dispose()
    {
        foreach (var hash in _hashes.Values)
        {
            hash.Dispose();
        }
    }
}
