# t_virtuoso.sh — the N-Quads of the seeds and the vocabulary loaded into a real
# Virtuoso (virtuoso-t of Debian's virtuoso-opensource) and queried over SPARQL.
#
# The server is ours alone: a fresh database in a temporary directory, its own
# virtuoso.ini, loopback ports picked free from 20000-59999, user dba/dba (the
# default of a new database, so no password prompt), no stdin. It is stopped and
# its directory removed however the suite ends. A server that cannot start fails
# the suite with its log; it is never skipped.
. tests/lib.sh

T=https://ties.example.org
V=$TMP/virtuoso
VPID=""
WHY=""
SQL=""
HTTP=""

stop_virtuoso() {
  [ -n "$VPID" ] || return 0
  if kill -0 "$VPID" 2>/dev/null; then
    # a clean shutdown when it answers; then TERM; then KILL
    _w=0
    timeout 10 isql-vt "127.0.0.1:$SQL" dba dba exec="shutdown;" </dev/null >/dev/null 2>&1 && _w=50
    kill -0 "$VPID" 2>/dev/null && [ $_w -eq 0 ] && kill "$VPID" 2>/dev/null && _w=25
    _i=0
    while kill -0 "$VPID" 2>/dev/null && [ $_i -lt $_w ]; do sleep 0.2; _i=$((_i + 1)); done
    kill "$VPID" 2>/dev/null && sleep 1
    kill -9 "$VPID" 2>/dev/null
  fi
  wait "$VPID" 2>/dev/null
  VPID=""
}
trap 'stop_virtuoso; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

# Two free TCP ports on the loopback.
free_ports() {
  python3 - <<'EOF'
import random, socket
found = []
for p in random.sample(range(20000, 60000), 400):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    found.append(p)
    if len(found) == 2:
        break
print(*found)
EOF
}

isql() { # SQL statements → isql's output; status 1 when it reports an error
  isql-vt "127.0.0.1:$SQL" dba dba VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF \
    exec="$1" </dev/null >"$TMP/isql.out" 2>&1
  ! grep -q '\*\*\* Error' "$TMP/isql.out"
}

sparql() { # QUERY on stdin → CSV rows without the header and quotes
  cat >"$TMP/q.rq"
  curl -sS --max-time 20 --data-urlencode "query@$TMP/q.rq" -H 'Accept: text/csv' \
    "http://127.0.0.1:$HTTP/sparql" 2>"$TMP/curl.err" | tr -d '\r' | sed 1d | tr -d '"'
}

# Start a server: 0 when it answers SQL and HTTP; 1 when it exited, 2 when it
# did not answer within 25 s (why in $WHY, the log in $V/virtuoso.log).
start_virtuoso() {
  rm -rf "$V"
  mkdir -p "$V/data" || return 1
  set -- $(free_ports)
  SQL=$1 HTTP=$2
  [ -n "$SQL" ] && [ -n "$HTTP" ] || { WHY="no free ports"; return 1; }
  cat >"$V/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $V/virtuoso.db
ErrorLogFile       = $V/virtuoso.log
LockFile           = $V/virtuoso.lck
TransactionFile    = $V/virtuoso.trx
xa_persistent_file = $V/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $V/virtuoso-temp.db
TransactionFile    = $V/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$SQL
DisableUnixSocket    = 1
MaxClientConnections = 8
CheckpointInterval   = 0
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
DirsAllowed          = ., $V, $V/data
CaseMode             = 2

[HTTPServer]
ServerPort           = 127.0.0.1:$HTTP
ServerRoot           = $V
ServerThreads        = 4
MaxClientConnections = 4
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 30
EOF
  (cd "$V" && exec virtuoso-t +configfile "$V/virtuoso.ini" +foreground) \
    </dev/null >"$V/stdout" 2>&1 &
  VPID=$!
  _i=0
  while [ $_i -lt 125 ]; do # up to 25 s
    if ! kill -0 "$VPID" 2>/dev/null; then
      wait "$VPID"
      WHY="virtuoso-t (ports $SQL, $HTTP) exited with status $?"
      VPID=""
      return 1
    fi
    if isql "status();" && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP/sparql"; then
      return 0
    fi
    sleep 0.2
    _i=$((_i + 1))
  done
  stop_virtuoso
  WHY="virtuoso-t did not answer on 127.0.0.1:$SQL and :$HTTP within 25 s"
  return 2
}

