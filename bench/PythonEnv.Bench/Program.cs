using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace PythonEnv.Bench;

/// <summary>Runs one benchmark (or helper command) by name: <c>PythonEnv.Bench &lt;name&gt; [args]</c>.</summary>
public static class Program
{
    /// <summary>Every command; add a benchmark by adding a row.</summary>
    private static readonly Dictionary<string, (string Help, Func<string[], Task<int>> Run)> Commands = new(StringComparer.Ordinal)
    {
        ["index"] = ("metadata of 50 packages from a loopback index, cold and warm, vs pip install --dry-run", IndexBenchmark.RunAsync),
        ["install"] = ("venv + 50 wheels, cold and warm cache, vs python -m venv + pip install --no-deps", InstallBenchmark.RunAsync),
        ["resolve"] = ("resolve a 50-package graph from a loopback index, cold and warm, vs pip install --dry-run --report", ResolveBenchmark.RunAsync),
        ["peer"] = ("ours (engine; --dotnet: dotnet build too) vs pip, Poetry, PDM on ~60 real packages: lock, install, no-op; cp -al floor: peer [rounds] [--dotnet]", PeerBenchmark.RunAsync),
        ["cache-fill"] = ("(test helper) fill an index cache: cache-fill <index-url> <cache-dir> <name>...", CacheFill.RunAsync),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine("usage: PythonEnv.Bench <command> [args]");
            foreach (var pair in Commands)
            {
                Console.Error.WriteLine($"  {pair.Key,-12} {pair.Value.Help}");
            }

            return 2;
        }

        return await command.Run(args[1..]);
    }
}
