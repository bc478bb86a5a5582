/* unit_gazetteer.c — the gazetteer's quick tests agree with a plain walk of
 * the trie. gaz_longest() skips most tokens by bits of their word records
 * (RB_GAZ_FIRST, RB_GAZ_NEXT) and takes the first word's node and one-word
 * name from the record (gaz_root, gaz_one); the walk below looks at every
 * token and reads the trie each time. For every token of the seeds, the
 * held-out documents and sentences written to reach the trie's corners
 * (hyphens, case, names inside names), both must find the same name. */
#include "helpers.h"


uint32_t gaz_longest(const ties_doc *d, uint32_t i, uint32_t hi,
                     const gz_entry **out);

static uint32_t T_child(const gazetteer *g, uint32_t parent, uint32_t sym) {
  const gz_node *n = &g->node[parent];
  for (uint32_t k = n->child0; k < n->child0 + n->nchild; k++)
    if (g->child_sym[k] == sym)
      return g->child_node[k];
  return 0;
}

static bool T_case_ok(const gz_entry *en, const tok *const *toks) {
  for (int i = 0; i < en->ntok; i++) {
    const wordrec *w = toks[i]->w;
    if (en->cases[i] == CASE_INITCAP && !(w->shape & (WS_INITCAP | WS_ALLCAPS)))
      return false;
    if (en->cases[i] == CASE_EXACT) {
      if (en->surfaces && (w->shape & WS_MIXED || !(w->shape & WS_ALLCAPS))) {
        if (strcmp(w->surface, en->surfaces[i]) != 0)
          return false;
      } else if (!(w->shape & WS_ALLCAPS)) {
        return false;
      }
    }
  }
  return true;
}

/* The longest name from token i within [i, hi), every token looked up. */
static uint32_t T_longest(const ties_doc *d, uint32_t i, uint32_t hi,
                          const gz_entry **out) {
  const gazetteer *g = &d->e->gz;
  uint32_t nd = 0, best_end = 0;
  const gz_entry *best = NULL;
  const tok *path[64];
  int depth = 0;
  for (uint32_t j = i; j < hi && depth < 64; j++) {
    const tok *t = DOC_TOK(d, j);
    if (j > i && j + 1 < hi && t->kind == TK_PUNCT &&
        !strcmp(t->w->norm, "-") && !(t->flags & TF_SPACE_BEFORE) &&
        !(DOC_TOK(d, j + 1)->flags & TF_SPACE_BEFORE))
      continue; /* a hyphen between words */
    if (!t->w->key_sym || !(nd = T_child(g, nd, t->w->key_sym)))
      break;
    path[depth++] = t;
    const gz_node *n = &g->node[nd];
    for (uint32_t k = 0; k < n->nentry; k++) {
      const gz_entry *en = &g->entries[n->entry0 + k];
      if (en->ntok == depth && T_case_ok(en, path)) {
        best = en;
        best_end = j + 1;
        break;
      }
    }
  }
  *out = best;
  return best_end;
}

/* Compare at every token of d; counts the names found into *names. */
static void T_compare(const ties_doc *d, const char *what, size_t *names) {
  for (size_t si = 0; si < d->sents.len; si++) {
    const sent *s = DOC_SENT(d, si);
    for (uint32_t i = s->t0; i < s->t1; i++) {
      const gz_entry *a = NULL, *b = NULL;
      uint32_t ea = gaz_longest(d, i, s->t1, &a);
      uint32_t eb = T_longest(d, i, s->t1, &b);
      if (ea != eb || a != b)
        fail_msg("%s, token %u: gaz_longest finds %s to token %u, the walk "
                 "%s to token %u",
                 what, i, a ? a->name : "nothing", ea, b ? b->name : "nothing",
                 eb);
      *names += eb != 0;
    }
  }
}

static void T_compare_text(const char *path, const char *name, const char *text,
                           size_t n, void *names) {
  ties_doc *d = T_dev_doc(name, text, n);
  T_compare(d, path, names);
  ties_doc_free(d);
}

static void test_longest_agrees(void **state) {
  (void)state;
  static const char *const texts[] = {
      "The People's Liberation Army Navy and the PLA Navy met the PLAN.",
      "The people's liberation army met the PEOPLE'S LIBERATION ARMY.",
      "Timor-Leste, Timor Leste and Timor - Leste; Guinea-Bissau and "
      "Guinea - Bissau; Côte d'Ivoire and Cote d'Ivoire.",
      "US and us, UN and un, AU and au, CAR and car; the U.S. and U.N.",
      "Chinese Chinese Russian Ministry of Defence of the Russian Federation "
      "Ministry of Defence of China's Ministry of National Defense.",
      "the United States Navy, United States of America, United Kingdom "
      "Royal Navy, Royal Navy, royal navy, Islamic Republic of Iran",
      "Xi Jinping, Xi, President Xi, Vladimir Putin, Putin's S-400 and "
      "Wing Loong II drones, J-20 fighters, Type 055 destroyers.",
      "Beijing-Moscow ties: Beijing - Moscow, Pakistan-China, New Delhi-based",
  };
  size_t names = 0;
  for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
    ties_doc *d = T_doc(texts[k], NULL);
    assert_non_null(d);
    T_compare(d, texts[k], &names);
    ties_doc_free(d);
  }
  T_each_dev_text(T_compare_text, &names);
  /* the comparison covers names found, not only tokens that begin none */
  assert_true(names > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_longest_agrees),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
