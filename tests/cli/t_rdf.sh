# t_rdf.sh — RDF output (--format nt, nq, ttl) and the vocabulary rules/ties.ttl:
# validated with rapper (Raptor), queried with roqet (Rasqal).
. tests/lib.sh

T=https://ties.example.org
P="PREFIX ties: <$T/vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX id: <$T/id/>"

# query FILE... < QUERY: roqet's CSV answers over the files, without the header row
query() {
  cat >"$TMP/q.rq"
  _args=""
  for _f in "$@"; do _args="$_args -D $_f"; done
  # shellcheck disable=SC2086
  roqet -q -r csv $_args "$TMP/q.rq" 2>"$TMP/roqet.err" | tr -d '\r' | sed 1d
}

$TIES extract seeds/ >"$TMP/seeds.tsv"
hash=$(sed -n 's/^# ties [^ ]* rules=\([0-9a-f]*\) .*/\1/p' "$TMP/seeds.tsv")
rows=$(grep -vc '^#\|^doc	' "$TMP/seeds.tsv")

# ---- the three syntaxes ------------------------------------------------------
for f in nt nq ttl; do
  $TIES extract --format $f seeds/ >"$TMP/seeds.$f" 2>"$TMP/err.$f"
  check_eq "rdf-1.1.$f extract --format $f seeds/ exits 0" 0 $?
done
$TIES extract --format help >"$TMP/help"
check_grep "rdf-1.2 --format help lists nt" '^  nt ' "$TMP/help"
check_grep "rdf-1.3 --format help lists nq" '^  nq ' "$TMP/help"
check_grep "rdf-1.4 --format help lists ttl" '^  ttl ' "$TMP/help"

# rapper: no error, no warning (exit status 0), and the count
count() { # syntax file → triples, or "failed"
  if rapper -i "$1" -c "$2" >"$TMP/rapper.out" 2>&1; then
    sed -n 's/.*Parsing returned \([0-9]*\) triple.*/\1/p' "$TMP/rapper.out"
  else
    echo failed
  fi
}
n_nt=$(count ntriples "$TMP/seeds.nt")
n_nq=$(count nquads "$TMP/seeds.nq")
n_ttl=$(count turtle "$TMP/seeds.ttl")
case $n_nt in ''|failed|0) not_ok "rdf-2.1 rapper reads the N-Triples" "$(head -c 2000 "$TMP/rapper.out")" ;; *) ok "rdf-2.1 rapper reads the N-Triples ($n_nt triples)" ;; esac
check_eq "rdf-2.2 N-Quads: as many statements as N-Triples" "$n_nt" "$n_nq"
check_eq "rdf-2.3 Turtle: as many triples as N-Triples" "$n_nt" "$n_ttl"
check_no_grep "rdf-2.4 no warnings from the writer" '.' "$TMP/err.ttl"

# the same graph in all three (Raptor's N-Triples, sorted)
for f in nt:ntriples nq:nquads ttl:turtle; do
  rapper -q -i "${f#*:}" -o ntriples "$TMP/seeds.${f%%:*}" | sort >"$TMP/canon.${f%%:*}"
done
check_diff "rdf-2.5 Turtle holds the same graph as N-Triples" "$TMP/canon.nt" "$TMP/canon.ttl"
check_diff "rdf-2.6 N-Quads holds the same triples as N-Triples" "$TMP/canon.nt" "$TMP/canon.nq"

# one statement node per TSV row, and the asserted triples beside them
n_stmt=$(grep -c "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> \.$" "$TMP/seeds.nt")
check_eq "rdf-3.1 one rdf:Statement per TSV row" "$rows" "$n_stmt"
n_fact=$(grep -c "^<$T/id/[^>]*> <$T/vocab#[a-z_]*> <$T/id/[^>]*> \.$" "$TMP/seeds.nt")
check_eq "rdf-3.2 every asserted triple is also stated plainly" "$rows" "$n_fact"
check_grep "rdf-3.3 the triple itself" "^<$T/id/CHN> <$T/vocab#donated> <$T/id/SRB> \.$" "$TMP/seeds.nt"
check_grep "rdf-3.4 statement IRIs: doc, sentence, span, hash" \
  "^<$T/stmt/000_4dbad56632bd6bef/[0-9]*-[0-9]*-[0-9]*-[0-9a-f]\{12\}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <$T/id/CHN> \.$" "$TMP/seeds.nt"
