/* store.c — placeholder until the SQLite store lands (see store.h). */
#include "store.h"

#include <nettle/sha2.h>
#include <string.h>

void sha256_hex(struct sha256_ctx *c, char out[65]);

void ties_sha256_text(const void *p, size_t n, char out[65]) {
  struct sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, n, p);
  sha256_hex(&c, out);
}

store *store_open(const char *path, const ties_engine *e, char *err,
                  size_t errlen) {
  (void)path;
  (void)e;
  snprintf(err, errlen, "the SQLite store is not available in this build");
  return NULL;
}

bool store_unchanged(store *s, const char *name, const char *content_hash) {
  (void)s;
  (void)name;
  (void)content_hash;
  return false;
}

int store_put(store *s, const char *name, const char *path,
              const char *content_hash, const ties_doc *d, char *err,
              size_t errlen) {
  (void)s;
  (void)name;
  (void)path;
  (void)content_hash;
  (void)d;
  snprintf(err, errlen, "no store");
  return -1;
}

int store_close(store *s) {
  (void)s;
  return 0;
}
