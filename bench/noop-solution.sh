#!/usr/bin/env bash
# No-op build overhead of PythonEnv.Sdk in a solution (issue 14): a 10-project solution (a library that declares
# one Python package, nine projects that reference it, so its requirement flows into each of their locks and venvs)
# built with `dotnet build -m --no-restore`, against the same solution without the SDK. Reports the medians and the
# difference per project. The bar: within 50 ms per project.
# Usage: bench/noop-solution.sh [runs]   (default 9). Needs the .NET SDK and python3 (3.11+); offline.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-9}"
source bench/noop-common.sh
wheels="$PWD/artifacts/sample-wheels"

# solution folder, "sdk" or "plain"
new_solution() {
  local dir="$work/$1" kind="$2" sdk="" items="" i
  mkdir -p "$dir"
  write_local_feed "$dir"
  echo '<Project />' > "$dir/Directory.Build.targets"
  if [ "$kind" = sdk ]; then
    sdk="<ItemGroup><PackageReference Include=\"PythonEnv.Sdk\" Version=\"$version\" PrivateAssets=\"all\" /></ItemGroup>"
    items='<ItemGroup><PythonPackage Include="greeting" Version=">=1.0" /></ItemGroup>'
    echo "<Project><PropertyGroup><PythonFindLinks>$wheels</PythonFindLinks></PropertyGroup></Project>" > "$dir/Directory.Build.props"
  else
    echo '<Project />' > "$dir/Directory.Build.props"
  fi
  echo '<Solution>' > "$dir/All.slnx"
  for i in $(seq 0 9); do
    local name="P$i" refs=""
    mkdir -p "$dir/$name"
    [ "$i" -gt 0 ] && refs='<ItemGroup><ProjectReference Include="../P0/P0.csproj" /></ItemGroup>'
    echo "namespace $name; public static class C { public static int V => 1; }" > "$dir/$name/C.cs"
    cat > "$dir/$name/$name.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  $sdk
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  $([ "$i" -eq 0 ] && echo "$items")
  $refs
</Project>
EOF
    echo "  <Project Path=\"$name/$name.csproj\" />" >> "$dir/All.slnx"
  done
  echo '</Solution>' >> "$dir/All.slnx"
}
new_solution plain plain
new_solution sdk sdk

echo "== First builds (restore, lock, venvs)"
for s in plain sdk; do
  dotnet build "$work/$s/All.slnx" -m -nologo -v:q >"$work/first-$s.log" || { cat "$work/first-$s.log" >&2; exit 1; }
done
locks=$(ls "$work"/sdk/P*/pylock.toml 2>/dev/null | wc -l)
[ "$locks" -eq 10 ] || { echo "noop-solution: expected 10 locks (the library's requirement flowing into 9 projects), found $locks." >&2; exit 1; }

build_ms() { elapsed_ms dotnet build "$work/$1/All.slnx" -m --no-restore -nologo -v:q; }

echo "== $runs no-op builds of each, alternating"
for s in plain sdk; do build_ms "$s" >/dev/null; : > "$work/$s.txt"; done
for _ in $(seq "$runs"); do
  for s in plain sdk; do build_ms "$s" >> "$work/$s.txt"; done
done
plain=$(median < "$work/plain.txt"); with=$(median < "$work/sdk.txt")
awk -v p="$plain" -v w="$with" -v n="$runs" 'BEGIN {
  printf "10-project solution, median of %d no-op builds (-m): without the SDK %.0f ms, with it %.0f ms: %+.0f ms, %+.1f ms per project\n", n, p, w, w - p, (w - p) / 10
}'
dotnet build "$work/sdk/All.slnx" -m --no-restore -nologo -v:q -clp:PerformanceSummary > "$work/perf.txt"
tasks=$(sed -n '/Task Performance Summary/,$p' "$work/perf.txt" | grep -E ' (PythonSync|PythonLock|ValidatePythonDeclarations|ValidatePythonProperties) ' | awk '{ printf "%s%s", sep, $3; sep = "," }' || true)
targets=$(sed -n '/Target Performance Summary/,/Task Performance Summary/p' "$work/perf.txt" \
  | grep -E '^ +[0-9]+ ms +_?Python[A-Za-z]* +[0-9]+ calls' | awk '{ s += $1 } END { print s + 0 }')
echo "the SDK's targets took ${targets} ms in all (10 projects); SDK tasks that ran: ${tasks:-none}"
