#!/usr/bin/python3
"""Xapian 1.4 peer: stock TermGenerator / QueryParser with CJK n-grams.

Run with /usr/bin/python3 (python3-xapian is installed for the system Python only).

  xapian_ngram.py index  --input plain.jsonl --db DIR [--ngram 1|0] [--title-weight 1]
                         [--compact]
  xapian_ngram.py search --db DIR --queries FILE.tsv [--limit 100] [--run OUT]
                         [--ngram 1|0] [--bm25 K1,B] [--search-title-prefix 0|1]
                         [--tag TAG] [--warmup 50]

Index: one document per line of strip_html.py output, the usual Xapian recipe:
title through TermGenerator with prefix S, then the title again unprefixed (wdf
increment --title-weight, default 1 = no boost) and the text unprefixed, so the
unprefixed terms act as one combined title+text field. Positions kept
(TermGenerator's default); FLAG_CJK_NGRAM unless --ngram 0 (then the
tag/analyzer is "plain"); no stemmer. Id as boolean term Q<id> and as the
document data. One commit at the end (Xapian's auto-flush every 10,000
documents still applies). --compact also writes DIR.compact and reports its
size and time apart from "seconds".

Search: QueryParser with the same flag (FLAG_DEFAULT | FLAG_CJK_NGRAM), default
op OR, unqualified words on the unprefixed terms ("title:" reaches S);
--search-title-prefix 1 makes unqualified words also search S (an OR over
"title" and "text"; worse on dev). Xapian's BM25Weight with its own defaults
(k1=1, b=0.5) unless --bm25 K1,B. Queries that hit Xapian 1.4.22's
FLAG_CJK_NGRAM parse error (Latin word, Korean word, Latin word) are parsed
word by word and OR-ed; their number is reported as "parse_fallbacks".
Tag: xapian-ngram (xapian-plain with --ngram 0).
"""
import argparse
import os
import shutil
import sys
import time

import xapian

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402


def tg_flags(ngram):
    return xapian.TermGenerator.FLAG_CJK_NGRAM if ngram else 0


def qp_flags(ngram):
    f = xapian.QueryParser.FLAG_DEFAULT
    return f | xapian.QueryParser.FLAG_CJK_NGRAM if ngram else f


def cmd_index(a):
    st = peerlib.IndexStats()
    db = xapian.WritableDatabase(a.db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(tg_flags(a.ngram))
    for did, title, text in peerlib.read_plain(a.input):
        doc = xapian.Document()
        tg.set_document(doc)
        if title:
            # the usual Xapian recipe: title as a field of its own (S) and
            # also in the default (unprefixed) text
            tg.index_text(title, 1, "S")
            tg.increase_termpos()
            tg.index_text(title, a.title_weight)
            tg.increase_termpos()
        tg.index_text(text)
        doc.add_boolean_term("Q" + did)
        doc.set_data(did)
        db.replace_document("Q" + did, doc)
        st.add(title, text)
    db.commit()
    extra = {}
    if a.compact:
        # reported apart from "seconds": a compacted copy next to the database
        t0 = time.perf_counter()
        out = a.db.rstrip("/") + ".compact"
        shutil.rmtree(out, ignore_errors=True)
        db.compact(out)
        extra = {"compact_seconds": round(time.perf_counter() - t0, 3),
                 "compacted_bytes": peerlib.path_bytes(out), "compacted_db": out}
    db.close()
    st.report("xapian", "ngram" if a.ngram else "plain", a.db, **extra)


def cmd_search(a):
    db = xapian.Database(a.db)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_OR)
    qp.add_prefix("title", "S")
    if a.search_title_prefix:
        # unqualified words also look at the S terms (an OR over two "fields")
        qp.add_prefix("", "")
        qp.add_prefix("", "S")
    flags = qp_flags(a.ngram)
    enq = xapian.Enquire(db)
    if a.bm25:
        k1, b = (float(x) for x in a.bm25.split(","))
        enq.set_weighting_scheme(xapian.BM25Weight(k1, 0, 1, b, 0.5))
    limit = a.limit
    fallbacks = [0]

    def search(q):
        try:
            query = qp.parse_query(q, flags)
        except xapian.QueryParserError:
            # Xapian 1.4.22 with FLAG_CJK_NGRAM throws "parse error" on e.g.
            # "Cigna 가입자 ID 번호" (Latin word, CJK word, Latin word). Parse
            # such queries word by word and OR the parts (same query semantics).
            fallbacks[0] += 1
            parts = []
            for w in q.split():
                try:
                    parts.append(qp.parse_query(w, flags))
                except xapian.QueryParserError:
                    pass
            query = xapian.Query(xapian.Query.OP_OR, parts)
        enq.set_query(query)
        return [(m.document.get_data().decode("utf-8"), m.weight)
                for m in enq.get_mset(0, limit)]

    analyzer = "ngram" if a.ngram else "plain"
    peerlib.run_queries(peerlib.read_queries(a.queries), search,
                        a.tag or "xapian-" + analyzer, a.run, "xapian", analyzer,
                        warmup=a.warmup, extra=lambda: {"parse_fallbacks": fallbacks[0]})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("index")
    p.add_argument("--input", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--ngram", type=int, default=1)
    p.add_argument("--title-weight", type=int, default=1)
    p.add_argument("--compact", action="store_true",
                   help="also write DB.compact and report its size")
    p = sub.add_parser("search")
    p.add_argument("--db", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--run")
    p.add_argument("--ngram", type=int, default=1)
    p.add_argument("--search-title-prefix", type=int, default=0)
    p.add_argument("--bm25", help="K1,B (default: Xapian's BM25Weight defaults)")
    p.add_argument("--tag")
    p.add_argument("--warmup", type=int, default=50)
    a = ap.parse_args()
    cmd_index(a) if a.cmd == "index" else cmd_search(a)


if __name__ == "__main__":
    main()
