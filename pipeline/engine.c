/*
 * engine.c — the compiled, shareable part: gazetteers, rules, vocabulary.
 *
 * Loading order: gazetteers, then rules (rule literals and constants refer
 * to gazetteer entities), then ties_engine_finish(), which compiles the
 * rules, freezes the trie, builds the spelling vocabulary and the hashes,
 * and from then on the engine is read-only. Names and literals are
 * analysed at load time by a private worker, exactly as text will be.
 */
#include "rule.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void gaz_free(gazetteer *g);
void spell_vocab_free(struct spell_vocab *v);
void spell_vocab_add_stem(ties_engine *e, ties_worker *w, const char *s);
void spell_vocab_add(ties_engine *e, const char *w, size_t n);
ties_doc *doc_analyze(ties_worker *w, const char *text, size_t len);

static ties_worker *S_load_worker; /* never shared: see engine_load_worker */

int ties_version(void) { return TIES_VERSION; }
const char *ties_version_string(void) { return TIES_VERSION_STRING; }

void ties_settings_init(ties_settings *s) {
  memset(s, 0, sizeof *s);
  s->max_doc_bytes = (size_t)64 << 20;
  s->max_token_bytes = 1024;
  s->max_sentence_tokens = 1000;
  s->max_triples_per_doc = 100000;
  s->regex_match_limit = 100000;
  s->regex_depth_limit = 1000;
  s->match_step_limit = 200000;
  s->max_errors = 20;
  s->word_cache_entries = (size_t)1 << 17;
  s->main_actor = "auto";
  s->dict_dir = NULL;
}

int etype_of_id(const char *id, int other) {
  if (!strncmp(id, "org:", 4))
    return TIES_ORG;
  if (!strncmp(id, "person:", 7))
    return TIES_PERSON;
  if (!strncmp(id, "platform:", 9))
    return TIES_PLATFORM;
  if (!strncmp(id, "place:", 6))
    return TIES_PLACE;
  if (strlen(id) == 3 && id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' &&
      id[1] <= 'Z' && id[2] >= 'A' && id[2] <= 'Z')
    return TIES_COUNTRY; /* ISO 3166-1 alpha-3 */
  return other;
}

const char *ties_etype_name(ties_etype t) {
  switch (t) {
  case TIES_COUNTRY: return "COUNTRY";
  case TIES_ORG: return "ORG";
  case TIES_PERSON: return "PERSON";
  case TIES_PLATFORM: return "PLATFORM";
  case TIES_PLACE: return "PLACE";
  case TIES_MONEY: return "MONEY";
  case TIES_DATE: return "DATE";
  default: return "NONE";
  }
}

const char *how_name(int how) {
  switch (how) {
  case HOW_NAME: return "name";
  case HOW_ALIAS: return "alias";
  case HOW_DEMONYM: return "demonym";
  case HOW_CAPITAL: return "capital";
  case HOW_SHORT: return "short-name";
  case HOW_TITLE: return "title";
  case HOW_ROLE: return "role";
  case HOW_PRONOUN: return "pronoun";
  case HOW_GENERIC: return "generic";
  case HOW_VALUE: return "value";
  case HOW_OFFICIAL: return "official";
  case HOW_DEFINITE: return "definite";
  default: return "?";
  }
}

void sha256_hex(struct sha256_ctx *c, char out[65]) {
  uint8_t dig[SHA256_DIGEST_SIZE];
  sha256_digest(c, sizeof dig, dig);
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
    out[2 * i] = hex[dig[i] >> 4];
    out[2 * i + 1] = hex[dig[i] & 15];
  }
  out[64] = 0;
}

