#!/usr/bin/env bash
# HTTP load on sosik-serve beside the in-process speed of the same queries.
#
#   benchmarks/http/run.sh            (after a build in build/)
#
# 1. Indexes ../shared/corpora/chosun-news.jsonl.gz once into $SOSIK_BENCH_DIR
#    (default /tmp/sosik-bench; rebuilt when sosik-search refuses it).
# 2. In-process: `sosik-search --queries FILE --format jsonl --limit 10` over
#    ../shared/eval/speed-queries.tsv (snippets and JSON included, like the
#    API), one process, then THREADS processes at once.
# 3. HTTP: `wrk` cycling through the same queries against
#    /api/search?limit=10, at 1, 16 and 64 connections, $DURATION each, with
#    sosik-serve's reply cache off (then GET /healthz for the cost of the HTTP
#    layer alone), and again with the cache on (share of hits printed).
# 4. Overload: 64 connections, cache off, with `--max-queue $MAX_QUEUE`
#    (default 8): searches past that queue are answered 503 at once; the
#    share of 503s is printed as errors.
# Prints requests/s, p50, p99, the server's CPU time per request, and the
# ratios to in-process: CPU per query (steady on a shared machine) and
# throughput (wall clock; wrk runs on the same cores).
# Loopback only. Environment: SOSIK_BUILD_DIR, SOSIK_BENCH_DIR, SOSIK_CORPUS,
# SOSIK_QUERIES, THREADS (sosik-serve --threads, default: cores), DURATION,
# MAX_QUEUE.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${SOSIK_BUILD_DIR:-$repo/build}
bench=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}
corpus=${SOSIK_CORPUS:-$repo/../shared/corpora/chosun-news.jsonl.gz}
queries=${SOSIK_QUERIES:-$repo/../shared/eval/speed-queries.tsv}
threads=${THREADS:-$(nproc)}
duration=${DURATION:-15s}
max_queue=${MAX_QUEUE:-8}
index=$build/indexer/sosik-index
search=$build/query/sosik-search
serve=$build/query/http/sosik-serve

for tool in "$index" "$search" "$serve"; do
  [[ -x $tool ]] || { echo "missing $tool: build first (cmake --build build)" >&2; exit 1; }
done
[[ -f $corpus ]] || { echo "missing corpus $corpus" >&2; exit 1; }
[[ -f $queries ]] || { echo "missing queries $queries" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }

mkdir -p "$bench"
db=$bench/chosun-db
if ! "$search" --db "$db" --limit 1 서울 >/dev/null 2>&1; then
  echo "indexing $corpus into $db (once) ..."
  rm -rf "$db"
  "$index" --db "$db" "$corpus"
fi
query_count=$(grep -c $'\t' "$queries")

calc() { awk "BEGIN { print $* }"; }  # floating point without bc
load() { cut -d' ' -f1 /proc/loadavg; }

# Runs "$@"; sets wall (seconds) and cpu (user + system seconds of it and its children).
TIMEFORMAT='%R %U %S'
timed() {
  local user system
  { time "$@" 2>/dev/null; } 2>"$bench/time.txt"
  read -r wall user system <"$bench/time.txt"
  cpu=$(calc "$user + $system")
}

# wrk --latency prints "50%  1.23ms"; normalize to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
    if (unit == "us") n /= 1000; else if (unit == "s") n *= 1000; else if (unit == "m") n *= 60000
    printf "%.2f", n }'
}

echo "corpus: $(basename "$corpus"); queries: $query_count from $(basename "$queries"); $(nproc) cores; sosik-serve --threads $threads"
echo "load average before: $(load) (other work on this machine skews wall-clock figures, much less CPU time)"
echo

# ---- in-process ----
batch() { "$search" --db "$db" --queries "$queries" --format jsonl --limit 10 >/dev/null; }
parallel_batch() {
  local pids=() i
  for ((i = 0; i < threads; i++)); do batch & pids+=($!); done
  wait "${pids[@]}"
}
batch  # warm the page cache
timed batch
single_qps=$(calc "$query_count / $wall")
cpu_ms_per_query=$(calc "1000 * $cpu / $query_count")
timed parallel_batch
parallel_qps=$(calc "$threads * $query_count / $wall")
scaled_qps=$(calc "$single_qps * $threads")
echo "in-process (sosik-search batch, limit 10, snippets + JSON)"
printf '  1 thread:               %6.0f queries/s, %.2f ms CPU per query\n' "$single_qps" "$cpu_ms_per_query"
printf '  1 thread x %d (ideal):   %6.0f queries/s\n' "$threads" "$scaled_qps"
printf '  %d processes at once:    %6.0f queries/s\n' "$threads" "$parallel_qps"
echo

