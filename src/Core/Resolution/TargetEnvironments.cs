using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>Marker environments for the platforms a lock covers and the interpreter a resolution targets.</summary>
public static class TargetEnvironments
{
    /// <summary>(sys_platform, platform_system, os_name, platform_machine) of the platform families a universal lock covers.</summary>
    private static readonly (string SysPlatform, string System, string OsName, string Machine)[] Platforms =
    [
        ("linux", "Linux", "posix", "x86_64"),
        ("linux", "Linux", "posix", "aarch64"),
        ("darwin", "Darwin", "posix", "arm64"),
        ("darwin", "Darwin", "posix", "x86_64"),
        ("win32", "Windows", "nt", "AMD64"),
    ];

    /// <summary>The environment of a CPython <paramref name="pythonFullVersion"/> on the given platform (default: this machine's).</summary>
    public static MarkerEnvironment For(string pythonFullVersion, string? sysPlatform = null, string? machine = null)
    {
        var version = Pep440Version.Parse(pythonFullVersion);
        (string SysPlatform, string System, string OsName, string Machine) platform = sysPlatform is null
            ? Current()
            : Platforms.FirstOrDefault(p => p.SysPlatform == sysPlatform && (machine is null || p.Machine == machine)) is { SysPlatform: not null } known
                ? known
                : (sysPlatform, sysPlatform, "posix", machine ?? "x86_64");
        var full = string.Join(".", new[] { version.Major, version.Minor, version.Micro });
        return new MarkerEnvironment(new Dictionary<string, string>
        {
            ["implementation_name"] = "cpython",
            ["implementation_version"] = full,
            ["os_name"] = platform.OsName,
            ["platform_machine"] = machine ?? platform.Machine,
            ["platform_release"] = "",
            ["platform_system"] = platform.System,
            ["platform_version"] = "",
            ["python_full_version"] = full,
            ["platform_python_implementation"] = "CPython",
            ["python_version"] = $"{version.Major}.{version.Minor}",
            ["sys_platform"] = platform.SysPlatform,
        });
    }

    /// <summary>
    /// Concrete sample environments of what a universal lock covers: every platform family, at each Python minor
    /// version the project allows (from its lowest allowed version up to 3.15), plus any platform named by the
    /// <paramref name="extraPlatforms"/>. The resolver and the lock verifier reason with markers, not samples;
    /// these are for checking a universal result by plain evaluation, environment by environment.
    /// </summary>
    public static IReadOnlyList<MarkerEnvironment> Universal(SpecifierSet requiresPython, IEnumerable<string>? extraPlatforms = null)
    {
        var allowed = VersionSet.FromSpecifierSet(requiresPython);
        var pythons = new List<string>();
        for (var minor = 0; minor <= 15; minor++)
        {
            foreach (var patch in new[] { 0, 1, 99 })
            {
                var candidate = Pep440Version.Parse($"3.{minor}.{patch}");
                if (allowed.Contains(candidate))
                {
                    pythons.Add(candidate.ToString());
                    break;
                }
            }
        }

        var platforms = Platforms.Select(p => (p.SysPlatform, p.Machine)).ToList();
        foreach (var extra in extraPlatforms ?? [])
        {
            if (!platforms.Any(p => p.SysPlatform == extra))
            {
                platforms.Add((extra, "x86_64"));
            }
        }

        return pythons.SelectMany(python => platforms.Select(p => For(python, p.SysPlatform, p.Machine))).ToList();
    }

    private static (string SysPlatform, string System, string OsName, string Machine) Current()
    {
        var machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            _ => "x86_64",
        };
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return ("win32", "Windows", "nt", machine == "x86_64" ? "AMD64" : machine.ToUpperInvariant());
        }

        return RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
            ? ("darwin", "Darwin", "posix", machine == "aarch64" ? "arm64" : machine)
            : ("linux", "Linux", "posix", machine);
    }
}
