/*
 * cmd_report.c — `ties report [--gold GOLD.tsv] [-o report.html] PATH...`:
 * one self-contained HTML page for auditing what the rules claim.
 *
 * The page holds, in this order:
 *
 *   header      counts, version, the hashes of the rules and gazetteers,
 *               with --gold the overall precision, recall and F1
 *   documents   each text with its entity mentions coloured by type and the
 *               evidence of every triple underlined; beside it the list of
 *               its triples (and, with --gold, its misses)
 *   tables      per predicate and per rule (with --gold: P/R/F1 as
 *               `ties eval` computes them), and every triple; all sortable
 *   graph       the country-level graph of `--format dot` drawn by
 *               Graphviz as inline SVG; each node links to its triples
 *   errors      with --gold: misses and false triples, each with why
 *   details     per triple: subject, predicate, object, rule, rule
 *               file:line, modality, qualifiers, evidence, gold status;
 *               per sentence: what `ties explain FILE SENTENCE` prints
 *
 * Selecting a triple (links that act as buttons: Tab, then Enter or Space)
 * shows its details and the explanation in a panel at the side (Escape
 * closes it) and highlights its evidence; `report.html#t0-3` opens with
 * that triple selected. The script only adds to a page that is complete
 * without it: without the script the same links lead to the details
 * further down.
 *
 * Nothing is fetched: CSS and script are inline, the fonts are the
 * reader's own, the graph is inline SVG. Graphviz runs through a pipe
 * (posix_spawnp, no shell); when dot is missing or fails the page is
 * written without the graph and a warning says why. Every string from the
 * documents, gazetteers and rules is escaped.
 *
 * Offsets: evidence and mentions are byte spans into the document; the
 * text is cut only at span ends, which are token boundaries, so a cut never
 * splits a UTF-8 sequence. A gold miss has no span; its gold evidence is
 * looked up in the text with quotes, dashes, spaces and ASCII case folded.
 */
#include "explain.h"
#include "gold.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char S_usage[] =
    "usage: ties report [options] [PATH...]\n"
    "  One self-contained HTML page: the documents with their entities and the\n"
    "  evidence of each triple, tables per predicate and per rule, the country\n"
    "  graph (Graphviz), and each triple's rule and explanation.\n"
    "  -o FILE            write to FILE (default: standard output)\n"
    "  --gold FILE        mark misses and false triples; P/R/F1 per predicate and rule\n"
    "  --entities FILE    countries of the gold's orgs and people (id type label country)\n"
    "  --level L          scoring level: country (default) or entity\n"
    "  --title TEXT       the page title\n"
    "  --rules PATH, --gazetteers DIR, --date, --main-actor as for extract\n"
    "  TIES_DOT=PATH      the Graphviz dot to run (default: dot on the PATH)\n";

typedef struct ropts {
  const char *gold, *entities, *level, *title;
} ropts;

static int S_extra(cli *c, const char *opt, const char *val, void *ctx) {
  (void)c;
  ropts *o = ctx;
  const char **slot = !strcmp(opt, "--gold")       ? &o->gold
                      : !strcmp(opt, "--entities") ? &o->entities
                      : !strcmp(opt, "--level")    ? &o->level
                      : !strcmp(opt, "--title")    ? &o->title
                                                   : NULL;
  if (!slot || !val)
    return -1;
  *slot = val;
  return 1;
}

/* ---- escaping ------------------------------------------------------------ */

/* Text or attribute value: the five characters HTML gives meaning to. */
static void S_esc(buf *b, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = NULL;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: break;
    }
    if (rep) {
      buf_put(b, s + start, i - start);
      buf_puts(b, rep);
      start = i + 1;
    }
  }
  buf_put(b, s + start, n - start);
}

static void S_escs(buf *b, const char *s) { S_esc(b, s ? s : "", s ? strlen(s) : 0); }

/* Document bytes: escaped; the replaced invalid bytes shown as U+FFFD, as
 * the other writers do; control characters, which HTML does not allow,
 * as spaces; CR LF and lone CR as LF. */
static void S_doc_text(buf *b, const char *p, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)p[i];
    const char *rep = NULL;
    switch (ch) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    case TEXT_BAD: rep = "\xef\xbf\xbd"; break;
    case '\r': rep = i + 1 < n && p[i + 1] == '\n' ? "" : "\n"; break;
    case '\n': case '\t': break;
    default:
      if (ch < 0x20 || ch == 0x7f)
        rep = " ";
    }
    if (rep) {
      buf_put(b, p + start, i - start);
      buf_puts(b, rep);
      start = i + 1;
    }
  }
  buf_put(b, p + start, n - start);
}

/* An entity id as an HTML id: letters, digits, '-', ':' and '.' kept, every
 * other byte as _XX, so that distinct ids stay distinct. */
static void S_hid(buf *b, const char *id) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *s = (const unsigned char *)id; *s; s++) {
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
        (*s >= '0' && *s <= '9') || *s == '-' || *s == ':' || *s == '.')
      buf_putc(b, *s);
    else {
      buf_putc(b, '_');
      buf_putc(b, hex[*s >> 4]);
      buf_putc(b, hex[*s & 15]);
    }
  }
}

/* ---- what the page is made of -------------------------------------------- */

enum { /* gold status of a triple */
  ST_NONE = 0,   /* the gold does not cover the document */
  ST_OK,         /* a req triple */
  ST_OPT,        /* an opt triple: neither rewarded nor punished */
  ST_BAD,        /* not in the gold: false */
  ST_HARD,       /* a neg triple of the gold: false, and a known trap */
  ST_SAME        /* both sides roll up to one state: not scored */
};

static const char *const S_st_class[] = {"", "ok", "opt", "bad", "hard", "same"};
static const char *const S_st_text[] = {"", "correct", "optional", "false",
                                        "false (hard negative)", "not scored"};

typedef struct rtrip {
  unsigned doc, k;                /* document, and index within it */
  unsigned sentence;
  size_t start, end;              /* bytes of the evidence */
  const char *s, *p, *o, *sc, *oc;
  const char *rule, *rule_file;
  unsigned rule_line;
  const char *evidence, *modality, *cue, *item, *amount, *date;
  const char *node_s, *node_o;    /* graph nodes, NULL when left out */
  int status;                     /* ST_* */
} rtrip;

typedef struct rdoc {
  const char *name, *path;
  size_t first, n;                /* its triples in report.trips */
} rdoc;

typedef struct rnode {
  const char *id;
  vec trips;                      /* size_t indexes into report.trips */
} rnode;

typedef struct report {
  const ropts *o;
  const ties_engine *e;
  gold *g;                        /* NULL without --gold */
  arena ar;
  vec docs;                       /* rdoc */
  vec trips;                      /* rtrip */
  strmap nodes;                   /* graph node id → rnode* */
  vec node_list;                  /* rnode* */
  strmap first_of_key;            /* gold key → first triple index + 1 */
  strmap miss_anchor;             /* gold key → "m3-1 x3-17" (mark, explanation), "" */
  buf docs_html;                  /* the documents */
  buf details_html;               /* one block per triple */
  buf explain_html;               /* one block per explained sentence */
  const emitter *dot;             /* --format dot, fed document by document */
  emit_ctx dotc;
  size_t n_failed;
} report;

/* The node a side of a triple rolls up to (the rule of emit_dot.c): an org
 * or person becomes its state, a body without a state stays itself,
 * platforms are left out. */
static const char *S_side(const ties_engine *e, const char *id, const char *country) {
  if (country && *country)
    return country;
  if (!id || !*id || !strncmp(id, "platform:", 9))
    return NULL;
  const entity *en = engine_entity(e, id);
  if (en && en->type == TIES_PLATFORM)
    return NULL;
  return id;
}

static const char *S_label(const ties_engine *e, const char *id) {
  const entity *en = engine_entity(e, id);
  return en && en->label && *en->label ? en->label : NULL;
}

static void S_node_add(report *R, const char *id, size_t ti) {
  void **slot = strmap_slot(&R->nodes, id, strlen(id), &R->ar);
  if (!slot)
    return;
  if (!*slot) {
    rnode *n = arena_alloc(&R->ar, sizeof *n);
    rnode **np = vec_push(&R->node_list);
    if (!n || !np)
      return;
    n->id = arena_strdup(&R->ar, id);
    vec_init(&n->trips, sizeof(size_t));
    *np = n;
    *slot = n;
  }
  size_t *p = vec_push(&((rnode *)*slot)->trips);
  if (p)
    *p = ti;
}

/* ---- pieces of markup ---------------------------------------------------- */

/* A button that selects triple ti (a link to its details without script). */
static void S_tsel(report *R, buf *b, size_t ti, bool with_status) {
  const rtrip *t = &VEC_AT(&R->trips, rtrip, ti);
  buf_printf(b, "<a class=\"tsel\" role=\"button\" href=\"#t%u-%u\" data-id=\"t%u-%u\">",
             t->doc, t->k, t->doc, t->k);
  S_escs(b, t->s);
  buf_puts(b, " <b>");
  S_escs(b, t->p);
  buf_puts(b, "</b> ");
  S_escs(b, t->o);
  buf_puts(b, "</a>");
  if (with_status && t->status)
    buf_printf(b, " <span class=\"badge %s\">%s</span>", S_st_class[t->status],
               S_st_text[t->status]);
}

/* "s p o" of a gold key "doc\ts\tp\to". */
static void S_key_spo(buf *b, const char *key) {
  const char *s = strchr(key, '\t');
  s = s ? s + 1 : key;
  const char *p = strchr(s, '\t');
  const char *o = p ? strchr(p + 1, '\t') : NULL;
  if (!p || !o) {
    S_escs(b, s);
    return;
  }
  /* keys order the fields doc, subject, predicate, object */
  S_esc(b, s, (size_t)(p - s));
  buf_puts(b, " <b>");
  S_esc(b, p + 1, (size_t)(o - p - 1));
  buf_puts(b, "</b> ");
  S_escs(b, o + 1);
}

static void S_entity_dd(report *R, buf *b, const char *id, const char *country) {
  buf_puts(b, "<code>");
  S_escs(b, id);
  buf_puts(b, "</code>");
  const char *label = S_label(R->e, id);
  if (label) {
    buf_puts(b, " ");
    S_escs(b, label);
  }
  if (country && *country && strcmp(country, id)) {
    buf_puts(b, " <span class=\"muted\">acts for <code>");
    S_escs(b, country);
    buf_puts(b, "</code></span>");
  }
}

/* ---- locating a gold miss ---------------------------------------------- */

/* Fold for matching: quotes, dashes and spaces to ASCII, runs of spaces to
 * one, ASCII letters to lower case; from[k] and to[k] are the bytes of the
 * source character that made output byte k. */
