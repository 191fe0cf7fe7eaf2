using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using PythonEnv.Inputs;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Maps MSBuild items to the engine's declaration type.</summary>
internal static class Declarations
{
    /// <summary>Metadata of an item that came from elsewhere (PythonEnv.Sdk.References.targets, a packed library's props).</summary>
    public const string DeclaredIn = "PythonDeclaredIn";
    public const string OriginProject = "PythonOriginProject";
    public const string OriginPackage = "PythonOriginPackage";
    public const string ItemType = "PythonItemType";

    /// <summary>A project's declarations from its items, files and what flows into it (PythonLock and PythonPackRequirements).</summary>
    public static ProjectDeclarations Gather(ITaskItem[] packages, ITaskItem[] constraints, ITaskItem[] requirementsFiles, string? projectFile,
        ITaskItem[] referenced, ITaskItem[] centralVersions, string? requiresPython = null, ITaskItem[]? indexes = null)
    {
        var items = FromItems(packages, DeclarationKind.Package).Concat(FromItems(constraints, DeclarationKind.Constraint));
        var files = requirementsFiles.Select(item => new RequirementsFileReference(item.GetMetadata("FullPath"), Metadata(item, "Group")));
        return ProjectDeclarations.Gather(items, string.IsNullOrWhiteSpace(projectFile) ? null : projectFile, files, requiresPython,
            indexItems: IndexesFromItems(indexes ?? []), flowing: Flowing(referenced), centralVersions: FromItems(centralVersions, DeclarationKind.CentralVersion));
    }

    /// <summary>
    /// A shared lock's declarations: each member's (its own items and files, as its project has them, and what flows into
    /// it), grouped by the PythonLockMember metadata the SharedLock targets put on every item.
    /// </summary>
    public static ProjectDeclarations Shared(ITaskItem[] members, ITaskItem[] centralVersions, string? requiresPython, ITaskItem[] indexes)
    {
        var declared = members.GroupBy(item => item.GetMetadata("PythonLockMember"), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(member =>
        {
            var project = member.First().GetMetadata("PythonLockMemberProject");
            var own = member.Where(item => string.Equals(item.GetMetadata(OriginProject), project, StringComparison.Ordinal)).ToLookup(item => item.GetMetadata(ItemType));
            var ownPyProject = own["PythonProjectFile"].Select(item => item.GetMetadata("FullPath")).FirstOrDefault();
            var referenced = member.Where(item => !string.Equals(item.GetMetadata(OriginProject), project, StringComparison.Ordinal)).ToArray();
            return new SharedLockMember(member.Key, Gather(own["PythonPackage"].ToArray(), own["PythonConstraint"].ToArray(), own["PythonRequirementsFile"].ToArray(),
                ownPyProject, referenced, centralVersions, member.First().GetMetadata("PythonLockMemberRequiresPython"), indexes));
        }).ToList();
        return ProjectDeclarations.Shared(declared, requiresPython);
    }

    public static IEnumerable<PackageDeclaration> FromItems(IEnumerable<ITaskItem> items, DeclarationKind kind)
    {
        foreach (var item in items)
        {
            yield return new PackageDeclaration(kind, item.ItemSpec)
            {
                Version = Metadata(item, "Version"),
                VersionOverride = Metadata(item, "VersionOverride"),
                Extras = Metadata(item, "Extras"),
                Marker = Metadata(item, "Marker"),
                Group = Metadata(item, "Group"),
                Index = Metadata(item, "Index"),
                // MSBuild's own metadata: the project or import file whose XML declared the item (kept as PythonDeclaredIn
                // when the item is handed to another project).
                File = Metadata(item, DeclaredIn) ?? Metadata(item, "DefiningProjectFullPath"),
                Origin = Origin(item),
            };
        }
    }

    /// <summary><c>PythonIndex</c> items: named indexes (<c>Url</c>, <c>Explicit</c>, <c>Default</c>).</summary>
    public static IEnumerable<IndexItem> IndexesFromItems(IEnumerable<ITaskItem> items)
    {
        foreach (var item in items)
        {
            yield return new IndexItem(item.ItemSpec, Metadata(item, "Url"), Metadata(item, "Explicit"), Metadata(item, "Default"), Metadata(item, "DefiningProjectFullPath"));
        }
    }

    /// <summary>What flows in from referenced projects: the items their PythonFlowingRequirements target returned.</summary>
    public static FlowingDeclarations Flowing(IEnumerable<ITaskItem> referenced)
    {
        var byType = referenced.ToLookup(item => item.GetMetadata(ItemType));
        return new FlowingDeclarations
        {
            Items = FromItems(byType["PythonPackage"], DeclarationKind.Package).Concat(FromItems(byType["PythonConstraint"], DeclarationKind.Constraint)).ToList(),
            Indexes = byType[IndexItem.ItemType].Select(item => new IndexItem(item.ItemSpec, Metadata(item, "Url"), Metadata(item, "Explicit"), Metadata(item, "Default"),
                Metadata(item, DeclaredIn) ?? Metadata(item, "DefiningProjectFullPath"))).ToList(),
            ProjectFiles = byType["PythonProjectFile"].Select(item => new FlowingFile(item.GetMetadata("FullPath"), Origin(item) ?? item.ItemSpec)).ToList(),
            RequirementsFiles = byType["PythonRequirementsFile"].Where(item => Metadata(item, "Group") is null)
                .Select(item => new FlowingFile(item.GetMetadata("FullPath"), Origin(item) ?? item.ItemSpec)).ToList(),
        };
    }

    /// <summary>How messages name where an item came from: <c>package Contoso.Lib 1.0.0</c>, <c>project Lib</c>, or null for the project's own.</summary>
    private static string? Origin(ITaskItem item) =>
        Metadata(item, OriginPackage) is { } package ? "package " + package
        : Metadata(item, OriginProject) is { } project ? "project " + Path.GetFileNameWithoutExtension(project)
        : null;

    private static string? Metadata(ITaskItem item, string name)
    {
        var value = item.GetMetadata(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
