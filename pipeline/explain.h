/*
 * explain.h — what `ties explain` says about a sentence, written into a
 * buffer, so that `ties report` shows the very same text for a triple
 * (cmd_explain.c).
 */
#ifndef TIES_EXPLAIN_H
#define TIES_EXPLAIN_H

#include "cli.h"

/* "document NAME, date D, main actor M" and a blank line. */
void explain_doc_header(buf *out, const ties_doc *d);

/* Sentence si of d: its text, tokens (surface, canonical spelling, stem,
 * kind, spelling outcome, entity), the rules that fired with what they
 * emitted and every dropped candidate with the reason; and, for the rules
 * named (all of them with why_not), how far each got. Appended to out. */
void explain_sentence(buf *out, ties_doc *d, uint32_t si,
                      const char *const *rules, int nrules, bool why_not);

#endif
