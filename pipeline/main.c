/*
 * main.c — the `ties` command: a table of subcommands.
 */
#include "cli.h"

#include <string.h>

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *summary;
} S_cmds[] = {
    {"extract", cmd_extract, "relation triples of documents (tsv, jsonl, ...)"},
    {"tag", cmd_tag, "entity mentions of documents"},
    {"explain", cmd_explain, "tokens, entities and rules of a sentence"},
    {"test", cmd_test, "run the rules' inline examples and counters"},
    {"lint", cmd_lint, "check rules and gazetteers without documents"},
    {"eval", cmd_eval, "precision, recall and F1 against gold triples"},
    {"db", cmd_db, "the SQLite store: export, remove documents"},
    {"report", cmd_report, "an HTML page of documents, triples and the graph"},
};

static void S_usage(FILE *f) {
  fprintf(f, "usage: ties COMMAND [options] [ARGS]\n\ncommands:\n");
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_cmds); i++)
    fprintf(f, "  %-8s %s\n", S_cmds[i].name, S_cmds[i].summary);
  fprintf(f, "\n'ties COMMAND --help' for a command's options; "
             "'ties --version'.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    S_usage(stderr);
    return EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("ties %s\n", ties_version_string());
    return 0;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    S_usage(stdout);
    return 0;
  }
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_cmds); i++)
    if (!strcmp(argv[1], S_cmds[i].name)) {
      argv[1] = argv[0];
      return S_cmds[i].fn(argc - 1, argv + 1);
    }
  fprintf(stderr, "ties: unknown command '%s'\n", argv[1]);
  S_usage(stderr);
  return EXIT_USAGE;
}
