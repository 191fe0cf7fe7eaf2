using System;

namespace PythonEnv.Environments;

/// <summary>The two METADATA headers the installer needs, read without parsing the rest (which need not be valid).</summary>
internal static class DistInfoMetadata
{
    /// <summary>The first Name and Version headers of METADATA text (null when absent); headers end at the first blank line.</summary>
    public static (string? Name, string? Version) ReadNameAndVersion(string? text)
    {
        string? name = null, version = null;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }
            if (name is null && line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase))
            {
                name = line.Substring(5).Trim();
            }
            else if (version is null && line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase))
            {
                version = line.Substring(8).Trim();
            }
        }
        return (name, version);
    }
}
