using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Packaging;

namespace PythonEnv.Core.Tests.Packaging.Versions;

/// <summary>
/// PEP 440 local versions as accelerator builds use them (<c>2.2.0+cu121</c>): the specifier and the resolver's
/// version sets agree on which builds a range admits, so <c>torch==2.2.0</c> takes the CUDA build an index pin offers.
/// </summary>
[TestClass]
public sealed class LocalVersionTests
{
    [TestMethod]
    [DataRow("==2.2.0", "2.2.0+cu121", true)]
    [DataRow("==2.2.0", "2.2.0+cpu", true)]
    [DataRow("==2.2.0+cu121", "2.2.0+cu121", true)]
    [DataRow("==2.2.0+cu121", "2.2.0+cpu", false)]
    [DataRow("==2.2.0+cu121", "2.2.0", false)]
    [DataRow("!=2.2.0", "2.2.0+cu121", false)]
    [DataRow("!=2.2.0+cpu", "2.2.0+cu121", true)]
    [DataRow("<=2.2.0", "2.2.0+cu121", true)]
    [DataRow(">=2.2.0", "2.2.0+cu121", true)]
    [DataRow(">2.2.0", "2.2.0+cu121", false)]
    [DataRow("<2.2.0", "2.2.0+cu121", false)]
    [DataRow("~=2.2", "2.2.0+cu121", true)]
    [DataRow("==2.2.*", "2.2.0+cu121", true)]
    [DataRow(">2.1", "2.2.0+cu121", true)]
    public void A_range_admits_a_local_build_as_PEP_440_says(string specifier, string version, bool admitted)
    {
        var parsed = Pep440Version.Parse(version);

        Assert.AreEqual(admitted, SpecifierSet.Parse(specifier).Contains(parsed), "SpecifierSet");
        Assert.AreEqual(admitted, VersionSet.FromSpecifierSet(SpecifierSet.Parse(specifier)).Contains(parsed), "VersionSet (the resolver's)");
    }
}
