# t_report.sh — `ties report`: one self-contained HTML page with the documents,
# their entities and evidence, each triple's rule and explanation, tables per
# predicate and per rule, the country graph, and with --gold the misses and false
# triples. Structure is checked on the HTML; behaviour (script, sorting,
# selection) in headless Chromium, which also takes a screenshot.
. tests/lib.sh

D0=000_4dbad56632bd6bef
$TIES extract -q seeds/ >"$TMP/seeds.tsv"
grep -v '^#' "$TMP/seeds.tsv" | tail -n +2 >"$TMP/rows.tsv"
n_triples=$(wc -l <"$TMP/rows.tsv")

# ---- report-1: the page ----------------------------------------------------------
$TIES report -o "$TMP/report.html" seeds/ 2>"$TMP/err"
check_eq "report-1.1 report seeds/ exits 0" 0 $?
check "report-1.2 the page is written" test -s "$TMP/report.html"
size=$(wc -c <"$TMP/report.html")
echo "# seeds report: $size bytes"
check "report-1.3 the page is under 2 MB ($size bytes)" test "$size" -lt 2097152
check_eq "report-1.4 -o leaves no temporary file" "" "$(ls "$TMP" | grep '\.tmp\.' || true)"
check_grep "report-1.5 an HTML5 page" '^<!DOCTYPE html>$' "$TMP/report.html"
check_eq "report-1.6 one section per document" 2 "$(grep -c '<article class="doc" id="d[0-9]*"' "$TMP/report.html")"
check_grep "report-1.7 the first document by name" "<h3 id=\"d0-h\">$D0</h3>" "$TMP/report.html"
check_grep "report-1.8 the second document by name" '<h3 id="d1-h">001_23387ba8e2afde41</h3>' "$TMP/report.html"
check_eq "report-1.9 every triple of extract is in the table of triples" "$n_triples" \
  "$(grep -c '^<tr data-doc=' "$TMP/report.html")"
check_eq "report-1.10 ... and has its details" "$n_triples" \
  "$(grep -c '<section class="tdetail" id="t[0-9]*-[0-9]*"' "$TMP/report.html")"
check_grep "report-1.11 a triple: CHN donated SRB" 'CHN <b>donated</b> SRB</a>' "$TMP/report.html"
check_grep "report-1.12 a triple's rule" '^<dt>rule</dt><dd><code>donated.direct</code>' "$TMP/report.html"
check_grep "report-1.13 ... and its file:line" '^<dt>rule source</dt><dd><code>rules/aid.rules:[0-9]*</code>' \
  "$TMP/report.html"
check_grep "report-1.14 mentions are marked by type" '<span class="m m-country" title="SRB · Serbia (COUNTRY, name)">Serbia</span>' \
  "$TMP/report.html"
check_grep "report-1.15 organisations have their own colour" '<span class="m m-org" title="org:plan' "$TMP/report.html"
check_grep "report-1.16 evidence is marked with its triples" '<span class="ev" data-t="t0-[0-9]*">' "$TMP/report.html"
check_grep "report-1.17 tables per predicate and per rule, sortable" \
  '<table class="sortable" id="rtable"' "$TMP/report.html"
check_grep "report-1.18 ... per predicate" '<table class="sortable" id="ptable"' "$TMP/report.html"

# the evidence marks cover the bytes of the file
line=$(grep -n "^$D0	.*	CHN	donated	SRB	" "$TMP/rows.tsv" | head -1)
k=$(grep "^$D0	" "$TMP/rows.tsv" | grep -n '	CHN	donated	SRB	' | head -1 | cut -d: -f1)
k=$((k - 1))
sent=$(echo "$line" | cut -f2)
# The words of a document marked for a triple (data-t holds its id) or as a miss,
# tags removed: python3 marked.py PAGE t0-3 | miss
cat >"$TMP/marked.py" <<'EOF'
import html, re, sys
page, what = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
out, stack = "", []
for m in re.finditer(r'<div class="text"[^>]*>(.*?)</div>', page, re.S):
    for t in re.finditer(r'<(/?)span([^>]*)>|([^<]+)', m.group(1)):
        if t.group(3) is not None:
            if any(stack): out += html.unescape(t.group(3))
        elif t.group(1):
            stack.pop()
        else:
            a = t.group(2)
            if what == "miss":
                stack.append(bool(re.search(r'class="[^"]*\bmiss\b', a)))
            else:
                d = re.search(r'data-t="([^"]*)"', a)
                stack.append(bool(d and what in d.group(1).split()))
