#!/bin/sh
# run.sh — run the libFuzzer targets of tests/fuzz/, one after the other.
#
#   sh tests/fuzz/run.sh SECONDS BUILD_DIR TARGET...   (from the repository root)
#   sh tests/fuzz/run.sh --available    status 0 when clang can link -fsanitize=fuzzer
#
# Each target starts from its seeds (tests/fuzz/corpus/T/) and regression
# inputs (tests/fuzz/regress/T/); what it finds is kept in BUILD_DIR/corpus/T/
# so that the next run goes on from there (FUZZ_FRESH=1, as fuzz-smoke
# does, starts from the seeds alone, in a scratch directory: a grown corpus
# takes minutes just to load). One process per target
# (-workers=1, niced): the machines this runs on are shared. A crash, a leak,
# a sanitizer report, a timeout (an input that takes more than FUZZ_TIMEOUT
# seconds: a hang) or running out of FUZZ_RSS_MB fails the target; the input
# is left in BUILD_DIR/crash-T-* and belongs in tests/fuzz/regress/T/ once
# fixed. The log of each run is BUILD_DIR/fuzz-T.log; its last lines (libFuzzer's
# -print_final_stats) give the executions, recorded in tests/fuzz/README.md.
set -u
LC_ALL=C
export LC_ALL

if [ "${1:-}" = "--available" ]; then
  cc=${FUZZ_CC:-clang}
  command -v "$cc" >/dev/null 2>&1 || exit 1
  d=$(mktemp -d) || exit 1
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$d/t.c"
  "$cc" -fsanitize=fuzzer,address,undefined "$d/t.c" -o "$d/t" >/dev/null 2>&1
  rc=$?
  rm -rf "$d"
  exit $rc
fi

secs=$1
b=$2
shift 2
timeout_s=${FUZZ_TIMEOUT:-25}
rss=${FUZZ_RSS_MB:-2560}
pass=0
fail=0

max_len() {
  case $1 in
    doc) echo 16384 ;;
    rules) echo 32768 ;;
    *) echo 8192 ;;
  esac
}

for t in "$@"; do
  bin=$b/fuzz/fuzz_$t
  log=$b/fuzz-$t.log
  work=$b/corpus/$t
  if [ "${FUZZ_FRESH:-0}" = 1 ]; then
    work=$b/smoke/$t
    log=$b/smoke/fuzz-$t.log
    rm -rf "$work"
  fi
  mkdir -p "$work" tests/fuzz/regress/$t
  dict=
  [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
  start=$(date +%s)
  # libFuzzer writes its reports to stderr; keep them whole in the log
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  nice -n 10 "$bin" -max_total_time="$secs" -timeout="$timeout_s" \
    -rss_limit_mb="$rss" -max_len="$(max_len "$t")" -print_final_stats=1 \
    -artifact_prefix="$b/crash-$t-" $dict \
    "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1)
  el=$(( $(date +%s) - start ))
  if [ "$rc" -eq 0 ]; then
    pass=$((pass + 1))
    printf 'fuzz_%-10s ok: %s runs in %ds, %s, no crash\n' "$t" "${runs:-?}" "$el" "${cov:-cov: ?}"
  else
    fail=$((fail + 1))
    printf 'fuzz_%-10s FAILED (status %d) after %s runs; log: %s\n' "$t" "$rc" "${runs:-?}" "$log"
    grep -aE 'ERROR|SUMMARY|Test unit written|^    #[0-9]' "$log" | head -30 | sed 's/^/    /'
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