static size_t S_fold(const char *s, size_t n, char *out, size_t *from, size_t *to) {
  size_t k = 0;
  bool space = true; /* drop leading spaces */
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (cp < 0 || cp == TEXT_BAD)
      cp = ' ';
    int cls = utf8_class(cp);
    if (cls == CC_SPACE || cls == CC_NEWLINE) {
      if (!space) {
        from[k] = i;
        to[k] = i + (size_t)len;
        out[k++] = ' ';
      }
      space = true;
      i += (size_t)len;
      continue;
    }
    space = false;
    cp = utf8_fold_punct(cp);
    if (cp >= 'A' && cp <= 'Z')
      cp += 'a' - 'A';
    char enc[4];
    int m = utf8_encode(cp, enc);
    for (int j = 0; j < m; j++) {
      from[k] = i;
      to[k] = i + (size_t)len;
      out[k++] = enc[j];
    }
    i += (size_t)len;
  }
  while (k && out[k - 1] == ' ')
    k--;
  return k;
}

typedef struct folded {
  char *p;
  size_t *from, *to;
  size_t n;
} folded;

static void S_fold_doc(folded *f, const char *s, size_t n) {
  /* a folded character is at most 4 bytes and never longer than its source
   * (folding maps to ASCII or keeps the code point), so n bytes suffice */
  f->p = malloc(n + 1);
  f->from = malloc((n + 1) * sizeof(size_t));
  f->to = malloc((n + 1) * sizeof(size_t));
  f->n = f->p && f->from && f->to ? S_fold(s, n, f->p, f->from, f->to) : 0;
}

static void S_fold_free(folded *f) {
  free(f->p);
  free(f->from);
  free(f->to);
}

/* The bytes of the document where the gold evidence is, false if nowhere. */
static bool S_locate(const folded *doc, const char *ev, size_t *start, size_t *end) {
  size_t n = strlen(ev);
  if (!n || !doc->n)
    return false;
  char *p = malloc(n + 1);
  size_t *from = malloc((n + 1) * sizeof(size_t)), *to = malloc((n + 1) * sizeof(size_t));
  bool found = false;
  if (p && from && to) {
    size_t k = S_fold(ev, n, p, from, to);
    /* a trailing full stop is often left out of evidence, or added */
    while (k && (p[k - 1] == '.' || p[k - 1] == ' '))
      k--;
    if (k) {
      for (size_t i = 0; i + k <= doc->n; i++) {
        if (doc->p[i] == p[0] && !memcmp(doc->p + i, p, k)) {
          *start = doc->from[i];
          *end = doc->to[i + k - 1];
          found = true;
          break;
        }
      }
    }
  }
  free(p);
  free(from);
  free(to);
  return found;
}

/* ---- a document's text ---------------------------------------------------- */

enum { SPAN_EV, SPAN_MISS };

typedef struct span {
  size_t start, end;
  int kind;         /* SPAN_* */
  size_t ref;       /* triple index (global), or miss number */
  int status;       /* evidence: ST_* of its triple */
} span;

static int S_cmp_span(const void *a, const void *b) {
  const span *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end > y->end ? -1 : 1;
  return x->ref < y->ref ? -1 : x->ref > y->ref;
}

static int S_cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

static int S_cmp_mention(const void *a, const void *b) {
  const ties_mention *x = *(const ties_mention *const *)a,
                     *y = *(const ties_mention *const *)b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end > y->end ? -1 : x->end < y->end;
}

static const char *S_type_class(ties_etype t) {
  switch (t) {
  case TIES_COUNTRY: return "m-country";
  case TIES_ORG: return "m-org";
  case TIES_PERSON: return "m-person";
  case TIES_PLATFORM: return "m-platform";
  case TIES_PLACE: return "m-place";
  case TIES_MONEY: return "m-money";
  case TIES_DATE: return "m-date";
  default: return "m-other";
  }
}

/* Text [a, b) with the mentions in it (clipped to it). *mi walks the
 * mentions, which are sorted by start. */
static void S_text_mentions(buf *b, const char *text, size_t a, size_t end,
                            const ties_mention **ms, size_t nm, size_t *mi) {
  size_t pos = a;
  while (*mi < nm && ms[*mi]->end <= pos)
    (*mi)++;
  for (size_t j = *mi; j < nm && ms[j]->start < end; j++) {
    const ties_mention *m = ms[j];
    if (m->end <= pos)
      continue; /* overlapped by an earlier one */
    size_t s = m->start > pos ? m->start : pos;
    size_t e = m->end < end ? m->end : end;
    S_doc_text(b, text + pos, s - pos);
    buf_printf(b, "<span class=\"m %s\" title=\"", S_type_class(m->type));
    S_escs(b, m->id);
    if (m->label && *m->label && strcmp(m->label, m->id)) {
      buf_puts(b, " \xc2\xb7 ");
      S_escs(b, m->label);
    }
    buf_printf(b, " (%s, ", ties_etype_name(m->type));
    S_escs(b, m->how);
    if (m->country && *m->country && strcmp(m->country, m->id)) {
      buf_puts(b, ", acts for ");
      S_escs(b, m->country);
    }
    buf_puts(b, ")\">");
    S_doc_text(b, text + s, e - s);
    buf_puts(b, "</span>");
    pos = e;
  }
  S_doc_text(b, text + pos, end - pos);
}

/* The whole text: runs of bytes covered by the same evidence and misses
 * become one <span class="ev" data-t="..."> each; an empty anchor marks
 * where each triple's evidence and each miss begins. */
static void S_render_text(report *R, buf *b, const ties_doc *d, const span *sp,
                          size_t nsp, const char *const *miss_ids) {
  const char *text = d->t.p;
  size_t len = d->t.len, from = d->t.skip;
  size_t nm = ties_doc_n_mentions(d);
  const ties_mention **ms = calloc(nm ? nm : 1, sizeof *ms);
  size_t *cuts = malloc((2 * nsp + 2) * sizeof(size_t));
  size_t *active = malloc((nsp ? nsp : 1) * sizeof(size_t));
  if (!ms || !cuts || !active) {
    b->failed = true;
    free(ms);
    free(cuts);
    free(active);
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < nm; i++) {
    const ties_mention *m = ties_doc_mention(d, i);
    if (m && m->end > m->start && m->end <= len)
      ms[k++] = m;
  }
  nm = k;
  qsort(ms, nm, sizeof *ms, S_cmp_mention);
  size_t nc = 0;
  cuts[nc++] = from;
  cuts[nc++] = len;
  for (size_t i = 0; i < nsp; i++) {
    cuts[nc++] = sp[i].start;
    cuts[nc++] = sp[i].end;
  }
  qsort(cuts, nc, sizeof(size_t), S_cmp_size);
  size_t mi = 0, next = 0, nact = 0;
  for (size_t ci = 0; ci + 1 < nc; ci++) {
    size_t a = cuts[ci], e = cuts[ci + 1];
    if (a == e || a < from)
      continue;
    /* spans begin (sp is sorted by start) and end */
    for (; next < nsp && sp[next].start <= a; next++) {
      if (sp[next].end <= a)
        continue;
      active[nact++] = next;
      const span *s = &sp[next];
      if (s->kind == SPAN_EV) {
        const rtrip *t = &VEC_AT(&R->trips, rtrip, s->ref);
        buf_printf(b, "<span class=\"anchor\" id=\"e%u-%u\"></span>", t->doc, t->k);
      } else {
        buf_printf(b, "<span class=\"anchor\" id=\"%s\"></span>"
                      "<span class=\"missmark\" title=\"a gold triple no rule found\">"
                      "missed</span>",
                   miss_ids[s->ref]);
      }
    }
    size_t w = 0;
    for (size_t i = 0; i < nact; i++)
      if (sp[active[i]].end > a)
        active[w++] = active[i];
    nact = w;
    if (!nact) {
      S_text_mentions(b, text, a, e, ms, nm, &mi);
      continue;
    }
    bool ev = false, miss = false, ok = false, bad = false, opt = false;
    for (size_t i = 0; i < nact; i++) {
      const span *s = &sp[active[i]];
      if (s->kind == SPAN_MISS) {
        miss = true;
        continue;
      }
      ev = true;
      ok |= s->status == ST_OK;
      opt |= s->status == ST_OPT;
      bad |= s->status == ST_BAD || s->status == ST_HARD;
    }
    buf_printf(b, "<span class=\"%s%s%s%s%s\"", ev ? "ev" : "miss",
               ev && miss ? " miss" : "", ok ? " has-ok" : "", opt ? " has-opt" : "",
               bad ? " has-bad" : "");
    if (ev) {
      buf_puts(b, " data-t=\"");
      bool first = true;
      for (size_t i = 0; i < nact; i++) {
        const span *s = &sp[active[i]];
        if (s->kind != SPAN_EV)
          continue;
        const rtrip *t = &VEC_AT(&R->trips, rtrip, s->ref);
        buf_printf(b, "%st%u-%u", first ? "" : " ", t->doc, t->k);
        first = false;
      }
      buf_puts(b, "\"");
    }
    buf_puts(b, ">");
    S_text_mentions(b, text, a, e, ms, nm, &mi);
    buf_puts(b, "</span>");
  }
  free(ms);
  free(cuts);
  free(active);
}

/* ---- one document --------------------------------------------------------- */

static void S_explain_block(report *R, unsigned di, ties_doc *d, unsigned si,
                            strmap *done) {
  char key[32];
  int n = snprintf(key, sizeof key, "%u", si);
  void **slot = strmap_slot(done, key, (size_t)n, &R->ar);
  if (!slot || *slot)
    return;
  *slot = (void *)1;
  buf x = BUF_INIT;
  explain_doc_header(&x, d);
  explain_sentence(&x, d, si, NULL, 0, false);
  buf *b = &R->explain_html;
  buf_printf(b, "<details class=\"explain\"><summary>");
  S_escs(b, ties_doc_name(d));
  buf_printf(b, ", sentence %u</summary><pre id=\"x%u-%u\">", si, di, si);
  S_esc(b, x.p ? x.p : "", x.len);
  buf_puts(b, "</pre></details>\n");
  if (x.failed)
    b->failed = true;
  buf_free(&x);
}

