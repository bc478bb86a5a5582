#!/usr/bin/env python3
"""corpus.py — score ties on the sentence corpora of tests/corpus/.

  corpus.py jsonl SENTENCES.tsv...              the sentences as JSON Lines for
                                               `ties extract --jsonl` (id, text)
  corpus.py score OUT.tsv SENTENCES.tsv... [--show all|MISS|FORBID|PREDICATE]

A sentence's `expect` triples should be extracted and its `forbid` triples must
not be. Triples compare at the country level: org: and person: ids become the
state they act for (from the gazetteers; from the TSV's country columns for
the extracted side); symmetric predicates compare in either order. Prints
`expected found N/M = R; forbidden emitted K` and the counts per predicate.
"""
import csv
import glob
import json
import os
import sys
from collections import Counter, defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SYMMETRIC = set()


def rows(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_meta():
    ents = {}
    for p in glob.glob(os.path.join(ROOT, "gazetteers", "*.tsv")):
        for r in rows(p):
            if r.get("id") and r.get("country") is not None:
                ents[r["id"]] = r["country"]
    for r in rows(os.path.join(ROOT, "rules", "relations.tsv")):
        if r.get("symmetric") == "yes":
            SYMMETRIC.add(r["predicate"])
    return ents


def roll(ents, e, country=None):
    if e.startswith(("org:", "person:")):
        return country or ents.get(e) or e
    return e


def norm(s, p, o):
    if p in SYMMETRIC and o < s:
        s, o = o, s
    return (s, p, o)


def triples(ents, field):
    out = set()
    for t in (field or "").split(";"):
        t = t.split()
        if len(t) == 3:
            s, p, o = roll(ents, t[0]), t[1], roll(ents, t[2])
            if s != o:
                out.add(norm(s, p, o))
    return out


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("jsonl", "score"):
        sys.exit(__doc__)
    if sys.argv[1] == "jsonl":
        for path in sys.argv[2:]:
            for r in rows(path):
                print(json.dumps({"id": r["id"], "text": r["sentence"]}, ensure_ascii=False))
        return
    args = sys.argv[2:]
    show = None
    if "--show" in args:
        i = args.index("--show")
        show = args[i + 1]
        del args[i:i + 2]
    ents = load_meta()
    got = defaultdict(set)
    for r in rows(args[0]):
        s = roll(ents, r["subject"], r["subject_country"])
        o = roll(ents, r["object"], r["object_country"])
        if s != o:
            got[r["doc"]].add(norm(s, r["predicate"], o))
    tp = fn = forb = 0
    hit, miss = Counter(), Counter()
    report = []
    for path in args[1:]:
        for r in rows(path):
            g = got.get(r["id"], set())
            for t in sorted(triples(ents, r["expect"])):
                if t in g:
                    tp += 1
                    hit[t[1]] += 1
                else:
                    fn += 1
                    miss[t[1]] += 1
                    report.append(("MISS", r["id"], t, r["sentence"]))
            for t in sorted(triples(ents, r["forbid"])):
                if t in g:
                    forb += 1
                    report.append(("FORBID", r["id"], t, r["sentence"]))
    for p in sorted(set(hit) | set(miss)):
        print("  %-20s %3d/%3d" % (p, hit[p], hit[p] + miss[p]))
    if show:
        for kind, rid, t, sent in report:
            if show in ("all", kind, t[1]):
                print("%s %s %s | %s" % (kind, rid, " ".join(t), sent))
    total = tp + fn
    print("expected found %d/%d = %.3f; forbidden emitted %d"
          % (tp, total, tp / total if total else 0.0, forb))


if __name__ == "__main__":
    main()
