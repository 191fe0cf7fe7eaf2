# Shared by the no-op benchmarks (sourced, from the repository root): packs PythonEnv.Sdk into artifacts/packages,
# builds the sample wheels, points NuGet at a packages folder of the benchmarks' own (emptied of the SDK, so the
# fresh pack is the one used), and makes a work folder removed on exit.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version="$(dotnet msbuild src/Sdk/PythonEnv.Sdk.csproj -getProperty:PackageVersion)"
echo "== Packing PythonEnv.Sdk $version and building the sample wheels"
dotnet pack src/Sdk/PythonEnv.Sdk.csproj -c Release -o artifacts/packages -nologo -v:q >/dev/null
python3 build/build-sample-wheels.py >/dev/null
export NUGET_PACKAGES="$PWD/artifacts/bench-packages"
rm -rf "$NUGET_PACKAGES/pythonenv.sdk"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The wall time of a command in milliseconds (its output discarded).
elapsed_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# A nuget.config in folder $1 whose only source is the SDK packed above.
write_local_feed() {
  cat > "$1/nuget.config" <<EOF
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$PWD/artifacts/packages" />
  </packageSources>
</configuration>
EOF
}