print(out)
EOF
check_eq "report-1.19 the marked evidence is the triple's evidence" \
  "Beijing, for instance, donated USD 1 million in equipment to Serbia" \
  "$(python3 "$TMP/marked.py" "$TMP/report.html" "t0-$k")"

# the explanation is what `ties explain FILE SENTENCE` prints
cat >"$TMP/explain.py" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="%s">(.*?)</pre>' % re.escape(sys.argv[2]), page, re.S)
sys.stdout.write(html.unescape(m.group(1)) if m else "(no explanation %s)\n" % sys.argv[2])
EOF
python3 "$TMP/explain.py" "$TMP/report.html" "x0-$sent" >"$TMP/x_report.txt"
$TIES explain --no-color "seeds/$D0.txt" "$sent" >"$TMP/x_explain.txt"
check_diff "report-1.20 a sentence's explanation equals ties explain FILE $sent" \
  "$TMP/x_explain.txt" "$TMP/x_report.txt"
check_grep "report-1.21 the triple's details link to that explanation" \
  "<p class=\"xref\" data-x=\"x0-$sent\"><a href=\"#x0-$sent\">" "$TMP/report.html"

# the graph
check_grep "report-1.22 the graph is inline SVG" '<div class="svgwrap"><svg role="group" aria-labelledby="graph-h"' "$TMP/report.html"
check_grep "report-1.23 graph node CHN" '<title>CHN</title>' "$TMP/report.html"
check_grep "report-1.24 graph node SRB" '<title>SRB</title>' "$TMP/report.html"
check_grep "report-1.25 an international body is a node" '<title>org:au</title>' "$TMP/report.html"
check_grep "report-1.26 a node links to its triples" '<a xlink:href="#n-SRB"' "$TMP/report.html"
check_grep "report-1.27 ... which are listed under it" \
  '<section class="node" id="n-SRB">.*' "$TMP/report.html"
check_grep "report-1.28 ... with CHN donated SRB" \
  "<li><a class=\"tsel\" role=\"button\" href=\"#t0-$k\" data-id=\"t0-$k\">CHN <b>donated</b> SRB</a></li>" \
  "$TMP/report.html"
check_eq "report-1.29 every graph node has its list of triples" \
  "$(grep -c '^<g id="g&#45;[^"]*" class="node">' "$TMP/report.html")" \
  "$(grep -c '<section class="node" id="n-' "$TMP/report.html")"

# self-contained: nothing is fetched
check_no_grep "report-1.30 no external script" '<script[^>]* src=' "$TMP/report.html"
check_no_grep "report-1.31 no stylesheet link" '<link' "$TMP/report.html"
check_no_grep "report-1.32 no @import or url() (fonts, images)" '@import\|url(' "$TMP/report.html"
check_no_grep "report-1.33 no attribute names an http(s) address" '=["'"'"']\?https\?:' "$TMP/report.html"
check_no_grep "report-1.34 every link stays in the page" '\(href\|src\)="[^#]' "$TMP/report.html"

# well-formed: every element closed in order (void elements excepted)
cat >"$TMP/wf.py" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "input", "img", "hr", "link", "col", "wbr", "area", "base", "source"}
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.stack = []; s.err = []; s.ids = {}
    def handle_starttag(s, t, a):
        for k, v in a:
            if k == "id":
                if v in s.ids: s.err.append("duplicate id %r at %s" % (v, s.getpos()))
                s.ids[v] = 1
        if t not in VOID: s.stack.append((t, s.getpos()))
    def handle_startendtag(s, t, a):
        pass
    def handle_endtag(s, t):
        if t in VOID: return
        if not s.stack or s.stack[-1][0] != t:
            s.err.append("</%s> at %s closes %s" % (t, s.getpos(), s.stack[-1] if s.stack else None)); return
        s.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read()); p.close()
if p.stack: p.err.append("unclosed: %s" % p.stack[-3:])
href = __import__("re").findall(r'href="#([^"]+)"', open(sys.argv[1], encoding="utf-8").read())
missing = sorted({h for h in href if h not in p.ids})
if missing: p.err.append("links to missing ids: %s" % missing[:10])
print("\n".join(p.err[:10]))
sys.exit(1 if p.err else 0)
EOF
check "report-1.35 elements nest and close, ids are unique, every #link has its target" \
  python3 "$TMP/wf.py" "$TMP/report.html"

