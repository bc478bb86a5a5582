# t_store.sh — `ties extract --db` and `ties db`: the SQLite store, re-runs,
# changed and removed documents, export, a SIGKILL mid-batch, the views.
. tests/lib.sh

DB=$TMP/seeds.sqlite
# q [DB] SQL — one query through the sqlite3 shell (waits for a writer)
q() { sqlite3 -batch -cmd '.timeout 5000' "$DB" "$@"; }
qd() { _db=$1; shift; sqlite3 -batch -cmd '.timeout 5000' "$_db" "$@"; }
# the data rows of a TSV output (no comment, no header)
rows() { grep -v '^#' "$1" | tail -n +2; }
D0=000_4dbad56632bd6bef
D1=001_23387ba8e2afde41

# ---- store-1: extract --db keeps documents, entities, mentions, triples ------
$TIES extract -q --db "$DB" seeds/ >"$TMP/seeds.tsv" 2>"$TMP/err"
check_eq "store-1.1 extract --db exits 0" 0 $?
$TIES extract -q seeds/ >"$TMP/plain.tsv"
check_diff "store-1.2 --db does not change the output" "$TMP/plain.tsv" "$TMP/seeds.tsv"
check_eq "store-1.3 schema version (user_version) is 2" 2 "$(q 'PRAGMA user_version')"
check_eq "store-1.4 the journal is WAL" wal "$(q 'PRAGMA journal_mode')"
check_eq "store-1.5 two documents" 2 "$(q 'SELECT count(*) FROM documents')"
n_all=$(rows "$TMP/seeds.tsv" | wc -l)
n0=$(rows "$TMP/seeds.tsv" | grep -c "^$D0	")
n1=$(rows "$TMP/seeds.tsv" | grep -c "^$D1	")
check_eq "store-1.6 every triple is stored" "$n_all" "$(q 'SELECT count(*) FROM triples')"
check_eq "store-1.7 n_triples of each document" "$n0 $n1" \
  "$(q "SELECT group_concat(n_triples, ' ') FROM (SELECT n_triples FROM documents ORDER BY name)")"
check_eq "store-1.8 the content hash is the SHA-256 of the file" \
  "$(sha256sum seeds/$D0.txt | cut -d' ' -f1)" \
  "$(q "SELECT content_hash FROM documents WHERE name = '$D0'")"
rules_hash=$(sed -n '1s/.*rules=\([0-9a-f]*\).*/\1/p' "$TMP/seeds.tsv")
gaz_hash=$(sed -n '1s/.*gazetteers=\([0-9a-f]*\).*/\1/p' "$TMP/seeds.tsv")
check_eq "store-1.9 documents carry the rules and gazetteer hashes" \
  "$rules_hash|$gaz_hash" "$(q 'SELECT DISTINCT rules_hash, gazetteers_hash FROM documents')"
check_eq "store-1.10 triples carry the ruleset hash" "$rules_hash" \
  "$(q 'SELECT DISTINCT ruleset FROM triples')"
q "SELECT path, extracted_at, ties_version FROM documents WHERE name = '$D0'" >"$TMP/q"
check_grep "store-1.11 documents carry path, time and version" \
  "^seeds/$D0.txt|[0-9-]*T[0-9:]*Z|[0-9.]*$" "$TMP/q"
check_eq "store-1.12 foreign keys hold" "" "$(q 'PRAGMA foreign_key_check')"
check_eq "store-1.13 entities from the gazetteers" "COUNTRY|Serbia|SRB|gazetteer" \
  "$(q "SELECT type, label, country, source FROM entities WHERE id = 'SRB'")"
check_eq "store-1.14 an organisation with its state" "ORG|CHN|gazetteer" \
  "$(q "SELECT type, country, source FROM entities WHERE id = 'org:plan'")"
check_eq "store-1.15 every subject and object is an entity" 0 \
  "$(q 'SELECT count(*) FROM triples WHERE subject NOT IN (SELECT id FROM entities) OR object NOT IN (SELECT id FROM entities)')"
check_eq "store-1.16 mentions are kept with their entity" 1 \
  "$(q "SELECT count(*) > 0 FROM mentions m JOIN documents d ON d.id = m.doc WHERE d.name = '$D0' AND m.entity = 'SRB' AND m.type = 'COUNTRY'")"
