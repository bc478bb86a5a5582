#!/bin/sh
# bench/run.sh — make bench: the throughput of ties on the bench corpora, its
# peers on the same text, and bench/RESULTS.md with the machine's description.
#
#   sh bench/run.sh            all of it (a few minutes)
#   BENCH_RUNS=7               runs per ties measurement (the median is kept)
#   BENCH_PEER_RUNS=5          runs of wink-nlp; compromise runs once (slow)
#   BENCH_SKIP_PEERS=1         leave the peers out
#
# Corpora (bench/corpus/, built by bench/make-corpus.py, deterministic):
#   c20   20 MB of tracker and news paragraphs (seeds/, held-out sets, test corpus)
#   c200  the same kind of text, 200 MB: peak memory must not grow with it
#   nw    10 MB where most words are new to every cache (dictionary words,
#         invented names, misspellings)
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
TIES=$B/ties
RUNS=${BENCH_RUNS:-7}
PEER_RUNS=${BENCH_PEER_RUNS:-5}
C=bench/corpus
W=bench/work
mkdir -p "$C" "$W"

say() { printf '%s\n' "bench: $*" >&2; }

# ---- corpora ----------------------------------------------------------------
corpus() { # kind name MB
  if [ ! -f "$C/$2.done" ]; then
    rm -rf "${C:?}/$2"
    python3 bench/make-corpus.py "$1" "$C/$2" "$3" >&2
    touch "$C/$2.done"
  fi
}
corpus tracker c20 20
corpus tracker c200 200
corpus newword nw 10

# ---- ties ---------------------------------------------------------------------
# One run: the --stats lines of ties extract, plus the wall time of the whole
# command (start-up included), as key=value words on one line.
ties_run() { # threads corpus
  t0=$(date +%s.%N)
  "$TIES" extract -q --stats -j "$1" "$2" 2>"$W/stats.txt" >"$W/out.tsv"
  t1=$(date +%s.%N)
  printf "wall=%s " "$(python3 -c "print(round($t1 - $t0, 3))")"
  sed -n 's/^.*stats: //p' "$W/stats.txt" | tr '\n' ' ' | sed 's/stage seconds (summed over threads): //'
  echo
}
# The run with the median of key among the runs in a file, with the lowest
# and highest value of key among them (key_lo, key_hi).
median_run() { # file key
  python3 - "$1" "$2" <<'PY'
import sys
key = sys.argv[2]
rows = []
for line in open(sys.argv[1]):
    kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
    rows.append(kv)
rows.sort(key=lambda r: float(r[key]))
med = dict(rows[len(rows) // 2])
med[key + "_lo"], med[key + "_hi"] = rows[0][key], rows[-1][key]
print(" ".join("%s=%s" % kv for kv in med.items()))
PY
}
# The run with the median of key over RUNS runs.
ties_median() { # threads corpus key
  : >"$W/runs.txt"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    ties_run "$1" "$2" >>"$W/runs.txt"
    i=$((i + 1))
  done
  median_run "$W/runs.txt" "$3"
}
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# One thread and two take turns, so that a change in the machine's speed
# while they run (other guests on the host) weighs on both alike: their
# ratio is a target.
say "ties: 1 and 2 threads on c20, in turn ($RUNS runs each)"
: >"$W/runs1.txt"
: >"$W/runs2.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
  ties_run 1 "$C/c20" >>"$W/runs1.txt"
  ties_run 2 "$C/c20" >>"$W/runs2.txt"
  i=$((i + 1))
done
J1=$(median_run "$W/runs1.txt" mb_per_s)
J2=$(median_run "$W/runs2.txt" mb_per_s)
say "ties: 1 thread on nw ($RUNS runs)"
NW=$(ties_median 1 "$C/nw" mb_per_s)
say "ties: 2 threads on c200 (1 run)"
BIG=$(ties_run 2 "$C/c200")
RSS20=$(get "$J2" peak_rss_mb)
RSS200=$(get "$BIG" peak_rss_mb)

# ---- peers ----------------------------------------------------------------------
WINK="" COMP=""
if [ -z "${BENCH_SKIP_PEERS:-}" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sh scripts/deps.sh --test >&2 || { say "node and npm are needed for the peers"; exit 1; }
  fi
  if [ ! -d bench/peers/node_modules/wink-nlp ] || [ ! -d bench/peers/node_modules/compromise ]; then
    say "installing the peers from npm into bench/peers/node_modules"
    (cd bench/peers && npm install --no-audit --no-fund --loglevel=error >&2)
  fi
  say "wink-nlp on c20 ($PEER_RUNS runs)"
  : >"$W/wink.txt"
  i=0
  while [ "$i" -lt "$PEER_RUNS" ]; do
    node bench/peers/wink.js "$C/c20" 2>/dev/null >>"$W/wink.txt"
    i=$((i + 1))
  done
  WINK=$(python3 -c '
import json, sys
r = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda x: x["mb_per_s"])
m = dict(r[len(r) // 2], mb_per_s_lo=r[0]["mb_per_s"], mb_per_s_hi=r[-1]["mb_per_s"])
print(json.dumps(m))' "$W/wink.txt")
  say "compromise on c20 (1 run)"
  COMP=$(node bench/peers/compromise.js "$C/c20" 2>/dev/null)
fi

# ---- the report -------------------------------------------------------------------
python3 bench/report.py --runs "$RUNS" --peer-runs "$PEER_RUNS" \
  --j1 "$J1" --j2 "$J2" --nw "$NW" --big "$BIG" \
  --wink "$WINK" --compromise "$COMP" --ties "$TIES" >bench/RESULTS.md
cat bench/RESULTS.md