check_grep "rdf-3.5 byte offsets are xsd:integer" \
  "<$T/vocab#start> \"[0-9]*\"^^<http://www.w3.org/2001/XMLSchema#integer> \.$" "$TMP/seeds.nt"

# entities: described once, with types, labels, codes and states
dups=$(grep "^<$T/id/[^>]*> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " "$TMP/seeds.nt" | cut -d' ' -f1 | sort | uniq -d)
check_eq "rdf-4.1 each entity is described once" "" "$dups"
check_grep "rdf-4.2 a country: class" "^<$T/id/CHN> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <$T/vocab#Country> \.$" "$TMP/seeds.nt"
check_grep "rdf-4.3 a country: label" "^<$T/id/CHN> <http://www.w3.org/2000/01/rdf-schema#label> \"China\" \.$" "$TMP/seeds.nt"
check_grep "rdf-4.4 a country: alpha-2" "^<$T/id/CHN> <$T/vocab#isoAlpha2> \"CN\" \.$" "$TMP/seeds.nt"
check_grep "rdf-4.5 a country: numeric" "^<$T/id/CHN> <$T/vocab#isoNumeric> \"156\" \.$" "$TMP/seeds.nt"
check_grep "rdf-4.6 an organisation: ':' becomes '/', acts for its state" "^<$T/id/org/plan> <$T/vocab#actsFor> <$T/id/CHN> \.$" "$TMP/seeds.nt"
check_grep "rdf-4.7 a person acts for a state" "^<$T/id/person/wang-yi> <$T/vocab#actsFor> <$T/id/CHN> \.$" "$TMP/seeds.nt"
check_grep "rdf-4.8 a platform has its class" "^<$T/id/platform/type-053h3> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <$T/vocab#Platform> \.$" "$TMP/seeds.nt"
check_grep "rdf-4.9 the item qualifier points at the platform" "<$T/vocab#item> <$T/id/platform/type-053h3> \.$" "$TMP/seeds.nt"

# N-Quads: a graph per document for what it states; the shared rest in the default graph
graphs=$(grep "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> <" "$TMP/seeds.nq" | sed 's/.* <\([^>]*\)> \.$/\1/' | sort -u | tr '\n' ' ')
check_eq "rdf-5.1 N-Quads: statements in the graph of their document" \
  "$T/doc/000_4dbad56632bd6bef $T/doc/001_23387ba8e2afde41 " "$graphs"
check_grep "rdf-5.2 N-Quads: the triple in its document's graph" "^<$T/id/CHN> <$T/vocab#donated> <$T/id/SRB> <$T/doc/000_4dbad56632bd6bef> \.$" "$TMP/seeds.nq"
check_grep "rdf-5.3 N-Quads: entities in the default graph" "^<$T/id/CHN> <http://www.w3.org/2000/01/rdf-schema#label> \"China\" \.$" "$TMP/seeds.nq"
bad=$(grep "^<$T/stmt/" "$TMP/seeds.nq" | grep -vc "^<$T/stmt/\([^/]*\)/.* <$T/doc/\1> \.$")
check_eq "rdf-5.4 N-Quads: every statement quad is in its own document's graph" 0 "$bad"