check_eq "store-1.17 MONEY and DATE mentions keep their value" 1 \
  "$(q "SELECT count(*) > 0 FROM mentions WHERE type = 'MONEY' AND entity IS NULL AND value = 'USD 1000000'")"
line=$(grep "	CHN	donated	SRB	" "$TMP/seeds.tsv" | head -1)
check_eq "store-1.18 provenance: sentence, span, rule, file:line, modality, evidence" \
  "$(echo "$line" | cut -f2,3,4,10,11,12,13 | tr '\t' '|')" \
  "$(q "SELECT sentence, byte_start, byte_end, rule, rule_file || ':' || rule_line, modality, evidence FROM triples WHERE subject = 'CHN' AND predicate = 'donated' AND object = 'SRB'")"
check_eq "store-1.19 qualifiers are kept" "USD 1000000" \
  "$(q "SELECT amount FROM triples WHERE subject = 'CHN' AND predicate = 'donated' AND object = 'SRB'")"

# ---- store-2: the views --------------------------------------------------------
check_eq "store-2.1 v_transfers: CHN donated SRB, USD 1000000" \
  "CHN|China|donated|SRB|Serbia|USD 1000000|USD|1000000" \
  "$(q "SELECT giver, giver_label, predicate, recipient, recipient_label, amount, currency, amount_value FROM v_transfers WHERE giver = 'CHN' AND predicate = 'donated' AND recipient = 'SRB'")"
check_eq "store-2.2 v_transfers: a sale with its item and label" \
  "org:csic|CHN|sold|THA|platform:type-071e|1" \
  "$(q "SELECT giver, giver_country, predicate, recipient, item, item_label IS NOT NULL FROM v_transfers WHERE item = 'platform:type-071e'")"
check_eq "store-2.3 v_transfers holds only donated, sold, pledged_aid" \
  "donated pledged_aid sold" \
  "$(q "SELECT group_concat(predicate, ' ') FROM (SELECT DISTINCT predicate FROM v_transfers ORDER BY 1)")"
check_eq "store-2.4 v_transfers: pledged_aid with amount and year" \
  "person:xi-jinping|CHN|org:au|USD 100000000|2015" \
  "$(q "SELECT giver, giver_country, recipient, amount, year FROM v_transfers WHERE predicate = 'pledged_aid' AND recipient = 'org:au'")"
check_eq "store-2.5 v_predicate_year: the year comes from the date qualifier" 1 \
  "$(q "SELECT triples FROM v_predicate_year WHERE predicate = 'pledged_aid' AND year = 2015")"
check_eq "store-2.6 v_predicate_year counts every asserted triple once" \
  "$(q "SELECT count(*) FROM triples WHERE modality = 'asserted'")" \
  "$(q 'SELECT sum(triples) FROM v_predicate_year')"
check_eq "store-2.7 v_country_edges rolls people up to their state" 1 \
  "$(q "SELECT count(*) FROM v_country_edges WHERE source = 'CHN' AND predicate = 'pledged_aid' AND target = 'org:au'")"
check_eq "store-2.8 v_country_edges rolls organisations up (org:csic sold THA)" 1 \
  "$(q "SELECT count(*) > 0 FROM v_country_edges WHERE source = 'CHN' AND predicate = 'sold' AND target = 'THA'")"
check_eq "store-2.9 v_country_edges has no edge within one state" 0 \
  "$(q 'SELECT count(*) FROM v_country_edges WHERE source = target')"
check_eq "store-2.10 v_country_edges leaves platforms out" 0 \
  "$(q "SELECT count(*) FROM v_country_edges WHERE source LIKE 'platform:%' OR target LIKE 'platform:%'")"
check_eq "store-2.11 symmetric predicates in one order only" 0 \
  "$(q "SELECT count(*) FROM v_country_edges WHERE symmetric AND source > target")"
check_eq "store-2.12 v_country_edges counts triples" \
  "$(q "SELECT count(*) FROM v_country_triples WHERE source = 'CHN' AND predicate = 'criticized' AND target = 'USA'")" \
  "$(q "SELECT triples FROM v_country_edges WHERE source = 'CHN' AND predicate = 'criticized' AND target = 'USA'")"