ties_engine *ties_engine_new(const ties_settings *s) {
  ties_engine *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  if (s)
    e->set = *s;
  else
    ties_settings_init(&e->set);
  arena_init(&e->ar);
  diag_init(&e->diags, &e->ar);
  symtab_init(&e->syms, &e->ar);
  vec_init(&e->entities, sizeof(entity *));
  strmap_init(&e->by_id);
  strmap_init(&e->gaz_words);
  strmap_init(&e->wordcls);
  strmap_init(&e->short_idx);
  strmap_init(&e->holders);
  vec_init(&e->role_titles, sizeof(role_title));
  vec_init(&e->preds, sizeof(predicate *));
  strmap_init(&e->pred_by_name);
  vec_init(&e->gaz_files, sizeof(const char *));
  vec_init(&e->rule_files, sizeof(const char *));
  sha256_init(&e->rules_sha);
  sha256_init(&e->gaz_sha);
  const char *dd = e->set.dict_dir;
  if (!dd || !*dd)
    dd = getenv("TIES_DICT_DIR");
  if (!dd || !*dd)
    dd = "/usr/share/hunspell";
  snprintf(e->dict_dir, sizeof e->dict_dir, "%s", dd);
  if (!e->set.main_actor)
    e->set.main_actor = "auto";
  e->set.main_actor = arena_strdup(&e->ar, e->set.main_actor);
  e->rules = ruleset_new(&e->ar);
  e->forms = spell_forms_new();
  if (!e->rules || !e->forms || words_init(&e->wordcls, &e->ar) != TIES_OK) {
    ties_engine_free(e);
    return NULL;
  }
  return e;
}

void ties_engine_free(ties_engine *e) {
  if (!e)
    return;
  if (e->load_worker)
    ties_worker_free(e->load_worker);
  spell_free(e->spare_speller);
  ruleset_free(e->rules);
  gaz_free(&e->gz);
  spell_vocab_free(e->vocab);
  spell_forms_free(e->forms);
  symtab_free(&e->syms);
  vec_free(&e->entities);
  strmap_free(&e->by_id);
  strmap_free(&e->gaz_words);
  strmap_free(&e->wordcls);
  strmap_free(&e->short_idx);
  strmap_free(&e->holders);
  free(e->title_first);
  free(e->gaz_first);
  vec_free(&e->role_titles);
  vec_free(&e->preds);
  strmap_free(&e->pred_by_name);
  vec_free(&e->gaz_files);
  vec_free(&e->rule_files);
  diag_free(&e->diags);
  arena_free(&e->ar);
  free(e);
}

uint32_t engine_sym(ties_engine *e, const char *s) {
  return symtab_intern(&e->syms, s, strlen(s));
}

ties_worker *engine_load_worker(ties_engine *e) {
  (void)S_load_worker;
  if (!e->load_worker)
    e->load_worker = ties_worker_new(e);
  return e->load_worker;
}

int engine_analyze(ties_engine *e, ties_worker *w, const char *s, size_t n,
                   const wordrec **words, uint8_t *kinds, size_t max) {
  (void)e;
  ties_doc *d = doc_analyze(w, s, n);
  if (!d)
    return 0;
  size_t nt = d->toks.len;
  if (nt > max) {
    ties_doc_free(d);
    return -1;
  }
  for (size_t i = 0; i < nt; i++) {
    words[i] = DOC_TOK(d, i)->w;
    kinds[i] = DOC_TOK(d, i)->kind;
  }
  ties_doc_free(d);
  return (int)nt;
}

static int S_state(ties_engine *e) {
  if (e->frozen) {
    diag_add(&e->diags, TIES_ERROR, TIES_ESTATE, NULL, 0, 0, (size_t)-1, 0,
             NULL, 0, "the engine is frozen: load before ties_engine_finish()");
    return TIES_ESTATE;
  }
  return TIES_OK;
}

int ties_engine_load_gazetteers(ties_engine *e, const char *path) {
  int rc = S_state(e);
  if (rc)
    return rc;
  return gaz_load_dir(e, path);
}

static int S_load_rule_file(ties_engine *e, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot read rule file: %s", strerror(errno));
    if (!e->status)
      e->status = TIES_EIO;
    return TIES_EIO;
  }
  buf b = BUF_INIT;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&b, chunk, got);
  bool err = ferror(f);
  fclose(f);
  if (err || b.failed) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot read rule file");
    buf_free(&b);
    return TIES_EIO;
  }
  int rc = ties_engine_load_rules_string(e, path, buf_cstr(&b), b.len);
  buf_free(&b);
  return rc;
}

