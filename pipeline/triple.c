/*
 * triple.c — stage 8: distinct triples with provenance.
 *
 * Every candidate a rule emits is kept on the doc (explain lists them all,
 * with the reason any was dropped). A triple is asserted when its modality
 * is "asserted"; the others are kept out of the output unless the caller
 * asks for them (TIES_OPT_KEEP_MODAL), then with their modality and cue.
 * Triples are distinct per document: the first evidence wins, symmetric
 * predicates compare their two sides unordered.
 */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(MOD__COUNT <= 10, "a modality is one digit in the key");

/* "not asserted: <modality> (cue "<cue>")", without printf: a tenth of
 * the candidates are modal. */
static const char *S_not_asserted(ties_doc *d, const candidate *c) {
  static const char pre[] = "not asserted: ", mid[] = " (cue \"", end[] = "\")";
  const char *m = modality_name(c->modality), *cue = c->cue ? c->cue : "";
  size_t lm = strlen(m), lc = strlen(cue);
  size_t n = sizeof pre - 1 + lm + sizeof mid - 1 + lc + sizeof end - 1;
  char *s = arena_alloc(&d->ar, n + 1), *p = s;
  if (!s)
    return NULL;
  memcpy(p, pre, sizeof pre - 1);
  p += sizeof pre - 1;
  memcpy(p, m, lm);
  p += lm;
  memcpy(p, mid, sizeof mid - 1);
  p += sizeof mid - 1;
  memcpy(p, cue, lc);
  p += lc;
  memcpy(p, end, sizeof end); /* with the NUL */
  return s;
}

/* The key of a kept triple: "S\tP\tO", and the modality when modal
 * triples are kept. Triples are distinct by it, as by the string, but
 * it is neither built nor copied: its parts are the ids and names. */
typedef struct tkey {
  const char *part[3];  /* S, P, O (symmetric predicates: S <= O) */
  uint64_t h;
  uint32_t triple;      /* 1 + its index in d->triples; 0: an empty slot */
  uint8_t mod;
} tkey;

/* Reads a key's parts as one string, the tabs between them included. */
typedef struct kread {
  const char *const *part;
  const char *p;
  int k;
} kread;

static inline int S_kread_next(kread *r) {
  if (*r->p)
    return (unsigned char)*r->p++;
  if (r->k == 2)
    return -1;
  r->p = r->part[++r->k];
  return '\t';
}