check_eq "store-2.13 v_entities counts roles" 1 \
  "$(q "SELECT as_subject > 0 AND mentions > 0 FROM v_entities WHERE id = 'CHN'")"
check_eq "store-2.14 v_triples has every triple" "$n_all" "$(q 'SELECT count(*) FROM v_triples')"

# ---- store-3: running again changes nothing ------------------------------------
$TIES db stats "$DB" >"$TMP/stats1"
check_eq "store-3.1 db stats exits 0" 0 $?
check_grep "store-3.2 db stats counts documents" '^documents  2$' "$TMP/stats1"
check_grep "store-3.3 db stats counts triples" "^triples    $n_all\$" "$TMP/stats1"
q .dump >"$TMP/dump1"
$TIES extract -q --db "$DB" seeds/ >/dev/null
check_eq "store-3.4 a second run exits 0" 0 $?
$TIES db stats "$DB" >"$TMP/stats2"
q .dump >"$TMP/dump2"
check_diff "store-3.5 stats unchanged" "$TMP/stats1" "$TMP/stats2"
check_diff "store-3.6 every row unchanged (dump)" "$TMP/dump1" "$TMP/dump2"

# ---- store-4: a changed document is replaced, the other untouched ---------------
mkdir "$TMP/c"
cp seeds/$D0.txt seeds/$D1.txt "$TMP/c/"
printf '\nBeijing donated ten patrol boats to Cambodia.\n' >>"$TMP/c/$D1.txt"
snap0="SELECT d.id, d.extracted_at, t.seq, t.subject, t.predicate, t.object, t.evidence FROM triples t JOIN documents d ON d.id = t.doc WHERE d.name = '$D0' ORDER BY t.seq"
q "$snap0" >"$TMP/d0.before"
id1=$(q "SELECT id FROM documents WHERE name = '$D1'")
$TIES extract -q --db "$DB" "$TMP/c" >"$TMP/c.tsv"
check_eq "store-4.1 extract of the changed corpus exits 0" 0 $?
q "$snap0" >"$TMP/d0.after"
check_diff "store-4.2 the unchanged document's rows are untouched" "$TMP/d0.before" "$TMP/d0.after"
check_eq "store-4.3 the changed document has a new row" 1 \
  "$(q "SELECT id <> $id1 FROM documents WHERE name = '$D1'")"
check_eq "store-4.4 its triples are those extract gives now" \
  "$(rows "$TMP/c.tsv" | grep -c "^$D1	")" \
  "$(q "SELECT count(*) FROM triples t JOIN documents d ON d.id = t.doc WHERE d.name = '$D1'")"
check_eq "store-4.5 the new triple is there" 1 \
  "$(q "SELECT count(*) FROM triples t JOIN documents d ON d.id = t.doc WHERE d.name = '$D1' AND subject = 'CHN' AND predicate = 'donated' AND object = 'KHM'")"
check_eq "store-4.6 no orphan rows" 0 \
  "$(q 'SELECT (SELECT count(*) FROM triples WHERE doc NOT IN (SELECT id FROM documents)) + (SELECT count(*) FROM mentions WHERE doc NOT IN (SELECT id FROM documents))')"
check_eq "store-4.7 still two documents" 2 "$(q 'SELECT count(*) FROM documents')"
check_eq "store-4.8 the content hash follows the file" \
  "$(sha256sum "$TMP/c/$D1.txt" | cut -d' ' -f1)" \
  "$(q "SELECT content_hash FROM documents WHERE name = '$D1'")"

# ---- store-5: export through the writers equals extract ---------------------------
# order: documents by name, each document's triples in the order extraction
# gave them — the order extract writes a sorted directory in
# (extract --db writes only the documents it read again: D1 in c.tsv)
check_eq "store-5.1 extract --db writes only the documents it read again" \
  "$D1" "$(rows "$TMP/c.tsv" | cut -f1 | sort -u)"
