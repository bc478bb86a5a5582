/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz/ share.
 *
 * Each fuzz_<stage>.c defines LLVMFuzzerTestOneInput (and, where it loads
 * something once, LLVMFuzzerInitialize). Built with clang
 * -fsanitize=fuzzer,address,undefined by `make fuzz`; built with the
 * ordinary compiler and replay.c by `make check`, which runs every seed and
 * every regression input through the same code.
 *
 * Data files are found under $TIES_SRCDIR (default: the working directory,
 * the repository root for make). Targets that build an engine per input use
 * a pair of tiny hunspell dictionaries written into a temporary directory:
 * Debian's take ~70 ms to open, which would make the rule compiler's target
 * fifty times slower without reaching any more of ties' own code.
 */
#ifndef TIES_FUZZ_H
#define TIES_FUZZ_H

#include "ties_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static TIES_UNUSED const char *S_root(void) {
  const char *r = getenv("TIES_SRCDIR");
  return r && *r ? r : ".";
}

/* "ROOT/rel" in a static buffer per call site's slot. */
static TIES_UNUSED const char *S_path(int slot, const char *rel) {
  static char paths[4][1024];
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", S_root(), rel);
  return paths[slot];
}

static TIES_UNUSED void S_write(const char *dir, const char *name,
                                const char *text) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  if (!f) {
    perror(p);
    abort();
  }
  fputs(text, f);
  fclose(f);
}

/* A temporary directory, removed at exit with what S_write put there. */
static char S_tmpdir[256];
static void S_cleanup(void) {
  static const char *const names[] = {"en_US.aff", "en_US.dic", "en_GB.aff",
                                      "en_GB.dic", "officials.tsv",
                                      "organisations.tsv"};
  char p[512];
  for (size_t i = 0; i < TIES_ARRAY_LEN(names); i++) {
    snprintf(p, sizeof p, "%s/%s", S_tmpdir, names[i]);
    unlink(p);
  }
  snprintf(p, sizeof p, "%s/small/countries.tsv", S_tmpdir);
  unlink(p);
  snprintf(p, sizeof p, "%s/small", S_tmpdir);
  rmdir(p);
  rmdir(S_tmpdir);
}

static TIES_UNUSED const char *S_tmp(void) {
  if (!S_tmpdir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(S_tmpdir, sizeof S_tmpdir, "%s/ties-fuzz.XXXXXX",
             t && *t ? t : "/tmp");
    if (!mkdtemp(S_tmpdir)) {
      perror("mkdtemp");
      abort();
    }
    atexit(S_cleanup);
  }
  return S_tmpdir;
}

/* Tiny en_US/en_GB dictionaries: enough for known words, a British
 * variant (defence) and a correction candidate (donated). */
static TIES_UNUSED const char *S_tiny_dicts(void) {
  const char *d = S_tmp();
  S_write(d, "en_US.aff", "SET UTF-8\nTRY esianrtolcdugmphbyfvkwzxjq\n");
  S_write(d, "en_US.dic",
          "24\nthe\nto\nand\nof\ndonated\ndonate\narms\nweapons\nsold\nsell\n"
          "defense\norganization\nvisited\nvisit\nmet\nminister\npresident\n"
          "navy\nin\na\nwith\nsigned\nagreement\nexercise\n");
  S_write(d, "en_GB.aff", "SET UTF-8\n");
  S_write(d, "en_GB.dic",
          "5\ndefence\norganisation\nthe\nto\nand\n");
  return d;
}

/* The base gazetteer of the targets that build an engine per input: the
 * project's countries and roles (2 ms to load with the tiny dictionaries),
 * and a small directory with an official holding a role and organisations
 * with aliases. */
static TIES_UNUSED const char *S_tiny_gazetteers(void) {
  const char *d = S_tmp();
  S_write(d, "officials.tsv",
          "id\tname\tshort\tcountry\taliases\troles\n"
          "person:fuzz-wei\tWei Fenghe\tWei\tCHN\t\t"
          "defense-minister 2018-03..2023-03\n");
  S_write(d, "organisations.tsv",
          "id\tname\tcountry\tkind\taliases\n"
          "org:fuzz-pla\tPeople's Liberation Army\tCHN\tmilitary\tPLA; ~the army\n"
          "org:fuzz-un\tUnited Nations\t\tintl\tUN\n");
  return d;
}

static TIES_UNUSED void S_load_base(ties_engine *e, const char *tiny) {
  ties_engine_load_gazetteers(e, S_path(2, "gazetteers/countries.tsv"));
  ties_engine_load_gazetteers(e, S_path(3, "gazetteers/roles.tsv"));
  ties_engine_load_gazetteers(e, tiny);
}

/* The same with a handful of countries instead of 249: under ASan the
 * per-input load of every country's names costs more than compiling a
 * rule file, and the rule language does not need them all. */
