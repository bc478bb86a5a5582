/*
 * cli.h — what the subcommands share: options, data paths, inputs,
 * diagnostics on stderr, exit codes, and the output writers' table.
 */
#ifndef TIES_CLI_H
#define TIES_CLI_H

#include "ties_int.h"

/* Exit codes (jq-style enum). */
enum {
  EXIT_OK_ = 0,
  EXIT_DOCS = 1,    /* some documents failed; the rest were written */
  EXIT_USAGE = 2,   /* usage or I/O */
  EXIT_RULES = 3,   /* rule or gazetteer errors */
  EXIT_TESTS = 4    /* test or eval failures */
};

typedef struct cli {
  const char *prog;
  const char *gazetteers;
  const char *rules[32];
  int nrules;
  const char *date;
  const char *main_actor;
  const char *dict_dir;
  const char *format;
  const char *output;
  const char *db;
  int jobs;
  bool quiet;
  bool keep_modal;
  bool jsonl;
  bool color;
  size_t max_doc_bytes;
  /* positional arguments */
  const char **args;
  int nargs;
} cli;

/* Parse the options every subcommand understands; unknown ones go to
 * extra(opt, value) which returns 1 if it took the value, 0 if only the
 * flag, -1 if unknown. Returns 0, or EXIT_USAGE after printing why. */
typedef int (*cli_extra_fn)(cli *c, const char *opt, const char *val,
                            void *ctx);
int cli_parse(cli *c, int argc, char **argv, cli_extra_fn extra, void *ctx,
              const char *usage);

/* Build the engine (rules optional). On errors prints them and returns
 * NULL with *code set. */
ties_engine *cli_engine(cli *c, bool with_rules, int *code);

void cli_print_diag(const cli *c, const ties_diag *d);
void cli_print_engine_diags(const cli *c, const ties_engine *e, bool warnings);
/* Prints the doc's diagnostics; returns true if the doc failed. */
bool cli_print_doc_diags(const cli *c, const ties_doc *d);

/* Expand files and directories (recursively, sorted) into a list; "-" is
 * stdin. Unreadable paths are reported and counted in *bad. */
typedef struct inputs {
  char **paths;
  size_t n, cap;
} inputs;
void cli_inputs(const cli *c, const char **args, int nargs, inputs *in,
                int *bad);
void cli_inputs_free(inputs *in);

/* Read a whole file ("-" = stdin). NULL and errno set on failure. */
char *cli_read_file(const char *path, size_t *len, size_t limit, int *err);

/* "seeds/000_x.txt" → "000_x" */
char *cli_doc_name(const char *path);

/* Open the output (-o FILE, through a temporary file renamed on success,
 * or stdout). */
typedef struct outfile {
  FILE *f;
  char *path;    /* final path or NULL for stdout */
  char *tmp;
} outfile;
int out_open(outfile *o, const char *path);
/* Close; renames into place only if ok. Returns 0 or errno. */
int out_close(outfile *o, bool ok);

/* Output writers: one file per format behind this table. */
typedef struct emitter {
  const char *name;
  const char *summary;
  void (*begin)(buf *b, const ties_engine *e);
  void (*doc)(buf *b, const ties_engine *e, const ties_doc *d);
  void (*end)(buf *b, const ties_engine *e);
} emitter;
const emitter *emitter_find(const char *name);
void emitter_list(FILE *f);

/* Subcommands. */
int cmd_extract(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_eval(int argc, char **argv);

#endif
