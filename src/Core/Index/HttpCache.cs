using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using PythonEnv.IO;

namespace PythonEnv.Index;

/// <summary>One cached HTTP response: the body and what is needed to judge and revalidate it.</summary>
internal sealed class CacheEntry
{
    public int Status { get; set; }
    public string Url { get; set; } = "";
    /// <summary>Where the body really came from after redirects (base for relative links).</summary>
    public string FinalUrl { get; set; } = "";
    public string? ContentType { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public string? CacheControl { get; set; }
    public DateTimeOffset StoredAt { get; set; }
    public byte[] Body { get; set; } = Array.Empty<byte>();

    /// <summary>
    /// Whether the entry may be used without asking the server (RFC 9111 freshness): <c>no-cache</c> and
    /// a missing <c>max-age</c> mean "revalidate every time"; <c>max-age=N</c> is fresh for N seconds.
    /// </summary>
    public bool IsFresh(DateTimeOffset now)
    {
        var directives = CacheControlDirectives.Parse(CacheControl);
        if (directives.NoCache || directives.NoStore || directives.MaxAge is not { } maxAge)
        {
            return false;
        }

        return now - StoredAt < TimeSpan.FromSeconds(maxAge);
    }

    public bool HasValidator => ETag is not null || LastModified is not null;
}

/// <summary>The <c>Cache-Control</c> directives the client honours.</summary>
internal readonly struct CacheControlDirectives
{
    public bool NoStore { get; init; }
    public bool NoCache { get; init; }
    public long? MaxAge { get; init; }

    public static CacheControlDirectives Parse(string? header)
    {
        bool noStore = false, noCache = false;
        long? maxAge = null;
        if (header is not null)
        {
            foreach (var part in header.Split(','))
            {
                var directive = part.Trim();
                var eq = directive.IndexOf('=');
                var name = (eq < 0 ? directive : directive.Substring(0, eq)).Trim().ToLowerInvariant();
                var value = eq < 0 ? null : directive.Substring(eq + 1).Trim().Trim('"');
                switch (name)
                {
                    case "no-store":
                        noStore = true;
                        break;
                    case "no-cache":
                        noCache = true;
                        break;
                    case "max-age" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                        maxAge = seconds;
                        break;
                }
            }
        }

        return new CacheControlDirectives { NoStore = noStore, NoCache = noCache, MaxAge = maxAge };
    }
}

/// <summary>
/// The on-disk HTTP cache: one file per request key under <c>http-v1/</c>. A file is a magic line, a JSON
/// header line (with the body's length and SHA-256) and the body, written atomically; a file whose body
/// does not match its header (torn, truncated, bit rot) is deleted and reported as a miss.
/// </summary>
internal sealed class HttpCache
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PYENV-HTTP-CACHE 1\n");
    private readonly string _root;

    public HttpCache(string cacheDir) => _root = Path.Combine(cacheDir, "http-v1");

    public string PathFor(string key)
    {
        var hash = Hashing.Sha256Hex(Encoding.UTF8.GetBytes(key), 0, Encoding.UTF8.GetByteCount(key));
        return Path.Combine(_root, hash.Substring(0, 2), hash + ".entry");
    }

    public CacheEntry? TryRead(string key)
    {
        var path = PathFor(key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        var entry = Decode(bytes, key);
        if (entry is null)
        {
            AtomicFile.TryDelete(path);
        }

        return entry;
    }

    public void Write(string key, CacheEntry entry)
    {
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteNumber("status", entry.Status);
            json.WriteString("url", entry.Url);
            json.WriteString("final-url", entry.FinalUrl);
            WriteOptional(json, "content-type", entry.ContentType);
            WriteOptional(json, "etag", entry.ETag);
            WriteOptional(json, "last-modified", entry.LastModified);
            WriteOptional(json, "cache-control", entry.CacheControl);
            json.WriteString("stored-at", entry.StoredAt.ToString("o", CultureInfo.InvariantCulture));
            json.WriteNumber("length", entry.Body.Length);
            json.WriteString("sha256", Hashing.Sha256Hex(entry.Body, 0, entry.Body.Length));
            json.WriteEndObject();
        }

        var content = new byte[Magic.Length + header.Length + 1 + entry.Body.Length];
        Buffer.BlockCopy(Magic, 0, content, 0, Magic.Length);
        Buffer.BlockCopy(header.GetBuffer(), 0, content, Magic.Length, (int)header.Length);
        content[Magic.Length + header.Length] = (byte)'\n';
        Buffer.BlockCopy(entry.Body, 0, content, Magic.Length + (int)header.Length + 1, entry.Body.Length);
        AtomicFile.Write(PathFor(key), content);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static CacheEntry? Decode(byte[] bytes, string key)
    {
        if (bytes.Length < Magic.Length)
        {
            return null;
        }

        for (var i = 0; i < Magic.Length; i++)
        {
            if (bytes[i] != Magic[i])
            {
                return null;
            }
        }

        var end = Array.IndexOf(bytes, (byte)'\n', Magic.Length);
        if (end < 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, Magic.Length, end - Magic.Length));
            var root = doc.RootElement;
            var bodyStart = end + 1;
            var length = root.GetProperty("length").GetInt64();
            if (root.GetProperty("key").GetString() != key || length != bytes.Length - bodyStart
                || root.GetProperty("sha256").GetString() != Hashing.Sha256Hex(bytes, bodyStart, (int)length))
            {
                return null;
            }

            var body = new byte[length];
            Buffer.BlockCopy(bytes, bodyStart, body, 0, (int)length);
            return new CacheEntry
            {
                Status = root.GetProperty("status").GetInt32(),
                Url = root.GetProperty("url").GetString()!,
                FinalUrl = root.GetProperty("final-url").GetString()!,
                ContentType = Optional(root, "content-type"),
                ETag = Optional(root, "etag"),
                LastModified = Optional(root, "last-modified"),
                CacheControl = Optional(root, "cache-control"),
                StoredAt = DateTimeOffset.Parse(root.GetProperty("stored-at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Body = body,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