$TIES extract -q "$TMP/c" >"$TMP/c.tsv"
$TIES db export "$DB" --format tsv >"$TMP/export.tsv"
check_eq "store-5.2 db export exits 0" 0 $?
check_diff "store-5.3 export --format tsv equals extract" "$TMP/c.tsv" "$TMP/export.tsv"
$TIES extract -q --format jsonl "$TMP/c" >"$TMP/c.jsonl"
$TIES db export "$DB" --format jsonl -o "$TMP/export.jsonl"
check_diff "store-5.4 export --format jsonl -o FILE equals extract" "$TMP/c.jsonl" "$TMP/export.jsonl"
$TIES db export "$DB" --format help >"$TMP/formats"
check_grep "store-5.5 export --format help lists the writers" '^  jsonl' "$TMP/formats"
$TIES db export "$DB" --format nosuch >/dev/null 2>"$TMP/err"
check_eq "store-5.6 an unknown format exits 2" 2 $?

# ---- store-6: db rm ---------------------------------------------------------------------
n_ent=$(q 'SELECT count(*) FROM entities')
$TIES db rm -q "$DB" "$D0"
check_eq "store-6.1 db rm exits 0" 0 $?
check_eq "store-6.2 one document left" "$D1" "$(q 'SELECT name FROM documents')"
check_eq "store-6.3 its triples and mentions are gone" \
  "$(q "SELECT n_triples, n_mentions FROM documents WHERE name = '$D1'")" \
  "$(q 'SELECT (SELECT count(*) FROM triples), (SELECT count(*) FROM mentions)')"
check_eq "store-6.4 entities only it named are gone" 1 \
  "$(q "SELECT count(*) < $n_ent FROM entities")"
check_eq "store-6.5 every entity left is referred to" 0 \
  "$(q "SELECT count(*) FROM entities WHERE id NOT IN (SELECT subject FROM triples UNION SELECT object FROM triples UNION SELECT item FROM triples UNION SELECT subject_country FROM triples UNION SELECT object_country FROM triples UNION SELECT entity FROM mentions WHERE entity IS NOT NULL UNION SELECT country FROM entities UNION SELECT maker FROM entities)")"
check_eq "store-6.6 integrity" ok "$(q 'PRAGMA integrity_check')"
$TIES db rm "$DB" nosuch-doc 2>"$TMP/err"
check_eq "store-6.7 rm of an unknown document exits 1" 1 $?
check_grep "store-6.8 ... naming the store and the document" "seeds.sqlite: no document 'nosuch-doc'" "$TMP/err"
$TIES db export "$DB" >"$TMP/export1.tsv"
check_eq "store-6.9 export after rm has only the other document" 0 \
  "$(rows "$TMP/export1.tsv" | grep -vc "^$D1	")"

# ---- store-7: errors name the file --------------------------------------------------------
$TIES db stats "$TMP/none.sqlite" 2>"$TMP/err"
check_eq "store-7.1 a missing store exits 2" 2 $?
check_grep "store-7.2 ... naming it" "none.sqlite: No such file" "$TMP/err"
check_eq "store-7.3 ... and does not create it" "" "$(ls "$TMP" | grep none || true)"
cp seeds/$D0.txt "$TMP/text.sqlite"
$TIES db stats "$TMP/text.sqlite" 2>"$TMP/err"
check_eq "store-7.4 a file that is not SQLite exits 2" 2 $?
check_grep "store-7.5 ... naming it" "text.sqlite: .*not a database" "$TMP/err"
sqlite3 "$TMP/other.sqlite" 'CREATE TABLE t(x)'
$TIES extract -q --db "$TMP/other.sqlite" seeds/ >/dev/null 2>"$TMP/err"
check_eq "store-7.6 another SQLite database is refused (exit 2)" 2 $?
check_grep "store-7.7 ... as not a ties store" "other.sqlite: not a ties store" "$TMP/err"
$TIES db 2>/dev/null
check_eq "store-7.8 db without a command exits 2" 2 $?
$TIES db frob "$DB" 2>"$TMP/err"
check_eq "store-7.9 an unknown db command exits 2" 2 $?
$TIES db rm "$DB" 2>/dev/null
check_eq "store-7.10 db rm without documents exits 2" 2 $?

# ---- store-8: new rules or gazetteers re-read every document ------------------------------
cp -r rules "$TMP/rules"
echo '# a comment changes the rule-set hash' >>"$TMP/rules/aid.rules"
$TIES extract -q --db "$DB" --rules "$TMP/rules" "$TMP/c" >"$TMP/r.tsv"
new_hash=$(sed -n '1s/.*rules=\([0-9a-f]*\).*/\1/p' "$TMP/r.tsv")
check "store-8.1 the rule-set hash changed" test "$new_hash" != "$rules_hash"
check_eq "store-8.2 both documents were stored again with it" "2|$new_hash" \
  "$(q 'SELECT count(*), rules_hash FROM documents GROUP BY rules_hash')"

