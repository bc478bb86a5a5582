/*
 * cmd_lint.c — `ties lint [RULES...] [--gazetteers DIR]`: rules and
 * gazetteers checked without documents.
 *
 * Loading reports syntax errors, unknown types, predicates, entities and
 * captures. Lint adds what loading cannot see:
 *
 *   rules       a <stem> Snowball never produces (with the right one), a
 *               literal the spell stage rewrites or that has capitals, a
 *               capture bound and never used, an unbounded gap, a define
 *               declared but not used, a rule without example or counter,
 *               a rule without a trigger word;
 *   gazetteers  a name that does not match its own entry when run through
 *               the pipeline, two ids sharing a name, bad ISO numbers, an
 *               official's reversed or overlapping terms of one office.
 *
 * Every finding is "file:line:col: warning|error: message" with the source
 * line; the exit status is 3 when there is an error.
 */
#include "cli.h"
#include "rule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties lint [options] [RULES...]\n"
    "  Checks rule files (default: the project's rules/) and the gazetteers.\n"
    "  --gazetteers DIR   gazetteer directory\n"
    "  --no-gazetteers    skip the gazetteer checks\n";

typedef struct lctx {
  ties_engine *e;
  ties_worker *w;
  const cli *c;
  size_t errors, warnings;
  strmap lines;     /* "file" → vec of lines (gazetteer sources) */
  arena ar;
} lctx;

static void S_emit(lctx *x, ties_severity sev, const char *file, unsigned line,
                   unsigned col, size_t span, const char *src, size_t srclen,
                   const char *fmt, ...) TIES_PRINTF(9, 10);
static void S_emit(lctx *x, ties_severity sev, const char *file, unsigned line,
                   unsigned col, size_t span, const char *src, size_t srclen,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf m = BUF_INIT;
  buf_vprintf(&m, fmt, ap);
  va_end(ap);
  ties_diag d = {0};
  d.severity = sev;
  d.file = file;
  d.line = line;
  d.col = col;
  d.byte = (size_t)-1;
  d.span = span;
  d.message = buf_cstr(&m);
  char *s = src ? strndup(src, srclen) : NULL;
  d.source = s;
  cli_print_diag(x->c, &d);
  free(s);
  buf_free(&m);
  if (sev == TIES_ERROR)
    x->errors++;
  else
    x->warnings++;
}

/* At a node of a rule file. */
static void S_at_node(lctx *x, ties_severity sev, const char *path, size_t off,
                      size_t len, const char *fmt, ...) TIES_PRINTF(6, 7);
static void S_at_node(lctx *x, ties_severity sev, const char *path, size_t off,
                      size_t len, const char *fmt, ...) {
  const rfile *f = rule_file_of(x->e, path);
  va_list ap;
  va_start(ap, fmt);
  buf m = BUF_INIT;
  buf_vprintf(&m, fmt, ap);
  va_end(ap);
  unsigned line = 0, col = 0;
  const char *src = NULL;
  size_t srclen = 0, span = 0;
  if (f) {
    rfile_locate(f, off, &line, &col);
    size_t ls = f->line_starts[line - 1], le = ls;
    while (le < f->len && f->text[le] != '\n')
      le++;
    src = f->text + ls;
    srclen = le - ls;
    for (size_t i = off; i < off + len && i < le; i++)
      if (((unsigned char)f->text[i] & 0xC0) != 0x80)
        span++;
  }
  S_emit(x, sev, path, line, col, span, src, srclen, "%s", buf_cstr(&m));
  buf_free(&m);
}

/* ---- rules ---------------------------------------------------------------- */

