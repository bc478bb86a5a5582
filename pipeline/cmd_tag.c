/*
 * cmd_tag.c — `ties tag [PATH...]`: entity mentions as TSV.
 *
 *   doc sentence start end text id type country how
 *
 * how says how the mention was found: name, alias, demonym, capital,
 * short-name, title, role, pronoun, generic, value (MONEY and DATE).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char S_usage[] =
    "usage: ties tag [options] [PATH...]\n"
    "  Entity mentions of each document as TSV (stdin when no PATH).\n"
    "  --gazetteers DIR   gazetteer directory\n"
    "  --date YYYY-MM-DD  document date for role look-ups\n"
    "  --main-actor ID    main actor (default: the most mentioned state)\n"
    "  -o FILE            write to FILE (atomically)\n";

int cmd_tag(int argc, char **argv) {
  cli c = {0};
  int rc = cli_parse(&c, argc, argv, NULL, NULL, S_usage);
  if (rc)
    return rc;
  ties_engine *e = cli_engine(&c, false, &rc);
  if (!e) {
    free(c.args);
    return rc;
  }
  ties_worker *w = ties_worker_new(e);
  if (!w) {
    cli_print_engine_diags(&c, e, true);
    ties_engine_free(e);
    free(c.args);
    return EXIT_USAGE;
  }
  int bad = 0;
  inputs in = {0};
  cli_inputs(&c, c.args, c.nargs, &in, &bad);
  outfile o;
  int err = out_open(&o, c.output);
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output, strerror(err));
    out_close(&o, false);
    cli_inputs_free(&in);
    ties_worker_free(w);
    ties_engine_free(e);
    free(c.args);
    return EXIT_USAGE;
  }
  fputs("doc\tsentence\tstart\tend\ttext\tid\ttype\tcountry\thow\n", o.f);
  ties_docopts opts = {0};
  opts.date = c.date;
  for (size_t i = 0; i < in.n; i++) {
    size_t len = 0;
    int rerr = 0;
    /* (a limit of 0 would stop reading after 64 KB: a silent cut) */
    char *text = cli_read_file(in.paths[i], &len, e->set.max_doc_bytes, &rerr);
    if (!text) {
      fprintf(stderr, "%s: %s\n", in.paths[i], strerror(rerr));
      bad++;
      continue;
    }
    char *name = cli_doc_name(in.paths[i]);
    opts.path = in.paths[i];
    opts.flags = TIES_OPT_NO_RULES;
    ties_doc *d = ties_doc_new(w, name, text, len, &opts);
    if (!d) {
      fprintf(stderr, "%s: out of memory\n", in.paths[i]);
      bad++;
    } else {
      if (cli_print_doc_diags(&c, d))
        bad++;
      buf b = BUF_INIT;
      for (size_t k = 0; k < ties_doc_n_mentions(d); k++) {
        const ties_mention *m = ties_doc_mention(d, k);
        buf_put_tsv(&b, name, strlen(name));
        buf_printf(&b, "\t%u\t%zu\t%zu\t", m->sentence, m->start, m->end);
        buf_put_tsv(&b, m->text, strlen(m->text));
        buf_putc(&b, '\t');
        buf_put_tsv(&b, m->id, strlen(m->id));
        buf_printf(&b, "\t%s\t%s\t%s\n", ties_etype_name(m->type), m->country,
                   m->how);
      }
      fwrite(b.p ? b.p : "", 1, b.len, o.f);
      buf_free(&b);
      ties_doc_free(d);
    }
    free(name);
    free(text);
  }
  err = out_close(&o, true);
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output ? c.output : "stdout",
            strerror(err));
    bad++;
  }
  cli_inputs_free(&in);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  if (bad)
    fprintf(stderr, "%s: %d input%s failed\n", c.prog, bad, bad == 1 ? "" : "s");
  return err ? EXIT_USAGE : bad ? EXIT_DOCS : 0;
}
