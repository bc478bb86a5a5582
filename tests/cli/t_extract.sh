# t_extract.sh — `ties extract`: the output contract, formats, inputs, exit codes.
. tests/lib.sh

$TIES extract seeds/ >"$TMP/seeds.tsv" 2>"$TMP/err"
check_eq "extract seeds/ exits 0" 0 $?
check_grep "TSV header comment carries the ruleset and gazetteer hashes" \
  '^# ties [0-9.]* rules=[0-9a-f]\{64\} gazetteers=[0-9a-f]\{64\}$' "$TMP/seeds.tsv"
hdr=$(grep -v '^#' "$TMP/seeds.tsv" | head -1)
check_eq "TSV header names the contract columns" \
  "doc	sentence	start	end	subject	predicate	object	subject_country	object_country	rule	rule_source	modality	evidence" "$hdr"
check_grep "doc is the file name without directory and extension" \
  '^000_4dbad56632bd6bef	' "$TMP/seeds.tsv"
check_grep "CHN donated SRB with its evidence" \
  'CHN	donated	SRB	CHN	SRB	donated.direct	rules/aid.rules:[0-9]*	asserted	Beijing, for instance, donated USD 1 million in equipment to Serbia$' "$TMP/seeds.tsv"

# byte offsets point into the original file
line=$(grep 'CHN	donated	SRB' "$TMP/seeds.tsv" | head -1)
start=$(echo "$line" | cut -f3); end=$(echo "$line" | cut -f4)
span=$(dd if=seeds/000_4dbad56632bd6bef.txt bs=1 skip="$start" count=$((end - start)) 2>/dev/null)
check_eq "evidence span is the bytes of the file" \
  "Beijing, for instance, donated USD 1 million in equipment to Serbia" "$span"

# every row has 13 fields
bad=$(grep -v '^#' "$TMP/seeds.tsv" | awk -F'\t' 'NF != 13' | wc -l)
check_eq "every TSV row has 13 fields" 0 "$bad"

# JSON Lines with qualifiers
$TIES extract --format jsonl seeds/ >"$TMP/seeds.jsonl"
check "JSONL parses line by line" python3 -c "
import json,sys
for l in open('$TMP/seeds.jsonl'): json.loads(l)"
check_grep "JSONL carries the amount qualifier" '"subject":"CHN","predicate":"donated","object":"SRB".*"amount":"USD 1000000"' "$TMP/seeds.jsonl"
check_grep "JSONL carries the item qualifier" '"predicate":"acquired","object":"platform:type-053h3".*"item":"platform:type-053h3"' "$TMP/seeds.jsonl"
check_grep "JSONL carries the ruleset hash" '"ruleset":"[0-9a-f]\{64\}"' "$TMP/seeds.jsonl"

# stdin
echo "Beijing donated ten patrol boats to Cambodia." | $TIES extract >"$TMP/stdin.tsv"
check_grep "stdin is a document named stdin" '^stdin	0	.*CHN	donated	KHM' "$TMP/stdin.tsv"

# -o writes through a temporary file and leaves nothing else
$TIES extract -o "$TMP/out.tsv" seeds/
check_eq "-o writes the same as stdout" "$(cat "$TMP/seeds.tsv")" "$(cat "$TMP/out.tsv")"
check_eq "-o leaves no temporary file" "" "$(ls "$TMP" | grep '\.tmp\.' || true)"

# modality: non-asserted candidates only on request
printf 'Serbia shelved plans to donate equipment to Nepal.\n' >"$TMP/plan.txt"
$TIES extract "$TMP/plan.txt" >"$TMP/plan.tsv"
check_eq "a plan is not an asserted triple" 0 "$(grep -vc '^#\|^doc' "$TMP/plan.tsv")"
$TIES extract --all-modalities "$TMP/plan.txt" >"$TMP/plan2.tsv"
check_grep "--all-modalities shows it with its modality" 'SRB	donated	NPL	.*	refused	Serbia shelved plans' "$TMP/plan2.tsv"

# exit codes
$TIES extract --format nosuch seeds/ >/dev/null 2>"$TMP/err"
check_eq "unknown format exits 2" 2 $?
check_grep "unknown format names the formats" 'unknown format' "$TMP/err"
$TIES extract --rules "$TMP/none.rules" seeds/ >/dev/null 2>"$TMP/err"
check_eq "missing rule file exits 2" 2 $?
printf 'rule bad.one\n  match @x:CONTRY to\n  emit @x donated CHN\n' >"$TMP/bad.rules"
cp rules/relations.tsv "$TMP/"
$TIES extract --rules "$TMP/bad.rules" seeds/ >/dev/null 2>"$TMP/err"
check_eq "a rule error exits 3" 3 $?
check_grep "the rule error names file:line:col" "bad.rules:2:12: error: unknown entity type 'CONTRY'" "$TMP/err"

# threads: no more workers than files; workers made in their own threads
# share the work, and the output is that of one thread
$TIES extract -q -j 8 --stats seeds/ >/dev/null 2>"$TMP/err"
check_grep "-j 8 on two files makes two workers" "stats: threads=2 docs=2 " "$TMP/err"
batch "$TMP/many" 0 40
$TIES extract -q -j 1 "$TMP/many" >"$TMP/j1.tsv"
$TIES extract -q -j 4 --stats "$TMP/many" >"$TMP/j4.tsv" 2>"$TMP/err"
check_diff "-j 4 gives the -j 1 output" "$TMP/j1.tsv" "$TMP/j4.tsv"
check_grep "... with four workers" "stats: threads=4 docs=40 " "$TMP/err"
finish