# ---- store-8b: other options re-read every document --------------------------------------
$TIES extract -q --db "$DB" --rules "$TMP/rules" --all-modalities "$TMP/c" >"$TMP/m.tsv"
check "store-8.3 --all-modalities re-reads both documents (they are in the output)" \
  test "$(rows "$TMP/m.tsv" | cut -f1 | sort -u | wc -l)" -eq 2
check_eq "store-8.4 and records the options" "2|all_modalities=1 date= main_actor=" \
  "$(q 'SELECT count(*), options FROM documents GROUP BY options')"
$TIES extract -q --db "$DB" --rules "$TMP/rules" --all-modalities "$TMP/c" >"$TMP/m2.tsv"
check_eq "store-8.5 the same options again read nothing" 0 "$(rows "$TMP/m2.tsv" | wc -l | tr -d ' ')"

# a store of schema version 1 (without options) is brought up to date on open
V1=$TMP/v1.sqlite
cp "$DB" "$V1"
qd "$V1" "ALTER TABLE documents DROP COLUMN options; PRAGMA user_version = 1" 2>/dev/null
if [ "$(qd "$V1" 'PRAGMA user_version')" = 1 ]; then
  $TIES db stats "$V1" >/dev/null 2>"$TMP/v1.err"
  check_eq "store-8.6 a version 1 store opens" 0 $?
  check_eq "store-8.7 and is migrated to version 2" 2 "$(qd "$V1" 'PRAGMA user_version')"
else
  ok "store-8.6 version 1 store # SKIP this sqlite3 cannot drop a column"
fi

# ---- store-8c: two inputs of one name in a run --------------------------------------
# A store holds one document by a name: the second of a run is refused, not
# written over the first; without a store both are written, with a warning.
N=$TMP/names
mkdir -p "$N/a" "$N/b"
printf 'China donated ten patrol boats to Cambodia.\n' >"$N/a/brief.txt"
printf 'Russia sold fighter jets to India.\n' >"$N/b/brief.txt"
ND=$TMP/names.sqlite
$TIES extract -q --db "$ND" "$N" >"$TMP/n.tsv" 2>"$TMP/n.err"
check_eq "store-8c.1 a second input of a name: exit status 1" 1 $?
check_grep "store-8c.2 the error names both files" \
  "^$N/b/brief.txt: error: $N/a/brief.txt has the document name 'brief' too, earlier in this run; not extracted" "$TMP/n.err"
check_eq "store-8c.3 the first is stored, not replaced" "brief|$N/a/brief.txt|CHN donated KHM" \
  "$(qd "$ND" "SELECT d.name, d.path, t.subject || ' ' || t.predicate || ' ' || t.object FROM documents d JOIN triples t ON t.doc = d.id")"
check_eq "store-8c.4 and the output is the store's" "brief	CHN	donated	KHM" \
  "$(rows "$TMP/n.tsv" | cut -f1,5-7)"
$TIES extract -q --db "$ND" "$N" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.5 a second run refuses it again" "1 1" \
  "$? $(grep -c "^$N/b/brief.txt: error: .*has the document name 'brief' too" "$TMP/n.err")"
check_eq "store-8c.6 the store still has the first" "$N/a/brief.txt" \
  "$(qd "$ND" "SELECT path FROM documents WHERE name = 'brief'")"
$TIES extract -q --db "$ND" "$N/a/brief.txt" "$N/a/brief.txt" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.7 the same file given twice is no clash" "0" "$?$(cat "$TMP/n.err")"
$TIES extract -q --db "$ND" "$N/a/brief.txt" "$N/a/../a/brief.txt" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.7b ... nor under two paths to it" "0" "$?$(cat "$TMP/n.err")"
$TIES extract "$N" >"$TMP/n.tsv" 2>"$TMP/n.err"
check_eq "store-8c.8 without a store both are written, exit status 0" \
  "0 brief	CHN	donated	KHM|brief	RUS	sold	IND" \
  "$? $(rows "$TMP/n.tsv" | cut -f1,5-7 | paste -sd'|')"
