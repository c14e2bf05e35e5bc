#!/usr/bin/env python3
"""Prints the quality table from the files benchmarks/quality/run.sh leaves in WORK."""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    return json.loads(lines[-1]) if lines else {}


def main():
    work, systems = sys.argv[1], sys.argv[2:]
    rows = []
    for s in systems:
        score = load(f"{work}/{s}.score.json")
        index = load(f"{work}/{s}.index.json")
        search = load(f"{work}/{s}.search.json")
        rows.append((s, score, index, search))
    header = f"{'system':<14} {'MRR@10':>7} {'nDCG@10':>8} {'R@1':>6} {'R@10':>6} {'R@100':>6} {'zero':>5} {'index s':>8} {'size MB':>8} {'query ms':>9}"
    print(header)
    print("-" * len(header))
    for s, score, index, search in rows:
        get = lambda *keys: next((score[k] for k in keys if k in score), float("nan"))
        print(f"{s:<14} {get('MRR@10'):>7.4f} {get('nDCG@10'):>8.4f} {get('R@1'):>6.4f} {get('R@10'):>6.4f} "
              f"{get('R@100'):>6.4f} {int(get('zero_results')):>5} "
              f"{index.get('seconds', float('nan')):>8.1f} {index.get('index_bytes', 0) / 1e6:>8.1f} "
              f"{search.get('mean_ms', float('nan')):>9.2f}")
    base = rows[0][1].get("MRR@10")
    for s, score, _, _ in rows[1:]:
        if base is not None and "MRR@10" in score:
            print(f"sosik - {s}: MRR@10 {base - score['MRR@10']:+.4f}")


if __name__ == "__main__":
    main()
