#!/usr/bin/env bash
# Quick start: install dependencies, build, index this sample archive, search it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/.ci/install-deps.sh"
bash "$root/.ci/build.sh"
db="$root/build/sample-db"
"$root/build/indexer/sosik-index" --db "$db" "$root/data"
"$root/build/query/sosik-search" --db "$db" --limit 3 "${1:-건강도시}"
