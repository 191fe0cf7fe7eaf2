#!/usr/bin/env bash
# Packs PythonEnv.Sdk from this repository into artifacts/packages, builds the samples' Python wheels from
# samples/packages into artifacts/sample-wheels, then builds and runs a sample against both.
# Usage: build/run-sample.sh [sample]   (default: EmbedPython; see samples/README.md)
# Needs the .NET SDK and python3 (3.11+); works offline (no package from nuget.org or PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
sample="${1:-EmbedPython}"
[ -d "samples/$sample" ] || { echo "run-sample: no sample named '$sample' in samples/" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The samples' committed locks record the default index (which they never ask: their find-links folder holds
# every package); a machine-wide mirror setting would otherwise read as drift and re-lock them.
unset PIP_INDEX_URL UV_INDEX_URL

version="$(dotnet msbuild src/Sdk/PythonEnv.Sdk.csproj -getProperty:PackageVersion)"
pinned="$(sed -n 's/.*"PythonEnv.Sdk": *"\([^"]*\)".*/\1/p' samples/global.json)"
if [ "$version" != "$pinned" ]; then
  echo "run-sample: samples/global.json pins PythonEnv.Sdk $pinned but the repository builds $version; update samples/global.json." >&2
  exit 1
fi

echo "== Packing PythonEnv.Sdk $version into artifacts/packages"
dotnet pack src/Sdk/PythonEnv.Sdk.csproj -c Release -o artifacts/packages -nologo -v:m

# A packages folder of the samples' own, emptied of the SDK: NuGet never re-extracts a version it already
# has, so a copy from an earlier pack of the same version would otherwise be the one used.
export NUGET_PACKAGES="$PWD/artifacts/sample-packages"
rm -rf "$NUGET_PACKAGES/pythonenv.sdk"

echo "== Building the sample wheels into artifacts/sample-wheels"
python3 build/build-sample-wheels.py

if [ -x "samples/$sample/build.sh" ]; then
  echo "== Running samples/$sample/build.sh"
  exec "samples/$sample/build.sh"
fi

echo "== Building samples/$sample"
dotnet build "samples/$sample" -c Release -nologo -v:m
if grep -q '<OutputType>Exe</OutputType>' samples/"$sample"/*.csproj 2>/dev/null; then
  echo "== Running samples/$sample"
  dotnet run --project "samples/$sample" -c Release --no-build
fi
if [ -d "samples/$sample.Tests" ]; then
  echo "== Testing samples/$sample.Tests"
  dotnet test "samples/$sample.Tests" -c Release -nologo -v:m
fi
