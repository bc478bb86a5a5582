# t_graph.sh — graph writers: `--format neo4j -o DIR` (neo4j-admin import
# CSV) and `--format dot` (the country-level graph, rendered by Graphviz).
. tests/lib.sh

$TIES extract -q seeds/ >"$TMP/seeds.tsv"
n_triples=$(grep -v '^#' "$TMP/seeds.tsv" | tail -n +2 | wc -l)

# ---- graph-1: neo4j ----------------------------------------------------------------
N=$TMP/neo
$TIES extract -q --format neo4j -o "$N" seeds/ 2>"$TMP/err"
check_eq "graph-1.1 --format neo4j -o DIR exits 0" 0 $?
check "graph-1.2 nodes.csv, relationships.csv and import.sh" \
  test -s "$N/nodes.csv" -a -s "$N/relationships.csv" -a -x "$N/import.sh"
check_eq "graph-1.3 no temporary files are left" "" "$(ls -a "$N" | grep tmp || true)"
check_eq "graph-1.4 the nodes header" "id:ID,label,country,kind,:LABEL" "$(head -1 "$N/nodes.csv")"
check_eq "graph-1.5 the relationships header" \
  ":START_ID,:END_ID,:TYPE,rule,evidence,doc,sentence:int,start:int,end:int,modality,cue,item,amount,date,rule_source" \
  "$(head -1 "$N/relationships.csv")"

# The header conventions of neo4j-admin database import: every column is
# name[:type] or one of the special fields; exactly one :ID in the nodes,
# :START_ID/:END_ID/:TYPE in the relationships, in one ID space; values of
# typed columns parse; every endpoint is a node, every node written once.
cat >"$TMP/check_neo4j.py" <<'EOF'
import csv, re, sys
d = sys.argv[1]
TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char",
         "string", "point", "date", "localtime", "time", "localdatetime",
         "datetime", "duration"}
LABELS = {"Country", "Organisation", "Person", "Platform", "Place"}
errors = []
def header(h, special):
    out = []
    for col in h:
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)?(?::([A-Za-z_]+)(\(\w*\))?(\[\])?)?", col)
        if not m or col == "":
            errors.append("bad header column %r" % col)
            out.append((col, "?")); continue
        name, typ = m.group(1), m.group(2)
        if typ is None:
            out.append((name, "string"))
        elif typ in special:
            if m.group(3):
                errors.append("ID space used in %r: keep one space" % col)
            out.append((name, typ))
        elif typ.lower() in TYPES and name:
            out.append((name, typ.lower()))
        else:
            errors.append("unknown type in header column %r" % col)
            out.append((name, "?"))
    return out
def rows(path, special):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f, delimiter=",", quotechar='"', doublequote=True, strict=True)
        h = header(next(r), special)
        data = list(r)
    for i, row in enumerate(data, 2):
        if len(row) != len(h):
            errors.append("%s:%d: %d fields, header has %d" % (path, i, len(row), len(h)))
        for (name, typ), v in zip(h, row):
            if typ in ("int", "long") and v != "" and not re.fullmatch(r"-?\d+", v):
                errors.append("%s:%d: %s is not an integer: %r" % (path, i, name, v))
    return h, data
nh, nodes = rows(d + "/nodes.csv", {"ID", "LABEL", "IGNORE"})
rh, rels = rows(d + "/relationships.csv", {"START_ID", "END_ID", "TYPE", "IGNORE"})
nt = [t for _, t in nh]
rt = [t for _, t in rh]
if nt.count("ID") != 1: errors.append("nodes need exactly one :ID column")
if nt.count("LABEL") != 1: errors.append("nodes need one :LABEL column")
for t in ("START_ID", "END_ID", "TYPE"):
    if rt.count(t) != 1: errors.append("relationships need one :%s column" % t)
idc, lc = nt.index("ID"), nt.index("LABEL")
ids = [n[idc] for n in nodes]
if len(ids) != len(set(ids)): errors.append("a node is written twice")
for n in nodes:
    for l in n[lc].split(";"):
        if l not in LABELS: errors.append("node %s: label %r" % (n[idc], l))
ids = set(ids)
s, e, ty = rt.index("START_ID"), rt.index("END_ID"), rt.index("TYPE")
for r in rels:
    for x in (r[s], r[e]):
        if x not in ids: errors.append("endpoint %r is not a node" % x)
    if not re.fullmatch(r"[A-Z][A-Z_]*", r[ty]): errors.append("type %r" % r[ty])
used = {r[s] for r in rels} | {r[e] for r in rels}
if ids - used: errors.append("nodes without relationships: %s" % sorted(ids - used))
print(len(nodes), len(rels))
for x in errors[:20]: print(x)
sys.exit(1 if errors else 0)
EOF
check "graph-1.6 headers, quoting and endpoints follow neo4j-admin import" \
  python3 "$TMP/check_neo4j.py" "$N"