static bool S_stem_produced(lctx *x, const char *s, const char **suggest) {
  /* inflections and the commonest derivations: a stem is "produced" when
   * a word someone would write stems to it */
  static const char *const suf[] = {"",     "e",      "s",    "es",   "ed",
                                    "ing",  "ion",    "ions", "er",   "ers",
                                    "y",    "ies",    "ied",  "ize",  "ized",
                                    "ation", "ations", "ment", "ments", "ence",
                                    "ance", "ant",    "ent"};
  arena a;
  arena_init(&a);
  bool ok = false;
  char cand[128];
  size_t sl = strlen(s);
  for (size_t i = 0; i < TIES_ARRAY_LEN(suf) + 5 && !ok; i++) {
    if (i < TIES_ARRAY_LEN(suf))
      snprintf(cand, sizeof cand, "%s%s", s, suf[i]);
    else if (sl && i - TIES_ARRAY_LEN(suf) < 2) /* rebuffed, recalled */
      snprintf(cand, sizeof cand, "%s%c%s", s, s[sl - 1],
               i == TIES_ARRAY_LEN(suf) ? "ed" : "ing");
    else /* volunteer */
      snprintf(cand, sizeof cand, "%s%s", s,
               (const char *[]){"eer", "eers", "eered"}[i - TIES_ARRAY_LEN(suf) - 2]);
    if (!spell_known(x->w->spell, cand))
      continue; /* a word someone would write */
    const char *st = stem_word(x->w->stem, &a, cand, strlen(cand));
    if (st && !strcmp(st, s))
      ok = true;
  }
  if (!ok && suggest) {
    const char *st = stem_word(x->w->stem, &a, s, strlen(s));
    *suggest = st ? arena_strdup(&x->ar, st) : "";
  }
  arena_free(&a);
  return ok;
}

typedef struct walk {
  lctx *x;
  const rule *r;          /* NULL inside a define */
  const char *file;
  bool *cap_seen;
  size_t *cap_off, *cap_len;
} walk;

static void S_walk(walk *w, const node *n, int depth) {
  if (!n || depth > 200)
    return;
  lctx *x = w->x;
  const ties_engine *e = x->e;
  switch (n->k) {
  case N_TOK: {
    const pred *p = n->p;
    if (p->kind == P_STEM) {
      for (int i = 0; i < p->n; i++) {
        const char *s = symtab_str(&e->syms, p->syms[i]);
        const char *sugg = NULL;
        if (!S_stem_produced(x, s, &sugg))
          S_at_node(x, TIES_ERROR, w->file, n->off, n->len,
                    "<%s> can never match: the stem of '%s' is '%s'", s, s, sugg);
      }
    } else if (p->kind == P_LIT && p->src) {
      const char *norm = symtab_str(&e->syms, p->syms[0]);
      buf low = BUF_INIT;
      const char *src = p->src;
      size_t sn = strlen(src);
      buf raw = BUF_INIT; /* the literal as written, its escapes undone */
      if (sn >= 2 && src[0] == '"' && src[sn - 1] == '"') {
        for (size_t i = 1; i + 1 < sn; i++) {
          if (src[i] == '\\' && i + 2 < sn && (src[i + 1] == '"' || src[i + 1] == '\\'))
            i++;
          buf_putc(&raw, src[i]);
        }
        src = buf_cstr(&raw);
        sn = raw.len;
      }
      utf8_lower(&low, src, sn);
      bool caps = low.len == sn && memcmp(buf_cstr(&low), src, sn) != 0;
      if (!memchr(src, ' ', sn) && strcmp(buf_cstr(&low), norm) != 0 &&
          !strchr(buf_cstr(&low), '\'') && buf_cstr(&low)[0])
        S_at_node(x, TIES_WARNING, w->file, n->off, n->len,
                  "literal '%.*s' is read as '%s' (the spell stage rewrites it); "
                  "write '%s'",
                  (int)sn, src, norm, norm);
      else if (caps && sn > 1 && !memchr(src, ' ', sn))
        S_at_node(x, TIES_WARNING, w->file, n->off, n->len,
                  "literal '%.*s' has capitals; literals match the lower-case "
                  "canonical spelling, so write '%s' (or a /regex/ for case)",
                  (int)sn, src, buf_cstr(&low));
      buf_free(&low);
      buf_free(&raw);
    }
    break;
  }
  case N_REP: {
    const node *k = n->kids[0];
    while (k->k == N_SEQ && k->nkids == 1)
      k = k->kids[0];
    if (n->max < 0 && (k->k == N_ANY || k->k == N_NOT || k->k == N_REF))
      S_at_node(x, TIES_WARNING, w->file, n->off, n->len,
                "unbounded gap: a match may run to the end of the sentence; "
                "write a bound such as {0,8}");
    break;
  }
  case N_CAP:
    if (w->cap_seen && n->cap >= 0 && w->r && n->cap < w->r->ncaps &&
        !w->cap_seen[n->cap]) {
      w->cap_seen[n->cap] = true;
      w->cap_off[n->cap] = n->off;
      w->cap_len[n->cap] = n->len;
    }
    break;
  default:
    break;
  }
  for (int i = 0; i < n->nkids; i++)
    S_walk(w, n->kids[i], depth + 1);
}

