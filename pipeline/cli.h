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
  bool stats;
  size_t max_doc_bytes;
  size_t max_token_bytes;
  size_t max_sentence_tokens;
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

/* gazetteers/ or rules/ next to the binary, in $(datadir)/ties, or ./ */
const char *cli_data_dir(const char *what, const char *env);

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

/* One line of a stream: up to max bytes are kept in *b (NUL-terminated,
 * without the newline or a CR before it); the rest of a longer line is
 * read and dropped, so a huge line never needs memory. Returns the line's
 * full length, or -1 at the end of the stream (or on a read error: check
 * ferror). *too_long tells whether bytes were dropped. */
long long cli_getline(FILE *f, buf *b, size_t max, bool *too_long);

/* One document of a JSON Lines input: {"id": ..., "text": ..., "date": ...}.
 * The strings are malloc'd (cli_jsonl_free); text may hold NULs. */
typedef struct jsonl_doc {
  char *id;
  char *text;
  size_t len;
  char *date;      /* NULL when absent */
} jsonl_doc;
/* Parse one line (without its newline). Returns 0, or -1 with the reason
 * in msg (lower case, no location) and its 1-based column in *col (0 when
 * the reason is about the whole line). */
int cli_jsonl_parse(const char *line, size_t n, jsonl_doc *d, int *col,
                    char *msg, size_t msglen);
void cli_jsonl_free(jsonl_doc *d);

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

/* Output writers: one file per format behind this table (cmark's
 * renderers). A writer sees documents as a name and its triples, so the
 * same writer serves `extract` and `db export`. Streaming writers append
 * to ctx->b, which the driver flushes to ctx->out after each call;
 * aggregating ones keep ctx->state and write in end(). Writers that make
 * several files (directory = true) write into ctx->dir themselves. */
typedef struct emit_doc {
  const char *name;            /* document id */
  const char *path;            /* where it came from, "" if unknown */
  const ties_triple *triples;
  size_t n;
} emit_doc;

typedef struct emit_ctx {
  const ties_engine *e;        /* entity labels, types, countries (may be NULL) */
  const char *rules_hash;
  const char *gazetteer_hash;
  FILE *out;                   /* NULL for directory writers */
  const char *dir;             /* directory writers: where to write */
  buf b;
  void *state;
  int err;                     /* first errno, 0 if none */
  bool all_modalities;
  bool discard;                /* end(): the run failed; free, write nothing */
} emit_ctx;

typedef struct emitter {
  const char *name;
  const char *summary;
  bool directory;              /* -o names a directory */
  void (*begin)(emit_ctx *c);
  void (*doc)(emit_ctx *c, const emit_doc *d);
  void (*end)(emit_ctx *c);     /* always called once begun; see discard */
  bool per_doc;                /* doc() reads only the document, e and the
                                * hashes, and writes only to c->b: a worker
                                * may run it (extract formats in parallel) */
} emitter;
const emitter *emitter_find(const char *name);
void emitter_list(FILE *f);
/* A view of a processed document for the writers. */
void emit_doc_of(emit_doc *out, const ties_doc *d, const char *path);
/* Flush ctx->b to ctx->out; records a write error in ctx->err. */
void emit_flush(emit_ctx *c);

/* Subcommands. */
int cmd_extract(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
