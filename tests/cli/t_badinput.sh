# t_badinput.sh — malformed input gets a clear message naming the file and
# place; the other files are still processed.
. tests/lib.sh

mkdir -p "$TMP/in"
printf 'China donated \377 arms to Serbia.\n' >"$TMP/in/a_invalid.txt"
: >"$TMP/in/b_empty.txt"
printf '\177ELF\002\001\001\000\000\000\000\000' >"$TMP/in/c_binary.txt"
printf '\377\376C\000h\000i\000n\000a\000' >"$TMP/in/d_utf16.txt"
printf 'Beijing donated ten patrol boats to Cambodia.\n' >"$TMP/in/e_good.txt"
printf 'Moscow sold S-400 systems to India.\000\000 And more.\n' >"$TMP/in/f_nul.txt"

$TIES extract "$TMP/in" "$TMP/nosuch.txt" >"$TMP/out.tsv" 2>"$TMP/err"
check_eq "failed inputs make exit status 1" 1 $?
check_grep "invalid UTF-8 reported as FILE:BYTE" "a_invalid.txt:14: warning: invalid UTF-8" "$TMP/err"
check_grep "the invalid file is still processed" "a_invalid	0	.*CHN	donated	SRB" "$TMP/out.tsv"
check_grep "the evidence shows U+FFFD for the bad byte" "donated � arms to Serbia" "$TMP/out.tsv"
check_grep "an empty file is reported" "b_empty.txt: warning: empty document" "$TMP/err"
check_grep "a binary file is refused with its kind" "c_binary.txt: error: binary file: an ELF executable" "$TMP/err"
check_grep "UTF-16 is refused with the conversion to use" "d_utf16.txt: error: UTF-16 text (byte order mark at byte 0); convert it to UTF-8" "$TMP/err"
check_grep "a missing file is reported" "nosuch.txt: No such file or directory" "$TMP/err"
check_grep "the good file is still extracted" "e_good	0	.*CHN	donated	KHM" "$TMP/out.tsv"
check_grep "NUL bytes are reported with their offset" "f_nul.txt:35: warning: 2 NUL bytes treated as spaces" "$TMP/err"
check_grep "a file with NULs is still extracted" "f_nul	0	.*RUS	sold	IND" "$TMP/out.tsv"
check_grep "a count of failures ends the run" "3 inputs failed" "$TMP/err"

# an unreadable file (root reads anything: run as nobody then), the rest
# still extracted
chmod -R a+rX "$TMP"
printf 'China sold arms to Serbia.\n' >"$TMP/unreadable.txt"
chmod 000 "$TMP/unreadable.txt"
as_user=
if [ "$(id -u)" -eq 0 ]; then
  as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
  $as_user true 2>/dev/null || as_user="skip"
fi
if [ "$as_user" = skip ]; then
  _n=$((_n + 1)); echo "ok $_n - an unreadable file # SKIP cannot drop root here"
else
  $as_user $TIES extract "$TMP/unreadable.txt" "$TMP/in/e_good.txt" >"$TMP/out.tsv" 2>"$TMP/err"
  check_eq "an unreadable file makes exit status 1" 1 $?
  check_grep "an unreadable file is reported with the reason" "unreadable.txt: Permission denied" "$TMP/err"
  check_grep "the readable one is still extracted" "e_good	0	.*CHN	donated	KHM" "$TMP/out.tsv"
fi

# a directory that loops through symbolic links: each file once, the loop
# said and not followed
mkdir -p "$TMP/loop/a"
printf 'Beijing donated ten patrol boats to Cambodia.\n' >"$TMP/loop/a/doc.txt"
ln -s .. "$TMP/loop/a/up"
ln -s ../a "$TMP/loop/a/again"
$TIES extract "$TMP/loop" >"$TMP/out.tsv" 2>"$TMP/err"
check_eq "a symlink loop is not an error: exit status 0" 0 $?
check_grep "the loop is reported" "loop/a/up: directory loop (already visited as .*/loop); skipped" "$TMP/err"
check_grep "the second way in is reported" "loop/a/again: directory loop (already visited as .*/loop/a); skipped" "$TMP/err"
check_eq "the file is extracted once" 1 "$(grep -c '^doc	.*KHM' "$TMP/out.tsv")"
finish
