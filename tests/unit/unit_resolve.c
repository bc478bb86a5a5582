/* unit_resolve.c — the resolver's and the triple table's shortcuts agree
 * with the plain computation they stand for. */
#include "helpers.h"


/* resolve_freeze's tables by entity: the state each acts for (S_main_actor)
 * and the key of a person's short name (S_note_full). */
static void test_engine_tables(void **state) {
  (void)state;
  const ties_engine *e = T_engine;
  buf b = BUF_INIT, c = BUF_INIT;
  size_t persons = 0, acting = 0;
  for (size_t i = 0; i < e->entities.len; i++) {
    const entity *p = VEC_AT(&e->entities, entity *, i);
    const entity *st = p->country[0] ? engine_entity(e, p->country) : NULL;
    uint32_t k = e->acts_for[i];
    if (st) {
      acting++;
      assert_true(k >= 1 && k <= e->n_states);
      assert_ptr_equal(e->states[k - 1], st);
    } else {
      assert_int_equal(k, 0);
    }
    if (p->type != TIES_PERSON || !p->short_name || !p->short_name[0]) {
      assert_null(e->short_key[i]);
      continue;
    }
    persons++;
    buf_clear(&b);
    buf_clear(&c);
    utf8_lower(&b, p->short_name, strlen(p->short_name));
    utf8_unaccent(&c, buf_cstr(&b), b.len);
    assert_non_null(e->short_key[i]);
    assert_string_equal(e->short_key[i], buf_cstr(&c));
  }
  buf_free(&b);
  buf_free(&c);
  assert_true(persons > 0 && acting > 0);
}

/* Date values, formatted by hand, as printf has them. */
static void test_date_values(void **state) {
  (void)state;
  static const struct {
    const char *text, *date, *mention, *value;
  } S_dates[] = {
      {"China donated arms on 5 December 2019.", NULL, "5 December 2019",
       "2019-12-05"},
      {"China donated arms in December 2019.", NULL, "December 2019",
       "2019-12"},
      {"China donated arms in 2015.", NULL, "2015", "2015"},
      {"China donated arms on 5 December.", NULL, "5 December", "--12-05"},
      {"China donated arms on 5 December.", "2020-03-01", "5 December",
       "2019-12-05"},
      {"China donated arms on 5 January.", "2020-03-01", "5 January",
       "2020-01-05"},
      {"China donated arms in December.", "2020-03-01", "December",
       "2019-12"},
      /* the year before 0000: printf's "-001" */
      {"China donated arms on 5 December.", "0000-01-15", "5 December",
       "-001-12-05"},
      {"China donated arms in December.", "0000-01-15", "December",
       "-001-12"},
  };
  for (size_t i = 0; i < sizeof S_dates / sizeof S_dates[0]; i++) {
    ties_doc *d = T_doc(S_dates[i].text, S_dates[i].date);
    const char *v = T_entity_of(d, S_dates[i].mention);
    if (!v || strcmp(v, S_dates[i].value))
      fail_msg("%s (%s): %s, expected %s", S_dates[i].text,
               S_dates[i].date ? S_dates[i].date : "no date", v ? v : "nothing",
               S_dates[i].value);
    ties_doc_free(d);
  }
}

/* triple_add keeps the first of the candidates with one key
 * "S\tP\tO[\tmodality]" (the two sides in order for a symmetric
 * predicate): its table, which neither builds nor copies the key, must
 * decide as a map of the strings does; and a triple sharing its evidence
 * with the one before must have the text of its own span. */