check_eq "graph-1.7 one relationship per triple" "$n_triples" \
  "$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open('$N/relationships.csv'))) - 1)")"
n_ids=$(grep -v '^#' "$TMP/seeds.tsv" | tail -n +2 | cut -f5,7 | tr '\t' '\n' | sort -u | wc -l)
check_eq "graph-1.8 one node per subject or object" "$n_ids" "$(($(wc -l <"$N/nodes.csv") - 1))"
check_grep "graph-1.9 a country node" '^"CHN","China","CHN",,Country$' "$N/nodes.csv"
check_grep "graph-1.10 an organisation node with its state" '^"org:plan",".*","CHN","[a-z]*",Organisation$' "$N/nodes.csv"
check_grep "graph-1.11 a relationship with its provenance" \
  '^"CHN","SRB","DONATED","donated.direct","Beijing, for instance, donated USD 1 million in equipment to Serbia","000_4dbad56632bd6bef",17,[0-9]*,[0-9]*,"asserted",,,"USD 1000000",,"rules/aid.rules:[0-9]*"$' \
  "$N/relationships.csv"
check "graph-1.12 import.sh is valid sh" sh -n "$N/import.sh"
mkdir "$TMP/bin"
printf '#!/bin/sh\necho "$@"\n' >"$TMP/bin/neo4j-admin"
chmod +x "$TMP/bin/neo4j-admin"
NEO4J_ADMIN=$TMP/bin/neo4j-admin sh "$N/import.sh" ties --overwrite-destination >"$TMP/admin"
check_grep "graph-1.13 import.sh runs neo4j-admin database import full" \
  "^database import full ties --nodes=.*/neo/nodes.csv --relationships=.*/neo/relationships.csv --overwrite-destination$" \
  "$TMP/admin"
printf 'He said "no" to Serbia.\n' >"$TMP/q.txt"
$TIES extract -q --format neo4j -o "$N" seeds/ "$TMP/q.txt"
check_eq "graph-1.14 writing again replaces the files" 0 $?
$TIES extract -q --format neo4j seeds/ 2>"$TMP/err"
check_eq "graph-1.15 neo4j without -o DIR exits 2" 2 $?
check_grep "graph-1.16 ... saying why" "give a directory with -o DIR" "$TMP/err"
$TIES extract -q --db "$TMP/s.sqlite" seeds/ >/dev/null
$TIES db export "$TMP/s.sqlite" --format neo4j -o "$TMP/neo2"
$TIES extract -q --format neo4j -o "$TMP/neo3" seeds/
check "graph-1.17 db export --format neo4j equals extract" diff -r "$TMP/neo3" "$TMP/neo2"

# ---- graph-2: dot ----------------------------------------------------------------------
$TIES extract -q --format dot seeds/ >"$TMP/g.dot"
check_eq "graph-2.1 --format dot exits 0" 0 $?
check "graph-2.2 Graphviz renders it" sh -c "dot -Tsvg '$TMP/g.dot' >'$TMP/g.svg'"
check_grep "graph-2.3 the SVG has the node CHN" '<title>CHN</title>' "$TMP/g.svg"
check_grep "graph-2.4 ... and SRB" '<title>SRB</title>' "$TMP/g.svg"
check_grep "graph-2.5 nodes are labelled with names" '>China</text>' "$TMP/g.svg"
check_grep "graph-2.6 the edge CHN → SRB" '<title>CHN&#45;&gt;SRB</title>' "$TMP/g.svg"
check_grep "graph-2.7 edges are labelled by predicate" '>donated</text>' "$TMP/g.svg"
check_grep "graph-2.8 counts appear in labels (×N)" 'label="[a-z_]* ×[0-9][0-9]*", penwidth=[2-8]' "$TMP/g.dot"
check_grep "graph-2.9 an international body stays itself" '<title>org:au</title>' "$TMP/g.svg"
check_no_grep "graph-2.10 organisations roll up to their state" '<title>org:plan</title>' "$TMP/g.svg"
check_no_grep "graph-2.11 people roll up to their state" '<title>person:' "$TMP/g.svg"
check_no_grep "graph-2.12 platforms are left out" 'platform:' "$TMP/g.dot"
check_grep "graph-2.13 people's triples count for their state (Xi → CHN pledged_aid org:au)" \
  '"CHN" -> "org:au" \[label="pledged_aid' "$TMP/g.dot"
check_grep "graph-2.14 symmetric predicates have no arrowheads" 'exercised_with.*dir=none' "$TMP/g.dot"
check_no_grep "graph-2.15 no edge within one state" '"\([A-Z]*\)" -> "\1"' "$TMP/g.dot"
$TIES db export "$TMP/s.sqlite" --format dot >"$TMP/g2.dot"
check_diff "graph-2.16 db export --format dot equals extract" "$TMP/g.dot" "$TMP/g2.dot"
finish