static bool S_cap_used(const rule *r, int cap) {
  for (int i = 0; i < r->nemits; i++) {
    const emit *em = &r->emits[i];
    const emit_arg *as[] = {&em->s, &em->o, &em->item, &em->amount, &em->date};
    for (size_t k = 0; k < TIES_ARRAY_LEN(as); k++)
      if (as[k]->kind == A_CAPTURE && as[k]->cap == cap)
        return true;
  }
  return false;
}

static void S_lint_rules(lctx *x) {
  const ruleset *rs = x->e->rules;
  /* defines */
  for (size_t i = 0; i < rs->defines.nslots; i++) {
    const char *k;
    void *v;
    i = strmap_next(&rs->defines, i, &k, &v);
    if (i >= rs->defines.nslots)
      break;
    define *d = v;
    walk w = {x, NULL, d->file, NULL, NULL, NULL};
    S_walk(&w, d->ast, 0);
    if (!d->used)
      S_at_node(x, TIES_WARNING, d->file, d->off, d->len,
                "define '%s' declared but not used", d->name);
  }
  for (size_t ri = 0; ri < rs->rules.len + rs->cues.len; ri++) {
    const rule *r = ri < rs->rules.len ? VEC_AT(&rs->rules, rule *, ri)
                                       : VEC_AT(&rs->cues, rule *, ri - rs->rules.len);
    bool seen[64] = {0};
    size_t off[64] = {0}, len[64] = {0};
    walk w = {x, r, r->file, seen, off, len};
    for (size_t k = 0; k < r->match_lines.len; k++)
      S_walk(&w, VEC_AT(&r->match_lines, node *, k), 0);
    for (size_t k = 0; k < r->req_lines.len; k++)
      S_walk(&w, VEC_AT(&r->req_lines, node *, k), 0);
    for (size_t k = 0; k < r->unless_lines.len; k++)
      S_walk(&w, VEC_AT(&r->unless_lines, node *, k), 0);
    if (r->is_cue || r->parse_errors || (!r->nemits && r->nprogs))
      continue; /* its errors are reported already */
    if (!r->nprogs && !r->nemits)
      continue;
    for (int c = 0; c < r->ncaps && c < 64; c++)
      if (seen[c] && !S_cap_used(r, c))
        S_at_node(x, TIES_WARNING, r->file, off[c], len[c],
                  "capture '@%s' is bound but never used", r->caps[c]);
    int ex = 0, co = 0;
    for (int k = 0; k < r->nexamples; k++)
      r->examples[k].counter ? co++ : ex++;
    if (!ex)
      S_at_node(x, TIES_WARNING, r->file, r->off, 4,
                "rule '%s' has no example", r->id);
    if (!co)
      S_at_node(x, TIES_WARNING, r->file, r->off, 4,
                "rule '%s' has no counter example", r->id);
    if (r->no_trigger && r->nprogs)
      S_at_node(x, TIES_WARNING, r->file, r->off, 4,
                "rule '%s' has no trigger word every match must contain; it is "
                "tried on every sentence",
                r->id);
  }
}

/* ---- gazetteers ----------------------------------------------------------- */

