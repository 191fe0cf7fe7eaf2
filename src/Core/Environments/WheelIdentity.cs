using System;
using PythonEnv.Packaging;

namespace PythonEnv.Environments;

/// <summary>
/// A wheel must say one thing about who it is: the distribution name and version in its file name, its
/// <c>{name}-{version}.dist-info</c> folder, its METADATA and the lock entry it is installed for agree (names
/// compared PEP 503-normalized, versions PEP 440-equal, as pip and installer compare them). Otherwise its
/// metadata would install under another distribution's name and could overwrite that distribution's.
/// </summary>
internal static class WheelIdentity
{
    public static void Check(UnpackedWheel wheel, PlannedPackage? expected)
    {
        if (!WheelFileName.TryParse(wheel.FileName, out var file))
        {
            throw WheelArchive.Invalid(wheel.FileName, "its file name is not a valid wheel file name ({name}-{version}(-{build})?-{python}-{abi}-{platform}.whl)");
        }
        var name = file.Name.Normalized;
        if (!DistInfoNames(wheel.DistInfo, name, file.Version))
        {
            throw WheelArchive.Invalid(wheel.FileName, $"its metadata folder {wheel.DistInfo} does not name the distribution and version of its file name ({file.Name} {file.Version})");
        }
        var (metadataName, metadataVersion) = DistInfoMetadata.ReadNameAndVersion(wheel.ReadDistInfoFile("METADATA"));
        if (metadataName is null || metadataVersion is null)
        {
            throw WheelArchive.Invalid(wheel.FileName, $"its {wheel.DistInfo}/METADATA is missing or has no Name and Version");
        }
        if (PackageName.Normalize(metadataName) != name)
        {
            throw WheelArchive.Invalid(wheel.FileName, $"its METADATA names the distribution '{metadataName}', not {file.Name}");
        }
        if (!Pep440Version.TryParse(metadataVersion, out var version) || version != file.Version)
        {
            throw WheelArchive.Invalid(wheel.FileName, $"its METADATA gives version '{metadataVersion}', not {file.Version}");
        }
        if (expected is null)
        {
            return;
        }
        if (expected.NormalizedName != name)
        {
            throw WheelArchive.Invalid(wheel.FileName, $"it is the distribution {file.Name}, but the lock installs it for {expected.Name}");
        }
        if (expected.Version.Length > 0 && (!Pep440Version.TryParse(expected.Version, out var locked) || locked != version))
        {
            throw WheelArchive.Invalid(wheel.FileName, $"it is version {file.Version} of {file.Name}, but the lock says {expected.Version}");
        }
    }

    /// <summary>Whether <c>{stem}.dist-info</c> is <c>{name}-{version}</c> (the name may itself contain '-' in old wheels).</summary>
    private static bool DistInfoNames(string distInfo, string normalizedName, Pep440Version version)
    {
        var stem = distInfo.Substring(0, distInfo.Length - ".dist-info".Length);
        for (var dash = stem.IndexOf('-'); dash > 0; dash = stem.IndexOf('-', dash + 1))
        {
            if (PackageName.Normalize(stem.Substring(0, dash)) == normalizedName
                && Pep440Version.TryParse(stem.Substring(dash + 1), out var folderVersion) && folderVersion == version)
            {
                return true;
            }
        }
        return false;
    }
}