# ---- the data ---------------------------------------------------------------------
$TIES extract seeds/ >"$TMP/seeds.tsv"
$TIES extract --format nq seeds/ >"$V.nq"
check_eq "virt-1.1 extract --format nq seeds/ exits 0" 0 $?
hash=$(sed -n 's/^# ties [^ ]* rules=\([0-9a-f]*\) .*/\1/p' "$TMP/seeds.tsv")
n_quads=$(rapper -i nquads -c "$V.nq" 2>&1 | sed -n 's/.*returned \([0-9]*\) triple.*/\1/p')
# in one graph, a triple two documents state is one triple
n_distinct=$(rapper -q -i nquads -o ntriples "$V.nq" | sort -u | wc -l | tr -d ' ')

# ---- the server -----------------------------------------------------------------------
started=""
if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v isql-vt >/dev/null 2>&1; then
  not_ok "virt-2.1 Virtuoso starts" "virtuoso-t or isql-vt not found: install virtuoso-opensource (sh scripts/deps.sh --test)"
else
  t0=$(date +%s)
  for attempt in 1 2 3; do # another process may take a port between the check and the start
    start_virtuoso
    case $? in 0) started=1; break ;; 2) break ;; esac
  done
  if [ -n "$started" ]; then
    ok "virt-2.1 Virtuoso starts on 127.0.0.1:$SQL (SPARQL on :$HTTP) in $(( $(date +%s) - t0 ))s"
  else
    not_ok "virt-2.1 Virtuoso starts" "$WHY (attempt $attempt); its log and output:" \
      "$(tail -40 "$V/virtuoso.log" 2>/dev/null)" "$(tail -20 "$V/stdout" 2>/dev/null)" \
      "$(cat "$TMP/isql.out" 2>/dev/null)"
  fi
fi
[ -n "$started" ] || { finish; exit 1; }

# ---- loading: the bulk loader (ld_dir + rdf_loader_run) --------------------------------
cp "$V.nq" "$V/data/seeds.nq"
cp rules/ties.ttl "$V/data/ties.ttl"
isql "ld_dir('$V/data', 'seeds.nq', '$T/graph/shared');
      ld_dir('$V/data', 'ties.ttl', '$T/vocab');
      rdf_loader_run();
      checkpoint;"
check "virt-3.1 ld_dir and rdf_loader_run succeed" test $? -eq 0
isql "SELECT ll_file, ll_state, coalesce(ll_error, 'ok') FROM DB.DBA.LOAD_LIST;"
loaded=$(awk '$2 == 2 && $3 == "ok"' "$TMP/isql.out" | wc -l | tr -d ' ')
check_eq "virt-3.2 both files loaded without errors" 2 "$loaded"

got=$(sparql <<EOF
SELECT (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (STRSTARTS(STR(?g), "$T/doc/") || STR(?g) = "$T/graph/shared")
}
EOF
)
check_eq "virt-3.3 Virtuoso holds every quad rapper counts ($n_quads)" "$n_quads" "$got"
got=$(sparql <<EOF
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> } }
ORDER BY ?g
EOF
)
check_eq "virt-3.4 one named graph per document" \
  "$T/doc/000_4dbad56632bd6bef $T/doc/001_23387ba8e2afde41" "$(echo $got)"

