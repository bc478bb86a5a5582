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

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct match_scratch;
void match_scratch_free(struct match_scratch *ms);
static bool S_cache_grow(ties_worker *w);

ties_worker *ties_worker_new(const ties_engine *e) {
  if (!e)
    return NULL;
  ties_worker *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->e = e;
  arena_init(&w->word_ar);
  strmap_init(&w->word_bits);
  if (!S_cache_grow(w)) { /* the cache always has slots to probe */
    ties_worker_free(w);
    return NULL;
  }
  w->stem = stem_new();
  char err[700] = "";
  /* the load worker's speller if no worker has taken it yet (the one
   * place besides a failure below where a worker writes to the engine) */
  w->spell = e->frozen ? __atomic_exchange_n(&((ties_engine *)e)->spare_speller,
                                             NULL, __ATOMIC_ACQ_REL)
                       : NULL;
  if (!w->spell)
    w->spell = spell_new(e, e->dict_dir, err, sizeof err);
  if (!w->stem || !w->spell) {
    /* The engine is const for the caller; record through a cast, the one
     * place a worker writes to it, only on failure to start (workers may
     * be made side by side: one at a time here). */
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&mu);
    ties_engine *me = (ties_engine *)e;
    if (!me->frozen || !me->diags.v.len ||
        strcmp(VEC_AT(&me->diags.v, ties_diag, me->diags.v.len - 1).message,
               err) != 0)
      diag_add(&me->diags, TIES_ERROR, TIES_EDEPEND, NULL, 0, 0, (size_t)-1, 0,
               NULL, 0, "%s",
               !w->stem ? "cannot create the Snowball English stemmer" : err);
    pthread_mutex_unlock(&mu);
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
  free(w->words);
  strmap_free(&w->word_bits);
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
    if (w->words)
      memset(w->words, 0, w->n_slots * sizeof *w->words);
    strmap_clear(&w->word_bits); /* its arrays are in word_ar */
    arena_reset(&w->word_ar);
    w->n_words = 0;
    w->n_alias = 0;
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

/* ---- the word cache --------------------------------------------------------
 * Every token looks its record up here, so a probe reads one slot: its
 * length, kind and the key's first 16 bytes (S_head, S_tail) decide, and
 * only keys longer than that are compared further, with the record's
 * surface. A hit returns what the tokenizer wants without reading the
 * record, which is likely not in the cache. Linear probing in a
 * power-of-two table kept under 70% full (as in hash.c). The kind is part
 * of the key: "US" the word and "US" in money differ only in kind, which
 * the record does not depend on, except for spell. */

static inline uint64_t S_load64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t S_load32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Bytes 0-7 of a key (S_head; zeros past a shorter key) and 8-15 (S_tail;
 * of a key of 9 to 15 bytes its last 8, 0 for a shorter one), each loaded
 * as one number. A key shorter than 16 bytes is all in them, so that two
 * keys of the same length up to 16 bytes are equal exactly when their
 * heads and tails are. */
static inline uint64_t S_head(const unsigned char *s, size_t n) {
  if (n >= 8)
    return S_load64(s);
  if (n >= 4) /* (the loads overlap: the bytes of both are the same) */
    return S_load32(s) | S_load32(s + n - 4) << (8 * (n - 4));
  if (n)
    return (uint64_t)s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
           (uint64_t)s[n - 1] << (8 * (n - 1));
  return 0;
}

static inline uint64_t S_tail(const unsigned char *s, size_t n) {
  if (n >= 16)
    return S_load64(s + 8);
  return n > 8 ? S_load64(s + n - 8) : 0;
}

static inline uint64_t S_mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

/* Hash of a key (s, n, kind) with its head and tail, 8 bytes at a time. */
static inline uint64_t S_key_hash(const unsigned char *s, size_t n,
                                  uint64_t head, uint64_t tail, int kind) {
  uint64_t h =
      S_mix(head ^ (((uint64_t)n << 8) | (uint64_t)kind) * 0x9e3779b97f4a7c15ull);
  if (n > 8) {
    h = S_mix(h ^ tail);
    for (size_t i = 16; i < n; i += 8)
      h = S_mix(h ^ S_load64(s + (i + 8 <= n ? i : n - 8)));
  }
  return h;
}

static bool S_cache_grow(ties_worker *w) {
  size_t ns = w->n_slots ? w->n_slots * 2 : 1024;
  /* aligned to a cache line, so that no slot straddles two (calloc's
   * blocks are 16 bytes past one) */
  wslot *slots = aligned_alloc(64, ns * sizeof *slots);
  if (!slots)
    return false;
  memset(slots, 0, ns * sizeof *slots);
  for (size_t i = 0; i < w->n_slots; i++) {
    const wslot *o = &w->words[i];
    if (!o->r)
      continue;
    const unsigned char *k = (const unsigned char *)o->r->surface;
    size_t j = S_key_hash(k, o->len, o->head, o->tail, o->kind) & (ns - 1);
    while (slots[j].r)
      j = (j + 1) & (ns - 1);
    slots[j] = *o;
  }
  free(w->words);
  w->words = slots;
  w->n_slots = ns;
  return true;
}

/* The bytes of v with their high bit set or equal to '`', as their high
 * bits: 0 when all are plain. */
static inline uint64_t S_not_plain(uint64_t v) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t q = v ^ ('`' * ones); /* a zero byte for each '`' */
  return (v | ((q - ones) & ~q)) & high;
}

