"""Shared bits of the Python peer harnesses (stdlib only).

Output conventions (same as lucene/SosikPeer.java):
  index : one JSON line on stdout {"engine","analyzer","docs","seconds","docs_per_s",
          "input_mb","mb_per_s","index_bytes"}; input_mb = UTF-8 MB (10^6 bytes) of
          title + text.
  search: TREC run lines "qid Q0 id rank score tag" (to --run or stdout), then one JSON
          line on stderr {"engine","analyzer","queries","mean_ms","p50_ms","p99_ms",
          "zero_result"}. The first --warmup queries (default 50) are run once untimed;
          every query is then run, timed, and written to the run.
"""
import gzip
import io
import json
import math
import os
import sys
import time


def read_plain(path):
    """Yield (id, title, text) from strip_html.py output (.gz allowed, '-' = stdin)."""
    if path == "-":
        f = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    elif path.endswith(".gz"):
        f = gzip.open(path, "rt", encoding="utf-8")
    else:
        f = open(path, encoding="utf-8")
    with f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError as e:
                raise SystemExit("%s:%d: bad JSON: %s" % (path, ln, e))
            text = d.get("text")
            if text is None:
                text = d.get("body") or ""
            yield str(d["id"]), d.get("title") or "", text


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if "\t" not in line:
                raise SystemExit("%s: line without TAB: %r" % (path, line))
            qid, q = line.split("\t", 1)
            out.append((qid.strip(), q.strip()))
    return out


def path_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for fn in files:
            try:
                total += os.path.getsize(os.path.join(root, fn))
            except OSError:
                pass
    return total


class IndexStats:
    def __init__(self):
        self.t0 = time.perf_counter()
        self.docs = 0
        self.bytes = 0
        self.frozen = None

    def seconds(self):
        return self.frozen if self.frozen is not None else time.perf_counter() - self.t0

    def freeze(self, secs):
        """Report secs as the build time (work done after it is not counted)."""
        self.frozen = secs

    def add(self, title, text):
        self.docs += 1
        self.bytes += len(title.encode("utf-8")) + len(text.encode("utf-8"))

    def report(self, engine, analyzer, index_path, **extra):
        secs = self.seconds()
        d = {"engine": engine, "analyzer": analyzer, "docs": self.docs,
             "seconds": round(secs, 3),
             "docs_per_s": round(self.docs / secs, 1) if secs else 0,
             "input_mb": round(self.bytes / 1e6, 3),
             "mb_per_s": round(self.bytes / 1e6 / secs, 3) if secs else 0,
             "index_bytes": path_bytes(index_path)}
        d.update(extra)
        print(json.dumps(d, ensure_ascii=False), flush=True)


def pct(sorted_vals, p):
    """Nearest-rank percentile."""
    if not sorted_vals:
        return 0.0
    k = int(math.ceil(p / 100.0 * len(sorted_vals))) - 1
    return sorted_vals[max(0, min(len(sorted_vals) - 1, k))]


def run_queries(queries, search_fn, tag, run_path, engine, analyzer, warmup=50, extra=None):
    """search_fn(text) -> list of (id, score), best first; extra() -> dict of more
    fields for the final JSON line."""
    for _, q in queries[:warmup]:
        search_fn(q)
    out = open(run_path, "w", encoding="utf-8") if run_path else \
        io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    times = []
    zero = 0
    for qid, q in queries:
        t0 = time.perf_counter()
        hits = search_fn(q)
        times.append((time.perf_counter() - t0) * 1000.0)
        if not hits:
            zero += 1
        out.write("".join("%s Q0 %s %d %.6f %s\n" % (qid, did, r, s, tag)
                          for r, (did, s) in enumerate(hits, 1)))
    out.flush()
    if run_path:
        out.close()
    st = sorted(times)
    n = len(times)
    d = {"engine": engine, "analyzer": analyzer, "queries": n,
         "mean_ms": round(sum(times) / n, 3) if n else 0,
         "p50_ms": round(pct(st, 50), 3), "p99_ms": round(pct(st, 99), 3),
         "zero_result": zero}
    if extra:
        d.update(extra())
    sys.stderr.write(json.dumps(d) + "\n")
