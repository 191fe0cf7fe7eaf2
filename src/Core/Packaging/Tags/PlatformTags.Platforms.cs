using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PythonEnv.Packaging;

/// <summary>Per-OS platform tags: Windows, macOS (binary formats and versions), iOS, Android, Linux (manylinux, musllinux).</summary>
public sealed partial class PlatformTags
{
    // Oldest versions a platform tag scheme admits: the first iOS with enough of a libc for CPython,
    // the first Android API level CPython supports, manylinux's floor per architecture.
    private const int MinimumIOSMajor = 12;
    private const int MinimumAndroidApiLevel = 16;

    // When glibc moves to a new major version, the last minor of the previous one is not known; packaging
    // assumes 50, and so do we so that manylinux_2_x tags of every older minor stay compatible.
    private const int LastGlibcMinor = 50;

    private static readonly Dictionary<(int, int), string> LegacyManylinux = new()
    {
        [(2, 17)] = "manylinux2014",
        [(2, 12)] = "manylinux2010",
        [(2, 5)] = "manylinux1",
    };

    // Architectures manylinux wheels exist for; i686 and armv7l are included because the description says
    // outright that the interpreter is such a (hard-float) build.
    private static readonly HashSet<string> ManylinuxArchitectures = new(StringComparer.Ordinal)
    {
        "x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64", "i686", "armv7l",
    };

    /// <summary>The platform tags of the described system, most specific first.</summary>
    public static IEnumerable<string> PlatformsOf(InterpreterDescription interpreter)
    {
        var arch = interpreter.Architecture.ToLowerInvariant();
        switch (interpreter.OperatingSystem)
        {
            case PythonOperatingSystem.Linux:
                return LinuxPlatforms("linux_" + LinuxArchitecture(arch), interpreter.Is32Bit, interpreter.GlibcVersion, interpreter.MuslVersion);
            case PythonOperatingSystem.MacOS:
                var mac = interpreter.MacOSVersion ?? throw new ArgumentException("A macOS interpreter needs MacOSVersion.", nameof(interpreter));
                return MacPlatforms(mac, MacArchitecture(MacCpu(arch), interpreter.Is32Bit));
            case PythonOperatingSystem.Windows:
                return new[] { WindowsPlatform(arch, interpreter.Is32Bit) };
            case PythonOperatingSystem.IOS:
                var ios = interpreter.IOSVersion ?? throw new ArgumentException("An iOS interpreter needs IOSVersion.", nameof(interpreter));
                return IOSPlatforms(ios, interpreter.IOSMultiarch ?? arch + "-iphoneos");
            case PythonOperatingSystem.Android:
                var api = interpreter.AndroidApiLevel ?? throw new ArgumentException("An Android interpreter needs AndroidApiLevel.", nameof(interpreter));
                return AndroidPlatforms(api, arch);
            default:
                var other = interpreter.OtherPlatform ?? throw new ArgumentException("An interpreter on another OS needs OtherPlatform (sysconfig.get_platform()).", nameof(interpreter));
                return new[] { NormalizePlatform(other) };
        }
    }

    private static string LinuxArchitecture(string arch) => arch switch
    {
        "amd64" or "x64" => "x86_64",
        "arm64" => "aarch64",
        "x86" or "i386" or "i586" => "i686",
        _ => NormalizePlatform(arch),
    };

    private static string MacCpu(string arch) => arch switch
    {
        "aarch64" => "arm64",
        "amd64" or "x64" => "x86_64",
        "x86" or "i686" => "i386",
        _ => arch,
    };

    private static string WindowsPlatform(string arch, bool is32Bit)
    {
        if (arch is "arm64" or "aarch64")
        {
            return is32Bit ? "win_arm32" : "win_arm64";
        }
        if (is32Bit || arch is "x86" or "i386" or "i686" or "win32")
        {
            return "win32";
        }
        return arch is "amd64" or "x86_64" or "x64" ? "win_amd64" : "win_" + NormalizePlatform(arch);
    }

    /// <summary>The architecture a 32-bit interpreter on a Mac runs as: <c>ppc</c> for PowerPC, else <c>i386</c>.</summary>
    public static string MacArchitecture(string arch, bool is32Bit)
    {
        if (!is32Bit)
        {
            return arch;
        }
        return arch.StartsWith("ppc", StringComparison.Ordinal) ? "ppc" : "i386";
    }

