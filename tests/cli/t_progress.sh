# t_progress.sh — the progress line of extract: on a terminal, documents
# done of the total, MB/s, triples so far and time left, drawn over itself
# on stderr; messages stand on lines of their own beside it; the last line
# agrees with the output; silent with --quiet and when stderr is not a
# terminal. stderr is put on a pseudo-terminal by tests/tools/onpty.py.
# TIES_PROGRESS_INTERVAL=0 redraws the line after every document (it is
# every tenth of a second), so that the updates do not depend on the
# machine's speed.
. tests/lib.sh
TIES_PROGRESS_INTERVAL=0
export TIES_PROGRESS_INTERVAL

# a batch of 400 documents of about 37 KB; late in it, one with malformed
# UTF-8 (a warning) and one over --max-doc-bytes (a failure, the batch goes
# on)
batch "$TMP/in" 100 500
printf 'Serbia \377\376 received drones from China.\n' >"$TMP/in/d420bad.txt"
{ i=0; while [ $i -lt 3 ]; do cat seeds/001_23387ba8e2afde41.txt; i=$((i + 1)); done; } \
  >"$TMP/in/d450big.txt"
ndocs=402
pty() { python3 tests/tools/onpty.py "$TMP/raw" "$TMP/screen" "$@"; }
if ! python3 -c 'import os, pty; m, s = pty.openpty()' 2>/dev/null; then
  echo "ok 1 - progress on a terminal # SKIP no pseudo-terminal on this machine"
  echo "1..1"
  exit 0
fi

# ---- on a terminal --------------------------------------------------------------
pty -- $TIES extract -j 1 --max-doc-bytes 100000 --stats "$TMP/in" >"$TMP/out.tsv"
check_eq "a batch with a failed document exits 1" 1 $?
# (the TSV's first two lines: the provenance comment and the header)
rows=$(($(wc -l <"$TMP/out.tsv") - 2))
# the last line the terminal shows of the progress
last=$(grep 'documents, ' "$TMP/screen" | tail -1)
check_eq "one progress line stays on the screen" 1 "$(grep -c 'documents, ' "$TMP/screen")"
case $last in
"$ndocs/$ndocs documents, "*" MB/s, $rows triples") ok "... all documents of the total, MB/s, the triples written ($rows)" ;;
*) not_ok "... all documents of the total, MB/s, the triples written ($rows)" "line: $last" ;;
esac
# updates drawn over each other before it: fewer documents, and time left
tr '\r' '\n' <"$TMP/raw" | grep -a 'documents, ' >"$TMP/updates"
check_eq "an update for each document, then the last line" "$((ndocs + 1))" \
  "$(wc -l <"$TMP/updates" | tr -d ' ')"
check_grep "... part-way, with the documents of the total and the time left" \
  "^.\[K[0-9]*/$ndocs documents, [0-9.]* MB/s, [0-9]* triples, \(<1s\|[1-9][0-9]*s\|[0-9]*m[0-5][0-9]s\) left$" "$TMP/updates"
