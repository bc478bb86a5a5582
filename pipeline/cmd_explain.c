/*
 * cmd_explain.c — `ties explain "SENTENCE" | FILE [SENTENCE-INDEX]`.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties explain [options] \"SENTENCE\" | FILE [INDEX]\n";

int cmd_explain(int argc, char **argv) {
  cli c = {0};
  int rc = cli_parse(&c, argc, argv, NULL, NULL, S_usage);
  if (rc)
    return rc;
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e)
    return rc;
  ties_worker *w = ties_worker_new(e);
  if (!w)
    return EXIT_USAGE;
  const char *text = c.nargs ? c.args[0] : "";
  ties_docopts opts = {0};
  opts.date = c.date;
  opts.flags = TIES_OPT_KEEP_MODAL;
  ties_doc *d = ties_doc_new(w, "sentence", text, strlen(text), &opts);
  cli_print_doc_diags(&c, d);
  printf("tok\tsurface\tnorm\tstem\tkind\tspelling\tentity\n");
  for (size_t i = 0; i < ties_doc_n_tokens(d); i++) {
    ties_token t;
    ties_doc_token(d, i, &t);
    const char *ent = "";
    if (t.mention >= 0)
      ent = ties_doc_mention(d, (size_t)t.mention)->id;
    printf("%zu\t%s\t%s\t%s\t%s\t%s\t%s\n", i, t.surface, t.norm, t.stem, t.kind,
           t.spelling, ent);
  }
  for (size_t i = 0; i < ties_doc_n_triples(d); i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    printf("triple\t%s %s %s\t%s\t%s\t%s\n", t->subject, t->predicate, t->object,
           t->rule, t->modality, t->evidence);
  }
  ties_doc_free(d);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  return 0;
}
