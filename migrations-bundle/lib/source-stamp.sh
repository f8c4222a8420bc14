#!/usr/bin/env bash
# Prints one hash of every input that shapes the StreamVault binaries (sources, project files, props, lock
# files, SDK and tool pins) plus any extra words given (e.g. a runtime id), so build steps can skip when it
# is unchanged. Usage: lib/source-stamp.sh [extra ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
(
  cd "$root"
  printf '%s\n' "$@"
  find StreamVault.Data StreamVault.Cli StreamVault.Cli.Core StreamVault.Cli.Front Directory.Build.props Directory.Packages.props global.json .config/dotnet-tools.json \
    -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) \
    -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum
) | sha256sum | cut -d' ' -f1
