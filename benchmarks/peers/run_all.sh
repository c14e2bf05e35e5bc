#!/bin/sh
# Run every peer end to end on one corpus + query set.
#
#   run_all.sh CORPUS.jsonl[.gz] QUERIES.tsv WORKDIR [QRELS]
#
# WORKDIR (scratch: plain text, indexes, runs; keep it outside the repo, e.g.
# under /tmp) receives plain.jsonl, <peer>.index.json, <peer>.search.json,
# run-<peer>.txt and, given QRELS, <peer>.score.txt (score.py output).
# PEERS="lucene-nori lucene-cjk sqlite-fts5 xapian-ngram omindex" selects peers.
# The Lucene jar is built into $BUILD_DIR (default WORKDIR/lucene-build).
set -eu
[ $# -ge 3 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
corpus=$1 queries=$2 work=$3 qrels=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
score=${SCORE:-$(cd "$here/../../.." && pwd)/shared/eval/score.py}
peers=${PEERS:-lucene-nori lucene-cjk sqlite-fts5 xapian-ngram omindex}
mkdir -p "$work"
work=$(cd "$work" && pwd)

"$py" "$here/strip_html.py" "$corpus" "$work/plain.jsonl"
case " $peers " in *" lucene-"*)
    jar=$("$here/lucene/build.sh" "${BUILD_DIR:-$work/lucene-build}") ;;
esac

for p in $peers; do
    echo "== $p" >&2
    run=$work/run-$p.txt
    case $p in
        lucene-nori|lucene-cjk)
            a=${p#lucene-}
            java -jar "$jar" index --analyzer "$a" --input "$work/plain.jsonl" --index "$work/$p.idx" > "$work/$p.index.json"
            java -jar "$jar" search --analyzer "$a" --index "$work/$p.idx" --queries "$queries" --limit 100 --run "$run" 2> "$work/$p.search.json" ;;
        sqlite-fts5)
            "$py" "$here/sqlite_fts5.py" index --input "$work/plain.jsonl" --db "$work/$p.db" > "$work/$p.index.json"
            "$py" "$here/sqlite_fts5.py" search --db "$work/$p.db" --queries "$queries" --limit 100 --run "$run" 2> "$work/$p.search.json" ;;
        xapian-ngram)
            "$py" "$here/xapian_ngram.py" index --input "$work/plain.jsonl" --db "$work/$p.db" --compact > "$work/$p.index.json"
            "$py" "$here/xapian_ngram.py" search --db "$work/$p.db" --queries "$queries" --limit 100 --run "$run" 2> "$work/$p.search.json" ;;
        omindex)
            "$here/omindex.sh" --input "$work/plain.jsonl" --db "$work/$p.db" > "$work/$p.index.json"
            run= ;;
        *) echo "run_all.sh: unknown peer $p" >&2; exit 2 ;;
    esac
    cat "$work/$p.index.json"
    [ -z "$run" ] || tail -n 1 "$work/$p.search.json"
    if [ -n "$run" ] && [ -n "$qrels" ]; then
        "$py" "$score" "$qrels" "$run" > "$work/$p.score.txt"
        tr -s ' ' < "$work/$p.score.txt" | tr '\n' ' '; echo
    fi
done
