using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.TestIndex;

namespace PythonEnv.Sdk.Tests.Harness;

/// <summary>
/// An interpreter whose site-packages holds real distributions to repack into wheels: pyenv's 3.11 (pip-installed
/// wheels: boto3, flask, pydantic, moto, ipython...) or Debian's python3 with its <c>python3-*</c> packages in
/// /usr/lib/python3/dist-packages. Absent ones make the test inconclusive, naming what to install.
/// </summary>
public sealed record RealPython(string Name, string Executable, string SitePackages, IReadOnlyDictionary<string, MetadataPatch> Patches)
{
    /// <summary>The apt packages the Debian source needs (.ci/run installs them).</summary>
    public static readonly string[] DebianPackages = ["python3-numpy", "python3-scipy", "python3-pandas", "python3-sklearn", "python3-matplotlib", "python3-ipython"];

    /// <summary>
    /// pyenv's newest 3.11 (under PYENV_ROOT, else ~/.pyenv). Its distributions were installed by pip from PyPI
    /// wheels, so RECORD, WHEEL (real tags, manylinux too) and METADATA are upstream's: no patches.
    /// </summary>
    public static RealPython Pyenv311()
    {
        string root = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } r ? r : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        string? version = Directory.Exists(Path.Combine(root, "versions"))
            ? Directory.GetDirectories(Path.Combine(root, "versions"), "3.11.*").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (version is null) Assert.Inconclusive($"needs a pyenv CPython 3.11 under {root}/versions");
        return new RealPython("pyenv", Path.Combine(version!, "bin", "python3.11"), Path.Combine(version!, "lib", "python3.11", "site-packages"), new Dictionary<string, MetadataPatch>());
    }

    /// <summary>
    /// Debian's python3.11 and its packages. Debian's metadata differs from upstream's, and the differences are
    /// put back before repacking (each patch says why): its packaging strips Requires-Dist that dpkg's Depends
    /// carry instead (pandas, scikit-learn, matplotlib, python-dateutil, IPython's jedi, pexpect, prompt-toolkit,
    /// matplotlib-inline, asttokens), and a setuptools_scm build without git
    /// writes version 0.0.0 (kiwisolver, pure_eval, mpmath): the upstream version is then dpkg's.
    /// </summary>
    public static RealPython Debian()
    {
        const string sitePackages = "/usr/lib/python3/dist-packages";
        const string python = "/usr/bin/python3.11";
        var missing = new[] { "numpy", "scipy", "pandas", "sklearn", "matplotlib", "IPython" }.Where(m => !Directory.Exists(Path.Combine(sitePackages, m))).ToList();
        if (!File.Exists(python) || missing.Count > 0)
        {
            Assert.Inconclusive($"needs Debian's python3.11 with {string.Join(", ", missing)} in {sitePackages}: apt-get install -y {string.Join(" ", DebianPackages)}");
        }

        var patches = new Dictionary<string, MetadataPatch>(StringComparer.Ordinal)
        {
            // Upstream setup.cfg of 1.5.3; Debian keeps requires.txt's section headers but drops their lines.
            ["pandas"] = new("Debian strips install_requires (python3-pandas Depends: python3-numpy, python3-dateutil, python3-tz)")
            {
                AddRequiresDist = ["numpy>=1.20.3; python_version < \"3.10\"", "numpy>=1.21.0; python_version >= \"3.10\"", "numpy>=1.23.2; python_version >= \"3.11\"", "python-dateutil>=2.8.1", "pytz>=2020.1"],
            },
            ["scikit-learn"] = new("Debian strips install_requires (python3-sklearn Depends: python3-numpy, python3-scipy, python3-joblib, python3-threadpoolctl)")
            {
                AddRequiresDist = ["numpy>=1.17.3", "scipy>=1.3.2", "joblib>=1.1.1", "threadpoolctl>=2.0.0"],
            },
            ["matplotlib"] = new("Debian strips install_requires (python3-matplotlib Depends: python3-numpy, python3-pil, python3-cycler, python3-kiwisolver, ...)")
            {
                AddRequiresDist = ["contourpy>=1.0.1", "cycler>=0.10", "fonttools>=4.22.0", "kiwisolver>=1.0.1", "numpy>=1.19", "packaging>=20.0", "pillow>=6.2.0", "pyparsing>=2.2.1", "python-dateutil>=2.7"],
            },
            ["python-dateutil"] = new("Debian strips install_requires (python3-dateutil Depends: python3-six)")
            {
                AddRequiresDist = ["six>=1.5"],
            },
            ["jedi"] = new("Debian strips install_requires (python3-jedi Depends: python3-parso)") { AddRequiresDist = ["parso>=0.8.0,<0.9.0"] },
            ["pexpect"] = new("Debian strips install_requires (python3-pexpect Depends: python3-ptyprocess)") { AddRequiresDist = ["ptyprocess>=0.5"] },
            ["prompt-toolkit"] = new("Debian strips install_requires (python3-prompt-toolkit Depends: python3-wcwidth)") { AddRequiresDist = ["wcwidth"] },
            ["matplotlib-inline"] = new("Debian strips install_requires (python3-matplotlib-inline Depends: python3-traitlets)") { AddRequiresDist = ["traitlets"] },
            ["asttokens"] = new("Debian strips install_requires (python3-asttokens Depends: python3-six)") { AddRequiresDist = ["six>=1.12.0"] },
        };
        foreach (InstalledDistribution unversioned in InstalledDistribution.Scan(sitePackages).Where(d => d.Version == "0.0.0"))
        {
            if (DpkgUpstreamVersion(unversioned.MetadataDirectory) is { } version)
            {
                patches[unversioned.NormalizedName] = new($"built without git, setuptools_scm wrote 0.0.0; dpkg says {version}") { Version = version };
            }
        }

        return new RealPython("debian", python, sitePackages, patches);
    }

    /// <summary>The wheels of <paramref name="roots"/> and their installed dependencies, repacked once per test run.</summary>
    public RealWheelSet Repack(params string[] roots)
    {
        string names = string.Join(" ", roots.Select(Names.Normalize).Order(StringComparer.Ordinal));
        string key = $"{Name}-{roots.Length}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(names)))[..12].ToLowerInvariant()}";
        return RealWheelSet.Cache.GetOrAdd(key, _ => new Lazy<RealWheelSet>(() =>
        {
            var clock = Stopwatch.StartNew();
            var wheels = WheelRepacker.RepackWithDependencies(SitePackages, roots, Path.Combine(RealWheelSet.Directory, key), Patches);
            clock.Stop();
            SdkPackage.Record($"real-wheels {key}: repacked {wheels.Count} wheels ({wheels.Sum(w => w.Wheel.Size) / (1024 * 1024)} MiB) in {clock.Elapsed.TotalSeconds:F1}s");
            return new RealWheelSet(wheels, clock.Elapsed);
        })).Value;
    }

    /// <summary>Runs this interpreter (or another executable) and returns its output; fails the test on a non-zero exit.</summary>
    public static string Run(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // No user configuration or cache, nothing from the internet: every index is the loopback one.
        start.Environment["PIP_CONFIG_FILE"] = "/dev/null";
        start.Environment["PIP_NO_CACHE_DIR"] = "1";
        start.Environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        start.Environment.Remove("PYTHONPATH");
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{executable} {string.Join(" ", start.ArgumentList)}:\n{output}{error.Result}");
        return output;
    }

    // dpkg -S names the package owning the folder; its version without epoch and Debian revision is upstream's.
    private static string? DpkgUpstreamVersion(string path)
    {
        try
        {
            string owner = Run("dpkg", ["-S", path]).Split(':')[0].Trim();
            string version = Run("dpkg-query", ["-W", "-f=${Version}", owner]).Trim();
            version = version.Contains(':', StringComparison.Ordinal) ? version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..] : version;
            return version.Contains('-', StringComparison.Ordinal) ? version[..version.LastIndexOf('-')] : version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no dpkg: not Debian, nothing to ask
        }
    }
}

