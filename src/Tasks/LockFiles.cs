using System.IO;
using PythonEnv.Diagnostics;
using PythonEnv.Locking;

namespace PythonEnv.Sdk.Tasks;

/// <summary>The lock a daily-loop target reads: PYENV9003 when there is none.</summary>
internal static class LockFiles
{
    public static PylockFile Load(string path, string target)
    {
        if (!File.Exists(path))
        {
            throw new PythonEnvException(DiagnosticCodes.NoLockFile,
                $"{target} found no lock file at '{path}'. Declare the project's Python packages (PythonPackage items, pyproject.toml) and build, or run 'dotnet build -t:PythonLock'.", path);
        }
        return PylockReader.Load(path);
    }
}
