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
 * scorer (a test checks three decimals); the scoring itself is in gold.c,
 * which `ties report --gold` shares so that both say the same.
 *
 * Per rule: each rule's precision over the triples it produced, and the
 * gold triples only it found. A miss names the candidate that was dropped
 * for it (modality, duplicate, type) when there was one; --baseline
 * PREVIOUS.tsv (an earlier `extract` output) prints what was gained and
 * lost, per rule.
 */
#include "gold.h"

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
  char err[512];
  gold g;
  if (gold_read(&g, eo.gold, eo.entities, err, sizeof err)) {
    fprintf(stderr, "%s: %s\n", c.prog, err);
    gold_free(&g);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    gold_free(&g);
    free(c.args);
    return rc;
  }
  gold_index(&g, e, country);

  /* extract */
  ties_worker *w = ties_worker_new(e);
  int bad = 0;
  inputs in = {0};
  cli_inputs(&c, c.args, c.nargs, &in, &bad);
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
    if (d)
      gold_add_doc(&g, d, name);
    ties_doc_free(d);
    free(name);
    free(text);
  }

  /* score */
  gold_score(&g);
  int tp = g.tp, fp = g.fp, fn = g.fn, hard = g.hard;
  double P, R, F = gold_f(tp, fp, fn, &P, &R);
  buf falses = BUF_INIT, misses = BUF_INIT;
  for (size_t i = 0; i < g.falses.len; i++) {
    const gold_false *f = &VEC_AT(&g.falses, gold_false, i);
    const gold_row *pr = &VEC_AT(&g.rows, gold_row, f->row);
    buf_printf(&falses, "  FALSE %s%s\n        rule %s; evidence \"%s\"\n",
               pr->key, f->hard ? "  [hard negative]" : "", pr->rule, pr->evidence);
  }
  for (size_t i = 0; i < g.misses.len; i++) {
    const gold_miss *m = &VEC_AT(&g.misses, gold_miss, i);
    buf_printf(&misses, "  MISS %s\n        gold evidence \"%s\"\n        %s\n", m->key,
               m->evidence, m->why ? m->why : "no rule produced it");
  }

  /* report */
  if (!c.quiet) {
    printf("per predicate (%s level)\n  %-20s %5s %5s %5s %9s %7s %5s\n",
           country ? "country" : "entity", "predicate", "tp", "fp", "fn", "precision",
           "recall", "f1");
    for (size_t i = 0; i < e->preds.len; i++) {
      const predicate *pd = VEC_AT(&e->preds, predicate *, i);
      const gold_pred *st = NULL;
      for (size_t k = 0; k < g.preds.len; k++)
        if (!strcmp(VEC_AT(&g.preds, gold_pred, k).pred, pd->name))
          st = &VEC_AT(&g.preds, gold_pred, k);
      if (!st)
        continue;
      double p, r, f = gold_f(st->tp, st->fp, st->fn, &p, &r);
      printf("  %-20s %5d %5d %5d %9.3f %7.3f %5.3f\n", pd->name, st->tp, st->fp, st->fn,
             p, r, f);
    }
    printf("\nper rule\n  %-36s %5s %5s %6s %9s %5s\n", "rule", "tp", "fp", "opt",
           "precision", "only");
    for (size_t i = 0; i < g.rules.len; i++) {
      const gold_rule *r = &VEC_AT(&g.rules, gold_rule, i);
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
    gold_table base;
    if (gold_read_tsv(eo.baseline, &base, err, sizeof err)) {
      fprintf(stderr, "%s: %s: %s\n", c.prog, eo.baseline, err);
      rc = EXIT_USAGE;
    } else {
      int bd = gold_col(&base, "doc"), bs = gold_col(&base, "subject"),
          bp = gold_col(&base, "predicate"), bo = gold_col(&base, "object"),
          bsc = gold_col(&base, "subject_country"), boc = gold_col(&base, "object_country"),
          br = gold_col(&base, "rule");
      strmap bset;
      strmap_init(&bset);
      for (size_t i = 0; bd >= 0 && bs >= 0 && bp >= 0 && bo >= 0 && i < base.rows.len; i++) {
        char **r = VEC_AT(&base.rows, char **, i);
        const char *s = r[bs], *o = r[bo];
        if (country && bsc >= 0 && r[bsc][0] && (!strncmp(s, "org:", 4) || !strncmp(s, "person:", 7)))
          s = r[bsc];
        if (country && boc >= 0 && r[boc][0] && (!strncmp(o, "org:", 4) || !strncmp(o, "person:", 7)))
          o = r[boc];
        char *k = gold_key(e, r[bd], s, r[bp], o);
        if (!k)
          continue;
        void **slot = strmap_slot(&bset, k, strlen(k), &g.ar);
        if (slot && !*slot)
          *slot = arena_strdup(&g.ar, br >= 0 ? r[br] : "?");
        free(k);
      }
      printf("\nagainst the baseline %s\n", eo.baseline);
      int gained = 0, lost = 0, fixed = 0, added = 0;
      for (size_t i = 0; i < g.rows.len; i++) {
        const gold_row *pr = &VEC_AT(&g.rows, gold_row, i);
        bool in_req = strmap_get(&g.req, pr->key, strlen(pr->key)) != NULL;
        bool in_opt = strmap_get(&g.opt, pr->key, strlen(pr->key)) != NULL;
        char *tab = strchr(pr->key, '\t');
        if (!strmap_get(&g.docs, pr->key, (size_t)(tab - pr->key)))
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
        if (!strmap_get(&g.docs, k, (size_t)(tab - k)) || strmap_get(&g.pset, k, strlen(k)))
          continue;
        if (strmap_get(&g.req, k, strlen(k))) {
          printf("  - lost %s  (rule %s)\n", k, (const char *)v);
          lost++;
        } else if (!strmap_get(&g.opt, k, strlen(k))) {
          printf("  - fixed false %s  (rule %s)\n", k, (const char *)v);
          fixed++;
        }
      }
      printf("  %d gained, %d lost, %d false triples fixed, %d new\n", gained, lost, fixed,
             added);
      strmap_free(&bset);
      gold_free_tsv(&base);
    }
  }
  printf("\nlevel=%s tp=%d fp=%d fn=%d hard_negatives_hit=%d precision=%.3f recall=%.3f "
         "f1=%.3f\n",
         country ? "country" : "entity", tp, fp, fn, hard, P, R, F);

  buf_free(&falses);
  buf_free(&misses);
  gold_free(&g);
  cli_inputs_free(&in);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  if (rc)
    return rc;
  if (eo.min_f1 > 0 && F < eo.min_f1) {
    fprintf(stderr, "%s: F1 %.3f is below --min-f1 %.3f\n", c.prog, F, eo.min_f1);
    return EXIT_TESTS;
  }
  return bad ? EXIT_DOCS : 0;
}
