#!/usr/bin/env bash
# --suggest latency and counts, binaries side by side (e.g. before and after a change):
#   benchmarks/korean/suggest.sh DB SOSIK_SEARCH [SOSIK_SEARCH...]
# Per prefix: the least took_ms of 9 runs of each binary (a shared machine:
# the least is the steadiest), then each binary's first three words with counts.
set -euo pipefail
db=$1; shift
prefixes=(서울 서울ㅅ 대통 대통령 경찰 경ㅊ 부동산 검ㅊ 사 정부 코로나 한동)
took() { "$1" --db "$db" --json --suggest "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["took_ms"])'; }
for prefix in "${prefixes[@]}"; do
  line=$prefix
  for binary in "$@"; do
    best=$(for _ in $(seq 9); do took "$binary" "$prefix"; done | sort -g | head -1)
    line+=$'\t'"$best ms"
  done
  echo "$line"
done
for prefix in 서울 정부 경ㅊ; do
  for binary in "$@"; do
    echo "$prefix ($binary): $("$binary" --db "$db" --suggest "$prefix" | head -3 | tr '\t\n' ': ')"
  done
done
