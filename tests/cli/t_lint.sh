# t_lint.sh — `ties lint`: the project's own files are clean; each planted
# error of tests/lint/ is reported at its exact line and column.
. tests/lib.sh

$TIES lint >"$TMP/out" 2>"$TMP/err"
check_eq "lint exits 0 on the project's rules and gazetteers" 0 $?
check_grep "the project's files have no error and no warning" '^0 errors, 0 warnings$' "$TMP/err"

$TIES lint --no-color --gazetteers tests/lint/gaz tests/lint/bad.rules >"$TMP/out" 2>"$TMP/bad.err"
check_eq "lint exits 3 on errors" 3 $?
check_diff "every planted error and warning, at its line and column" tests/lint/bad.stderr "$TMP/bad.err"
# the main cases, spelled out so a regression names the case
for want in \
  "bad.rules:5:22: error: <donated> can never match: the stem of 'donated' is 'donat'" \
  "bad.rules:11:14: error: unknown entity type 'CONTRY'" \
  "bad.rules:16:14: error: undeclared predicate 'gave'" \
  "bad.rules:20:22: error: capture '@c' is not bound" \
  "bad.rules:23:44: warning: capture '@z' is bound but never used" \
  "bad.rules:29:22: warning: literal 'defence' is read as 'defense'" \
  "bad.rules:30:22: warning: literal 'China' has capitals" \
  "bad.rules:36:22: warning: unbounded gap" \
  "bad.rules:41:6: error: duplicate rule id 'bad.stem'" \
  "bad.rules:45:1: warning: rule 'bad.bare' has no example" \
  "bad.rules:50:43: error: expected ')' to close the group opened at 50:22" \
  "bad.rules:53:8: warning: define 'UNUSED' declared but not used" \
  "countries.tsv:5:8: error: ISO 3166-1 numeric code '2500' of FRA is not three digits" \
  "countries.tsv:6:1: error: country id 'XX1' is not an ISO 3166-1 alpha-3 code" \
  "organisations.tsv:4:18: warning: 'Armada' names both org:spanish-navy" \
  "organisations.tsv:4:18: warning: name 'Armada' of org:armada-group does not match its own entry" \
  "organisations.tsv:5:34: error: 'ZZZ' is not an ISO 3166-1 alpha-3 code" \
  "officials.tsv:3:48: error: term of person:ana-reversed as defense-minister ends (2019-01-01) before it starts" \
  "officials.tsv:4:37: warning: person:bo-twice holds foreign-minister twice at once"; do
  check_grep "reports: $want" "$want" "$TMP/bad.err"
done

# a literal with an escaped quote is read as written: no warning; a British
# spelling beside it still gets one
printf 'rule q.quote\n  match @a:COUNTRY said "\\"" (defence) <oppos> "\\"" @b:COUNTRY\n  emit @a criticized @b\n  example "Spain said \\"defence opposes\\" Chad."\n    => ESP criticized TCD\n  counter "Spain sold arms to Chad."\n' >"$TMP/quote.rules"
cp rules/relations.tsv "$TMP/relations.tsv"
$TIES lint --no-color "$TMP/quote.rules" >"$TMP/out" 2>"$TMP/quote.err"
check_grep "an escaped quote literal gets no warning" '^0 errors, 1 warning$' "$TMP/quote.err"
check_grep "the British spelling beside it does" "quote.rules:2:31: warning: literal 'defence' is read as 'defense'" "$TMP/quote.err"

# the cap on errors: 30 broken rules, 20 reported and a note
i=0; : >"$TMP/many.rules"
while [ $i -lt 30 ]; do
  printf 'rule r%d\n  match @a:NOPE%d to\n  emit @a donated CHN\n\n' $i $i >>"$TMP/many.rules"
  i=$((i + 1))
done
cp rules/relations.tsv "$TMP/"
$TIES lint --no-gazetteers "$TMP/many.rules" >/dev/null 2>"$TMP/many.err"
check_eq "20 errors reported before giving up" 20 "$(grep -c 'error: unknown entity type' "$TMP/many.err")"
check_grep "the cap is said" "too many errors (20); stopping here" "$TMP/many.err"
finish
