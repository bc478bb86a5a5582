# lib.sh — TAP helpers for the shell suites (sourced).
#
#   check "description" command args...    passes when the command succeeds
#   check_eq "description" expected actual
#   check_grep "description" pattern file
#   finish                                   prints the plan; exit status
#
# Suites run from the repository root with LC_ALL=C; $TIES is the binary under
# test (build/ties by default, the sanitizer build in `make asan`).
LC_ALL=C
export LC_ALL
TIES=${TIES:-build/ties}
TMP=${TMPDIR:-/tmp}/ties-test.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
_n=0
_failed=0

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() {
  _n=$((_n + 1)); _failed=$((_failed + 1))
  echo "not ok $_n - $1"
  shift
  for _l in "$@"; do printf '%s\n' "$_l" | sed 's/^/#   /'; done
}
check() {
  _d=$1; shift
  if "$@" >"$TMP/out" 2>&1; then ok "$_d"; else not_ok "$_d" "command: $*" "$(head -c 3000 "$TMP/out")"; fi
}
check_fails() {
  _d=$1; shift
  if "$@" >"$TMP/out" 2>&1; then not_ok "$_d" "expected failure: $*" "$(head -c 2000 "$TMP/out")"; else ok "$_d"; fi
}
check_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}
check_grep() {
  if grep -q -- "$2" "$3"; then ok "$1"; else not_ok "$1" "no line matching '$2' in $3:" "$(head -c 2000 "$3")"; fi
}
check_no_grep() {
  if grep -q -- "$2" "$3"; then not_ok "$1" "unexpected line matching '$2' in $3:" "$(grep -- "$2" "$3" | head -5)"; else ok "$1"; fi
}
# check_diff "description" expected-file actual-file
check_diff() {
  if diff -u "$2" "$3" >"$TMP/diff" 2>&1; then ok "$1"; else not_ok "$1" "$(head -c 4000 "$TMP/diff")"; fi
}
# batch DIR FROM TO — documents DIR/dFROM.txt .. dTO-1.txt, each the longer
# seed (37 KB) with a line of its own, so that no two are the same
batch() {
  mkdir -p "$1"
  _i=$2
  while [ "$_i" -lt "$3" ]; do
    { cat seeds/001_23387ba8e2afde41.txt; echo "Document $_i."; } >"$1/d$_i.txt"
    _i=$((_i + 1))
  done
}
finish() {
  echo "1..$_n"
  [ "$_failed" -eq 0 ]
}