# ---- the vocabulary ------------------------------------------------------------
check "rdf-6.1 rapper reads rules/ties.ttl" rapper -q -i turtle -c rules/ties.ttl
python3 scripts/gen-vocab.py rules/relations.tsv >"$TMP/ties.ttl"
check_diff "rdf-6.2 rules/ties.ttl is up to date (make vocab)" rules/ties.ttl "$TMP/ties.ttl"
preds=$(grep -v '^#' rules/relations.tsv | awk -F'\t' 'NR > 1 {print $1}' | sort | tr '\n' ' ')
got=$(query rules/ties.ttl <<EOF | sort | tr '\n' ' '
$P
SELECT ?p WHERE { ?p a owl:ObjectProperty ; rdfs:domain ?d . FILTER(STRSTARTS(STR(?p), "$T/vocab#")) }
EOF
)
got=$(echo "$got" | sed "s|$T/vocab#||g")
want=$(printf '%s\n' $preds actsFor item locatedIn madeBy | sort | tr '\n' ' ')
check_eq "rdf-6.3 the vocabulary declares every predicate of relations.tsv" "$want" "$got"
sym=$(grep -v '^#' rules/relations.tsv | awk -F'\t' 'NR > 1 && $2 == "yes" {print $1}' | sort | tr '\n' ' ')
got=$(query rules/ties.ttl <<EOF | sed "s|$T/vocab#||" | sort | tr '\n' ' '
$P
SELECT ?p WHERE { ?p a owl:SymmetricProperty }
EOF
)
check_eq "rdf-6.4 symmetric predicates are owl:SymmetricProperty" "$sym" "$got"
# every term of the vocabulary namespace the output uses is declared
grep -o "<$T/vocab#[A-Za-z_]*>" "$TMP/seeds.nt" | sort -u | sed "s|<$T/vocab#||; s|>||" >"$TMP/used"
undeclared=""
for t in $(cat "$TMP/used"); do
  grep -q "^ties:$t a " rules/ties.ttl || undeclared="$undeclared $t"
done
check_eq "rdf-6.5 every ties: term of the output is declared in rules/ties.ttl" "" "$undeclared"

# ---- SPARQL (roqet over the Turtle output) -----------------------------------------
got=$(query "$TMP/seeds.ttl" <<EOF | sort | tr '\n' ' '
$P
SELECT DISTINCT ?code WHERE {
  { ?st rdf:subject id:CHN } UNION { ?st rdf:subject ?giver . ?giver ties:actsFor id:CHN }
  ?st rdf:predicate ties:donated ; rdf:object ?state ; ties:evidence ?evidence ;
      ties:modality "asserted" .
  ?state a ties:Country ; ties:isoAlpha3 ?code .
}
EOF
)
check_eq "rdf-7.1 SPARQL: every state China donated to in the seeds" \
  "CIV GHA LBR LKA NPL PHL SRB " "$got"
tsv=$(awk -F'\t' '$5 == "CHN" && $6 == "donated" {print $7}' "$TMP/seeds.tsv" | sort -u | tr '\n' ' ')
check_eq "rdf-7.2 SPARQL answers agree with the TSV" "$tsv" "$got"
got=$(query "$TMP/seeds.ttl" <<EOF
$P
SELECT ?evidence WHERE {
  ?st rdf:subject id:CHN ; rdf:predicate ties:donated ; rdf:object id:SRB ; ties:evidence ?evidence .
}
EOF
)
check_eq "rdf-7.3 SPARQL: the evidence comes with the answer" \
  '"Beijing, for instance, donated USD 1 million in equipment to Serbia"' "$got"

row=$(awk -F'\t' '$5 == "CHN" && $6 == "donated" && $7 == "SRB"' "$TMP/seeds.tsv" | head -1)
want=$(echo "$row" | awk -F'\t' -v h="$hash" -v t="$T" '{print $10 "," $11 "," h "," $3 "," $4 "," t "/doc/" $1 ",USD 1000000"}')
got=$(query "$TMP/seeds.ttl" <<EOF
$P
SELECT ?rule ?source ?ruleset ?start ?end ?doc ?amount WHERE {
  ?st rdf:subject id:CHN ; rdf:predicate ties:donated ; rdf:object id:SRB ;
      ties:rule ?rule ; ties:ruleSource ?source ; ties:ruleset ?ruleset ;
      ties:start ?start ; ties:end ?end ; ties:amount ?amount ;
      prov:wasDerivedFrom ?doc ; prov:wasGeneratedBy ?run .
  ?doc a ties:Document .
  ?run a prov:Activity ; prov:used ?rs .
  ?rs a ties:RuleSet ; ties:sha256 ?ruleset .
}
EOF
)
check_eq "rdf-7.4 SPARQL: provenance of CHN donated SRB (rule, source, rule set, span, document)" "$want" "$got"

