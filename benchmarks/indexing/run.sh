#!/usr/bin/env bash
# Indexing throughput, memory and size: Sosik beside its peers, in one run.
#
#   benchmarks/indexing/run.sh [--corpus FILE] [--replicate N] [--no-peers] [--peers a,b] [--no-jekyll] [--jobs N]
#
# Indexes the Chosun corpus (../shared/corpora/chosun-news.jsonl.gz, HTML
# bodies) with sosik-index, and the same articles with their HTML stripped
# (benchmarks/peers/strip_html.py) with Lucene 8 + nori, Lucene 8 + CJK
# bigrams, omindex (the articles written out as HTML files) and SQLite FTS5.
# Prints docs/s, MB/s (UTF-8 MB of title + text, the same figure for every
# engine), peak RSS (/usr/bin/time -v) and index size for each, and Sosik's
# ratio to each peer. Then: Sosik's unchanged re-run and a 10-article edit
# timed against its full build, the same articles as a Jekyll site of
# _posts/*.md in the seed's format (front matter + HTML body), and peak RSS on
# the corpus replicated N times (default 4; 0 skips it).
# Scratch goes to $SOSIK_BENCH_DIR (default /tmp/sosik-bench)/indexing; binaries
# come from $SOSIK_BUILD_DIR (default build/). The full run takes 30-60 minutes
# on a 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build=${SOSIK_BUILD_DIR:-$root/build}
work=${SOSIK_BENCH_DIR:-/tmp/sosik-bench}/indexing
case " $* " in *" -h "*|*" --help "*) sed -n '2,19p' "$0"; exit 0 ;; esac
if [ -d "$build" ]; then
  cmake --build "$build" --target sosik-index sosik-search >/dev/null
fi
exec /usr/bin/python3 "$root/benchmarks/indexing/bench.py" --root "$root" --build "$build" --work "$work" "$@"
