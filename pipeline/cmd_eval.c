/*
 * cmd_eval.c — `ties eval --gold GOLD.tsv [PATH...]`: precision, recall and
 * F1 overall, per predicate and per rule, with every miss and every false
 * triple explained.
 *
 * Scoring follows the gold format (doc status subject predicate object
 * evidence; status req | opt | neg): distinct triples per document, req
 * triples count for recall, opt triples are neither rewarded nor punished,
 * symmetric predicates compare unordered. At --level country, orgs and
 * people roll up to their state (gold ids through --entities, extracted ones
 * through the country the triple carries) and a triple whose two sides
 * become one state is dropped. The figures are those of the reference
 * scorer (a test checks three decimals).
 *
 * Per rule: each rule's precision over the triples it produced, and the
 * gold triples only it found. A miss names the candidate that was dropped
 * for it (modality, duplicate, type) when there was one; --baseline
 * PREVIOUS.tsv (an earlier `extract` output) prints what was gained and
 * lost, per rule.
 */
#include "cli.h"
#include "rule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties eval --gold GOLD.tsv [options] [PATH...]\n"
    "  Extracts PATHs and scores the triples against the gold file.\n"
    "  --gold FILE        gold triples (doc status subject predicate object evidence)\n"
    "  --entities FILE    countries of the gold's orgs and people (id type label country)\n"
    "  --level L          country (default) or entity\n"
    "  --baseline FILE    an earlier extract output: what was gained and lost\n"
    "  --min-f1 X         exit 4 when F1 is below X\n"
    "  -q                 only the summary\n";

typedef struct eopts {
  const char *gold, *entities, *level, *baseline;
  double min_f1;
} eopts;

static int S_extra(cli *c, const char *opt, const char *val, void *ctx) {
  (void)c;
  eopts *o = ctx;
  const char **slot = !strcmp(opt, "--gold")       ? &o->gold
                      : !strcmp(opt, "--entities") ? &o->entities
                      : !strcmp(opt, "--level")    ? &o->level
                      : !strcmp(opt, "--baseline") ? &o->baseline
                                                   : NULL;
  if (slot) {
    if (!val)
      return -1;
    *slot = val;
    return 1;
  }
  if (!strcmp(opt, "--min-f1") && val) {
    o->min_f1 = atof(val);
    return 1;
  }
  return -1;
}

/* ---- TSV files ----------------------------------------------------------- */

typedef struct table {
  char **cols;
  int ncols;
  vec rows;        /* char** (ncols fields each) */
  char *data;
} table;

static int S_col(const table *t, const char *name) {
  for (int i = 0; i < t->ncols; i++)
    if (!strcmp(t->cols[i], name))
      return i;
  return -1;
}

/* Read a TSV with a header row; '#' lines skipped. */
static int S_read_tsv(const char *path, table *t, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  vec_init(&t->rows, sizeof(char **));
  size_t len;
  int e = 0;
  t->data = cli_read_file(path, &len, (size_t)1 << 30, &e);
  if (!t->data) {
    snprintf(err, errlen, "%s", strerror(e));
    return -1;
  }
  char *p = t->data;
  unsigned line = 0;
  while (*p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    line++;
    size_t n = strlen(p);
    if (n && p[n - 1] == '\r')
      p[--n] = 0;
    if (n && p[0] != '#') {
      int nf = 1;
      for (char *q = p; *q; q++)
        if (*q == '\t')
          nf++;
      char **f = calloc((size_t)nf + 1, sizeof(char *));
      int k = 0;
      f[k++] = p;
      for (char *q = p; *q; q++)
        if (*q == '\t') {
          *q = 0;
          f[k++] = q + 1;
        }
      if (!t->cols) {
        t->cols = f;
        t->ncols = nf;
      } else if (nf < t->ncols) {
        snprintf(err, errlen, "line %u has %d fields, the header %d", line, nf,
                 t->ncols);
        free(f);
        return -1;
      } else {
        char ***r = vec_push(&t->rows);
        if (r)
          *r = f;
      }
    }
    if (!nl)
      break;
    p = nl + 1;
  }
  if (!t->cols) {
    snprintf(err, errlen, "no header row");
    return -1;
  }
  return 0;
}

