using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Inputs;

namespace PythonEnv.Core.Tests.Inputs;

[TestClass]
public sealed class ItemLocatorTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            <PythonPackage Include="requests" Version="=>2" />
            <PythonPackage Include="numpy;scipy"
                           Marker="bad" />
            <PythonPackage Include="$(Name)" Version="=>1" />
            <PythonPackage Include="twice" Condition="'$(A)' == ''" />
            <PythonPackage Include="twice" Condition="'$(A)' != ''" />
            <PythonConstraint Include="requests" Version="&lt;3" />
            <PythonPackage Include="torch" Version="==2.2.0" Index="pytorch-cu121" Marker="sys_platform == 'linux'" />
            <PythonPackage Include="torch" Version="==2.2.0" Marker="sys_platform == 'darwin'" />
          </ItemGroup>
        </Project>
        """;

    private static (int, int) Find(string itemType, string include, string metadata, PackageDeclaration? item = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"itemlocator-{Guid.NewGuid():N}.csproj");
        File.WriteAllText(file, Project);
        try
        {
            return ItemLocator.Find(file, itemType, include, metadata, item?.Metadata);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void Points_at_the_attribute_that_is_wrong() => Assert.AreEqual((3, 39), Find("PythonPackage", "requests", "Version"));

    [TestMethod]
    public void Points_at_the_element_for_the_name() => Assert.AreEqual((3, 5), Find("PythonPackage", "requests", "Include"));

    [TestMethod]
    public void Finds_one_name_of_several_and_an_attribute_on_another_line() => Assert.AreEqual((5, 20), Find("PythonPackage", "scipy", "Marker"));

    [TestMethod]
    public void Tells_item_types_apart() => Assert.AreEqual((9, 5), Find("PythonConstraint", "requests", "Include"));

    [TestMethod]
    [DataRow("PythonPackage", "twice")]
    [DataRow("PythonPackage", "expanded-from-a-property")]
    [DataRow("PythonConstraint", "numpy")]
    public void Gives_no_position_rather_than_a_guess(string itemType, string include) => Assert.AreEqual((0, 0), Find(itemType, include, "Version"));

    [TestMethod]
    public void Tells_two_items_of_one_package_apart_by_their_metadata()
    {
        var linux = new PackageDeclaration(DeclarationKind.Package, "torch") { Version = "==2.2.0", Index = "pytorch-cu121", Marker = "sys_platform == 'linux'" };
        var mac = new PackageDeclaration(DeclarationKind.Package, "torch") { Version = "==2.2.0", Marker = "sys_platform == 'darwin'" };
        Assert.AreEqual((10, 54), Find("PythonPackage", "torch", "Index", linux));
        Assert.AreEqual((11, 5), Find("PythonPackage", "torch", "Include", mac));
        Assert.AreEqual((0, 0), Find("PythonPackage", "torch", "Include"), "without the metadata, no guess");
        Assert.AreEqual((0, 0), Find("PythonPackage", "torch", "Include", mac with { Marker = "sys_platform == 'win32'" }), "metadata no element has: no guess");
        Assert.AreEqual((0, 0), Find("PythonPackage", "twice", "Include", new PackageDeclaration(DeclarationKind.Package, "twice")), "two alike: no guess");
    }

    [TestMethod]
    public void Missing_or_broken_files_give_no_position()
    {
        Assert.AreEqual((0, 0), ItemLocator.Find(null, "PythonPackage", "requests", "Version"));
        Assert.AreEqual((0, 0), ItemLocator.Find("/nonexistent/App.csproj", "PythonPackage", "requests", "Version"));
        var file = Path.Combine(Path.GetTempPath(), $"itemlocator-{Guid.NewGuid():N}.csproj");
        File.WriteAllText(file, "<Project><PythonPackage Include=\"requests\"");
        try
        {
            Assert.AreEqual((0, 0), ItemLocator.Find(file, "PythonPackage", "requests", "Version"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
