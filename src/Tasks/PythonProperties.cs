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
    public const string CompileBytecodeName = "PythonCompileBytecode";
    public const string UpgradeName = "PythonUpgrade";
    public const string EnvironmentEnabledName = "PythonEnvironmentEnabled";
    public const string TorchBackendName = "PythonTorchBackend";
    public const string InterpreterSourceName = "PythonInterpreterSource";
    public const string SelfContainedName = "PythonSelfContained";

    /// <summary>The hosts' switches (PythonEnv.Sdk.Hosts.targets): <c>true</c>/<c>false</c>, empty for their defaults.</summary>
    private static readonly string[] HostSwitches = ["PythonHostCode", "PythonEmbedded", "PythonReferencedEnvironment", "PythonPublishEnvironment"];

    private static readonly string[] Booleans = ["true", "false"];

    /// <summary><c>PythonLockMode</c>; empty is <c>Update</c> (the targets make it <c>Locked</c> when <c>ContinuousIntegrationBuild</c> is true).</summary>
    public static LockMode LockMode(string? value) => Choose(LockModeName, value, LockModes, Locking.LockMode.Update);

    /// <summary><c>PythonResolution</c>; empty is <c>highest</c>.</summary>
    public static ResolutionStrategy Resolution(string? value) => Choose(ResolutionName, value, ResolverOptionNames.Strategies, ResolverOptionNames.DefaultStrategy);

    /// <summary><c>PythonPrerelease</c>; empty is PEP 440's rule (<c>if-necessary-or-explicit</c>).</summary>
    public static PrereleasePolicy Prerelease(string? value) => Choose(PrereleaseName, value, ResolverOptionNames.Prereleases, ResolverOptionNames.DefaultPrerelease);

    /// <summary><c>PythonInterpreterSource</c>; empty is <c>auto</c> (installed first, else managed).</summary>
    public static InterpreterSource InterpreterSource(string? value) => Choose(InterpreterSourceName, value, InterpreterSources, Interpreters.InterpreterSource.Auto);

    /// <summary>A boolean property (<c>PythonOffline</c>, <c>PythonNoBuild</c>, ...): <c>true</c> or <c>false</c>, any case; empty is <paramref name="empty"/>.</summary>
    public static bool Boolean(string name, string? value, bool empty = false) =>
        Choose(name, value, new Dictionary<string, bool> { ["true"] = true, ["false"] = false }, empty);

    /// <summary>
    /// <c>PythonUpgrade</c>: <c>true</c> (every package), <c>false</c> or empty (none), or package names separated by
    /// <c>;</c>, <c>,</c> or spaces; returned in the form the lock workflow takes (<c>true</c>, <c>false</c> or <c>a;b</c>).
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
                throw Invalid(UpgradeName, value!, $"'{name}' is not a package name. Use true, false, or package names separated by ';', ',' or spaces");
            }
        }

        return string.Join(";", names);
    }

    /// <summary>
    /// <c>PythonTorchBackend</c>: <c>auto</c> or a PyTorch index name (<c>cpu</c>, <c>cu118</c>, <c>cu121</c>, <c>cu124</c>,
    /// <c>rocm6.2</c>, <c>xpu</c>), any case; empty is none (null).
    /// </summary>
    public static string? TorchBackend(string? value)
    {
        var text = value?.Trim().ToLowerInvariant() ?? "";
        if (text.Length == 0)
        {
            return null;
        }

        return Index.TorchBackend.IsValid(text)
            ? text
            : throw Invalid(TorchBackendName, value!, "Use auto, cpu, or a CUDA/ROCm backend as PyTorch's indexes name them (cu118, cu121, cu124, cu126, cu128, rocm6.2, xpu), or leave it empty for none");
    }

    /// <summary>Checks one property by name; properties this class does not know are not checked.</summary>
    public static void Check(string name, string? value)
    {
        switch (name)
        {
            case LockModeName: LockMode(value); break;
            case ResolutionName: Resolution(value); break;
            case PrereleaseName: Prerelease(value); break;
            case UpgradeName: Upgrade(value); break;
            case TorchBackendName: TorchBackend(value); break;
            case OfflineName or NoBuildName or CompileBytecodeName: Boolean(name, value); break;
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

    /// <summary>The value for <paramref name="value"/> (trimmed, any case), <paramref name="empty"/> for none, else PYENV1001.</summary>
    private static T Choose<T>(string name, string? value, IReadOnlyDictionary<string, T> allowed, T empty)
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
