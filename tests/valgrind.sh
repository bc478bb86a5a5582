#!/bin/sh
# valgrind.sh — test suites under valgrind memcheck (`make valgrind`).
#
#   sh tests/valgrind.sh SUITE...     (names as for tests/run.sh)
#
# build/ties is wrapped in a script that runs it under memcheck with a full
# leak check; the fuzz targets' replays (t_fuzz) run under it too. Any
# error or definite/indirect leak is written to build/valgrind/vg.PID, and
# a non-empty log fails the run whatever the test said. Known reports
# from the libraries (not from ties) are in tests/valgrind.supp.
set -u
root=$(pwd)
dir=$root/build/valgrind
rm -rf "$dir"
mkdir -p "$dir"
chmod 1777 "$dir" # suites run some commands as nobody
vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --suppressions=$root/tests/valgrind.supp --log-file=$dir/vg.%p"
cat >"$dir/ties" <<EOW
#!/bin/sh
exec $vg $root/build/ties "\$@"
EOW
chmod 755 "$dir/ties"
TIES=$dir/ties
REPLAY_WRAP=$vg
FUZZ_REPLAY_DIR=$root/build/fuzz
TIES_SANITIZED=1
TIES_TIME_FACTOR=40
export TIES REPLAY_WRAP FUZZ_REPLAY_DIR TIES_SANITIZED TIES_TIME_FACTOR
start=$(date +%s)
out=$(mktemp)
sh tests/run.sh "$@" | tee "$out"
last=$(tail -1 "$out")
rm -f "$out"
case $last in *" passed, 0 failed") rc=0 ;; *) rc=1 ;; esac
n=0
for f in "$dir"/vg.*; do
  [ -s "$f" ] || continue
  n=$((n + 1))
  echo "--- $f"
  head -60 "$f"
done
[ "$n" -gt 0 ] && rc=1
echo "valgrind: $n report(s) ($(( $(date +%s) - start ))s)"
# the last line, as for tests/run.sh: a report counts as a failure
p=${last%% passed*}
f=${last#*passed, }
f=${f%% failed*}
case $p$f in *[!0-9]*|'') p=0; f=1 ;; esac
echo "$p passed, $((f + n)) failed"
exit $rc
