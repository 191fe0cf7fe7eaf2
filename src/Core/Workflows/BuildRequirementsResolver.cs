using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PythonEnv.Diagnostics;
using PythonEnv.Environments;
using PythonEnv.IO;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;

namespace PythonEnv.Workflows;

/// <summary>
/// Turns an sdist's PEP 517/518 build requirements into an install plan for its isolated build environment:
/// resolved by this engine's resolver against the same indexes as the lock, for exactly the building
/// interpreter (its marker environment and wheel tags, not universally), so <see cref="Pep517Builder"/>
/// can install them with the same hash-checked installer.
/// </summary>
public sealed class BuildRequirementsResolver
{
    private readonly IndexClient _client;

    public BuildRequirementsResolver(IndexClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>A builder whose build requirements are resolved through <paramref name="client"/>.</summary>
    public static Pep517Builder CreateBuilder(IndexClient client) => new(new BuildRequirementsResolver(client).ResolveAsync);

    public async Task<InstallPlan> ResolveAsync(IReadOnlyList<string> requirements, PythonInterpreter interpreter, CancellationToken cancellationToken)
    {
        var roots = new List<RootRequirement>();
        foreach (var text in requirements)
        {
            if (!Requirement.TryParse(text, out var requirement))
            {
                throw new PythonEnvException(DiagnosticCodes.BuildFailed,
                    $"The build requirement '{text}' is not a valid PEP 508 requirement; fix [build-system] requires of the sdist, or lock a version with a wheel.");
            }
            roots.Add(new RootRequirement(requirement, Source: "[build-system] requires"));
        }

        var options = new ResolverOptions
        {
            Environment = new MarkerEnvironment(interpreter.MarkerEnvironment),
            Tags = interpreter.Tags,
            RequiresPython = SpecifierSet.Parse(">=" + interpreter.ShortVersion),
        };
        var resolver = new PythonResolver(new IndexPackageSource(_client), options);
        // The resolver is synchronous over the async index client; keep it off the caller's context.
        var resolution = await Task.Run(() => resolver.Resolve(roots, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);

        var direct = new HashSet<string>(roots.Select(r => r.Requirement.PackageName.Normalized), StringComparer.Ordinal);
        return new InstallPlan(resolution.Packages.Select(package => ToPlanned(package, direct)));
    }

    private static PlannedPackage ToPlanned(ResolvedPackage package, HashSet<string> direct)
    {
        var artifacts = package.Files.Select(ToArtifact).Where(a => a is not null).Select(a => a!).ToList();
        return new PlannedPackage(package.Name.ToString(), package.Version.ToString(),
            artifacts.Where(a => a.IsWheel).ToList(), artifacts.FirstOrDefault(a => !a.IsWheel),
            Requested: direct.Contains(package.Name.Normalized));
    }

    private static PlannedArtifact? ToArtifact(DistributionFile file)
    {
        if (file.Url.IsFile)
        {
            var path = file.Url.LocalPath;
            return File.Exists(path) ? new PlannedArtifact(file.Filename, file.Sha256 ?? Hashing.Sha256HexOfFile(path), file.Size, LocalPath: path) : null;
        }
        // The installer checks every download against a sha256; files the index gives none for are not used.
        return file.Sha256 is { } sha256 ? new PlannedArtifact(file.Filename, sha256, file.Size, Url: file.Url) : null;
    }
}
