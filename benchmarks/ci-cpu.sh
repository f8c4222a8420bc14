#!/usr/bin/env bash
# Where a CI run's time goes: runs a command (default: CI=true bash .ci/run) and samples every process's CPU time
# (/proc/<pid>/stat, twice a second), then prints the wall time, the machine's busy CPU seconds (/proc/stat) and the
# CPU seconds per kind of process (PostgreSQL, the test host, compilers, MSBuild, dotnet-ef, the CLI, ...).
# Processes shorter than a sample are missed, so the kinds add up to less than the machine's total.
# Usage: benchmarks/ci-cpu.sh [command ...]        results: benchmarks/RESULTS.md, "CI time"
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -gt 0 ] || set -- env CI=true bash .ci/run

out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# Per process seen (pid and start time): CPU ticks (utime + stime) used since first seen, or since birth when it started
# after the first sample; its command line at first sight. Written to $out when the sampler is stopped.
sample() {
  local -A used=() base=() cmd=()
  local first=1 stat pid rest line key ticks
  local -a f
  trap 'for key in "${!used[@]}"; do echo "$((used[$key] - base[$key])) ${cmd[$key]}"; done >"$out"; exit 0' TERM
  while :; do
    for stat in /proc/[0-9]*/stat; do
      { read -r line <"$stat"; } 2>/dev/null || continue
      pid="${stat#/proc/}"; pid="${pid%/stat}"
      rest="${line##*) }"
      read -r -a f <<<"$rest"
      key="$pid.${f[19]}"
      ticks=$((f[11] + f[12]))
      if [ -z "${cmd[$key]+set}" ]; then
        cmd[$key]="$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | head -c 300)"
        [ -n "${cmd[$key]}" ] || cmd[$key]="[${line#*(}"
        base[$key]=$((first ? ticks : 0))
      fi
      used[$key]=$ticks
    done
    first=0
    sleep 0.5 & wait $!
  done
}

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
before="$(busy)"
started=$SECONDS
sample & sampler=$!
"$@"
status=$?
kill -TERM "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
hz="$(getconf CLK_TCK)"
after="$(busy)"

echo "wall $((SECONDS - started)) s, machine busy $(( (after - before) / hz )) CPU-s on $(nproc) cores, exit $status"
awk -v hz="$hz" '
  { ticks = $1; cmd = substr($0, length($1) + 2)
    kind = "other"
    if (cmd ~ /^([^ ]*\/)?postgres( |$)|^postgres:/) kind = "postgres (server and backends)"
    else if (cmd ~ /VBCSCompiler|Roslyn\/bincore\/csc/) kind = "C# compiler"
    else if (cmd ~ /MSBuild/) kind = "MSBuild nodes and server"
    else if (cmd ~ /ilc|crossgen/) kind = "NativeAOT and ReadyToRun compilers"
    else if (cmd ~ /StreamVault\.Data\.Tests/) kind = "test host"
    else if (cmd ~ /dotnet-ef|ef\.dll/) kind = "dotnet-ef"
    else if (cmd ~ /efbundle/) kind = "efbundle"
    else if (cmd ~ /streamvault-db-full/) kind = "streamvault-db (full CLI)"
    else if (cmd ~ /out\/streamvault-db( |$)/) kind = "streamvault-db (native front)"
    else if (cmd ~ /streamvault-db/) kind = "streamvault-db (framework-dependent)"
    else if (cmd ~ /pwsh/) kind = "pwsh"
    else if (cmd ~ /dotnet (build|publish|pack|restore|run|test|tool)/) kind = "dotnet build, pack, run, test"
    else if (cmd ~ /^(\/usr\/bin\/)?(bash|env|runuser|sleep)/) kind = "scripts"
    cpu[kind] += ticks / hz; n[kind]++ }
  END { for (k in cpu) printf "%8.0f CPU-s %6d processes  %s\n", cpu[k], n[k], k }' "$out" | sort -rn
exit "$status"
