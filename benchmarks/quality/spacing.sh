#!/usr/bin/env bash
# Spacing as readers vary it: each query set as written, re-spaced and
# joined-only (benchmarks/quality/respace.py), Sosik beside Lucene nori and
# Lucene CJK bigrams in one run.
#
#   benchmarks/quality/spacing.sh [--set dev|headlines|both] [--no-peers] [--seed N] [--articles N] [-- SOSIK-SEARCH ARGS]
#
# dev: ../shared/eval/dev (questions against passages and news). headlines:
# the first --articles (default 15000) Chosun articles indexed without their
# titles, each title a query judged to its own article (headline_set.py).
# `respaced` joins one adjacent pair of Hangul words of 2-4 syllables and
# splits one other Hangul word of 4+ syllables per query; `joined` only joins
# (seed 7 by default). Prints MRR@10 and R@100 per system and copy, and each
# copy's drop from the set as written. Arguments after -- go to sosik-search
# (e.g. -- --spacing off). Binaries from $SOSIK_BUILD_DIR (default build/);
# scratch in $SOSIK_BENCH_DIR (default /tmp/sosik-bench)/spacing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
sets=both peers=1 seed=7 articles=15000
search_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --set) sets=$2; shift ;;
    --no-peers) peers=0 ;;
    --seed) seed=$2; shift ;;
    --articles) articles=$2; shift ;;
    --) shift; search_args=("$@"); break ;;
    *) sed -n '2,17p' "$0" >&2; exit 2 ;;
  esac
  shift
done
case $sets in dev) sets="dev" ;; headlines) sets="headlines" ;; both) sets="dev headlines" ;; *) exit 2 ;; esac
work=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/spacing
build=${SOSIK_BUILD_DIR:-$root/build}
py=/usr/bin/python3
score="$root/../shared/eval/score.py"
mkdir -p "$work"
[ -x "$build/query/sosik-search" ] || BUILD_DIR="$build" bash "$root/.ci/build.sh" >/dev/null
cmake --build "$build" --target sosik-index sosik-search >/dev/null
[ $peers = 0 ] || jar=$("$root/benchmarks/peers/lucene/build.sh" "$work/lucene-build")

# score FILE.qrels RUN → "MRR R@100"
metrics() { "$py" "$score" "$1" "$2" --json | "$py" -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.4f" % (d["MRR@10"], d["R@100"]))'; }

for set in $sets; do
  dir=$work/$set
  mkdir -p "$dir"
  if [ $set = dev ]; then
    corpus=$root/../shared/eval/dev/corpus.jsonl.gz
    cp "$root/../shared/eval/dev/queries.tsv" "$dir/written.tsv"
    cp "$root/../shared/eval/dev/qrels.tsv" "$dir/qrels"
  else
    "$py" "$root/benchmarks/quality/headline_set.py" "$root/../shared/corpora/chosun-news.jsonl.gz" "$articles" "$dir"
    corpus=$dir/articles.jsonl
    cp "$dir/all.tsv" "$dir/written.tsv"
    cp "$dir/all.qrels" "$dir/qrels"
  fi
  for copy in respaced joined; do "$py" "$root/benchmarks/quality/respace.py" $copy "$seed" < "$dir/written.tsv" > "$dir/$copy.tsv"; done
  echo "== $set: sosik indexing" >&2
  rm -rf "$dir/sosik.db"
  "$build/indexer/sosik-index" --quiet --db "$dir/sosik.db" "$corpus" >&2
  systems="sosik"
  for copy in written respaced joined; do
    "$build/query/sosik-search" --db "$dir/sosik.db" --queries "$dir/$copy.tsv" --format trec --limit 100 \
      "${search_args[@]}" > "$dir/run-sosik-$copy.txt"
  done
  if [ $peers = 1 ]; then
    "$py" "$root/benchmarks/peers/strip_html.py" "$corpus" "$dir/plain.jsonl" 2>/dev/null
    for a in nori cjk; do
      echo "== $set: lucene-$a" >&2
      rm -rf "$dir/lucene-$a.idx"
      java -jar "$jar" index --analyzer $a --input "$dir/plain.jsonl" --index "$dir/lucene-$a.idx" > /dev/null
      for copy in written respaced joined; do
        java -jar "$jar" search --analyzer $a --index "$dir/lucene-$a.idx" --queries "$dir/$copy.tsv" --limit 100 \
          --run "$dir/run-lucene-$a-$copy.txt" 2>/dev/null
      done
      systems="$systems lucene-$a"
    done
  fi
  changed=$(paste "$dir/written.tsv" "$dir/respaced.tsv" | awk -F'\t' '$2 != $4' | wc -l)
  joined=$(paste "$dir/written.tsv" "$dir/joined.tsv" | awk -F'\t' '$2 != $4' | wc -l)
  echo "$set: $(wc -l < "$dir/written.tsv") queries, $changed re-spaced, $joined joined (seed $seed)"
  printf '%-12s %15s %26s %26s\n' system "as written" "re-spaced (drop)" "joined (drop)"
  printf '%-12s %15s %26s %26s\n' "" "MRR@10 R@100" "MRR@10 R@100" "MRR@10 R@100"
  for s in $systems; do
    read -r m0 r0 <<< "$(metrics "$dir/qrels" "$dir/run-$s-written.txt")"
    read -r m1 r1 <<< "$(metrics "$dir/qrels" "$dir/run-$s-respaced.txt")"
    read -r m2 r2 <<< "$(metrics "$dir/qrels" "$dir/run-$s-joined.txt")"
    printf '%-12s %7s %7s %7s %7s (%+.3f) %7s %7s (%+.3f)\n' "$s" "$m0" "$r0" "$m1" "$r1" \
      "$(echo "$m1 - $m0" | bc -l)" "$m2" "$r2" "$(echo "$m2 - $m0" | bc -l)"
  done
done
