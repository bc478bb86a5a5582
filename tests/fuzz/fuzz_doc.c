/*
 * fuzz_doc.c — the document pipeline: text in, triples out.
 *
 * The project's own rules and gazetteers are loaded once; each input is one
 * document (not NUL-terminated: the buffer ends where libFuzzer's does, so a
 * read past the end is caught). A first byte below 0x08 is taken as the
 * document options (keep modal candidates, traces for explain, no rules)
 * and dropped, so the fuzzer can reach every path with the same text.
 * One worker serves every input, as in a batch, so its word caches fill and
 * are cleared the way they are in `ties extract`.
 */
#include "fuzz.h"

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
  ties_docopts o = {0};
  o.flags = TIES_OPT_KEEP_MODAL;
  if (size && data[0] < 0x08) {
    o.flags = 0;
    if (data[0] & 1)
      o.flags |= TIES_OPT_KEEP_MODAL;
    if (data[0] & 2)
      o.flags |= TIES_OPT_TRACE;
    if (data[0] & 4)
      o.flags |= TIES_OPT_NO_RULES;
    data++;
    size--;
  }
  o.path = "fuzz.txt";
  ties_doc *d = ties_doc_new(S_w, "fuzz", (const char *)data, size, &o);
  if (!d)
    abort(); /* NULL means out of memory only */
  S_touch_doc(d);
  ties_doc_free(d);
  return 0;
}
