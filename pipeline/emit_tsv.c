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

static void S_field(buf *b, const char *s) {
  buf_put_tsv(b, s, strlen(s));
}

static void S_doc(emit_ctx *c, const emit_doc *d) {
  buf *b = &c->b;
  for (size_t i = 0; i < d->n; i++) {
    const ties_triple *t = &d->triples[i];
    S_field(b, d->name);
    buf_putc(b, '\t');
    buf_put_uint(b, t->sentence);
    buf_putc(b, '\t');
    buf_put_uint(b, t->start);
    buf_putc(b, '\t');
    buf_put_uint(b, t->end);
    buf_putc(b, '\t');
    S_field(b, t->subject);
    buf_putc(b, '\t');
    S_field(b, t->predicate);
    buf_putc(b, '\t');
    S_field(b, t->object);
    buf_putc(b, '\t');
    S_field(b, t->subject_country);
    buf_putc(b, '\t');
    S_field(b, t->object_country);
    buf_putc(b, '\t');
    S_field(b, t->rule);
    buf_putc(b, '\t');
    S_field(b, t->rule_file);
    buf_putc(b, ':');
    buf_put_uint(b, t->rule_line);
    buf_putc(b, '\t');
    S_field(b, t->modality);
    buf_putc(b, '\t');
    S_field(b, t->evidence);
    buf_putc(b, '\n');
  }
}

const emitter emit_tsv = {"tsv", "tab-separated triples with a header (default)",
                          false, S_begin, S_doc, NULL, true};