static void S_details(report *R, size_t ti, const ties_doc *d) {
  const rtrip *t = &VEC_AT(&R->trips, rtrip, ti);
  buf *b = &R->details_html;
  buf_printf(b, "<section class=\"tdetail\" id=\"t%u-%u\" aria-labelledby=\"t%u-%u-h\">"
                "<h3 id=\"t%u-%u-h\">",
             t->doc, t->k, t->doc, t->k, t->doc, t->k);
  S_escs(b, t->s);
  buf_puts(b, " <b>");
  S_escs(b, t->p);
  buf_puts(b, "</b> ");
  S_escs(b, t->o);
  buf_puts(b, "</h3>\n<dl>\n<dt>subject</dt><dd>");
  S_entity_dd(R, b, t->s, t->sc);
  buf_puts(b, "</dd>\n<dt>predicate</dt><dd><code>");
  S_escs(b, t->p);
  buf_puts(b, "</code>");
  const predicate *pd = strmap_get(&R->e->pred_by_name, t->p, strlen(t->p));
  if (pd && pd->definition && *pd->definition) {
    buf_puts(b, " \xe2\x80\x94 ");
    S_escs(b, pd->definition);
  }
  buf_puts(b, "</dd>\n<dt>object</dt><dd>");
  S_entity_dd(R, b, t->o, t->oc);
  buf_puts(b, "</dd>\n<dt>rule</dt><dd><code>");
  S_escs(b, t->rule);
  buf_puts(b, "</code>");
  const rule *r = R->e->rules ? strmap_get(&R->e->rules->by_id, t->rule, strlen(t->rule)) : NULL;
  if (r && r->about && *r->about) {
    buf_puts(b, " \xe2\x80\x94 ");
    S_escs(b, r->about);
  }
  buf_puts(b, "</dd>\n<dt>rule source</dt><dd><code>");
  S_escs(b, t->rule_file);
  buf_printf(b, ":%u</code></dd>\n<dt>modality</dt><dd>", t->rule_line);
  S_escs(b, t->modality);
  if (t->cue && *t->cue) {
    buf_puts(b, " (cue \xe2\x80\x9c");
    S_escs(b, t->cue);
    buf_puts(b, "\xe2\x80\x9d)");
  }
  buf_puts(b, "</dd>\n");
  const char *qn[] = {"item", "amount", "date"};
  const char *qv[] = {t->item, t->amount, t->date};
  for (int i = 0; i < 3; i++) {
    if (!qv[i] || !*qv[i])
      continue;
    buf_printf(b, "<dt>%s</dt><dd>", qn[i]);
    S_escs(b, qv[i]);
    buf_puts(b, "</dd>\n");
  }
  buf_printf(b, "<dt>document</dt><dd><a href=\"#d%u\">", t->doc);
  S_escs(b, ties_doc_name(d));
  buf_printf(b, "</a>, sentence %u, bytes %zu\xe2\x80\x93%zu</dd>\n", t->sentence, t->start,
             t->end);
  buf_puts(b, "<dt>evidence</dt><dd><q>");
  S_escs(b, t->evidence);
  buf_printf(b, "</q> <a href=\"#e%u-%u\">show in the text</a></dd>\n", t->doc, t->k);
  if (t->status) {
    buf_printf(b, "<dt>gold</dt><dd><span class=\"badge %s\">%s</span>",
               S_st_class[t->status], S_st_text[t->status]);
    if (t->status == ST_SAME)
      buf_puts(b, " both sides are one state at the country level");
    buf_puts(b, "</dd>\n");
  }
  buf_printf(b, "</dl>\n<p class=\"xref\" data-x=\"x%u-%u\"><a href=\"#x%u-%u\">"
                "What <code>ties explain</code> says about sentence %u</a></p>\n"
                "</section>\n",
             t->doc, t->sentence, t->doc, t->sentence, t->sentence);
}

/* A miss found in this document: where its gold evidence is. */
typedef struct rmiss {
  const char *key, *evidence, *why;
  bool located;
  size_t start, end;
  unsigned sentence;
} rmiss;

static unsigned S_sentence_at(const ties_doc *d, size_t off) {
  for (size_t i = 0; i < d->sents.len; i++) {
    const sent *s = DOC_SENT(d, i);
    if (off < s->end)
      return (unsigned)i;
  }
  return d->sents.len ? (unsigned)d->sents.len - 1 : 0;
}

static void S_diag_list(const ties_doc *d, buf *b) {
  size_t n = d ? ties_doc_n_diags(d) : 0;
  if (!n)
    return;
  buf_puts(b, "<ul class=\"diags\">");
  for (size_t i = 0; i < n; i++) {
    buf line = BUF_INIT;
    diag_format(&line, ties_doc_diag(d, i), false);
    buf_puts(b, "<li><pre>");
    S_esc(b, line.p ? line.p : "", line.len);
    buf_puts(b, "</pre></li>");
    buf_free(&line);
  }
  buf_puts(b, "</ul>\n");
}

/* A document that could not be read or was refused: reported in the page
 * as on stderr, so the reader knows what is absent. */
static void S_failed_doc(report *R, const char *name, const char *path,
                         const char *why, const ties_doc *d) {
  rdoc *rd = vec_push(&R->docs);
  if (!rd)
    return;
  unsigned di = (unsigned)(R->docs.len - 1);
  rd->name = arena_strdup(&R->ar, name);
  rd->path = arena_strdup(&R->ar, path);
  rd->first = R->trips.len;
  R->n_failed++;
  buf *b = &R->docs_html;
  buf_printf(b, "<article class=\"doc failed\" id=\"d%u\" aria-labelledby=\"d%u-h\">"
                "<h3 id=\"d%u-h\">", di, di, di);
  S_escs(b, name);
  buf_puts(b, " <span class=\"badge bad\">not read</span></h3>\n<p class=\"meta\">");
  S_escs(b, path);
  buf_puts(b, "</p>\n");
  if (why) {
    buf_puts(b, "<ul class=\"diags\"><li><pre>");
    S_escs(b, why);
    buf_puts(b, "</pre></li></ul>\n");
  }
  S_diag_list(d, b);
  buf_puts(b, "</article>\n");
}

