using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>Tag generation: an interpreter's supported tags in <c>packaging.tags</c> order, from its description or explicit arguments.</summary>
public sealed partial class PlatformTags
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["python"] = "py",
        ["cpython"] = "cp",
        ["pypy"] = "pp",
        ["ironpython"] = "ip",
        ["jython"] = "jy",
    };

    /// <summary>
    /// The supported tags of the interpreter described, in the order of <c>packaging.tags.sys_tags()</c>:
    /// the interpreter's own tags (CPython: its ABI, the stable ABI, <c>none</c>, older stable ABIs), then the
    /// interpreter-independent ones (<c>py3X-none-platform</c>, <c>cp3X-none-any</c>, <c>py3-none-any</c>...).
    /// </summary>
    public static PlatformTags For(InterpreterDescription interpreter)
    {
        _ = interpreter ?? throw new ArgumentNullException(nameof(interpreter));
        var platforms = PlatformsOf(interpreter).ToList();
        var version = new[] { interpreter.PythonMajor, interpreter.PythonMinor };
        var name = InterpreterShortName(interpreter.Implementation);
        var tags = new List<WheelTag>();
        if (name == "cp")
        {
            tags.AddRange(CPythonTags(version, CPythonAbis(version, interpreter.AbiFlags, interpreter.IsDebug, interpreter.IsFreeThreaded), platforms));
        }
        else
        {
            tags.AddRange(GenericTags(name + InterpreterVersion(version), GenericAbis(interpreter), platforms));
        }
        var compatibleInterpreter = name switch
        {
            "pp" => "pp3",
            "cp" => "cp" + InterpreterVersion(version),
            _ => null,
        };
        tags.AddRange(CompatibleTags(version, compatibleInterpreter, platforms));
        return new PlatformTags(tags);
    }

    // ---- The generators of the reference implementation, for explicit arguments. ----

    /// <summary>The two-letter abbreviation of a well-known implementation (<c>cpython</c> → <c>cp</c>), else the name.</summary>
    public static string InterpreterShortName(string implementationName) =>
        ShortNames.TryGetValue(implementationName, out var s) ? s : implementationName;

    /// <summary>The version part of interpreter tags: major and minor written without a separator (3.12 → <c>312</c>).</summary>
    public static string InterpreterVersion(IReadOnlyList<int> pythonVersion) =>
        string.Concat(pythonVersion.Take(2).Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// CPython's own ABI tags for a build with the given <c>sys.abiflags</c>: <c>cp312</c>, <c>cp313t</c>,
    /// <c>cp37m</c>; a debug build of 3.8+ also accepts the release ABI.
    /// </summary>
    public static IReadOnlyList<string> CPythonAbis(IReadOnlyList<int> pythonVersion, string abiFlags = "", bool debug = false, bool freeThreaded = false)
    {
        if (pythonVersion.Count < 2)
        {
            return Array.Empty<string>();
        }
        var major = pythonVersion[0];
        var minor = pythonVersion[1];
        abiFlags ??= "";
        var atLeast = (Func<int, int, bool>)((ma, mi) => major > ma || (major == ma && minor >= mi));
        var threading = atLeast(3, 13) && (freeThreaded || abiFlags.Contains('t')) ? "t" : "";
        var debugFlag = debug || abiFlags.Contains('d') ? "d" : "";
        var pymalloc = !atLeast(3, 8) && abiFlags.Contains('m') ? "m" : "";
        var ucs4 = !atLeast(3, 3) && abiFlags.Contains('u') ? "u" : "";
        var version = InterpreterVersion(pythonVersion);
        var abis = new List<string> { $"cp{version}{threading}{debugFlag}{pymalloc}{ucs4}" };
        if (atLeast(3, 8) && debugFlag.Length > 0)
        {
            abis.Add($"cp{version}{threading}");
        }
        return abis;
    }

    /// <summary>
    /// The tags of a CPython interpreter (<c>cpython_tags</c>): <c>cpXY-{abi}-{platform}</c> for each ABI, then the
    /// stable ABI (<c>abi3</c>, or <c>abi3t</c> when the first ABI is free-threaded) and <c>none</c>, then the stable ABI of
    /// every older minor version down to 3.2. A major-only version uses only the given ABIs and <c>none</c>.
    /// </summary>
    public static IEnumerable<WheelTag> CPythonTags(IReadOnlyList<int> pythonVersion, IEnumerable<string>? abis, IEnumerable<string> platforms)
    {
        if (pythonVersion is null || pythonVersion.Count == 0)
        {
            throw new ArgumentException("A Python version needs at least a major version.", nameof(pythonVersion));
        }
        var interpreter = "cp" + InterpreterVersion(pythonVersion);
        var abiList = (abis ?? Array.Empty<string>()).ToList();
        var threading = abiList.Count > 0 && IsFreeThreadedAbi(abiList[0]);
        var stable = threading ? "abi3t" : "abi3";
        abiList.RemoveAll(a => a == "abi3" || a == "none" || (threading && a == "abi3t"));
        var platformList = platforms.ToList();
        foreach (var abi in abiList)
        {
            foreach (var platform in platformList)
            {
                yield return new WheelTag(interpreter, abi, platform);
            }
        }
        var useStable = pythonVersion.Count > 1 && (pythonVersion[0] > 3 || (pythonVersion[0] == 3 && pythonVersion[1] >= 2));
        if (useStable)
        {
            foreach (var platform in platformList)
            {
                yield return new WheelTag(interpreter, stable, platform);
            }
        }
        foreach (var platform in platformList)
        {
            yield return new WheelTag(interpreter, "none", platform);
        }
        if (useStable)
        {
            for (var minor = pythonVersion[1] - 1; minor > 1; minor--)
            {
                var older = "cp" + InterpreterVersion(new[] { pythonVersion[0], minor });
                foreach (var platform in platformList)
                {
                    yield return new WheelTag(older, stable, platform);
                }
            }
        }
    }

    // "cp313t", "cp313td": the flags after the version contain 't'.
    private static bool IsFreeThreadedAbi(string abi)
    {
        if (!abi.StartsWith("cp", StringComparison.Ordinal) || abi.Length < 3 || !char.IsDigit(abi[2]))
        {
            return false;
        }
        var i = 2;
        while (i < abi.Length && abi[i] >= '0' && abi[i] <= '9')
        {
            i++;
        }
        return abi.IndexOf('t', i) >= 0;
    }

    /// <summary>
    /// The tags of an interpreter needing no special treatment (<c>generic_tags</c>): each ABI with each platform,
    /// with <c>none</c> added last when not given.
    /// </summary>
    public static IEnumerable<WheelTag> GenericTags(string interpreter, IEnumerable<string>? abis, IEnumerable<string> platforms)
    {
        var abiList = (abis ?? Array.Empty<string>()).ToList();
        if (!abiList.Contains("none"))
        {
            abiList.Add("none");
        }
        var platformList = platforms.ToList();
        foreach (var abi in abiList)
        {
            foreach (var platform in platformList)
            {
                yield return new WheelTag(interpreter, abi, platform);
            }
        }
    }

    /// <summary>
    /// The ABI tag of a non-CPython interpreter from its extension-module suffix (<c>.pypy310-pp73-x86_64-linux-gnu.so</c>
    /// → <c>pypy310_pp73</c>), or none when unknown.
    /// </summary>
    public static IReadOnlyList<string> GenericAbis(InterpreterDescription interpreter)
    {
        var suffix = interpreter.ExtensionSuffix;
        if (suffix is null || !suffix.StartsWith(".", StringComparison.Ordinal))
        {
            return Array.Empty<string>();
        }
        var parts = suffix.Split('.');
        if (parts.Length < 3)
        {
            return CPythonAbis(new[] { interpreter.PythonMajor, interpreter.PythonMinor }, interpreter.AbiFlags, interpreter.IsDebug, interpreter.IsFreeThreaded);
        }
        var soabi = parts[1];
        string abi;
        if (soabi.StartsWith("cpython", StringComparison.Ordinal))
        {
            var cpythonParts = soabi.Split('-');
            if (cpythonParts.Length < 2 || cpythonParts[1].Length == 0)
            {
                return Array.Empty<string>();
            }
            abi = "cp" + cpythonParts[1];
        }
        else if (soabi.StartsWith("cp", StringComparison.Ordinal))
        {
            abi = soabi.Split('-')[0];
        }
        else if (soabi.StartsWith("pypy", StringComparison.Ordinal))
        {
            abi = string.Join("-", soabi.Split('-').Take(2));
        }
        else if (soabi.StartsWith("graalpy", StringComparison.Ordinal))
        {
            abi = string.Join("-", soabi.Split('-').Take(3));
        }
        else if (soabi.Length > 0)
        {
            abi = soabi;
        }
        else
        {
            return Array.Empty<string>();
        }
        return new[] { NormalizePlatform(abi) };
    }

    /// <summary>
    /// Python versions for interpreter-independent tags, newest first: <c>py312</c>, <c>py3</c>, <c>py311</c> ... <c>py30</c>.
    /// </summary>
    private static IEnumerable<string> PyInterpreterRange(IReadOnlyList<int> pythonVersion)
    {
        if (pythonVersion.Count > 1)
        {
            yield return "py" + InterpreterVersion(pythonVersion);
        }
        yield return "py" + pythonVersion[0].ToString(CultureInfo.InvariantCulture);
        if (pythonVersion.Count > 1)
        {
            for (var minor = pythonVersion[1] - 1; minor >= 0; minor--)
            {
                yield return "py" + InterpreterVersion(new[] { pythonVersion[0], minor });
            }
        }
    }

    /// <summary>Pure-Python tags (<c>pure_python_tags</c>): <c>py3X-none-any</c>, <c>py3-none-any</c>, older <c>py3Y-none-any</c>.</summary>
    public static IEnumerable<WheelTag> PurePythonTags(IReadOnlyList<int> pythonVersion)
    {
        if (pythonVersion is null || pythonVersion.Count == 0)
        {
            throw new ArgumentException("A Python version needs at least a major version.", nameof(pythonVersion));
        }
        return PyInterpreterRange(pythonVersion).Select(v => new WheelTag(v, "none", "any"));
    }

    /// <summary>
    /// Interpreter-independent tags (<c>compatible_tags</c>): <c>py*-none-{platform}</c>, then <c>{interpreter}-none-any</c>
    /// when an interpreter is given, then the pure-Python tags.
    /// </summary>
    public static IEnumerable<WheelTag> CompatibleTags(IReadOnlyList<int> pythonVersion, string? interpreter, IEnumerable<string> platforms)
    {
        if (pythonVersion is null || pythonVersion.Count == 0)
        {
            throw new ArgumentException("A Python version needs at least a major version.", nameof(pythonVersion));
        }
        var platformList = platforms.ToList();
        foreach (var version in PyInterpreterRange(pythonVersion))
        {
            foreach (var platform in platformList)
            {
                yield return new WheelTag(version, "none", platform);
            }
        }
        if (!string.IsNullOrEmpty(interpreter))
        {
            yield return new WheelTag(interpreter!, "none", "any");
        }
        foreach (var tag in PurePythonTags(pythonVersion))
        {
            yield return tag;
        }
    }
}
