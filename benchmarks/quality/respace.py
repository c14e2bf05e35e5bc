#!/usr/bin/env python3
"""Re-spaces queries the way readers vary Korean spacing (benchmarks/quality/spacing.sh).

    respace.py MODE SEED < QUERIES.tsv > RESPACED.tsv

MODE `respaced`: in each query, join one adjacent pair of Hangul words of 2-4
syllables (포토샵 색상 -> 포토샵색상), then split one other Hangul word of 4+
syllables at a random inner syllable (오버레이 -> 오버 레이). MODE `joined`: the
join only. A query with nothing eligible stays as written. Words are
space-separated tokens made of Hangul syllables only; choices come from one
random.Random(SEED) in file order, so a copy is the same on every machine.
"""
import random
import re
import sys

HANGUL = re.compile(r'^[가-힣]+$')


def respace(query, rng, split):
    words = query.split(' ')
    pairs = [i for i in range(len(words) - 1)
             if all(HANGUL.match(w) and 2 <= len(w) <= 4 for w in words[i:i + 2])]
    joined = None
    if pairs:
        i = rng.choice(pairs)
        words[i:i + 2] = [words[i] + words[i + 1]]
        joined = i
    if split:
        long_words = [i for i, w in enumerate(words) if i != joined and HANGUL.match(w) and len(w) >= 4]
        if long_words:
            i = rng.choice(long_words)
            at = rng.randrange(1, len(words[i]))
            words[i:i + 1] = [words[i][:at], words[i][at:]]
    return ' '.join(words)


def main():
    mode, seed = sys.argv[1], int(sys.argv[2])
    if mode not in ('respaced', 'joined'):
        sys.exit('respace.py: MODE is respaced or joined')
    rng = random.Random(seed)
    for line in sys.stdin:
        qid, _, query = line.rstrip('\n').partition('\t')
        sys.stdout.write(f'{qid}\t{respace(query, rng, mode == "respaced")}\n')


if __name__ == '__main__':
    main()
