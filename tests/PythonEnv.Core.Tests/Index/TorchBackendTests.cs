using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Index;

namespace PythonEnv.Core.Tests.Index;

/// <summary>
/// PythonTorchBackend: backend names as PyTorch's indexes use them, and auto choosing the newest CUDA backend the
/// NVIDIA driver runs (NVIDIA's minimum drivers for minor version compatibility, as uv's torch-backend=auto), else cpu.
/// </summary>
[TestClass]
public sealed class TorchBackendTests
{
    [TestMethod]
    [DataRow("535.104.05", false, "cu129")]
    [DataRow("525.60.13", false, "cu129")]
    [DataRow("525.60.12", false, "cu118")]
    [DataRow("450.80.02", false, "cu118")]
    [DataRow("450.80.01", false, null)]
    [DataRow("580.65.06", false, "cu130")]
    [DataRow("528.33", true, "cu129")]
    [DataRow("527.41", true, "cu118")]
    public void The_newest_backend_the_driver_runs(string driver, bool windows, string? backend)
    {
        Assert.IsTrue(TorchBackend.TryParseDriver(driver, out var version));
        Assert.AreEqual(backend, TorchBackend.ForDriver(version, windows));
    }

    [TestMethod]
    public void Auto_reads_the_stated_driver_version_and_falls_back_to_cpu()
    {
        var environment = new Dictionary<string, string?> { [TorchBackend.DriverVersionVariable] = "470.82.01" };
        Assert.AreEqual("cu118", TorchBackend.Resolve("auto", name => environment.TryGetValue(name, out var v) ? v : null, out var why, detect: () => throw new InvalidOperationException("not asked")));
        StringAssert.Contains(why, "470.82.01");

        environment[TorchBackend.DriverVersionVariable] = "none";
        Assert.AreEqual("cpu", TorchBackend.Resolve("auto", name => environment.TryGetValue(name, out var v) ? v : null, out _));
        Assert.AreEqual("cpu", TorchBackend.Resolve("auto", _ => null, out var none, detect: () => null));
        StringAssert.Contains(none, "no NVIDIA driver found");
        Assert.AreEqual("cu121", TorchBackend.Resolve("cu121", _ => throw new InvalidOperationException("not asked"), out _));
    }

    [TestMethod]
    [DataRow("cpu", true)]
    [DataRow("cu118", true)]
    [DataRow("cu121", true)]
    [DataRow("rocm6.2", true)]
    [DataRow("xpu", true)]
    [DataRow("auto", true)]
    [DataRow("cuda", false)]
    [DataRow("cu12.1", false)]
    [DataRow("gpu", false)]
    public void Backend_names(string value, bool valid) => Assert.AreEqual(valid, TorchBackend.IsValid(value));

    [TestMethod]
    public void The_index_of_a_backend_is_under_the_base() =>
        Assert.AreEqual("https://download.pytorch.org/whl/cu121/", TorchBackend.IndexUrl("cu121", null).AbsoluteUri);
}