check_grep "store-8c.9 with a warning naming both files" \
  "^$N/b/brief.txt: warning: $N/a/brief.txt has the document name 'brief' too; their rows share the doc column" "$TMP/n.err"
$TIES extract -q "$N" "$N/a/../a/brief.txt" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.9b -q says nothing of it" "" "$(cat "$TMP/n.err")"
$TIES extract "$N/a/brief.txt" "$N/a/../a/brief.txt" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.9c one file under two paths is not warned of" "" "$(cat "$TMP/n.err")"
$TIES extract -q --db "$ND" "$N/b/brief.txt" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.9d alone in a later run, the other file replaces the stored one" \
  "0 $N/b/brief.txt|RUS" \
  "$? $(qd "$ND" "SELECT d.path, t.subject FROM documents d JOIN triples t ON t.doc = d.id")"
check_eq "store-8c.9e the run's names are not kept in the store" 0 \
  "$(qd "$ND" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%run_names%'")"
printf '{"id": "x", "text": "China donated ten patrol boats to Cambodia."}\n{"id": "x", "text": "Russia sold fighter jets to India."}\n' >"$N/dup.jsonl"
$TIES extract -q --jsonl --db "$TMP/names2.sqlite" "$N/dup.jsonl" >/dev/null 2>"$TMP/n.err"
check_eq "store-8c.10 a JSON Lines id seen before in the run is refused" "1 x|CHN" \
  "$? $(qd "$TMP/names2.sqlite" "SELECT d.name, t.subject FROM documents d JOIN triples t ON t.doc = d.id")"
check_grep "store-8c.11 the error gives both lines" \
  "^$N/dup.jsonl:2: error: $N/dup.jsonl:1 has the document id 'x' too, earlier in this run; not extracted (the store keeps one document by an id)" "$TMP/n.err"
$TIES extract -q --jsonl "$N/dup.jsonl" >"$TMP/n.tsv" 2>"$TMP/n.err"
check_eq "store-8c.12 without a store, JSON Lines are a filter: both written, silently" \
  "0 2 " "$? $(rows "$TMP/n.tsv" | wc -l) $(cat "$TMP/n.err")"

# ---- store-9: a SIGKILL in the middle of a batch -----------------------------------------
# 600 documents (300 copies of each seed); kill -9 once some are stored
mkdir "$TMP/big"
i=0
while [ $i -lt 300 ]; do
  cp seeds/$D0.txt "$TMP/big/c${i}_$D0.txt"
  cp seeds/$D1.txt "$TMP/big/c${i}_$D1.txt"
  i=$((i + 1))
done
K=$TMP/killed.sqlite
$TIES extract -q --db "$K" "$TMP/big" >/dev/null 2>&1 &
pid=$!
n=0
tries=0
while [ "$tries" -lt 600 ]; do
  n=$(qd "$K" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 10 ] && break
  tries=$((tries + 1))
  sleep 0.05
done
alive=no
kill -0 "$pid" 2>/dev/null && alive=yes
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
stored=$(qd "$K" 'SELECT count(*) FROM documents')
check_eq "store-9.1 the run was killed in the middle of the batch" "yes" \
  "$alive$( [ "$stored" -gt 0 ] && [ "$stored" -lt 600 ] || echo " but $stored stored")"
check_eq "store-9.2 integrity_check after SIGKILL" ok "$(qd "$K" 'PRAGMA integrity_check')"
check_eq "store-9.3 foreign keys hold after SIGKILL" "" "$(qd "$K" 'PRAGMA foreign_key_check')"
check_eq "store-9.4 every stored document is complete" 0 \
  "$(qd "$K" "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM triples t WHERE t.doc = d.id) <> CASE WHEN d.name LIKE '%$D0' THEN $n0 ELSE $n1 END OR (SELECT count(*) FROM mentions m WHERE m.doc = d.id) <> d.n_mentions")"
$TIES extract -q --db "$K" "$TMP/big" >/dev/null
check_eq "store-9.5 a new run completes the store" "600|$((300 * (n0 + n1)))" \
  "$(qd "$K" 'SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM triples)')"
finish