/* The slot of a key: the one that holds it, or the empty one where it
 * belongs. Keys longer than 16 bytes are compared further with the
 * record's surface, so that only normal forms may be that long. */
static inline wslot *S_probe(const ties_worker *w, const unsigned char *u,
                             size_t n, uint64_t head, uint64_t tail, int kind) {
  size_t mask = w->n_slots - 1;
  for (size_t pos = S_key_hash(u, n, head, tail, kind) & mask;;
       pos = (pos + 1) & mask) {
    wslot *sl = &w->words[pos];
    if (!sl->r || (sl->head == head && sl->tail == tail && sl->len == n &&
                   sl->kind == kind &&
                   (n <= 16 || memcmp(sl->r->surface + 16, u + 16, n - 16) == 0)))
      return sl;
  }
}

/* Room for one more slot, the table kept under 70% full; false when out
 * of memory. */
static bool S_cache_room(ties_worker *w) {
  return (w->n_words + w->n_alias + 1) * 10 <= w->n_slots * 7 ||
         S_cache_grow(w);
}

/* A slot's kind for a key as written that normalising changes (the hit
 * path's kinds are TK_*, all below it). */
#define WK_RAW 0x80

#if defined(__GNUC__)
#define S_COLD __attribute__((noinline, cold))
#define S_INLINE inline __attribute__((always_inline))
#else
#define S_COLD
#define S_INLINE inline
#endif

/* A new word type: build its record and put it in the empty slot sl of
 * its key (normalised, head and tail as S_probe had them). Out of line:
 * nearly every call is a hit. */
static S_COLD const wordrec *S_word_new(ties_worker *w, wslot *sl,
                                        const char *s, size_t n, int kind,
                                        uint64_t head, uint64_t tail,
                                        uint16_t *rw) {
  size_t ns = w->n_slots;
  if (!S_cache_room(w))
    return NULL;
  if (w->n_slots != ns)
    sl = S_probe(w, (const unsigned char *)s, n, head, tail, kind);
  /* building the record leaves the cache alone, so sl is still its slot */
  const ties_engine *e = w->e;
  size_t sn = n;
  wordrec *r = arena_alloc(&w->word_ar, sizeof *r);
  if (!r)
    return NULL;
  r->surface = arena_strndup(&w->word_ar, s, sn);
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
  if (!match_word_bits(e, &w->word_ar, &w->word_bits, r, kind))
    return NULL;
  /* the engine is frozen when documents are read; the load worker's words
   * (gazetteer names, literals) do not need the bit */
  if (e->title_first && r->key_sym < e->n_title_first &&
      (e->title_first[r->key_sym / 8] & (1u << (r->key_sym % 8))))
    r->cls |= WC_TITLE_FIRST;
  if (e->gaz_first && r->key_sym < e->n_title_first &&
      (e->gaz_first[r->key_sym / 8] & (1u << (r->key_sym % 8)))) {
    r->cls |= WC_GAZ_FIRST;
    r->gaz_root = gaz_root_child(e, r->key_sym);
    if (r->gaz_root)
      r->gaz_one = gaz_one_word(e, r);
  }
  r->rw = resolve_word_summary(r) | (r->minfo ? RB_RULE_WORD : 0);
  if (gaz_next_word(e, r, kind))
    r->rw |= RB_GAZ_NEXT;
  sl->head = head;
  sl->tail = tail;
  sl->r = r;
  sl->len = (uint32_t)n;
  sl->kind = (uint8_t)kind;
  sl->rw = r->rw;
  *rw = r->rw;
  w->n_words++;
  w->st.word_types++;
  return r;
}

