using System;
using System.IO;
using System.Threading.Tasks;
using PythonEnv.Index;
using PythonEnv.Packaging;
using PythonEnv.Resolution;
using PythonEnv.TestIndex;

namespace PythonEnv.Core.Tests.Resolution;

/// <summary>Runs resolutions against a loopback index holding what a test publishes, with a throw-away cache.</summary>
internal static class LoopbackResolution
{
    public static RootRequirement Req(string text, string? group = null, string? extra = null) => new(Requirement.Parse(text), group, "app.csproj(12)", extra);

    public static PackageSpec Spec(string name, string version, params string[] requires) => PackageSpec.Of(name, version, requires);

    public static async Task<T> WithIndex<T>(Action<PackageIndex> publish, Func<IPackageSource, T> run)
    {
        var index = new PackageIndex();
        publish(index);
        await using var server = await TestIndexServer.StartAsync(index);
        var cache = Path.Combine(Path.GetTempPath(), "pythonenv-resolve-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var client = new IndexClient(new IndexClientOptions { IndexUrls = [server.SimpleUrl], CacheDir = cache, RetryCount = 0 });
            return await Task.Run(() => run(new IndexPackageSource(client)));
        }
        finally
        {
            try
            {
                Directory.Delete(cache, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
