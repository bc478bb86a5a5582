# t_fuzz.sh — the fuzz targets' seeds and every regression input of
# tests/fuzz/regress/ replayed through the targets (built by `make
# fuzz-replay` beside $TIES, with the same compiler and sanitizers): an
# input that once crashed, hung or leaked stays a test. REPLAY_WRAP runs
# them under a tool (tests/valgrind.sh sets valgrind).
. tests/lib.sh

dir=${FUZZ_REPLAY_DIR:-$(dirname "$TIES")/fuzz}
for t in doc rules gazetteer jsonl; do
  bin=$dir/replay_$t
  if [ ! -x "$bin" ]; then
    _n=$((_n + 1)); echo "ok $_n - replay $t # SKIP $bin not built (make fuzz-replay)"
    continue
  fi
  for set in corpus regress; do
    d=tests/fuzz/$set/$t
    [ -d "$d" ] && [ -n "$(ls "$d")" ] || continue
    check "replay $t: tests/fuzz/$set/$t ($(ls "$d" | wc -l) inputs)" \
      ${REPLAY_WRAP:-} "$bin" "$d"
  done
done
finish
