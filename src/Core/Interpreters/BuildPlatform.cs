using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace PythonEnv.Interpreters;

/// <summary>
/// The platform part of a python-build-standalone build's name, by uv's rules: <c>linux-x86_64-gnu</c>,
/// <c>linux-aarch64-musl</c>, <c>macos-aarch64-none</c>, <c>windows-x86_64-none</c>. Manifests may spell macOS
/// <c>darwin</c> (uv's older keys) and processors as the OS does (<c>amd64</c>, <c>arm64</c>); both read the same.
/// </summary>
public sealed record BuildPlatform(string Os, string Arch, string Libc)
{
    /// <summary><c>os-arch-libc</c>, the suffix of a build key.</summary>
    public string Key => $"{Os}-{Arch}-{Libc}";

    public bool IsWindows => Os == "windows";

    /// <summary>A platform from a manifest's (or a user's) spelling; libc is <c>none</c> off Linux.</summary>
    public static BuildPlatform Of(string os, string arch, string? libc)
    {
        var system = NormalizeOs(os);
        return new BuildPlatform(system, NormalizeArch(arch), system == "linux" ? (libc ?? "gnu").Trim().ToLowerInvariant() : "none");
    }

    /// <summary>This machine: the OS, the processor the process runs on, and on Linux whether the C library is musl.</summary>
    public static BuildPlatform Current()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "windows"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macos"
            : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
            : RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant();
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7",
            var other => other.ToString().ToLowerInvariant(),
        };
        return Of(os, arch, os == "linux" ? (IsMusl() ? "musl" : "gnu") : null);
    }

    public override string ToString() => Key;

    private static string NormalizeOs(string os) => os.Trim().ToLowerInvariant() switch
    {
        "darwin" or "macos" or "osx" => "macos",
        "win32" or "win" or "windows" => "windows",
        var other => other,
    };

    private static string NormalizeArch(string arch) => arch.Trim().ToLowerInvariant() switch
    {
        "x86_64" or "amd64" or "x64" => "x86_64",
        "aarch64" or "arm64" => "aarch64",
        "i686" or "x86" or "i386" => "i686",
        var other => other,
    };

    /// <summary>musl's dynamic loader is <c>/lib/ld-musl-ARCH.so.1</c>; glibc systems have none.</summary>
    private static bool IsMusl()
    {
        try
        {
            return Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*.so.1").Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
