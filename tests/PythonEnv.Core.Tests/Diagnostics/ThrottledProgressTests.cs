using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;

namespace PythonEnv.Core.Tests.Diagnostics;

/// <summary>Progress lines: bytes of total and rate, at most one per interval, none for quick work; a summary per phase.</summary>
[TestClass]
public sealed class ThrottledProgressTests
{
    private TimeSpan _now;
    private readonly List<string> _lines = [];

    private ThrottledProgress Reporter() => new(_lines.Add, TimeSpan.FromMilliseconds(500), () => _now);

    [TestMethod]
    public void A_long_download_reports_bytes_of_total_and_rate_at_most_once_per_interval()
    {
        using var progress = Reporter();
        using (var download = progress.Start(ProgressPhase.Download, "torch-2.5.1-cp312-cp312-manylinux_2_28_x86_64.whl", 2L << 30))
        {
            download.Advance(100 << 20);
            _now = TimeSpan.FromMilliseconds(400);
            download.Advance(100 << 20);
            Assert.AreEqual(0, _lines.Count, "work younger than the interval says nothing");
            _now = TimeSpan.FromSeconds(1);
            download.Advance(56 << 20);
            download.Advance(1 << 20);
            _now = TimeSpan.FromSeconds(1.2);
            progress.Tick();
            _now = TimeSpan.FromSeconds(2);
            download.Advance(255 << 20);
        }

        CollectionAssert.AreEqual(new[]
        {
            "Downloading torch-2.5.1-cp312-cp312-manylinux_2_28_x86_64.whl: 256.0 MiB of 2.0 GiB (256.0 MiB/s)",
            "Downloading torch-2.5.1-cp312-cp312-manylinux_2_28_x86_64.whl: 512.0 MiB of 2.0 GiB (256.0 MiB/s)",
        }, _lines);
        CollectionAssert.AreEqual(new[] { "download: 1 file, 512.0 MiB in 2.0 s" }, (System.Collections.ICollection)progress.Summary());
    }

    [TestMethod]
    public void Work_without_bytes_reports_its_time_and_how_many_more_run_and_each_phase_is_summed_up_in_order()
    {
        using var progress = Reporter();
        var build = progress.Start(ProgressPhase.Build, "numpy 2.1.0 from numpy-2.1.0.tar.gz");
        _now = TimeSpan.FromSeconds(1);
        var unpack = progress.Start(ProgressPhase.Unpack, "a-1.0-py3-none-any.whl");
        _now = TimeSpan.FromSeconds(3);
        progress.Tick();
        unpack.Dispose();
        build.Dispose();
        using (progress.Start(ProgressPhase.Link, "numpy 2.1.0"))
        {
        }

        CollectionAssert.AreEqual(new[] { "Building numpy 2.1.0 from numpy-2.1.0.tar.gz (3.0 s) (+1 more)" }, _lines);
        CollectionAssert.AreEqual(new[] { "unpack: 1 wheel in 2.0 s", "build: 1 sdist in 3.0 s", "link: 1 package in 0.0 s" }, (System.Collections.ICollection)progress.Summary());
    }

    [TestMethod]
    public void Nothing_is_reported_once_the_reporter_is_disposed()
    {
        var progress = Reporter();
        var download = progress.Start(ProgressPhase.Download, "a.whl", 10);
        progress.Dispose();
        _now = TimeSpan.FromSeconds(5);
        download.Advance(5);
        progress.Tick();

        Assert.AreEqual(0, _lines.Count, "a task must not log after it ends");
    }

    [TestMethod]
    public void Nothing_to_do_reports_nothing()
    {
        using var progress = Reporter();
        _now = TimeSpan.FromMinutes(1);
        progress.Tick();

        Assert.AreEqual(0, _lines.Count);
        Assert.AreEqual(0, progress.Summary().Count);
    }
}
