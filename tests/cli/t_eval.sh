# t_eval.sh — `ties eval` agrees with the reference scorer to three decimals,
# reports per predicate and per rule, misses and false triples, and the
# difference from a baseline.
. tests/lib.sh

$TIES extract seeds/ >"$TMP/seeds.tsv" 2>/dev/null
$TIES extract tests/heldout/ >"$TMP/heldout.tsv" 2>/dev/null
for set in seeds heldout; do
  if [ $set = seeds ]; then g=tests/gold/seeds.gold.tsv; en=tests/gold/entities.tsv; in=seeds/
  else g=tests/heldout/heldout.gold.tsv; en=tests/heldout/entities.tsv; in=tests/heldout/; fi
  for level in country entity; do
    ours=$($TIES eval -q --gold $g --entities $en --level $level $in 2>/dev/null | tail -1)
    ref=$(python3 tests/tools/score.py $g $en "$TMP/$set.tsv" --level $level | tail -1)
    check_eq "$set, $level level: eval equals the reference scorer" "$ref" "$ours"
  done
done

$TIES eval --gold tests/heldout/heldout.gold.tsv --entities tests/heldout/entities.tsv \
  tests/heldout/ >"$TMP/report" 2>/dev/null
check_grep "per predicate table" '^  donated  ' "$TMP/report"
check_grep "per rule table with precision and the triples only it found" '^  visited.direct  .*' "$TMP/report"
check_grep "misses name the gold evidence" '^        gold evidence "' "$TMP/report"
check_grep "false triples name the rule and evidence" '^        rule [a-z_.]*; evidence "' "$TMP/report"

# a baseline that lacks one triple: it shows as gained, with its rule
grep -v 'CHN	donated	SRB' "$TMP/seeds.tsv" >"$TMP/base.tsv"
printf 'extra\n' >/dev/null
$TIES eval --gold tests/gold/seeds.gold.tsv --entities tests/gold/entities.tsv \
  --baseline "$TMP/base.tsv" seeds/ >"$TMP/diff" 2>/dev/null
check_grep "baseline: gained triples with the rule" '+ gained 000_4dbad56632bd6bef	CHN	SRB	donated\|+ gained 000_4dbad56632bd6bef	CHN	donated	SRB  (rule donated.direct)' "$TMP/diff"
check_grep "baseline: a summary line" '1 gained, 0 lost' "$TMP/diff"

$TIES eval --gold tests/heldout/heldout.gold.tsv --min-f1 0.99 tests/heldout/ >/dev/null 2>&1
check_eq "--min-f1 above the score exits 4" 4 $?
$TIES eval seeds/ >/dev/null 2>&1
check_eq "eval without --gold is a usage error" 2 $?
finish
