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

/* Is the document already stored with this content hash, read by the
 * current rules and gazetteers? Then extracting it again changes nothing. */
bool store_unchanged(store *s, const char *name, const char *content_hash);

/* Store (or replace) one document and everything extracted from it, in
 * one transaction. Returns 0, or an error with a message in err. */
int store_put(store *s, const char *name, const char *path,
              const char *content_hash, const ties_doc *d, char *err,
              size_t errlen);

/* Close; 0 or an error. */
int store_close(store *s);

/* Hex SHA-256 of a buffer (for content hashes). */
void ties_sha256_text(const void *p, size_t n, char out[65]);

#endif
