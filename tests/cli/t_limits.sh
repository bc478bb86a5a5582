# t_limits.sh — every documented limit (README "Limits") is enforced with a
# clear message, quickly: huge documents, sentences and tokens; rule files
# with many errors, deep nesting, patterns that explode, regexes that
# backtrack; a million-row gazetteer.
#
# Inputs are generated in $TMP. Cases too heavy for a sanitizer or valgrind
# build (which set TIES_SANITIZED) are skipped there; the others must stay
# fast under them too, within their time limits times TIES_TIME_FACTOR.
. tests/lib.sh

skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
# time limits are for the release build; sanitizers and valgrind scale them
within() { test "$1" -le $(( $2 * ${TIES_TIME_FACTOR:-1} )); }
heavy() { [ -n "${TIES_SANITIZED:-}" ]; }
# elapsed whole seconds of a command; its status in $rc, output in $TMP/o, $TMP/e
timed() {
  _t0=$(date +%s)
  "$@" >"$TMP/o" 2>"$TMP/e"
  rc=$?
  secs=$(( $(date +%s) - _t0 ))
}
cp rules/relations.tsv "$TMP/"

# ---- documents ------------------------------------------------------------
# 100 MB and not one newline: refused at once from the file's size, and
# from stdin after reading past the limit (never the whole stream)
yes 'China donated arms to Serbia and ' | tr -d '\n' | head -c 104857600 >"$TMP/huge.txt"
timed $TIES extract "$TMP/huge.txt"
check_eq "a 100 MB document: exit status 1" 1 "$rc"
check_grep "a 100 MB document: refused with the limit and the option" \
  "huge.txt: error: document is 104857600 bytes, larger than the limit of 67108864 (--max-doc-bytes)" "$TMP/e"
check "a 100 MB document: refused within 5 s (took ${secs}s)" within "$secs" 5
timed $TIES extract - <"$TMP/huge.txt"
check_grep "a 100 MB stream on stdin: refused too" \
  "^-: error: document is 104857600 bytes, larger than the limit" "$TMP/e"
check "a 100 MB stream: refused within 5 s (took ${secs}s)" within "$secs" 5
timed $TIES extract --max-doc-bytes 200M "$TMP/huge.txt" --format nope
check_eq "--max-doc-bytes takes a suffix (the bad format is what fails)" 2 "$rc"
check_grep "... and it is the format that is reported" "unknown format 'nope'" "$TMP/e"
rm -f "$TMP/huge.txt"

printf 'China donated arms to Serbia.\n' >"$TMP/small.txt"
$TIES extract --max-doc-bytes 5G "$TMP/small.txt" >/dev/null 2>"$TMP/e"
check_eq "--max-doc-bytes of 4 GiB or more is refused (offsets are 32-bit)" 2 $?
check_grep "... with the range" "needs a number from 1 to 4294967294" "$TMP/e"
$TIES extract --max-doc-bytes 10 "$TMP/small.txt" >/dev/null 2>"$TMP/e"
check_eq "a document over --max-doc-bytes: exit status 1" 1 $?
check_grep "... refused with its size and the limit" \
  "small.txt: error: document is 30 bytes, larger than the limit of 10" "$TMP/e"

# a sentence of a million tokens: split every 1000 tokens, the triple kept
{ printf 'China donated arms to Serbia '; yes 'and more ' | head -n 500000 | tr -d '\n'; printf '.\n'; } >"$TMP/million.txt"
timed $TIES extract "$TMP/million.txt"
check_eq "a sentence of a million tokens: exit status 0" 0 "$rc"
check_grep "... split, and said so with the option" \
  "million.txt: warning: 1000 sentences longer than 1000 tokens split (--max-sentence-tokens)" "$TMP/e"
