using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PythonEnv.Environments;
using PythonEnv.Index;
using PythonEnv.Inputs;
using PythonEnv.Locking;
using PythonEnv.TestIndex;
using PythonEnv.Workflows;

namespace PythonEnv.Bench;

/// <summary>
/// Ours against pip (and Poetry / PDM when installed) on one loopback index of ~60 real packages: pyenv 3.11's
/// site-packages repacked into wheels. Scenarios: lock cold / warm cache, install cold / warm cache with no venv,
/// no-op. Ours runs twice: the engine alone (LockWorkflow, EnvironmentSync in this process) and, when the SDK
/// is packed (<c>--dotnet</c>), real <c>dotnet build</c>s of a project using it, with bare MSBuild start-up (the
/// same project without the SDK) measured in the same rounds. <c>cp -al</c> of the installed venv is the floor
/// of a warm install. Every round runs each tool once, in turn (interleaved); medians of the rounds.
/// </summary>
internal static class PeerBenchmark
{
    /// <summary>Roots whose closure in pyenv 3.11 is 60 distributions.</summary>
    private static readonly string[] Roots =
    [
        "moto", "flask", "awscli", "cryptography", "ipython", "pydantic", "attrs", "flask-cors", "joserfc",
        "py-partiql-parser", "graphql-core", "sympy", "networkx",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 3;
        var dotnet = args.Contains("--dotnet");
        // --only=engine,pip,poetry,pdm,dotnet: a subset of the tools (the floor always runs).
        var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..].Split(',');
        bool Runs(string tool) => only is null || only.Contains(tool);
        dotnet |= only?.Contains("dotnet") == true;
        var root = Path.Combine(Path.GetTempPath(), "pythonenv-bench-peer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var python = Python311();
        var sitePackages = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(python)!)!, "lib", "python3.11", "site-packages");
        var wheels = WheelRepacker.RepackWithDependencies(sitePackages, Roots, Path.Combine(root, "wheels"));
        await using var server = await TestIndexServer.StartAsync();
        foreach (var wheel in wheels)
        {
            server.Publish(wheel.Wheel);
        }
        // ipython needs appnope on macOS, which a Linux site-packages lacks: a universal lock (ours, Poetry's) must find it.
        server.Publish(new PackageSpec("appnope", "0.1.3").Wheel());
        var files = wheels.Sum(w => CountFiles(w.Wheel.Content));
        Console.WriteLine($"{wheels.Count} packages ({files} files, {wheels.Sum(w => w.Wheel.Size) / (1 << 20)} MiB of wheels) at {server.SimpleUrl}; {runs} rounds; {Environment.ProcessorCount} cores; load: {Uptime()}");

        var interpreter = await new InterpreterProbe(Path.Combine(root, "probe")).ProbeAsync(python);
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string row, double ms)
        {
            if (!results.TryGetValue(row, out var list))
            {
                results[row] = list = new List<double>();
            }
            list.Add(ms);
        }

        var poetry = Which("poetry");
        var pdm = Which("pdm");
        var build = dotnet ? DotnetProject.Create(root, server.SimpleUrl, Roots, python) : null;
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var round = 0; round <= runs; round++)
        {
            var measured = round > 0; // round 0 warms the JIT, the OS file cache and the connection pool
            var work = Path.Combine(root, "round" + round);
            Directory.CreateDirectory(work);

            // Engine alone.
            var engine = await EngineRound(work, server.SimpleUrl, python, interpreter);
            if (measured)
            {
                foreach (var (row, ms) in engine)
                {
                    Add(row, ms);
                }
            }

            // The floor: hard-linking the same files (the venv the engine just installed).
            var floor = Time(() => Run("cp", ["-al", Path.Combine(work, "engine", ".venv"), Path.Combine(work, "floor")]));
            if (measured)
            {
                Add("floor: cp -al of the venv", floor);
            }

            // A peer that fails (a resolver that cannot read this index) is reported and left out; ours must not fail.
            var peers = new List<(string Tool, bool Ran, Func<List<(string Row, double Ms)>> Round)>
            {
                ("pip", Runs("pip"), () => PipRound(work, server.SimpleUrl, python)),
                ("Poetry", poetry is not null && Runs("poetry"), () =>
                {
                    // Poetry 1.3 asks for */* and reads the answer as HTML: PyPI answers */* with HTML, this index
                    // (the server's choice under PEP 691) with JSON, which Poetry would read as a page without files.
                    server.Switches.HtmlOnly = true;
                    try
                    {
                        return PoetryRound(work, poetry!, server.SimpleUrl);
                    }
                    finally
                    {
                        server.Switches.HtmlOnly = false;
                    }
                }),
                ("PDM", pdm is not null && Runs("pdm"), () => PdmRound(work, pdm!, server.SimpleUrl, python, wheels.Count)),
            };
            foreach (var (tool, ran, peerRound) in peers.Where(p => p.Ran && !failed.ContainsKey(p.Tool)))
            {
                try
                {
                    foreach (var (row, ms) in peerRound())
                    {
                        if (measured)
                        {
                            Add(row, ms);
                        }
                    }
                }
                catch (InvalidOperationException e)
                {
                    failed[tool] = string.Join(" / ", e.Message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(6));
                    Console.WriteLine($"{tool} failed in round {round}, left out: {failed[tool]}");
                }
            }
            if (build is not null)
            {
                foreach (var (row, ms) in build.Round(work))
                {
                    if (measured)
                    {
                        Add(row, ms);
                    }
                }
            }
            // Rounds are deleted together at the end: on ext4 the kernel skips recently deleted inodes when it allocates
            // new ones, so ~300 000 files deleted just before the next round's first install (ours) would slow it and
            // not the tools that run later in the round (see "Where a sync's time goes").
        }

        Console.WriteLine();
        Console.WriteLine("| scenario | median | runs |");
        Console.WriteLine("|---|---|---|");
        foreach (var (row, values) in results)
        {
            Console.WriteLine($"| {row} | {Median(values):0} ms | {string.Join(" / ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} |");
        }
        Console.WriteLine();
        foreach (var line in Ratios(results))
        {
            Console.WriteLine(line);
        }
        if (poetry is null)
        {
            Console.WriteLine("Poetry: not installed (apt-get install python3-poetry), skipped.");
        }
        if (pdm is null)
        {
            Console.WriteLine("PDM: not installed (apt-get install python3-pdm: 2.2.1 in Debian 12), skipped.");
        }
        foreach (var (tool, reason) in failed)
        {
            Console.WriteLine($"{tool}: failed, left out: {reason}");
        }
        Console.WriteLine("load after: " + Uptime());
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>
    /// Each scenario's lines for the note: ours against the fastest peer that ran. A <c>dotnet build</c> pays MSBuild's
    /// start-up whatever the SDK does, so for the lock and no-op rows ours is also shown without bare MSBuild's
    /// no-op (measured in the same rounds); installs are compared whole.
    /// </summary>
    private static IEnumerable<string> Ratios(Dictionary<string, List<double>> results)
    {
        const string Bare = "bare MSBuild: no-op dotnet build without the SDK";
        double? MedianOf(string row) => results.TryGetValue(row, out var values) ? Median(values) : null;
        // Both builds of a round ran under the same load: the median of the rounds' differences is steadier than the difference of the medians.
        double LessBare(string row) => Median(results[row].Zip(results[Bare], (ours, bare) => ours - bare).ToList());
        var bare = MedianOf(Bare);
        (string Scenario, string Ours, string Engine, bool LessBare, string[] Peers)[] scenarios =
        [
            ("lock, cold cache", "ours, dotnet build -t:PythonLock: lock, cold cache", "ours, engine: lock, cold cache", true,
                ["pip: lock (install --dry-run --report), cold cache", "Poetry: lock, cold cache", "PDM: lock, cold cache"]),
            ("lock, warm cache, no lock", "ours, dotnet build -t:PythonLock: lock, warm cache, no lock", "ours, engine: lock, warm cache, no lock", true,
                ["pip: lock, warm cache", "Poetry: lock, warm cache, no lock", "PDM: lock, warm cache, no lock"]),
            ("install, cold cache", "ours, dotnet build: install, cold cache", "ours, engine: install, cold cache", false,
                ["pip: install --no-compile, cold cache", "Poetry: install, cold cache", "PDM: install (venv create + install --no-self), cold cache"]),
            ("install, warm cache, no venv", "ours, dotnet build: install, warm cache, no venv", "ours, engine: install, warm cache, no venv", false,
                ["pip: install --no-compile, warm cache, no venv", "Poetry: install, warm cache, no venv", "PDM: install, warm cache, no venv"]),
            ("install with bytecode, warm cache, no venv", "", "ours, engine: install with bytecode, warm cache, no venv", false,
                ["pip: install, warm cache, no venv"]),
            ("no-op", "ours, dotnet build: no-op", "ours, engine: no-op", true,
                ["Poetry: no-op (install)", "PDM: no-op (install --no-self)"]),
        ];
        foreach (var (scenario, oursRow, engineRow, lessBare, peers) in scenarios)
        {
            var best = peers.Select(p => (Row: p, Ms: MedianOf(p))).Where(p => p.Ms is not null).OrderBy(p => p.Ms).FirstOrDefault();
            var peer = best.Ms is { } b ? $"best peer {b:0} ms ({best.Row.Split(':')[0]})" : "no peer ran";
            string Versus(double ms) => best.Ms is not { } p ? "" : ms <= 0 ? "none beyond MSBuild's start-up" : $"{p / ms:0.00}x as fast as the best peer";
            if (MedianOf(oursRow) is { } ours)
            {
                var own = lessBare && bare is not null ? LessBare(oursRow) : ours;
                var what = lessBare && bare is not null ? $"dotnet build {ours:0} ms less bare MSBuild {bare:0} ms, median of the rounds' differences: {own:0} ms" : $"dotnet build {ours:0} ms";
                yield return $"{scenario}: ours {what}; {peer}; {Versus(own)}";
            }
            if (MedianOf(engineRow) is { } engine)
            {
                yield return $"{scenario}: ours, engine alone {engine:0} ms; {peer}; {Versus(engine)}";
            }
        }
        if (MedianOf("ours, dotnet build: no-op") is not null && bare is not null)
        {
            yield return $"no-op against bare MSBuild (bar: within 50 ms): {LessBare("ours, dotnet build: no-op"):+0;-0} ms (rounds: "
                + string.Join(" / ", results["ours, dotnet build: no-op"].Zip(results[Bare], (o, b) => (o - b).ToString("+0;-0", CultureInfo.InvariantCulture))) + ")";
        }
        if (MedianOf("ours, engine: install, warm cache, no venv") is { } warm && MedianOf("floor: cp -al of the venv") is { } floor)
        {
            yield return $"warm install, engine alone, against the cp -al floor (bar: 1.5x): {warm / floor:0.00}x";
        }
    }

    /// <summary>Lock cold, lock warm (no lock file), install cold (empty cache), install warm (no venv), no-op.</summary>
    private static async Task<List<(string Row, double Ms)>> EngineRound(string work, Uri index, string python, PythonInterpreter interpreter)
    {
        var rows = new List<(string, double)>();
        var project = Path.Combine(work, "engine");
        Directory.CreateDirectory(project);
        var lockPath = Path.Combine(project, "pylock.toml");
        var declarations = ProjectDeclarations.Gather(Roots.Select(r => new PackageDeclaration(DeclarationKind.Package, r) { File = Path.Combine(project, "app.csproj") }), null, []);
        var request = new LockRequest { LockPath = lockPath, CreatedBy = "bench", PythonInterpreter = python, ProjectDirectory = project };
        var lockCache = Path.Combine(work, "engine-lock-cache");
        var indexOptions = new IndexClientOptions { IndexUrls = [index], CacheDir = lockCache };
        rows.Add(("ours, engine: lock, cold cache", Time(() => LockWorkflow.Run(declarations, indexOptions, request))));
        File.Delete(lockPath);
        rows.Add(("ours, engine: lock, warm cache, no lock", Time(() => LockWorkflow.Run(declarations, indexOptions, request))));

        var installCache = Path.Combine(work, "engine-install-cache");
        var venv = Path.Combine(project, ".venv");
        async Task<(double, SyncResult)> Sync(bool compile = false, string? into = null)
        {
            var clock = Stopwatch.StartNew();
            var lockFile = PylockReader.Load(lockPath);
            var plan = LockInstallPlan.Create(lockFile, lockPath, interpreter);
            using var client = new IndexClient(new IndexClientOptions { IndexUrls = [index], CacheDir = installCache });
            var result = await EnvironmentSync.SyncAsync(plan, interpreter, into ?? venv, new SyncOptions { CacheDirectory = installCache, Download = client.DownloadAsync, CompileBytecode = compile });
            return (clock.Elapsed.TotalMilliseconds, result);
        }
        var (cold, coldResult) = await Sync();
        rows.Add(("ours, engine: install, cold cache", cold));
        Console.WriteLine($"  engine install cold: {coldResult.Phases}");
        Directory.Delete(venv, recursive: true);
        var (warm, warmResult) = await Sync();
        rows.Add(("ours, engine: install, warm cache, no venv", warm));
        Console.WriteLine($"  engine install warm: {warmResult.Phases}");
        var (noop, noopResult) = await Sync();
        rows.Add(("ours, engine: no-op", noop));
        Console.WriteLine($"  engine no-op: {noopResult.Phases}");
        // PythonCompileBytecode=true: the warm install again, into another venv, with every .py compiled and recorded.
        var (compiled, compiledResult) = await Sync(compile: true, into: Path.Combine(project, ".venv-bytecode"));
        rows.Add(("ours, engine: install with bytecode, warm cache, no venv", compiled));
        Console.WriteLine($"  engine install with bytecode: {compiledResult.Phases}");
        return rows;
    }

    private static List<(string Row, double Ms)> PipRound(string work, Uri index, string python)
    {
        var rows = new List<(string, double)>();
        var cache = Path.Combine(work, "pip-cache");
        string[] Common(string? cacheDir) => ["-m", "pip", "--disable-pip-version-check", "-q", .. (cacheDir is null ? new[] { "--no-cache-dir" } : ["--cache-dir", cacheDir])];
        string[] Lock(string? cacheDir) => [.. Common(cacheDir), "install", "--dry-run", "--ignore-installed", "--report", Path.Combine(work, "pip-report.json"), "--index-url", index.AbsoluteUri, .. Roots];
        rows.Add(("pip: lock (install --dry-run --report), cold cache", Time(() => Run(python, Lock(null)))));
        Run(python, Lock(cache)); // fills the cache
        rows.Add(("pip: lock, warm cache", Time(() => Run(python, Lock(cache)))));
        double Install(string venv, string? cacheDir, bool compile)
            => Time(() =>
            {
                Run(python, ["-m", "venv", "--without-pip", venv]);
                Run(python, [.. Common(cacheDir), "--python", Path.Combine(venv, "bin", "python"), "install", .. (compile ? Array.Empty<string>() : ["--no-compile"]), "--index-url", index.AbsoluteUri, .. Roots]);
            });
        rows.Add(("pip: install, cold cache", Install(Path.Combine(work, "pip-venv-1"), null, compile: true)));
        rows.Add(("pip: install --no-compile, cold cache", Install(Path.Combine(work, "pip-venv-2"), null, compile: false)));
        rows.Add(("pip: install, warm cache, no venv", Install(Path.Combine(work, "pip-venv-3"), cache, compile: true)));
        rows.Add(("pip: install --no-compile, warm cache, no venv", Install(Path.Combine(work, "pip-venv-4"), cache, compile: false)));
        return rows;
    }

    private static List<(string Row, double Ms)> PoetryRound(string work, string poetry, Uri index)
    {
        var rows = new List<(string, double)>();
        var project = Path.Combine(work, "poetry");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "pyproject.toml"), $$"""
            [tool.poetry]
            name = "bench"
            version = "0.1.0"
            description = ""
            authors = []
            packages = []

            [tool.poetry.dependencies]
            python = ">=3.11,<3.12"
            {{string.Join("\n", Roots.Select(r => $"\"{r}\" = \"*\""))}}

            [[tool.poetry.source]]
            name = "loopback"
            url = "{{index.AbsoluteUri}}"
            default = true

            [build-system]
            requires = ["poetry-core"]
            build-backend = "poetry.core.masonry.api"
            """);
        var cache = Path.Combine(work, "poetry-cache");
        var environment = new Dictionary<string, string>
        {
            ["POETRY_CACHE_DIR"] = cache,
            ["POETRY_VIRTUALENVS_IN_PROJECT"] = "true",
            ["POETRY_NO_INTERACTION"] = "1",
        };
        void Poetry(params string[] arguments) => Run(poetry, arguments, project, environment);
        rows.Add(("Poetry: lock, cold cache", Time(() => Poetry("lock"))));
        File.Delete(Path.Combine(project, "poetry.lock"));
        rows.Add(("Poetry: lock, warm cache, no lock", Time(() => Poetry("lock"))));
        Directory.Delete(cache, recursive: true);
        Directory.CreateDirectory(cache);
        rows.Add(("Poetry: install, cold cache", Time(() => Poetry("install", "--no-root"))));
        Directory.Delete(Path.Combine(project, ".venv"), recursive: true);
        rows.Add(("Poetry: install, warm cache, no venv", Time(() => Poetry("install", "--no-root"))));
        rows.Add(("Poetry: no-op (install)", Time(() => Poetry("install", "--no-root"))));
        return rows;
    }

    /// <summary>
    /// PDM isolated from any user configuration and from the internet: its own config file (cache, no update
    /// check, stdlib venv in the project, the default source on loopback), the loopback index as the project's
    /// source, and no build system: PDM locks and installs the dependencies only (<c>--no-self</c>). The venv is
    /// made from pyenv's 3.11 by <c>pdm venv create</c>, timed with the install (as pip's rows time <c>python -m venv</c>).
    /// </summary>
    private static List<(string Row, double Ms)> PdmRound(string work, string pdm, Uri index, string python, int packages)
    {
        var rows = new List<(string, double)>();
        var project = Path.Combine(work, "pdm");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "pyproject.toml"), $$"""
            [project]
            name = "bench"
            version = "0.1.0"
            requires-python = ">=3.11,<3.12"
            dependencies = [{{string.Join(", ", Roots.Select(r => $"\"{r}\""))}}]

            [[tool.pdm.source]]
            name = "pypi"
            url = "{{index.AbsoluteUri}}"
            verify_ssl = false
            """);
        var cache = Path.Combine(work, "pdm-cache");
        var config = Path.Combine(work, "pdm-config.toml");
        File.WriteAllText(config, $"""
            cache_dir = "{cache}"
            check_update = false

            [pypi]
            url = "{index.AbsoluteUri}"
            verify_ssl = false

            [python]
            use_venv = true
            use_pyenv = false

            [venv]
            backend = "venv"
            in_project = true
            with_pip = false
            """);
        var environment = new Dictionary<string, string>
        {
            ["PDM_CONFIG_FILE"] = config,
            ["PDM_CHECK_UPDATE"] = "false",
            ["XDG_CONFIG_HOME"] = Path.Combine(work, "pdm-home"),
            ["XDG_CACHE_HOME"] = Path.Combine(work, "pdm-home"),
            ["XDG_DATA_HOME"] = Path.Combine(work, "pdm-home"),
        };
        void Pdm(params string[] arguments) => Run(pdm, arguments, project, environment);
        var venv = Path.Combine(project, ".venv");
        void Install()
        {
            Pdm("venv", "create", "--force", python);
            Pdm("install", "--no-self");
        }
        Pdm("venv", "create", "--force", python); // the lock evaluates markers with the project's interpreter
        rows.Add(("PDM: lock, cold cache", Time(() => Pdm("lock"))));
        File.Delete(Path.Combine(project, "pdm.lock"));
        rows.Add(("PDM: lock, warm cache, no lock", Time(() => Pdm("lock"))));
        Directory.Delete(cache, recursive: true);
        Directory.Delete(venv, recursive: true);
        rows.Add(("PDM: install (venv create + install --no-self), cold cache", Time(Install)));
        Directory.Delete(venv, recursive: true);
        rows.Add(("PDM: install, warm cache, no venv", Time(Install)));
        rows.Add(("PDM: no-op (install --no-self)", Time(() => Pdm("install", "--no-self"))));
        // A row only counts if PDM installed the whole graph into a venv of the benchmark's interpreter.
        var installed = Directory.GetDirectories(Path.Combine(venv, "lib", "python3.11", "site-packages"), "*.dist-info").Length;
        var home = File.ReadAllLines(Path.Combine(venv, "pyvenv.cfg")).FirstOrDefault(l => l.StartsWith("home", StringComparison.Ordinal));
        if (installed != packages || home?.Contains(Path.GetDirectoryName(python)!, StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"PDM installed {installed} of {packages} distributions into a venv of {home}, not {python}");
        }
        return rows;
    }

    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    internal static void Run(string fileName, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = directory ?? "" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing from a user's configuration, nothing from the internet.
        start.Environment["PIP_CONFIG_FILE"] = "/dev/null";
        start.Environment.Remove("PYTHONPATH");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Result}{error}");
        }
    }

    private static string Python311()
    {
        var pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } r ? r : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var version = Directory.Exists(Path.Combine(pyenv, "versions"))
            ? Directory.GetDirectories(Path.Combine(pyenv, "versions"), "3.11.*").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        return version is null
            ? throw new InvalidOperationException($"the peer benchmark repacks pyenv's CPython 3.11 site-packages; none under {pyenv}/versions")
            : Path.Combine(version, "bin", "python3.11");
    }

    internal static string? Which(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => d.Length > 0).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    internal static string Uptime() => File.Exists("/proc/loadavg") ? "load average " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int CountFiles(byte[] wheel)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(wheel));
        return archive.Entries.Count;
    }
}
