#!/bin/sh
# sanitize.sh — every test suite against the AddressSanitizer and
# UndefinedBehaviorSanitizer build (`make asan` builds it, then runs this).
#
#   sh tests/sanitize.sh [BUILD_DIR] [SUITE...]     (default build-asan, all)
#
# A sanitizer report fails the run even when the test around it passed (a
# test that expects a failing status cannot tell a crash from a refusal):
# reports go to BUILD_DIR/san-logs/ and any file there is a failure. Leaks
# are errors (LeakSanitizer; tests/lsan.supp lists the known open ones,
# in code this suite may not change). Suites skip what is too slow here when
# TIES_SANITIZED is set (the million-row gazetteer).
set -u
b=${1:-build-asan}
[ $# -gt 0 ] && shift
logs=$(pwd)/$b/san-logs
rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs" # suites run some commands as nobody
ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$logs/asan:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$logs/ubsan"
LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
TIES=$b/ties
UNIT_DIR=$b/tests
TIES_SANITIZED=1
TIES_TIME_FACTOR=4
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TIES UNIT_DIR TIES_SANITIZED TIES_TIME_FACTOR
start=$(date +%s)
out=$(mktemp)
sh tests/run.sh "$@" | tee "$out"
last=$(tail -1 "$out")
rm -f "$out"
case $last in *" passed, 0 failed") rc=0 ;; *) rc=1 ;; esac
n=$(find "$logs" -type f | wc -l)
if [ "$n" -gt 0 ]; then
  echo "sanitizers: $n report(s) in $logs:"
  for f in "$logs"/*; do
    echo "--- $f"
    head -40 "$f"
  done
  rc=1
fi
echo "sanitizers: $n reports ($(( $(date +%s) - start ))s)"
# the last line, as for tests/run.sh: a report counts as a failure
p=${last%% passed*}
f=${last#*passed, }
f=${f%% failed*}
case $p$f in *[!0-9]*|'') p=0; f=1 ;; esac
echo "$p passed, $((f + n)) failed"
exit $rc