/// <summary>Repacked wheels, ready to publish on a test index.</summary>
public sealed class RealWheelSet(IReadOnlyList<RepackedWheel> wheels, TimeSpan repackTime)
{
    internal static readonly ConcurrentDictionary<string, Lazy<RealWheelSet>> Cache = new(StringComparer.Ordinal);

    /// <summary>Where this run keeps the repacked wheels (deleted with the run's feed).</summary>
    public static string Directory => Path.Combine(SdkPackage.RunDirectory, "real-wheels");

    public IReadOnlyList<RepackedWheel> Wheels { get; } = wheels;

    public TimeSpan RepackTime { get; } = repackTime;

    public RepackedWheel this[string name] => Wheels.Single(w => w.Source.NormalizedName == Names.Normalize(name));

    /// <summary>A loopback index serving every wheel (with its METADATA as the PEP 658 file).</summary>
    public async Task<TestIndexServer> ServeAsync()
    {
        TestIndexServer server = await TestIndexServer.StartAsync();
        foreach (RepackedWheel wheel in Wheels) server.Publish(wheel.Wheel);
        return server;
    }

    public string Describe() => new StringBuilder()
        .AppendJoin('\n', Wheels.Select(w => $"{w.Wheel.FileName} ({w.Wheel.Size / 1024} KiB{(w.Patch is null ? "" : "; patched: " + w.Patch.Reason)}{(w.MissingFiles.Count == 0 ? "" : $"; {w.MissingFiles.Count} listed files missing")})"))
        .ToString();
}
