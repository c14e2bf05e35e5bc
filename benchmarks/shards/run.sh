#!/usr/bin/env bash
# Query latency and throughput over 1, 4 and 8 local shards and over remote
# shards (xapian-tcpsrv on loopback), with index size and build time per shard;
# and, first, whether shards rank as one database.
#
#   benchmarks/shards/run.sh [ARTICLES]      (after a build in build/)
#   benchmarks/shards/run.sh compare         (the comparison alone)
#
# 0. Same results: indexes the first COMPARE_LINES (default 6,000) lines of
#    ../shared/corpora/chosun-news.jsonl.gz as one database and with
#    --shard-by month, year and hash:8 (hash:8 also served by xapian-tcpsrv),
#    and runs about COMPARE_QUERIES queries (default 4,000: speed queries,
#    dev questions of ../shared/eval/dev, titles of the slice) over each with
#    `--limit 20`. Prints per layout how many queries differ from one
#    database in ids or order, or in a score at three decimals, and how many
#    lines of the TREC runs (ids read without the stored article) differ.
#    Results: benchmarks/shards/README.md.
# 1. Generates ARTICLES articles (default 1,000,000) from
#    ../shared/corpora/chosun-news.jsonl.gz, replicated with unique ids, into
#    $SOSIK_BENCH_DIR/shards (default /tmp/sosik-bench/shards), once per size.
# 2. Indexes them once with `sosik-index --shard-by hash:8`, then makes the
#    other layouts from those shards with xapian-compact (each shard compacted
#    alone for 8, pairs merged for 4, all merged for 1), so every layout holds
#    the same documents in compacted databases, as deployed read-only copies are.
# 3. Runs the same QUERIES queries of ../shared/eval/speed-queries.tsv
#    (`sosik-search --queries --format jsonl --limit 10`, snippets included)
#    over each layout: one process (latency: mean wall time per query, p50
#    and p95 of took_ms), then 2 processes at once (throughput), and checks
#    that every layout returns the same ids in the same order.
# Environment: SOSIK_BUILD_DIR, SOSIK_BENCH_DIR, SOSIK_CORPUS, SOSIK_QUERIES,
# SOSIK_DEV_QUERIES, QUERIES (default 500), JOBS (sosik-index --jobs, default:
# cores), COMPARE_LINES, COMPARE_QUERIES.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOSIK_BUILD_DIR:-$repo/build}
bench=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/shards
corpus=${SOSIK_CORPUS:-$repo/../shared/corpora/chosun-news.jsonl.gz}
all_queries=${SOSIK_QUERIES:-$repo/../shared/eval/speed-queries.tsv}
dev_queries=${SOSIK_DEV_QUERIES:-$repo/../shared/eval/dev/queries.tsv}
compare_only=0
[[ ${1:-} == compare ]] && { compare_only=1; shift; }
articles=${1:-1000000}
query_count=${QUERIES:-500}
index=$build/indexer/sosik-index
search=$build/query/sosik-search

for tool in "$index" "$search"; do
  [[ -x $tool ]] || { echo "missing $tool: build first (cmake --build build)" >&2; exit 1; }
done
for tool in xapian-tcpsrv xapian-compact; do
  command -v $tool >/dev/null || { echo "$tool is missing: apt-get install xapian-tools" >&2; exit 1; }
done
python=$(command -v python3)

calc() { awk "BEGIN { print $* }"; }
load() { cut -d' ' -f1 /proc/loadavg; }
size_mb() { du -sm "$1" | cut -f1; }
now() { date +%s.%N; }

mkdir -p "$bench"
queries=$bench/queries.tsv
head -n "$query_count" "$all_queries" >"$queries"
query_count=$(grep -c $'\t' "$queries")

# ---- remote shards: one xapian-tcpsrv per shard on loopback ----
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
port=$((20000 + RANDOM % 20000))
remote_stub() {  # remote_stub FILE SHARD...
  local file=$1; shift
  : >"$file"
  local shard
  for shard in "$@"; do
    while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
    # (it logs each probe below that connects and hangs up as a "write failed")
    xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$shard" >>"$bench/tcpsrv.log" 2>&1 &
    servers+=($!)
    echo "remote 127.0.0.1:$port" >>"$file"
    for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    port=$((port + 1))
  done
}