# ---- HTTP ----
# Twice: with the reply cache off (every request searches: the engine's own
# speed) and on, as deployed (--cache-mb default; the query list repeats
# while wrk cycles through it, as popular queries do in a real stream).
server=
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server/stat"; }
cache_counts() {
  /usr/bin/python3 -c 'import json, sys, urllib.request
c = json.load(urllib.request.urlopen(sys.argv[1] + "/api/stats"))["cache"]
print(c["hits"], c["misses"])' "$url"
}

serve_and_load() {  # serve_and_load LABEL SOSIK_SERVE_OPTIONS...; connection counts in $levels
  local label=$1; shift
  local tag=${label//[^a-z0-9]/-}
  local log=$bench/serve-$tag.log
  "$serve" --db "$db" --listen 127.0.0.1:0 --threads "$threads" "$@" 2>"$log" &
  server=$!
  url=
  for _ in $(seq 100); do
    url=$(sed -n 's/^sosik-serve: listening on \(http:[^ ]*\)$/\1/p' "$log")
    [[ -n $url ]] && break
    sleep 0.1
  done
  [[ -n $url ]] || { echo "sosik-serve did not start:" >&2; cat "$log" >&2; exit 1; }
  url=${url%/}

  wrk -t2 -c16 -d3s -s "$here/queries.lua" "$url" -- "$queries" >/dev/null  # warm-up

  echo "HTTP, reply cache $label (wrk, $duration per run, GET /api/search?limit=10, keep-alive)"
  printf '  %-11s %10s %8s %8s %6s %10s %6s   %s\n' connections requests/s p50_ms p99_ms errors "CPU ms/req" hits \
    "ratio to in-process: CPU per query | throughput"
  local connections
  for connections in ${levels:-1 16 64}; do
    local cpu_before cache_before out cpu_after cache_after
    cpu_before=$(server_cpu)
    cache_before=$(cache_counts)
    out=$(wrk -t"$((connections < 2 ? 1 : 2))" -c"$connections" -d"$duration" --latency \
      -s "$here/queries.lua" "$url" -- "$queries")
    cpu_after=$(server_cpu)
    cache_after=$(cache_counts)
    echo "$out" >"$bench/wrk-$tag-c$connections.txt"
    local requests rps p50 p99 errors cpu_ms_per_request hit_share throughput
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    errors=$(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
    errors=$(calc "$errors * 100 / $requests" | awk '{ printf "%.0f%%", $1 }')
    cpu_ms_per_request=$(calc "1000 * ($cpu_after - $cpu_before) / $requests")
    hit_share=$(echo "$cache_before $cache_after" |
      awk '{ h = $3 - $1; m = $4 - $2; if (h + m > 0) printf "%.0f%%", 100 * h / (h + m); else print "-" }')
    if ((connections == 1)); then
      # One connection runs one search at a time: compare with one thread.
      throughput=$(printf '%.2f of 1 thread' "$(calc "$rps / $single_qps")")
    else
      throughput=$(printf '%.2f of 1 thread x%d, %.2f of %d processes' "$(calc "$rps / $scaled_qps")" "$threads" \
        "$(calc "$rps / $parallel_qps")" "$threads")
    fi
    printf '  %-11s %10.0f %8s %8s %6s %10.2f %6s   %.2f | %s\n' "$connections" "$rps" "$p50" "$p99" "$errors" \
      "$cpu_ms_per_request" "$hit_share" "$(calc "$cpu_ms_per_query / $cpu_ms_per_request")" "$throughput"
  done
}

serve_and_load off --cache-mb 0
# The HTTP layer alone, no search: what it costs per request.
cpu_before=$(server_cpu)
out=$(wrk -t2 -c64 -d5s "$url/healthz")
cpu_after=$(server_cpu)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
printf '  HTTP layer alone (GET /healthz, 64 connections): %.0f requests/s, %.3f ms CPU per request\n' \
  "$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')" "$(calc "1000 * ($cpu_after - $cpu_before) / $requests")"
kill "$server"; wait "$server" 2>/dev/null || true
echo
serve_and_load on
kill "$server"; wait "$server" 2>/dev/null || true
echo
levels=64 serve_and_load "off, --max-queue $max_queue" --cache-mb 0 --max-queue "$max_queue"
echo
echo "load average after: $(load)"
echo "goal: HTTP >= 0.80 of in-process; p99 < 20 ms at 64 connections"
echo "raw wrk output: $bench/wrk-*.txt; server logs: $bench/serve-*.log"
