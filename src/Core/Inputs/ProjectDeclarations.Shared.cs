using System;
using System.Collections.Generic;
using System.Linq;
using PythonEnv.Packaging;

namespace PythonEnv.Inputs;

/// <summary>One project of a shared lock (<c>PythonSharedLock</c>) and its own declarations (with what flows into it).</summary>
/// <param name="Group">The dependency group its main dependencies become in the shared lock (PEP 735 name).</param>
public sealed record SharedLockMember(string Group, ProjectDeclarations Declarations);

public sealed partial class ProjectDeclarations
{
    /// <summary>
    /// The declarations of a shared lock, like a uv workspace: every member's requirements resolved together (one
    /// version of each package for the set), each member's main dependencies as the dependency group named after it and
    /// its own groups as <c>&lt;member&gt;-&lt;group&gt;</c>, so each project installs only its own. Constraints, central
    /// versions, indexes and files are the union; requires-python is <paramref name="requiresPython"/>, else every
    /// member's together (a lock for the Pythons all of them support).
    /// </summary>
    public static ProjectDeclarations Shared(IReadOnlyList<SharedLockMember> members, string? requiresPython = null)
    {
        string GroupOf(SharedLockMember member, string? group) =>
            PackageName.Normalize(group is null ? member.Group : member.Group + "-" + group);

        var ranges = members.Select(m => m.Declarations.RequiresPython).Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.Ordinal).ToList();
        return new ProjectDeclarations
        {
            Requirements = members.SelectMany(m => m.Declarations.Requirements.Select(r => r with { Group = GroupOf(m, r.Group) })).ToList(),
            Constraints = Union(members.SelectMany(m => m.Declarations.Constraints)),
            CentralVersions = Union(members.SelectMany(m => m.Declarations.CentralVersions)),
            RequiresPython = string.IsNullOrWhiteSpace(requiresPython) ? (ranges.Count == 0 ? null : string.Join(",", ranges)) : requiresPython!.Trim(),
            IndexUrl = members.Select(m => m.Declarations.IndexUrl).FirstOrDefault(url => url is not null),
            ExtraIndexUrls = members.SelectMany(m => m.Declarations.ExtraIndexUrls).Distinct(StringComparer.Ordinal).ToList(),
            FindLinks = members.SelectMany(m => m.Declarations.FindLinks).Distinct(StringComparer.Ordinal).ToList(),
            // Named indexes by name (members of one repository define them once, e.g. in Directory.Build.props) and every pin.
            Indexes = members.SelectMany(m => m.Declarations.Indexes).GroupBy(i => i.Name, StringComparer.Ordinal).Select(g => g.First()).ToList(),
            Pins = members.SelectMany(m => m.Declarations.Pins).ToList(),
            Files = members.SelectMany(m => m.Declarations.Files).Distinct(StringComparer.Ordinal).ToList(),
            Errors = members.SelectMany(m => m.Declarations.Errors).ToList(),
        };
    }

    /// <summary>The same constraint declared in several members counts once.</summary>
    private static List<DeclaredRequirement> Union(IEnumerable<DeclaredRequirement> declarations) =>
        declarations.GroupBy(d => d.Requirement.ToString(), StringComparer.Ordinal).Select(g => g.First()).ToList();
}
