#!/usr/bin/env bash
# Builds the solution in parallel (the library's Python requirement flows into both apps' locks and venvs; the
# central versions in Directory.Packages.props pin them), then runs both apps. build/run-sample.sh Solution runs
# it after packing the SDK and building the sample wheels. Pass -p:ContinuousIntegrationBuild=true to check the
# committed locks instead of updating them.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Solution.slnx -m -c Release -nologo -v:m "$@"
dotnet run --project HelloApp -c Release --no-build
dotnet run --project ShoutApp -c Release --no-build
