/*
 * cmd_extract.c — `ties extract [--format F] [-o FILE] [PATH...]`.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties extract [options] [PATH...]\n"
    "  Relation triples of files, directories (recursive, sorted) or stdin.\n"
    "  --format F         tsv (default) or jsonl\n"
    "  -o FILE            write to FILE (through a temporary file)\n"
    "  --rules PATH       rule file or directory (repeatable)\n"
    "  --gazetteers DIR   gazetteer directory\n"
    "  --date YYYY-MM-DD  document date for role look-ups\n"
    "  --main-actor ID    actor of elided subjects (default: most mentioned)\n"
    "  --all-modalities   also write planned, negated, ... candidates\n"
    "  -q, --quiet        no warnings\n";

int cmd_extract(int argc, char **argv) {
  cli c = {0};
  int rc = cli_parse(&c, argc, argv, NULL, NULL, S_usage);
  if (rc)
    return rc;
  const emitter *em = emitter_find(c.format ? c.format : "tsv");
  if (!em) {
    fprintf(stderr, "%s: unknown format '%s'; formats:\n", c.prog, c.format);
    emitter_list(stderr);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    free(c.args);
    return rc;
  }
  ties_worker *w = ties_worker_new(e);
  if (!w) {
    cli_print_engine_diags(&c, e, true);
    ties_engine_free(e);
    return EXIT_USAGE;
  }
  int bad = 0;
  inputs in = {0};
  cli_inputs(&c, c.args, c.nargs, &in, &bad);
  outfile o;
  int err = out_open(&o, c.output);
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output, strerror(err));
    return EXIT_USAGE;
  }
  buf b = BUF_INIT;
  em->begin(&b, e);
  fwrite(b.p ? b.p : "", 1, b.len, o.f);
  buf_clear(&b);
  ties_docopts opts = {0};
  opts.date = c.date;
  opts.flags = c.keep_modal ? TIES_OPT_KEEP_MODAL : 0;
  for (size_t i = 0; i < in.n; i++) {
    size_t len = 0;
    int rerr = 0;
    char *text = cli_read_file(in.paths[i], &len, e->set.max_doc_bytes, &rerr);
    if (!text) {
      fprintf(stderr, "%s: %s\n", in.paths[i], strerror(rerr));
      bad++;
      continue;
    }
    char *name = cli_doc_name(in.paths[i]);
    opts.path = in.paths[i];
    ties_doc *d = ties_doc_new(w, name, text, len, &opts);
    if (!d) {
      fprintf(stderr, "%s: out of memory\n", in.paths[i]);
      bad++;
    } else {
      if (cli_print_doc_diags(&c, d))
        bad++;
      em->doc(&b, e, d);
      fwrite(b.p ? b.p : "", 1, b.len, o.f);
      buf_clear(&b);
      ties_doc_free(d);
    }
    free(name);
    free(text);
  }
  em->end(&b, e);
  fwrite(b.p ? b.p : "", 1, b.len, o.f);
  buf_free(&b);
  err = out_close(&o, true);
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output ? c.output : "stdout",
            strerror(err));
  }
  cli_inputs_free(&in);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  if (bad)
    fprintf(stderr, "%s: %d input%s failed\n", c.prog, bad, bad == 1 ? "" : "s");
  return err ? EXIT_USAGE : bad ? EXIT_DOCS : 0;
}
