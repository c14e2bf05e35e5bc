#!/usr/bin/env python3
"""Writes ARTICLES articles of JSON Lines: the corpus replicated, ids made unique.

    make_corpus.py CORPUS.jsonl.gz ARTICLES OUT.jsonl[.gz]

Copy k (k >= 1) of an article gets the id "<id>-r<k>"; the text is unchanged,
so every term's frequency grows with the copies, as in a larger archive of the
same paper. Generated at benchmark time, never committed.
"""
import gzip
import json
import sys


def main():
    corpus, wanted, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    written = 0
    copy = 0
    # OUT is gzip-compressed (fast level) whatever its name: a million articles
    # of HTML are ~10 GB as plain text, and sosik-index streams either.
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=1) as out:
        while written < wanted:
            for line in lines:
                if written >= wanted:
                    break
                if copy:
                    article = json.loads(line)
                    article["id"] = f"{article['id']}-r{copy}"
                    out.write(json.dumps(article, ensure_ascii=False) + "\n")
                else:
                    out.write(line if line.endswith("\n") else line + "\n")
                written += 1
            copy += 1
    print(f"{written} articles ({copy} copies of {len(lines)})")


if __name__ == "__main__":
    main()