/* The source line of a gazetteer row, and the column of text in it. */
static const char *S_gaz_line(lctx *x, const char *file, unsigned line,
                              const char *text, unsigned *col, size_t *len) {
  vec *lines = strmap_get(&x->lines, file, strlen(file));
  if (!lines) {
    lines = arena_alloc(&x->ar, sizeof *lines);
    vec_init(lines, sizeof(char *));
    FILE *f = fopen(file, "rb");
    if (f) {
      char *l = NULL;
      size_t cap = 0;
      ssize_t n;
      while ((n = getline(&l, &cap, f)) >= 0) {
        while (n > 0 && (l[n - 1] == '\n' || l[n - 1] == '\r'))
          l[--n] = 0;
        char **p = vec_push(lines);
        if (p)
          *p = arena_strdup(&x->ar, l);
      }
      free(l);
      fclose(f);
    }
    void **slot = strmap_slot(&x->lines, file, strlen(file), &x->ar);
    if (slot)
      *slot = lines;
  }
  *col = 1;
  *len = 0;
  if (line == 0 || line > lines->len)
    return NULL;
  const char *s = VEC_AT(lines, char *, line - 1);
  if (text) {
    const char *hit = strstr(s, text);
    if (hit) {
      *col = 1;
      for (const char *q = s; q < hit; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)
          (*col)++;
      *len = strlen(text);
    }
  }
  return s;
}

static void S_at_row(lctx *x, ties_severity sev, const char *file, unsigned line,
                     const char *text, const char *fmt, ...) TIES_PRINTF(6, 7);
static void S_at_row(lctx *x, ties_severity sev, const char *file, unsigned line,
                     const char *text, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf m = BUF_INIT;
  buf_vprintf(&m, fmt, ap);
  va_end(ap);
  unsigned col;
  size_t len;
  const char *src = S_gaz_line(x, file, line, text, &col, &len);
  S_emit(x, sev, file, line, col, len, src, src ? strlen(src) : 0, "%s",
         buf_cstr(&m));
  buf_free(&m);
}

static void S_lint_gazetteers(lctx *x) {
  const ties_engine *e = x->e;
  const gazetteer *g = &e->gz;
  /* 1. every name matches its own entry */
  for (size_t i = 0; i < g->n_entries; i++) {
    const gz_entry *en = &g->entries[i];
    if (en->generic)
      continue;
    const char *name = en->name;
    ties_docopts o = {0};
    o.flags = TIES_OPT_NO_RULES;
    o.main_actor = "none";
    ties_doc *d = ties_doc_new(x->w, "lint", name, strlen(name), &o);
    if (!d)
      continue;
    const entity *got = NULL;
    bool whole = false;
    for (size_t k = 0; k < d->mentions.len; k++) {
      const mention *m = DOC_MENTION(d, k);
      size_t s0, s1;
      doc_tok_span(d, m->t0, m->t1, &s0, &s1);
      if (m->e && (!got || m->e == en->e)) {
        got = m->e;
        whole = s1 - s0 >= strlen(name) - (strncmp(name, "the ", 4) ? 0 : 4) &&
                m->e == en->e;
      }
    }
    if (!got || got != en->e)
      S_at_row(x, TIES_WARNING, en->file, en->line, name,
               "name '%s' of %s does not match its own entry%s%s%s", name, en->e->id,
               got ? ": it is read as " : " through the pipeline",
               got ? got->id : "", got ? " (a longer or earlier name wins)" : "");
    else if (!whole)
      S_at_row(x, TIES_WARNING, en->file, en->line, name,
               "name '%s' of %s only partly matches its own entry", name, en->e->id);
    ties_doc_free(d);
  }
  /* 2. two ids sharing a normalised name (same trie node, same cases) */
  for (size_t ni = 0; ni < g->n_nodes; ni++) {
    const gz_node *n = &g->node[ni];
    for (uint32_t a = 0; a < n->nentry; a++) {
      const gz_entry *x1 = &g->entries[n->entry0 + a];
      for (uint32_t b = a + 1; b < n->nentry; b++) {
        const gz_entry *x2 = &g->entries[n->entry0 + b];
        if (x1->e == x2->e || x1->ntok != x2->ntok ||
            memcmp(x1->cases, x2->cases, x1->ntok) != 0 || x1->generic != x2->generic)
          continue;
        S_at_row(x, TIES_WARNING, x2->file, x2->line, x2->name,
                 "'%s' names both %s (%s:%u) and %s; %s wins", x2->name, x1->e->id,
                 x1->file, x1->line, x2->e->id, x1->e->id);
      }
    }
  }
  /* 3. ISO numbers, 4. role terms */
  for (size_t i = 0; i < e->entities.len; i++) {
    const entity *en = VEC_AT(&e->entities, entity *, i);
    if (en->type == TIES_COUNTRY && en->numeric &&
        !(strlen(en->numeric) == 3 && en->numeric[0] >= '0' && en->numeric[0] <= '9' &&
          en->numeric[1] >= '0' && en->numeric[1] <= '9' && en->numeric[2] >= '0' &&
          en->numeric[2] <= '9'))
      S_at_row(x, TIES_ERROR, en->file, en->line, en->numeric,
               "ISO 3166-1 numeric code '%s' of %s is not three digits", en->numeric,
               en->id);
    for (uint32_t a = 0; a < en->n_terms; a++) {
      const role_term *t = &en->terms[a];
      const char *role = symtab_str(&e->syms, t->role);
      char from[11], to[11];
      date_format(t->from, from);
      if (t->to == INT32_MAX)
        snprintf(to, sizeof to, "now");
      else
        date_format(t->to, to);
      if (t->to != INT32_MAX && t->from > t->to)
        S_at_row(x, TIES_ERROR, en->file, en->line, role,
                 "term of %s as %s ends (%s) before it starts (%s)", en->id, role, to,
                 from);
      for (uint32_t b = a + 1; b < en->n_terms; b++) {
        const role_term *u = &en->terms[b];
        if (u->role != t->role)
          continue;
        if (t->from <= u->to && u->from <= t->to)
          S_at_row(x, TIES_WARNING, en->file, en->line, role,
                   "%s holds %s twice at once: terms from %s and from the next one "
                   "overlap",
                   en->id, role, from);
      }
    }
  }
}

