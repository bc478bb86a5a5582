/* unit_match.c — the matcher's two machines agree. Untraced runs (extract)
 * use the compiled fast form of each program, with its filters; traces
 * (explain --rule, --why-not) run the instructions as compiled. For every
 * rule and every sentence of the seeds and the held-out documents, both
 * must say the same: does the rule match? */
#include "helpers.h"

/* Compare the machines on every sentence of a document; counts into
 * cnt[0] (rule and sentence pairs) and cnt[1] (pairs that match). */
static void T_compare_text(const char *path, const char *name, const char *text,
                           size_t n, void *arg) {
  size_t *cnt = arg;
  const ruleset *rs = T_engine->rules;
  ties_doc *d = T_dev_doc(name, text, n);
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
      cnt[0]++;
      cnt[1] += traced;
    }
  }
  ties_doc_free(d);
}

static void test_machines_agree(void **state) {
  (void)state;
  size_t cnt[2] = {0, 0};
  T_each_dev_text(T_compare_text, cnt);
  /* the comparison covers real matches, not only rules that never fire */
  assert_true(cnt[0] > 10000);
  assert_true(cnt[1] > 100);
}

/* The triples of a document are the same whether the dropped candidates
 * are kept (explain) or not (a batch: TIES_OPT_TRIPLES_ONLY), with and
 * without the non-asserted ones; counts into cnt[0] (triples) and cnt[1]
 * (candidates dropped). */
static void T_triples_only_text(const char *path, const char *name, const char *text,
                                size_t len, void *arg) {
  size_t *cnt = arg;
  for (unsigned modal = 0; modal < 2; modal++) {
    ties_docopts all = {0}, only = {0};
    all.flags = modal ? TIES_OPT_KEEP_MODAL : 0;
    only.flags = all.flags | TIES_OPT_TRIPLES_ONLY;
    ties_doc *a = ties_doc_new(T_worker, name, text, len, &all);
    ties_doc *b = ties_doc_new(T_worker, name, text, len, &only);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(b->cands.len, 0);
    cnt[1] += a->cands.len - ties_doc_n_triples(a);
    assert_int_equal(ties_doc_n_triples(a), ties_doc_n_triples(b));
    for (size_t i = 0; i < ties_doc_n_triples(a); i++) {
      const ties_triple *x = ties_doc_triple(a, i), *y = ties_doc_triple(b, i);
      if (strcmp(x->subject, y->subject) || strcmp(x->predicate, y->predicate) ||
          strcmp(x->object, y->object) || strcmp(x->rule, y->rule) ||
          strcmp(x->evidence, y->evidence) || strcmp(x->modality, y->modality) ||
          strcmp(x->cue, y->cue) || strcmp(x->item, y->item) ||
          strcmp(x->amount, y->amount) || strcmp(x->date, y->date) ||
          x->start != y->start || x->end != y->end)
        fail_msg("%s triple %zu differs without the dropped candidates", path, i);
    }
    cnt[0] += ties_doc_n_triples(a);
    ties_doc_free(a);
    ties_doc_free(b);
  }
}

static void test_triples_only(void **state) {
  (void)state;
  size_t cnt[2] = {0, 0};
  T_each_dev_text(T_triples_only_text, cnt);
  assert_true(cnt[0] > 100); /* triples to compare */
  assert_true(cnt[1] > 100); /* and candidates dropped on the way */
}

/* The matcher finds the words it looks for by name in a table built from
 * its lists: it must say what a search of them says. */
static void test_named_words(void **state) {
  (void)state;
  assert_true(match_named_check());
}

/* The matcher's filters (the trigger index, the word-set signature, what
 * each program needs) never keep a program from a sentence it can match
 * in: run at every start without them, a program matches only where
 * match_doc would run it. Counts into cnt[0] (program and sentence pairs),
 * cnt[1] (pairs that match) and cnt[2] (pairs the filters rule out). */
static void T_filters_text(const char *path, const char *name, const char *text,
                           size_t n, void *arg) {
  size_t *cnt = arg;
  const ruleset *rs = T_engine->rules;
  ties_doc *d = T_dev_doc(name, text, n);
  uint32_t slots[256];
  for (uint32_t si = 0; si < d->sents.len; si++) {
    const sent *s = DOC_SENT(d, si);
    for (size_t ri = 0; ri < rs->rules.len; ri++) {
      const rule *r = VEC_AT(&rs->rules, rule *, ri);
      for (int pi = 0; pi < r->nprogs && !r->is_cue; pi++) {
        const prog *pg = &r->progs[pi];
        if (pg->nslots > 256)
          continue;
        bool can = false;
        for (uint32_t st = s->t0; st < s->t1 && !can; st++) {
          uint64_t steps = 0;
          can = prog_run(d, pg, st, s->t0, s->t1, slots, &steps,
                         T_engine->set.match_step_limit, NULL, true);
        }
        bool runs = match_would_run(d, r, pi, si);
        if (can && !runs)
          fail_msg("%s sentence %u: rule %s, program %d matches, but the "
                   "filters rule it out",
                   path, si, r->id, pi);
        cnt[0]++;
        cnt[1] += can;
        cnt[2] += !runs;
      }
    }
  }
  ties_doc_free(d);
}

static void test_filters_sound(void **state) {
  (void)state;
  size_t cnt[3] = {0, 0, 0};
  T_each_dev_text(T_filters_text, cnt);
  /* real matches are among them, and the filters do rule out most pairs */
  assert_true(cnt[1] > 100);
  assert_true(cnt[2] > cnt[0] / 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_filters_sound),
      cmocka_unit_test(test_named_words),
      cmocka_unit_test(test_machines_agree),
      cmocka_unit_test(test_triples_only),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