# each update clears the line it draws over
check_eq "... each one from the start of a cleared line" 0 \
  "$(grep -a -c -v "^.\[K" "$TMP/updates")"
# a message said during the batch is a line of its own, not glued to the
# progress line
check_grep "the warning of a late document is shown" "d420bad.txt:[0-9]*: .*invalid UTF-8" "$TMP/screen"
check_grep "... at the start of its own line" "^[^ ]*d420bad.txt:[0-9]*: " "$TMP/screen"
check_grep "the failed document is named, at the start of its line" "^[^ ]*d450big.txt: " "$TMP/screen"
check_eq "no line holds both progress and a message" 0 \
  "$(grep -c 'documents, .*\(warning\|d4[25]0\|stats:\)' "$TMP/screen")"
# the rate of the last line is the one --stats reports
mbs_line=$(sed -n 's/.* documents, \([0-9.]*\) MB\/s.*/\1/p' "$TMP/screen" | tail -1)
mbs_stats=$(sed -n 's/.*stats: threads=.* mb_per_s=\([0-9.]*\).*/\1/p' "$TMP/screen")
check "the last line's MB/s ($mbs_line) is --stats' ($mbs_stats), to a tenth" \
  python3 -c "import sys; sys.exit(abs($mbs_line - $mbs_stats) > 0.051)"
at_line=$(grep -n 'documents, ' "$TMP/screen" | cut -d: -f1)
at_stats=$(grep -n 'stats: threads=' "$TMP/screen" | cut -d: -f1)
check "... the --stats lines come after it (lines ${at_line:-none}, ${at_stats:-none})" \
  test "${at_line:-9999}" -lt "${at_stats:-0}"
check_grep "the count of failures ends it, on its own line" "^[^ ]*: 1 input failed$" "$TMP/screen"

# the same batch with stderr in a file: the same output, no progress
$TIES extract -j 1 --max-doc-bytes 100000 "$TMP/in" >"$TMP/out2.tsv" 2>"$TMP/err"
check "stderr not a terminal: the same output" cmp "$TMP/out.tsv" "$TMP/out2.tsv"
check_eq "... and no progress line" 0 "$(grep -a -c 'documents, ' "$TMP/err")"
check_eq "... nor a terminal's escapes" 0 "$(grep -a -c "$(printf '\033')" "$TMP/err")"
check_grep "... the messages are still there" "d450big.txt: " "$TMP/err"

# --quiet on a terminal: nothing at all for a batch without failures
rm "$TMP/in/d420bad.txt" "$TMP/in/d450big.txt"
pty -- $TIES extract -q -j 2 "$TMP/in" >/dev/null
check_eq "--quiet on a terminal: exit 0" 0 $?
check_eq "... and the terminal stays empty" 0 "$(wc -c <"$TMP/raw" | tr -d ' ')"

# the output on the terminal too: no progress line among its rows
pty --stdout -- $TIES extract -j 1 "$TMP/in"
check_eq "output on the terminal: exit 0" 0 $?
check_grep "... the rows are on it" "^d499	.*	rules/" "$TMP/screen"
check_eq "... and no progress line is drawn into them" 0 "$(grep -a -c 'documents, ' "$TMP/raw")"
pty --stdout -- $TIES extract -j 1 -o - "$TMP/in" >/dev/null
check_eq "... nor with -o -" 0 "$(grep -a -c 'documents, ' "$TMP/raw")"
pty --stdout -- $TIES extract -j 1 -o "$TMP/o.tsv" "$TMP/in"
check_grep "with -o FILE the terminal has the progress line" "^400/400 documents, " "$TMP/screen"

# a batch run again with --db: the documents the store has unchanged are
# not work done; the line's rate stays the one --stats reports
$TIES extract -q -j 1 --db "$TMP/st.db" "$TMP/in" >/dev/null
pty -- $TIES extract -j 1 --stats --db "$TMP/st.db" "$TMP/in" >/dev/null
check_grep "a run with every document unchanged: all done, no triple" \
  "^400/400 documents, 0.0 MB/s, 0 triples$" "$TMP/screen"
check_grep "... as --stats says" "mb_per_s=0.00 " "$TMP/screen"

# JSON Lines from a file: the number of documents is not known, the size
# is: how much of it is done, and the time left
# is: how much of it is done, and the time left. Lines end in CRLF, some
# blank lines among them, the last one without its line break: every
# byte is counted, the part done never goes back nor past 99% before the end
python3 - "$TMP/in" "$TMP/all.jsonl" <<'PY'
import json, os, sys
names = sorted(os.listdir(sys.argv[1]))
with open(sys.argv[2], "wb") as f:
    for i, name in enumerate(names):
        text = open(os.path.join(sys.argv[1], name), encoding="utf-8").read()
        line = json.dumps({"id": name, "text": text}).encode("utf-8")
        f.write(line + (b"\r\n" if i + 1 < len(names) else b""))
        if i % 50 == 7:
            f.write(b"\r\n\r\n")
PY
pty -- $TIES extract --jsonl -j 1 "$TMP/all.jsonl" >"$TMP/all.tsv"
check_eq "JSON Lines from a file: exit 0" 0 $?
tr '\r' '\n' <"$TMP/raw" | grep -a 'documents, ' >"$TMP/updates"
check_grep "... part-way: documents, MB/s, triples, the part of the file done, the time left" \
  "^.\[K[0-9]* documents, [0-9.]* MB/s, [0-9]* triples, [0-9]*%, \(<1s\|[1-9][0-9]*s\|[0-9]*m[0-5][0-9]s\) left$" \
  "$TMP/updates"
python3 - "$TMP/updates" >"$TMP/parts" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.search(r"triples, ([0-9]+)%,", line)
    if m:
        print(m.group(1))
PY
check_eq "... an update with the part done for each document but the last" 399 \
  "$(wc -l <"$TMP/parts" | tr -d ' ')"
check "... the part done never goes back" sort -n -c "$TMP/parts"
check_eq "... and is 99% before the last document" 99 "$(tail -1 "$TMP/parts")"
check_grep "... the last line: every document, no time left" \
  "^400 documents, [0-9.]* MB/s, $(($(wc -l <"$TMP/all.tsv") - 2)) triples$" "$TMP/screen"

# JSON Lines on stdin: the total is not known; documents, MB/s, triples
python3 - "$TMP/docs.jsonl" <<'PY'
import json, sys
text = open("seeds/000_4dbad56632bd6bef.txt", encoding="utf-8").read()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(7):
        f.write(json.dumps({"id": "n%d" % i, "text": text}) + "\n")
PY
pty --stdin "$TMP/docs.jsonl" -- $TIES extract --jsonl -j 1 >"$TMP/j.tsv"
check_eq "JSON Lines on stdin: exit 0" 0 $?
jrows=$(($(wc -l <"$TMP/j.tsv") - 2))
check_grep "... the line counts documents without a total" \
  "^7 documents, [0-9.]* MB/s, $jrows triples$" "$TMP/screen"
finish
