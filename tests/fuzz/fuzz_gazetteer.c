/*
 * fuzz_gazetteer.c — the gazetteer loader and the trie built from it.
 *
 * The first byte chooses the kind of file (countries, organisations,
 * officials, platforms, places, roles); the rest is its TSV, loaded through
 * gaz_load_buffer() after a base gazetteer (the project's countries and
 * roles, an official, organisations: what a file refers to can exist, and
 * duplicates can clash); a countries file is loaded first instead, with
 * the roles. The engine is frozen, and the input's own text is then run as
 * a document, so the names it declared are matched by the trie it built.
 */
#include "fuzz.h"

static const char *S_dicts, *S_gaz;

static const char *const S_names[] = {
    "countries.tsv", "organisations.tsv", "officials.tsv",
    "platforms.tsv", "places.tsv",        "roles.tsv",
};

static const char S_rule[] =
    "rule fuzz.visit\n"
    "  match @a:ACTOR+ _{0,4} <visit|met> _{0,4} @b:ENTITY+\n"
    "  emit  @a visited @b\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  S_dicts = S_tiny_dicts();
  S_gaz = S_tiny_gazetteers();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size)
    return 0;
  const char *name = S_names[data[0] % TIES_ARRAY_LEN(S_names)];
  data++;
  size--;
  ties_settings s;
  ties_settings_init(&s);
  s.dict_dir = S_dicts;
  ties_engine *e = ties_engine_new(&s);
  if (!e)
    abort();
  ties_worker *lw = engine_load_worker(e);
  if (!lw)
    abort();
  char path[64];
  snprintf(path, sizeof path, "fuzz/%s", name);
  if (name[0] == 'c') {
    /* countries come first, as in gaz_load_dir(), and alone */
    gaz_load_buffer(e, lw, path, (const char *)data, size);
    ties_engine_load_gazetteers(e, S_path(3, "gazetteers/roles.tsv"));
  } else {
    S_load_base(e, S_gaz);
    gaz_load_buffer(e, lw, path, (const char *)data, size);
  }
  ties_engine_load_relations(e, S_path(0, "rules/relations.tsv"));
  ties_engine_load_rules_string(e, "fuzz.rules", S_rule, sizeof S_rule - 1);
  ties_engine_finish(e);
  S_touch_engine(e);
  for (size_t i = 0; i < ties_engine_n_entities(e); i++)
    S_sink += strlen(VEC_AT(&e->entities, entity *, i)->id);
  if (ties_engine_n_errors(e) == 0) {
    ties_worker *w = ties_worker_new(e);
    if (!w)
      abort();
    ties_doc *d = ties_doc_new(w, "fuzz", (const char *)data, size, NULL);
    if (!d)
      abort();
    S_touch_doc(d);
    ties_doc_free(d);
    ties_worker_free(w);
  }
  ties_engine_free(e);
  return 0;
}
