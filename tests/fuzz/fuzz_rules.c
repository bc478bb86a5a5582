/*
 * fuzz_rules.c — the rule compiler: lexer, parser, defines, programs, the
 * trigger index, and the matcher running what compiled.
 *
 * Each input is one rule file loaded beside rules/relations.tsv and a small
 * gazetteer (a few countries, the project's roles). Every diagnostic is
 * formatted with its caret (diag.c). When the rules compile, a few
 * sentences and the input itself are run through them with traces on, as
 * `ties test` and `ties explain` would.
 */
#include "fuzz.h"

static const char *S_dicts, *S_gaz;

static const char *const S_sentences[] = {
    "Beijing, for instance, donated USD 1 million in equipment to Serbia.",
    ("China's defense minister Wei Fenghe met Russia's president in Moscow "
     "on 12 March 2019, and the PLA held an exercise with the Russian navy."),
    "The United States did not sell arms to China; Britain plans to.",
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  S_dicts = S_tiny_dicts();
  S_gaz = S_tiny_gazetteers();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ties_settings s;
  ties_settings_init(&s);
  s.dict_dir = S_dicts;
  s.match_step_limit = 20000; /* a slow input is not a finding at 200000 */
  ties_engine *e = ties_engine_new(&s);
  if (!e)
    abort();
  S_load_small_base(e, S_gaz);
  ties_engine_load_relations(e, S_path(0, "rules/relations.tsv"));
  ties_engine_load_rules_string(e, "fuzz.rules", (const char *)data, size);
  int rc = ties_engine_finish(e);
  S_touch_engine(e);
  /* An engine without rules is left out of the matcher: match.c passes
   * qsort() a NULL array then (tests/fuzz/regress/open/README.md), which
   * would stop every run here. */
  if (rc == TIES_OK && ties_engine_n_rules(e) > 0) {
    ties_worker *w = ties_worker_new(e);
    if (!w)
      abort();
    ties_docopts o = {0};
    o.flags = TIES_OPT_KEEP_MODAL | TIES_OPT_TRACE;
    for (size_t i = 0; i <= TIES_ARRAY_LEN(S_sentences); i++) {
      const char *t = i < TIES_ARRAY_LEN(S_sentences) ? S_sentences[i]
                                                       : (const char *)data;
      size_t n = i < TIES_ARRAY_LEN(S_sentences) ? strlen(t) : size;
      ties_doc *d = ties_doc_new(w, "fuzz", t, n, &o);
      if (!d)
        abort();
      S_touch_doc(d);
      ties_doc_free(d);
    }
    ties_worker_free(w);
  }
  ties_engine_free(e);
  return 0;
}
