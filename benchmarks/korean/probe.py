# Probe inputs from 60 words of the dev queries: half-typed (건강도ㅅ), 초성 (ㄱㄱㄷㅅ),
# one-jamo typos (건깅도시), or the words themselves (any other argument).
import os, random, sys
random.seed(8)
I = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
words = []
for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval/dev/queries.tsv"), encoding="utf-8"):
    q = line.rstrip("\n").split("\t", 1)[1]
    for w in q.split():
        if len(w) >= 3 and all(0xAC00 <= ord(c) <= 0xD7A3 for c in w):
            words.append(w)
random.shuffle(words)
words = words[:60]
def half(w):
    s = ord(w[-1]) - 0xAC00
    return w[:-1] + I[s // 588]
def initials(w):
    return "".join(I[(ord(c) - 0xAC00) // 588] for c in w)
def typo(w):
    i = random.randrange(len(w)); s = ord(w[i]) - 0xAC00
    v = (s // 28) % 21; v2 = (v + 1) % 21
    return w[:i] + chr(0xAC00 + (s // 588) * 588 + v2 * 28 + s % 28) + w[i+1:]
kind = sys.argv[1]
for w in words:
    print({"half": half, "initials": initials, "typo": typo}.get(kind, lambda x: x)(w))
