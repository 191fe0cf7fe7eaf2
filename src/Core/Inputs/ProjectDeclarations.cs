using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>A requirements file to read and the dependency group its requirements belong to (null: main dependencies).</summary>
public sealed record RequirementsFileReference(string Path, string? Group = null);

/// <summary>
/// Every declaration of one project, combined: <c>PythonPackage</c>/<c>PythonConstraint</c> items,
/// <c>pyproject.toml</c> (PEP 621 dependencies and requires-python, PEP 735 groups) and requirements files.
/// Problems are collected, not thrown one at a time, so one build reports all of them.
/// </summary>
public sealed partial class ProjectDeclarations
{
    private ProjectDeclarations()
    {
    }

    /// <summary>Requirements of the main dependencies (<see cref="DeclaredRequirement.Group"/> null) and of every dependency group.</summary>
    public IReadOnlyList<DeclaredRequirement> Requirements { get; private set; } = [];

    /// <summary>Constraints: the declared ones, and the central versions that apply (<see cref="CentralVersions"/>).</summary>
    public IReadOnlyList<DeclaredRequirement> Constraints { get; private set; } = [];

    /// <summary>The central versions that apply to this project (also among <see cref="Constraints"/>).</summary>
    public IReadOnlyList<DeclaredRequirement> CentralVersions { get; private set; } = [];

    /// <summary><c>project.optional-dependencies</c> of pyproject.toml, by normalized extra name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DeclaredRequirement>> Extras { get; private set; } = new Dictionary<string, IReadOnlyList<DeclaredRequirement>>();

    /// <summary>The project's requires-python: the property, else pyproject.toml's, else null.</summary>
    public string? RequiresPython { get; private set; }

    /// <summary>Index options found in requirements files (<c>--index-url</c>, <c>--extra-index-url</c>, <c>--find-links</c>).</summary>
    public string? IndexUrl { get; private set; }

    public IReadOnlyList<string> ExtraIndexUrls { get; private set; } = [];

    public IReadOnlyList<string> FindLinks { get; private set; } = [];

    /// <summary>Named indexes: <c>PythonIndex</c> items, then <c>[[tool.uv.index]]</c>, in declaration order.</summary>
    public IReadOnlyList<NamedIndex> Indexes { get; private set; } = [];

    /// <summary>Index pins: items' <c>Index</c> metadata and <c>[tool.uv.sources]</c>; each names a defined index.</summary>
    public IReadOnlyList<IndexPin> Pins { get; private set; } = [];

    /// <summary>Every file the declarations were read from (for incremental builds).</summary>
    public IReadOnlyList<string> Files { get; private set; } = [];

    public IReadOnlyList<PythonEnvException> Errors { get; private set; } = [];