# text is escaped
printf 'He said <script>alert(1)</script> & "Russia sold S-400 systems to India".\n' >"$TMP/esc.txt"
$TIES report -o "$TMP/esc.html" "$TMP/esc.txt" 2>/dev/null
check_eq "report-1.36 a document's markup is escaped" 0 "$(grep -c '<script>alert' "$TMP/esc.html")"
check_grep "report-1.37 ... and shown as text" 'He said &lt;script&gt;alert(1)&lt;/script&gt; &amp; ' "$TMP/esc.html"
echo "Beijing donated ten patrol boats to Cambodia." | $TIES report >"$TMP/stdin.html" 2>/dev/null
check_grep "report-1.38 without -o, stdin to stdout" '<h3 id="d0-h">stdin</h3>' "$TMP/stdin.html"

# ---- report-2: --gold ----------------------------------------------------------------
# the dev gold with one triple taken out (a false triple), one made a hard negative,
# and two req triples no rule finds: one whose evidence is in the text, one not
{
  grep -v "^$D0	req	CHN	donated	PHL	" tests/gold/seeds.gold.tsv |
    sed "s/^$D0	req	CHN	donated	GHA	/$D0	neg	CHN	donated	GHA	/"
  printf '%s\treq\tCHN\ttrained\tLBR\tIn Liberia, Ghana and C\303\264te d\342\200\231Ivoire, Beijing is using military equipment donations\n' "$D0"
  printf '%s\treq\tCHN\tsold\tNPL\tNepal bought nothing in this sentence\n' "$D0"
} >"$TMP/gold.tsv"
G="--gold $TMP/gold.tsv --entities tests/gold/entities.tsv"
$TIES report $G -o "$TMP/gold.html" seeds/ 2>"$TMP/err"
check_eq "report-2.1 report --gold exits 0" 0 $?
ours=$(sed -n 's/.*<p class="muted" id="evalline">\([^<]*\)<.*/\1/p' "$TMP/gold.html")
ref=$($TIES eval -q $G seeds/ 2>/dev/null | tail -1)
check_eq "report-2.2 the scores are those of ties eval" "$ref" "$ours"
check_grep "report-2.3 a false triple is marked in its sentence" \
  '<span class="ev has-bad" data-t="t0-[0-9]*">' "$TMP/gold.html"
check_grep "report-2.4 ... and in the list" 'CHN <b>donated</b> PHL</a> <span class="badge bad">false</span>' \
  "$TMP/gold.html"
check_grep "report-2.5 a hard negative is named so" \
  'CHN <b>donated</b> GHA</a> <span class="badge hard">false (hard negative)</span>' "$TMP/gold.html"
check_grep "report-2.6 a miss is marked where its gold evidence is (quotes folded)" \
  '<span class="anchor" id="m0-[0-9]*"></span><span class="missmark"' "$TMP/gold.html"
check_eq "report-2.7 ... the marked words are the gold evidence" \
  "In Liberia, Ghana and Côte d'Ivoire, Beijing is using military equipment donations" \
  "$(python3 "$TMP/marked.py" "$TMP/gold.html" miss)"
check_grep "report-2.8 a miss whose evidence is not in the text is listed" \
  'CHN <b>sold</b> NPL <span class="muted">(gold evidence not found in the text)</span>' "$TMP/gold.html"
check_grep "report-2.9 misses say why" '<span class="muted">no rule produced it</span>' "$TMP/gold.html"
check_grep "report-2.10 precision, recall and F1 per predicate" \
  '<th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th>' "$TMP/gold.html"
check_grep "report-2.11 ... with the figures" \
  '<th scope="row" data-v="donated">.*<td class="n">[0-9]*</td><td class="n">2</td><td class="n">0</td><td class="n" data-v="0.[0-9]*">0.[0-9][0-9][0-9]</td>' \
  "$TMP/gold.html"
check_grep "report-2.12 precision per rule" \
  '<th scope="row" data-v="donated.recipient_in_aid_context">.*<td class="n">0</td><td class="n">1</td><td class="n">0</td><td class="n" data-v="0.000000">0.000</td>' \
  "$TMP/gold.html"
check "report-2.13 the --gold page is well-formed too" python3 "$TMP/wf.py" "$TMP/gold.html"

# ---- report-3: failures ----------------------------------------------------------------
# (TIES_DOT stands for a missing or a failing dot: PATH cannot, under a wrapper)
TIES_DOT=$TMP/nosuch/dot $TIES report -o "$TMP/nodot.html" seeds/ 2>"$TMP/err"
check_eq "report-3.1 without Graphviz the page is still written, exit 0" 0 $?
check_grep "report-3.2 ... with a warning" \
  "warning: cannot run dot (Graphviz) '$TMP/nosuch/dot': .*; the report has no graph" \
  "$TMP/err"
