# t_corpus.sh — the rules on the sentence corpora of tests/corpus/: sentences
# written apart from the seeds, each with the triples it states and the ones an
# extractor must not read into it. The floors below are what the rules reach
# now, less a margin; a change that loses generality fails here.
. tests/lib.sh

ge() { python3 -c "import sys; sys.exit(0 if float('$1') >= float('$2') else 1)"; }
for c in tests/corpus/sentences*.tsv; do
  name=$(basename "$c" .tsv)
  python3 tests/tools/corpus.py jsonl "$c" >"$TMP/$name.jsonl"
  $TIES extract -q --jsonl "$TMP/$name.jsonl" >"$TMP/$name.tsv"
  python3 tests/tools/corpus.py score "$TMP/$name.tsv" "$c" >"$TMP/$name.score"
  line=$(tail -1 "$TMP/$name.score")
  echo "# $name: $line"
  rate=$(echo "$line" | sed -n 's/.* = \([0-9.]*\);.*/\1/p')
  forb=$(echo "$line" | sed -n 's/.*forbidden emitted \([0-9]*\).*/\1/p')
  case $name in
    sentences) floor=0.79 ;;
    sentences2) floor=0.75 ;;
    sentences3) floor=0.43 ;;
    *) floor=0.50 ;;
  esac
  check "$name: expected triples found >= $floor ($rate)" ge "$rate" "$floor"
  check_eq "$name: no forbidden triple" 0 "$forb"
done
finish