# the Turtle (with @base and relative IRIs) reads into the same number of triples
$TIES extract --format ttl seeds/ >"$V/data/seeds.ttl"
isql "ld_dir('$V/data', 'seeds.ttl', 'urn:ties:test:turtle'); rdf_loader_run();"
got=$(sparql <<EOF
SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:ties:test:turtle> { ?s ?p ?o } }
EOF
)
check_eq "virt-3.5 the Turtle output loads into as many distinct triples ($n_distinct)" "$n_distinct" "$got"
isql "SPARQL CLEAR GRAPH <urn:ties:test:turtle>;"
check "virt-3.6 and is cleared again" test $? -eq 0

# ---- SPARQL ---------------------------------------------------------------------------
P="PREFIX ties: <$T/vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX id: <$T/id/>"

got=$(sparql <<EOF
$P
SELECT ?label WHERE { id:CIV rdfs:label ?label }
EOF
)
check_eq "virt-4.0 UTF-8 survives the load" "Côte d'Ivoire" "$got"

got=$(sparql <<EOF | sort | tr '\n' ' '
$P
SELECT DISTINCT ?code WHERE {
  { ?st rdf:subject id:CHN } UNION { ?st rdf:subject ?giver . ?giver ties:actsFor id:CHN }
  ?st rdf:predicate ties:donated ; rdf:object ?state ; ties:evidence ?evidence ;
      ties:modality "asserted" .
  ?state a ties:Country ; ties:isoAlpha3 ?code .
}
EOF
)
check_eq "virt-4.1 SPARQL: every state China donated to in the seeds" \
  "CIV GHA LBR LKA NPL PHL SRB " "$got"

got=$(sparql <<EOF
$P
SELECT ?g WHERE { GRAPH ?g { id:CHN ties:donated id:SRB } }
EOF
)
check_eq "virt-4.2 the triple is in its document's graph" "$T/doc/000_4dbad56632bd6bef" "$got"

row=$(awk -F'\t' '$5 == "CHN" && $6 == "donated" && $7 == "SRB"' "$TMP/seeds.tsv" | head -1)
want=$(echo "$row" | awk -F'\t' -v h="$hash" '{print $10 "," $11 "," h "," $3 "," $4 "," $13}')
start=$(echo "$row" | cut -f3)
got=$(sparql <<EOF
$P
SELECT ?rule ?source ?ruleset ?start ?end ?evidence WHERE {
  ?st rdf:subject id:CHN ; rdf:predicate ties:donated ; rdf:object id:SRB ;
      ties:rule ?rule ; ties:ruleSource ?source ; ties:ruleset ?ruleset ;
      ties:start ?start ; ties:end ?end ; ties:evidence ?evidence ;
      ties:start $start ;
      prov:wasGeneratedBy ?run .
  ?run prov:used ?rs . ?rs ties:sha256 ?ruleset .
}
EOF
)
check_eq "virt-4.3 SPARQL: provenance of CHN donated SRB (rule, source, rule set, span, evidence)" "$want" "$got"

sym=$(grep -v '^#' rules/relations.tsv | awk -F'\t' 'NR > 1 && $2 == "yes" {print $1}' | tr '\n' ' ')
want=$(awk -F'\t' -v s=" $sym" 'NR > 2 && index(s, " " $6 " ")' "$TMP/seeds.tsv" | wc -l | tr -d ' ')
got=$(sparql <<EOF
$P
SELECT (COUNT(?st) AS ?n) WHERE {
  ?st a rdf:Statement ; rdf:predicate ?p ; ties:modality "asserted" .
  GRAPH <$T/vocab> { ?p a owl:SymmetricProperty }
}
EOF
)
check_eq "virt-4.4 SPARQL with the vocabulary graph: statements of symmetric predicates" "$want" "$got"

# ---- stopping --------------------------------------------------------------------------
pid=$VPID
stop_virtuoso
check "virt-5.1 Virtuoso stops" sh -c "! kill -0 $pid 2>/dev/null"

finish
