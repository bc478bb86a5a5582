/*
 * gold.h — gold triples and their scoring, shared by `ties eval` and
 * `ties report` so that both give the figures of tests/tools/score.py.
 *
 * Use: gold_read() the files (before the engine, so a bad gold file fails
 * fast), gold_index() once the engine is built, gold_add_doc() for every
 * processed document, then gold_score(). Everything a gold hands out is
 * owned by it and valid until gold_free().
 */
#ifndef TIES_GOLD_H
#define TIES_GOLD_H

#include "cli.h"
#include "rule.h"

/* A TSV file with a header row; '#' lines skipped. */
typedef struct gold_table {
  char **cols;
  int ncols;
  vec rows;        /* char** (ncols fields each) */
  char *data;
} gold_table;

/* 0, or -1 with the reason in err (without the file name). */
int gold_read_tsv(const char *path, gold_table *t, char *err, size_t errlen);
int gold_col(const gold_table *t, const char *name);
void gold_free_tsv(gold_table *t);

/* "doc\ts\tp\to" with the sides of a symmetric predicate ordered, malloc'd;
 * NULL when both sides are one. */
char *gold_key(const ties_engine *e, const char *doc, const char *s,
               const char *p, const char *o);
/* F1; precision and recall into *p and *r (0 when undefined). */
double gold_f(int tp, int fp, int fn, double *p, double *r);

/* Statuses of a key. */
enum { GOLD_NONE = 0, GOLD_REQ, GOLD_OPT, GOLD_NEG };

typedef struct gold_rule {
  const char *rule;
  int tp, fp, ignored, only;   /* ignored: opt; only: no other rule found it */
} gold_rule;

typedef struct gold_pred {
  const char *pred;
  int tp, fp, fn;
} gold_pred;

/* A distinct extracted triple (first evidence wins). */
typedef struct gold_row {
  char *key;
  const char *rule;
  const char *evidence;
  const char *doc;
  unsigned sentence;
  size_t start, end;           /* bytes of the evidence */
} gold_row;

typedef struct gold_miss {
  const char *key;
  const char *evidence;        /* the gold's */
  const char *why;             /* the dropped candidate, or NULL */
} gold_miss;

typedef struct gold_false {
  size_t row;                  /* index into rows */
  bool hard;                   /* a neg triple of the gold */
} gold_false;

/* A gold document: its req keys in file order. */
typedef struct gold_doc {
  vec req;                     /* const char* keys */
} gold_doc;

typedef struct gold {
  gold_table gold, ents;
  bool has_entities;
  bool country;
  const ties_engine *e;
  arena ar;
  strmap rollup;               /* org/person id → state (--entities) */
  strmap req, opt, neg;        /* key → gold evidence */
  strmap docs;                 /* doc → gold_doc* */
  vec doc_list;                /* gold_doc* to free */
  /* what the extraction produced */
  vec rows;                    /* gold_row */
  strmap pset;                 /* key → row index + 1 */
  strmap cand_keys;            /* key → "rule R dropped it: why" */
  strmap finders;              /* key → "|r1|r2|" rules that produced it */
  /* gold_score() */
  int tp, fp, fn, hard;
  vec rules;                   /* gold_rule, in the order met */
  vec preds;                   /* gold_pred */
  vec misses;                  /* gold_miss, in the order of the req map */
  vec falses;                  /* gold_false, in the order of rows */
} gold;

/* Read the gold file (doc status subject predicate object [evidence]) and
 * the optional entities file (id type label country). 0, or -1 with
 * "FILE: why" in err. */
int gold_read(gold *g, const char *gold_path, const char *entities_path,
              char *err, size_t errlen);
/* Build the gold sets; country: roll orgs and people up to their state. */
void gold_index(gold *g, const ties_engine *e, bool country);
/* The scoring key of a candidate (malloc'd), NULL if both sides are one. */
char *gold_cand_key(const gold *g, const char *doc, const candidate *cd);
/* Take what a processed document produced. */
void gold_add_doc(gold *g, ties_doc *d, const char *name);
/* tp/fp/fn, per rule, per predicate, misses and false triples. */
void gold_score(gold *g);
int gold_status(const gold *g, const char *key);
/* The gold document of that name, NULL if the gold does not cover it. */
const gold_doc *gold_find_doc(const gold *g, const char *doc, size_t n);
/* Has some rule produced this key (as a kept triple)? */
bool gold_found(const gold *g, const char *key);
/* Why a candidate with this key was dropped, or NULL. */
const char *gold_why_dropped(const gold *g, const char *key);
const char *gold_evidence(const gold *g, const char *key);
void gold_free(gold *g);

#endif
