/* unit_match.c — the matcher's two machines agree. Untraced runs (extract)
 * use the compiled fast form of each program, with its filters; traces
 * (explain --rule, --why-not) run the instructions as compiled. For every
 * rule and every sentence of the seeds and the held-out documents, both
 * must say the same: does the rule match? */
#include "helpers.h"

#include <dirent.h>

static char *T_read(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (p && fread(p, 1, (size_t)len, f) != (size_t)len) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *n = p ? (size_t)len : 0;
  return p;
}

/* Compare the machines on every .txt file of dir; counts into *pairs and
 * *fired. */
static void T_compare_dir(const char *dir, size_t *pairs, size_t *fired) {
  DIR *dh = opendir(dir);
  assert_non_null(dh);
  struct dirent *de;
  const ruleset *rs = T_engine->rules;
  while ((de = readdir(dh))) {
    size_t ln = strlen(de->d_name);
    if (ln < 5 || strcmp(de->d_name + ln - 4, ".txt"))
      continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    size_t n = 0;
    char *text = T_read(path, &n);
    assert_non_null(text);
    ties_docopts o = {0};
    ties_doc *d = ties_doc_new(T_worker, de->d_name, text, n, &o);
    assert_non_null(d);
    for (uint32_t si = 0; si < d->sents.len; si++) {
      for (size_t ri = 0; ri < rs->rules.len; ri++) {
        const rule *r = VEC_AT(&rs->rules, rule *, ri);
        int fast = match_count(d, r, si);
        trace_rule tr;
        bool traced = match_trace(d, r, si, &tr);
        if ((fast > 0) != traced)
          fail_msg("%s sentence %u, rule %s: the fast machine finds %d matches, "
                   "the traced one %s",
                   path, si, r->id, fast, traced ? "matches" : "none");
        (*pairs)++;
        *fired += traced;
      }
    }
    ties_doc_free(d);
    free(text);
  }
  closedir(dh);
}

static void test_machines_agree(void **state) {
  (void)state;
  size_t pairs = 0, fired = 0;
  T_compare_dir("seeds", &pairs, &fired);
  T_compare_dir("tests/heldout", &pairs, &fired);
  T_compare_dir("tests/heldout2", &pairs, &fired);
  /* the comparison covers real matches, not only rules that never fire */
  assert_true(pairs > 10000);
  assert_true(fired > 100);
}

/* The triples of every .txt file of dir are the same whether the dropped
 * candidates are kept (explain) or not (a batch: TIES_OPT_TRIPLES_ONLY),
 * with and without the non-asserted ones; counts them into *n. */
static void T_triples_only_dir(const char *dir, size_t *n, size_t *dropped) {
  DIR *dh = opendir(dir);
  assert_non_null(dh);
  struct dirent *de;
  while ((de = readdir(dh))) {
    size_t ln = strlen(de->d_name);
    if (ln < 5 || strcmp(de->d_name + ln - 4, ".txt"))
      continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    size_t len = 0;
    char *text = T_read(path, &len);
    assert_non_null(text);
    for (unsigned modal = 0; modal < 2; modal++) {
      ties_docopts all = {0}, only = {0};
      all.flags = modal ? TIES_OPT_KEEP_MODAL : 0;
      only.flags = all.flags | TIES_OPT_TRIPLES_ONLY;
      ties_doc *a = ties_doc_new(T_worker, de->d_name, text, len, &all);
      ties_doc *b = ties_doc_new(T_worker, de->d_name, text, len, &only);
      assert_non_null(a);
      assert_non_null(b);
      assert_int_equal(b->cands.len, 0);
      *dropped += a->cands.len - ties_doc_n_triples(a);
      assert_int_equal(ties_doc_n_triples(a), ties_doc_n_triples(b));
      for (size_t i = 0; i < ties_doc_n_triples(a); i++) {
        const ties_triple *x = ties_doc_triple(a, i), *y = ties_doc_triple(b, i);
        if (strcmp(x->subject, y->subject) || strcmp(x->predicate, y->predicate) ||
            strcmp(x->object, y->object) || strcmp(x->rule, y->rule) ||
            strcmp(x->evidence, y->evidence) || strcmp(x->modality, y->modality) ||
            x->start != y->start || x->end != y->end)
          fail_msg("%s triple %zu differs without the dropped candidates", path, i);
      }
      *n += ties_doc_n_triples(a);
      ties_doc_free(a);
      ties_doc_free(b);
    }
    free(text);
  }
  closedir(dh);
}

static void test_triples_only(void **state) {
  (void)state;
  size_t n = 0, dropped = 0;
  T_triples_only_dir("seeds", &n, &dropped);
  T_triples_only_dir("tests/heldout", &n, &dropped);
  T_triples_only_dir("tests/heldout2", &n, &dropped);
  assert_true(n > 100);       /* triples to compare */
  assert_true(dropped > 100); /* and candidates dropped on the way */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_machines_agree),
      cmocka_unit_test(test_triples_only),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