# ---- 0. shards rank as one database ----
compare_lines=${COMPARE_LINES:-6000}
cmp=$bench/compare-$compare_lines
if [[ ! -f $cmp/done ]]; then
  rm -rf "$cmp" && mkdir -p "$cmp/input"
  echo "indexing the first $compare_lines lines of $(basename "$corpus"): one database, month, year, hash:8 ..."
  (zcat "$corpus" || true) | head -n "$compare_lines" >"$cmp/input/articles.jsonl"  # (zcat dies of SIGPIPE)
  "$index" --quiet --db "$cmp/one" "$cmp/input" >/dev/null
  for scheme in month year hash:8; do
    "$index" --quiet --db "$cmp/${scheme%%:*}" --shard-by "$scheme" "$cmp/input" >/dev/null
  done
  touch "$cmp/done"
fi
# Speed queries (headline words, names, questions), dev questions (another
# domain: mostly the any-word pass), titles of the slice (each found).
"$python" "$here/compare.py" queries "$all_queries" "$dev_queries" "$cmp/input/articles.jsonl" \
  "${COMPARE_QUERIES:-4000}" >"$cmp/queries.tsv"
remote_stub "$cmp/remote-hash.stub" "$cmp"/hash/hash-*-of-8
compare_batch() { "$search" --db "$1" --queries "$cmp/queries.tsv" --format "$2" --limit 20 --remote-timeout 60; }
echo
echo "same results as one database: first $compare_lines articles, $(grep -c $'\t' "$cmp/queries.tsv") queries, limit 20"
compare_batch "$cmp/one" jsonl >"$cmp/one.jsonl"
compare_batch "$cmp/one" trec >"$cmp/one.trec"
printf '  %-14s %6s   %s\n' layout shards "queries that differ (in ids or order / only in a score at 3 decimals); TREC run lines that differ"
for layout in month:"$cmp/month" year:"$cmp/year" hash-8:"$cmp/hash" remote-hash-8:"$cmp/remote-hash.stub"; do
  name=${layout%%:*}
  db=${layout#*:}
  compare_batch "$db" jsonl >"$cmp/$name.jsonl"
  compare_batch "$db" trec >"$cmp/$name.trec"
  shards=$(if [[ -f $db ]]; then grep -c . "$db"; else grep -c '^auto' "$db/XAPIANDB"; fi)
  printf '  %-14s %6s   %s\n' "$name" "$shards" \
    "$("$python" "$here/compare.py" results "$cmp/one.jsonl" "$cmp/$name.jsonl" "$cmp/one.trec" "$cmp/$name.trec")"
done
for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
servers=()
[[ $compare_only == 1 ]] && exit 0
echo

# ---- 1. the corpus ----
input=$bench/input-$articles
# (gzip-compressed: a million articles of HTML are ~10 GB as plain text)
if [[ ! -f $input/articles.jsonl.gz ]]; then
  rm -rf "$input" && mkdir -p "$input"
  echo "generating $articles articles from $(basename "$corpus") ..."
  "$python" "$here/make_corpus.py" "$corpus" "$articles" "$input/articles.jsonl.gz.part"
  mv "$input/articles.jsonl.gz.part" "$input/articles.jsonl.gz"
fi

# ---- 2. indexing, sharded by hash into 8 ----
work=$bench/db-$articles
built=$work/hash8/XAPIANDB
if [[ ! -f $work/index-seconds ]]; then
  rm -rf "$work" && mkdir -p "$work"
  echo "indexing into 8 shards (sosik-index --shard-by hash:8) ..."
  start=$(now)
  "$index" --quiet --jobs "${JOBS:-$(nproc)}" --db "$work/hash8" --shard-by hash:8 "$input" >"$work/index.txt"
  echo "$(calc "$(now) - $start")" >"$work/index-seconds"
  cut -d' ' -f1 /proc/loadavg >"$work/index-load"
fi
if [[ ! -f $work/done ]]; then
  rm -rf "$work/8" "$work/4" "$work/1"
  echo "compacting: 8 shards alone, merged in pairs (4), all merged (1) ..."
  start=$(now)
  mkdir -p "$work/8" "$work/4" "$work/1"
  shards=("$work"/hash8/hash-*-of-8)
  for shard in "${shards[@]}"; do xapian-compact -q "$shard" "$work/8/$(basename "$shard")" >/dev/null; done
  for i in 0 2 4 6; do
    xapian-compact -q "${shards[$i]}" "${shards[$((i + 1))]}" "$work/4/pair-$((i / 2))" >/dev/null
  done
  xapian-compact -q "${shards[@]}" "$work/1/all" >/dev/null
  echo "$(calc "$(now) - $start")" >"$work/compact-seconds"
  # The as-built shards are only needed for their sizes: at a million articles
  # they are the largest copy on disk (KEEP_BUILT=1 keeps them).
  mkdir -p "$work/built-mb"
  for shard in "${shards[@]}"; do size_mb "$shard" >"$work/built-mb/$(basename "$shard")"; done
  [[ ${KEEP_BUILT:-0} == 1 ]] || rm -rf "${shards[@]}"
  touch "$work/done"
fi
[[ -f $built ]] || { echo "no sharded index in $work" >&2; exit 1; }
index_seconds=$(cat "$work/index-seconds")

local_lines() { local d; for d in "$@"; do echo "auto $d"; done; }
local_lines "$work"/8/* >"$work/local-8.stub"
local_lines "$work"/4/* >"$work/local-4.stub"

remote_stub "$work/remote-4.stub" "$work"/4/*
remote_stub "$work/remote-8.stub" "$work"/8/*

# ---- 3. queries ----
echo
echo "articles: $articles (Chosun, $(zcat "$corpus" | grep -c .) originals replicated with unique ids)"
echo "queries: $query_count from $(basename "$all_queries"), limit 10, snippets + JSON; $(nproc) cores; load before: $(load)"
echo
echo "index: sosik-index --shard-by hash:8 in $(printf '%.0f' "$index_seconds") s" \
  "($(printf '%.0f' "$(calc "$articles / $index_seconds")") articles/s, one writer for all shards;" \
  "load average at the end: $(cat "$work/index-load" 2>/dev/null || echo '?'));" \
  "compaction of all layouts: $(printf '%.0f' "$(cat "$work/compact-seconds")") s"
printf '  %-14s %9s %9s %9s %14s\n' shard articles "MB built" "MB compact" "build s (share)"
for shard in "$work"/8/hash-*-of-8; do
  name=$(basename "$shard")
  docs=$(xapian-delve "$shard" | sed -n 's/^number of documents = //p')
  printf '  %-14s %9s %9s %9s %14.0f\n' "$name" "$docs" "$(cat "$work/built-mb/$name")" "$(size_mb "$shard")" \
    "$(calc "$index_seconds * $docs / $articles")"
done
echo "  one database of everything (compacted): $(size_mb "$work/1/all") MB"
echo

batch() { "$search" --db "$1" --queries "$queries" --format jsonl --limit 10 --remote-timeout 60; }
declare -A mean_ms qps
printf '  %-18s %10s %8s %8s %14s %10s   %s\n' layout "mean ms" "p50 ms" "p95 ms" "q/s (2 procs)" "vs 1 shard" "same as 1 shard"
for layout in 1:"$work/1/all" local-4:"$work/local-4.stub" local-8:"$work/local-8.stub" \
  remote-4:"$work/remote-4.stub" remote-8:"$work/remote-8.stub"; do
  name=${layout%%:*}
  db=${layout#*:}
  batch "$db" >"$work/$name.jsonl"  # warm the page cache (and check it works)
  start=$(now)
  batch "$db" >"$work/$name.jsonl"
  wall=$(calc "$(now) - $start")
  start=$(now)
  batch "$db" >/dev/null & first=$!
  batch "$db" >/dev/null & second=$!
  wait $first $second
  both=$(calc "$(now) - $start")
  mean_ms[$name]=$(calc "1000 * $wall / $query_count")
  qps[$name]=$(calc "2 * $query_count / $both")
  percentiles=$(grep -o '"took_ms":[0-9.e+-]*' "$work/$name.jsonl" | cut -d: -f2 | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.2f %.2f", v[int(NR * 0.5) + 1], v[int(NR * 0.95) + 1] }')
  "$python" - "$work/1.jsonl" "$work/$name.jsonl" >"$work/$name.same" <<'EOF'
import json, sys
a = [json.loads(line) for line in open(sys.argv[1])]
b = [json.loads(line) for line in open(sys.argv[2])]
ids = sum(1 for x, y in zip(a, b) if [h["id"] for h in x["hits"]] != [h["id"] for h in y["hits"]])
ids += abs(len(a) - len(b))
exact = sum(1 for x, y in zip(a, b) if x["total_exact"] and (y["total"], y["total_exact"]) != (x["total"], True))
estimated = sum(1 for x, y in zip(a, b) if not x["total_exact"] and x["total"] != y["total"])
print(("ids: yes" if ids == 0 else f"ids: NO, {ids} queries differ") +
      (", exact totals: yes" if exact == 0 else f", exact totals: NO, {exact} differ") +
      f" ({estimated} estimated totals differ)")
EOF
  printf '  %-18s %10.2f %8s %8s %14.0f %10.2f   %s\n' "$name" "${mean_ms[$name]}" ${percentiles} "${qps[$name]}" \
    "$(calc "${mean_ms[$name]} / ${mean_ms[1]}")" "$(cat "$work/$name.same")"
done
echo
echo "load average after: $(load)"
echo "(vs 1 shard: mean latency relative to one database; remote = one xapian-tcpsrv per shard on this machine)"