check_grep "... the triple in it is still found" "CHN	donated	SRB" "$TMP/o"
check "... within 20 s (took ${secs}s)" within "$secs" 20
printf 'China donated arms to Serbia, Nepal, Ghana and Peru in 2019 and 2020.\n' >"$TMP/s.txt"
$TIES extract --max-sentence-tokens 4 "$TMP/s.txt" >"$TMP/o" 2>"$TMP/e"
check_grep "--max-sentence-tokens sets the split" "sentences longer than 4 tokens split" "$TMP/e"

# a token of 1 MB: cut, reported once, the document still extracted
{ printf 'China donated arms to Serbia. '; yes 'a1' | head -n 500000 | tr -d '\n'; printf ' end.\n'; } >"$TMP/token.txt"
timed $TIES extract "$TMP/token.txt"
check_eq "a 1 MB token: exit status 0" 0 "$rc"
check_grep "... cut, with the option" \
  "token.txt: warning: 1 token longer than 1024 bytes cut (--max-token-bytes)" "$TMP/e"
check_grep "... the document is still extracted" "CHN	donated	SRB" "$TMP/o"
check "... within 10 s (took ${secs}s)" within "$secs" 10
$TIES extract --max-token-bytes 3 "$TMP/s.txt" >/dev/null 2>"$TMP/e"
check_grep "--max-token-bytes sets the cut" "tokens longer than 3 bytes cut" "$TMP/e"

# JSON Lines: a line over twice the document limit is skipped with its
# number, without holding it in memory; the next line is still read
{ printf '{"id": "big", "text": "'; yes 'word ' | head -n 2000 | tr -d '\n'; printf '"}\n'
  printf '{"id": "ok", "text": "China donated arms to Serbia."}\n'; } >"$TMP/in.jsonl"
$TIES extract --jsonl --max-doc-bytes 4k "$TMP/in.jsonl" >"$TMP/o" 2>"$TMP/e"
check_eq "a JSONL line over the limit: exit status 1" 1 $?
check_grep "... named by file and line" \
  "in.jsonl:1: error: line of 10025 bytes, larger than twice the document limit of 4096" "$TMP/e"
check_grep "... the next line is extracted" "^ok	.*CHN	donated	SRB" "$TMP/o"

