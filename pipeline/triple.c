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

void triple_add(ties_doc *d, const candidate *c0) {
  candidate *c = vec_push(&d->cands);
  if (!c) {
    d->status = TIES_ENOMEM;
    return;
  }
  *c = *c0;
  if (c->why_dropped)
    return;
  bool keep_modal = (d->flags & TIES_OPT_KEEP_MODAL) != 0;
  if (c->modality != MOD_ASSERTED && !keep_modal) {
    c->why_dropped =
        arena_printf(&d->ar, "not asserted: %s (cue \"%s\")",
                     modality_name(c->modality), c->cue ? c->cue : "");
    return;
  }
  const char *a = c->s_id, *b = c->o_id;
  if (c->pred->symmetric && strcmp(a, b) > 0) {
    const char *t = a;
    a = b;
    b = t;
  }
  /* the key "S\tP\tO[\tmodality]": on the stack unless it is long */
  char kb[256];
  size_t la = strlen(a), lp = strlen(c->pred->name), lb = strlen(b);
  size_t kn = la + lp + lb + 2;
  char *key = kn + 8 <= sizeof kb ? kb : malloc(kn + 8);
  if (!key) {
    d->status = TIES_ENOMEM;
    return;
  }
  memcpy(key, a, la);
  key[la] = '\t';
  memcpy(key + la + 1, c->pred->name, lp);
  key[la + 1 + lp] = '\t';
  memcpy(key + la + 2 + lp, b, lb);
  if (keep_modal) {
    key[kn++] = '\t';
    key[kn++] = (char)('0' + c->modality);
  }
  void **slot = strmap_slot(&d->seen, key, kn, &d->ar);
  if (key != kb)
    free(key);
  if (!slot) {
    d->status = TIES_ENOMEM;
    return;
  }
  if (*slot) {
    /* the common case: the text is made only when asked (candidate_why) */
    c->why_dropped = "duplicate";
    c->dup_of = (uint32_t)(uintptr_t)*slot;
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
  t->evidence = text_span(&d->ar, &d->t, s, e);
  t->modality = modality_name(c->modality);
  t->cue = c->cue ? c->cue : "";
  t->item = c->item ? c->item : "";
  t->amount = c->amount ? c->amount : "";
  t->date = c->date ? c->date : "";
  *slot = (void *)(uintptr_t)d->triples.len;
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
  strmap_clear(&d->seen);
}