static int S_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ties_engine_load_rules(ties_engine *e, const char *path) {
  int rc = S_state(e);
  if (rc)
    return rc;
  struct stat st;
  if (stat(path, &st) != 0) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot open: %s", strerror(errno));
    if (!e->status)
      e->status = TIES_EIO;
    return TIES_EIO;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (!e->preds.len) {
      /* relations.tsv beside the file */
      char rel[1024];
      const char *slash = strrchr(path, '/');
      if (slash)
        snprintf(rel, sizeof rel, "%.*s/relations.tsv", (int)(slash - path),
                 path);
      else
        snprintf(rel, sizeof rel, "relations.tsv");
      struct stat rs;
      if (stat(rel, &rs) == 0)
        ties_engine_load_relations(e, rel);
    }
    return S_load_rule_file(e, path);
  }
  if (!e->preds.len) {
    char rel[1024];
    snprintf(rel, sizeof rel, "%s/relations.tsv", path);
    struct stat rs;
    if (stat(rel, &rs) == 0) {
      rc = ties_engine_load_relations(e, rel);
      if (rc)
        return rc;
    }
  }
  DIR *dir = opendir(path);
  if (!dir) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot open rule directory: %s", strerror(errno));
    return TIES_EIO;
  }
  vec files;
  vec_init(&files, sizeof(char *));
  struct dirent *de;
  while ((de = readdir(dir))) {
    size_t n = strlen(de->d_name);
    if (n < 7 || strcmp(de->d_name + n - 6, ".rules") != 0 || de->d_name[0] == '.')
      continue;
    char **p = vec_push(&files);
    if (p)
      *p = arena_printf(&e->ar, "%s/%s", path, de->d_name);
  }
  closedir(dir);
  qsort(files.p, files.len, sizeof(char *), S_cmp_str);
  rc = TIES_OK;
  for (size_t i = 0; i < files.len; i++) {
    int r = S_load_rule_file(e, VEC_AT(&files, char *, i));
    if (r && !rc)
      rc = r;
  }
  if (!files.len)
    diag_add(&e->diags, TIES_WARNING, TIES_OK, path, 0, 0, (size_t)-1, 0, NULL,
             0, "no *.rules files in this directory");
  vec_free(&files);
  return rc;
}

int ties_engine_load_rules_string(ties_engine *e, const char *name,
                                  const char *text, size_t len) {
  int rc = S_state(e);
  if (rc)
    return rc;
  if (!engine_load_worker(e))
    return e->status ? e->status : TIES_EDEPEND;
  const char **p = vec_push(&e->rule_files);
  if (p)
    *p = arena_strdup(&e->ar, name);
  size_t before = e->diags.n_errors;
  rule_parse_file(e, name, text, len);
  return e->diags.n_errors > before ? TIES_ESYNTAX : TIES_OK;
}

int ties_engine_finish(ties_engine *e) {
  int rc = S_state(e);
  if (rc)
    return rc;
  ties_worker *lw = engine_load_worker(e);
  if (!lw)
    return e->status ? e->status : TIES_EDEPEND;
  rc = rules_compile(e);
  if (rc && !e->status)
    e->status = rc;
  /* correction vocabulary: literals are already in; add stem forms */
  const ruleset *rs = e->rules;
  for (size_t i = 0; i < rs->stems.len; i++)
    spell_vocab_add_stem(e, lw, VEC_AT(&rs->stems, const char *, i));
  int g = gaz_freeze(e);
  if (!g)
    g = resolve_freeze(e);
  if (g && !e->status)
    e->status = g;
  sha256_hex(&e->rules_sha, e->rules_hash);
  sha256_hex(&e->gaz_sha, e->gaz_hash);
  e->spare_speller = lw->spell;
  lw->spell = NULL;
  ties_worker_free(e->load_worker);
  e->load_worker = NULL;
  e->frozen = true;
  return e->diags.n_errors ? (e->status ? e->status : TIES_ESYNTAX) : TIES_OK;
}

size_t ties_engine_n_diags(const ties_engine *e) { return e->diags.v.len; }

const ties_diag *ties_engine_diag(const ties_engine *e, size_t i) {
  if (i >= e->diags.v.len)
    return NULL;
  return &VEC_AT(&e->diags.v, ties_diag, i);
}

size_t ties_engine_n_errors(const ties_engine *e) { return e->diags.n_errors; }

const char *ties_engine_rules_hash(const ties_engine *e) {
  return e->frozen ? e->rules_hash : "";
}

const char *ties_engine_gazetteer_hash(const ties_engine *e) {
  return e->frozen ? e->gaz_hash : "";
}

size_t ties_engine_n_rules(const ties_engine *e) {
  return e->rules ? e->rules->rules.len : 0;
}

size_t ties_engine_n_entities(const ties_engine *e) { return e->entities.len; }
