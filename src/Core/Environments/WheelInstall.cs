using System.Collections.Generic;

namespace PythonEnv.Environments;

/// <summary>
/// One file an install writes: linked from the cache (<see cref="Source"/>) or written with <see cref="Content"/>;
/// its RECORD hash and size.
/// </summary>
internal sealed record InstallFile(string Source, string Target, byte[]? Content, int Mode, string Hash, long Size);

/// <summary>
/// The install of one unpacked wheel into one venv, worked out and validated by <see cref="WheelInstaller.Plan"/>
/// before the venv changes: every target path, the RECORD to write, the generated files. <see cref="Apply"/>
/// only writes.
/// </summary>
public sealed class WheelInstall
{
    internal WheelInstall(UnpackedWheel wheel, string distInfoTarget, IReadOnlyList<InstallFile> files,
        IReadOnlyList<(string Target, byte[] Content)> generated, byte[] completionMarker, string record)
    {
        Wheel = wheel;
        DistInfoTarget = distInfoTarget;
        Files = files;
        Generated = generated;
        CompletionMarker = completionMarker;
        Record = record;
    }

    public UnpackedWheel Wheel { get; }

    /// <summary>The dist-info folder the install creates.</summary>
    public string DistInfoTarget { get; }

    /// <summary>The files from the wheel and its entry points, with the hash RECORD gives them.</summary>
    internal IReadOnlyList<InstallFile> Files { get; }

    /// <summary>INSTALLER and REQUESTED.</summary>
    internal IReadOnlyList<(string Target, byte[] Content)> Generated { get; }

    /// <summary>The content of <see cref="WheelInstaller.SourceFile"/>, written last.</summary>
    internal byte[] CompletionMarker { get; }

    internal string Record { get; }

    /// <summary>
    /// Writes the distribution: RECORD first (so an interrupted install can still be removed), then every
    /// file, then the completion marker. Returns the dist-info folder.
    /// </summary>
    public string Apply()
    {
        InstallWriter.Apply(new[] { this });
        return DistInfoTarget;
    }
}
