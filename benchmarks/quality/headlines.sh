#!/usr/bin/env bash
# Headlines as queries, each judged to its own article, with the titles left
# out of the index: the article must be found by what its text says, the way
# a reader who remembers a headline finds a story.
#
#   benchmarks/quality/headlines.sh [ARTICLES]
#
# Takes the first ARTICLES (default 15000) of ../shared/corpora/chosun-news.jsonl.gz,
# indexes them without titles, runs every title through `sosik-search --queries
# --format trec --limit 100` and scores with ../shared/eval/score.py: all
# titles, then the titles holding a word of three syllables or more that ends
# in 서 (headlines write 항소심서, 법정서 for 항소심에서, 법정에서). Binaries come
# from $SOSIK_BUILD_DIR (default build/), scratch goes to $SOSIK_BENCH_DIR
# (default /tmp/sosik-bench)/headlines.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
articles=${1:-15000}
case $articles in '' | *[!0-9]*) sed -n '2,14p' "$0" >&2; exit 2 ;; esac
work=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/headlines
build=${SOSIK_BUILD_DIR:-$root/build}
score="$root/../shared/eval/score.py"
mkdir -p "$work"
[ -x "$build/query/sosik-search" ] || BUILD_DIR="$build" bash "$root/.ci/build.sh" >/dev/null
cmake --build "$build" --target sosik-index sosik-search >/dev/null

/usr/bin/python3 "$root/benchmarks/quality/headline_set.py" "$root/../shared/corpora/chosun-news.jsonl.gz" "$articles" "$work"

rm -rf "$work/sosik.db"
"$build/indexer/sosik-index" --quiet --db "$work/sosik.db" "$work/articles.jsonl" >&2
for set in all seo; do
  "$build/query/sosik-search" --db "$work/sosik.db" --queries "$work/$set.tsv" --format trec --limit 100 > "$work/run-$set.txt"
  printf '%-4s %6d headlines  ' "$set" "$(wc -l < "$work/$set.tsv")"
  /usr/bin/python3 "$score" "$work/$set.qrels" "$work/run-$set.txt" --json |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("  ".join("%s %.4f" % (k, d[k]) for k in ("MRR@10", "nDCG@10", "R@1", "R@100")))'
done
