# t_output.sh — output is all or nothing: a full disk (ENOSPC), a file size
# limit and an interruption (SIGINT in the middle of a batch) are errors,
# and no partial file is left under the output's name; an existing output
# is kept; the --db store stays consistent and a second run completes it.
. tests/lib.sh

skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
# a batch of 300 distinct documents: a few seconds of work for -j1
batch "$TMP/in" 100 400
leftovers() { ls "$1" | grep -c '\.tmp\.' ; }

# ---- a full disk ------------------------------------------------------------
# stdout on /dev/full: every write fails with ENOSPC
$TIES extract "$TMP/in/d100.txt" >/dev/full 2>"$TMP/e"
check_eq "stdout on a full device: exit status 2" 2 $?
check_grep "... with the reason" "stdout: No space left on device" "$TMP/e"

# -o FILE on a 64 KB file system (needs mount: root, and a container that
# allows it)
mkdir -p "$TMP/full"
if mount -t tmpfs -o size=64k tmpfs "$TMP/full" 2>/dev/null; then
  echo "old output" >"$TMP/full/out.tsv"
  $TIES extract -q -o "$TMP/full/out.tsv" "$TMP/in" >/dev/null 2>"$TMP/e"
  check_eq "-o on a full disk: exit status 2" 2 $?
  check_grep "... ENOSPC is reported with the file" "full/out.tsv: No space left on device" "$TMP/e"
  check_eq "... the previous output is left as it was" "old output" "$(cat "$TMP/full/out.tsv")"
  check_eq "... no temporary file is left" 0 "$(leftovers "$TMP/full")"
  rm -f "$TMP/full/out.tsv"
  $TIES extract -q -o "$TMP/full/new.tsv" "$TMP/in" >/dev/null 2>"$TMP/e"
  check "... a new output is not created at all" test ! -e "$TMP/full/new.tsv"
  $TIES extract -q --format ttl -o "$TMP/full/out.ttl" "$TMP/in" >/dev/null 2>"$TMP/e"
  check_eq "... the same for Turtle: exit status 2" 2 $?
  check "... and no file" test ! -e "$TMP/full/out.ttl"
  check_eq "... and no temporary file" 0 "$(leftovers "$TMP/full")"
  umount "$TMP/full"
else
  skip "-o on a full disk (tmpfs)" "cannot mount a tmpfs here"
fi

# the same path through a file size limit (no privileges needed): writes
# fail with EFBIG once the file reaches 16 KB
echo "old output" >"$TMP/out.tsv"
(ulimit -f 32; trap '' XFSZ; exec $TIES extract -q -o "$TMP/out.tsv" "$TMP/in") >/dev/null 2>"$TMP/e"
check_eq "-o over the file size limit: exit status 2" 2 $?
check_grep "... reported with the file" "out.tsv: File too large" "$TMP/e"
check_eq "... the previous output is left as it was" "old output" "$(cat "$TMP/out.tsv")"
check_eq "... no temporary file is left" 0 "$(leftovers "$TMP")"

# ---- SIGINT in the middle of a batch ------------------------------------------
rm -f "$TMP/out.tsv"
$TIES extract -q -j1 -o "$TMP/out.tsv" --db "$TMP/st.db" "$TMP/in" >/dev/null 2>"$TMP/e" &
pid=$!
# interrupt once the store has taken some documents
n=0
while [ $n -lt 200 ]; do
  sleep 0.05
  [ -s "$TMP/st.db" ] && [ "$(sqlite3 "$TMP/st.db" 'select count(*) from documents' 2>/dev/null || echo 0)" -gt 2 ] && break
  n=$((n + 1))
done
kill -INT $pid
wait $pid
rc=$?
check_eq "SIGINT: exit status 130" 130 $rc
check_grep "... said, with what was done" "interrupted after [0-9]* documents; nothing written" "$TMP/e"
check "... no output file" test ! -e "$TMP/out.tsv"
check_eq "... no temporary file" 0 "$(leftovers "$TMP")"
done_n=$(sed -n 's/.*interrupted after \([0-9]*\) documents.*/\1/p' "$TMP/e")
check_eq "... the store is consistent" ok "$(sqlite3 "$TMP/st.db" 'PRAGMA integrity_check')"
check_eq "... it holds the documents written before the signal" "$done_n" \
  "$(sqlite3 "$TMP/st.db" 'select count(*) from documents')"
check "... fewer than all of them" test "$done_n" -lt 300
check_eq "... each with all of its triples" 0 "$(sqlite3 "$TMP/st.db" \
  'select count(*) from documents d where d.n_triples != (select count(*) from triples t where t.doc = d.id)')"
# a second run completes the batch: the stored documents are skipped
$TIES extract -q -o "$TMP/out.tsv" --db "$TMP/st.db" "$TMP/in" >/dev/null 2>"$TMP/e"
check_eq "a second run completes the batch: exit status 0" 0 $?
check_eq "... the store holds every document" 300 "$(sqlite3 "$TMP/st.db" 'select count(*) from documents')"
check "... the output is written" test -s "$TMP/out.tsv"
finish