static TIES_UNUSED void S_load_small_base(ties_engine *e, const char *tiny) {
  static char path[600];
  if (!path[0]) {
    snprintf(path, sizeof path, "%s/small/countries.tsv", S_tmp());
    char dir[520];
    snprintf(dir, sizeof dir, "%s/small", S_tmp());
    mkdir(dir, 0700);
    S_write(dir, "countries.tsv",
            "id\talpha2\tnumeric\tname\tofficial\taliases\tdemonyms\t"
            "capitals\n"
            "CHN\tCN\t156\tChina\tPeople's Republic of China\tPRC; ~the "
            "mainland\tChinese\tBeijing\n"
            "SRB\tRS\t688\tSerbia\tRepublic of Serbia\t\tSerbian\tBelgrade\n"
            "USA\tUS\t840\tUnited States\tUnited States of America\tUS; "
            "U.S.; America\tAmerican\tWashington\n"
            "RUS\tRU\t643\tRussia\tRussian Federation\t\tRussian\tMoscow\n"
            "GBR\tGB\t826\tUnited Kingdom\t\tUK; Britain\tBritish\tLondon\n"
            "IND\tIN\t356\tIndia\tRepublic of India\t\tIndian\tNew Delhi\n"
            "PAK\tPK\t586\tPakistan\t\t\tPakistani\tIslamabad\n"
            "KHM\tKH\t116\tCambodia\tKingdom of Cambodia\t\tCambodian\t"
            "Phnom Penh\n");
  }
  ties_engine_load_gazetteers(e, path);
  ties_engine_load_gazetteers(e, S_path(3, "gazetteers/roles.tsv"));
  ties_engine_load_gazetteers(e, tiny);
}

/* Read every string a document hands out, so that a dangling pointer or a
 * string without its NUL shows up under AddressSanitizer. */
static volatile size_t S_sink;

/* TIES_FUZZ_VERBOSE=1 prints the diagnostics: to see what a seed reaches. */
static TIES_UNUSED void S_touch_diag(const ties_diag *g) {
  size_t n = strlen(g->message);
  if (g->file)
    n += strlen(g->file);
  if (g->source)
    n += strlen(g->source);
  buf b = BUF_INIT;
  diag_format(&b, g, (n & 1) != 0);
  S_sink += b.len + n;
  if (getenv("TIES_FUZZ_VERBOSE"))
    fputs(buf_cstr(&b), stderr);
  buf_free(&b);
}

static TIES_UNUSED void S_touch_doc(const ties_doc *d) {
  size_t n = 0;
  n += strlen(ties_doc_name(d)) + strlen(ties_doc_date(d)) +
       strlen(ties_doc_main_actor(d));
  for (size_t i = 0; i < ties_doc_n_diags(d); i++)
    S_touch_diag(ties_doc_diag(d, i));
  for (size_t i = 0; i < ties_doc_n_tokens(d); i++) {
    ties_token t;
    ties_doc_token(d, i, &t);
    n += strlen(t.surface) + strlen(t.norm) + strlen(t.stem) +
         strlen(t.kind) + strlen(t.spelling) + t.end - t.start;
  }
  for (size_t i = 0; i < ties_doc_n_sentences(d); i++) {
    const ties_sentence *s = ties_doc_sentence(d, i);
    n += s->end - s->start + s->n_tokens;
  }
  for (size_t i = 0; i < ties_doc_n_mentions(d); i++) {
    const ties_mention *m = ties_doc_mention(d, i);
    n += strlen(m->text) + strlen(m->id) + strlen(m->label) +
         strlen(m->country) + strlen(m->how) +
         strlen(ties_etype_name(m->type));
  }
  for (size_t i = 0; i < ties_doc_n_triples(d); i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    n += strlen(t->subject) + strlen(t->predicate) + strlen(t->object) +
         strlen(t->subject_country) + strlen(t->object_country) +
         strlen(t->rule) + strlen(t->rule_file) + strlen(t->evidence) +
         strlen(t->modality) + strlen(t->cue) + strlen(t->item) +
         strlen(t->amount) + strlen(t->date) + t->rule_line;
  }
  S_sink += n;
}

static TIES_UNUSED void S_touch_engine(const ties_engine *e) {
  for (size_t i = 0; i < ties_engine_n_diags(e); i++)
    S_touch_diag(ties_engine_diag(e, i));
}

/* A full engine (rules/, gazetteers/, the system's dictionaries) or abort:
 * the targets that take one need the project's own data to load. */
static TIES_UNUSED ties_engine *S_full_engine(void) {
  ties_engine *e = ties_engine_new(NULL);
  if (!e)
    abort();
  ties_engine_load_gazetteers(e, S_path(0, "gazetteers"));
  ties_engine_load_rules(e, S_path(1, "rules"));
  if (ties_engine_finish(e) != TIES_OK) {
    for (size_t i = 0; i < ties_engine_n_diags(e); i++)
      fprintf(stderr, "%s\n", ties_engine_diag(e, i)->message);
    fprintf(stderr, "fuzz: the project's rules and gazetteers do not load "
                    "(run from the repository root or set TIES_SRCDIR)\n");
    abort();
  }
  return e;
}

#endif
