/*
 * emit.c — the table of output writers. Adding a format means adding one
 * emit_<name>.c file and one row here (cmark's renderers).
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

extern const emitter emit_tsv, emit_jsonl;
extern const emitter emit_nt, emit_nq, emit_ttl; /* emit_rdf.c */
extern const emitter emit_neo4j, emit_dot;

static const emitter *const S_emitters[] = {
    &emit_tsv,
    &emit_jsonl,
    &emit_nt,
    &emit_nq,
    &emit_ttl,
    &emit_neo4j,
    &emit_dot,
};

const emitter *emitter_find(const char *name) {
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_emitters); i++)
    if (!strcmp(S_emitters[i]->name, name))
      return S_emitters[i];
  return NULL;
}

void emitter_list(FILE *f) {
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_emitters); i++)
    fprintf(f, "  %-8s %s\n", S_emitters[i]->name, S_emitters[i]->summary);
}

void emit_doc_of(emit_doc *out, const ties_doc *d, const char *path) {
  out->name = ties_doc_name(d);
  out->path = path ? path : "";
  out->n = ties_doc_n_triples(d);
  out->triples = out->n ? ties_doc_triple(d, 0) : NULL;
}

void emit_flush(emit_ctx *c) {
  if (c->b.failed && !c->err)
    c->err = ENOMEM;
  if (c->out && c->b.len && !c->err) {
    if (fwrite(c->b.p, 1, c->b.len, c->out) != c->b.len)
      c->err = errno ? errno : EIO;
  }
  buf_clear(&c->b);
}
