/*
 * cmd_db.c — `ties db`: the SQLite store made by `ties extract --db FILE`.
 *
 *   ties db rm FILE.sqlite DOC...                   remove documents
 *   ties db export FILE.sqlite [--format F] [-o OUT] the graph through a writer
 *   ties db stats FILE.sqlite                       counts
 *
 * export builds one emit_doc per stored document (name order, triples in
 * the order extraction gave them) and hands it to the same writers as
 * extract, with an engine made of the stored entities and predicates, so
 * `db export --format tsv` of a store equals `extract` of its files. All
 * SQL lives in store.c; this file is the command line.
 */
#include "cli.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char S_usage[] =
    "usage: ties db rm FILE.sqlite DOC...\n"
    "       ties db export FILE.sqlite [--format F] [-o OUT]\n"
    "       ties db stats FILE.sqlite\n"
    "  The SQLite store made by 'ties extract --db FILE.sqlite PATH...'.\n"
    "  rm      remove documents (by name, the doc column) and their rows\n"
    "  export  the stored triples through a writer: tsv (default), jsonl, ...\n"
    "          ('--format help' lists them; directory writers need -o DIR)\n"
    "  stats   counts of documents, entities, mentions and triples\n";

static int S_usage_error(const char *prog, const char *msg) {
  fprintf(stderr, "%s: %s\n%s", prog, msg, S_usage);
  return EXIT_USAGE;
}

static store *S_open(const cli *c, const char *path) {
  char err[512] = "";
  store *s = store_open_existing(path, err, sizeof err);
  if (!s)
    fprintf(stderr, "%s: %s: %s\n", c->prog, path, err);
  return s;
}

/* ---- rm ------------------------------------------------------------------- */

static int S_rm(cli *c) {
  if (c->nargs < 2)
    return S_usage_error(c->prog, "db rm needs a store and at least one document");
  const char *path = c->args[0];
  store *s = S_open(c, path);
  if (!s)
    return EXIT_USAGE;
  int missing = 0, failed = 0;
  for (int i = 1; i < c->nargs; i++) {
    char err[512] = "";
    int r = store_remove(s, c->args[i], err, sizeof err);
    if (r < 0) {
      fprintf(stderr, "%s: %s: %s\n", path, c->args[i], err);
      failed++;
      break;
    }
    if (r == 0) {
      fprintf(stderr, "%s: no document '%s' in the store\n", path, c->args[i]);
      missing++;
    } else if (!c->quiet) {
      fprintf(stderr, "%s: removed '%s'\n", path, c->args[i]);
    }
  }
  if (store_close(s) != 0) {
    fprintf(stderr, "%s: %s: cannot close the store\n", c->prog, path);
    failed++;
  }
  return failed ? EXIT_USAGE : missing ? EXIT_DOCS : 0;
}

/* ---- export ------------------------------------------------------------- */

typedef struct export_ctx {
  const emitter *em;
  emit_ctx *ec;
} export_ctx;

static int S_export_doc(const emit_doc *d, void *arg) {
  export_ctx *x = arg;
  x->em->doc(x->ec, d);
  emit_flush(x->ec);
  return x->ec->err != 0;
}

