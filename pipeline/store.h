/*
 * store.h — the embedded SQLite store of `ties extract --db FILE` and
 * `ties db` (store.c).
 *
 * The store keeps documents (with a hash of their content and of the rules
 * and gazetteers that read them), entities, mentions, triples and their
 * provenance. A document is replaced as a whole in one transaction, so a
 * crash or kill leaves every document either as before or as after.
 */
#ifndef TIES_STORE_H
#define TIES_STORE_H

#include "cli.h"

typedef struct store store;

/* Open or create the store. NULL with a message in err on failure. */
store *store_open(const char *path, const ties_engine *e, char *err,
                  size_t errlen);

/* The options of this run that change what is extracted (--all-modalities,
 * --date, --main-actor), as one string; stored with each document. */
void store_set_options(store *s, const char *options);

/* Is the document already stored with this content hash, read by the
 * current rules and gazetteers with the same options? Then extracting it
 * again changes nothing. */
bool store_unchanged(store *s, const char *name, const char *content_hash);

/* Take the name for this run's input: key says what makes an input the
 * same (a file's device and inode), path is how it was given. 1 when no
 * input of this run had the name, 2 when the same input had it, 0 when
 * another had (its path into prev), -1 on error (message in err). A store
 * holds one document by a name, so a second input of a name in a run would
 * replace the first. */
int store_claim(store *s, const char *name, const char *key, const char *path,
                char *prev, size_t prevlen, char *err, size_t errlen);

/* Store (or replace) one document and everything extracted from it, in
 * one transaction. Returns 0, or an error with a message in err. */
int store_put(store *s, const char *name, const char *path,
              const char *content_hash, const ties_doc *d, char *err,
              size_t errlen);

/* Close; 0 or an error. */
int store_close(store *s);

/* Hex SHA-256 of a buffer (for content hashes). */
void ties_sha256_text(const void *p, size_t n, char out[65]);

/* ---- `ties db` ------------------------------------------------------------ */

/* Open an existing store (never creates one): NULL with a message in err
 * when the file is missing, is not SQLite, or is not a ties store. */
store *store_open_existing(const char *path, char *err, size_t errlen);

/* Remove a document and its rows (orphaned entities too) in one
 * transaction. 1 removed, 0 not stored, -1 error (message in err). */
int store_remove(store *s, const char *name, char *err, size_t errlen);

/* The stored entities and predicates as an engine for the writers (labels,
 * types, countries, symmetry); NULL when out of memory. Free it with
 * ties_engine_free() before store_close(). */
ties_engine *store_engine(store *s);

/* The rules and gazetteer hashes of the stored documents: the one hash
 * they share, "mixed" when they differ, "" when there are none. */
void store_hashes(store *s, char rules[72], char gazetteers[72]);

/* Call fn for each stored document in name order, its triples in the order
 * extraction gave them, as a writer's view owned by the store (valid during
 * the call). fn returns nonzero to stop. 0, or -1 with a message in err. */
typedef int (*store_doc_fn)(const emit_doc *d, void *ctx);
int store_each_doc(store *s, store_doc_fn fn, void *ctx, char *err,
                   size_t errlen);

typedef struct store_stats {
  int schema;               /* PRAGMA user_version */
  long long documents, entities, mentions, triples;
  long long asserted;       /* triples whose modality is "asserted" */
  long long rulesets;       /* distinct rule-set hashes among the documents */
} store_stats;

/* Counts, and fn(predicate, n, ctx) per predicate in name order (fn may be
 * NULL). 0, or -1 with a message in err. */
int store_get_stats(store *s, store_stats *st,
                    void (*fn)(const char *predicate, long long n, void *ctx),
                    void *ctx, char *err, size_t errlen);

#endif
