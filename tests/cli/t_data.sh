# t_data.sh — generated data files are what their generators make now.
. tests/lib.sh

if [ -d /usr/share/iso-codes/json ]; then
  python3 gazetteers/src/gen-countries.py >"$TMP/countries.tsv" 2>"$TMP/gen.err"
  check_eq "gen-countries.py runs" 0 $?
  check "gazetteers/countries.tsv is fresh (make gazetteers)" cmp gazetteers/countries.tsv "$TMP/countries.tsv"
else
  echo "ok 1 - gazetteers/countries.tsv is fresh # SKIP iso-codes is not installed"
fi
python3 scripts/gen-vocab.py -o "$TMP/ties.ttl" rules/relations.tsv >/dev/null 2>&1
check "rules/ties.ttl is fresh (make vocab)" cmp rules/ties.ttl "$TMP/ties.ttl"
finish
