/*
 * cmd_test.c — `ties test [RULES...]`: every rule's inline examples and
 * counters, run through the whole pipeline with the whole rule set.
 *
 * An example passes when the triples its rule emits (asserted ones) are
 * exactly the triples after "=>"; a counter passes when its rule emits
 * none. Symmetric predicates compare unordered. Each failure is printed
 * with the rule's file:line; the run ends with "N passed, N failed" and
 * exits 4 when anything failed.
 */
#include "cli.h"
#include "rule.h"

#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties test [options] [RULES...]\n"
    "  Runs every inline example and counter of the rules (default: the\n"
    "  project's rules/). Prints each failure, then \"N passed, N failed\".\n"
    "  --gazetteers DIR   gazetteer directory\n"
    "  -v                 also list passing examples\n"
    "  --tap              Test Anything Protocol output\n";

typedef struct topts {
  bool verbose;
  bool tap;
} topts;

static int S_extra(cli *c, const char *opt, const char *val, void *ctx) {
  (void)c;
  (void)val;
  topts *t = ctx;
  if (!strcmp(opt, "-v") || !strcmp(opt, "--verbose")) {
    t->verbose = true;
    return 0;
  }
  if (!strcmp(opt, "--tap")) {
    t->tap = true;
    return 0;
  }
  return -1;
}

/* Print a failure report, as TAP diagnostics when tap is set. */
static void S_say(bool tap, const char *fmt, ...) TIES_PRINTF(2, 3);
static void S_say(bool tap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  const char *p = buf_cstr(&b);
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    printf("%s%.*s\n", tap ? "# " : "", (int)n, p);
    p += n + (nl ? 1 : 0);
  }
  buf_free(&b);
}

/* "S P O" normalised for comparison (symmetric: sorted sides). */
static char *S_key(const ties_engine *e, const char *s, const char *p,
                   const char *o) {
  const predicate *pd = strmap_get(&e->pred_by_name, p, strlen(p));
  if (pd && pd->symmetric && strcmp(s, o) > 0) {
    const char *t = s;
    s = o;
    o = t;
  }
  size_t n = strlen(s) + strlen(p) + strlen(o) + 3;
  char *k = malloc(n);
  if (k)
    snprintf(k, n, "%s %s %s", s, p, o);
  return k;
}

