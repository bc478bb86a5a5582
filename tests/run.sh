#!/bin/sh
# run.sh — every test suite of ties; prints "N passed, N failed" at the end.
#
#   sh tests/run.sh [SUITE...]     (from the repository root; default: all)
#
# Suites print TAP: the C unit tests (cmocka, built into build/tests/), the
# rules' own examples (ties test --tap), and the shell suites of tests/cli/.
# A failing test's lines are shown in full; passing ones only counted. Set
# VERBOSE=1 to see every line.
set -u
LC_ALL=C
export LC_ALL
TIES=${TIES:-build/ties}
export TIES
UNIT_DIR=${UNIT_DIR:-build/tests}
out=${TMPDIR:-/tmp}/ties-run.$$
trap 'rm -f "$out"' EXIT
pass=0
fail=0
suites_failed=""

run_suite() {
  name=$1; shift
  start=$(date +%s)
  "$@" >"$out" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$out")
  f=$(grep -c '^not ok ' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    # a suite that died without a failing test line still fails
    f=1
    echo "not ok - $name exited with status $rc" >>"$out"
  fi
  pass=$((pass + p))
  fail=$((fail + f))
  secs=$(( $(date +%s) - start ))
  printf '%-28s %4d passed, %d failed  (%ds)\n' "$name" "$p" "$f" "$secs"
  if [ "$f" -ne 0 ] || [ "${VERBOSE:-0}" = 1 ]; then
    # the failing tests with their diagnostics
    awk '/^not ok /{show=1; print; next} /^ok /{show=0} show && /^#/{print}' "$out" | sed 's/^/    /'
    [ "$f" -ne 0 ] && suites_failed="$suites_failed $name"
  fi
}

want() {
  [ $# -eq 0 ] && return 0
  for w in "$@"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

selected="$*"
sel() {
  [ -z "$selected" ] && return 0
  for w in $selected; do [ "$w" = "$1" ] && return 0; done
  return 1
}

if sel unit; then
  for t in "$UNIT_DIR"/unit_*; do
    [ -x "$t" ] || continue
    run_suite "$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
  done
fi
if sel rules; then
  run_suite "rules (ties test)" "$TIES" test --tap
fi
for s in tests/cli/*.sh; do
  [ -f "$s" ] || continue
  n=$(basename "$s" .sh)
  sel "$n" || sel cli || continue
  run_suite "$n" sh "$s"
done

echo
[ -n "$suites_failed" ] && echo "failing suites:$suites_failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
