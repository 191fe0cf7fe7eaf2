#!/usr/bin/env bash
# No-op build overhead of PythonEnv.Sdk: the median wall time of repeated `dotnet build --no-restore` of a
# console app that uses the SDK (one locked package, its .venv already in place) against the same app
# without the SDK, for two of the ways to use it: `<Sdk Name="PythonEnv.Sdk" />` (MSBuild's NuGet SDK
# resolver finds the package) and `<PackageReference Include="PythonEnv.Sdk" />` (NuGet's restore imports
# it). DESIGN.md's bar: within 50 ms. Then one more build of each with -clp:PerformanceSummary shows what
# the SDK's own targets cost inside MSBuild, which the machine's load disturbs less.
# Usage: bench/noop-build.sh [runs]   (default 15). Needs the .NET SDK and python3 (3.11+); offline.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"
source bench/noop-common.sh
write_local_feed "$work"
echo '{ "msbuild-sdks": { "PythonEnv.Sdk": "'"$version"'" } }' > "$work/global.json"
# Keep any Directory.Build.* files above the temp folder out: these are plain projects of a user's own.
echo '<Project />' > "$work/Directory.Build.props"; echo '<Project />' > "$work/Directory.Build.targets"

new_app() { # folder, extra project content
  mkdir -p "$work/$1"
  echo 'System.Console.WriteLine("hi");' > "$work/$1/Program.cs"
  cat > "$work/$1/$1.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  $2
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
</Project>
EOF
}
new_app plain ''
python_items="<ItemGroup><PythonPackage Include=\"greeting\" Version=\">=1.0\" /></ItemGroup>
  <PropertyGroup><PythonFindLinks>$PWD/artifacts/sample-wheels</PythonFindLinks></PropertyGroup>"
new_app withsdk "<Sdk Name=\"PythonEnv.Sdk\" />
  $python_items"
new_app withpkgref "<ItemGroup><PackageReference Include=\"PythonEnv.Sdk\" Version=\"$version\" PrivateAssets=\"all\" /></ItemGroup>
  $python_items"
apps="plain withsdk withpkgref"

echo "== First builds (restore, lock, venv)"
for app in $apps; do
  dotnet build "$work/$app" -nologo -v:q >"$work/first-$app.log" || { cat "$work/first-$app.log" >&2; exit 1; }
done
for app in withsdk withpkgref; do
  [ -f "$work/$app/pylock.toml" ] && [ -d "$work/$app/.venv" ] || {
    echo "noop-build: the first build of $app wrote no pylock.toml/.venv, so there is nothing to measure." >&2
    exit 1
  }
done

build_ms() { elapsed_ms dotnet build "$work/$1" --no-restore -nologo -v:q; }

echo "== $runs no-op builds of each, alternating"
for app in $apps; do build_ms "$app" >/dev/null; : > "$work/$app.txt"; done   # warm the OS file cache
for _ in $(seq "$runs"); do
  for app in $apps; do build_ms "$app" >> "$work/$app.txt"; done
done
plain=$(median < "$work/plain.txt")
for app in withsdk withpkgref; do
  with=$(median < "$work/$app.txt")
  awk -v p="$plain" -v w="$with" -v n="$runs" -v app="$app" 'BEGIN {
    printf "%-10s median of %d no-op builds: without the SDK %.0f ms, with it %.0f ms: %+.0f ms, ratio %.3f\n", app, n, p, w, w - p, w / p
  }'
done

echo "== Inside MSBuild (one more no-op build each, -clp:PerformanceSummary)"
for app in withsdk withpkgref; do
  dotnet build "$work/$app" --no-restore -nologo -v:q -clp:PerformanceSummary > "$work/perf-$app.txt"
  targets=$(sed -n '/Target Performance Summary/,/Task Performance Summary/p' "$work/perf-$app.txt" \
    | grep -E '^ +[0-9]+ ms +_?Python[A-Za-z]* +[0-9]+ calls' | awk '{ s += $1 } END { print s + 0 }')
  tasks=$(sed -n '/Task Performance Summary/,$p' "$work/perf-$app.txt" | grep -E ' (PythonSync|PythonLock|ValidatePythonDeclarations) ' | awk '{ printf "%s%s", sep, $3; sep = "," }' || true)
  echo "$app: the SDK's targets took ${targets} ms in all; SDK tasks that ran: ${tasks:-none}"
done