int cmd_test(int argc, char **argv) {
  cli c = {0};
  topts to = {0};
  int rc = cli_parse(&c, argc, argv, S_extra, &to, S_usage);
  bool verbose = to.verbose, tap = to.tap;
  if (rc)
    return rc;
  for (int i = 0; i < c.nargs && c.nrules < 32; i++)
    c.rules[c.nrules++] = c.args[i];
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    free(c.args);
    return rc;
  }
  ties_worker *w = ties_worker_new(e);
  if (!w) {
    cli_print_engine_diags(&c, e, true);
    ties_engine_free(e);
    free(c.args);
    return EXIT_USAGE;
  }
  const ruleset *rs = e->rules;
  int passed = 0, failed = 0;
  for (size_t ri = 0; ri < rs->rules.len; ri++) {
    const rule *r = VEC_AT(&rs->rules, rule *, ri);
    for (int xi = 0; xi < r->nexamples; xi++) {
      const example *ex = &r->examples[xi];
      ties_docopts opts = {0};
      opts.path = r->file;
      ties_doc *d = ties_doc_new(w, "example", ex->text, strlen(ex->text), &opts);
      if (!d) {
        fprintf(stderr, "%s: out of memory\n", c.prog);
        failed++;
        continue;
      }
      /* what this rule emitted */
      vec got;
      vec_init(&got, sizeof(char *));
      for (size_t k = 0; k < ties_doc_n_triples(d); k++) {
        const ties_triple *t = ties_doc_triple(d, k);
        if (strcmp(t->rule, r->id) != 0)
          continue;
        char **p = vec_push(&got);
        if (p)
          *p = S_key(e, t->subject, t->predicate, t->object);
      }
      /* duplicates from other rules still count: the rule's candidates */
      for (size_t k = 0; k < d->cands.len; k++) {
        const candidate *cd = &VEC_AT(&d->cands, candidate, k);
        if (cd->r != r || !cd->why_dropped ||
            strncmp(cd->why_dropped, "duplicate", 9) != 0)
          continue;
        char *key = S_key(e, cd->s_id, cd->pred->name, cd->o_id);
        bool have = false;
        for (size_t g = 0; g < got.len && key; g++)
          if (!strcmp(VEC_AT(&got, char *, g), key))
            have = true;
        char **p = have ? NULL : vec_push(&got);
        if (p)
          *p = key;
        else
          free(key);
      }
      bool ok = true;
      buf why = BUF_INIT;
      for (int k = 0; k < ex->nexpect; k++) {
        char s_[128], p_[128], o_[128];
        if (sscanf(ex->expect[k], "%127s %127s %127s", s_, p_, o_) != 3)
          continue;
        char *key = S_key(e, s_, p_, o_);
        bool found = false;
        for (size_t g = 0; g < got.len && key; g++)
          if (!strcmp(VEC_AT(&got, char *, g), key))
            found = true;
        if (!found) {
          ok = false;
          buf_printf(&why, "  missing: %s\n", ex->expect[k]);
        }
        free(key);
      }
      for (size_t g = 0; g < got.len; g++) {
        const char *gk = VEC_AT(&got, char *, g);
        bool expected = false;
        for (int k = 0; k < ex->nexpect; k++) {
          char s_[128], p_[128], o_[128];
          if (sscanf(ex->expect[k], "%127s %127s %127s", s_, p_, o_) != 3)
            continue;
          char *key = S_key(e, s_, p_, o_);
          if (key && !strcmp(key, gk))
            expected = true;
          free(key);
        }
        if (!expected) {
          ok = false;
          buf_printf(&why, "  unexpected: %s\n", gk);
        }
      }
      int num = passed + failed + 1;
      if (ok) {
        passed++;
        if (tap)
          printf("ok %d - %s %s %s:%u\n", num, r->id,
                 ex->counter ? "counter" : "example", r->file, ex->line);
        else if (verbose)
          printf("ok %s:%u %s %s\n", r->file, ex->line, r->id,
                 ex->counter ? "counter" : "example");
      } else {
        failed++;
        if (tap)
          printf("not ok %d - %s %s %s:%u\n", num, r->id,
                 ex->counter ? "counter" : "example", r->file, ex->line);
        S_say(tap, "%s:%u: %s of rule '%s' failed\n  \"%s\"\n%s", r->file,
              ex->line, ex->counter ? "counter" : "example", r->id, ex->text,
              buf_cstr(&why));
        /* the other rules' triples, to help */
        for (size_t k = 0; k < ties_doc_n_triples(d); k++) {
          const ties_triple *t = ties_doc_triple(d, k);
          if (strcmp(t->rule, r->id) != 0)
            S_say(tap, "  (rule %s: %s %s %s)", t->rule, t->subject,
                  t->predicate, t->object);
        }
        for (size_t k = 0; k < d->cands.len; k++) {
          const candidate *cd = &VEC_AT(&d->cands, candidate, k);
          if (cd->r == r && cd->why_dropped &&
              strncmp(cd->why_dropped, "duplicate", 9) != 0)
            S_say(tap, "  (dropped %s %s %s: %s)", cd->s_id, cd->pred->name,
                  cd->o_id, cd->why_dropped);
        }
      }
      buf_free(&why);
      for (size_t g = 0; g < got.len; g++)
        free(VEC_AT(&got, char *, g));
      vec_free(&got);
      ties_doc_free(d);
    }
  }
  if (tap)
    printf("1..%d\n", passed + failed);
  else
    printf("%d passed, %d failed\n", passed, failed);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  return failed ? EXIT_TESTS : 0;
}
