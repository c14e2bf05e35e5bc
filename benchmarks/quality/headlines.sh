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

/usr/bin/python3 - "$root/../shared/corpora/chosun-news.jsonl.gz" "$articles" "$work" <<'EOF'
import gzip, json, re, sys
corpus, limit, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seo = re.compile(r'[가-힣]{2,}서(?![가-힣])')
with gzip.open(corpus, 'rt', encoding='utf-8') as f, open(f'{work}/articles.jsonl', 'w') as articles, \
        open(f'{work}/all.tsv', 'w') as all_q, open(f'{work}/all.qrels', 'w') as all_r, \
        open(f'{work}/seo.tsv', 'w') as seo_q, open(f'{work}/seo.qrels', 'w') as seo_r:
    for n, line in enumerate(f):
        if n == limit:
            break
        article = json.loads(line)
        title = ' '.join(article.get('title', '').split())
        article['title'] = ''
        articles.write(json.dumps(article, ensure_ascii=False) + '\n')
        if not title:
            continue
        for queries, qrels, wanted in ((all_q, all_r, True), (seo_q, seo_r, bool(seo.search(title)))):
            if wanted:
                queries.write(f'h{n}\t{title}\n')
                qrels.write(f'h{n} 0 {article["id"]} 1\n')
EOF

rm -rf "$work/sosik.db"
"$build/indexer/sosik-index" --quiet --db "$work/sosik.db" "$work/articles.jsonl" >&2
for set in all seo; do
  "$build/query/sosik-search" --db "$work/sosik.db" --queries "$work/$set.tsv" --format trec --limit 100 > "$work/run-$set.txt"
  printf '%-4s %6d headlines  ' "$set" "$(wc -l < "$work/$set.tsv")"
  /usr/bin/python3 "$score" "$work/$set.qrels" "$work/run-$set.txt" --json |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("  ".join("%s %.4f" % (k, d[k]) for k in ("MRR@10", "nDCG@10", "R@1", "R@100")))'
done