# ---- rule files -----------------------------------------------------------
# several syntax errors: every one at file:line:col
cat >"$TMP/errs.rules" <<'EOF'
rule e.one
  match @a:COUNTRY (<donat> to @b:COUNTRY
  emit  @a donated @b

rule e.two
  match @a:COUNTRY <donat> {3,1} @b:COUNTRY
  emit  @a donated @b

rule e.three
  match @a:COUNTRY /(unclosed/ @b:COUNTRY
  emit  @a donated @b

rule e.four
  match @a:COUNTRY <donat> to @b:COUNTRY
  emit  @a gave @b

rule e.five
  match @a:COUNTRY "" @b:COUNTRY
  emit  @a donated @b
EOF
$TIES lint --no-color "$TMP/errs.rules" >/dev/null 2>"$TMP/e"
check_eq "a rule file with five errors: exit status 3" 3 $?
check_grep "error 1 at its line and column" "errs.rules:2:42: error: expected ')' to close the group opened at 2:20" "$TMP/e"
check_grep "error 2 at its line and column" "errs.rules:6:29: error: repetition {3,1} has its bounds reversed" "$TMP/e"
check_grep "error 3 at its line and column (PCRE2's offset)" "errs.rules:10:30: error: regular expression: missing closing parenthesis" "$TMP/e"
check_grep "error 4 at its line and column" "errs.rules:15:12: error: undeclared predicate 'gave'" "$TMP/e"
check_grep "error 5 at its line and column" "errs.rules:18:20: error: empty string" "$TMP/e"
# the undeclared predicate leaves the rule without an emit line: a sixth
check_grep "... and what follows from error 4" "errs.rules:13:1: error: rule 'e.four' has no emit line" "$TMP/e"
check_eq "all are reported, and no more" 6 "$(grep -c ': error: ' "$TMP/e")"

# a regex that backtracks catastrophically: stopped by PCRE2's match limit,
# reported once, never a hang
cat >"$TMP/cat.rules" <<'EOF'
rule cat.regex
  match @a:COUNTRY /^(a+)+$/ @b:COUNTRY
  emit  @a donated @b
  example "China aaaa Serbia." => CHN donated SRB
  counter "China aaab Serbia."
EOF
printf 'China aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab Serbia. Russia aaa India.\n' >"$TMP/cat.txt"
timed $TIES extract --rules "$TMP/cat.rules" "$TMP/cat.txt"
check_eq "a catastrophic regex: exit status 0" 0 "$rc"
check_grep "... stopped by its limit, reported at the token" \
  "cat.txt:1:7: warning: regular expression /^(a+)+\$/ stopped by its match limit on this token; treated as no match" "$TMP/e"
check_grep "... the other sentence still matches" "RUS	donated	IND" "$TMP/o"
check "... within 5 s (took ${secs}s)" within "$secs" 5

# a cue that can match no word would mark every sentence (and the matcher
# needs its last word): refused where it is written
printf 'cue negated (reportedly)?\n' >"$TMP/cue.rules"
$TIES lint --no-color "$TMP/cue.rules" >/dev/null 2>"$TMP/e"
check_eq "a cue that matches nothing: exit status 3" 3 $?
check_grep "... refused at its pattern" \
  "cue.rules:1:13: error: a cue must match at least one word; this one can match none" "$TMP/e"

# groups nested deeper than 64; '!' chains count too; 64 is allowed
nest() { # depth
  awk -v d="$1" 'BEGIN { printf "rule nest\n  match @a:COUNTRY ";
    for (i = 0; i < d; i++) printf "("; printf "to";
    for (i = 0; i < d; i++) printf ")"; printf " @b:COUNTRY\n  emit @a donated @b\n" }'
}
nest 65 >"$TMP/deep.rules"
$TIES lint --no-color "$TMP/deep.rules" >/dev/null 2>"$TMP/e"
check_eq "65 nested groups: exit status 3" 3 $?
check_grep "... reported at the 65th '('" "deep.rules:2:84: error: groups nested deeper than 64" "$TMP/e"
nest 64 >"$TMP/deep64.rules"
$TIES lint --no-color "$TMP/deep64.rules" >/dev/null 2>"$TMP/e"
check_no_grep "64 nested groups are allowed" ": error:" "$TMP/e"
{ printf 'rule bang\n  match @a:COUNTRY '; yes '!' | head -n 100000 | tr -d '\n'; printf 'to @b:COUNTRY\n  emit @a donated @b\n'; } >"$TMP/bang.rules"
$TIES lint --no-color "$TMP/bang.rules" >/dev/null 2>"$TMP/e"
check_grep "100000 '!' in a row: an error, not a stack overflow" "bang.rules:2:84: error: '!' nested deeper than 64" "$TMP/e"

# patterns that would expand to billions of instructions
cat >"$TMP/boom.rules" <<'EOF'
define A1 (to to to to to to to to to to)
define A2 (%A1 %A1 %A1 %A1 %A1 %A1 %A1 %A1 %A1 %A1)
define A3 (%A2 %A2 %A2 %A2 %A2 %A2 %A2 %A2 %A2 %A2)
define A4 (%A3 %A3 %A3 %A3 %A3 %A3 %A3 %A3 %A3 %A3)
define A5 (%A4 %A4 %A4 %A4 %A4 %A4 %A4 %A4 %A4 %A4)
define A6 (%A5 %A5 %A5 %A5 %A5 %A5 %A5 %A5 %A5 %A5)
define A7 (%A6 %A6 %A6 %A6 %A6 %A6 %A6 %A6 %A6 %A6)
define A8 (%A7 %A7 %A7 %A7 %A7 %A7 %A7 %A7 %A7 %A7)
rule boom.defines
  match @a:COUNTRY %A8 @b:COUNTRY
  emit  @a donated @b
rule boom.repeats
  match @a:COUNTRY (((((to{50}){50}){50}){50}){50}) @b:COUNTRY
  emit  @a donated @b
EOF
timed $TIES lint --no-color "$TMP/boom.rules"
check_eq "defines and repetitions that explode: exit status 3" 3 "$rc"
check_grep "... a define used ten times in a define ... refused" \
  "boom.rules:10:9: error: pattern larger than 10000 elements once defines are expanded" "$TMP/e"
check_grep "... nested {50} refused" \
  "boom.rules:13:9: error: pattern larger than 10000 elements" "$TMP/e"
check "... within 5 s (took ${secs}s)" within "$secs" 5

# a rule file over 16 MiB: refused before it is parsed
{ printf 'rule big\n'; yes '# a comment line of a rule file that is far too large .............................' | head -n 200000; } >"$TMP/big.rules"
$TIES lint --no-color "$TMP/big.rules" >/dev/null 2>"$TMP/e"
check_eq "a 17 MB rule file: exit status 3" 3 $?
check_grep "... refused with its size and the limit" \
  "big.rules: error: rule file is 16800009 bytes, larger than the limit of 16 MiB" "$TMP/e"
rm -f "$TMP/big.rules"

# ---- gazetteers -----------------------------------------------------------
# one million rows load (about 1 KB each) beside the project's own; 2^20
# rows in all is the limit, refused before a row over it is loaded
mkdir -p "$TMP/gz"
cp gazetteers/*.tsv "$TMP/gz/"
awk 'BEGIN { print "id\tname\tcountry\tkind\taliases";
  for (i = 0; i < 1000000; i++) printf "org:gen-%d\tGenerated Body %d\tCHN\tcompany\t\n", i, i }' \
  >"$TMP/gz/organisations-million.tsv"
if heavy; then
  skip "a million-row gazetteer loads" "too slow under sanitizers"
else
  timed $TIES tag --gazetteers "$TMP/gz" </dev/null
  check_eq "a million-row gazetteer loads: exit status 0" 0 "$rc"
  check "... within 30 s (took ${secs}s)" within "$secs" 30
fi
rm -f "$TMP/gz/"*.tsv
cp gazetteers/countries.tsv gazetteers/roles.tsv "$TMP/gz/"
awk 'BEGIN { print "id\tname\tcountry\tkind\taliases";
  for (i = 0; i < 1048400; i++) printf "org:gen-%d\tGenerated Body %d\tCHN\tcompany\t\n", i, i }' \
  >"$TMP/gz/organisations-huge.tsv"
timed $TIES tag --gazetteers "$TMP/gz" </dev/null
check_eq "over 2^20 rows: exit status 3" 3 "$rc"
check_grep "... refused at the first row over the limit" \
  "organisations-huge.tsv:1048329: error: more than 1048576 gazetteer rows in all (249 loaded before this file)" "$TMP/e"
check "... without loading it (took ${secs}s)" within "$secs" 10
rm -rf "$TMP/gz"

# a gazetteer with many broken rows: 20 errors, then a stop
mkdir -p "$TMP/gzbad"
cp gazetteers/countries.tsv gazetteers/roles.tsv "$TMP/gzbad/"
awk 'BEGIN { print "id\tname\tcountry\tkind\taliases";
  for (i = 0; i < 1000; i++) printf "org:bad-%d\tBad %d\tZZZ\tcompany\t\n", i, i }' \
  >"$TMP/gzbad/organisations.tsv"
$TIES tag --gazetteers "$TMP/gzbad" </dev/null >/dev/null 2>"$TMP/e"
check_eq "a gazetteer with 1000 broken rows: exit status 3" 3 $?
check_eq "... 20 errors reported" 20 "$(grep -c "error: 'ZZZ' is not" "$TMP/e")"
check_grep "... then the cap is said" "organisations.tsv:22: error: too many errors (20); stopping here" "$TMP/e"
finish
