#!/usr/bin/env bash
# The CI recipe: build in Locked mode, so a lock that no longer matches the declarations fails the build
# (PYENV3001, listing every difference) instead of being rewritten on the build machine.
# ContinuousIntegrationBuild=true turns Locked mode on (the same as -p:PythonLockMode=Locked); the .venv is
# still created or put back in line with the lock, hash-checked.
#
# Here it builds samples/PyProjectGroups, whose pylock.toml is committed (it names the sample wheels by a
# path relative to itself, so it is valid in every clone); build/run-sample.sh ci runs it after packing the
# SDK and building those wheels. In your repository, too, pylock.toml is committed and CI runs only this:
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build PyProjectGroups -c Release -nologo -v:m -p:ContinuousIntegrationBuild=true