/* FNV-1a of the string "S\tP\tO" (hash_bytes without its final mix). */
static uint64_t S_key_hash(const char *const part[3], int mod) {
  uint64_t h = 0xcbf29ce484222325ull;
  kread r = {part, part[0], 0};
  for (int c; (c = S_kread_next(&r)) >= 0;) {
    h ^= (uint64_t)c;
    h *= 0x100000001b3ull;
  }
  h ^= (uint64_t)mod;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

static bool S_key_eq(const tkey *x, const char *const part[3], int mod) {
  if (x->mod != mod)
    return false;
  if (x->part[0] == part[0] && x->part[1] == part[1] && x->part[2] == part[2])
    return true; /* the same entities and predicate, most often */
  kread a = {x->part, x->part[0], 0}, b = {part, part[0], 0};
  int ca, cb;
  do {
    ca = S_kread_next(&a);
    cb = S_kread_next(&b);
  } while (ca == cb && ca >= 0);
  return ca == cb;
}

/* The key of (s_id, pd, o_id): a symmetric predicate's sides in order. */
static void S_key_parts(const predicate *pd, const char *s_id, const char *o_id,
                        const char *part[3]) {
  bool swap = pd->symmetric && strcmp(s_id, o_id) > 0;
  part[0] = swap ? o_id : s_id;
  part[1] = pd->name;
  part[2] = swap ? s_id : o_id;
}

/* The slot of the key in the table as it is: the key's, or the empty one
 * where it would go (the table has room: S_key_slot grows it first). */
static tkey *S_key_find(const ties_doc *d, const char *const part[3], int mod,
                        uint64_t h) {
  size_t i = h & (d->keys_cap - 1);
  while (d->keys[i].triple &&
         !(d->keys[i].h == h && S_key_eq(&d->keys[i], part, mod)))
    i = (i + 1) & (d->keys_cap - 1);
  return &d->keys[i];
}

/* The slot of the key (empty if it is new), or NULL when out of memory. */
static tkey *S_key_slot(ties_doc *d, const char *const part[3], int mod,
                        uint64_t h) {
  if ((d->n_keys + 1) * 10 >= d->keys_cap * 7) {
    size_t ns = d->keys_cap ? d->keys_cap * 2 : 64;
    tkey *nk = calloc(ns, sizeof *nk);
    if (!nk)
      return NULL;
    for (size_t i = 0; i < d->keys_cap; i++) {
      if (!d->keys[i].triple)
        continue;
      size_t j = d->keys[i].h & (ns - 1);
      while (nk[j].triple)
        j = (j + 1) & (ns - 1);
      nk[j] = d->keys[i];
    }
    free(d->keys);
    d->keys = nk;
    d->keys_cap = ns;
  }
  return S_key_find(d, part, mod, h);
}

bool triple_known(const ties_doc *d, const predicate *pd, const char *s_id,
                  const char *o_id) {
  if (!d->n_keys)
    return false;
  const char *part[3];
  S_key_parts(pd, s_id, o_id, part);
  return S_key_find(d, part, 0, S_key_hash(part, 0))->triple != 0;
}

void triple_add(ties_doc *d, const candidate *c0) {
  /* every candidate is kept, for explain, unless the caller wants only the
   * triples */
  bool keep_all = !(d->flags & TIES_OPT_TRIPLES_ONLY);
  candidate own, *c = &own;
  if (keep_all) {
    /* (vec_push would zero what the copy then overwrites) */
    vec *cv = &d->cands;
    if (cv->len == cv->cap && !vec_reserve(cv, cv->cap ? 2 * cv->cap : 256)) {
      d->status = TIES_ENOMEM;
      return;
    }
    c = &VEC_AT(cv, candidate, cv->len++);
  }
  *c = *c0;
  if (c->why_dropped)
    return;
  bool keep_modal = (d->flags & TIES_OPT_KEEP_MODAL) != 0;
  if (c->modality != MOD_ASSERTED && !keep_modal) {
    if (keep_all)
      c->why_dropped = S_not_asserted(d, c);
    return;
  }
  const char *part[3];
  S_key_parts(c->pred, c->s_id, c->o_id, part);
  int mod = keep_modal ? '0' + c->modality : 0;
  uint64_t h = S_key_hash(part, mod);
  tkey *slot = S_key_slot(d, part, mod, h);
  if (!slot) {
    d->status = TIES_ENOMEM;
    return;
  }
  if (slot->triple) {
    /* the common case: the text is made only when asked (candidate_why) */
    c->why_dropped = "duplicate";
    c->dup_of = slot->triple;
    return;
  }
  if (d->triples.len >= d->e->set.max_triples_per_doc) {
    c->why_dropped = "over the per-document triple limit";
    d->n_dropped_limit++;
    return;
  }
  ties_triple *t = vec_push(&d->triples);
  if (!t) {
    d->status = TIES_ENOMEM;
    return;
  }
  size_t s, e;
  doc_tok_span(d, c->t0, c->t1, &s, &e);
  t->sentence = c->sent;
  t->start = s;
  t->end = e;
  t->subject = c->s_id;
  t->predicate = c->pred->name;
  t->object = c->o_id;
  t->subject_country = c->s_country ? c->s_country : "";
  t->object_country = c->o_country ? c->o_country : "";
  t->rule = c->r->id;
  t->rule_file = c->r->file;
  t->rule_line = c->r->line;
  /* a rule often emits several triples from one piece of evidence */
  const ties_triple *prev = d->triples.len > 1 ? t - 1 : NULL;
  if (prev && prev->start == s && prev->end == e)
    t->evidence = prev->evidence;
  else
    t->evidence = text_span(&d->ar, &d->t, s, e);
  t->modality = modality_name(c->modality);
  t->cue = c->cue ? c->cue : "";
  t->item = c->item ? c->item : "";
  t->amount = c->amount ? c->amount : "";
  t->date = c->date ? c->date : "";
  slot->part[0] = part[0];
  slot->part[1] = part[1];
  slot->part[2] = part[2];
  slot->h = h;
  slot->mod = (uint8_t)mod;
  slot->triple = (uint32_t)d->triples.len;
  d->n_keys++;
}

const char *candidate_why(ties_doc *d, const candidate *c) {
  if (!c->dup_of || c->dup_of > d->triples.len)
    return c->why_dropped;
  const ties_triple *first = &VEC_AT(&d->triples, ties_triple, c->dup_of - 1);
  return arena_printf(&d->ar, "duplicate of the triple from sentence %u (rule %s)",
                      first->sentence, first->rule);
}

void triple_finish(ties_doc *d) {
  if (d->n_dropped_limit)
    diag_add(&d->diags, TIES_WARNING, TIES_ELIMIT, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0,
             "%zu triple%s dropped over the limit of %zu per document",
             d->n_dropped_limit, d->n_dropped_limit == 1 ? "" : "s",
             d->e->set.max_triples_per_doc);
  free(d->keys); /* no triple comes after */
  d->keys = NULL;
  d->n_keys = d->keys_cap = 0;
}
