#!/bin/sh
# Omega's omindex as an indexing-throughput peer (stock settings).
#
#   omindex.sh --input plain.jsonl --db DIR [--tree DIR] [-- extra omindex options]
#
# 1. Writes every line of strip_html.py output as one HTML file
#    (<title>TITLE</title> ... <body><p>TEXT</p></body>, UTF-8) into a tree,
#    1,000 files per sub-folder (a fresh temp dir, removed afterwards; --tree DIR
#    uses and keeps DIR instead, it must be empty or absent).
# 2. Times only  omindex --db DIR --url / --overwrite TREE  (DIR is recreated).
# 3. Prints one JSON line like the other peers:
#    {"engine","analyzer","docs","seconds","docs_per_s","input_mb","mb_per_s","index_bytes"}
#    docs = the database's document count.
# omindex's defaults apply (English stemmer, no CJK n-grams); set XAPIAN_CJK_NGRAM=1
# in the environment to have it n-gram Korean, or pass e.g. "-- --stemmer none".
set -eu
py=/usr/bin/python3
input= db= tree= keep=0
while [ $# -gt 0 ]; do
    case $1 in
        --input) input=$2; shift 2 ;;
        --db) db=$2; shift 2 ;;
        --tree) tree=$2; keep=1; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "omindex.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$input" ] && [ -n "$db" ] || { echo "usage: omindex.sh --input plain.jsonl --db DIR [--tree DIR] [-- omindex options]" >&2; exit 2; }
command -v omindex >/dev/null || { echo "omindex.sh: omindex not found (apt-get install xapian-omega)" >&2; exit 1; }

if [ -z "$tree" ]; then
    tree=$(mktemp -d "${TMPDIR:-/tmp}/omindex-tree.XXXXXX")
    trap 'rm -rf "$tree"' EXIT INT TERM
else
    mkdir -p "$tree"
    [ -z "$(ls -A "$tree")" ] || { echo "omindex.sh: --tree $tree is not empty" >&2; exit 2; }
fi

# Write the HTML tree; prints the input size in bytes (UTF-8 title + text).
input_bytes=$(INPUT="$input" TREE="$tree" "$py" - <<'PY'
import gzip, html, json, os, re
inp, tree = os.environ["INPUT"], os.environ["TREE"]
f = gzip.open(inp, "rt", encoding="utf-8") if inp.endswith(".gz") else open(inp, encoding="utf-8")
n = total = 0
bad = re.compile(r"[^A-Za-z0-9._-]")
with f:
    for line in f:
        if not line.strip():
            continue
        d = json.loads(line)
        title, text = d.get("title") or "", d.get("text") or d.get("body") or ""
        total += len(title.encode("utf-8")) + len(text.encode("utf-8"))
        sub = os.path.join(tree, "%04d" % (n // 1000))
        if n % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        name = "%06d-%s.html" % (n, bad.sub("_", str(d["id"]))[:100])
        with open(os.path.join(sub, name), "w", encoding="utf-8") as out:
            out.write('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>%s</title></head>'
                      '<body><p>%s</p></body></html>\n' % (html.escape(title), html.escape(text)))
        n += 1
print(total)
PY
)

rm -rf "$db"
start=$("$py" -c 'import time; print(time.perf_counter())')
omindex --db "$db" --url / --overwrite "$@" "$tree" >/dev/null
end=$("$py" -c 'import time; print(time.perf_counter())')

DB="$db" START="$start" END="$end" BYTES="$input_bytes" "$py" - <<'PY'
import json, os, xapian
db = os.environ["DB"]
secs = float(os.environ["END"]) - float(os.environ["START"])
docs = xapian.Database(db).get_doccount()
size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(db) for f in fs)
mb = int(os.environ["BYTES"]) / 1e6
ngram = "ngram" if os.environ.get("XAPIAN_CJK_NGRAM") else "default"
print(json.dumps({"engine": "omindex", "analyzer": ngram, "docs": docs,
                  "seconds": round(secs, 3), "docs_per_s": round(docs / secs, 1),
                  "input_mb": round(mb, 3), "mb_per_s": round(mb / secs, 3),
                  "index_bytes": size}))
PY
