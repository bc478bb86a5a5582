#!/usr/bin/env python3
"""make-corpus.py — the benchmark corpora, built deterministically.

  make-corpus.py tracker DIR MB   documents of tracker and news paragraphs
                                  (seeds/, the held-out sets, the test corpus),
                                  shuffled into ~20 KB documents until MB is reached
  make-corpus.py newword DIR MB   documents whose words are mostly new to every
                                  cache: dictionary words, invented names and
                                  misspellings in relation-like sentences

The same arguments always give the same bytes (seeded random numbers), so runs
on different days and machines read the same text.
"""
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def paragraphs():
    out = []
    for d in ("seeds", "tests/heldout", "tests/heldout2"):
        p = os.path.join(ROOT, d)
        for name in sorted(os.listdir(p)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(p, name), encoding="utf-8") as f:
                text = f.read()
            for para in text.split("\n\n"):
                para = para.strip()
                if len(para) > 40:
                    out.append(para)
    with open(os.path.join(ROOT, "tests/corpus/sentences.tsv"), encoding="utf-8") as f:
        sents = [l.split("\t")[3] for l in f if l.strip() and not l.startswith(("#", "id\t"))
                 and len(l.split("\t")) > 3]
    # the test sentences, a few to a paragraph
    for i in range(0, len(sents), 4):
        out.append(" ".join(sents[i:i + 4]))
    return out


def write_docs(outdir, mb, make_doc):
    os.makedirs(outdir, exist_ok=True)
    total, n = 0, 0
    while total < mb * 1_000_000:
        text = make_doc(n)
        path = os.path.join(outdir, "d%06d.txt" % n)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
        n += 1
    return n, total


def tracker(outdir, mb):
    rnd = random.Random(20261125)
    paras = paragraphs()
    months = ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"]

    def doc(n):
        year = 2015 + n % 11
        head = "China Global Security Tracker, No. %d\n\n%d %s %d\n\n" % (
            n + 1, 1 + n % 28, months[n % 12], year)
        body, size = [], len(head)
        while size < 20_000:
            p = rnd.choice(paras)
            body.append(p)
            size += len(p) + 2
        return head + "\n\n".join(body) + "\n"

    return write_docs(outdir, mb, doc)


def dictionary_words():
    words = []
    for path in ("/usr/share/hunspell/en_US.dic", "/usr/share/hunspell/en_GB.dic"):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                next(f)
                for line in f:
                    w = line.split("/")[0].strip()
                    if w.isalpha() and w.islower() and len(w) > 3:
                        words.append(w)
        except OSError:
            pass
    return sorted(set(words))


def misspell(rnd, w):
    i = rnd.randrange(len(w))
    k = rnd.random()
    if k < 0.3 and len(w) > 4:                       # a letter dropped
        return w[:i] + w[i + 1:]
    if k < 0.6 and i + 1 < len(w):                   # two letters swapped
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    if k < 0.8:                                      # a letter doubled
        return w[:i] + w[i] + w[i:]
    return w[:i] + rnd.choice("aeioustrnl") + w[i + 1:]  # a letter changed


def newword(outdir, mb):
    rnd = random.Random(7)
    words = dictionary_words()
    if len(words) < 1000:
        sys.exit("make-corpus.py: no hunspell dictionary under /usr/share/hunspell")
    syll = ["ka", "lo", "mi", "ren", "tsu", "var", "dok", "ze", "bran", "quil",
            "os", "te", "nar", "vi", "gul", "pe", "shan", "rom", "ix", "da"]
    countries = ["Serbia", "Cambodia", "Pakistan", "Nigeria", "Peru", "Laos",
                 "Kenya", "Chile", "Fiji", "Oman", "Ghana", "Nepal"]
    templates = [
        "{Name} {w1} the {w2} {w3} to {C} in {w4}.",
        "The {w1} {w2} of {Name} {w3} {C} and {w4} its {w5}.",
        "China donated {w1} {w2} to {C}, said {Name} {Name2}.",
        "According to the {w1} {w2}, {C} {w3} a {w4} {w5} with {Name}.",
        "{Name} {Name2}, a {w1} {w2}, visited {C} to {w3} the {w4}.",
    ]

    def name():
        return "".join(rnd.choice(syll) for _ in range(rnd.randint(2, 4))).capitalize()

    def word():
        w = rnd.choice(words)
        if rnd.random() < 0.35:
            w = misspell(rnd, w)
        if rnd.random() < 0.3:
            w = w + rnd.choice(["ed", "ing", "s", "ly", "ness", "ation"])
        return w

    def doc(n):
        out, size = [], 0
        while size < 20_000:
            para = " ".join(
                rnd.choice(templates).format(
                    Name=name(), Name2=name(), C=rnd.choice(countries),
                    w1=word(), w2=word(), w3=word(), w4=word(), w5=word())
                for _ in range(rnd.randint(3, 6)))
            out.append(para)
            size += len(para) + 2
        return "\n\n".join(out) + "\n"

    return write_docs(outdir, mb, doc)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("tracker", "newword"):
        sys.exit("usage: make-corpus.py tracker|newword DIR MB")
    kind, outdir, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    n, total = (tracker if kind == "tracker" else newword)(outdir, mb)
    print("%s: %d documents, %.1f MB" % (outdir, n, total / 1e6))


if __name__ == "__main__":
    main()
