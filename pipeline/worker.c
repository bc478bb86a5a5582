/*
 * worker.c — per-thread state and the word cache.
 *
 * A worker owns what may not be shared between threads: the stemmer, the
 * hunspell handles and the cache of word records. Every distinct surface
 * form is analysed once (lower case, spelling, accent-free key, stem,
 * symbol ids) and remembered; tokens point at the records. The cache is
 * cleared between documents once it holds more than
 * settings.word_cache_entries records, so memory stays bounded by the
 * largest document, not by the corpus.
 */
#include "ties_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct match_scratch;
void match_scratch_free(struct match_scratch *ms);

ties_worker *ties_worker_new(const ties_engine *e) {
  if (!e)
    return NULL;
  ties_worker *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->e = e;
  arena_init(&w->word_ar);
  strmap_init(&w->words);
  w->stem = stem_new();
  char err[700] = "";
  w->spell = spell_new(e, e->dict_dir, err, sizeof err);
  if (!w->stem || !w->spell) {
    /* The engine is const for the caller; record through a cast, the one
     * place a worker writes to it, only on failure to start. */
    ties_engine *me = (ties_engine *)e;
    if (!me->frozen || !me->diags.v.len ||
        strcmp(VEC_AT(&me->diags.v, ties_diag, me->diags.v.len - 1).message,
               err) != 0)
      diag_add(&me->diags, TIES_ERROR, TIES_EDEPEND, NULL, 0, 0, (size_t)-1, 0,
               NULL, 0, "%s",
               !w->stem ? "cannot create the Snowball English stemmer" : err);
    ties_worker_free(w);
    return NULL;
  }
  return w;
}

void ties_worker_free(ties_worker *w) {
  if (!w)
    return;
  stem_free(w->stem);
  spell_free(w->spell);
  strmap_free(&w->words);
  arena_free(&w->word_ar);
  match_scratch_free(w->ms);
  buf_free(&w->tmp);
  buf_free(&w->tmp2);
  free(w);
}

void worker_begin_doc(ties_worker *w);
double ties_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ties_worker_get_stats(const ties_worker *w, ties_worker_stats *out) {
  if (w)
    *out = w->st;
  else
    memset(out, 0, sizeof *out);
}

void worker_begin_doc(ties_worker *w) {
  if (w->n_words > w->e->set.word_cache_entries) {
    w->st.cache_flushes++;
    strmap_clear(&w->words);
    arena_reset(&w->word_ar);
    w->n_words = 0;
    match_forget_words(w);
  }
}

static uint8_t S_shape(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t letters = 0, upper = 0, lower = 0, digits = 0, others = 0;
  bool first_upper = false, first = true, upper_after_first = false;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int k = utf8_decode(u + i, n - i, &cp);
    if (cp >= 0 && utf8_is_letter(cp)) {
      letters++;
      if (utf8_is_upper(cp)) {
        upper++;
        if (first)
          first_upper = true;
        else
          upper_after_first = true;
      } else if (utf8_is_lower(cp)) {
        lower++;
      }
      first = false;
    } else if (cp >= 0 && utf8_is_digit(cp)) {
      digits++;
      first = false;
    } else if (cp != '\'' && cp != '-' && cp != '.') {
      others++;
    }
    i += (size_t)k;
  }
  uint8_t f = 0;
  if (first_upper)
    f |= WS_INITCAP;
  if (letters && !lower)
    f |= WS_ALLCAPS;
  if (digits)
    f |= WS_HASDIGIT;
  if (letters && !digits && !others)
    f |= WS_ALPHA;
  if (letters && !upper)
    f |= WS_LOWER;
  if (upper_after_first && lower)
    f |= WS_MIXED;
  return f;
}

uint8_t worker_spelling(ties_worker *w, const wordrec *r) {
  if (r->spell != SP_UNCHECKED)
    return r->spell;
  bool gaz = strmap_get(&w->e->gaz_words, r->key, strlen(r->key)) != NULL;
  double t0 = ties_now();
  uint8_t st = spell_status(w->spell, r->lower, strlen(r->lower),
                            (r->shape & WS_INITCAP) != 0, gaz);
  w->st.t_spell += ties_now() - t0;
  ((wordrec *)r)->spell = st; /* the worker's own cache: no other reader */
  return st;
}