    /// <summary>
    /// Gathers and cross-checks the declarations. <paramref name="pyProjectPath"/> is read when it exists;
    /// <paramref name="requiresPython"/> (the <c>PythonRequiresPython</c> property) wins over pyproject.toml's.
    /// </summary>
    /// <paramref name="flowing"/> holds what flows in from referenced projects and packages (their main dependencies, a
    /// requirement already declared the same way counted once); <paramref name="centralVersions"/> the
    /// <c>PythonPackageVersion</c> items (see <see cref="CentralVersions"/>).
    public static ProjectDeclarations Gather(
        IEnumerable<PackageDeclaration> items,
        string? pyProjectPath,
        IEnumerable<RequirementsFileReference> requirementsFiles,
        string? requiresPython = null,
        Func<string, string?>? environment = null,
        IEnumerable<IndexItem>? indexItems = null,
        FlowingDeclarations? flowing = null,
        IEnumerable<PackageDeclaration>? centralVersions = null)
    {
        var errors = new List<PythonEnvException>();
        var indexes = new List<NamedIndex>();
        var pins = new List<IndexPin>();
        foreach (var indexItem in indexItems ?? [])
        {
            var (index, indexErrors) = indexItem.Validate();
            errors.AddRange(indexErrors);
            if (index is not null)
            {
                indexes.Add(index);
            }
        }

        var requirements = new List<DeclaredRequirement>();
        var constraints = new List<DeclaredRequirement>();
        var extras = new Dictionary<string, IReadOnlyList<DeclaredRequirement>>(StringComparer.Ordinal);
        var files = new List<string>();
        string? indexUrl = null;
        var extraIndexUrls = new List<string>();
        var findLinks = new List<string>();
        string? pyProjectRequiresPython = null;
        var overridden = new HashSet<string>(StringComparer.Ordinal);

        foreach (var item in items)
        {
            var validation = PackageDeclarationValidator.Validate(item);
            errors.AddRange(validation.Errors);
            if (validation.Requirement is { } requirement)
            {
                var (line, column) = ItemLocator.Find(item.File, item.ItemType, item.Name, "Include", item.Metadata);
                var declared = new DeclaredRequirement(requirement, validation.Group, new SourceLocation(item.File ?? item.Description, line, column)) { Origin = item.Origin };
                if (!string.IsNullOrWhiteSpace(item.Index))
                {
                    pins.Add(new IndexPin(requirement.PackageName, item.Index!.Trim(), requirement.Marker, declared.Location));
                }

                if (item.Origin is null && !string.IsNullOrWhiteSpace(item.VersionOverride))
                {
                    overridden.Add(requirement.PackageName.Normalized);
                }

                // A constraint with an Index and no Version only pins the package.
                if (item.Kind == DeclarationKind.Package || !string.IsNullOrWhiteSpace(item.Version ?? item.VersionOverride))
                {
                    (item.Kind == DeclarationKind.Package ? requirements : constraints).Add(declared);
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(pyProjectPath) && File.Exists(pyProjectPath))
        {
            files.Add(pyProjectPath!);
            Try(errors, () =>
            {
                var pyProject = PyProject.Load(pyProjectPath!);
                requirements.AddRange(pyProject.Dependencies);
                requirements.AddRange(pyProject.DependencyGroups.SelectMany(group => group.Value));
                foreach (var extra in pyProject.OptionalDependencies)
                {
                    extras[extra.Key] = extra.Value;
                }

                pyProjectRequiresPython = pyProject.RequiresPython?.ToString();
                indexes.AddRange(pyProject.Indexes);
                pins.AddRange(pyProject.Pins);
            });
        }

        foreach (var reference in requirementsFiles)
        {
            files.Add(reference.Path);
            Try(errors, () =>
            {
                var file = RequirementsFile.Load(reference.Path, reference.Group, environment);
                requirements.AddRange(file.Requirements);
                constraints.AddRange(file.Constraints);
                indexUrl = file.IndexUrl?.Url ?? indexUrl;
                extraIndexUrls.AddRange(file.ExtraIndexUrls.Select(url => url.Url));
                findLinks.AddRange(file.FindLinks.Select(link => link.Location));
                pins.AddRange(file.Pins);
            });
        }

        Flow(flowing ?? FlowingDeclarations.None, requirements, constraints, files, errors, environment, indexes, pins);
        var central = Inputs.CentralVersions.Apply(centralVersions ?? [], requirements, overridden);
        errors.AddRange(central.Errors);
        constraints.AddRange(central.Constraints);

        var effectiveRequiresPython = string.IsNullOrWhiteSpace(requiresPython) ? pyProjectRequiresPython : requiresPython!.Trim();
        errors.AddRange(Conflicts(requirements, effectiveRequiresPython));
        errors.AddRange(Conflicts(constraints, effectiveRequiresPython));
        errors.AddRange(IndexDeclarationChecks.Check(indexes, pins, Universe(effectiveRequiresPython)));
        return new ProjectDeclarations
        {
            Requirements = requirements,
            Constraints = constraints,
            CentralVersions = central.Constraints,
            Extras = extras,
            RequiresPython = effectiveRequiresPython,
            IndexUrl = indexUrl,
            ExtraIndexUrls = extraIndexUrls,
            FindLinks = findLinks,
            Indexes = indexes,
            Pins = pins,
            Files = files,
            Errors = errors,
        };
    }

    /// <summary>
    /// Adds the main dependencies and constraints of referenced projects and packages. The same requirement (same text, or
    /// the same constraint) met again, by a diamond of references or a project declaring what a reference already does, is
    /// kept once, the project's own first; different ranges of one package are all kept, so they must agree (PYENV1001).
    /// Pins flow too, except for packages the project pins itself (its own pin wins, as its own version would), and
    /// with them the indexes they name that the project does not define itself (never as its default index).
    /// </summary>
    private static void Flow(FlowingDeclarations flowing, List<DeclaredRequirement> requirements, List<DeclaredRequirement> constraints,
        List<string> files, List<PythonEnvException> errors, Func<string, string?>? environment, List<NamedIndex> indexes, List<IndexPin> pins)
    {
        var ownPins = new HashSet<PackageName>(pins.Select(p => p.Package));
        var flowingPins = new List<IndexPin>();
        var flowingIndexes = new List<NamedIndex>();
        var seen = new HashSet<string>(requirements.Where(r => r.Group is null).Select(r => "r:" + r.Requirement)
            .Concat(constraints.Select(c => "c:" + c.Requirement)), StringComparer.Ordinal);
        void Add(DeclaredRequirement declared, bool constraint)
        {
            if (declared.Group is null && seen.Add((constraint ? "c:" : "r:") + declared.Requirement))
            {
                (constraint ? constraints : requirements).Add(declared);
            }
        }

        foreach (var item in flowing.Items.Where(i => i.Kind != DeclarationKind.CentralVersion && string.IsNullOrWhiteSpace(i.Group)))
        {
            // A referenced project reports its own invalid items when it builds; here they are left out, not reported twice.
            var validation = PackageDeclarationValidator.Validate(item);
            if (validation.Requirement is { } requirement)
            {
                var (line, column) = ItemLocator.Find(item.File, item.ItemType, item.Name, "Include", item.Metadata);
                var location = new SourceLocation(item.File ?? item.Description, line, column);
                if (!string.IsNullOrWhiteSpace(item.Index))
                {
                    flowingPins.Add(new IndexPin(requirement.PackageName, item.Index!.Trim(), requirement.Marker, location));
                }

                // A constraint with an Index and no Version only pins the package.
                if (item.Kind == DeclarationKind.Package || !string.IsNullOrWhiteSpace(item.Version))
                {
                    Add(new DeclaredRequirement(requirement, null, location) { Origin = item.Origin }, item.Kind == DeclarationKind.Constraint);
                }
            }
        }

        foreach (var indexItem in flowing.Indexes)
        {
            // Invalid ones are reported by their own project's build.
            if (indexItem.Validate() is { Index: { } index, Errors.Count: 0 })
            {
                flowingIndexes.Add(index with { Default = false });
            }
        }

        foreach (var file in flowing.ProjectFiles.Where(f => File.Exists(f.Path)))
        {
            files.Add(file.Path);
            Try(errors, () =>
            {
                var pyProject = PyProject.Load(file.Path);
                foreach (var dependency in pyProject.Dependencies)
                {
                    Add(dependency with { Origin = file.Origin }, constraint: false);
                }

                flowingPins.AddRange(pyProject.Pins);
                flowingIndexes.AddRange(pyProject.Indexes.Select(index => index with { Default = false }));
            });
        }

        foreach (var file in flowing.RequirementsFiles)
        {
            files.Add(file.Path);
            Try(errors, () =>
            {
                var read = RequirementsFile.Load(file.Path, null, environment);
                foreach (var requirement in read.Requirements)
                {
                    Add(requirement with { Origin = file.Origin }, constraint: false);
                }

                foreach (var constraint in read.Constraints)
                {
                    Add(constraint with { Origin = file.Origin }, constraint: true);
                }

                flowingPins.AddRange(read.Pins);
            });
        }

        var ownIndexes = new HashSet<string>(indexes.Select(i => i.Name), StringComparer.Ordinal);
        var kept = flowingPins.Where(pin => !ownPins.Contains(pin.Package)).ToList();
        pins.AddRange(kept);
        var named = new HashSet<string>(kept.Select(pin => pin.Index), StringComparer.Ordinal);
        foreach (var index in flowingIndexes.Where(index => named.Contains(index.Name) && !ownIndexes.Contains(index.Name)))
        {
            indexes.Add(index);
            // A change of the index in the project that defines it re-locks this one too.
            if (File.Exists(index.Location.File) && !files.Contains(index.Location.File))
            {
                files.Add(index.Location.File);
            }
        }
    }

    private static void Try(List<PythonEnvException> errors, Action read)
    {
        try
        {
            read();
        }
        catch (PythonEnvException e)
        {
            errors.Add(e);
        }
    }

    /// <summary>
    /// The same package declared twice in one group with version ranges that share no version, where both
    /// declarations can apply at once (their markers overlap in some environment the project allows).
    /// </summary>
    private static IEnumerable<PythonEnvException> Conflicts(IReadOnlyList<DeclaredRequirement> declarations, string? requiresPython)
    {
        var universe = new Lazy<MarkerExpression>(() => Universe(requiresPython));
        foreach (var same in declarations.GroupBy(d => (d.Requirement.PackageName, d.Group)))
        {
            var list = same.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (first, second) = (list[i], list[j]);
                    var shared = VersionSet.FromSpecifierSet(first.Requirement.Specifier).Intersect(VersionSet.FromSpecifierSet(second.Requirement.Specifier));
                    if (!shared.IsEmpty || !Overlap(first.Requirement.Marker, second.Requirement.Marker, universe.Value))
                    {
                        continue;
                    }

                    yield return new PythonEnvException(DiagnosticCodes.InvalidDeclaration,
                        $"{first.Requirement.PackageName} is declared twice with version ranges no version satisfies: " +
                        $"\"{first.Requirement}\" at {first.Where} and \"{second.Requirement}\" at {second.Where}. " +
                        "Remove one declaration or make the ranges overlap.",
                        second.Location.File, second.Location.Line, second.Location.Column);
                }
            }
        }
    }

    /// <summary>Every environment the declarations can apply in: requires-python's (else the one default).</summary>
    private static MarkerExpression Universe(string? requiresPython) => RequiresPythonRange.Marker(RequiresPythonRange.ParseOrDefault(requiresPython));

    /// <summary>True when both markers can hold at once in an environment the project allows (the marker algebra decides).</summary>
    private static bool Overlap(MarkerExpression? left, MarkerExpression? right, MarkerExpression universe) =>
        !universe.And(left ?? MarkerExpression.Always).And(right ?? MarkerExpression.Always).IsNever;
}
