#!/usr/bin/env bash
# Memory of sosik-serve under a long mixed load: prints its resident memory
# (VmRSS) every INTERVAL while wrk runs the mix of soak.lua (searches,
# suggestions, search pages, malformed requests) at CONNECTIONS connections.
#
#   benchmarks/http/soak.sh [MINUTES]      (default 30; after a build in build/)
#
# Uses the Chosun index of run.sh ($SOSIK_BENCH_DIR/chosun-db, built there if
# missing). Goal: after a 5-minute warm-up, RSS grows less than 5% over the
# rest. Environment: SOSIK_BUILD_DIR, SOSIK_BENCH_DIR, SOSIK_CORPUS,
# SOSIK_QUERIES, CONNECTIONS (default 32), INTERVAL (seconds, default 30),
# WARMUP (minutes, default 5), SERVE_OPTIONS (default "--cache-mb 16").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
minutes=${1:-30}
case $minutes in '' | *[!0-9]*) sed -n '2,13p' "$0" >&2; exit 2 ;; esac
build=${SOSIK_BUILD_DIR:-$repo/build}
bench=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}
corpus=${SOSIK_CORPUS:-$repo/../shared/corpora/chosun-news.jsonl.gz}
queries=${SOSIK_QUERIES:-$repo/../shared/eval/speed-queries.tsv}
connections=${CONNECTIONS:-32}
interval=${INTERVAL:-30}
warmup=${WARMUP:-5}
serve_options=${SERVE_OPTIONS:---cache-mb 16}
index=$build/indexer/sosik-index
search=$build/query/sosik-search
serve=$build/query/http/sosik-serve

for tool in "$index" "$search" "$serve"; do
  [[ -x $tool ]] || { echo "missing $tool: build first (cmake --build build)" >&2; exit 1; }
done
[[ -f $queries ]] || { echo "missing queries $queries" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
mkdir -p "$bench"
db=$bench/chosun-db
if ! "$search" --db "$db" --limit 1 서울 >/dev/null 2>&1; then
  echo "indexing $corpus into $db (once) ..."
  rm -rf "$db"
  "$index" --db "$db" "$corpus"
fi

log=$bench/soak-serve.log
# shellcheck disable=SC2086  # SERVE_OPTIONS is a list of options
"$serve" --db "$db" --listen 127.0.0.1:0 $serve_options 2>"$log" &
server=$!
wrk_pid=
trap 'kill $wrk_pid "$server" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^sosik-serve: listening on \(http:[^ ]*\)$/\1/p' "$log")
  [[ -n $url ]] && break
  sleep 0.1
done
[[ -n $url ]] || { echo "sosik-serve did not start:" >&2; cat "$log" >&2; exit 1; }
url=${url%/}
rss() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status"; }

echo "sosik-serve $serve_options; wrk -c$connections for $minutes min (soak.lua mix); RSS every ${interval}s"
echo "minute  RSS_MB"
printf '%6.1f  %s\n' 0 "$(rss)"
wrk -t2 -c"$connections" -d"${minutes}m" --timeout 10s -s "$here/soak.lua" "$url" -- "$queries" \
  >"$bench/soak-wrk.txt" 2>&1 &
wrk_pid=$!
start=$(date +%s)
at_warmup=
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$interval"
  kill -0 "$wrk_pid" 2>/dev/null || break
  elapsed=$(($(date +%s) - start))
  now=$(rss)
  printf '%6.1f  %s\n' "$(awk "BEGIN { print $elapsed / 60 }")" "$now"
  if [[ -z $at_warmup ]] && ((elapsed >= warmup * 60)); then at_warmup=$now; fi
done
wait "$wrk_pid" || true
final=$(rss)
echo "wrk: $(awk '/requests in/ { print $1, "requests" } /^Requests\/sec:/ { print $2, "requests/s" } /Non-2xx/ { print $NF, "non-2xx (the malformed ones)" }' "$bench/soak-wrk.txt" | paste -sd, -)"
if [[ -n $at_warmup ]]; then
  awk -v a="$at_warmup" -v b="$final" -v w="$warmup" \
    'BEGIN { printf "after the %d-minute warm-up: %.1f MB -> %.1f MB at the end (%+.1f%%; goal < 5%%)\n", w, a, b, 100 * (b - a) / a }'
fi
