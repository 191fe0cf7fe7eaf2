using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Interpreters;
using PythonEnv.Locking;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// The one place the SDK's enumerated and boolean properties are read: each accepted spelling, its meaning
/// (the engine's enums) and the default an empty value stands for. A value outside the set is PYENV1001 naming
/// the property, the value and the allowed ones; <see cref="ValidatePythonProperties"/> reports it at the project
/// line that sets the property, before any other target reads it.
/// </summary>
internal static class PythonProperties
{
    public const string LockModeName = "PythonLockMode";
    public const string ResolutionName = "PythonResolution";
    public const string PrereleaseName = "PythonPrerelease";
    public const string OfflineName = "PythonOffline";
    public const string NoBuildName = "PythonNoBuild";
    public const string UpgradeName = "PythonUpgrade";
    public const string EnvironmentEnabledName = "PythonEnvironmentEnabled";
    public const string InterpreterSourceName = "PythonInterpreterSource";
    public const string SelfContainedName = "PythonSelfContained";

    /// <summary>The hosts' switches (PythonEnv.Sdk.Hosts.targets): <c>true</c>/<c>false</c>, empty for their defaults.</summary>
    private static readonly string[] HostSwitches = ["PythonHostCode", "PythonEmbedded", "PythonReferencedEnvironment", "PythonPublishEnvironment"];

    private static readonly string[] Booleans = ["true", "false"];

    /// <summary><c>PythonLockMode</c>; empty is <c>Update</c> (the targets make it <c>Locked</c> when <c>ContinuousIntegrationBuild</c> is true).</summary>
    public static LockMode LockMode(string? value) => Choose(LockModeName, value, LockModes, Locking.LockMode.Update);

    /// <summary><c>PythonResolution</c>; empty is <c>highest</c>.</summary>
    public static ResolutionStrategy Resolution(string? value) => Choose(ResolutionName, value, Resolutions, ResolutionStrategy.Highest);

    /// <summary><c>PythonPrerelease</c>; empty is PEP 440's rule (<c>if-necessary-or-explicit</c>).</summary>
    public static PrereleasePolicy Prerelease(string? value) => Choose(PrereleaseName, value, Prereleases, PrereleasePolicy.IfNecessaryOrExplicit);

    /// <summary><c>PythonInterpreterSource</c>; empty is <c>auto</c> (installed first, else managed).</summary>
    public static InterpreterSource InterpreterSource(string? value) => Choose(InterpreterSourceName, value, InterpreterSources, Interpreters.InterpreterSource.Auto);

    /// <summary>A boolean property (<c>PythonOffline</c>, <c>PythonNoBuild</c>, ...): <c>true</c> or <c>false</c>, any case; empty is <paramref name="empty"/>.</summary>
    public static bool Boolean(string name, string? value, bool empty = false) =>
        Choose(name, value, new Dictionary<string, bool> { ["true"] = true, ["false"] = false }, empty);

    /// <summary>
    /// <c>PythonUpgrade</c>: <c>true</c> (every package), <c>false</c> or empty (none), or package names separated by
    /// <c>;</c> or <c>,</c>; returned in the form the lock workflow takes (<c>true</c>, <c>false</c> or <c>a;b</c>).
    /// </summary>
    public static string Upgrade(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0 || Booleans.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return text.Length == 0 ? "false" : text.ToLowerInvariant();
        }

        var names = PropertyLists.Names(text);
        foreach (var name in names)
        {
            if (!PackageName.IsValid(name) || Booleans.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid(UpgradeName, value!, $"'{name}' is not a package name. Use true, false, or package names separated by ';'");
            }
        }

        return string.Join(";", names);
    }

    /// <summary>The engine's name for a strategy, as the lock records it.</summary>
    public static string Name(ResolutionStrategy strategy) => Resolutions.First(pair => pair.Value == strategy).Key;

    /// <summary>The engine's name for a pre-release policy, as the lock records it.</summary>
    public static string Name(PrereleasePolicy policy) => Prereleases.First(pair => pair.Value == policy).Key;

    /// <summary>Checks one property by name; properties this class does not know are not checked.</summary>
    public static void Check(string name, string? value)
    {
        switch (name)
        {
            case LockModeName: LockMode(value); break;
            case ResolutionName: Resolution(value); break;
            case PrereleaseName: Prerelease(value); break;
            case UpgradeName: Upgrade(value); break;
            case OfflineName or NoBuildName: Boolean(name, value); break;
            case EnvironmentEnabledName: Boolean(name, value, empty: true); break;
            case InterpreterSourceName: InterpreterSource(value); break;
            case SelfContainedName: Boolean(name, value); break;
            case var host when HostSwitches.Contains(host): Boolean(name, value); break;
        }
    }

    private static readonly Dictionary<string, LockMode> LockModes = new()
    {
        ["Update"] = Locking.LockMode.Update, ["Locked"] = Locking.LockMode.Locked, ["Frozen"] = Locking.LockMode.Frozen,
    };

    private static readonly Dictionary<string, InterpreterSource> InterpreterSources = new()
    {
        ["auto"] = Interpreters.InterpreterSource.Auto, ["managed"] = Interpreters.InterpreterSource.Managed, ["system"] = Interpreters.InterpreterSource.System,
    };

    private static readonly Dictionary<string, ResolutionStrategy> Resolutions = new()
    {
        ["highest"] = ResolutionStrategy.Highest, ["lowest"] = ResolutionStrategy.Lowest, ["lowest-direct"] = ResolutionStrategy.LowestDirect,
    };

    private static readonly Dictionary<string, PrereleasePolicy> Prereleases = new()
    {
        ["if-necessary-or-explicit"] = PrereleasePolicy.IfNecessaryOrExplicit, ["allow"] = PrereleasePolicy.Allow,
    };

    /// <summary>The value for <paramref name="value"/> (trimmed, any case), <paramref name="empty"/> for none, else PYENV1001.</summary>
    private static T Choose<T>(string name, string? value, Dictionary<string, T> allowed, T empty)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return empty;
        }

        foreach (var pair in allowed)
        {
            if (string.Equals(pair.Key, text, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        throw Invalid(name, value!, "Use " + string.Join(", ", allowed.Keys.Take(allowed.Count - 1)) + " or " + allowed.Keys.Last() + ", or leave it empty for the default");
    }

    private static PythonEnvException Invalid(string name, string value, string fix) =>
        new PropertyException(name, DiagnosticCodes.InvalidDeclaration, $"{name} has the value '{value}', which it does not accept. {fix}.");
}

/// <summary>A property value the SDK cannot use; the task reports it where the property is set (<see cref="PropertyLocator"/>).</summary>
internal sealed class PropertyException(string property, string code, string message) : PythonEnvException(code, message)
{
    public string Property { get; } = property;
}
