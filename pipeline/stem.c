/*
 * stem.c — stage 3: Snowball English stems through libstemmer.
 *
 * A stemmer object is not thread-safe, so each worker owns one. Its result
 * is "owned by the stemmer ... invalid when the stemmer is called again":
 * it is copied into the caller's arena at once. Input must be lower-case
 * NFC UTF-8, which the word records provide.
 */
#include "ties_int.h"

#include <libstemmer.h>
#include <stdlib.h>

struct stemmer {
  struct sb_stemmer *sb;
};

stemmer *stem_new(void) {
  stemmer *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->sb = sb_stemmer_new("english", "UTF_8");
  if (!s->sb) {
    free(s);
    return NULL;
  }
  return s;
}

void stem_free(stemmer *s) {
  if (!s)
    return;
  sb_stemmer_delete(s->sb);
  free(s);
}

const char *stem_word(stemmer *s, arena *a, const char *w, size_t n) {
  const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)w, (int)n);
  if (!r)
    return arena_strndup(a, w, n);
  return arena_strndup(a, (const char *)r, (size_t)sb_stemmer_length(s->sb));
}