static int S_export(cli *c) {
  if (c->nargs != 1)
    return S_usage_error(c->prog, "db export needs one store");
  if (c->format && !strcmp(c->format, "help")) {
    emitter_list(stdout);
    return 0;
  }
  const emitter *em = emitter_find(c->format ? c->format : "tsv");
  if (!em) {
    fprintf(stderr, "%s: unknown format '%s'; formats:\n", c->prog, c->format);
    emitter_list(stderr);
    return EXIT_USAGE;
  }
  if (em->directory && !c->output) {
    fprintf(stderr, "%s: --format %s writes several files: give a directory "
                    "with -o DIR\n", c->prog, em->name);
    return EXIT_USAGE;
  }
  const char *path = c->args[0];
  store *s = S_open(c, path);
  if (!s)
    return EXIT_USAGE;
  ties_engine *e = store_engine(s);
  if (!e) {
    fprintf(stderr, "%s: %s: cannot read the entities\n", c->prog, path);
    store_close(s);
    return EXIT_USAGE;
  }
  char rules[72], gaz[72];
  store_hashes(s, rules, gaz);

  outfile o = {0};
  emit_ctx ec = {0};
  ec.e = e;
  ec.rules_hash = rules;
  ec.gazetteer_hash = gaz;
  ec.all_modalities = true; /* whatever the store holds */
  int err = 0;
  if (em->directory) {
    if (mkdir(c->output, 0777) != 0 && errno != EEXIST)
      err = errno;
    ec.dir = c->output;
  } else {
    err = out_open(&o, c->output);
    ec.out = o.f;
  }
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c->prog, c->output, strerror(err));
    out_close(&o, false);
    ties_engine_free(e);
    store_close(s);
    return EXIT_USAGE;
  }
  if (em->begin)
    em->begin(&ec);
  emit_flush(&ec);
  export_ctx x = {em, &ec};
  char msg[512] = "";
  int rc = ec.err ? 0 : store_each_doc(s, S_export_doc, &x, msg, sizeof msg);
  if (rc)
    fprintf(stderr, "%s: %s: %s\n", c->prog, path, msg);
  bool ok = !rc && !ec.err;
  if (em->end) {
    ec.discard = !ok; /* a failed export: free, write nothing */
    em->end(&ec);
    if (ok) {
      emit_flush(&ec);
      ok = !ec.err;
    }
  }
  int cerr = em->directory ? ec.err : out_close(&o, ok);
  if (!cerr && !ok)
    cerr = ec.err;
  if (cerr)
    fprintf(stderr, "%s: %s: %s\n", c->prog, c->output ? c->output : "stdout",
            strerror(cerr));
  buf_free(&ec.b);
  ties_engine_free(e);
  store_close(s);
  return rc || cerr ? EXIT_USAGE : 0;
}

/* ---- stats ------------------------------------------------------------------ */

static void S_pred(const char *p, long long n, void *ctx) {
  (void)ctx;
  printf("  %-20s %lld\n", p, n);
}

static int S_stats(cli *c) {
  if (c->nargs != 1)
    return S_usage_error(c->prog, "db stats needs one store");
  const char *path = c->args[0];
  store *s = S_open(c, path);
  if (!s)
    return EXIT_USAGE;
  store_stats st;
  char err[512] = "";
  char rules[72], gaz[72];
  store_hashes(s, rules, gaz);
  printf("store      %s\n", path);
  int rc = store_get_stats(s, &st, NULL, NULL, err, sizeof err);
  if (!rc) {
    printf("schema     %d\n", st.schema);
    printf("documents  %lld\n", st.documents);
    printf("entities   %lld\n", st.entities);
    printf("mentions   %lld\n", st.mentions);
    printf("triples    %lld\n", st.triples);
    printf("asserted   %lld\n", st.asserted);
    printf("rulesets   %lld%s%s\n", st.rulesets, st.rulesets == 1 ? " " : "",
           st.rulesets == 1 ? rules : "");
    printf("predicates\n");
    rc = store_get_stats(s, &st, S_pred, NULL, err, sizeof err);
  }
  if (rc)
    fprintf(stderr, "%s: %s: %s\n", c->prog, path, err);
  store_close(s);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "%s: stdout: %s\n", c->prog, strerror(errno));
    return EXIT_USAGE;
  }
  return rc ? EXIT_USAGE : 0;
}

/* ---- the command ------------------------------------------------------------- */

int cmd_db(int argc, char **argv) {
  const char *prog = argv[0];
  if (argc < 2) {
    fputs(S_usage, stderr);
    return EXIT_USAGE;
  }
  const char *sub = argv[1];
  if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
    fputs(S_usage, stdout);
    return 0;
  }
  int (*fn)(cli *) = !strcmp(sub, "rm")       ? S_rm
                     : !strcmp(sub, "export") ? S_export
                     : !strcmp(sub, "stats")  ? S_stats
                                              : NULL;
  if (!fn) {
    fprintf(stderr, "%s: unknown db command '%s'\n%s", prog, sub, S_usage);
    return EXIT_USAGE;
  }
  /* the subcommand's own arguments, with the program name in front */
  argv[1] = argv[0];
  cli c = {0};
  int rc = cli_parse(&c, argc - 1, argv + 1, NULL, NULL, S_usage);
  if (rc) {
    free(c.args);
    return rc;
  }
  c.prog = prog;
  rc = fn(&c);
  free(c.args);
  return rc;
}
