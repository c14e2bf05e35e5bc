# Per-feature latency (library took_ms, one process, first query excluded: it loads the Hanja table)
# on the dev index built by benchmarks/quality/run.sh:
#   python3 benchmarks/korean/latency.py build /tmp/sosik-bench/quality/sosik.db
import json, os, subprocess, statistics, sys
PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.py")
build, db = sys.argv[1], sys.argv[2]
def probe(kind): return subprocess.run(["python3", PROBE, kind], capture_output=True, text=True).stdout.split()
def batch(queries):
    inp = "".join(f"q{i}\t{q}\n" for i, q in enumerate(queries))
    out = subprocess.run([f"{build}/query/sosik-search", "--db", db, "--queries", "-", "--format", "jsonl"], input=inp, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines()]
def rep(name, times, extra=""):
    t = sorted(times)
    print(f"{name:24s} n={len(t)} mean {statistics.mean(t):6.2f} ms  p50 {t[len(t)//2]:6.2f}  max {t[-1]:6.2f}  {extra}")
words = probe("words")
r = batch(["워밍업"] + words); rep("words as typed", [x["took_ms"] for x in r[1:]], f"first query {r[0]['took_ms']:.0f} ms")
ini = probe("initials"); r = batch(["워밍업"] + ini)
rep("초성 queries", [x["took_ms"] for x in r[1:]], f"with hits {sum(1 for x in r[1:] if x['hits'])}/{len(ini)}")
typos = probe("typo"); r = batch(["워밍업"] + typos)
changed = [(t, o, x.get("did_you_mean")) for t, o, x in zip(typos, words, r[1:]) if t != o]
rep("one-jamo typos", [x["took_ms"] for x in r[1:]], f"did_you_mean = the word {sum(1 for t,o,d in changed if d == o)}/{len(changed)}, none {sum(1 for t,o,d in changed if not d)}")
half = probe("half")
s = [json.loads(subprocess.run([f"{build}/query/sosik-search", "--db", db, "--json", "--suggest", p], capture_output=True, text=True).stdout) for p in half]
rep("suggest (half-typed)", [x["took_ms"] for x in s], f"non-empty {sum(1 for x in s if x['suggestions'])}/{len(s)}, completes the word {sum(1 for x, w in zip(s, words) if any(g['text'] == w for g in x['suggestions']))}/{len(s)}")
