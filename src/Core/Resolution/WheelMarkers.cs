using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// The environments a wheel can be installed in, as a PEP 508 marker implied by its tags (as uv's
/// required-environments check reads them): the platform tag gives <c>sys_platform</c> and
/// <c>platform_machine</c> (<c>manylinux_2_17_x86_64</c>: Linux on x86_64; <c>macosx_11_0_arm64</c>: macOS on
/// arm64; <c>win_amd64</c>: Windows on AMD64; <c>any</c>: everywhere), the interpreter tag the Python versions
/// and implementation (<c>cp312</c>: CPython 3.12; <c>py3</c>: any Python 3). A wheel holds where one of its
/// tags does. The marker is an over-approximation where markers cannot see (glibc and macOS versions), so a
/// marker environment is judged by what it can tell apart.
/// </summary>
internal static class WheelMarkers
{
    private static readonly Regex LinuxPlatform = new(@"^(?:many|musl)?linux(?:\d+|_\d+_\d+)?_(?<arch>.+)$", RegexOptions.CultureInvariant);
    private static readonly Regex MacPlatform = new(@"^macosx_\d+_\d+_(?<arch>.+)$", RegexOptions.CultureInvariant);
    private static readonly Regex PythonTag = new(@"^(?<impl>py|cp|pp|ip|jy|gp)(?<version>\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Where any of the wheel's tags holds.</summary>
    public static MarkerExpression Of(WheelFileName wheel) =>
        wheel.Tags.Select(Of).Aggregate(MarkerExpression.Never, (all, tag) => all.Or(tag)).Simplify();

    /// <summary>Where one interpreter-abi-platform tag holds.</summary>
    public static MarkerExpression Of(WheelTag tag)
    {
        var clauses = new List<string>();
        clauses.AddRange(Interpreter(tag.Interpreter));
        clauses.AddRange(Platform(tag.Platform));
        return clauses.Count == 0 ? MarkerExpression.Always : MarkerExpression.Parse(string.Join(" and ", clauses.Select(c => "(" + c + ")")));
    }

    private static IEnumerable<string> Interpreter(string tag)
    {
        var match = PythonTag.Match(tag);
        if (!match.Success)
        {
            yield break;
        }

        var digits = match.Groups["version"].Value;
        var major = digits.Substring(0, 1);
        // py3 / cp3: any release of that major; py312 / cp312: that minor (the first digit is the major).
        yield return digits.Length == 1
            ? $"python_full_version >= '{major}' and python_full_version < '{int.Parse(major) + 1}'"
            : $"python_full_version >= '{major}.{digits.Substring(1)}' and python_full_version < '{major}.{int.Parse(digits.Substring(1)) + 1}'";
        switch (match.Groups["impl"].Value)
        {
            case "cp":
                yield return "platform_python_implementation == 'CPython'";
                break;
            case "pp":
                yield return "platform_python_implementation == 'PyPy'";
                break;
        }
    }

    private static IEnumerable<string> Platform(string tag)
    {
        if (tag == "any")
        {
            yield break;
        }

        if (LinuxPlatform.Match(tag) is { Success: true } linux)
        {
            yield return "sys_platform == 'linux'";
            yield return Machines(linux.Groups["arch"].Value switch
            {
                "x86_64" => ["x86_64", "amd64"],
                "aarch64" => ["aarch64", "arm64"],
                "i686" => ["i686", "i386", "x86"],
                "armv7l" => ["armv7l", "armv8l"],
                var arch => [arch],
            });
        }
        else if (MacPlatform.Match(tag) is { Success: true } mac)
        {
            yield return "sys_platform == 'darwin'";
            yield return Machines(mac.Groups["arch"].Value switch
            {
                "universal2" => ["x86_64", "arm64"],
                "intel" => ["x86_64", "i386"],
                "fat64" => ["x86_64", "ppc64"],
                "fat32" => ["i386", "ppc"],
                "universal" => ["x86_64", "i386", "ppc64", "ppc"],
                var arch => [arch],
            });
        }
        else if (tag.StartsWith("win", StringComparison.Ordinal))
        {
            yield return "sys_platform == 'win32'";
            yield return Machines(tag switch
            {
                "win_amd64" => ["AMD64", "x86_64"],
                "win_arm64" => ["ARM64", "arm64"],
                "win32" => ["x86", "i386", "i686"],
                var other => [other.Substring(tag.IndexOf('_') + 1)],
            });
        }
        else if (tag.StartsWith("ios_", StringComparison.Ordinal))
        {
            yield return "sys_platform == 'ios'";
        }
        else if (tag.StartsWith("android_", StringComparison.Ordinal))
        {
            yield return "sys_platform == 'android'";
        }
        else
        {
            // A platform the markers cannot name (a BSD, a Linux without a known form): not one of the named ones.
            yield return "sys_platform != 'linux' and sys_platform != 'darwin' and sys_platform != 'win32'";
        }
    }

    private static string Machines(IEnumerable<string> names) =>
        string.Join(" or ", names.Select(name => $"platform_machine == '{name}'"));
}