static void S_free_tsv(table *t) {
  for (size_t i = 0; i < t->rows.len; i++)
    free(VEC_AT(&t->rows, char **, i));
  vec_free(&t->rows);
  free(t->cols);
  free(t->data);
}

/* ---- triples ----------------------------------------------------------------- */

static const char *const S_sym[] = {"exercised_with", "met", "signed_agreement"};

static bool S_symmetric(const ties_engine *e, const char *p) {
  const predicate *pd = e ? strmap_get(&e->pred_by_name, p, strlen(p)) : NULL;
  if (pd)
    return pd->symmetric;
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_sym); i++)
    if (!strcmp(S_sym[i], p))
      return true;
  return false;
}

/* "doc\ts\tp\to" with symmetric sides ordered; NULL when both sides are one. */
static char *S_key(const ties_engine *e, const char *doc, const char *s,
                   const char *p, const char *o) {
  if (!strcmp(s, o))
    return NULL;
  if (S_symmetric(e, p) && strcmp(o, s) < 0) {
    const char *t = s;
    s = o;
    o = t;
  }
  size_t n = strlen(doc) + strlen(s) + strlen(p) + strlen(o) + 4;
  char *k = malloc(n);
  if (k)
    snprintf(k, n, "%s\t%s\t%s\t%s", doc, s, p, o);
  return k;
}

typedef struct rstat {
  const char *rule;
  int tp, fp, ignored, only;
} rstat;

typedef struct pstat {
  const char *pred;
  int tp, fp, fn;
} pstat;

static rstat *S_rstat(vec *v, const char *rid) {
  for (size_t i = 0; i < v->len; i++)
    if (!strcmp(VEC_AT(v, rstat, i).rule, rid))
      return &VEC_AT(v, rstat, i);
  rstat *r = vec_push(v);
  r->rule = rid;
  return r;
}

static pstat *S_pstat(vec *v, const char *pname) {
  for (size_t i = 0; i < v->len; i++)
    if (!strcmp(VEC_AT(v, pstat, i).pred, pname))
      return &VEC_AT(v, pstat, i);
  pstat *p = vec_push(v);
  p->pred = pname;
  return p;
}

typedef struct predrow {
  char *key;
  const char *rule;
  const char *evidence;
  const char *sentence;
  const char *doc;
} predrow;

static double S_f(int tp, int fp, int fn, double *p, double *r) {
  *p = tp + fp ? (double)tp / (tp + fp) : 0;
  *r = tp + fn ? (double)tp / (tp + fn) : 0;
  return *p + *r ? 2 * *p * *r / (*p + *r) : 0;
}

