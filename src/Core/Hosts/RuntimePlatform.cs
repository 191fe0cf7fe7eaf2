using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PythonEnv.Hosts;

/// <summary>
/// The operating system and processor a .NET runtime identifier (<c>linux-x64</c>, <c>win-arm64</c>, <c>osx-arm64</c>,
/// <c>linux-musl-x64</c>) stands for, in PEP 508 marker terms (<c>sys_platform</c>, <c>platform_system</c>,
/// <c>os_name</c>, <c>platform_machine</c> as CPython reports them there).
/// </summary>
public sealed record RuntimePlatform(string Rid, string SysPlatform, string PlatformSystem, string OsName, string Machine)
{
    /// <summary>The platform of <paramref name="rid"/>, or null for one this engine does not know (portable RIDs like <c>unix</c>, <c>any</c>).</summary>
    public static RuntimePlatform? FromRid(string rid)
    {
        var dash = rid.LastIndexOf('-');
        if (dash <= 0)
        {
            return null;
        }
        var os = rid.Substring(0, dash);
        var arch = rid.Substring(dash + 1).ToLowerInvariant();
        var (sysPlatform, system, osName) =
            os.StartsWith("win", StringComparison.OrdinalIgnoreCase) ? ("win32", "Windows", "nt")
            : os.StartsWith("osx", StringComparison.OrdinalIgnoreCase) || os.StartsWith("maccatalyst", StringComparison.OrdinalIgnoreCase) ? ("darwin", "Darwin", "posix")
            : os.StartsWith("linux", StringComparison.OrdinalIgnoreCase) ? ("linux", "Linux", "posix")
            : os.StartsWith("freebsd", StringComparison.OrdinalIgnoreCase) ? ("freebsd", "FreeBSD", "posix")
            : (null, null, null);
        if (sysPlatform is null)
        {
            return null;
        }
        var windows = osName == "nt";
        var machine = arch switch
        {
            "x64" => windows ? "AMD64" : "x86_64",
            "x86" => windows ? "x86" : "i686",
            "arm64" => windows ? "ARM64" : sysPlatform == "darwin" ? "arm64" : "aarch64",
            "arm" => "armv7l",
            "s390x" => "s390x",
            "ppc64le" => "ppc64le",
            "riscv64" => "riscv64",
            "loongarch64" => "loongarch64",
            _ => null,
        };
        return machine is null ? null : new RuntimePlatform(rid, sysPlatform, system!, osName!, machine);
    }

    /// <summary>The machine this code runs on (the build machine, for a publish).</summary>
    public static RuntimePlatform? Current()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : "unknown";
        return FromRid(os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
    }

    /// <summary>Whether two platforms run the same native code (same OS and processor).</summary>
    public bool SameAs(RuntimePlatform other) =>
        SysPlatform == other.SysPlatform && string.Equals(Machine, other.Machine, StringComparison.OrdinalIgnoreCase);

    /// <summary>The marker values this platform fixes, to lay over an interpreter's.</summary>
    public IEnumerable<KeyValuePair<string, string>> MarkerValues() => new Dictionary<string, string>
    {
        ["sys_platform"] = SysPlatform,
        ["platform_system"] = PlatformSystem,
        ["os_name"] = OsName,
        ["platform_machine"] = Machine,
    };
}
