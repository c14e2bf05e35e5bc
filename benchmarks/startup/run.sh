#!/usr/bin/env bash
# One search in a fresh process: `sosik-search --json` beside Xapian's own
# `quest` on the same database, in the same hyperfine run (issue 19).
#
#   benchmarks/startup/run.sh [ARTICLES] [EXTRA_SEARCH_BINARY...]   (after a build in build/)
#
# 1. Indexes the first ARTICLES (default 10,000) articles of
#    ../shared/corpora/chosun-news.jsonl.gz once, into
#    $SOSIK_BENCH_DIR/startup/db-ARTICLES (default /tmp/sosik-bench).
# 2. hyperfine -N (no shell), warm page cache: `sosik-search --db DB --json
#    QUERY`, `quest -d DB QUERY` and `sosik-search --version` (the process
#    floor: dynamic loading and static constructors, no database), plus the
#    same search with every EXTRA_SEARCH_BINARY (e.g. a copy of an older
#    build) for a before/after in one run.
# 3. Prints each median and its ratio to quest's (goal: within 2x).
# Environment: SOSIK_BUILD_DIR, SOSIK_BENCH_DIR, SOSIK_CORPUS, QUERY (default
# 서울), RUNS (default 30), WARMUP (default 5).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOSIK_BUILD_DIR:-$repo/build}
bench=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/startup
corpus=${SOSIK_CORPUS:-$repo/../shared/corpora/chosun-news.jsonl.gz}
articles=${1:-10000}
shift || true
query=${QUERY:-서울}
runs=${RUNS:-30}
warmup=${WARMUP:-5}
index=$build/indexer/sosik-index
search=$build/query/sosik-search

for tool in "$index" "$search" "$@"; do
  [[ -x $tool ]] || { echo "missing $tool: build first (cmake --build build)" >&2; exit 1; }
done
for tool in hyperfine quest; do
  command -v $tool >/dev/null || {
    echo "$tool is missing: SOSIK_WITH_PEERS=1 bash .ci/install-deps.sh (hyperfine, xapian-tools)" >&2
    exit 1
  }
done

mkdir -p "$bench"
db=$bench/db-$articles
if [[ ! -f $db/.complete ]]; then
  rm -rf "$db"
  # zcat dies of SIGPIPE once head has its lines: count them instead.
  { zcat "$corpus" || true; } | head -n "$articles" >"$bench/articles-$articles.jsonl"
  [[ $(wc -l <"$bench/articles-$articles.jsonl") -eq $articles ]] || { echo "cannot read $articles articles from $corpus" >&2; exit 1; }
  "$index" --quiet --db "$db" "$bench/articles-$articles.jsonl"
  touch "$db/.complete"
fi

commands=("$search --db $db --json $query" "quest -d $db $query" "$search --version")
for extra in "$@"; do commands+=("$extra --db $db --json $query"); done

# Every command must answer before it is timed.
for c in "${commands[@]}"; do $c >/dev/null; done

echo "sosik-search vs quest, fresh processes, $articles articles, query '$query', $runs runs ($(nproc) cores)"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$bench/hyperfine.json" "${commands[@]}"

python3 - "$bench/hyperfine.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
quest = next(r for r in results if r["command"].startswith("quest "))
print()
print(f"{'median ms':>10} {'× quest':>8}  command")
for r in results:
    print(f"{r['median'] * 1000:10.1f} {r['median'] / quest['median']:8.2f}  {r['command']}")
PY