int cmd_eval(int argc, char **argv) {
  cli c = {0};
  eopts eo = {0};
  int rc = cli_parse(&c, argc, argv, S_extra, &eo, S_usage);
  if (rc)
    return rc;
  if (!eo.gold) {
    fprintf(stderr, "%s: --gold FILE is required\n%s", c.prog, S_usage);
    free(c.args);
    return EXIT_USAGE;
  }
  bool country = !eo.level || !strcmp(eo.level, "country");
  if (eo.level && strcmp(eo.level, "country") && strcmp(eo.level, "entity")) {
    fprintf(stderr, "%s: --level is country or entity, not '%s'\n", c.prog, eo.level);
    free(c.args);
    return EXIT_USAGE;
  }
  char err[256];
  table gold, ents = {0};
  if (S_read_tsv(eo.gold, &gold, err, sizeof err)) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, eo.gold, err);
    free(c.args);
    return EXIT_USAGE;
  }
  int gd = S_col(&gold, "doc"), gs = S_col(&gold, "subject"), gp = S_col(&gold, "predicate"),
      go = S_col(&gold, "object"), gst = S_col(&gold, "status"), gev = S_col(&gold, "evidence");
  if (gd < 0 || gs < 0 || gp < 0 || go < 0 || gst < 0) {
    fprintf(stderr, "%s: %s: the header must name doc status subject predicate object\n",
            c.prog, eo.gold);
    S_free_tsv(&gold);
    free(c.args);
    return EXIT_USAGE;
  }
  if (eo.entities && S_read_tsv(eo.entities, &ents, err, sizeof err)) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, eo.entities, err);
    S_free_tsv(&gold);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    S_free_tsv(&gold);
    S_free_tsv(&ents);
    free(c.args);
    return rc;
  }
  arena ar;
  arena_init(&ar);
  /* gold roll-up map */
  strmap rollup;
  strmap_init(&rollup);
  if (eo.entities) {
    int ei = S_col(&ents, "id"), et = S_col(&ents, "type"), ec = S_col(&ents, "country");
    for (size_t i = 0; ei >= 0 && ec >= 0 && i < ents.rows.len; i++) {
      char **r = VEC_AT(&ents.rows, char **, i);
      if (et >= 0 && strcmp(r[et], "org") && strcmp(r[et], "person"))
        continue;
      if (!r[ec][0])
        continue;
      void **slot = strmap_slot(&rollup, r[ei], strlen(r[ei]), &ar);
      if (slot)
        *slot = arena_strdup(&ar, r[ec]);
    }
  }