/* Forms that normalising changes (curly quotes, dashes, accents) are
 * normalised once: a slot for the form as written (up to 16 bytes: head
 * and tail are the whole key) points at the record of its normal form. */
static S_COLD const wordrec *S_word_written(ties_worker *w, const char *s,
                                            size_t n, int kind, uint64_t head,
                                            uint64_t tail, uint16_t *rw) {
  const unsigned char *u = (const unsigned char *)s;
  if (n <= 16) {
    const wslot *sl = S_probe(w, u, n, head, tail, kind | WK_RAW);
    if (sl->r) {
      *rw = sl->rw;
      return sl->r;
    }
  }
  buf *nb = &w->tmp;
  buf_clear(nb);
  utf8_normalize(nb, s, n);
  if (nb->failed)
    return NULL;
  const unsigned char *nu = (const unsigned char *)buf_cstr(nb);
  size_t nn = nb->len;
  uint64_t nhead = S_head(nu, nn), ntail = S_tail(nu, nn);
  wslot *sl = S_probe(w, nu, nn, nhead, ntail, kind);
  const wordrec *r = sl->r;
  if (r)
    *rw = sl->rw;
  else if (!(r = S_word_new(w, sl, (const char *)nu, nn, kind, nhead, ntail, rw)))
    return NULL;
  if (n <= 16 && S_cache_room(w)) {
    sl = S_probe(w, u, n, head, tail, kind | WK_RAW);
    sl->head = head;
    sl->tail = tail;
    sl->r = r;
    sl->len = (uint32_t)n;
    sl->kind = (uint8_t)(kind | WK_RAW);
    sl->rw = r->rw;
    w->n_alias++;
  }
  return r;
}

/* The record of the key s (n bytes) with its head and tail. */
static S_INLINE const wordrec *S_lookup(ties_worker *w, const char *s,
                                        size_t n, int kind, uint64_t head,
                                        uint64_t tail, uint16_t *rw) {
  const unsigned char *u = (const unsigned char *)s;
  /* most keys are plain ASCII (no '`' either), which normalizing leaves as
   * it is; the head and tail hold every byte of a key up to 16 bytes */
  uint64_t odd = S_not_plain(head) | S_not_plain(tail);
  for (size_t i = 16; i < n; i += 8)
    odd |= S_not_plain(S_load64(u + (i + 8 <= n ? i : n - 8)));
  if (odd)
    return S_word_written(w, s, n, kind, head, tail, rw);
  wslot *sl = S_probe(w, u, n, head, tail, kind);
  if (!sl->r)
    return S_word_new(w, sl, s, n, kind, head, tail, rw);
  *rw = sl->rw;
  return sl->r;
}

const wordrec *worker_word(ties_worker *w, const char *s, size_t n, int kind,
                           uint16_t *rw) {
  const unsigned char *u = (const unsigned char *)s;
  return S_lookup(w, s, n, kind, S_head(u, n), S_tail(u, n), rw);
}

/* The loads below keep a key's bytes by shifting out the high-order ones,
 * which are the bytes past it on a little-endian machine; elsewhere every
 * token goes through S_head and S_tail. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define S_LITTLE 1
#else
#define S_LITTLE 0
#endif

bool worker_words(ties_worker *w, const char *text, size_t len, tok *t,
                  size_t n) {
  /* The hit path inline, and a token's head and tail read without a
   * branch on its length, which varies from token to token (the branches
   * of S_head and S_tail were mispredicted often): with 8 bytes before the
   * token and 16 from its start inside the text, the same two loads serve
   * every length. */
  const unsigned char *u = (const unsigned char *)text;
  for (size_t i = 0; i < n; i++) {
    size_t off = t[i].off, k = t[i].len;
    uint64_t head, tail;
    if (S_LITTLE && off >= 8 && off + 16 <= len && k) {
      /* (masks and shifts, not conditions, which the compiler would
       * turn into branches) */
      size_t short8 = -(size_t)(k < 8), short16 = -(size_t)(k < 16);
      size_t cut = ((8 - k) & short8) * 8; /* the bytes past the key */
      head = S_load64(u + off) << cut >> cut;
      /* (from off + 8, or off + k - 8 for a shorter key: in the text) */
      tail = S_load64(u + (off + 8 + ((k - 16) & short16))) &
             -(uint64_t)(k > 8);
    } else {
      head = S_head(u + off, k);
      tail = S_tail(u + off, k);
    }
    t[i].w = S_lookup(w, text + off, k, t[i].kind, head, tail, &t[i].rw);
    if (!t[i].w)
      return false;
  }
  return true;
}