    /// <summary>
    /// The binary formats a macOS binary for <paramref name="cpuArch"/> may be packaged as on the given macOS release
    /// (<c>x86_64</c>, <c>intel</c>, <c>fat64</c>, <c>fat3</c>, <c>universal2</c>, <c>universal</c>...), best first; empty when
    /// that architecture did not exist on that release.
    /// </summary>
    public static IReadOnlyList<string> MacBinaryFormats(Version version, string cpuArch)
    {
        var v = (version.Major, version.Minor);
        var formats = new List<string> { cpuArch };
        bool Before(int major, int minor) => v.Major < major || (v.Major == major && v.Minor < minor);
        bool After(int major, int minor) => v.Major > major || (v.Major == major && v.Minor > minor);
        switch (cpuArch)
        {
            case "x86_64":
                if (Before(10, 4))
                {
                    return Array.Empty<string>();
                }
                formats.AddRange(new[] { "intel", "fat64", "fat3" });
                break;
            case "i386":
                if (Before(10, 4))
                {
                    return Array.Empty<string>();
                }
                formats.AddRange(new[] { "intel", "fat3", "fat" });
                break;
            case "ppc64":
                if (After(10, 5) || Before(10, 4))
                {
                    return Array.Empty<string>();
                }
                formats.Add("fat64");
                break;
            case "ppc":
                if (After(10, 6))
                {
                    return Array.Empty<string>();
                }
                formats.AddRange(new[] { "fat3", "fat" });
                break;
        }
        if (cpuArch is "arm64" or "x86_64")
        {
            formats.Add("universal2");
        }
        if (cpuArch is "x86_64" or "i386" or "ppc64" or "ppc" or "intel")
        {
            formats.Add("universal");
        }
        return formats;
    }

    /// <summary>
    /// macOS platform tags (<c>mac_platforms</c>), newest release first. Before macOS 11 every yearly release was
    /// 10.x; from 11 on it is the major version (and only X.0 tags exist). An x86_64 Mac accepts all 10.x releases,
    /// an arm64 Mac only <c>universal2</c> builds of them.
    /// </summary>
    public static IEnumerable<string> MacPlatforms(Version version, string arch)
    {
        var major = version.Major;
        var minor = version.Minor < 0 ? 0 : version.Minor;
        if (major == 10)
        {
            for (var m = minor; m >= 0; m--)
            {
                foreach (var format in MacBinaryFormats(new Version(10, m), arch))
                {
                    yield return $"macosx_10_{m}_{format}";
                }
            }
        }
        if (major >= 11)
        {
            for (var ma = major; ma > 10; ma--)
            {
                foreach (var format in MacBinaryFormats(new Version(ma, 0), arch))
                {
                    yield return $"macosx_{ma}_0_{format}";
                }
            }
            for (var m = 16; m > 3; m--)
            {
                if (arch == "x86_64")
                {
                    foreach (var format in MacBinaryFormats(new Version(10, m), arch))
                    {
                        yield return $"macosx_10_{m}_{format}";
                    }
                }
                else
                {
                    yield return $"macosx_10_{m}_universal2";
                }
            }
        }
    }

    /// <summary>
    /// iOS platform tags (<c>ios_platforms</c>): the given release, every earlier minor of it, then X.9 ... X.0 of
    /// every older major down to iOS 12. <paramref name="multiarch"/> is <c>sys.implementation._multiarch</c>.
    /// </summary>
    public static IEnumerable<string> IOSPlatforms(Version version, string multiarch)
    {
        var arch = multiarch.Replace('-', '_');
        if (version.Major < MinimumIOSMajor)
        {
            yield break;
        }
        var minor = Math.Max(version.Minor, 0);
        for (var m = minor; m >= 0; m--)
        {
            yield return $"ios_{version.Major}_{m}_{arch}";
        }
        for (var ma = version.Major - 1; ma >= MinimumIOSMajor; ma--)
        {
            for (var m = 9; m >= 0; m--)
            {
                yield return $"ios_{ma}_{m}_{arch}";
            }
        }
    }

    /// <summary>Android platform tags (<c>android_platforms</c>): every API level from the given one down to 16.</summary>
    public static IEnumerable<string> AndroidPlatforms(int apiLevel, string abi)
    {
        var normalized = NormalizePlatform(abi);
        for (var level = apiLevel; level >= MinimumAndroidApiLevel; level--)
        {
            yield return $"android_{level.ToString(CultureInfo.InvariantCulture)}_{normalized}";
        }
    }

