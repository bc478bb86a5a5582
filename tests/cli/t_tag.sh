# t_tag.sh — ties tag on the seeds: every entity the dev gold uses in a seed
# document is found there with the right id; the TSV contract; the case traps.
. tests/lib.sh

$TIES tag seeds/ >"$TMP/tag.tsv" 2>"$TMP/err"
check_eq "tag seeds/ exits 0" 0 $?
check_eq "the header" "doc	sentence	start	end	text	id	type	country	how" "$(head -1 "$TMP/tag.tsv")"

python3 - "$TMP/tag.tsv" tests/gold/seeds.gold.tsv >"$TMP/missing" <<'PY'
import collections, csv, sys
tags = collections.defaultdict(set)
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE):
    tags[r["doc"]].add(r["id"])
gold = collections.defaultdict(set)
lines = [l for l in open(sys.argv[2], encoding="utf-8") if not l.startswith("#")]
for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
    if r["status"] in ("req", "opt"):
        gold[r["doc"]].update([r["subject"], r["object"]])
for d in sorted(gold):
    for e in sorted(gold[d] - tags[d]):
        print(d, e)
PY
check_eq "every entity of the gold triples is tagged in its document" "" "$(cat "$TMP/missing")"

# offsets point into the original bytes: the text column is what is there
python3 - "$TMP/tag.tsv" >"$TMP/offsets" <<'PY'
import csv, sys
bad = 0
cache = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE):
    b = cache.setdefault(r["doc"], open("seeds/%s.txt" % r["doc"], "rb").read())
    if b[int(r["start"]):int(r["end"])].decode("utf-8") != r["text"]:
        bad += 1
print(bad)
PY
check_eq "every mention's bytes are its text" 0 "$(cat "$TMP/offsets")"

# the case traps of the gazetteer stage
printf 'The PLAN sailed. China plans to sail. US forces left; some of us stayed.\n' >"$TMP/case.txt"
$TIES tag "$TMP/case.txt" >"$TMP/case.tsv" 2>/dev/null
check_grep "PLAN is the PLA Navy" "	PLAN	org:plan	" "$TMP/case.tsv"
check_no_grep "plans is not" "	plans	" "$TMP/case.tsv"
check_grep "US is the United States" "	US forces	USA	" "$TMP/case.tsv"
check_no_grep "us is not" "	us	" "$TMP/case.tsv"
finish
