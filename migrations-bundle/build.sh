#!/usr/bin/env bash
# Builds the deployable migration artifacts into migrations-bundle/out/:
#   efbundle             self-contained EF Core migrations bundle (no .NET runtime needed on the target)
#   streamvault-db       the CLI, what the Dockerfile ships: on Linux a native front (NativeAOT) that answers an
#                        up-to-date migrate and status itself and runs streamvault-db-full for everything else
#   streamvault-db-full  self-contained single-file CLI (ReadyToRun), the front's other half: deploy both together
# (migrate.sh needs neither: it builds the framework-dependent CLI alone, see lib/build-cli.sh.)
# Usage: migrations-bundle/build.sh [--runtime RID] [--force]   (RID defaults to linux-x64)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
runtime="linux-x64"
force=0

while [ $# -gt 0 ]; do
  case "$1" in
    --runtime|-r) [ $# -ge 2 ] || { echo "build.sh: --runtime needs a value (e.g. linux-x64)" >&2; exit 2; }; runtime="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

# A stamp of every input that shapes the artifacts lets repeated runs skip the build.
stamp_of_sources() { "$here/lib/source-stamp.sh" "$runtime"; }

# Publishing a single file would switch on the single-file analyzer, whose implicit ILLink package changes the
# projects' dependencies, so a locked restore (CI=true) would fail and an unlocked one would rewrite
# packages.lock.json. Off here (MSBuild reads it from the environment, also in dotnet-ef's bundle build): every
# build restores the same graph as the lock files.
export EnableSingleFileAnalyzer=false
# Code analyzers only report (the Debug build and CI enforce them); the artifacts are the same without them, built
# with a third less compiler time for StreamVault.Data. Source generators still run.
export RunAnalyzers=false

mkdir -p "$out"
stamp="$(stamp_of_sources)"
up_to_date() { [ "$force" -eq 0 ] && [ -x "$out/$1" ] && [ "$(cat "$out/.$1.stamp" 2>/dev/null)" = "$stamp" ]; }

if up_to_date efbundle && up_to_date streamvault-db; then
  echo "build.sh: out/efbundle and out/streamvault-db are up to date" >&2
  exit 0
fi

cd "$root"
if ! up_to_date efbundle; then
  dotnet tool restore >/dev/null
  # `migrations bundle` reads project metadata, which needs restored assets (absent on a fresh clone).
  dotnet restore StreamVault.Data/StreamVault.Data.csproj >/dev/null
  echo "build.sh: building out/efbundle for $runtime ..." >&2
  dotnet tool run dotnet-ef migrations bundle \
    --project StreamVault.Data/StreamVault.Data.csproj \
    --configuration Release \
    --self-contained --target-runtime "$runtime" \
    --output "$out/efbundle" --force >"$out/efbundle.build.log" 2>&1 \
    || { echo "build.sh: building the bundle failed; see $out/efbundle.build.log" >&2; tail -n 20 "$out/efbundle.build.log" >&2; exit 1; }
  echo "$stamp" >"$out/.efbundle.stamp"
  echo "build.sh: wrote $out/efbundle" >&2
fi

if ! up_to_date streamvault-db; then
  exe="streamvault-db"
  case "$runtime" in win-*) exe="streamvault-db.exe" ;; esac
  # The native front (StreamVault.Cli.Front, NativeAOT) answers an up-to-date migrate and status in milliseconds and
  # execs the full CLI for everything else (issue #13). NativeAOT compiles for this machine's OS and architecture
  # only and links with clang or gcc; for any other runtime, or without a C toolchain, streamvault-db is the full
  # CLI itself, as before.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) native_runtime="linux-x64" ;;
    Linux-aarch64) native_runtime="linux-arm64" ;;
    *) native_runtime="" ;;
  esac
  front=0
  if [ "$runtime" = "$native_runtime" ] && { command -v clang >/dev/null || command -v gcc >/dev/null; }; then
    front=1
  else
    echo "build.sh: no native front for $runtime here (needs a $runtime machine with clang or gcc): out/$exe is the full CLI" >&2
  fi

  echo "build.sh: building out/$exe for $runtime ..." >&2
  publish="$out/.publish-streamvault-db"
  rm -rf "$publish"
  # The publish settings (single file, ReadyToRun) are lib/cli-publish.sh's, shared with benchmarks/coldstart.sh.
  source "$here/lib/cli-publish.sh"
  dotnet publish StreamVault.Cli/StreamVault.Cli.csproj \
    --configuration Release --runtime "$runtime" --self-contained \
    "${cli_publish_properties[@]}" \
    --output "$publish" >"$out/streamvault-db.build.log" 2>&1 \
    || { echo "build.sh: building streamvault-db failed; see $out/streamvault-db.build.log" >&2; tail -n 20 "$out/streamvault-db.build.log" >&2; exit 1; }
  if [ "$front" -eq 1 ]; then
    dotnet publish StreamVault.Cli.Front/StreamVault.Cli.Front.csproj \
      --configuration Release --runtime "$runtime" \
      --output "$publish/front" >>"$out/streamvault-db.build.log" 2>&1 \
      || { echo "build.sh: building the native front of streamvault-db failed; see $out/streamvault-db.build.log" >&2; tail -n 20 "$out/streamvault-db.build.log" >&2; exit 1; }
    mv -f "$publish/$exe" "$out/streamvault-db-full"
    mv -f "$publish/front/streamvault-db-front" "$out/$exe"
  else
    rm -f "$out/streamvault-db-full"
    mv -f "$publish/$exe" "$out/$exe"
  fi
  rm -rf "$publish"
  echo "$stamp" >"$out/.streamvault-db.stamp"
  echo "build.sh: wrote $out/$exe$([ "$front" -eq 0 ] || echo " and $out/streamvault-db-full")" >&2
fi