# with the vocabulary: the asserted triples whose predicate is symmetric
want=$(awk -F'\t' -v s=" $sym" 'NR > 2 && index(s, " " $6 " ")' "$TMP/seeds.tsv" | wc -l | tr -d ' ')
got=$(query "$TMP/seeds.ttl" rules/ties.ttl <<EOF
$P
SELECT (COUNT(?st) AS ?n) WHERE {
  ?st a rdf:Statement ; rdf:predicate ?p ; ties:modality "asserted" . ?p a owl:SymmetricProperty .
}
EOF
)
check_eq "rdf-7.5 SPARQL over output and vocabulary: statements of symmetric predicates" "$want" "$got"
got=$(query "$TMP/seeds.ttl" <<EOF
$P
SELECT DISTINCT ?e WHERE {
  { ?st rdf:subject ?e } UNION { ?st rdf:object ?e } UNION { ?st ties:item ?e }
  UNION { ?x ties:actsFor ?e }
  OPTIONAL { ?e rdfs:label ?l . ?e a ?c }
  FILTER (!BOUND(?l))
}
EOF
)
check_eq "rdf-7.6 SPARQL: every entity used has a label and a class" "" "$got"

# ---- determinism ----------------------------------------------------------------
for f in nt nq ttl; do
  $TIES extract -j 1 --format $f seeds/ >"$TMP/again.$f"
  check "rdf-8.$f two runs (-j 1, default -j) are byte-identical ($f)" cmp "$TMP/seeds.$f" "$TMP/again.$f"
done

# ---- escaping: quotes, backslashes, odd file names, invalid UTF-8 ------------------------
odd=$(printf "$TMP/odd dir/q\"t\tx\001 \303\274 %%\377")
mkdir -p "$TMP/odd dir"
printf 'Beijing, for instance, donated \\ "patrol boats" to Serbia.\n' >"$odd.txt"
for f in nt:ntriples nq:nquads ttl:turtle; do
  $TIES extract --format "${f%%:*}" "$odd.txt" >"$TMP/odd.${f%%:*}"
  check "rdf-9.${f%%:*} rapper reads the escapes ($f)" rapper -q -i "${f#*:}" -c "$TMP/odd.${f%%:*}"
done
check_grep "rdf-9.4 document IRI percent-encoded" "^<$T/doc/q%22t%09x%01%20%C3%BC%20%25%FF> " "$TMP/odd.nt"
check_grep "rdf-9.5 label escaped, invalid UTF-8 as U+FFFD" "label> \"q\\\\\"t\\\\tx\\\\u0001 ü %$(printf '\357\277\275')\" \.$" "$TMP/odd.nt"
got=$(query "$TMP/odd.ttl" <<EOF
$P
SELECT ?evidence WHERE { ?st ties:evidence ?evidence }
EOF
)
check_eq "rdf-9.6 evidence with quotes and a backslash reads back" \
  '"Beijing, for instance, donated \ ""patrol boats"" to Serbia"' "$got"

# ---- modalities: a candidate that is not a fact is never asserted ------------------------
printf 'Serbia shelved plans to donate equipment to Nepal.\n' >"$TMP/plan.txt"
$TIES extract --all-modalities --format nt "$TMP/plan.txt" >"$TMP/plan.nt"
check_grep "rdf-10.1 the candidate has its statement and modality" "<$T/vocab#modality> \"refused\" \.$" "$TMP/plan.nt"
check_no_grep "rdf-10.2 but not the plain triple" "^<$T/id/SRB> <$T/vocab#donated> " "$TMP/plan.nt"

# ---- empty input --------------------------------------------------------------------
printf "" | $TIES extract -q --format ttl >"$TMP/empty.ttl" 2>/dev/null
check "rdf-11.1 no documents: still valid Turtle" rapper -q -i turtle -c "$TMP/empty.ttl"

finish