#define GOLD_ROLL(id)                                                          \
  (!country ? (id)                                                             \
   : eo.entities ? (strmap_get(&rollup, (id), strlen(id))                      \
                        ? (const char *)strmap_get(&rollup, (id), strlen(id))  \
                        : (id))                                                \
   : (engine_entity(e, (id)) && engine_entity(e, (id))->country[0] &&          \
      (!strncmp((id), "org:", 4) || !strncmp((id), "person:", 7))              \
          ? engine_entity(e, (id))->country                                    \
          : (id)))
  /* gold sets per status: key → evidence */
  strmap req, opt, neg, docs;
  strmap_init(&req);
  strmap_init(&opt);
  strmap_init(&neg);
  strmap_init(&docs);
  for (size_t i = 0; i < gold.rows.len; i++) {
    char **r = VEC_AT(&gold.rows, char **, i);
    void **ds = strmap_slot(&docs, r[gd], strlen(r[gd]), &ar);
    if (ds)
      *ds = (void *)1;
    char *k = S_key(e, r[gd], GOLD_ROLL(r[gs]), r[gp], GOLD_ROLL(r[go]));
    if (!k)
      continue;
    strmap *m = !strcmp(r[gst], "req") ? &req : !strcmp(r[gst], "opt") ? &opt : &neg;
    void **slot = strmap_slot(m, k, strlen(k), &ar);
    if (slot && !*slot)
      *slot = gev >= 0 ? r[gev] : "";
    free(k);
  }

  /* extract */
  ties_worker *w = ties_worker_new(e);
  int bad = 0;
  inputs in = {0};
  cli_inputs(&c, c.args, c.nargs, &in, &bad);
  vec preds;
  vec_init(&preds, sizeof(predrow));
  strmap pset; /* key → first predrow index + 1 */
  strmap_init(&pset);
  strmap cand_keys; /* key → "rule: reason" for dropped candidates */
  strmap_init(&cand_keys);
  strmap finders; /* key → rules that produced it, "|r1|r2|" */
  strmap_init(&finders);
  for (size_t i = 0; w && i < in.n; i++) {
    size_t len;
    int er = 0;
    char *text = cli_read_file(in.paths[i], &len, e->set.max_doc_bytes, &er);
    if (!text) {
      fprintf(stderr, "%s: %s\n", in.paths[i], strerror(er));
      bad++;
      continue;
    }
    char *name = cli_doc_name(in.paths[i]);
    ties_docopts o = {0};
    o.date = c.date;
    o.path = in.paths[i];
    ties_doc *d = ties_doc_new(w, name, text, len, &o);
    if (d && cli_print_doc_diags(&c, d))
      bad++;
    for (size_t k = 0; d && k < d->cands.len; k++) {
      const candidate *cd = &VEC_AT(&d->cands, candidate, k);
      const char *s = country && cd->s_country && cd->s_country[0] &&
                              cd->s && (cd->s->type == TIES_ORG || cd->s->type == TIES_PERSON)
                          ? cd->s_country
                          : cd->s_id;
      const char *ob = country && cd->o_country && cd->o_country[0] &&
                               cd->o && (cd->o->type == TIES_ORG || cd->o->type == TIES_PERSON)
                           ? cd->o_country
                           : cd->o_id;
      char *key = S_key(e, name, s, cd->pred->name, ob);
      if (!key)
        continue;
      bool produced = !cd->why_dropped || !strncmp(cd->why_dropped, "duplicate", 9);
      if (produced) {
        void **slot = strmap_slot(&finders, key, strlen(key), &ar);
        if (slot) {
          const char *old = *slot ? *slot : "|";
          char pat[256];
          snprintf(pat, sizeof pat, "|%s|", cd->r->id);
          if (!strstr(old, pat))
            *slot = arena_printf(&ar, "%s%s|", old, cd->r->id);
        }
      }
      if (!cd->why_dropped) {
        void **slot = strmap_slot(&pset, key, strlen(key), &ar);
        if (slot && !*slot) {
          predrow *pr = vec_push(&preds);
          pr->key = arena_strdup(&ar, key);
          pr->rule = arena_strdup(&ar, cd->r->id);
          pr->doc = arena_strdup(&ar, name);
          char *ev = doc_span_text(d, cd->t0, cd->t1);
          pr->evidence = arena_strdup(&ar, ev ? ev : "");
          *slot = (void *)(uintptr_t)preds.len;
        }
      } else if (!produced) {
        void **slot = strmap_slot(&cand_keys, key, strlen(key), &ar);
        if (slot && !*slot)
          *slot = arena_printf(&ar, "rule %s dropped it: %s", cd->r->id, cd->why_dropped);
      }
      free(key);
    }
    ties_doc_free(d);
    free(name);
    free(text);
  }

  /* score */
  int tp = 0, fp = 0, fn = 0, hard = 0;
  vec rstats, pstats;
  vec_init(&rstats, sizeof(rstat));
  vec_init(&pstats, sizeof(pstat));
  buf falses = BUF_INIT, misses = BUF_INIT;
  for (size_t i = 0; i < preds.len; i++) {
    predrow *pr = &VEC_AT(&preds, predrow, i);
    char *doc = pr->key, *tab = strchr(doc, '\t');
    if (!strmap_get(&docs, doc, (size_t)(tab - doc)))
      continue; /* not a gold document */
    char pname[64];
    const char *ps = strchr(tab + 1, '\t') + 1;
    snprintf(pname, sizeof pname, "%.*s", (int)(strchr(ps, '\t') - ps), ps);
    rstat *rs = S_rstat(&rstats, pr->rule);
    pstat *st = S_pstat(&pstats, arena_strdup(&ar, pname));
    if (strmap_get(&req, pr->key, strlen(pr->key))) {
      tp++;
      rs->tp++;
      st->tp++;
    } else if (strmap_get(&opt, pr->key, strlen(pr->key))) {
      rs->ignored++;
    } else {
      fp++;
      rs->fp++;
      st->fp++;
      bool h = strmap_get(&neg, pr->key, strlen(pr->key)) != NULL;
      hard += h;
      buf_printf(&falses, "  FALSE %s%s\n        rule %s; evidence \"%s\"\n",
                 pr->key, h ? "  [hard negative]" : "", pr->rule, pr->evidence);
    }
  }
  for (size_t i = 0; i < req.nslots; i++) {
    const char *k;
    void *v;
    i = strmap_next(&req, i, &k, &v);
    if (i >= req.nslots)
      break;
    if (strmap_get(&pset, k, strlen(k))) {
      const char *f = strmap_get(&finders, k, strlen(k));
      if (f && strchr(f + 1, '|') && !strchr(strchr(f + 1, '|') + 1, '|')) {
        /* exactly one rule found it */
        char rid[256];
        snprintf(rid, sizeof rid, "%.*s", (int)(strchr(f + 1, '|') - f - 1), f + 1);
        S_rstat(&rstats, arena_strdup(&ar, rid))->only++;
      }
      continue;
    }
    fn++;
    const char *ps = strchr(strchr(k, '\t') + 1, '\t') + 1;
    char pname[64];
    snprintf(pname, sizeof pname, "%.*s", (int)(strchr(ps, '\t') - ps), ps);
    S_pstat(&pstats, arena_strdup(&ar, pname))->fn++;
    const char *why = strmap_get(&cand_keys, k, strlen(k));
    buf_printf(&misses, "  MISS %s\n        gold evidence \"%s\"\n        %s\n", k,
               (const char *)v, why ? why : "no rule produced it");
  }
  double P, R, F = S_f(tp, fp, fn, &P, &R);

  /* report */
  if (!c.quiet) {
    printf("per predicate (%s level)\n  %-20s %5s %5s %5s %9s %7s %5s\n",
           country ? "country" : "entity", "predicate", "tp", "fp", "fn", "precision",
           "recall", "f1");
    for (size_t i = 0; i < e->preds.len; i++) {
      const predicate *pd = VEC_AT(&e->preds, predicate *, i);
      pstat *st = NULL;
      for (size_t k = 0; k < pstats.len; k++)
        if (!strcmp(VEC_AT(&pstats, pstat, k).pred, pd->name))
          st = &VEC_AT(&pstats, pstat, k);
      if (!st)
        continue;
      double p, r, f = S_f(st->tp, st->fp, st->fn, &p, &r);
      printf("  %-20s %5d %5d %5d %9.3f %7.3f %5.3f\n", pd->name, st->tp, st->fp, st->fn,
             p, r, f);
    }
    printf("\nper rule\n  %-36s %5s %5s %6s %9s %5s\n", "rule", "tp", "fp", "opt",
           "precision", "only");
    for (size_t i = 0; i < rstats.len; i++) {
      rstat *r = &VEC_AT(&rstats, rstat, i);
      printf("  %-36s %5d %5d %6d %9.3f %5d\n", r->rule, r->tp, r->fp, r->ignored,
             r->tp + r->fp ? (double)r->tp / (r->tp + r->fp) : 0.0, r->only);
    }
    printf("  (only: gold triples no other rule found)\n");
    if (misses.len)
      printf("\nmisses\n%s", buf_cstr(&misses));
    if (falses.len)
      printf("\nfalse triples\n%s", buf_cstr(&falses));
  }

  /* baseline */
  if (eo.baseline) {
    table base;
    if (S_read_tsv(eo.baseline, &base, err, sizeof err)) {
      fprintf(stderr, "%s: %s: %s\n", c.prog, eo.baseline, err);
      rc = EXIT_USAGE;
    } else {
      int bd = S_col(&base, "doc"), bs = S_col(&base, "subject"),
          bp = S_col(&base, "predicate"), bo = S_col(&base, "object"),
          bsc = S_col(&base, "subject_country"), boc = S_col(&base, "object_country"),
          br = S_col(&base, "rule");
      strmap bset;
      strmap_init(&bset);
      for (size_t i = 0; bd >= 0 && bs >= 0 && bp >= 0 && bo >= 0 && i < base.rows.len; i++) {
        char **r = VEC_AT(&base.rows, char **, i);
        const char *s = r[bs], *o = r[bo];
        if (country && bsc >= 0 && r[bsc][0] && (!strncmp(s, "org:", 4) || !strncmp(s, "person:", 7)))
          s = r[bsc];
        if (country && boc >= 0 && r[boc][0] && (!strncmp(o, "org:", 4) || !strncmp(o, "person:", 7)))
          o = r[boc];
        char *k = S_key(e, r[bd], s, r[bp], o);
        if (!k)
          continue;
        void **slot = strmap_slot(&bset, k, strlen(k), &ar);
        if (slot && !*slot)
          *slot = arena_strdup(&ar, br >= 0 ? r[br] : "?");
        free(k);
      }
      printf("\nagainst the baseline %s\n", eo.baseline);
      int gained = 0, lost = 0, fixed = 0, added = 0;
      for (size_t i = 0; i < preds.len; i++) {
        predrow *pr = &VEC_AT(&preds, predrow, i);
        bool in_req = strmap_get(&req, pr->key, strlen(pr->key)) != NULL;
        bool in_opt = strmap_get(&opt, pr->key, strlen(pr->key)) != NULL;
        char *tab = strchr(pr->key, '\t');
        if (!strmap_get(&docs, pr->key, (size_t)(tab - pr->key)))
          continue;
        if (strmap_get(&bset, pr->key, strlen(pr->key)))
          continue;
        if (in_req) {
          printf("  + gained %s  (rule %s)\n", pr->key, pr->rule);
          gained++;
        } else if (!in_opt) {
          printf("  + new false %s  (rule %s)\n", pr->key, pr->rule);
          added++;
        }
      }
      for (size_t i = 0; i < bset.nslots; i++) {
        const char *k;
        void *v;
        i = strmap_next(&bset, i, &k, &v);
        if (i >= bset.nslots)
          break;
        const char *tab = strchr(k, '\t');
        if (!strmap_get(&docs, k, (size_t)(tab - k)) || strmap_get(&pset, k, strlen(k)))
          continue;
        if (strmap_get(&req, k, strlen(k))) {
          printf("  - lost %s  (rule %s)\n", k, (const char *)v);
          lost++;
        } else if (!strmap_get(&opt, k, strlen(k))) {
          printf("  - fixed false %s  (rule %s)\n", k, (const char *)v);
          fixed++;
        }
      }
      printf("  %d gained, %d lost, %d false triples fixed, %d new\n", gained, lost, fixed,
             added);
      strmap_free(&bset);
      S_free_tsv(&base);
    }
  }
  printf("\nlevel=%s tp=%d fp=%d fn=%d hard_negatives_hit=%d precision=%.3f recall=%.3f "
         "f1=%.3f\n",
         country ? "country" : "entity", tp, fp, fn, hard, P, R, F);

  buf_free(&falses);
  buf_free(&misses);
  vec_free(&rstats);
  vec_free(&pstats);
  vec_free(&preds);
  strmap_free(&pset);
  strmap_free(&cand_keys);
  strmap_free(&finders);
  strmap_free(&req);
  strmap_free(&opt);
  strmap_free(&neg);
  strmap_free(&docs);
  strmap_free(&rollup);
  arena_free(&ar);
  cli_inputs_free(&in);
  ties_worker_free(w);
  ties_engine_free(e);
  S_free_tsv(&gold);
  S_free_tsv(&ents);
  free(c.args);
  if (rc)
    return rc;
  if (eo.min_f1 > 0 && F < eo.min_f1) {
    fprintf(stderr, "%s: F1 %.3f is below --min-f1 %.3f\n", c.prog, F, eo.min_f1);
    return EXIT_TESTS;
  }
  return bad ? EXIT_DOCS : 0;
}
