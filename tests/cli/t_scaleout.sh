# t_scaleout.sh — JSON Lines mode is a pure filter: a corpus split into pieces
# by GNU parallel --pipe, each piece through its own ties process, gives
# exactly the output of one process (what Hadoop Streaming or Spark's
# RDD.pipe do with it). Output order and content never depend on threads.
. tests/lib.sh

if ! command -v parallel >/dev/null 2>&1; then
  echo "ok 1 - GNU parallel # SKIP not installed (scripts/deps.sh --test installs it)"
  echo "1..1"
  exit 0
fi

# a corpus of JSON Lines: every seed and held-out document, twice over,
# with ids, some with dates
python3 - "$TMP/corpus.jsonl" <<'PY'
import glob, json, sys
paths = sorted(glob.glob("seeds/*.txt") + glob.glob("tests/heldout/*.txt")
               + glob.glob("tests/heldout2/*.txt"))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for rep in range(2):
        for i, p in enumerate(paths):
            doc = {"id": "r%d-%s" % (rep, p.rsplit("/", 1)[-1][:-4]),
                   "text": open(p, encoding="utf-8").read()}
            if i % 2:
                doc["date"] = "2021-06-30"
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
n=$(wc -l <"$TMP/corpus.jsonl")

$TIES extract -q --jsonl --format jsonl -j 1 <"$TMP/corpus.jsonl" >"$TMP/one.jsonl"
check_eq "one process reads every line" 0 $?
check "one process writes triples" test -s "$TMP/one.jsonl"

# pieces of 5 documents, 3 processes at a time, each with 2 threads
parallel --pipe -N 5 --keep-order -j 3 "$TIES" extract -q --jsonl --format jsonl -j 2 \
  <"$TMP/corpus.jsonl" >"$TMP/many.jsonl"
check_eq "parallel --pipe exits 0" 0 $?
check "parallel --pipe gives exactly the single-process output ($n documents)" \
  cmp "$TMP/one.jsonl" "$TMP/many.jsonl"

# without --keep-order the lines come in another order, but the same lines
parallel --pipe -N 7 -j 4 "$TIES" extract -q --jsonl --format jsonl \
  <"$TMP/corpus.jsonl" | sort >"$TMP/any.sorted"
sort "$TMP/one.jsonl" >"$TMP/one.sorted"
check "in any order, the same set of lines" cmp "$TMP/one.sorted" "$TMP/any.sorted"

# thread counts do not change the output
$TIES extract -q --jsonl --format jsonl -j 3 <"$TMP/corpus.jsonl" >"$TMP/three.jsonl"
check "-j 3 gives the -j 1 output" cmp "$TMP/one.jsonl" "$TMP/three.jsonl"

# every output line is one JSON object naming its document
python3 - "$TMP/one.jsonl" >"$TMP/ids" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["doc"])
PY
check_eq "every line is JSON with the document id" "$(wc -l <"$TMP/one.jsonl" | tr -d ' ')" \
  "$(wc -l <"$TMP/ids" | tr -d ' ')"
check_grep "ids are the input's ids" "^r1-000_4dbad56632bd6bef$" "$TMP/ids"
finish