check_eq "report-3.3 ... and no graph" 0 "$(grep -c '<svg' "$TMP/nodot.html")"
check_grep "report-3.4 ... but the nodes and their triples" '<section class="node" id="n-SRB">' "$TMP/nodot.html"
check_grep "report-3.5 ... and the reason in the page" '<p class="warn" role="status">The graph could not be drawn' \
  "$TMP/nodot.html"
printf '#!/bin/sh\necho "Error: <stdin>: syntax error in line 3" >&2\nexit 1\n' >"$TMP/baddot"
chmod +x "$TMP/baddot"
TIES_DOT=$TMP/baddot $TIES report -o "$TMP/baddot.html" seeds/ 2>"$TMP/err"
check_eq "report-3.6 a failing dot: the page is still written, exit 0" 0 $?
check_grep "report-3.7 ... with dot's message" \
  'warning: dot (Graphviz) failed: Error: <stdin>: syntax error in line 3; the report has no graph' "$TMP/err"

mkdir -p "$TMP/in"
printf '\177ELF\002\001\001\000\000\000\000\000' >"$TMP/in/a_binary.txt"
printf 'China donated \377 arms to Serbia.\n' >"$TMP/in/b_invalid.txt"
printf 'Beijing donated ten patrol boats to Cambodia.\n' >"$TMP/in/c_good.txt"
$TIES report -o "$TMP/bad.html" "$TMP/in" 2>"$TMP/err"
check_eq "report-3.8 a bad input makes exit status 1" 1 $?
check_grep "report-3.9 it is reported with the file name" 'a_binary.txt: error: binary file: an ELF executable' "$TMP/err"
check_grep "report-3.10 the page lists it as not read" '<h3 id="d0-h">a_binary <span class="badge bad">not read</span></h3>' "$TMP/bad.html"
check_grep "report-3.11 the other documents are kept" 'CHN <b>donated</b> KHM</a>' "$TMP/bad.html"
check_grep "report-3.12 an invalid byte is shown as U+FFFD, with the warning" \
  'donated � arms to' "$TMP/bad.html"
check_grep "report-3.13 ... the warning names FILE:BYTE" 'b_invalid.txt:14: warning: invalid UTF-8' "$TMP/bad.html"

$TIES report --level nosuch seeds/ >/dev/null 2>&1
check_eq "report-3.14 a bad --level exits 2" 2 $?
$TIES report --gold "$TMP/nosuch.tsv" seeds/ >/dev/null 2>"$TMP/err"
check_eq "report-3.15 a missing gold file exits 2" 2 $?
check_grep "report-3.16 ... naming it" 'nosuch.tsv: No such file or directory' "$TMP/err"
$TIES report -o "$TMP/nodir/r.html" seeds/ >/dev/null 2>"$TMP/err"
check_eq "report-3.17 an unwritable output exits 2" 2 $?
$TIES report --nosuch seeds/ >/dev/null 2>&1
check_eq "report-3.18 an unknown option exits 2" 2 $?

# ---- report-4: in a browser ----------------------------------------------------------------
CHROMIUM=""
for c in chromium chromium-browser; do
  command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -z "$CHROMIUM" ]; then
  ok "report-4 headless Chromium checks # SKIP chromium is not installed (scripts/deps.sh --test installs it)"
else
  chrome() {
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
      --disable-background-networking --user-data-dir="$TMP/chrome" "$@" 2>>"$TMP/chrome.err"
  }
  chrome --dump-dom "file://$TMP/report.html" >"$TMP/dom.html"
  check "report-4.1 Chromium renders the page" test -s "$TMP/dom.html"
  check_grep "report-4.2 the script ran" '<body data-ready="1">' "$TMP/dom.html"
  check_grep "report-4.3 the documents are in the rendered page" "<h3 id=\"d0-h\">$D0</h3>" "$TMP/dom.html"
  check_grep "report-4.4 ... both" '<h3 id="d1-h">001_23387ba8e2afde41</h3>' "$TMP/dom.html"
  check_eq "report-4.5 every triple is in the rendered table" "$n_triples" \
    "$(grep -c '<tr data-doc=' "$TMP/dom.html")"
  check_grep "report-4.6 graph nodes are rendered" '<title>CHN</title>' "$TMP/dom.html"
  check_grep "report-4.7 ... SRB, linking to its triples" '<a xlink:href="#n-SRB"' "$TMP/dom.html"
  check_grep "report-4.8 table headers became sort buttons" '<button type="button" class="sort"' "$TMP/dom.html"
  # the table per predicate is sorted by its number of triples, largest first
  top=$(cut -f6 "$TMP/rows.tsv" | sort | uniq -c | sort -k1,1nr -k2 | head -1 | awk '{print $2}')
  python3 - "$TMP/dom.html" >"$TMP/sorted" <<'EOF'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
