#!/usr/bin/python3
"""SQLite FTS5 peer (stdlib sqlite3 module; tokenizer unicode61).

  sqlite_fts5.py index  --input plain.jsonl --db FILE [--store-content] [--optimize]
  sqlite_fts5.py search --db FILE --queries FILE.tsv [--limit 100] [--run OUT]
                        [--tag TAG] [--warmup 50]

Index: a fresh database file with
    CREATE VIRTUAL TABLE fts USING fts5(title, text, content='', tokenize='unicode61');
    CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL);
i.e. contentless (like the other peers, only the id is stored; --store-content
keeps FTS5's own copy of title and text instead), all rows inserted in one
transaction. The reported index_bytes is the database file after commit
(--optimize: then also 'optimize' + VACUUM, reported as optimize_seconds and
optimized_bytes; index_bytes is then the optimized file too).

Search: the query is split into unicode61-like tokens (runs of letters, digits
and private-use characters), each token double-quoted, all OR-ed:
    "서울시가" OR "건강도시"
ranked by FTS5's bm25() (k1=1.2, b=0.75, column weights 1), top --limit.
Score in the run = -bm25. Tag: sqlite-fts5.
"""
import argparse
import os
import re
import sqlite3
import sys
import time
import unicodedata

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

# unicode61 token characters: categories L*, N*, Co (Mn/Mc/Me count as token
# characters too; Hangul has none after NFC).
_TOKEN = re.compile(r"[^\W_]+")


def tokens(q):
    out = []
    for t in _TOKEN.findall(unicodedata.normalize("NFC", q)):
        out.append(t)
    return out


def cmd_index(a):
    if os.path.exists(a.db):
        os.remove(a.db)
    for suffix in ("-journal", "-wal", "-shm"):
        if os.path.exists(a.db + suffix):
            os.remove(a.db + suffix)
    st = peerlib.IndexStats()
    con = sqlite3.connect(a.db, isolation_level=None)
    content = "" if a.store_content else ", content=''"
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text%s, tokenize='unicode61')" % content)
    con.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
    con.execute("BEGIN")

    def rows():
        for n, (did, title, text) in enumerate(peerlib.read_plain(a.input), 1):
            st.add(title, text)
            yield n, did, title, text

    buf = []
    for r in rows():
        buf.append(r)
        if len(buf) >= 1000:
            con.executemany("INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
                            [(n, ti, tx) for n, _, ti, tx in buf])
            con.executemany("INSERT INTO ids(rowid, id) VALUES (?, ?)", [(n, d) for n, d, _, _ in buf])
            buf = []
    if buf:
        con.executemany("INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
                        [(n, ti, tx) for n, _, ti, tx in buf])
        con.executemany("INSERT INTO ids(rowid, id) VALUES (?, ?)", [(n, d) for n, d, _, _ in buf])
    con.execute("COMMIT")
    extra = {}
    if a.optimize:
        # measured apart from "seconds": merge FTS5's segments, then VACUUM
        secs = st.seconds()
        t0 = time.perf_counter()
        con.execute("INSERT INTO fts(fts) VALUES('optimize')")
        con.execute("VACUUM")
        extra = {"optimize_seconds": round(time.perf_counter() - t0, 3),
                 "optimized_bytes": os.path.getsize(a.db)}
        st.freeze(secs)
    con.close()
    st.report("sqlite", "fts5-unicode61", a.db, **extra)


def cmd_search(a):
    con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    sql = ("SELECT ids.id, -r.rank FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ? "
           "ORDER BY rank LIMIT ?) AS r JOIN ids ON ids.rowid = r.rowid ORDER BY r.rank")
    limit = a.limit

    def search(q):
        toks = tokens(q)
        if not toks:
            return []
        expr = " OR ".join('"%s"' % t.replace('"', '""') for t in toks)
        return con.execute(sql, (expr, limit)).fetchall()

    peerlib.run_queries(peerlib.read_queries(a.queries), search, a.tag or "sqlite-fts5",
                        a.run, "sqlite", "fts5-unicode61", warmup=a.warmup)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("index")
    p.add_argument("--input", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--store-content", action="store_true")
    p.add_argument("--optimize", action="store_true",
                   help="after the timed build, merge segments + VACUUM (reported apart)")
    p = sub.add_parser("search")
    p.add_argument("--db", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--run")
    p.add_argument("--tag")
    p.add_argument("--warmup", type=int, default=50)
    a = ap.parse_args()
    cmd_index(a) if a.cmd == "index" else cmd_search(a)


if __name__ == "__main__":
    main()
