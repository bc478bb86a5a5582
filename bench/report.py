#!/usr/bin/env python3
"""report.py — bench/RESULTS.md from the measurements of bench/run.sh."""
import argparse
import datetime
import json
import os
import platform
import subprocess


def kv(s):
    return dict(w.split("=", 1) for w in (s or "").split() if "=" in w)


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "?"


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    osname = "?"
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return [
        ("CPU", "%s, %d logical cores" % (cpu, os.cpu_count() or 0)),
        ("Memory", mem),
        ("System", "%s, Linux %s" % (osname, platform.release())),
        ("Compiler", first_line(["cc", "--version"])),
        ("Node.js", first_line(["node", "--version"])),
    ]


def f(x, nd=2):
    return ("%." + str(nd) + "f") % float(x)


def spread(r, key="mb_per_s"):
    """ " (lowest–highest of the runs)" when the runs were several."""
    lo, hi = r.get(key + "_lo"), r.get(key + "_hi")
    if lo is None or hi is None:
        return ""
    return " (%s–%s)" % (f(lo), f(hi))


def main():
    ap = argparse.ArgumentParser()
    for k in ("runs", "peer-runs", "j1", "j2", "nw", "big", "wink", "compromise", "ties"):
        ap.add_argument("--" + k, default="")
    a = ap.parse_args()
    j1, j2, nw, big = kv(a.j1), kv(a.j2), kv(a.nw), kv(a.big)
    wink = json.loads(a.wink) if a.wink else None
    comp = json.loads(a.compromise) if a.compromise else None
    version = first_line([a.ties, "--version"])
    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Written by `make bench` (bench/run.sh) on %s with %s. Re-run it to refresh this file."
      % (datetime.date.today().isoformat(), version))
    w("")
    w("## Machine")
    w("")
    for k, v in machine():
        w("- %s: %s" % (k, v))
    w("")
    w("## Corpora")
    w("")
    w("Built by `bench/make-corpus.py` (seeded, the same bytes every time):")
    w("")
    w("- **c20**: %s MB, %s documents of tracker and news paragraphs (seeds/, the held-out sets,"
      " the test corpus) shuffled into ~20 KB documents; %s sentences, %s tokens."
      % (f(j1.get("mb", 0), 1), j1.get("docs", "?"), j1.get("sentences", "?"), j1.get("tokens", "?")))
    w("- **c200**: the same kind of text, %s MB (%s documents)." % (f(big.get("mb", 0), 1), big.get("docs", "?")))
    w("- **nw**: %s MB whose words are mostly new to every cache: dictionary words, a third of"
      " them misspelt, invented names; %s distinct word forms." % (f(nw.get("mb", 0), 1), nw.get("word_types", "?")))
    w("")
    w("## ties")
    w("")
    w("Medians of %s runs of `ties extract --stats` with the complete rule set, the lowest and"
      " highest run in brackets. *Throughput* is"
      " the processing rate reported by `--stats` (reading, all stages, writing; engine start-up"
      " and shut-down excluded); *wall* is the whole command, both included. The one-thread and"
      " two-thread runs on c20 take turns, so that a change in the machine's speed weighs on"
      " both alike." % a.runs)
    w("")
    w("| run | throughput | sentences/s | wall | peak RSS |")
    w("|---|---|---|---|---|")
    for name, r in (("c20, 1 thread", j1), ("c20, 2 threads", j2), ("nw, 1 thread", nw),
                    ("c200, 2 threads (1 run)", big)):
        w("| %s | %s MB/s%s | %s | %s s | %s MB |" % (
            name, f(r.get("mb_per_s", 0)), spread(r), r.get("sentences_per_s", "?"),
            f(r.get("wall", 0)), f(r.get("peak_rss_mb", 0), 1)))
    w("")
    w("Time per stage, c20 with 1 thread (seconds; spelling and stemming of word forms new to"
      " the cache are counted apart from tokenizing):")
    w("")
    stages = ("read", "tokenize", "spell", "stem", "gazetteer", "resolve", "rules", "output")
    w("| " + " | ".join(stages) + " |")
    w("|" + "---|" * len(stages))
    w("| " + " | ".join(f(j1.get(s, 0), 3) for s in stages) + " |")
    w("")
    w("## Peers")
    w("")
    w("The same c20 text through the libraries a user would otherwise script this with,"
      " installed from npm into bench/peers/node_modules: each tokenizes (and tags) every"
      " document and matches one relation pattern (\"X donated ... to Y\"); wink-nlp runs with"
      " only the annotations that pattern needs (sentences, parts of speech, named and custom"
      " entities; negation and sentiment left out), its fastest setting for the task; see"
      " bench/peers/.")
    w("")
    w("| tool | throughput | tokens | matches | peak RSS | runs |")
    w("|---|---|---|---|---|---|")
    w("| ties (1 thread) | %s MB/s%s | %s | (all rules) | %s MB | %s |" % (
        f(j1.get("mb_per_s", 0)), spread(j1), j1.get("tokens", "?"),
        f(j1.get("peak_rss_mb", 0), 1), a.runs))
    for name, r, runs in (("wink-nlp 2.4.0 + wink-eng-lite-web-model 1.8.1", wink, a.peer_runs),
                          ("compromise 14.17.0", comp, "1")):
        if r:
            w("| %s | %s MB/s%s | %s | %s | %s MB | %s |" % (
                name, f(r["mb_per_s"]), spread(r), r["tokens"], r["matches"],
                f(r["peak_rss_mb"], 1), runs))
        else:
            w("| %s | not run | | | | |" % name)
    w("")
    w("## Targets")
    w("")
    t1 = float(j1.get("mb_per_s", 0))
    t2 = float(j2.get("mb_per_s", 0))
    tn = float(nw.get("mb_per_s", 0))
    r20, r200 = float(j2.get("peak_rss_mb", 0)), float(big.get("peak_rss_mb", 0))
    rows = [
        ("one thread on c20 ≥ 25 MB/s", "%s MB/s%s" % (f(t1), spread(j1)), t1 >= 25),
        ("two threads ≥ 1.8 × one thread", "%s ×" % f(t2 / t1 if t1 else 0), t1 and t2 / t1 >= 1.8),
        ("new-word corpus ≥ 5 MB/s", "%s MB/s" % f(tn), tn >= 5),
        ("peak RSS ≤ 100 MB", "%s MB (c20), %s MB (c200)" % (f(r20, 1), f(r200, 1)),
         max(r20, r200) <= 100),
        ("no more memory for 200 MB than for 20 MB", "%+.1f MB" % (r200 - r20),
         r200 <= r20 * 1.05 + 2),
    ]
    if wink:
        ratio = t1 / wink["mb_per_s"] if wink["mb_per_s"] else 0
        rows.append(("≥ 20 × wink-nlp", "%s ×" % f(ratio, 1), ratio >= 20))
    w("| target | measured | met |")
    w("|---|---|---|")
    for name, got, ok in rows:
        w("| %s | %s | %s |" % (name, got, "yes" if ok else "**no**"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
