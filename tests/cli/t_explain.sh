# t_explain.sh — `ties explain` golden outputs (tests/explain/NAME.args and
# NAME.out): tokens, entities, the rules that fired with their triples, the
# candidates dropped and why, and how far a named rule got.
. tests/lib.sh

for args in tests/explain/*.args; do
  n=$(basename "$args" .args)
  sh tests/explain/gen.sh "$n" >"$TMP/$n.out" 2>"$TMP/$n.err"
  check_diff "explain $n" "tests/explain/$n.out" "$TMP/$n.out"
done
check_grep "a dropped candidate says why" 'dropped: not asserted: refused (cue "shelved")' tests/explain/modality.out
check_grep "a named rule shows where it stopped" 'stopped at `<receiv> | <accept> | got | <obtain>` (rules/aid.rules:' tests/explain/why_not.out
check_grep "and the token it saw, with its attributes" 'saw `donated` (norm donated, stem donat, word)' tests/explain/why_not.out
check_grep "an element of a define is shown where the define is written" 'stopped at `<critic> | <condemn> .*(rules/00-lexicon.rules:[0-9]*:[0-9]*)' tests/explain/define.out
check_grep "a title is resolved by role and date" 'person:wei-fenghe (PERSON, role, acts for CHN)' tests/explain/roles.out
$TIES explain --rule no.such.rule "China." >/dev/null 2>"$TMP/err"
check_eq "an unknown --rule is a usage error" 2 $?
check_grep "and says so" "no rule 'no.such.rule'" "$TMP/err"
finish
