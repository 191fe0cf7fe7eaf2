using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using PythonEnv.Diagnostics;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;
using static PythonEnv.Core.Tests.Resolution.LoopbackResolution;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>Every PYENV2001 says why versions were excluded, with bounds as the user wrote them; an extra a package does not provide is PYENV2003.</summary>
[TestClass]
public sealed class ExclusionReasonTests
{
    private static readonly ResolverOptions Project38 = new() { RequiresPython = SpecifierSet.Parse(">=3.8") };

    private static async Task<PythonEnvException> Failure(System.Action<PackageIndex> publish, string requirement, ResolverOptions? options = null)
    {
        var failure = await Assert.ThrowsExactlyAsync<PythonEnvException>(() => WithIndex(publish, source => new PythonResolver(source, options ?? Project38).Resolve([Req(requirement)])));
        Assert.AreEqual(DiagnosticCodes.NoSolution, failure.Code, failure.Message);
        return failure;
    }

    [TestMethod]
    public async Task Requires_python_names_both_ranges()
    {
        var failure = await Failure(index =>
        {
            index.Publish(new PackageSpec("attrs", "23.1.0") { RequiresPython = ">=3.9" });
            index.Publish(new PackageSpec("attrs", "24.2.0") { RequiresPython = ">=3.9" });
        }, "attrs");

        StringAssert.Contains(failure.Message, "attrs 24.2.0, 23.1.0 require Python >=3.9, but the project supports Python >=3.8");
    }

    [TestMethod]
    public async Task A_conditional_dependency_that_cannot_be_met_says_where_it_applies()
    {
        // docker's pywin32 is needed only on Windows: the message must say so, or the user cannot tell that
        // PythonEnvironments (not docker) is what to change.
        var failure = await Failure(index => index.Publish(Spec("docker", "7.1.0", "pywin32>=304; sys_platform == \"win32\"")), "docker");

        StringAssert.Contains(failure.Message, "docker depends on pywin32>=304 (where sys_platform == \"win32\"), which is on no configured index");
    }

    [TestMethod]
    public async Task Yanked_versions_say_so_with_the_reason()
    {
        var failure = await Failure(index =>
        {
            var spec = new PackageSpec("lib", "1.0");
            index.Publish(spec.Wheel(), new PublishOptions { Yanked = true, YankedReason = "broken build" });
        }, "lib>=1");

        StringAssert.Contains(failure.Message, "lib 1.0 is yanked (broken build)");
    }

    [TestMethod]
    public async Task A_pre_release_left_out_by_a_less_than_bound_is_named_and_the_bound_shows_as_written()
    {
        var failure = await Failure(index =>
        {
            index.Publish(Spec("urllib3", "2.0.0b1"));
            index.Publish(Spec("urllib3", "2.0.0"));
        }, "urllib3<2");

        StringAssert.Contains(failure.Message, "urllib3<2");
        Assert.IsFalse(failure.Message.Contains("dev0"), failure.Message);
        StringAssert.Contains(failure.Message, "urllib3 2.0.0b1 is a pre-release of 2, which '<2' leaves out");
    }

    [TestMethod]
    public async Task A_version_with_no_file_for_an_environment_names_it()
    {
        var failure = await Failure(
            index => index.Publish(Spec("lib", "1.0").Wheel("cp312-cp312-win_amd64")),
            "lib",
            new ResolverOptions { RequiresPython = SpecifierSet.Parse(">=3.12"), Environments = [MarkerExpression.Parse("sys_platform == 'linux'")] });

        StringAssert.Contains(failure.Message, "lib 1.0 has no file that installs on sys_platform == \"linux\"");
    }

    [TestMethod]
    public async Task An_extra_the_package_does_not_provide_is_a_warning_at_the_declaration_naming_its_extras()
    {
        var result = await WithIndex(
            index =>
            {
                var requests = Spec("requests", "2.32.3");
                requests.Extras["socks"] = ["pysocks"];
                requests.Extras["use_chardet_on_py3"] = [];
                index.Publish(requests);
                index.Publish(Spec("pysocks", "1.7.1"));
                index.Publish(Spec("client", "1.0", "requests[sock]"));
            },
            source => new PythonResolver(source, Project38).Resolve([
                new RootRequirement(Requirement.Parse("requests[sock,socks]"), Source: "app.csproj(12,6)") { Location = new PythonEnv.Inputs.SourceLocation("app.csproj", 12, 6) },
                new RootRequirement(Requirement.Parse("client"), Source: "app.csproj(13,6)") { Location = new PythonEnv.Inputs.SourceLocation("app.csproj", 13, 6) },
            ]));

        Assert.AreEqual(2, result.Warnings.Count, string.Join("\n", result.Warnings.Select(w => w.Message)));
        Assert.IsTrue(result.Warnings.All(w => w.Code == DiagnosticCodes.UnknownExtra && w.File == "app.csproj"));
        var declared = result.Warnings.Single(w => w.Line == 12);
        StringAssert.Contains(declared.Message, "requests 2.32.3 has no extra 'sock' (its extras: socks, use-chardet-on-py3)");
        var viaDependency = result.Warnings.Single(w => w.Line == 13);
        StringAssert.Contains(viaDependency.Message, "client 1.0, which the project depends on, requires 'requests[sock]'");
    }
}
