/* helpers.h — shared set-up for the C unit tests (cmocka). The engine is
 * loaded once per test program from the project's gazetteers/ and rules/,
 * run from the repository root. */
#ifndef TIES_TEST_HELPERS_H
#define TIES_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>

#include "../../pipeline/rule.h"

static ties_engine *T_engine;
static ties_worker *T_worker;

static int T_setup(void **state) {
  (void)state;
  ties_settings s;
  ties_settings_init(&s);
  T_engine = ties_engine_new(&s);
  if (!T_engine)
    return -1;
  ties_engine_load_gazetteers(T_engine, "gazetteers");
  ties_engine_load_rules(T_engine, "rules");
  if (ties_engine_finish(T_engine) != TIES_OK) {
    for (size_t i = 0; i < ties_engine_n_diags(T_engine); i++)
      fprintf(stderr, "%s\n", ties_engine_diag(T_engine, i)->message);
    return -1;
  }
  T_worker = ties_worker_new(T_engine);
  return T_worker ? 0 : -1;
}

static int T_teardown(void **state) {
  (void)state;
  ties_worker_free(T_worker);
  ties_engine_free(T_engine);
  return 0;
}

/* Process text (a string literal) as a document. */
static ties_doc *T_doc(const char *text, const char *date) {
  ties_docopts o = {0};
  o.date = date;
  o.flags = TIES_OPT_KEEP_MODAL;
  return ties_doc_new(T_worker, "t", text, strlen(text), &o);
}

/* A document of the dev texts (T_each_dev_text), with the default options. */
static ties_doc *T_dev_doc(const char *name, const char *text, size_t n) {
  ties_docopts o = {0};
  ties_doc *d = ties_doc_new(T_worker, name, text, n, &o);
  assert_non_null(d);
  return d;
}

/* The entity id of the mention whose text is exactly `text`, or NULL. */
static const char *T_entity_of(const ties_doc *d, const char *text) {
  for (size_t i = 0; i < ties_doc_n_mentions(d); i++) {
    const ties_mention *m = ties_doc_mention(d, i);
    if (!strcmp(m->text, text))
      return m->id;
  }
  return NULL;
}

/* Does the doc hold the asserted triple "S P O"? */
static int T_has(const ties_doc *d, const char *s, const char *p, const char *o) {
  for (size_t i = 0; i < ties_doc_n_triples(d); i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    if (!strcmp(t->subject, s) && !strcmp(t->predicate, p) &&
        !strcmp(t->object, o) && !strcmp(t->modality, "asserted"))
      return 1;
  }
  return 0;
}

/* Call fn with the text of every .txt file of dir (the seeds, the held-out
 * sets): its path, its file name and its bytes. */
typedef void (*T_text_fn)(const char *path, const char *name, const char *text,
                          size_t n, void *arg);

static void T_each_text(const char *dir, T_text_fn fn, void *arg) {
  DIR *dh = opendir(dir);
  assert_non_null(dh);
  for (struct dirent *de; (de = readdir(dh));) {
    size_t ln = strlen(de->d_name);
    if (ln < 5 || strcmp(de->d_name + ln - 4, ".txt"))
      continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(len >= 0);
    char *text = malloc((size_t)len + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    fn(path, de->d_name, text, (size_t)len, arg);
    free(text);
  }
  closedir(dh);
}

/* T_each_text over the seeds and both held-out sets. */
static inline void T_each_dev_text(T_text_fn fn, void *arg) {
  T_each_text("seeds", fn, arg);
  T_each_text("tests/heldout", fn, arg);
  T_each_text("tests/heldout2", fn, arg);
}

#endif
