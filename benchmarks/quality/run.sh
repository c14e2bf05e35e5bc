#!/usr/bin/env bash
# Retrieval quality on the judged Korean dev set, Sosik beside its peers, in one run.
#
#   benchmarks/quality/run.sh [--no-peers] [--reuse-index] [--set DIR]
#
# Builds an index of DIR/corpus.jsonl.gz with sosik-index (HTML bodies and all),
# runs DIR/queries.tsv through `sosik-search --queries --format trec --limit 100`,
# scores with ../shared/eval/score.py, then does the same for Lucene 8 + nori,
# Lucene 8 + CJK bigrams and Xapian's FLAG_CJK_NGRAM (benchmarks/peers/, given
# text already stripped of HTML). Prints MRR@10, nDCG@10, R@1/10/100, zero-result
# queries, index time and size, and mean query latency per system.
# Scratch goes to $SOSIK_BENCH_DIR (default /tmp/sosik-bench/quality); binaries come
# from $SOSIK_BUILD_DIR (default build/). --reuse-index keeps the Sosik index (and
# its figures) of an earlier run of the same set and only reruns the queries:
# for iterating on ranking, which needs no reindexing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
set_dir="$root/../shared/eval/dev"
peers=1
reuse=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-peers) peers=0 ;;
    --reuse-index) reuse=1 ;;
    --set) set_dir=$2; shift ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
  esac
  shift
done
work=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/quality
mkdir -p "$work"
score="$root/../shared/eval/score.py"
py=/usr/bin/python3
build=${SOSIK_BUILD_DIR:-$root/build}
[ -x "$build/query/sosik-search" ] || BUILD_DIR="$build" bash "$root/.ci/build.sh" >/dev/null
cmake --build "$build" --target sosik-index sosik-search >/dev/null

if [ $reuse = 1 ] && [ -f "$work/sosik.index.json" ] && [ "$(cat "$work/sosik.set" 2>/dev/null)" = "$set_dir" ]; then
  echo "== sosik: reusing the index in $work/sosik.db" >&2
else
  echo "== sosik: indexing $set_dir/corpus.jsonl.gz" >&2
  rm -rf "$work/sosik.db" "$work/sosik.set"
  start=$(date +%s.%N)
  "$build/indexer/sosik-index" --quiet --db "$work/sosik.db" "$set_dir/corpus.jsonl.gz" >&2
  end=$(date +%s.%N)
  index_s=$(echo "$end - $start" | bc)
  xapian-compact "$work/sosik.db" "$work/sosik.compact.db" >/dev/null 2>&1 && size=$(du -sb "$work/sosik.compact.db" | cut -f1) \
    || size=$(du -sb "$work/sosik.db" | cut -f1)
  rm -rf "$work/sosik.compact.db"
  echo "{\"seconds\": $index_s, \"index_bytes\": $size}" > "$work/sosik.index.json"
  echo "$set_dir" > "$work/sosik.set"
fi

echo "== sosik: searching" >&2
queries=$(wc -l < "$set_dir/queries.tsv")
start=$(date +%s.%N)
"$build/query/sosik-search" --db "$work/sosik.db" --queries "$set_dir/queries.tsv" --format trec --limit 100 \
  > "$work/run-sosik.txt"
end=$(date +%s.%N)
echo "{\"mean_ms\": $(echo "scale=4; ($end - $start) * 1000 / $queries" | bc -l | sed "s/^\./0./")}" > "$work/sosik.search.json"
"$py" "$score" "$set_dir/qrels.tsv" "$work/run-sosik.txt" --json > "$work/sosik.score.json"

systems="sosik"
if [ $peers = 1 ]; then
  PEERS="lucene-nori lucene-cjk xapian-ngram" bash "$root/benchmarks/peers/run_all.sh" \
    "$set_dir/corpus.jsonl.gz" "$set_dir/queries.tsv" "$work/peers" >/dev/null
  for p in lucene-nori lucene-cjk xapian-ngram; do
    cp "$work/peers/$p.index.json" "$work/$p.index.json"
    tail -n 1 "$work/peers/$p.search.json" > "$work/$p.search.json"
    cp "$work/peers/run-$p.txt" "$work/run-$p.txt"
    "$py" "$score" "$set_dir/qrels.tsv" "$work/run-$p.txt" --json > "$work/$p.score.json"
    systems="$systems $p"
  done
fi
"$py" "$root/benchmarks/quality/report.py" "$work" $systems
