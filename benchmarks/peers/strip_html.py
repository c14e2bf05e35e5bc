#!/usr/bin/python3
"""Turn a Sosik JSON Lines archive into plain text for the peer engines.

Usage: strip_html.py INPUT.jsonl[.gz] [OUTPUT.jsonl]   (OUTPUT default: stdout;
       INPUT "-" reads stdin)

Input lines: {"id", "title", "body", ...} where body is HTML or plain text
(optional date, url, categories, tags are ignored). The title is taken as
plain text: entities are decoded, tags are not interpreted.
Output lines: {"id", "title", "text"} with the body's HTML stripped:
  * <script>, <style>, <noscript>, <template>, <head> contents are dropped;
  * block-level elements and <br> separate words (a space is inserted),
    inline elements (<a>, <b>, <span>, <small>, ...) do not;
  * character references are decoded (&amp; &#44608; ...), whitespace collapsed.
Stdlib only; run with /usr/bin/python3 (or any python3 >= 3.5).
A summary line goes to stderr.
"""
import gzip
import html
import html.parser
import io
import json
import re
import sys
import time

DROP = frozenset("script style noscript template head title iframe object svg math".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Everything that is not obviously inline separates words.
INLINE = frozenset("""a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q rp rt ruby
s samp small span strike strong sub sup time tt u var""".split())
WS = re.compile(r"\s+")


class Stripper(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.drop = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP and tag not in VOID:
            self.drop += 1
        elif tag not in INLINE:
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag not in INLINE:
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in DROP:
            if self.drop:
                self.drop -= 1
        elif tag not in INLINE:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.drop:
            self.out.append(data)

    def text(self):
        return WS.sub(" ", "".join(self.out)).strip()


def strip_html(body):
    if not body:
        return ""
    if "<" not in body and "&" not in body:
        return WS.sub(" ", body).strip()
    p = Stripper()
    p.feed(body)
    p.close()
    return p.text()


def open_in(path):
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    fin = open_in(argv[1])
    fout = open(argv[2], "w", encoding="utf-8") if len(argv) > 2 else \
        io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    t0 = time.time()
    n = 0
    chars = 0
    for ln, line in enumerate(fin, 1):
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
        except ValueError as e:
            raise SystemExit("%s:%d: bad JSON: %s" % (argv[1], ln, e))
        # titles are plain text (maybe with entities): unescape only, so a
        # literal "<" in a headline survives
        title = WS.sub(" ", html.unescape(d.get("title") or "")).strip()
        text = strip_html(d.get("body") or d.get("text") or "")
        chars += len(title) + len(text)
        fout.write(json.dumps({"id": str(d["id"]), "title": title, "text": text},
                              ensure_ascii=False))
        fout.write("\n")
        n += 1
    fout.flush()
    if fout is not sys.stdout:
        fout.close()
    sys.stderr.write("strip_html: %d docs, %d chars, %.1f s\n" % (n, chars, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
