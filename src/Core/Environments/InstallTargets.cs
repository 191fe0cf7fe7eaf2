using System;
using System.IO;

namespace PythonEnv.Environments;

/// <summary>
/// Where one wheel's files may land in a venv: inside it, never onto the venv's own files (interpreter links,
/// activate scripts, pyvenv.cfg), never into another distribution's metadata folder, and scripts only directly
/// in the scripts folder under a plain file name.
/// </summary>
internal sealed class InstallTargets
{
    private readonly UnpackedWheel _wheel;
    private readonly VirtualEnvironment _venv;
    private readonly string _venvPrefix;
    private readonly string[] _sitePrefixes;

    public InstallTargets(UnpackedWheel wheel, VirtualEnvironment venv)
    {
        _wheel = wheel;
        _venv = venv;
        _venvPrefix = Prefix(venv.Root);
        _sitePrefixes = new[] { Prefix(venv.PureLib), Prefix(venv.PlatLib) };
    }

    private static StringComparison Comparison => FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static string Prefix(string folder) => Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;

    /// <summary>The target of <paramref name="relative"/> ('/'-separated) under <paramref name="root"/>, checked.</summary>
    /// <param name="ownMetadata">True for the files of the wheel's own dist-info folder, the only ones that may go into one.</param>
    public string Resolve(string root, string relative, bool ownMetadata = false)
    {
        var target = WheelArchive.Check(_wheel.FileName, relative, Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
        if (!target.StartsWith(_venvPrefix, Comparison))
        {
            throw WheelArchive.Invalid(_wheel.FileName, $"'{relative}' would be installed outside the virtual environment");
        }
        if (_venv.IsOwnFile(target))
        {
            throw WheelArchive.Invalid(_wheel.FileName, $"'{relative}' would replace {target}, which belongs to the virtual environment itself");
        }
        if (!ownMetadata && MetadataFolderOf(target) is { } folder)
        {
            throw WheelArchive.Invalid(_wheel.FileName, $"'{relative}' would be installed into the metadata folder {folder}; only the wheel's own {_wheel.DistInfo} goes into one");
        }
        return target;
    }

    /// <summary>The target of a script named <paramref name="fileName"/> (from <c>.data/scripts</c> or an entry point), checked.</summary>
    /// <param name="what">Names the script in messages.</param>
    /// <param name="command">The command the script provides, when it differs from the file name (Windows: <c>name.cmd</c>).</param>
    public string Script(string fileName, string what, string? command = null)
    {
        var target = Path.Combine(_venv.Scripts, fileName);
        if (_venv.IsOwnFile(target) || VirtualEnvironment.IsReservedScriptName(command ?? fileName))
        {
            throw WheelArchive.Invalid(_wheel.FileName,
                $"{what} would replace {target}, which belongs to the virtual environment itself (its interpreter or activate scripts); no package may replace those");
        }
        return Resolve(_venv.Scripts, fileName);
    }

    /// <summary>The <c>*.dist-info</c> folder directly in site-packages that <paramref name="target"/> is in, or null.</summary>
    private string? MetadataFolderOf(string target)
    {
        foreach (var site in _sitePrefixes)
        {
            if (!target.StartsWith(site, Comparison))
            {
                continue;
            }
            var separator = target.IndexOf(Path.DirectorySeparatorChar, site.Length);
            if (separator > 0 && target.Substring(site.Length, separator - site.Length).EndsWith(".dist-info", StringComparison.OrdinalIgnoreCase))
            {
                return target.Substring(0, separator);
            }
        }
        return null;
    }
}
