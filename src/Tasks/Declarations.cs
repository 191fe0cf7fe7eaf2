using System.Collections.Generic;
using Microsoft.Build.Framework;
using PythonEnv.Inputs;

namespace PythonEnv.Sdk.Tasks;

/// <summary>Maps MSBuild items to the engine's declaration type.</summary>
internal static class Declarations
{
    public static IEnumerable<PackageDeclaration> FromItems(IEnumerable<ITaskItem> items, DeclarationKind kind)
    {
        foreach (var item in items)
        {
            yield return new PackageDeclaration(kind, item.ItemSpec)
            {
                Version = Metadata(item, "Version"),
                Extras = Metadata(item, "Extras"),
                Marker = Metadata(item, "Marker"),
                Group = Metadata(item, "Group"),
                Index = Metadata(item, "Index"),
                // MSBuild's own metadata: the project or import file whose XML declared the item.
                File = Metadata(item, "DefiningProjectFullPath"),
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

    private static string? Metadata(ITaskItem item, string name)
    {
        var value = item.GetMetadata(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