const wordrec *worker_word(ties_worker *w, const char *s, size_t n, int kind) {
  buf *nb = &w->tmp;
  buf_clear(nb);
  /* most tokens are plain ASCII, which normalizing leaves as it is */
  size_t k = 0;
  while (k < n && (unsigned char)s[k] < 0x80 && s[k] != '`')
    k++;
  if (k == n)
    buf_put(nb, s, n);
  else
    utf8_normalize(nb, s, n);
  /* The kind is part of the key: "US" the word and "US" in money differ
   * only in kind, which the record does not depend on, except for spell. */
  buf_putc(nb, (char)('0' + kind));
  void **slot = strmap_slot(&w->words, nb->p, nb->len, &w->word_ar);
  if (!slot)
    return NULL;
  if (*slot)
    return *slot;
  const ties_engine *e = w->e;
  size_t sn = nb->len - 1;
  wordrec *r = arena_alloc(&w->word_ar, sizeof *r);
  if (!r)
    return NULL;
  r->surface = arena_strndup(&w->word_ar, nb->p, sn);
  buf *lb = &w->tmp2;
  buf_clear(lb);
  utf8_lower(lb, r->surface, sn);
  r->lower = arena_strndup(&w->word_ar, buf_cstr(lb), lb->len);
  r->shape = S_shape(r->surface, sn);
  size_t ln = lb->len;
  if (kind == TK_WORD) {
    buf kb = BUF_INIT;
    utf8_unaccent(&kb, r->lower, ln);
    bool gaz = strmap_get(&e->gaz_words, buf_cstr(&kb), kb.len) != NULL;
    buf_free(&kb);
    uint8_t how = SP_NONE;
    double t0 = ties_now();
    const char *norm = spell_word(w->spell, &w->word_ar, r->lower, ln,
                                  (r->shape & WS_INITCAP) != 0, gaz, &how);
    w->st.t_spell += ties_now() - t0;
    r->norm = norm ? norm : r->lower;
    r->spell = how;
  } else if (kind == TK_POSS) {
    r->norm = "'s";
    r->spell = SP_NONE;
  } else {
    r->norm = r->lower;
    r->spell = SP_NONE;
  }
  size_t nn = strlen(r->norm);
  buf kb = BUF_INIT;
  utf8_unaccent(&kb, r->norm, nn);
  r->key = arena_strndup(&w->word_ar, buf_cstr(&kb), kb.len);
  buf_free(&kb);
  if (kind == TK_WORD && (r->shape & WS_ALPHA)) {
    double t0 = ties_now();
    r->stem = stem_word(w->stem, &w->word_ar, r->norm, nn);
    w->st.t_stem += ties_now() - t0;
  } else
    r->stem = r->norm;
  if (!r->surface || !r->lower || !r->key || !r->stem)
    return NULL;
  r->norm_sym = symtab_find(&e->syms, r->norm, nn);
  r->key_sym = symtab_find(&e->syms, r->key, strlen(r->key));
  r->stem_sym = symtab_find(&e->syms, r->stem, strlen(r->stem));
  r->cls = words_classes(&e->wordcls, r->norm, r->key);
  r->wsig = match_word_signature(e, r->norm_sym, r->stem_sym);
  /* the engine is frozen when documents are read; the load worker's words
   * (gazetteer names, literals) do not need the bit */
  if (e->title_first && r->key_sym < e->n_title_first &&
      (e->title_first[r->key_sym / 8] & (1u << (r->key_sym % 8))))
    r->cls |= WC_TITLE_FIRST;
  if (e->gaz_first && r->key_sym < e->n_title_first &&
      (e->gaz_first[r->key_sym / 8] & (1u << (r->key_sym % 8))))
    r->cls |= WC_GAZ_FIRST;
  *slot = r;
  w->n_words++;
  w->st.word_types++;
  return r;
}
