using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace PythonEnv.Environments;

/// <summary>
/// Where a sync's time went: each phase's wall time, in the order they ran (a phase named twice adds up).
/// Cheap enough to keep on: one <see cref="Stopwatch"/> read per phase.
/// </summary>
public sealed class SyncPhases
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Elapsed)> _phases = new();
    private TimeSpan _last;

    /// <summary>Each phase and its time, in order.</summary>
    public IReadOnlyList<(string Name, TimeSpan Elapsed)> Phases => _phases;

    /// <summary>Ends the phase that ran since the previous mark (or since the start) and names it.</summary>
    public void Mark(string name)
    {
        var now = _clock.Elapsed;
        var index = _phases.FindIndex(p => p.Name == name);
        if (index >= 0)
        {
            _phases[index] = (name, _phases[index].Elapsed + (now - _last));
        }
        else
        {
            _phases.Add((name, now - _last));
        }
        _last = now;
    }

    /// <summary>"venv lock 1 ms, scan 4 ms, ...": the phases that took at least 0.5 ms.</summary>
    public override string ToString()
        => string.Join(", ", _phases.Where(p => p.Elapsed.TotalMilliseconds >= 0.5).Select(p => $"{p.Name} {p.Elapsed.TotalMilliseconds:0} ms"));
}
