#!/usr/bin/env python3
"""Helpers of run.sh's comparison of shards with one database.

    compare.py queries SPEED.tsv DEV.tsv ARTICLES.jsonl WANTED > QUERIES.tsv
    compare.py results ONE.jsonl SHARDS.jsonl ONE.trec SHARDS.trec

`queries`: half speed queries, a quarter dev questions, a quarter titles of
the indexed articles, without repeats, as qid<TAB>query lines.
`results`: one line: how many queries differ from one database in ids or
order, how many only in a score at three decimals (the JSON gives four),
how many lines of the TREC runs differ, and the first difference.
"""
import json
import sys

SCORE_EQUAL = 5e-4  # scores printed to four decimals, compared to three


def tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1)[1] for line in f if "\t" in line]


def queries(speed, dev, articles, wanted):
    with open(articles, encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for line in f if line.strip()]
    share = int(wanted) // 4
    chosen = tsv(speed)[: 2 * share] + tsv(dev)[:share] + titles[:: max(1, len(titles) // share)][:share]
    # Without quotes: a quoted phrase is refused over remote shards (no match decider there).
    chosen = [" ".join(q.replace('"', " ").split()) for q in chosen]
    for k, query in enumerate(dict.fromkeys(q for q in chosen if q)):
        print(f"c{k}\t{query}")


def results(one_jsonl, shards_jsonl, one_trec, shards_trec):
    with open(one_jsonl) as f:
        a = [json.loads(line) for line in f]
    with open(shards_jsonl) as f:
        b = {answer["query"]: answer for answer in map(json.loads, f)}
    order = scores = 0
    example = ""
    for x in a:
        y = b.get(x["query"], {"hits": []})  # a query the shards refused differs
        hx, hy = x["hits"], y["hits"]
        if [h["id"] for h in hx] != [h["id"] for h in hy]:
            order += 1
        elif any(abs(h["score"] - k["score"]) >= SCORE_EQUAL for h, k in zip(hx, hy)):
            scores += 1
        else:
            continue
        if not example:
            rank = next(i for i, (h, k) in enumerate(zip(hx + [{}], hy + [{}]))
                        if h.get("id") != k.get("id") or abs(h.get("score", 0) - k.get("score", 0)) >= SCORE_EQUAL)
            show = lambda hits: f'{hits[rank]["id"]} {hits[rank]["score"]}' if rank < len(hits) else "none"
            example = f'; first: "{x["query"]}" hit {rank + 1} {show(hx)} vs {show(hy)}'

    def run(path):  # (qid, rank) -> (id, score) of a TREC run
        with open(path) as f:
            return {(p[0], p[3]): (p[2], float(p[4])) for p in map(str.split, f)}

    run_a, run_b = run(one_trec), run(shards_trec)
    lines = sum(1 for key, (doc, score) in run_a.items()
                if key not in run_b or run_b[key][0] != doc or abs(run_b[key][1] - score) >= SCORE_EQUAL)
    lines += sum(1 for key in run_b if key not in run_a)
    print(f"{order + scores} of {len(a)} ({order} / {scores}); {lines} of {len(run_a)}{example}")


if __name__ == "__main__":
    {"queries": queries, "results": results}[sys.argv[1]](*sys.argv[2:])