    /// <summary>
    /// Linux platform tags: the native <c>linux_{arch}</c> first, then <c>manylinux_{glibc}_{arch}</c> for every glibc
    /// from the given one down (with the legacy <c>manylinux1</c>/<c>2010</c>/<c>2014</c> aliases after their
    /// <c>manylinux_2_5</c>/<c>_2_12</c>/<c>_2_17</c> equivalents), then <c>musllinux_{musl}_{arch}</c>.
    /// <paramref name="sysconfigPlatform"/> is <c>sysconfig.get_platform()</c> (<c>linux-x86_64</c>); a 32-bit interpreter
    /// on a 64-bit kernel gets the 32-bit architecture. <paramref name="glibcCompatible"/> can veto single glibc
    /// versions, as a distribution's <c>_manylinux</c> module does.
    /// </summary>
    public static IEnumerable<string> LinuxPlatforms(string sysconfigPlatform, bool is32Bit, Version? glibc, Version? musl,
        Func<string, Version, bool>? glibcCompatible = null)
    {
        var linux = NormalizePlatform(sysconfigPlatform);
        if (!linux.StartsWith("linux_", StringComparison.Ordinal))
        {
            return new[] { linux };
        }
        if (is32Bit)
        {
            linux = linux switch
            {
                "linux_x86_64" => "linux_i686",
                "linux_aarch64" => "linux_armv8l",
                _ => linux,
            };
        }
        var arch = linux.Substring("linux_".Length);
        IReadOnlyList<string> archs = arch == "armv8l" ? new[] { "armv8l", "armv7l" } : new[] { arch };
        var result = archs.Select(a => "linux_" + a).ToList();
        if (glibc is not null)
        {
            result.AddRange(ManylinuxPlatforms(archs, glibc, glibcCompatible));
        }
        if (musl is not null)
        {
            result.AddRange(MusllinuxPlatforms(archs, musl));
        }
        return result;
    }

    /// <summary>
    /// <c>manylinux</c> tags (PEP 600) for a system with the given glibc, newest first, down to glibc 2.17
    /// (2.5 on x86). Every minor of an older glibc major is assumed compatible.
    /// </summary>
    public static IEnumerable<string> ManylinuxPlatforms(IReadOnlyList<string> archs, Version glibc, Func<string, Version, bool>? glibcCompatible = null)
    {
        if (!archs.Any(ManylinuxArchitectures.Contains))
        {
            yield break;
        }
        var tooOld = archs.Any(a => a is "x86_64" or "i686") ? (Major: 2, Minor: 4) : (Major: 2, Minor: 16);
        var maxima = new List<(int Major, int Minor)> { (glibc.Major, glibc.Minor) };
        for (var major = glibc.Major - 1; major > 1; major--)
        {
            maxima.Add((major, LastGlibcMinor));
        }
        foreach (var arch in archs)
        {
            foreach (var (major, maxMinor) in maxima)
            {
                var minMinor = major == tooOld.Major ? tooOld.Minor : -1;
                for (var minor = maxMinor; minor > minMinor; minor--)
                {
                    var candidate = new Version(major, minor);
                    if (candidate > new Version(glibc.Major, glibc.Minor) || (glibcCompatible is not null && !glibcCompatible(arch, candidate)))
                    {
                        continue;
                    }
                    yield return $"manylinux_{major}_{minor}_{arch}";
                    if (LegacyManylinux.TryGetValue((major, minor), out var legacy))
                    {
                        yield return $"{legacy}_{arch}";
                    }
                }
            }
        }
    }

    /// <summary><c>musllinux</c> tags (PEP 656): every minor of the musl major, newest first.</summary>
    public static IEnumerable<string> MusllinuxPlatforms(IReadOnlyList<string> archs, Version musl)
    {
        foreach (var arch in archs)
        {
            for (var minor = musl.Minor; minor >= 0; minor--)
            {
                yield return $"musllinux_{musl.Major}_{minor}_{arch}";
            }
        }
    }

    /// <summary>A platform string as tags spell it: <c>.</c>, <c>-</c> and spaces become <c>_</c> (<c>linux-x86_64</c> → <c>linux_x86_64</c>).</summary>
    public static string NormalizePlatform(string platform) =>
        platform.Replace('.', '_').Replace('-', '_').Replace(' ', '_');
}
