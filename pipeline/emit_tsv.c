/*
 * emit_tsv.c — triples as tab-separated values with a header row.
 *
 *   # ties 0.9.0 rules=<sha256> gazetteers=<sha256>
 *   doc sentence start end subject predicate object subject_country
 *   object_country rule rule_source modality evidence
 *
 * doc is the input's file name without directory and extension; start and
 * end are byte offsets of the evidence in the input file. Tabs and line
 * breaks inside fields become spaces.
 */
#include "cli.h"

#include <string.h>

static void S_begin(emit_ctx *c) {
  buf *b = &c->b;
  buf_printf(b, "# ties %s rules=%s gazetteers=%s\n", ties_version_string(),
             c->rules_hash, c->gazetteer_hash);
  buf_puts(b, "doc\tsentence\tstart\tend\tsubject\tpredicate\tobject\t"
              "subject_country\tobject_country\trule\trule_source\tmodality\t"
              "evidence\n");
}

/* A field at o, cleaned (buf_put_tsv), and the separator after it. */
static char *S_field(char *o, const char *s, size_t n, char sep) {
  memcpy(o, s, n);
  tsv_clean(o, n);
  o[n] = sep;
  return o + n + 1;
}

/* Each row is measured, the room made once, and written in place. */
static void S_doc(emit_ctx *c, const emit_doc *d) {
  buf *b = &c->b;
  size_t name_n = strlen(d->name);
  for (size_t i = 0; i < d->n; i++) {
    const ties_triple *t = &d->triples[i];
    const char *f[9] = {t->subject, t->predicate, t->object,
                        t->subject_country, t->object_country, t->rule,
                        t->rule_file, t->modality, t->evidence};
    size_t n[9], need = name_n + 4 * 20 + 14; /* 4 numbers, 14 separators */
    for (int k = 0; k < 9; k++)
      need += n[k] = strlen(f[k]);
    buf_grow(b, need);
    if (b->failed)
      return;
    char *o = b->p + b->len;
    o = S_field(o, d->name, name_n, '\t');
    o = uint_write(o, t->sentence);
    *o++ = '\t';
    o = uint_write(o, t->start);
    *o++ = '\t';
    o = uint_write(o, t->end);
    *o++ = '\t';
    for (int k = 0; k < 6; k++) /* subject ... rule */
      o = S_field(o, f[k], n[k], '\t');
    o = S_field(o, t->rule_file, n[6], ':');
    o = uint_write(o, t->rule_line);
    *o++ = '\t';
    o = S_field(o, t->modality, n[7], '\t');
    o = S_field(o, t->evidence, n[8], '\n');
    b->len = (size_t)(o - b->p);
    b->p[b->len] = 0;
  }
}

const emitter emit_tsv = {"tsv", "tab-separated triples with a header (default)",
                          false, S_begin, S_doc, NULL, true};