static void S_check_doc(ties_doc *d) {
  bool modal = (d->flags & TIES_OPT_KEEP_MODAL) != 0;
  strmap seen;
  strmap_init(&seen);
  arena ar;
  arena_init(&ar);
  size_t kept = 0;
  for (size_t i = 0; i < d->cands.len; i++) {
    const candidate *c = &VEC_AT(&d->cands, candidate, i);
    const char *why = c->why_dropped;
    bool dup = why && !strcmp(why, "duplicate");
    bool over = why && !strcmp(why, "over the per-document triple limit");
    if (why && !dup && !over)
      continue; /* dropped before its key was looked at */
    const char *a = c->s_id, *b = c->o_id;
    if (c->pred->symmetric && strcmp(a, b) > 0) {
      const char *t = a;
      a = b;
      b = t;
    }
    char key[1024];
    int n = snprintf(key, sizeof key, modal ? "%s\t%s\t%s\t%d" : "%s\t%s\t%s",
                     a, c->pred->name, b, c->modality);
    assert_true(n > 0 && (size_t)n < sizeof key);
    void **slot = strmap_slot(&seen, key, (size_t)n, &ar);
    assert_non_null(slot);
    if (*slot) {
      assert_true(dup);
      assert_int_equal(c->dup_of, (uintptr_t)*slot);
    } else if (!over) {
      assert_null(why);
      *slot = (void *)(uintptr_t)++kept;
    }
  }
  assert_int_equal(kept, d->triples.len);
  for (size_t i = 0; i < d->triples.len; i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    char *ev = text_span(&ar, &d->t, t->start, t->end);
    assert_string_equal(t->evidence, ev);
  }
  strmap_free(&seen);
  arena_free(&ar);
}

/* S_check_doc on a document with and without the non-asserted candidates;
 * counts into cnt[0] (triples) and cnt[1] (duplicates). */
static void T_keys_text(const char *path, const char *name, const char *text,
                        size_t len, void *arg) {
  (void)path;
  size_t *cnt = arg;
  for (int modal = 0; modal < 2; modal++) {
    ties_docopts o = {0};
    o.flags = modal ? TIES_OPT_KEEP_MODAL : 0;
    ties_doc *d = ties_doc_new(T_worker, name, text, len, &o);
    assert_non_null(d);
    S_check_doc(d);
    cnt[0] += d->triples.len;
    for (size_t c = 0; c < d->cands.len; c++)
      cnt[1] += VEC_AT(&d->cands, candidate, c).dup_of != 0;
    ties_doc_free(d);
  }
}

static void test_triple_keys(void **state) {
  (void)state;
  static const char *const S_texts[] = {
      "China and Russia signed an agreement. Russia and China signed an "
      "agreement. China donated arms to Cambodia and Laos. China donated "
      "arms to Cambodia. China may donate arms to Laos.",
      "Pakistan and China held joint exercises. China and Pakistan held "
      "joint exercises. India joined the SCO. India joined the SCO.",
  };
  size_t n_triples = 0, n_dups = 0;
  for (int modal = 0; modal < 2; modal++) {
    for (size_t i = 0; i < sizeof S_texts / sizeof S_texts[0]; i++) {
      ties_docopts o = {0};
      o.flags = modal ? TIES_OPT_KEEP_MODAL : 0;
      ties_doc *d = ties_doc_new(T_worker, "t", S_texts[i],
                                 strlen(S_texts[i]), &o);
      assert_non_null(d);
      S_check_doc(d);
      n_triples += d->triples.len;
      for (size_t k = 0; k < d->cands.len; k++)
        n_dups += VEC_AT(&d->cands, candidate, k).dup_of != 0;
      ties_doc_free(d);
    }
  }
  /* and the documents of the seed and held-out sets */
  size_t cnt[2] = {n_triples, n_dups};
  T_each_text("seeds", T_keys_text, cnt);
  T_each_text("tests/heldout", T_keys_text, cnt);
  n_triples = cnt[0];
  n_dups = cnt[1];
  /* the texts exercise the table: triples, and duplicates of them */
  assert_true(n_triples > 0 && n_dups > 0);
}

/* The resolver finds its words (the, pronouns, definite nouns...) in a
 * table built from its lists: it must say what a search of them says. */
static void test_word_ids(void **state) {
  (void)state;
  assert_true(resolve_word_ids_check());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_word_ids),
      cmocka_unit_test(test_engine_tables),
      cmocka_unit_test(test_date_values),
      cmocka_unit_test(test_triple_keys),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
