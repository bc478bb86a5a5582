# t_score.sh — the dev-set targets, measured with the reference scorer.
# A regression of the rules below the targets fails here.
. tests/lib.sh

$TIES extract seeds/ >"$TMP/seeds.tsv" 2>/dev/null
score() {
  python3 tests/tools/score.py tests/gold/seeds.gold.tsv tests/gold/entities.tsv \
    "$TMP/seeds.tsv" --level "$1" | tail -1
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
c=$(score country)
e=$(score entity)
echo "# $c"
echo "# $e"
ge() { python3 -c "import sys; sys.exit(0 if float('$1') >= float('$2') else 1)"; }
check "country-level F1 >= 0.90 ($(field "$c" f1))" ge "$(field "$c" f1)" 0.90
check "country-level precision >= 0.92 ($(field "$c" precision))" ge "$(field "$c" precision)" 0.92
check "entity-level F1 >= 0.85 ($(field "$e" f1))" ge "$(field "$e" f1)" 0.85
check_eq "no hard negative is emitted" 0 "$(field "$c" hard_negatives_hit)"
finish
