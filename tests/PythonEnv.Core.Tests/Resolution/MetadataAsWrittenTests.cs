using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>
/// Resolving metadata as real projects wrote it: legacy marker spellings and lists, parenthesized specifiers,
/// and now and then a version whose metadata no parser accepts (skipped with PYENV2002, as pip does).
/// </summary>
[TestClass]
public sealed class MetadataAsWrittenTests
{
    private static readonly ResolverOptions Modern = new() { RequiresPython = SpecifierSet.Parse(">=3.11") };

    [TestMethod]
    public async Task A_dependency_listed_only_for_old_pythons_is_not_needed_by_a_modern_project()
    {
        // ipython -> pickleshare 0.7.5, whose METADATA says: Requires-Dist: pathlib2; python_version in "2.6 2.7 3.2 3.3"
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("ipython", "8.0.0", "pickleshare"));
                index.Publish(Spec("pickleshare", "0.7.5", "pathlib2; python_version in \"2.6 2.7 3.2 3.3\""));
            },
            source => new PythonResolver(source, Modern).Resolve([Req("ipython")]));

        CollectionAssert.AreEqual(new[] { "ipython 8.0.0", "pickleshare 0.7.5" }, result.Packages.Select(p => p.ToString()).ToList());
        Assert.AreEqual(0, result.Warnings.Count);
    }

    [TestMethod]
    public async Task The_listed_old_pythons_still_get_the_dependency()
    {
        var wide = new ResolverOptions { RequiresPython = SpecifierSet.Parse(">=2.7") };
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("pickleshare", "0.7.5", "pathlib2; python_version in \"2.6 2.7 3.2 3.3\""));
                index.Publish(Spec("pathlib2", "2.3.7"));
            },
            source => new PythonResolver(source, wide).Resolve([Req("pickleshare")]));

        var pathlib2 = result.Packages.Single(p => p.Name.Normalized == "pathlib2");
        var universe = RequiresPythonRange.Marker(wide.RequiresPython);
        var marker = universe.And(MarkerExpression.Parse(pathlib2.Marker!));
        Assert.IsTrue(marker.IsEquivalentTo(MarkerExpression.Parse("python_version == '2.7' or python_version == '3.2' or python_version == '3.3'")), pathlib2.Marker);
    }

    [TestMethod]
    public async Task Legacy_spellings_and_parenthesized_specifiers_resolve()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("boto3", "1.12.0", "botocore (<2.0.0,>=1.5.40)", "futures (>=2.2.0,<4.0.0); python_version==\"2.6\" or python_version==\"2.7\"",
                    "pywin32; sys.platform == 'win32'", "linuxonly; sys_platform == \"linux2\""));
                index.Publish(Spec("botocore", "1.4.0"));
                index.Publish(Spec("botocore", "1.15.0"));
                index.Publish(Spec("pywin32", "300"));
            },
            source => new PythonResolver(source, Modern).Resolve([Req("boto3")]));

        // linux2 was Python 2's sys.platform and futures is for Python 2: neither is needed, nor on the index.
        CollectionAssert.AreEqual(new[] { "boto3 1.12.0", "botocore 1.15.0", "pywin32 300 ; sys_platform == \"win32\"" }, result.Packages.Select(p => p.ToString()).ToList());
    }

    [TestMethod]
    public async Task A_version_whose_metadata_cannot_be_read_is_skipped_with_a_warning()
    {
        // ipython 4.1.0rc1 on PyPI: Requires-Dist: setuptools (>=18.5decorator)
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0", "setuptools (>=18.5decorator)"));
            },
            source => new PythonResolver(source, Modern).Resolve([Req("lib")]));

        CollectionAssert.AreEqual(new[] { "lib 1.0" }, result.Packages.Select(p => p.ToString()).ToList());
        var warning = result.Warnings.Single();
        Assert.AreEqual(DiagnosticCodes.UnreadableMetadata, warning.Code);
        StringAssert.Contains(warning.Message, "lib 2.0 was skipped");
        StringAssert.Contains(warning.Message, "setuptools (>=18.5decorator)");
        StringAssert.Contains(warning.Message, "core metadata line");
    }

    [TestMethod]
    public async Task A_skipped_version_is_reported_once_however_many_forks_meet_it()
    {
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("app", "1.0", "lib>=2; sys_platform == 'linux'", "lib<3; sys_platform != 'linux'"));
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0", "broken (>=1.0beta"));
                index.Publish(Spec("lib", "3.0"));
            },
            source => new PythonResolver(source, Modern).Resolve([Req("app")]));

        CollectionAssert.AreEquivalent(new[] { "lib 1.0 ; sys_platform != \"linux\"", "lib 3.0 ; sys_platform == \"linux\"" },
            result.Packages.Where(p => p.Name.Normalized == "lib").Select(p => p.ToString()).ToList());
        Assert.AreEqual(1, result.Warnings.Count, string.Join("\n", result.Warnings));
        StringAssert.Contains(result.Warnings[0].Message, "lib 2.0 was skipped");
    }

    [TestMethod]
    public async Task A_version_whose_metadata_cannot_be_read_is_skipped_for_a_single_environment_too()
    {
        var linux = new MarkerEnvironment(new System.Collections.Generic.Dictionary<string, string>
        {
            ["implementation_name"] = "cpython", ["implementation_version"] = "3.12.1", ["os_name"] = "posix", ["platform_machine"] = "x86_64",
            ["platform_release"] = "6.1.0", ["platform_system"] = "Linux", ["platform_version"] = "#1 SMP", ["python_full_version"] = "3.12.1",
            ["platform_python_implementation"] = "CPython", ["python_version"] = "3.12", ["sys_platform"] = "linux",
        });
        var result = await WithIndex(
            index =>
            {
                index.Publish(Spec("lib", "1.0"));
                index.Publish(Spec("lib", "2.0", "dep; python_version >= '3' and"));
            },
            source => new PythonResolver(source, new ResolverOptions { RequiresPython = Modern.RequiresPython, Environment = linux }).Resolve([Req("lib")]));

        CollectionAssert.AreEqual(new[] { "lib 1.0" }, result.Packages.Select(p => p.ToString()).ToList());
        StringAssert.Contains(result.Warnings.Single().Message, "lib 2.0 was skipped");
    }

    [TestMethod]
    public async Task When_only_unreadable_versions_are_left_the_failure_says_why()
    {
        var error = await WithIndex(
            index => index.Publish(Spec("lib", "2.0", "setuptools (>=18.5decorator)")),
            source => Assert.ThrowsExactly<PythonEnvException>(() => new PythonResolver(source, Modern).Resolve([Req("lib")])));

        Assert.AreEqual(DiagnosticCodes.NoSolution, error.Code);
        StringAssert.Contains(error.Message, "its metadata cannot be read");
    }
}
