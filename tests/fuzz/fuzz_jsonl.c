/*
 * fuzz_jsonl.c — the JSON Lines reader of `ties extract --jsonl`.
 *
 * The input is a stream: lines are read with cli_getline() under a small
 * bound (so the too-long path is reached), each is parsed by
 * cli_jsonl_parse(), and each document it yields is extracted with its
 * own "date" by an engine loaded once (the project's rules and
 * gazetteers), as cmd_extract.c does.
 */
#include "fuzz.h"
#include "cli.h"

static ties_engine *S_e;
static ties_worker *S_w;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  S_e = S_full_engine();
  S_w = ties_worker_new(S_e);
  if (!S_w)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size)
    return 0;
  FILE *f = fmemopen((void *)data, size, "rb");
  if (!f)
    abort();
  buf line = BUF_INIT;
  bool too_long;
  long long n;
  while ((n = cli_getline(f, &line, 2048, &too_long)) >= 0) {
    if (too_long || n == 0)
      continue;
    jsonl_doc jd;
    int col;
    char msg[400];
    if (cli_jsonl_parse(line.p, line.len, &jd, &col, msg, sizeof msg)) {
      S_sink += strlen(msg) + (size_t)col;
      continue;
    }
    ties_docopts o = {0};
    o.date = jd.date;
    o.path = "fuzz.jsonl";
    ties_doc *d = ties_doc_new(S_w, jd.id, jd.text, jd.len, &o);
    if (!d)
      abort();
    S_touch_doc(d);
    ties_doc_free(d);
    cli_jsonl_free(&jd);
  }
  buf_free(&line);
  fclose(f);
  return 0;
}
