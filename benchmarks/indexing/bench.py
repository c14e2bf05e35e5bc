#!/usr/bin/python3
"""Driver of benchmarks/indexing/run.sh (see there). Stdlib only.

Every engine's time is its own figure for building the index (the peers'
harnesses time from opening their input to the committed index, without JVM
or Python start-up; Sosik's is the summary line's wall time, from opening the
database to the last commit), peak RSS is /usr/bin/time -v's maximum resident
set size of the process tree, index size is bytes on disk after the build
(Sosik: also after xapian-compact, the figure compared). MB are UTF-8 MB (10^6
bytes) of title + stripped text, the same number for every engine.
"""
import argparse
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time

PY = "/usr/bin/python3"


def log(msg):
    sys.stderr.write("== %s\n" % msg)
    sys.stderr.flush()


def tree_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def timed(argv, **kw):
    """Runs argv under /usr/bin/time -v: (stdout, stderr, wall seconds, peak RSS bytes, exit code)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) * 1024 if m else 0
    return p.stdout, p.stderr, wall, rss, p.returncode


SUMMARY = re.compile(r"indexed (\d+), updated (\d+), removed (\d+), unchanged (\d+), failed (\d+) in ([\d.]+) s")


def sosik_index(exe, db, inputs, extra=()):
    out, err, wall, rss, rc = timed([exe, "--db", db, "--verbose"] + list(extra) + list(inputs))
    m = SUMMARY.search(out)
    if rc not in (0, 3) or not m:
        sys.exit("sosik-index failed (%d): %s\n%s" % (rc, out, err[-3000:]))
    indexed, updated, removed, unchanged, failed = (int(x) for x in m.groups()[:5])
    details = [l for l in err.splitlines() if l.startswith(("files:", "articles parsed", "threads:", "time:"))]
    return {"indexed": indexed, "updated": updated, "removed": removed, "unchanged": unchanged, "failed": failed,
            "seconds": float(m.group(6)), "wall": round(wall, 3), "rss": rss, "summary": m.group(0),
            "details": details}


def compact(db):
    out = db + ".compact"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(["xapian-compact", db, out], stdout=subprocess.DEVNULL, check=True)
    size = tree_bytes(out)
    shutil.rmtree(out, ignore_errors=True)
    return size


def plain_mb(plain):
    total = 0
    with open(plain, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            total += len(d["title"].encode()) + len(d["text"].encode())
    return total / 1e6


def edit_lines(src, dst, count):
    """Copies a .jsonl.gz, appending a sentence to the body of `count` lines spread over the file."""
    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    step = max(1, len(lines) // count)
    edited = 0
    for i in range(step // 2, len(lines), step):
        if edited == count:
            break
        d = json.loads(lines[i])
        d["body"] = d["body"] + "<p>(수정) 이 기사는 벤치마크에서 고쳤다.</p>"
        lines[i] = json.dumps(d, ensure_ascii=False) + "\n"
        edited += 1
    tmp = dst + ".tmp"
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as f:
        f.writelines(lines)
    os.replace(tmp, dst)
    return edited


def replicate(src, dst, times):
    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    with gzip.open(dst, "wt", encoding="utf-8", compresslevel=1) as out:
        for k in range(times):
            for line in lines:
                d = json.loads(line)
                if k:
                    d["id"] = "%s-r%d" % (d["id"], k)
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
    return len(lines) * times


def write_jekyll_site(src, site):
    """The articles as Jekyll posts in the seed's format: YAML front matter
    (title, categories list, folded excerpt, date), then the HTML body."""
    shutil.rmtree(site, ignore_errors=True)
    posts = os.path.join(site, "_posts")
    os.makedirs(posts)
    with open(os.path.join(site, "_config.yml"), "w", encoding="utf-8") as f:
        f.write("title: 조선일보 아카이브\npermalink: /:categories/:year/:month/:day/:title.html\n")
    tag = re.compile(r"<[^>]+>")
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            date = (d.get("date") or "2024-01-01")[:10]
            slug = re.sub(r"[^A-Za-z0-9-]", "-", str(d["id"]))
            excerpt = html.unescape(tag.sub(" ", d["body"]))
            excerpt = " ".join(excerpt.split())[:150]
            cats = d.get("categories") or ["뉴스"]
            fm = ["---", "title: %s" % json.dumps(d["title"], ensure_ascii=False), "categories:"]
            fm += ["  - %s" % json.dumps(c, ensure_ascii=False) for c in cats]
            fm += ["excerpt: >", "  " + excerpt.replace("\n", " "), "date: %s" % date, "---", ""]
            with open(os.path.join(posts, "%s-%s.md" % (date, slug)), "w", encoding="utf-8") as out:
                out.write("\n".join(fm) + "\n" + d["body"] + "\n")
            n += 1
    return n


def peer_line(out):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("no JSON line in peer output: %r" % out[-500:])


def fmt_mb(b):
    return "%.1f MB" % (b / 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus")
    ap.add_argument("--replicate", type=int, default=4)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peers", default="lucene-nori,lucene-cjk,omindex,sqlite-fts5",
                    help="comma-separated subset of the peers to run")
    ap.add_argument("--no-jekyll", action="store_true")
    ap.add_argument("--jobs", default="0")
    a = ap.parse_args()
    corpus = a.corpus or os.path.join(a.root, "..", "shared", "corpora", "chosun-news.jsonl.gz")
    if not os.path.exists(corpus):
        sys.exit("corpus not found: %s" % corpus)
    exe = os.path.join(a.build, "indexer", "sosik-index")
    peers = os.path.join(a.root, "benchmarks", "peers")
    work = a.work
    os.makedirs(work, exist_ok=True)
    jobs = ["--jobs", a.jobs]
    report = {"corpus": os.path.abspath(corpus), "cores": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
              "loadavg_start": os.getloadavg()[0]}

    plain = os.path.join(work, "plain.jsonl")
    if not os.path.exists(plain) or os.path.getmtime(plain) < os.path.getmtime(corpus):
        log("stripping HTML for the peers")
        subprocess.run([PY, os.path.join(peers, "strip_html.py"), corpus, plain], check=True)
    mb = plain_mb(plain)
    report["input_mb"] = round(mb, 3)

    # ---- Sosik: full build, unchanged re-run, 10 edits --------------------------------
    inputs = os.path.join(work, "input")
    os.makedirs(inputs, exist_ok=True)
    copy = os.path.join(inputs, "chosun-news.jsonl.gz")
    shutil.copyfile(corpus, copy)
    db = os.path.join(work, "sosik.db")
    shutil.rmtree(db, ignore_errors=True)
    log("sosik-index: full build")
    full = sosik_index(exe, db, [copy], jobs)
    full["index_bytes"] = tree_bytes(db)
    full["compacted_bytes"] = compact(db)
    report["sosik"] = full
    log("sosik-index: unchanged re-run")
    report["sosik_rerun"] = sosik_index(exe, db, [copy], jobs)
    log("sosik-index: 10 articles edited")
    edited = edit_lines(corpus, copy, 10)
    report["sosik_edit"] = sosik_index(exe, db, [copy], jobs)
    report["sosik_edit"]["edited"] = edited

    # ---- peers ----------------------------------------------------------------------------
    results = {}
    if not a.no_peers:
        jar = subprocess.run([os.path.join(peers, "lucene", "build.sh"), os.path.join(work, "lucene-build")],
                             stdout=subprocess.PIPE, text=True, check=True).stdout.strip().splitlines()[-1]
        runs = [
            ("lucene-nori", ["java", "-jar", jar, "index", "--analyzer", "nori", "--input", plain, "--index",
                             os.path.join(work, "lucene-nori.idx")]),
            ("lucene-cjk", ["java", "-jar", jar, "index", "--analyzer", "cjk", "--input", plain, "--index",
                            os.path.join(work, "lucene-cjk.idx")]),
            ("omindex", [os.path.join(peers, "omindex.sh"), "--input", plain, "--db", os.path.join(work, "omindex.db")]),
            ("sqlite-fts5", [PY, os.path.join(peers, "sqlite_fts5.py"), "index", "--input", plain, "--db",
                             os.path.join(work, "fts5.db")]),
        ]
        for name, argv in runs:
            if name not in a.peers.split(","):
                continue
            if name.startswith("lucene"):
                shutil.rmtree(argv[-1], ignore_errors=True)
            if name == "sqlite-fts5" and os.path.exists(argv[-1]):
                os.remove(argv[-1])
            log(name)
            out, err, wall, rss, rc = timed(argv)
            if rc != 0:
                sys.exit("%s failed: %s" % (name, err[-2000:]))
            line = peer_line(out)
            line["rss"] = rss
            line["wall"] = round(wall, 3)
            results[name] = line
    report["peers"] = results

    # ---- Jekyll variant -------------------------------------------------------------------
    if not a.no_jekyll:
        site = os.path.join(work, "jekyll")
        log("writing the Jekyll site")
        write_jekyll_site(corpus, site)
        jdb = os.path.join(work, "sosik-jekyll.db")
        shutil.rmtree(jdb, ignore_errors=True)
        log("sosik-index: Jekyll site, full build")
        jk = sosik_index(exe, jdb, [site], jobs)
        jk["compacted_bytes"] = compact(jdb)
        log("sosik-index: Jekyll site, unchanged re-run")
        report["jekyll"] = jk
        report["jekyll_rerun"] = sosik_index(exe, jdb, [site], jobs)
        shutil.rmtree(site, ignore_errors=True)

    # ---- memory on a replicated corpus ------------------------------------------------------
    if a.replicate > 1:
        big = os.path.join(work, "replicated.jsonl.gz")
        log("writing the corpus x%d" % a.replicate)
        report["replicated_docs"] = replicate(corpus, big, a.replicate)
        rdb = os.path.join(work, "sosik-replicated.db")
        shutil.rmtree(rdb, ignore_errors=True)
        log("sosik-index: corpus x%d" % a.replicate)
        report["replicated"] = sosik_index(exe, rdb, [big], jobs)
        os.remove(big)
        shutil.rmtree(rdb, ignore_errors=True)

    report["loadavg_end"] = os.getloadavg()[0]
    with open(os.path.join(work, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print_report(report)


def print_report(r):
    mb = r["input_mb"]
    s = r["sosik"]
    rows = [("sosik", s["indexed"], s["seconds"], s["rss"], s["compacted_bytes"],
             "%s uncompacted" % fmt_mb(s["index_bytes"]))]
    for name, p in r["peers"].items():
        note = "compacted %s" % fmt_mb(p["compacted_bytes"]) if "compacted_bytes" in p else ""
        if name == "omindex":
            note = "RSS includes the HTML tree writer"
        rows.append((name, p["docs"], p["seconds"], p["rss"], p["index_bytes"], note))
    if "jekyll" in r:
        j = r["jekyll"]
        rows.append(("sosik-jekyll", j["indexed"], j["seconds"], j["rss"], j["compacted_bytes"], "_posts/*.md"))
    print("Indexing %s: %.1f MB of text (title + stripped body); %d cores, load %.1f -> %.1f"
          % (os.path.basename(r["corpus"]), mb, r["cores"], r["loadavg_start"], r["loadavg_end"]))
    print()
    print("%-14s %8s %9s %9s %8s %10s %11s %7s  %s" % ("engine", "docs", "seconds", "docs/s", "MB/s", "peak RSS",
                                                      "index", "x text", "note"))
    for name, docs, secs, rss, size, note in rows:
        print("%-14s %8d %9.1f %9.1f %8.2f %10s %11s %7.2f  %s" % (
            name, docs, secs, docs / secs, mb / secs, fmt_mb(rss), fmt_mb(size), size / 1e6 / mb, note))
    print()
    if r["peers"]:
        print("Sosik's full build against each peer (same run):")
        for name, p in r["peers"].items():
            print("  vs %-12s speed %5.2fx (docs/s %.1f vs %.1f), index size %5.2fx, peak RSS %5.2fx" % (
                name, (s["indexed"] / s["seconds"]) / (p["docs"] / p["seconds"]), s["indexed"] / s["seconds"],
                p["docs"] / p["seconds"], s["compacted_bytes"] / max(1, p["index_bytes"]),
                s["rss"] / max(1, p["rss"])))
        print()
    rr = r["sosik_rerun"]
    print("Unchanged re-run: %s (%.2f s wall incl. start-up) = %.1f%% of the full build's %.1f s"
          % (rr["summary"], rr["wall"], 100 * rr["wall"] / s["seconds"], s["seconds"]))
    e = r["sosik_edit"]
    print("%d articles edited: %s (%.2f s wall) = %.1f%% of the full build" % (
        e["edited"], e["summary"], e["wall"], 100 * e["wall"] / s["seconds"]))
    for line in e["details"]:
        print("    " + line)
    if "jekyll_rerun" in r:
        jr = r["jekyll_rerun"]
        print("Jekyll site unchanged re-run: %s (%.2f s wall) = %.1f%% of its full build"
              % (jr["summary"], jr["wall"], 100 * jr["wall"] / r["jekyll"]["seconds"]))
    print()
    print("Sosik full build, where the time went (--verbose):")
    for line in s["details"]:
        print("    " + line)
    if "jekyll" in r:
        print("Jekyll site full build:")
        for line in r["jekyll"]["details"]:
            print("    " + line)
    if "replicated" in r:
        x = r["replicated"]
        print()
        print("Memory as the archive grows: peak RSS %s for %d articles, %s for %d (x%d), %.1f docs/s" % (
            fmt_mb(s["rss"]), s["indexed"], fmt_mb(x["rss"]), x["indexed"], x["indexed"] // max(1, s["indexed"]),
            x["indexed"] / x["seconds"]))


if __name__ == "__main__":
    main()