t = dom[dom.index('id="ptable"'):]
t = t[:t.index('</table>')]
head = t[:t.index('</thead>')]
print("sorted" if re.search(r'<th scope="col" aria-sort="descending"><button[^>]*>triples', head) else "unsorted")
rows = re.findall(r'<tr><th scope="row" data-v="([^"]*)">.*?</th><td class="n">(\d+)</td>', t, re.S)
counts = [int(n) for _, n in rows]
print("descending" if counts == sorted(counts, reverse=True) else "not descending: %s" % counts)
print(rows[0][0] if rows else "")
EOF
  check_eq "report-4.9 the table per predicate is sorted by triples, largest first" \
    "sorted descending $top" "$(tr '\n' ' ' <"$TMP/sorted" | sed 's/ $//')"

  # the script at work: a filter link, a sort button, a triple, Escape, the evidence
  cat >"$TMP/probe.js" <<'EOF'
<script>
(function(){
var D=document,out=[];
D.querySelector('a[data-filter="predicate:donated"]').click();
out.push('filter=' + D.getElementById('tcount').textContent.split(' ')[0]);
var th=D.querySelector('#ttable thead th:nth-child(5)');
th.querySelector('button').click();
out.push('sort=' + th.getAttribute('aria-sort'));
out.push('first=' + D.querySelector('#ttable tbody tr:not([hidden])').getAttribute('data-predicate'));
var a=D.querySelector('.side a.tsel');
a.click();
out.push('open=' + D.documentElement.classList.contains('open'));
out.push('selected=' + D.getElementById('panel-body').getAttribute('data-selected'));
out.push('current=' + a.getAttribute('aria-current'));
D.dispatchEvent(new KeyboardEvent('keydown',{key:'Escape',bubbles:true}));
out.push('closed=' + !D.documentElement.classList.contains('open'));
var ev=D.querySelector('.ev[data-t]');
ev.click();
out.push('evidence=' + (D.getElementById('panel-body').getAttribute('data-selected')===ev.getAttribute('data-t').split(' ')[0]));
D.body.setAttribute('data-probe', out.join(' '));
})();
</script>
EOF
  python3 -c "
import sys
page = open(sys.argv[1], encoding='utf-8').read()
probe = open(sys.argv[2], encoding='utf-8').read()
sys.stdout.write(page.replace('</body>', probe + '</body>'))" "$TMP/report.html" "$TMP/probe.js" >"$TMP/probe.html"
  chrome --dump-dom "file://$TMP/probe.html" >"$TMP/dom_probe.html"
  n_donated=$(cut -f6 "$TMP/rows.tsv" | grep -c '^donated$')
  check_eq "report-4.10 the script filters, sorts, selects, closes on Escape, and selects from the text" \
    "filter=$n_donated sort=ascending first=donated open=true selected=t0-0 current=true closed=true evidence=true" \
    "$(sed -n 's/.*data-probe="\([^"]*\)".*/\1/p' "$TMP/dom_probe.html")"

  chrome --dump-dom "file://$TMP/report.html#t0-$k" >"$TMP/dom_sel.html"
  check_grep "report-4.11 a triple selected by its link shows in the panel" \
    "<div id=\"panel-body\" aria-live=\"polite\" data-selected=\"t0-$k\"><section class=\"tdetail\"" "$TMP/dom_sel.html"
  python3 - "$TMP/dom_sel.html" >"$TMP/panel.txt" <<'EOF'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
p = dom[dom.index('<div id="panel-body"'):dom.index('</aside>')]
print(html.unescape(re.sub(r"<[^>]+>", " ", p)))
EOF
  check_grep "report-4.12 ... with its rule" 'donated.direct' "$TMP/panel.txt"
  check_grep "report-4.13 ... its rule file:line" 'rules/aid.rules:[0-9]' "$TMP/panel.txt"
  check_grep "report-4.14 ... and the explanation" "sentence $sent \[" "$TMP/panel.txt"
  check_grep "report-4.15 its evidence is highlighted" \
    "<span class=\"ev sel\" data-t=\"t0-$k\">" "$TMP/dom_sel.html"

  chrome --screenshot="$TMP/report.png" --window-size=1280,1600 "file://$TMP/report.html#t0-$k" >/dev/null
  check "report-4.16 a screenshot is saved" test -s "$TMP/report.png"
  check_eq "report-4.17 ... as a PNG" "89504e47" "$(head -c 4 "$TMP/report.png" | od -An -tx1 | tr -d ' \n')"
fi
finish
