using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.IO;

namespace PythonEnv.Environments;

/// <summary>
/// A PEP 405 virtual environment for one base interpreter: its folders (from the interpreter's own venv
/// scheme) and how to create it. On POSIX the SDK writes <c>pyvenv.cfg</c> and the layout itself (symbolic
/// links to the base interpreter, as <c>python -m venv</c> makes them, in about a millisecond instead of
/// ~100 ms); on Windows it runs <c>python -m venv --without-pip</c>, because the venv's python.exe there is
/// a launcher copied from the base install that only CPython knows how to place.
/// </summary>
public sealed class VirtualEnvironment
{
    /// <summary>The file present while the SDK is creating a venv: a folder with it is half made, never reused.</summary>
    internal const string CreatingMarker = ".pythonenv-creating";
    private const string ConfigFile = "pyvenv.cfg";

    private VirtualEnvironment(string root, PythonInterpreter baseInterpreter)
    {
        Root = Path.GetFullPath(root);
        BaseInterpreter = baseInterpreter;
        PureLib = baseInterpreter.GetVenvPath("purelib", Root);
        PlatLib = baseInterpreter.GetVenvPath("platlib", Root);
        Scripts = baseInterpreter.GetVenvPath("scripts", Root);
        Data = baseInterpreter.GetVenvPath("data", Root);
        Python = Path.Combine(Scripts, baseInterpreter.IsWindows ? "python.exe" : "python");
    }

    public string Root { get; }

    /// <summary>The interpreter the venv runs on (what <c>home</c> in pyvenv.cfg points at).</summary>
    public PythonInterpreter BaseInterpreter { get; }

    /// <summary>The venv's own python executable.</summary>
    public string Python { get; }

    /// <summary>site-packages for pure-Python files.</summary>
    public string PureLib { get; }

    /// <summary>site-packages for platform-specific files (the same folder in a venv on every OS CPython supports).</summary>
    public string PlatLib { get; }

    /// <summary>bin/ or Scripts\.</summary>
    public string Scripts { get; }

    /// <summary>The <c>data</c> scheme root (the venv root).</summary>
    public string Data { get; }

    /// <summary>Where a distribution's <c>.data/headers</c> go: <c>include/site/pythonX.Y/&lt;name&gt;</c>, as pip installs them in venvs.</summary>
    public string HeadersFor(string distributionName)
        => Path.Combine(Root, "include", "site", "python" + BaseInterpreter.ShortVersion, distributionName);