static int S_extra(cli *c, const char *opt, const char *val, void *ctx) {
  (void)c;
  (void)val;
  if (!strcmp(opt, "--no-gazetteers")) {
    *(bool *)ctx = true;
    return 0;
  }
  return -1;
}

int cmd_lint(int argc, char **argv) {
  cli c = {0};
  bool no_gaz = false;
  int rc = cli_parse(&c, argc, argv, S_extra, &no_gaz, S_usage);
  if (rc)
    return rc;
  for (int i = 0; i < c.nargs && c.nrules < 32; i++)
    c.rules[c.nrules++] = c.args[i];
  ties_settings s;
  ties_settings_init(&s);
  if (c.dict_dir)
    s.dict_dir = c.dict_dir;
  ties_engine *e = ties_engine_new(&s);
  if (!e) {
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine_load_gazetteers(e, c.gazetteers ? c.gazetteers
                                              : cli_data_dir("gazetteers", "TIES_GAZETTEERS"));
  if (c.nrules == 0)
    ties_engine_load_rules(e, cli_data_dir("rules", "TIES_RULES"));
  for (int i = 0; i < c.nrules; i++)
    ties_engine_load_rules(e, c.rules[i]);
  ties_engine_finish(e);
  lctx x = {0};
  x.e = e;
  x.c = &c;
  strmap_init(&x.lines);
  arena_init(&x.ar);
  for (size_t i = 0; i < ties_engine_n_diags(e); i++) {
    const ties_diag *d = ties_engine_diag(e, i);
    cli_print_diag(&c, d);
    if (d->severity == TIES_ERROR)
      x.errors++;
    else
      x.warnings++;
  }
  x.w = ties_worker_new(e);
  if (!x.w) {
    fprintf(stderr, "%s: cannot open the dictionaries or stemmer\n", c.prog);
    rc = EXIT_USAGE;
  } else if (e->frozen) {
    S_lint_rules(&x);
    if (!no_gaz)
      S_lint_gazetteers(&x);
  }
  fprintf(stderr, "%zu error%s, %zu warning%s\n", x.errors, x.errors == 1 ? "" : "s",
          x.warnings, x.warnings == 1 ? "" : "s");
  for (size_t i = 0; i < x.lines.nslots; i++) {
    void *v;
    i = strmap_next(&x.lines, i, NULL, &v);
    if (i < x.lines.nslots)
      vec_free(v);
  }
  strmap_free(&x.lines);
  arena_free(&x.ar);
  ties_worker_free(x.w);
  ties_engine_free(e);
  free(c.args);
  if (rc)
    return rc;
  return x.errors ? EXIT_RULES : 0;
}
