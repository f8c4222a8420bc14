#!/usr/bin/env bash
# Builds streamvault-db for the main job: framework-dependent (the .NET SDK that builds it also runs it), Release,
# into migrations-bundle/out/cli/, and only when sources changed since the last build (a stamp). This is all
# migrate.sh needs; the self-contained single files for deployments stay in build.sh.
# Prints progress on stderr while building. Usage: lib/build-cli.sh [--force]   stdout: the path of streamvault-db.dll
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out/cli"
dll="$out/streamvault-db.dll"
stamp_file="$here/out/.cli.stamp"

stamp="$("$here/lib/source-stamp.sh" framework-dependent)"
if [ "${1:-}" != "--force" ] && [ -f "$dll" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  echo "$dll"
  exit 0
fi

mkdir -p "$here/out"
log="$here/out/cli.build.log"
echo "migrate: building streamvault-db (first run, or sources changed) ..." >&2
rm -f "$stamp_file"
# Quiet build into a log; a line every 10 s shows it is alive, the log's tail shows what failed.
# RunAnalyzers=false: analyzers only report (the Debug build and CI enforce them); the same program, built faster.
dotnet build "$root/StreamVault.Cli/StreamVault.Cli.csproj" --configuration Release --output "$out" -p:RunAnalyzers=false -nologo -v q >"$log" 2>&1 &
build=$!
started=$SECONDS
while kill -0 "$build" 2>/dev/null; do
  sleep 1
  elapsed=$((SECONDS - started))
  if [ $((elapsed % 10)) -eq 0 ] && kill -0 "$build" 2>/dev/null; then
    echo "migrate: still building streamvault-db ($elapsed s)" >&2
  fi
done
if ! wait "$build"; then
  echo "migrate: building streamvault-db failed; see $log" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
echo "$stamp" >"$stamp_file"
echo "migrate: built streamvault-db in $((SECONDS - started)) s" >&2
echo "$dll"
