using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PythonEnv.Index;

/// <summary>
/// <c>PythonTorchBackend</c>: which of PyTorch's own indexes (<c>https://download.pytorch.org/whl/&lt;backend&gt;</c>)
/// serves the PyTorch packages, as uv's <c>--torch-backend</c>. <c>cpu</c>, <c>cu118</c>, <c>cu121</c>, ... name one;
/// <c>auto</c> picks the newest CUDA backend the machine's NVIDIA driver runs, else <c>cpu</c>.
/// </summary>
public static class TorchBackend
{
    /// <summary>Where PyTorch's indexes live; <c>PythonTorchIndexUrl</c> replaces it (a mirror, or a test's loopback index).</summary>
    public const string DefaultIndexBase = "https://download.pytorch.org/whl";

    /// <summary>
    /// The environment variable that states the NVIDIA driver version instead of detecting it (<c>535.104.05</c>;
    /// empty or <c>none</c>: no driver), as uv's <c>UV_CUDA_DRIVER_VERSION</c> does; for CI machines and tests.
    /// </summary>
    public const string DriverVersionVariable = "PYTHONENV_CUDA_DRIVER_VERSION";

    /// <summary>
    /// The PyTorch family: packages PyTorch builds per accelerator and publishes on its indexes, as uv's torch-backend
    /// list. Only these follow the backend; numpy, pillow and the rest come from the configured indexes.
    /// </summary>
    public static readonly IReadOnlyList<string> Packages =
    [
        "torch", "torchvision", "torchaudio", "torchtext", "torchdata", "torchrec", "torchao", "torchtune", "torchserve",
        "torchcsprng", "torchdistx", "torchpippy", "torch-tensorrt", "fbgemm-gpu", "fbgemm-gpu-genai", "executorch",
        "pytorch-triton", "pytorch-triton-rocm", "pytorch-triton-xpu",
    ];

    /// <summary>
    /// CUDA backends <c>auto</c> may choose, newest first, with the oldest driver each runs on Linux and on Windows
    /// (NVIDIA's minimum drivers for CUDA minor version compatibility: 12.x needs 525.60.13 / 528.33, 11.x 450.80.02 / 452.39).
    /// </summary>
    private static readonly (string Backend, Version Linux, Version Windows)[] CudaDrivers =
    [
        ("cu130", new Version(580, 65, 6), new Version(580, 88)),
        ("cu129", new Version(525, 60, 13), new Version(528, 33)),
        ("cu128", new Version(525, 60, 13), new Version(528, 33)),
        ("cu126", new Version(525, 60, 13), new Version(528, 33)),
        ("cu124", new Version(525, 60, 13), new Version(528, 33)),
        ("cu121", new Version(525, 60, 13), new Version(528, 33)),
        ("cu118", new Version(450, 80, 2), new Version(452, 39)),
    ];

    private static readonly Regex Named = new("^(cpu|cu[0-9]{2,3}|rocm[0-9]+(\\.[0-9]+){1,2}|xpu)$", RegexOptions.CultureInvariant);

    /// <summary>True for <c>auto</c> and every backend name PyTorch's indexes use (<c>cpu</c>, <c>cu121</c>, <c>rocm6.2</c>, <c>xpu</c>).</summary>
    public static bool IsValid(string value) => value == "auto" || Named.IsMatch(value);

    /// <summary>The index of a backend under <paramref name="indexBase"/> (default PyTorch's): <c>https://download.pytorch.org/whl/cu121/</c>.</summary>
    public static Uri IndexUrl(string backend, string? indexBase) =>
        new((string.IsNullOrWhiteSpace(indexBase) ? DefaultIndexBase : indexBase!.Trim()).TrimEnd('/') + "/" + backend + "/");

    /// <summary>
    /// The backend <paramref name="value"/> stands for: itself, or for <c>auto</c> the newest CUDA backend the NVIDIA
    /// driver runs (<see cref="ForDriver"/>), else <c>cpu</c>; <paramref name="why"/> says how it was chosen.
    /// </summary>
    public static string Resolve(string value, Func<string, string?> environment, out string why, Func<string?>? detect = null)
    {
        if (value != "auto")
        {
            why = $"PythonTorchBackend={value}";
            return value;
        }

        var text = environment(DriverVersionVariable) is { } stated ? stated.Trim() : (detect ?? DetectDriverVersion)();
        var source = environment(DriverVersionVariable) is null ? "detected" : DriverVersionVariable;
        if (string.IsNullOrEmpty(text) || text == "none" || !TryParseDriver(text!, out var driver))
        {
            why = $"PythonTorchBackend=auto: no NVIDIA driver {(source == "detected" ? "found" : $"({source}={text})")}, so the CPU builds";
            return "cpu";
        }

        var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var backend = ForDriver(driver, windows) ?? "cpu";
        why = $"PythonTorchBackend=auto: NVIDIA driver {text} ({source}) runs {(backend == "cpu" ? "none of the CUDA backends, so the CPU builds" : backend)}";
        return backend;
    }

    /// <summary>The newest CUDA backend a driver runs (Windows and Linux minimums differ), or null when it runs none.</summary>
    public static string? ForDriver(Version driver, bool windows) =>
        CudaDrivers.FirstOrDefault(entry => driver >= (windows ? entry.Windows : entry.Linux)).Backend;

    /// <summary>A driver version as NVIDIA writes it (<c>535.104.05</c>, <c>580.88</c>).</summary>
    public static bool TryParseDriver(string text, out Version version)
    {
        var parts = text.Trim().Split('.');
        version = new Version();
        if (parts.Length is < 2 or > 4 || parts.Any(part => part.Length == 0 || !part.All(char.IsDigit)))
        {
            return false;
        }

        return Version.TryParse(string.Join(".", parts.Select(part => int.Parse(part, System.Globalization.CultureInfo.InvariantCulture))), out version!);
    }

    /// <summary>
    /// The NVIDIA driver's version on this machine, where uv looks: <c>/sys/module/nvidia/version</c>, then
    /// <c>/proc/driver/nvidia/version</c> (Linux), then <c>nvidia-smi</c>; null when there is no driver.
    /// </summary>
    public static string? DetectDriverVersion()
    {
        if (Read("/sys/module/nvidia/version") is { } module && TryParseDriver(module, out _))
        {
            return module.Trim();
        }

        // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024"
        if (Read("/proc/driver/nvidia/version") is { } proc && Regex.Match(proc, @"Kernel Module\s+([0-9]+(\.[0-9]+){1,3})") is { Success: true } match)
        {
            return match.Groups[1].Value;
        }

        return NvidiaSmi();
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? NvidiaSmi()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=driver_version --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0)
            {
                return null;
            }

            var first = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0);
            return first is not null && TryParseDriver(first, out _) ? first : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