static void S_add_doc(report *R, ties_doc *d, const char *path) {
  const char *name = ties_doc_name(d);
  rdoc *rd = vec_push(&R->docs);
  if (!rd)
    return;
  unsigned di = (unsigned)(R->docs.len - 1);
  rd->name = arena_strdup(&R->ar, name);
  rd->path = arena_strdup(&R->ar, path);
  rd->first = R->trips.len;
  rd->n = ties_doc_n_triples(d);
  const gold_doc *gd = R->g ? gold_find_doc(R->g, name, strlen(name)) : NULL;
  if (R->g)
    gold_add_doc(R->g, d, name);
  if (R->dot) {
    emit_doc ed;
    emit_doc_of(&ed, d, path);
    R->dot->doc(&R->dotc, &ed);
  }

  /* the triples, with their gold status: the kept candidates are the
   * triples, in order (triple.c) */
  size_t k = 0;
  for (size_t ci = 0; ci < d->cands.len && k < rd->n; ci++) {
    const candidate *cd = &VEC_AT(&d->cands, candidate, ci);
    if (cd->why_dropped)
      continue;
    const ties_triple *t = ties_doc_triple(d, k);
    rtrip *rt = vec_push(&R->trips);
    if (!rt)
      break;
    size_t ti = R->trips.len - 1;
    rt->doc = di;
    rt->k = (unsigned)k++;
    rt->sentence = t->sentence;
    rt->start = t->start;
    rt->end = t->end;
    rt->s = arena_strdup(&R->ar, t->subject);
    rt->p = arena_strdup(&R->ar, t->predicate);
    rt->o = arena_strdup(&R->ar, t->object);
    rt->sc = arena_strdup(&R->ar, t->subject_country);
    rt->oc = arena_strdup(&R->ar, t->object_country);
    rt->rule = arena_strdup(&R->ar, t->rule);
    rt->rule_file = arena_strdup(&R->ar, t->rule_file);
    rt->rule_line = t->rule_line;
    rt->evidence = arena_strdup(&R->ar, t->evidence);
    rt->modality = arena_strdup(&R->ar, t->modality);
    rt->cue = arena_strdup(&R->ar, t->cue);
    rt->item = arena_strdup(&R->ar, t->item);
    rt->amount = arena_strdup(&R->ar, t->amount);
    rt->date = arena_strdup(&R->ar, t->date);
    if (gd) {
      char *key = gold_cand_key(R->g, name, cd);
      if (!key) {
        rt->status = ST_SAME;
      } else {
        int st = gold_status(R->g, key);
        rt->status = st == GOLD_REQ   ? ST_OK
                     : st == GOLD_OPT ? ST_OPT
                     : st == GOLD_NEG ? ST_HARD
                                      : ST_BAD;
        void **slot = strmap_slot(&R->first_of_key, key, strlen(key), &R->ar);
        if (slot && !*slot)
          *slot = (void *)(uintptr_t)(ti + 1);
        free(key);
      }
    }
    const char *ns = S_side(R->e, rt->s, rt->sc), *no = S_side(R->e, rt->o, rt->oc);
    if (ns && no && strcmp(ns, no)) {
      rt->node_s = arena_strdup(&R->ar, ns);
      rt->node_o = arena_strdup(&R->ar, no);
    }
  }
  rd->n = k;

  /* the misses of this document, where their evidence is */
  vec misses;
  vec_init(&misses, sizeof(rmiss));
  folded fd = {0};
  if (gd && gd->req.len) {
    S_fold_doc(&fd, d->t.p + d->t.skip, d->t.len - d->t.skip);
    for (size_t i = 0; i < fd.n; i++) {
      fd.from[i] += d->t.skip;
      fd.to[i] += d->t.skip;
    }
  }
  for (size_t i = 0; gd && i < gd->req.len; i++) {
    const char *key = VEC_AT(&gd->req, const char *, i);
    if (gold_found(R->g, key))
      continue;
    rmiss *m = vec_push(&misses);
    if (!m)
      break;
    m->key = key;
    m->evidence = gold_evidence(R->g, key);
    m->why = gold_why_dropped(R->g, key);
    m->located = m->evidence && S_locate(&fd, m->evidence, &m->start, &m->end);
    if (m->located)
      m->sentence = S_sentence_at(d, m->start);
  }
  S_fold_free(&fd);

  /* spans to mark in the text */
  size_t nsp = 0;
  span *sp = malloc((rd->n + misses.len + 1) * sizeof *sp);
  const char **miss_ids = calloc(misses.len + 1, sizeof *miss_ids);
  if (!sp || !miss_ids) {
    R->docs_html.failed = true;
    free(sp);
    free(miss_ids);
    vec_free(&misses);
    return;
  }
  for (size_t i = 0; i < rd->n; i++) {
    const rtrip *t = &VEC_AT(&R->trips, rtrip, rd->first + i);
    if (t->end <= t->start || t->end > d->t.len)
      continue;
    sp[nsp++] = (span){t->start, t->end, SPAN_EV, rd->first + i, t->status};
  }
  for (size_t i = 0; i < misses.len; i++) {
    rmiss *m = &VEC_AT(&misses, rmiss, i);
    miss_ids[i] = arena_printf(&R->ar, "m%u-%zu", di, i);
    if (m->located && m->end > m->start)
      sp[nsp++] = (span){m->start, m->end, SPAN_MISS, i, 0};
  }
  qsort(sp, nsp, sizeof *sp, S_cmp_span);

  /* the section */
  buf *b = &R->docs_html;
  buf_printf(b, "<article class=\"doc\" id=\"d%u\" aria-labelledby=\"d%u-h\">"
                "<h3 id=\"d%u-h\">", di, di, di);
  S_escs(b, name);
  buf_puts(b, "</h3>\n<p class=\"meta\"><span>");
  S_escs(b, path);
  buf_printf(b, "</span> <span>date %s</span> <span>main actor %s</span> "
                "<span>%zu triple%s</span>",
             ties_doc_date(d)[0] ? ties_doc_date(d) : "unknown",
             ties_doc_main_actor(d)[0] ? ties_doc_main_actor(d) : "none", rd->n,
             rd->n == 1 ? "" : "s");
  if (R->g) {
    if (gd)
      buf_printf(b, " <span>%zu miss%s</span>", misses.len, misses.len == 1 ? "" : "es");
    else
      buf_puts(b, " <span>not in the gold</span>");
  }
  buf_puts(b, "</p>\n");
  S_diag_list(d, b);
  buf_printf(b, "<div class=\"doc-body\">\n<div class=\"text\" tabindex=\"0\" role=\"region\" "
                "aria-label=\"Text of ");
  S_escs(b, name);
  buf_puts(b, "\">");
  S_render_text(R, b, d, sp, nsp, miss_ids);
  buf_puts(b, "</div>\n<div class=\"side\">\n");
  /* the misses first: they are what an auditor looks for */
  if (misses.len) {
    buf_puts(b, "<h4>Missed</h4>\n<ul class=\"mlist\">\n");
    for (size_t i = 0; i < misses.len; i++) {
      const rmiss *m = &VEC_AT(&misses, rmiss, i);
      buf_puts(b, "<li>");
      if (m->located)
        buf_printf(b, "<a href=\"#%s\">", miss_ids[i]);
      S_key_spo(b, m->key);
      if (m->located)
        buf_puts(b, "</a>");
      else
        buf_puts(b, " <span class=\"muted\">(gold evidence not found in the text)</span>");
      buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
  }
  buf_printf(b, "<h4>Triples</h4>\n");
  if (!rd->n)
    buf_puts(b, "<p class=\"muted\">none</p>\n");
  else {
    buf_puts(b, "<ol class=\"tlist\">\n");
    for (size_t i = 0; i < rd->n; i++) {
      const rtrip *t = &VEC_AT(&R->trips, rtrip, rd->first + i);
      if (t->status)
        buf_printf(b, "<li class=\"%s\">", S_st_class[t->status]);
      else
        buf_puts(b, "<li>");
      S_tsel(R, b, rd->first + i, true);
      buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ol>\n");
  }
  buf_puts(b, "</div>\n</div>\n</article>\n");

  /* details and explanations */
  strmap done;
  strmap_init(&done);
  for (size_t i = 0; i < rd->n; i++) {
    S_details(R, rd->first + i, d);
    S_explain_block(R, di, d, VEC_AT(&R->trips, rtrip, rd->first + i).sentence, &done);
  }
  for (size_t i = 0; i < misses.len; i++) {
    rmiss *m = &VEC_AT(&misses, rmiss, i);
    if (m->located)
      S_explain_block(R, di, d, m->sentence, &done);
    /* the errors section links a miss to its place and its sentence
     * ("m0-1 x0-17"), or says that its evidence is not in the text ("") */
    void **slot = strmap_slot(&R->miss_anchor, m->key, strlen(m->key), &R->ar);
    if (slot)
      *slot = m->located ? arena_printf(&R->ar, "%s x%u-%u", miss_ids[i], di, m->sentence)
                         : (char *)"";
  }
  strmap_free(&done);
  free(sp);
  free(miss_ids);
  vec_free(&misses);
}

/* ---- the graph ----------------------------------------------------------- */

/* The DOT of --format dot with, for every node, an id and a link to its
 * list of triples: statements appended after the node's own, which DOT
 * merges into it. Only nodes the DOT declares are given attributes, or a
 * statement would add a node. */
static void S_dot_links(buf *dot, buf *out) {
  const char *p = dot->p ? dot->p : "";
  const char *end = p + dot->len;
  /* the body without its closing brace */
  const char *close = end;
  while (close > p && close[-1] != '}')
    close--;
  if (close > p)
    close--;
  buf_put(out, p, (size_t)(close - p));
  buf id = BUF_INIT;
  for (const char *l = p; l < close;) {
    const char *nl = memchr(l, '\n', (size_t)(close - l));
    const char *le = nl ? nl : close;
    if (le - l > 3 && l[0] == ' ' && l[1] == ' ' && l[2] == '"') {
      buf_clear(&id);
      const char *q = l + 3;
      for (; q < le && *q != '"'; q++) {
        if (*q == '\\' && q + 1 < le)
          q++;
        buf_putc(&id, *q);
      }
      /* a node statement: "ID" [...]; an edge has -> after the name */
      if (q + 2 < le && q[1] == ' ' && q[2] == '[') {
        buf_puts(out, "  \"");
        for (const char *s = buf_cstr(&id); *s; s++) {
          if (*s == '"' || *s == '\\')
            buf_putc(out, '\\');
          buf_putc(out, *s);
        }
        buf_puts(out, "\" [id=\"g-");
        S_hid(out, buf_cstr(&id));
        buf_puts(out, "\", href=\"#n-");
        S_hid(out, buf_cstr(&id));
        buf_puts(out, "\", target=\"_self\"];\n");
      }
    }
    l = nl ? nl + 1 : close;
  }
  buf_puts(out, "}\n");
  if (id.failed)
    out->failed = true;
  buf_free(&id);
}

/* Run `dot -Tsvg` on the DOT text: its standard input is a temporary file
 * and its standard output a pipe, so neither side can block the other;
 * its standard error goes to another temporary file, for the warning.
 * $TIES_DOT names another dot (a build of one's own; tests use it to stand
 * for a missing or failing one). Returns 0 and the SVG in svg, or -1 with
 * the reason in why. */
static int S_run_dot(const buf *dot, buf *svg, char *why, size_t whylen) {
  const char *dotprog = getenv("TIES_DOT");
  bool own = dotprog && *dotprog;
  if (!own)
    dotprog = "dot";
  FILE *in = tmpfile(), *err = tmpfile();
  int fds[2] = {-1, -1};
  int rc = -1;
  if (!in || !err || pipe(fds) != 0) {
    snprintf(why, whylen, "cannot make a temporary file: %s", strerror(errno));
    goto done;
  }
  if (fwrite(dot->p ? dot->p : "", 1, dot->len, in) != dot->len || fflush(in) != 0) {
    snprintf(why, whylen, "cannot write a temporary file: %s", strerror(errno));
    goto done;
  }
  rewind(in);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fileno(in), 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  char *argv[] = {(char *)dotprog, "-Tsvg", NULL};
  pid_t pid;
  int se = posix_spawnp(&pid, dotprog, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  fds[1] = -1;
  if (se != 0) {
    if (se == ENOENT && !own)
      snprintf(why, whylen, "dot (Graphviz) is not installed (the graphviz package)");
    else
      snprintf(why, whylen, "cannot run dot (Graphviz) '%s': %s", dotprog, strerror(se));
    goto done;
  }
  char chunk[65536];
  for (;;) {
    ssize_t got = read(fds[0], chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    buf_put(svg, chunk, (size_t)got);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    snprintf(why, whylen, "cannot run dot (Graphviz) '%s': not found", dotprog);
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char msg[256] = "";
    rewind(err);
    size_t n = fread(msg, 1, sizeof msg - 1, err);
    msg[n] = 0;
    char *nl = strchr(msg, '\n');
    if (nl)
      *nl = 0;
    snprintf(why, whylen, "dot (Graphviz) failed%s%s", msg[0] ? ": " : "", msg);
  } else if (svg->failed) {
    snprintf(why, whylen, "out of memory");
  } else {
    rc = 0;
  }
done:
  if (fds[0] >= 0)
    close(fds[0]);
  if (fds[1] >= 0)
    close(fds[1]);
  if (in)
    fclose(in);
  if (err)
    fclose(err);
  return rc;
}

/* Attributes of dot's <svg> start tag that inline SVG in HTML does not
 * need: the parser knows the namespaces. Dropped so that the page names no
 * URL at all. */
static const char *const S_svg_drop[] = {
    " xmlns=\"http://www.w3.org/2000/svg\"",
    " xmlns:xlink=\"http://www.w3.org/1999/xlink\""};

/* The SVG element of dot's output, without the XML prolog and the
 * comments, labelled by the section heading. */
static void S_inline_svg(const buf *svg, buf *out) {
  const char *p = svg->p ? svg->p : "";
  const char *s = strstr(p, "<svg");
  if (!s)
    return;
  const char *end = p + svg->len;
  buf_puts(out, "<svg role=\"group\" aria-labelledby=\"graph-h\"");
  s += 4;
  const char *gt = memchr(s, '>', (size_t)(end - s));
  while (gt && s < gt) {
    bool dropped = false;
    for (size_t i = 0; i < TIES_ARRAY_LEN(S_svg_drop); i++) {
      size_t n = strlen(S_svg_drop[i]);
      if ((size_t)(gt - s) >= n && !memcmp(s, S_svg_drop[i], n)) {
        s += n;
        dropped = true;
      }
    }
    if (!dropped)
      buf_putc(out, *s++);
  }
  while (s < end) {
    const char *c = strstr(s, "<!--");
    if (!c) {
      buf_put(out, s, (size_t)(end - s));
      break;
    }
    buf_put(out, s, (size_t)(c - s));
    const char *ce = strstr(c + 4, "-->");
    if (!ce)
      break;
    s = ce + 3;
    /* drop the newline the comment stood on */
    if (s < end && *s == '\n')
      s++;
  }
}

/* ---- tables -------------------------------------------------------------- */

static int S_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A ratio with three decimals, as eval prints it; a dash when its
 * denominator is 0, where eval prints 0.000 but nothing was measured. */
static void S_ratio(buf *b, int num, int den) {
  if (!den) {
    buf_puts(b, "<td class=\"n\" data-v=\"-1\" title=\"nothing to measure\">\xe2\x80\x93</td>");
    return;
  }
  double x = (double)num / den;
  buf_printf(b, "<td class=\"n\" data-v=\"%.6f\">%.3f</td>", x, x);
}

static void S_predicate_table(report *R, buf *b) {
  const ties_engine *e = R->e;
  buf_puts(b, "<section id=\"predicates\" aria-labelledby=\"predicates-h\">"
              "<h2 id=\"predicates-h\">Triples per predicate</h2>\n");
  if (R->g)
    buf_printf(b, "<p class=\"muted\">Gold figures at the %s level over the documents "
                  "the gold covers, as <code>ties eval</code> gives them.</p>\n",
               R->g->country ? "country" : "entity");
  buf_puts(b, "<div class=\"tablewrap\"><table class=\"sortable\" id=\"ptable\" "
              "data-sort=\"1:descending\">\n"
              "<thead><tr><th scope=\"col\">predicate</th>"
              "<th scope=\"col\">triples</th><th scope=\"col\">documents</th>"
              "<th scope=\"col\">rules</th>");
  if (R->g)
    buf_puts(b, "<th scope=\"col\">tp</th><th scope=\"col\">fp</th><th scope=\"col\">fn</th>"
                "<th scope=\"col\">precision</th><th scope=\"col\">recall</th>"
                "<th scope=\"col\">F1</th>");
  buf_puts(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < e->preds.len; i++) {
    const predicate *pd = VEC_AT(&e->preds, predicate *, i);
    size_t n = 0, ndocs = 0, nrules = 0;
    strmap rules;
    strmap_init(&rules);
    long last_doc = -1;
    for (size_t k = 0; k < R->trips.len; k++) {
      const rtrip *t = &VEC_AT(&R->trips, rtrip, k);
      if (strcmp(t->p, pd->name))
        continue;
      n++;
      if ((long)t->doc != last_doc)
        ndocs++;
      last_doc = (long)t->doc;
      void **slot = strmap_slot(&rules, t->rule, strlen(t->rule), &R->ar);
      if (slot && !*slot) {
        *slot = (void *)1;
        nrules++;
      }
    }
    strmap_free(&rules);
    const gold_pred *gp = NULL;
    for (size_t k = 0; R->g && k < R->g->preds.len; k++)
      if (!strcmp(VEC_AT(&R->g->preds, gold_pred, k).pred, pd->name))
        gp = &VEC_AT(&R->g->preds, gold_pred, k);
    buf_puts(b, "<tr><th scope=\"row\" data-v=\"");
    S_escs(b, pd->name);
    buf_puts(b, "\">");
    if (n) {
      buf_puts(b, "<a href=\"#triples\" data-filter=\"predicate:");
      S_escs(b, pd->name);
      buf_puts(b, "\">");
      S_escs(b, pd->name);
      buf_puts(b, "</a>");
    } else {
      S_escs(b, pd->name);
    }
    buf_puts(b, "<div class=\"def\">");
    S_escs(b, pd->definition);
    buf_printf(b, "</div></th><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                  "<td class=\"n\">%zu</td>",
               n, ndocs, nrules);
    if (R->g) {
      if (gp) {
        buf_printf(b, "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>",
                   gp->tp, gp->fp, gp->fn);
        S_ratio(b, gp->tp, gp->tp + gp->fp);
        S_ratio(b, gp->tp, gp->tp + gp->fn);
        /* F1 = 2tp / (2tp + fp + fn), which is gold_f's figure */
        S_ratio(b, 2 * gp->tp, 2 * gp->tp + gp->fp + gp->fn);
      } else {
        buf_puts(b, "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>"
                    "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>"
                    "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>");
      }
    }
    buf_puts(b, "</tr>\n");
  }
  buf_puts(b, "</tbody></table></div>\n</section>\n");
}

static void S_rule_table(report *R, buf *b) {
  /* every rule that produced a triple or has a gold figure */
  strmap seen;
  strmap_init(&seen);
  vec ids;
  vec_init(&ids, sizeof(const char *));
  for (size_t k = 0; k < R->trips.len; k++) {
    const char *rid = VEC_AT(&R->trips, rtrip, k).rule;
    void **slot = strmap_slot(&seen, rid, strlen(rid), &R->ar);
    if (slot && !*slot) {
      *slot = (void *)1;
      const char **p = vec_push(&ids);
      if (p)
        *p = rid;
    }
  }
  for (size_t k = 0; R->g && k < R->g->rules.len; k++) {
    const char *rid = VEC_AT(&R->g->rules, gold_rule, k).rule;
    void **slot = strmap_slot(&seen, rid, strlen(rid), &R->ar);
    if (slot && !*slot) {
      *slot = (void *)1;
      const char **p = vec_push(&ids);
      if (p)
        *p = rid;
    }
  }
  strmap_free(&seen);
  if (ids.len > 1) /* an empty vec has no array: qsort(NULL, 0) is undefined */
    qsort(ids.p, ids.len, sizeof(const char *), S_cmp_str);

  buf_puts(b, "<section id=\"rules\" aria-labelledby=\"rules-h\">"
              "<h2 id=\"rules-h\">Triples per rule</h2>\n"
              "<div class=\"tablewrap\"><table class=\"sortable\" id=\"rtable\" "
              "data-sort=\"2:descending\">\n"
              "<thead><tr><th scope=\"col\">rule</th>"
              "<th scope=\"col\">predicates</th><th scope=\"col\">triples</th>"
              "<th scope=\"col\">documents</th>");
  if (R->g)
    buf_puts(b, "<th scope=\"col\">tp</th><th scope=\"col\">fp</th><th scope=\"col\">opt</th>"
                "<th scope=\"col\">precision</th><th scope=\"col\">only</th>");
  buf_puts(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < ids.len; i++) {
    const char *rid = VEC_AT(&ids, const char *, i);
    const rule *r = R->e->rules ? strmap_get(&R->e->rules->by_id, rid, strlen(rid)) : NULL;
    size_t n = 0, ndocs = 0;
    long last_doc = -1;
    /* its triples, documents and predicates (in the order met) */
    vec pl;
    vec_init(&pl, sizeof(const char *));
    for (size_t k = 0; k < R->trips.len; k++) {
      const rtrip *t = &VEC_AT(&R->trips, rtrip, k);
      if (strcmp(t->rule, rid))
        continue;
      n++;
      if ((long)t->doc != last_doc)
        ndocs++;
      last_doc = (long)t->doc;
      bool have = false;
      for (size_t j = 0; j < pl.len; j++)
        if (!strcmp(VEC_AT(&pl, const char *, j), t->p))
          have = true;
      const char **pp = have ? NULL : vec_push(&pl);
      if (pp)
        *pp = t->p;
    }
    buf_puts(b, "<tr><th scope=\"row\" data-v=\"");
    S_escs(b, rid);
    buf_puts(b, "\">");
    if (n) {
      buf_puts(b, "<a href=\"#triples\" data-filter=\"rule:");
      S_escs(b, rid);
      buf_puts(b, "\"><code>");
      S_escs(b, rid);
      buf_puts(b, "</code></a>");
    } else {
      buf_puts(b, "<code>");
      S_escs(b, rid);
      buf_puts(b, "</code>");
    }
    if (r) {
      buf_puts(b, " <code class=\"src\">");
      S_escs(b, r->file);
      buf_printf(b, ":%u</code><div class=\"def\">", r->line);
      S_escs(b, r->about);
      buf_puts(b, "</div>");
    }
    buf_puts(b, "</th><td>");
    for (size_t j = 0; j < pl.len; j++) {
      if (j)
        buf_puts(b, ", ");
      S_escs(b, VEC_AT(&pl, const char *, j));
    }
    vec_free(&pl);
    buf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>", n, ndocs);
    if (R->g) {
      const gold_rule *gr = NULL;
      for (size_t k = 0; k < R->g->rules.len; k++)
        if (!strcmp(VEC_AT(&R->g->rules, gold_rule, k).rule, rid))
          gr = &VEC_AT(&R->g->rules, gold_rule, k);
      if (gr) {
        buf_printf(b, "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>",
                   gr->tp, gr->fp, gr->ignored);
        S_ratio(b, gr->tp, gr->tp + gr->fp);
        buf_printf(b, "<td class=\"n\">%d</td>", gr->only);
      } else {
        buf_puts(b, "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>"
                    "<td class=\"n\" data-v=\"-1\"></td><td class=\"n\" data-v=\"-1\"></td>"
                    "<td class=\"n\" data-v=\"-1\"></td>");
      }
    }
    buf_puts(b, "</tr>\n");
  }
  buf_puts(b, "</tbody></table></div>\n");
  if (R->g)
    buf_puts(b, "<p class=\"muted\">opt: triples the gold marks optional; only: gold "
                "triples no other rule found.</p>\n");
  buf_puts(b, "</section>\n");
  vec_free(&ids);
}

static void S_triple_table(report *R, buf *b) {
  buf_printf(b, "<section id=\"triples\" aria-labelledby=\"triples-h\">"
                "<h2 id=\"triples-h\">All triples</h2>\n"
                "<div class=\"filter\" hidden><label for=\"tfilter\">Filter</label> "
                "<input type=\"search\" id=\"tfilter\" placeholder=\"text, or predicate:donated, "
                "rule:ID, node:CHN, doc:NAME\" aria-describedby=\"tcount\"> "
                "<button type=\"button\" id=\"tclear\">show all</button> "
                "<span id=\"tcount\" aria-live=\"polite\">%zu triples</span></div>\n",
             R->trips.len);
  buf_puts(b, "<div class=\"tablewrap\"><table class=\"sortable\" id=\"ttable\">\n<thead><tr>"
              "<th scope=\"col\">#</th><th scope=\"col\">document</th>"
              "<th scope=\"col\">sentence</th><th scope=\"col\">subject</th>"
              "<th scope=\"col\">predicate</th><th scope=\"col\">object</th>"
              "<th scope=\"col\">rule</th>");
  if (R->g)
    buf_puts(b, "<th scope=\"col\">gold</th>");
  buf_puts(b, "<th scope=\"col\">evidence</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < R->trips.len; i++) {
    const rtrip *t = &VEC_AT(&R->trips, rtrip, i);
    const rdoc *rd = &VEC_AT(&R->docs, rdoc, t->doc);
    buf_puts(b, "<tr data-doc=\"");
    S_escs(b, rd->name);
    buf_puts(b, "\" data-predicate=\"");
    S_escs(b, t->p);
    buf_puts(b, "\" data-rule=\"");
    S_escs(b, t->rule);
    buf_puts(b, "\" data-node=\"");
    if (t->node_s) {
      S_escs(b, t->node_s);
      buf_putc(b, ' ');
      S_escs(b, t->node_o);
    }
    buf_printf(b, "\"><td class=\"n\" data-v=\"%zu\"><a class=\"tsel\" role=\"button\" "
                  "href=\"#t%u-%u\" data-id=\"t%u-%u\" aria-label=\"triple %zu: ",
               i + 1, t->doc, t->k, t->doc, t->k, i + 1);
    S_escs(b, t->s);
    buf_putc(b, ' ');
    S_escs(b, t->p);
    buf_putc(b, ' ');
    S_escs(b, t->o);
    buf_printf(b, "\">%zu</a></td><td>", i + 1);
    S_escs(b, rd->name);
    buf_printf(b, "</td><td class=\"n\">%u</td><td>", t->sentence);
    S_escs(b, t->s);
    buf_puts(b, "</td><td>");
    S_escs(b, t->p);
    buf_puts(b, "</td><td>");
    S_escs(b, t->o);
    buf_puts(b, "</td><td><code>");
    S_escs(b, t->rule);
    buf_puts(b, "</code></td>");
    if (R->g) {
      buf_puts(b, "<td>");
      if (t->status)
        buf_printf(b, "<span class=\"badge %s\">%s</span>", S_st_class[t->status],
                   S_st_text[t->status]);
      buf_puts(b, "</td>");
    }
    buf_puts(b, "<td class=\"evc\">");
    S_escs(b, t->evidence);
    buf_puts(b, "</td></tr>\n");
  }
  buf_puts(b, "</tbody></table></div>\n</section>\n");
}

static int S_cmp_node(const void *a, const void *b) {
  return strcmp((*(rnode *const *)a)->id, (*(rnode *const *)b)->id);
}

static void S_graph(report *R, buf *b, const buf *svg, const char *why) {
  buf_puts(b, "<section id=\"graph\" aria-labelledby=\"graph-h\">"
              "<h2 id=\"graph-h\">Country graph</h2>\n"
              "<p class=\"muted\">Organisations and people count for their state; "
              "platforms and triples within one state are left out. Each node links to "
              "its triples.</p>\n");
  if (svg && svg->len) {
    buf_puts(b, "<div class=\"svgwrap\">");
    S_inline_svg(svg, b);
    buf_puts(b, "</div>\n");
  } else {
    buf_puts(b, "<p class=\"warn\" role=\"status\">The graph could not be drawn: ");
    S_escs(b, why);
    buf_puts(b, ". The lists of triples per node follow.</p>\n");
  }
  /* the nodes and their triples */
  for (size_t i = 0; i < R->trips.len; i++) {
    const rtrip *t = &VEC_AT(&R->trips, rtrip, i);
    if (!t->node_s)
      continue;
    S_node_add(R, t->node_s, i);
    S_node_add(R, t->node_o, i);
  }
  if (R->node_list.len > 1)
    qsort(R->node_list.p, R->node_list.len, sizeof(rnode *), S_cmp_node);
  buf_puts(b, "<div class=\"nodes\">\n");
  for (size_t i = 0; i < R->node_list.len; i++) {
    const rnode *n = VEC_AT(&R->node_list, rnode *, i);
    buf_puts(b, "<section class=\"node\" id=\"n-");
    S_hid(b, n->id);
    buf_puts(b, "\"><h3>");
    const char *label = S_label(R->e, n->id);
    if (label) {
      S_escs(b, label);
      buf_puts(b, " ");
    }
    buf_puts(b, "<code>");
    S_escs(b, n->id);
    buf_printf(b, "</code> <span class=\"muted\">%zu triple%s</span> "
                  "<a class=\"small\" href=\"#triples\" data-filter=\"node:",
               n->trips.len, n->trips.len == 1 ? "" : "s");
    S_escs(b, n->id);
    buf_puts(b, "\">in the table</a></h3>\n<ul class=\"tl\">\n");
    for (size_t k = 0; k < n->trips.len; k++) {
      buf_puts(b, "<li>");
      S_tsel(R, b, VEC_AT(&n->trips, size_t, k), false);
      buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul></section>\n");
  }
  buf_puts(b, "</div>\n</section>\n");
}

static int S_cmp_miss(const void *a, const void *b) {
  const gold_miss *x = *(const gold_miss *const *)a, *y = *(const gold_miss *const *)b;
  return strcmp(x->key, y->key);
}

static void S_errors(report *R, buf *b) {
  gold *g = R->g;
  buf_puts(b, "<section id=\"errors\" aria-labelledby=\"errors-h\">"
              "<h2 id=\"errors-h\">Misses and false triples</h2>\n");
  buf_printf(b, "<h3>Missed (%zu)</h3>\n", g->misses.len);
  if (g->misses.len) {
    const gold_miss **ms = malloc(g->misses.len * sizeof *ms);
    for (size_t i = 0; ms && i < g->misses.len; i++)
      ms[i] = &VEC_AT(&g->misses, gold_miss, i);
    if (ms)
      qsort(ms, g->misses.len, sizeof *ms, S_cmp_miss);
    buf_puts(b, "<ul class=\"errs\">\n");
    for (size_t i = 0; ms && i < g->misses.len; i++) {
      const gold_miss *m = ms[i];
      const char *anchor = strmap_get(&R->miss_anchor, m->key, strlen(m->key));
      buf_puts(b, "<li><span class=\"badge bad\">missed</span> <code>");
      const char *tab = strchr(m->key, '\t');
      S_esc(b, m->key, tab ? (size_t)(tab - m->key) : strlen(m->key));
      buf_puts(b, "</code> ");
      S_key_spo(b, m->key);
      buf_puts(b, "<br><span class=\"muted\">gold evidence</span> <q>");
      S_escs(b, m->evidence);
      buf_puts(b, "</q><br><span class=\"muted\">");
      S_escs(b, m->why ? m->why : "no rule produced it");
      buf_puts(b, "</span>");
      if (anchor && *anchor) {
        const char *sp = strchr(anchor, ' ');
        buf_puts(b, "<br><a href=\"#");
        S_esc(b, anchor, sp ? (size_t)(sp - anchor) : strlen(anchor));
        buf_puts(b, "\">in the text</a>");
        if (sp) {
          buf_puts(b, " \xc2\xb7 <a href=\"#");
          S_escs(b, sp + 1);
          buf_puts(b, "\">what <code>ties explain</code> says</a>");
        }
      } else if (anchor) {
        buf_puts(b, "<br><span class=\"muted\">the gold evidence is not in the text</span>");
      } else {
        buf_puts(b, "<br><span class=\"muted\">the document is not in the report</span>");
      }
      buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
    free(ms);
  }
  buf_printf(b, "<h3>False (%zu)</h3>\n", g->falses.len);
  if (g->falses.len) {
    buf_puts(b, "<ul class=\"errs\">\n");
    for (size_t i = 0; i < g->falses.len; i++) {
      const gold_false *f = &VEC_AT(&g->falses, gold_false, i);
      const gold_row *row = &VEC_AT(&g->rows, gold_row, f->row);
      uintptr_t ti = (uintptr_t)strmap_get(&R->first_of_key, row->key, strlen(row->key));
      buf_printf(b, "<li><span class=\"badge %s\">%s</span> <code>",
                 f->hard ? "hard" : "bad", f->hard ? "false (hard negative)" : "false");
      S_escs(b, row->doc);
      buf_puts(b, "</code> ");
      if (ti)
        S_tsel(R, b, ti - 1, false);
      else
        S_key_spo(b, row->key);
      buf_puts(b, "<br><span class=\"muted\">rule</span> <code>");
      S_escs(b, row->rule);
      buf_puts(b, "</code>; <span class=\"muted\">evidence</span> <q>");
      S_escs(b, row->evidence);
      buf_puts(b, "</q></li>\n");
    }
    buf_puts(b, "</ul>\n");
  }
  buf_puts(b, "</section>\n");
}

/* ---- the page ------------------------------------------------------------ */

/* One string per line: ISO C promises string literals of 4095 bytes only.
 * Colours: text #1a1a1a on every mention colour has a contrast above 12:1,
 * white on every badge colour above 4.5:1 (WCAG AA); the evidence is also
 * told apart by its line style, not by colour alone. */
static const char *const S_css[] = {
    ":root{--fg:#1a1a1a;--muted:#4d4d4d;--bg:#fff;--line:#c8c8c8;--link:#0b57d0;",
    "--panel:#f6f7f9}\n",
    "*{box-sizing:border-box}\n",
    "body{margin:0;color:var(--fg);background:var(--bg);font:15px/1.5 system-ui,",
    "-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n",
    "a{color:var(--link)}\n",
    ":focus-visible{outline:3px solid #e37400;outline-offset:2px}\n",
    ".skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}\n",
    ".skip:focus{left:.5rem;z-index:10}\n",
    "header{padding:1rem 1.5rem .5rem;border-bottom:1px solid var(--line)}\n",
    "header h1{margin:0 0 .25rem;font-size:1.5rem}\n",
    "header p{margin:.25rem 0}\n",
    "nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;",
    "gap:.25rem 1rem}\n",
    ".hash{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:.8rem;",
    "color:var(--muted);word-break:break-all}\n",
    ".scores{display:flex;gap:1.5rem;flex-wrap:wrap;margin:.5rem 0}\n",
    ".scores div{border:1px solid var(--line);border-radius:6px;padding:.25rem .75rem}\n",
    ".scores b{display:block;font-size:1.4rem}\n",
    "main{padding:0 1.5rem 2rem;min-width:0}\n",
    "#panel{display:none;position:fixed;top:0;right:0;bottom:0;width:min(30rem,100vw);",
    "overflow:auto;background:var(--panel);border-left:1px solid var(--line);",
    "box-shadow:-4px 0 12px rgba(0,0,0,.12);padding:.5rem 1rem 1rem;z-index:5}\n",
    "html.open #panel{display:block}\n",
    "@media (min-width:1100px){html.open main,html.open header{margin-right:30rem}}\n",
    "#panel-top{display:flex;justify-content:space-between;align-items:center}\n",
    "#panel h2{font-size:1.1rem;margin:.25rem 0}\n",
    "#panel h3{font-size:1.05rem;margin:.25rem 0}\n",
    "#panel-close{font:inherit;font-size:1.25rem;line-height:1;padding:.1rem .5rem;",
    "background:#fff;border:1px solid var(--line);border-radius:4px;cursor:pointer}\n",
    "h2{font-size:1.3rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}\n",
    "h3{font-size:1.1rem;margin:1rem 0 .25rem}\n",
    "h4{margin:.25rem 0;font-size:.95rem}\n",
    ".muted{color:var(--muted)}\n",
    ".meta{margin:.25rem 0;color:var(--muted)}\n",
    ".meta span+span::before{content:\" \\00b7  \"}\n",
    ".legend{display:flex;flex-wrap:wrap;gap:.4rem .9rem;align-items:center;margin:.5rem 0}\n",
    ".doc-body{display:grid;grid-template-columns:minmax(0,1fr) 17rem;gap:1rem}\n",
    "@media (max-width:760px){.doc-body{grid-template-columns:minmax(0,1fr)}}\n",
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;max-height:40rem;overflow:auto;",
    "border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;line-height:1.75}\n",
    ".side{max-height:40rem;overflow:auto;font-size:.9rem}\n",
    ".side ol,.side ul{margin:0;padding-left:1.75rem}\n",
    ".m{border-radius:3px;padding:0 .1em}\n",
    ".m-country{background:#cfe0fc}.m-org{background:#c9ecd0}.m-person{background:#ffdcae}",
    ".m-platform{background:#e6d4f7}.m-place{background:#c7eeee}.m-money{background:#fbeea6}",
    ".m-date{background:#e3e3e3}.m-other{background:#f0f0f0}\n",
    ".ev{border-bottom:3px solid #3f51b5;cursor:pointer}\n",
    ".ev.has-opt{border-bottom:3px dotted #5f6368}\n",
    ".ev.has-ok{border-bottom:3px solid #1b7a3a}\n",
    ".ev.has-bad{border-bottom:3px dashed #b3261e}\n",
    ".miss{outline:2px dotted #b3261e;outline-offset:1px}\n",
    ".missmark{font-size:.7rem;font-weight:bold;color:#fff;background:#b3261e;",
    "border-radius:3px;padding:0 .25em;margin-right:.15em;vertical-align:.15em;line-height:1}\n",
    ".ev.sel{background:#ffe36e;box-shadow:0 0 0 2px #1a1a1a}\n",
    ".sample{padding:0 .3em}\n",
    ".badge{display:inline-block;font-size:.75rem;line-height:1.3;color:#fff;",
    "border-radius:3px;padding:0 .35em;vertical-align:.1em}\n",
    ".badge.ok{background:#1b7a3a}.badge.opt{background:#5f6368}.badge.bad{background:#b3261e}",
    ".badge.hard{background:#7a1712}.badge.same{background:#5f6368}\n",
    "a.tsel{text-decoration:none;border-radius:3px;padding:0 .15em}\n",
    "a.tsel:hover{text-decoration:underline}\n",
    "a.tsel[aria-current=true]{background:#ffe36e;color:var(--fg);outline:2px solid #1a1a1a}\n",
    "table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}\n",
    ".src{font-weight:normal;font-size:.8rem;color:var(--muted)}\n",
    "tbody th{font-weight:normal}\n",
    "th,td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left;",
    "vertical-align:top}\n",
    "thead th{background:var(--panel);position:sticky;top:0}\n",
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n",
    ".def{color:var(--muted);font-size:.8rem;max-width:40rem}\n",
    "td.evc{min-width:12rem}\n",
    "th button.sort{all:unset;cursor:pointer;font-weight:bold}\n",
    "th button.sort:focus-visible{outline:3px solid #e37400}\n",
    "th[aria-sort=ascending] button.sort::after{content:\" \\25b2\"}\n",
    "th[aria-sort=descending] button.sort::after{content:\" \\25bc\"}\n",
    ".filter{margin:.5rem 0}\n",
    ".tablewrap{overflow-x:auto}\n",
    ".filter input{width:28rem;max-width:100%;padding:.2rem .4rem;font:inherit}\n",
    ".svgwrap{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:.5rem}\n",
    ".svgwrap svg{max-width:100%;height:auto}\n",
    ".svgwrap a:focus-visible{outline:3px solid #e37400}\n",
    ".nodes{columns:22rem auto;column-gap:1.5rem}\n",
    ".node{break-inside:avoid;font-size:.9rem}\n",
    ".node ul{margin:0;padding-left:1.25rem}\n",
    ".node:target h3{background:#ffe36e}\n",
    ".small{font-size:.8rem;font-weight:normal}\n",
    ".warn{background:#fff4e5;border:1px solid #b35c00;padding:.5rem;border-radius:6px}\n",
    ".diags{font-size:.85rem;color:#7a1712;margin:.25rem 0}\n",
    ".diags pre,pre{white-space:pre-wrap;margin:0}\n",
    "pre{font:12px/1.35 ui-monospace,\"DejaVu Sans Mono\",monospace;overflow:auto}\n",
    "#panel pre{white-space:pre;background:#fff;border:1px solid var(--line);padding:.4rem}\n",
    ".errs li{margin-bottom:.5rem}\n",
    "dl{display:grid;grid-template-columns:7.5rem minmax(0,1fr);gap:.15rem .5rem;margin:.25rem 0}\n",
    "dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}\n",
    ".tdetail{border-top:1px solid var(--line);padding-bottom:.5rem}\n",
    ".js #details .tdetail{display:none}\n",
    ".anchor{scroll-margin-top:30vh}\n",
    NULL};

/* Selecting, sorting and filtering. The page works without it. */
static const char *const S_js[] = {
    "(function(){'use strict';\n",
    "var D=document,panel=D.getElementById('panel-body');\n",
    "D.documentElement.classList.add('js');\n",
    "function all(s,r){return Array.prototype.slice.call((r||D).querySelectorAll(s));}\n",
    "function select(id,scroll){\n",
    " var src=D.getElementById(id);\n",
    " if(!src||!src.classList.contains('tdetail'))return false;\n",
    " all('.ev.sel').forEach(function(e){e.classList.remove('sel');});\n",
    " all('a.tsel[aria-current]').forEach(function(e){e.removeAttribute('aria-current');});\n",
    " all('.ev[data-t]').forEach(function(e){\n",
    "  if((' '+e.getAttribute('data-t')+' ').indexOf(' '+id+' ')>=0)e.classList.add('sel');});\n",
    " all('a.tsel[data-id=\"'+id+'\"]').forEach(function(e){e.setAttribute('aria-current','true');});\n",
    " var c=src.cloneNode(true);c.removeAttribute('id');\n",
    " all('[id]',c).forEach(function(e){e.removeAttribute('id');});\n",
    " c.removeAttribute('aria-labelledby');\n",
    " all('.xref',c).forEach(function(x){\n",
    "  var pre=D.getElementById(x.getAttribute('data-x'));if(!pre)return;\n",
    "  var det=D.createElement('details'),sum=D.createElement('summary');\n",
    "  det.open=true;sum.innerHTML=x.firstChild.innerHTML;det.appendChild(sum);\n",
    "  var p=pre.cloneNode(true);p.removeAttribute('id');det.appendChild(p);\n",
    "  x.parentNode.replaceChild(det,x);});\n",
    " while(panel.firstChild)panel.removeChild(panel.firstChild);\n",
    " panel.appendChild(c);panel.setAttribute('data-selected',id);\n",
    " D.documentElement.classList.add('open');\n",
    " if(history.replaceState)history.replaceState(null,'','#'+id);\n",
    " if(scroll){var a=D.getElementById('e'+id.slice(1));\n",
    "  if(a){var t=a.nextElementSibling||a;var box=a.closest('.text');\n",
    "   if(box)box.scrollTop+=t.getBoundingClientRect().top-box.getBoundingClientRect().top-box.clientHeight/3;\n",
    "   var doc=a.closest('.doc');\n",
    "   if(doc&&doc.getBoundingClientRect().top>innerHeight/2)doc.scrollIntoView({block:'start'});}}\n",
    " return true;}\n",
    "var fi=D.getElementById('tfilter'),cnt=D.getElementById('tcount');\n",
    "function filter(){\n",
    " var v=fi.value.trim(),m=/^([a-z]+):(.+)$/.exec(v),n=0,rows=all('#ttable tbody tr');\n",
    " rows.forEach(function(r){var ok=true;\n",
    "  if(m&&r.hasAttribute('data-'+m[1]))ok=(' '+r.getAttribute('data-'+m[1])+' ').indexOf(' '+m[2]+' ')>=0;\n",
    "  else if(v)ok=r.textContent.toLowerCase().indexOf(v.toLowerCase())>=0;\n",
    "  r.hidden=!ok;if(ok)n++;});\n",
    " cnt.textContent=n+' of '+rows.length+' triples';}\n",
    "if(fi){fi.parentNode.hidden=false;fi.addEventListener('input',filter);\n",
    " D.getElementById('tclear').addEventListener('click',function(){fi.value='';filter();fi.focus();});}\n",
    "var back=null,head=D.getElementById('panel-h');\n",
    "function close(){D.documentElement.classList.remove('open');\n",
    " all('.ev.sel').forEach(function(e){e.classList.remove('sel');});\n",
    " all('a.tsel[aria-current]').forEach(function(e){e.removeAttribute('aria-current');});\n",
    " panel.removeAttribute('data-selected');\n",
    " if(history.replaceState)history.replaceState(null,'',location.pathname+location.search);\n",
    " if(back){back.focus();back=null;}}\n",
    "D.getElementById('panel-close').addEventListener('click',close);\n",
    "D.addEventListener('click',function(ev){\n",
    " var a=ev.target.closest('a.tsel');\n",
    " if(a&&select(a.getAttribute('data-id'),false)){ev.preventDefault();\n",
    "  if(!a.closest('#panel')){back=a;if(ev.detail===0)head.focus();}return;}\n",
    " var f=ev.target.closest('a[data-filter]');\n",
    " if(f&&fi){fi.value=f.getAttribute('data-filter');filter();return;}\n",
    " var e=ev.target.closest('.ev[data-t]');\n",
    " if(e){var ids=e.getAttribute('data-t').split(' '),cur=panel.getAttribute('data-selected');\n",
    "  var i=ids.indexOf(cur);select(ids[(i+1)%ids.length],false);}\n",
    "});\n",
    "D.addEventListener('keydown',function(ev){\n",
    " if(ev.key==='Escape'&&D.documentElement.classList.contains('open')){close();return;}\n",
    " if(ev.key===' '&&ev.target.matches&&ev.target.matches('a.tsel')){ev.preventDefault();ev.target.click();}});\n",
    "function key(td){var v=td.getAttribute('data-v');return v!==null?v:td.textContent.trim();}\n",
    "function sortBy(tb,i,dir){\n",
    " var body=tb.tBodies[0],rows=Array.prototype.slice.call(body.rows);\n",
    " var num=rows.every(function(r){var k=key(r.cells[i]);return k===''||!isNaN(k);});\n",
    " rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);\n",
    "  var r=num?(parseFloat(x||'-1')-parseFloat(y||'-1')):x.localeCompare(y);\n",
    "  return dir==='ascending'?r:-r;});\n",
    " rows.forEach(function(r){body.appendChild(r);});\n",
    " all('thead th',tb).forEach(function(th,j){if(j===i)th.setAttribute('aria-sort',dir);\n",
    "  else th.removeAttribute('aria-sort');});}\n",
    "all('table.sortable').forEach(function(tb){\n",
    " all('thead th',tb).forEach(function(th,i){\n",
    "  var b=D.createElement('button');b.type='button';b.className='sort';\n",
    "  while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);\n",
    "  b.setAttribute('aria-label','sort by '+b.textContent);\n",
    "  b.addEventListener('click',function(){\n",
    "   sortBy(tb,i,th.getAttribute('aria-sort')==='ascending'?'descending':'ascending');});});\n",
    " var d=tb.getAttribute('data-sort');\n",
    " if(d){var p=d.split(':');sortBy(tb,+p[0],p[1]);}});\n",
    "var h=location.hash.slice(1);\n",
    "if(h&&/^t[0-9]+-[0-9]+$/.test(h))select(h,true);\n",
    "D.body.setAttribute('data-ready','1');\n",
    "})();\n",
    NULL};

static void S_legend(report *R, buf *b) {
  buf_puts(b, "<div class=\"legend\" aria-label=\"Legend\"><span class=\"muted\">Entities:</span>"
              "<span class=\"m m-country\">country</span>"
              "<span class=\"m m-org\">organisation</span>"
              "<span class=\"m m-person\">person</span><span class=\"m m-platform\">platform</span>"
              "<span class=\"m m-place\">place</span><span class=\"m m-money\">money</span>"
              "<span class=\"m m-date\">date</span>"
              "<span class=\"muted\">Evidence:</span>");
  if (R->g)
    buf_puts(b, "<span class=\"ev has-ok sample\">correct</span>"
                "<span class=\"ev has-bad sample\">false</span>"
                "<span class=\"ev has-opt sample\">optional</span>"
                "<span class=\"ev sample\">not scored</span>"
                "<span><span class=\"missmark\">missed</span>"
                "<span class=\"miss sample\">gold evidence</span></span>");
  else
    buf_puts(b, "<span class=\"ev sample\">a triple's words</span>");
  buf_puts(b, "</div>\n");
}

static void S_page(report *R, FILE *f, const buf *graph, const buf *tables,
                   const buf *errors) {
  buf h = BUF_INIT;
  const char *title = R->o->title ? R->o->title : "ties report";
  buf_puts(&h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta name=\"generator\" content=\"ties ");
  buf_puts(&h, ties_version_string());
  buf_puts(&h, "\">\n<title>");
  S_escs(&h, title);
  buf_printf(&h, " \xe2\x80\x94 %zu document%s, %zu triple%s</title>\n<style>\n", R->docs.len,
             R->docs.len == 1 ? "" : "s", R->trips.len, R->trips.len == 1 ? "" : "s");
  for (size_t i = 0; S_css[i]; i++)
    buf_puts(&h, S_css[i]);
  buf_puts(&h, "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the "
               "documents</a>\n<header>\n<h1>");
  S_escs(&h, title);
  buf_printf(&h, "</h1>\n<p>%zu document%s", R->docs.len, R->docs.len == 1 ? "" : "s");
  if (R->n_failed)
    buf_printf(&h, " (%zu not read)", R->n_failed);
  buf_printf(&h, ", %zu triple%s, %zu graph node%s \xc2\xb7 ties %s</p>\n", R->trips.len,
             R->trips.len == 1 ? "" : "s", R->node_list.len,
             R->node_list.len == 1 ? "" : "s", ties_version_string());
  buf_printf(&h, "<p class=\"hash\">rules %s \xc2\xb7 gazetteers %s</p>\n",
             ties_engine_rules_hash(R->e), ties_engine_gazetteer_hash(R->e));
  if (R->g) {
    gold *g = R->g;
    double P, Rc, F = gold_f(g->tp, g->fp, g->fn, &P, &Rc);
    buf_printf(&h, "<div class=\"scores\" id=\"scores\" aria-label=\"Scores against the gold\">"
                   "<div>precision<b>%.3f</b></div><div>recall<b>%.3f</b></div>"
                   "<div>F1<b>%.3f</b></div><div>tp %d \xc2\xb7 fp %d \xc2\xb7 fn %d<br>"
                   "hard negatives %d \xc2\xb7 %s level</div></div>\n",
               P, Rc, F, g->tp, g->fp, g->fn, g->hard, g->country ? "country" : "entity");
    buf_printf(&h, "<p class=\"muted\" id=\"evalline\">level=%s tp=%d fp=%d fn=%d "
                   "hard_negatives_hit=%d precision=%.3f recall=%.3f f1=%.3f</p>\n",
               g->country ? "country" : "entity", g->tp, g->fp, g->fn, g->hard, P, Rc, F);
  }
  buf_puts(&h, "<nav aria-label=\"Sections\"><ul><li><a href=\"#documents\">Documents</a></li>"
               "<li><a href=\"#predicates\">Per predicate</a></li>"
               "<li><a href=\"#rules\">Per rule</a></li>"
               "<li><a href=\"#triples\">All triples</a></li>"
               "<li><a href=\"#graph\">Country graph</a></li>");
  if (R->g)
    buf_puts(&h, "<li><a href=\"#errors\">Misses and false triples</a></li>");
  buf_puts(&h, "<li><a href=\"#details\">Triple details</a></li></ul></nav>\n</header>\n"
               "<main id=\"main\">\n"
               "<section id=\"documents\" aria-labelledby=\"documents-h\">"
               "<h2 id=\"documents-h\">Documents</h2>\n"
               "<p class=\"muted\">Select a triple to see its rule and why it fired; "
               "select underlined words to see the triples they are evidence for.</p>\n");
  S_legend(R, &h);
  fwrite(h.p, 1, h.len, f);
  fwrite(R->docs_html.p ? R->docs_html.p : "", 1, R->docs_html.len, f);
  buf_clear(&h);
  buf_puts(&h, "</section>\n");
  fwrite(h.p, 1, h.len, f);
  fwrite(tables->p ? tables->p : "", 1, tables->len, f);
  fwrite(graph->p ? graph->p : "", 1, graph->len, f);
  fwrite(errors->p ? errors->p : "", 1, errors->len, f);
  buf_clear(&h);
  buf_puts(&h, "<section id=\"details\" aria-labelledby=\"details-h\">"
               "<h2 id=\"details-h\">Triple details</h2>\n");
  fwrite(h.p, 1, h.len, f);
  fwrite(R->details_html.p ? R->details_html.p : "", 1, R->details_html.len, f);
  buf_clear(&h);
  buf_puts(&h, "<h3>Sentence explanations</h3>\n<p class=\"muted\">What <code>ties explain "
               "FILE SENTENCE</code> prints for each sentence with a triple or a miss.</p>\n");
  fwrite(h.p, 1, h.len, f);
  fwrite(R->explain_html.p ? R->explain_html.p : "", 1, R->explain_html.len, f);
  buf_clear(&h);
  buf_puts(&h, "</section>\n</main>\n<aside id=\"panel\" aria-labelledby=\"panel-h\">"
               "<div id=\"panel-top\"><h2 id=\"panel-h\" tabindex=\"-1\">Selected triple</h2>"
               "<button type=\"button\" id=\"panel-close\" aria-label=\"Close the details "
               "(Escape)\">\xc3\x97</button></div>\n<div id=\"panel-body\" aria-live=\"polite\">"
               "</div>\n</aside>\n<script>\n");
  for (size_t i = 0; S_js[i]; i++)
    buf_puts(&h, S_js[i]);
  buf_puts(&h, "</script>\n</body>\n</html>\n");
  fwrite(h.p, 1, h.len, f);
  if (h.failed)
    R->docs_html.failed = true;
  buf_free(&h);
}

/* ---- the command --------------------------------------------------------- */

int cmd_report(int argc, char **argv) {
  cli c = {0};
  ropts ro = {0};
  int rc = cli_parse(&c, argc, argv, S_extra, &ro, S_usage);
  if (rc) {
    free(c.args); /* cli_parse allocates it before it can fail */
    return rc;
  }
  bool country = !ro.level || !strcmp(ro.level, "country");
  if (ro.level && strcmp(ro.level, "country") && strcmp(ro.level, "entity")) {
    fprintf(stderr, "%s: --level is country or entity, not '%s'\n", c.prog, ro.level);
    free(c.args);
    return EXIT_USAGE;
  }
  if (ro.entities && !ro.gold) {
    fprintf(stderr, "%s: --entities needs --gold\n%s", c.prog, S_usage);
    free(c.args);
    return EXIT_USAGE;
  }
  gold g;
  char err[512];
  bool has_gold = ro.gold != NULL;
  if (has_gold && gold_read(&g, ro.gold, ro.entities, err, sizeof err)) {
    fprintf(stderr, "%s: %s\n", c.prog, err);
    gold_free(&g);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    if (has_gold)
      gold_free(&g);
    free(c.args);
    return rc;
  }
  if (has_gold)
    gold_index(&g, e, country);

  report R;
  memset(&R, 0, sizeof R);
  R.o = &ro;
  R.e = e;
  R.g = has_gold ? &g : NULL;
  arena_init(&R.ar);
  vec_init(&R.docs, sizeof(rdoc));
  vec_init(&R.trips, sizeof(rtrip));
  vec_init(&R.node_list, sizeof(rnode *));
  strmap_init(&R.nodes);
  strmap_init(&R.first_of_key);
  strmap_init(&R.miss_anchor);
  /* the output is opened first, so that an unwritable path fails before
   * the documents are read */
  outfile out;
  int oe = out_open(&out, c.output);
  if (oe) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output, strerror(oe));
    /* out_close() only cleans up an opened file */
    free(out.path);
    free(out.tmp);
    rc = EXIT_USAGE;
    goto cleanup;
  }

  ties_worker *w = ties_worker_new(e);
  if (!w) {
    cli_print_engine_diags(&c, e, true);
    fprintf(stderr, "%s: cannot start a worker\n", c.prog);
    out_close(&out, false);
    rc = EXIT_USAGE;
    goto cleanup;
  }
  /* the DOT writer takes the documents as they come */
  R.dot = emitter_find("dot");
  R.dotc.e = e;
  R.dotc.rules_hash = ties_engine_rules_hash(e);
  R.dotc.gazetteer_hash = ties_engine_gazetteer_hash(e);
  if (R.dot && R.dot->begin)
    R.dot->begin(&R.dotc);
  int bad = 0;
  inputs in = {0};
  cli_inputs(&c, c.args, c.nargs, &in, &bad);
  for (size_t i = 0; i < in.n; i++) {
    const char *path = in.paths[i];
    char *name = cli_doc_name(path);
    size_t len;
    int er = 0;
    char *text = cli_read_file(path, &len, e->set.max_doc_bytes, &er);
    if (!text) {
      fprintf(stderr, "%s: %s\n", path, strerror(er));
      S_failed_doc(&R, name ? name : path, path, strerror(er), NULL);
      bad++;
      free(name);
      continue;
    }
    ties_docopts o = {0};
    o.date = c.date;
    o.path = path;
    ties_doc *d = ties_doc_new(w, name ? name : path, text, len, &o);
    if (!d) {
      fprintf(stderr, "%s: %s: out of memory\n", c.prog, path);
      bad++;
    } else if (cli_print_doc_diags(&c, d)) {
      S_failed_doc(&R, ties_doc_name(d), path, NULL, d);
      bad++;
    } else {
      S_add_doc(&R, d, path);
    }
    ties_doc_free(d);
    free(name);
    free(text);
  }
  cli_inputs_free(&in);
  ties_worker_free(w);
  if (R.g)
    gold_score(R.g);

  /* the graph */
  buf graph = BUF_INIT, svg = BUF_INIT, dot = BUF_INIT, tables = BUF_INIT,
      errors = BUF_INIT;
  char why[512] = "the DOT writer is not built in";
  if (R.dot) {
    if (R.dot->end)
      R.dot->end(&R.dotc);
    if (R.dotc.err) {
      snprintf(why, sizeof why, "%s", strerror(R.dotc.err));
    } else {
      S_dot_links(&R.dotc.b, &dot);
      if (S_run_dot(&dot, &svg, why, sizeof why) != 0)
        buf_clear(&svg);
    }
  }
  if (!svg.len)
    fprintf(stderr, "%s: warning: %s; the report has no graph\n", c.prog, why);
  S_graph(&R, &graph, &svg, why);
  S_predicate_table(&R, &tables);
  S_rule_table(&R, &tables);
  S_triple_table(&R, &tables);
  if (R.g)
    S_errors(&R, &errors);
  S_page(&R, out.f, &graph, &tables, &errors);
  bool failed = R.docs_html.failed || R.details_html.failed || R.explain_html.failed ||
                graph.failed || tables.failed || errors.failed;
  if (failed)
    fprintf(stderr, "%s: out of memory\n", c.prog);
  oe = out_close(&out, !failed);
  if (oe)
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output ? c.output : "stdout", strerror(oe));
  rc = oe || failed ? EXIT_USAGE : bad ? EXIT_DOCS : 0;
  if (bad)
    fprintf(stderr, "%s: %d input%s failed\n", c.prog, bad, bad == 1 ? "" : "s");
  buf_free(&graph);
  buf_free(&svg);
  buf_free(&dot);
  buf_free(&tables);
  buf_free(&errors);

cleanup:
  if (R.dot && R.dotc.state && R.dot->end)
    R.dot->end(&R.dotc); /* frees what the DOT writer holds */
  buf_free(&R.dotc.b);
  for (size_t i = 0; i < R.node_list.len; i++)
    vec_free(&VEC_AT(&R.node_list, rnode *, i)->trips);
  vec_free(&R.node_list);
  strmap_free(&R.nodes);
  strmap_free(&R.first_of_key);
  strmap_free(&R.miss_anchor);
  vec_free(&R.docs);
  vec_free(&R.trips);
  buf_free(&R.docs_html);
  buf_free(&R.details_html);
  buf_free(&R.explain_html);
  arena_free(&R.ar);
  if (R.g)
    gold_free(R.g);
  ties_engine_free(e);
  free(c.args);
  return rc;
}