    /// <summary>
    /// Whether <paramref name="path"/> is one of the venv's own files, which no package may replace: pyvenv.cfg,
    /// the SDK's markers and <c>.gitignore</c> at the root, anything under the <c>lib64</c> link, and in the scripts
    /// folder the interpreter's names, the activate scripts and any symbolic link (packages install no links).
    /// </summary>
    public bool IsOwnFile(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? "";
        var name = Path.GetFileName(full);
        var comparison = FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(folder, Root, comparison))
        {
            return Array.Exists(RootFiles, n => string.Equals(n, name, comparison));
        }
        if (full.StartsWith(Path.Combine(Root, "lib64") + Path.DirectorySeparatorChar, comparison))
        {
            return true;
        }
        if (!string.Equals(folder, Scripts.TrimEnd(Path.DirectorySeparatorChar), comparison))
        {
            return false;
        }
        if (IsReservedScriptName(name) || name == Path.GetFileName(BaseInterpreter.BaseExecutable))
        {
            return true;
        }
        var attributes = new FileInfo(full).Attributes;
        return attributes != (FileAttributes)(-1) && (attributes & FileAttributes.ReparsePoint) != 0;
    }

    /// <summary>
    /// Script names that stand for the venv itself on every OS: <c>python</c>, <c>python3</c>, <c>python3.12</c>,
    /// <c>python3.13t</c>, <c>pythonw</c> (with or without <c>.exe</c>) and the <c>activate</c>/<c>deactivate</c> scripts.
    /// </summary>
    public static bool IsReservedScriptName(string name) => ReservedScriptName.IsMatch(name);

    private static readonly string[] RootFiles = { ConfigFile, CreatingMarker, EnvironmentSync.StampFile, ".gitignore", "lib64" };

    private static readonly Regex ReservedScriptName = new(
        @"^(python(\d+(\.\d+)?)?t?w?(_d)?(\.exe)?|(de)?activate(\..*)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The venv at <paramref name="root"/> viewed through <paramref name="baseInterpreter"/> (nothing is checked or created).</summary>
    public static VirtualEnvironment For(string root, PythonInterpreter baseInterpreter) => new(root, baseInterpreter);

    /// <summary>Reads <c>pyvenv.cfg</c> (key = value lines); null when the folder is not a complete venv.</summary>
    public static IReadOnlyDictionary<string, string>? ReadConfig(string root)
    {
        var path = Path.Combine(root, ConfigFile);
        if (!File.Exists(path) || File.Exists(Path.Combine(root, CreatingMarker)))
        {
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadAllLines(path))
        {
            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
            }
        }
        return values;
    }

    /// <summary>
    /// Whether the venv at <paramref name="root"/> was made for <paramref name="baseInterpreter"/>: same home,
    /// same version, and its python is there. A venv of another interpreter or version must be recreated.
    /// </summary>
    public static bool IsFor(string root, PythonInterpreter baseInterpreter, out string reason)
    {
        var config = ReadConfig(root);
        if (config is null)
        {
            reason = Directory.Exists(root) ? "it has no pyvenv.cfg (not a virtual environment, or a half-created one)" : "it does not exist";
            return false;
        }
        config.TryGetValue("home", out var home);
        config.TryGetValue("version", out var version);
        if (version is null)
        {
            config.TryGetValue("version_info", out version);
        }
        if (!SamePath(home, baseInterpreter.Home))
        {
            reason = $"it was made by the interpreter in '{home}', not '{baseInterpreter.Home}'";
            return false;
        }
        if (version is null || !(version == baseInterpreter.Version || version.StartsWith(baseInterpreter.Version + ".", StringComparison.Ordinal)))
        {
            reason = $"it was made by Python {version ?? "(unknown)"}, not {baseInterpreter.Version}";
            return false;
        }
        if (config.TryGetValue("pythonenv-sdk-executable", out var executable) && !SamePath(executable, baseInterpreter.BaseExecutable))
        {
            reason = $"it was made for '{executable}', not '{baseInterpreter.BaseExecutable}'";
            return false;
        }
        var venv = new VirtualEnvironment(root, baseInterpreter);
        if (!File.Exists(venv.Python))
        {
            reason = $"its interpreter {venv.Python} is missing";
            return false;
        }
        reason = "";
        return true;
    }

    /// <summary>
    /// Returns the venv at <paramref name="root"/>, creating it, or recreating it when it was made by another
    /// interpreter or version or left half made. <paramref name="created"/> says whether it was (re)made.
    /// </summary>
    public static async Task<(VirtualEnvironment Venv, bool Created, string? Reason)> EnsureAsync(
        string root, PythonInterpreter baseInterpreter, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        if (IsFor(root, baseInterpreter, out var reason))
        {
            return (new VirtualEnvironment(root, baseInterpreter), false, null);
        }
        var existed = Directory.Exists(root);
        if (existed)
        {
            RemoveOld(root);
        }
        var venv = await CreateAsync(root, baseInterpreter, cancellationToken).ConfigureAwait(false);
        return (venv, true, existed ? reason : null);
    }

    /// <summary>Creates a fresh venv at <paramref name="root"/> (which must not exist or be empty).</summary>
    public static async Task<VirtualEnvironment> CreateAsync(string root, PythonInterpreter baseInterpreter, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        // Written first and removed last: a build killed in between leaves a folder that is never taken as a venv.
        File.WriteAllText(Path.Combine(root, CreatingMarker), "");
        var venv = new VirtualEnvironment(root, baseInterpreter);
        if (baseInterpreter.IsWindows)
        {
            await RunVenvModuleAsync(venv, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            venv.WritePosixLayout();
        }
        venv.AppendSdkKeys();
        File.Delete(Path.Combine(root, CreatingMarker));
        return venv;
    }

    private static void RemoveOld(string root)
    {
        var isVenv = File.Exists(Path.Combine(root, ConfigFile)) || File.Exists(Path.Combine(root, CreatingMarker));
        if (!isVenv && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new PythonEnvException(DiagnosticCodes.VenvDirNotAVenv,
                $"PythonVenvDir '{root}' exists but is not a virtual environment (no pyvenv.cfg), so the SDK will not replace it. " +
                "Delete the folder, or set PythonVenvDir to another path.", root);
        }
        FileSystem.DeleteDirectory(root);
    }

    private void WritePosixLayout()
    {
        var interpreter = BaseInterpreter;
        Directory.CreateDirectory(Scripts);
        Directory.CreateDirectory(PureLib);
        Directory.CreateDirectory(PlatLib);
        Directory.CreateDirectory(interpreter.VenvPaths.ContainsKey("include") ? interpreter.GetVenvPath("include", Root) : Path.Combine(Root, "include"));
        // CPython links lib64 -> lib on 64-bit POSIX except macOS, so tools that look in lib64 find site-packages.
        var lib = Path.Combine(Root, "lib");
        if (interpreter.PointerBits == 64 && interpreter.SysPlatform != "darwin" && Directory.Exists(lib) && !Directory.Exists(Path.Combine(Root, "lib64")))
        {
            FileSystem.CreateSymbolicLink(Path.Combine(Root, "lib64"), "lib");
        }

        // python3 -> the base interpreter; the other names -> python3, as CPython's venv lays them out.
        var major = "python" + interpreter.Major;
        FileSystem.CreateSymbolicLink(Path.Combine(Scripts, major), interpreter.BaseExecutable);
        var names = new List<string> { "python", "python" + interpreter.ShortVersion, Path.GetFileName(interpreter.BaseExecutable) };
        if (interpreter.IsFreeThreaded)
        {
            names.Add("python" + interpreter.ShortVersion + "t");
        }
        foreach (var name in names.Distinct(StringComparer.Ordinal).Where(n => n != major))
        {
            FileSystem.CreateSymbolicLink(Path.Combine(Scripts, name), major);
        }

        File.WriteAllText(Path.Combine(Root, ".gitignore"), "# Created by PythonEnv.Sdk: the environment is rebuilt from pylock.toml.\n*\n");
        WriteActivate();

        var config = new StringBuilder()
            .Append("home = ").Append(interpreter.Home).Append('\n')
            .Append("include-system-site-packages = false\n")
            .Append("version = ").Append(interpreter.Version).Append('\n')
            .Append("executable = ").Append(interpreter.BaseExecutable).Append('\n');
        File.WriteAllText(Path.Combine(Root, ConfigFile), config.ToString());
    }

    private void WriteActivate()
    {
        // A small bash/zsh activate script, for people who open a shell in the project.
        var root = Root.Replace("'", "'\\''");
        var prompt = Path.GetFileName(Root);
        var script = $@"# Source this file from bash or zsh: . {Path.Combine(Root, "bin", "activate")}
deactivate () {{
    if [ -n ""${{_PYTHONENV_OLD_PATH:-}}"" ]; then PATH=""$_PYTHONENV_OLD_PATH""; export PATH; unset _PYTHONENV_OLD_PATH; fi
    if [ -n ""${{_PYTHONENV_OLD_PS1+set}}"" ]; then PS1=""$_PYTHONENV_OLD_PS1""; export PS1; unset _PYTHONENV_OLD_PS1; fi
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    hash -r 2>/dev/null
    if [ ""${{1:-}}"" != ""nondestructive"" ]; then unset -f deactivate; fi
}}
deactivate nondestructive
VIRTUAL_ENV='{root}'
VIRTUAL_ENV_PROMPT='{prompt.Replace("'", "")}'
export VIRTUAL_ENV VIRTUAL_ENV_PROMPT
_PYTHONENV_OLD_PATH=""$PATH""
PATH=""$VIRTUAL_ENV/bin:$PATH""
export PATH
unset PYTHONHOME
if [ -z ""${{VIRTUAL_ENV_DISABLE_PROMPT:-}}"" ]; then _PYTHONENV_OLD_PS1=""${{PS1:-}}""; PS1=""($VIRTUAL_ENV_PROMPT) ${{PS1:-}}""; export PS1; fi
hash -r 2>/dev/null
";
        File.WriteAllText(Path.Combine(Scripts, "activate"), script.Replace("\r\n", "\n"));
    }

    private static async Task RunVenvModuleAsync(VirtualEnvironment venv, CancellationToken cancellationToken)
    {
        // python -m venv refuses a non-empty target only with --clear semantics; our marker file is harmless to it.
        var result = await ProcessRunner.RunAsync(venv.BaseInterpreter.BaseExecutable,
            new[] { "-I", "-m", "venv", "--without-pip", venv.Root }, timeout: TimeSpan.FromMinutes(2),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new PythonEnvException(DiagnosticCodes.VenvCreationFailed,
                $"'{venv.BaseInterpreter.BaseExecutable} -m venv --without-pip {venv.Root}' failed (exit code {result.ExitCode}): {result.StandardError.Trim()}",
                venv.Root);
        }
    }

    private void AppendSdkKeys()
    {
        // Extra keys are allowed by PEP 405; they let the next build recognise the exact interpreter.
        var path = Path.Combine(Root, ConfigFile);
        var text = File.ReadAllText(path);
        if (!text.EndsWith("\n", StringComparison.Ordinal))
        {
            text += "\n";
        }
        text += "implementation = " + BaseInterpreter.Implementation + "\n"
              + "pythonenv-sdk-executable = " + BaseInterpreter.BaseExecutable + "\n";
        AtomicFile.Write(path, new UTF8Encoding(false).GetBytes(text));
    }

    private static bool SamePath(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }
        var comparison = FileSystem.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(Path.GetFullPath(a).TrimEnd('/', '\\'), Path.GetFullPath(b).TrimEnd('/', '\\'), comparison);
    }
}
