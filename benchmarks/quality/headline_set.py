#!/usr/bin/env python3
"""Writes the headline set (benchmarks/quality/headlines.sh, spacing.sh) into WORK.

    headline_set.py CORPUS.jsonl.gz ARTICLES WORK

The first ARTICLES articles of CORPUS with their titles left out
(WORK/articles.jsonl), each title as a query judged to its own article
(WORK/all.tsv, WORK/all.qrels), and the titles holding a word of three
syllables or more that ends in 서 (WORK/seo.tsv, WORK/seo.qrels).
"""
import gzip
import json
import re
import sys

corpus, limit, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seo = re.compile(r'[가-힣]{2,}서(?![가-힣])')
with gzip.open(corpus, 'rt', encoding='utf-8') as f, open(f'{work}/articles.jsonl', 'w') as articles, \
        open(f'{work}/all.tsv', 'w') as all_q, open(f'{work}/all.qrels', 'w') as all_r, \
        open(f'{work}/seo.tsv', 'w') as seo_q, open(f'{work}/seo.qrels', 'w') as seo_r:
    for n, line in enumerate(f):
        if n == limit:
            break
        article = json.loads(line)
        title = ' '.join(article.get('title', '').split())
        article['title'] = ''
        articles.write(json.dumps(article, ensure_ascii=False) + '\n')
        if not title:
            continue
        for queries, qrels, wanted in ((all_q, all_r, True), (seo_q, seo_r, bool(seo.search(title)))):
            if wanted:
                queries.write(f'h{n}\t{title}\n')
                qrels.write(f'h{n} 0 {article["id"]} 1\n')
