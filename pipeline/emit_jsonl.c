/*
 * emit_jsonl.c — one JSON object per triple (JSON Lines), with the
 * qualifiers (item, amount, date) where the sentence gives them and the
 * hashes of the rule set and gazetteers that produced it.
 */
#include "cli.h"

#include <string.h>

static void S_str(buf *b, const char *key, const char *v, bool comma) {
  if (comma)
    buf_putc(b, ',');
  buf_putc(b, '"');
  buf_puts(b, key);
  buf_puts(b, "\":\"");
  buf_put_json(b, v, strlen(v));
  buf_putc(b, '"');
}

static void S_doc(emit_ctx *c, const emit_doc *d) {
  buf *b = &c->b;
  for (size_t i = 0; i < d->n; i++) {
    const ties_triple *t = &d->triples[i];
    buf_putc(b, '{');
    S_str(b, "doc", d->name, false);
    buf_puts(b, ",\"sentence\":");
    buf_put_uint(b, t->sentence);
    buf_puts(b, ",\"start\":");
    buf_put_uint(b, t->start);
    buf_puts(b, ",\"end\":");
    buf_put_uint(b, t->end);
    S_str(b, "subject", t->subject, true);
    S_str(b, "predicate", t->predicate, true);
    S_str(b, "object", t->object, true);
    S_str(b, "subject_country", t->subject_country, true);
    S_str(b, "object_country", t->object_country, true);
    if (t->item[0])
      S_str(b, "item", t->item, true);
    if (t->amount[0])
      S_str(b, "amount", t->amount, true);
    if (t->date[0])
      S_str(b, "date", t->date, true);
    S_str(b, "modality", t->modality, true);
    if (t->cue[0])
      S_str(b, "cue", t->cue, true);
    S_str(b, "rule", t->rule, true);
    S_str(b, "rule_file", t->rule_file, true);
    buf_puts(b, ",\"rule_line\":");
    buf_put_uint(b, t->rule_line);
    S_str(b, "evidence", t->evidence, true);
    S_str(b, "ruleset", c->rules_hash, true);
    S_str(b, "gazetteers", c->gazetteer_hash, true);
    buf_puts(b, "}\n");
  }
}

const emitter emit_jsonl = {"jsonl", "one JSON object per triple, with qualifiers",
                            false, NULL, S_doc, NULL, true};
