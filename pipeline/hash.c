/*
 * hash.c — string interning and string-keyed maps.
 *
 * The engine interns every word its rules and gazetteers use; a frozen
 * symbol table is only read, so workers on several threads share it. The
 * word caches of the workers are strmaps keyed by surface form.
 * Open addressing, linear probing, power-of-two tables kept under 70% full.
 */
#include "ties_int.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(const void *p, size_t n) {
  /* FNV-1a, 64 bit, with a final mix so low bits are usable. */
  const unsigned char *s = p;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

/* ---- symtab ------------------------------------------------------------ */

void symtab_init(symtab *t, arena *ar) {
  memset(t, 0, sizeof *t);
  t->ar = ar;
}

static bool S_sym_grow(symtab *t) {
  size_t ns = t->nslots ? t->nslots * 2 : 1024;
  uint32_t *slots = calloc(ns, sizeof *slots);
  if (!slots)
    return false;
  for (size_t id = 1; id <= t->n; id++) {
    size_t i = t->hashes[id] & (ns - 1);
    while (slots[i])
      i = (i + 1) & (ns - 1);
    slots[i] = (uint32_t)id;
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = ns;
  return true;
}

uint32_t symtab_find(const symtab *t, const char *s, size_t n) {
  if (!t->nslots)
    return 0;
  uint64_t h = hash_bytes(s, n);
  size_t i = h & (t->nslots - 1);
  for (;;) {
    uint32_t id = t->slots[i];
    if (!id)
      return 0;
    if (t->hashes[id] == h && t->lens[id] == n && memcmp(t->str[id], s, n) == 0)
      return id;
    i = (i + 1) & (t->nslots - 1);
  }
}

uint32_t symtab_intern(symtab *t, const char *s, size_t n) {
  uint32_t id = symtab_find(t, s, n);
  if (id)
    return id;
  if ((t->n + 1) * 10 >= t->nslots * 7 || t->n + 1 >= t->cap) {
    if (t->n + 2 >= t->cap) {
      size_t cap = t->cap ? t->cap * 2 : 1024;
      const char **str = realloc(t->str, cap * sizeof *str);
      if (!str)
        return 0;
      t->str = str;
      uint32_t *lens = realloc(t->lens, cap * sizeof *lens);
      if (!lens)
        return 0;
      t->lens = lens;
      uint64_t *hashes = realloc(t->hashes, cap * sizeof *hashes);
      if (!hashes)
        return 0;
      t->hashes = hashes;
      t->cap = cap;
    }
    if ((t->n + 1) * 10 >= t->nslots * 7 && !S_sym_grow(t))
      return 0;
  }
  char *copy = arena_strndup(t->ar, s, n);
  if (!copy)
    return 0;
  id = (uint32_t)++t->n;
  t->str[id] = copy;
  t->lens[id] = (uint32_t)n;
  t->hashes[id] = hash_bytes(s, n);
  size_t i = t->hashes[id] & (t->nslots - 1);
  while (t->slots[i])
    i = (i + 1) & (t->nslots - 1);
  t->slots[i] = id;
  return id;
}

const char *symtab_str(const symtab *t, uint32_t id) {
  if (id == 0 || id > t->n)
    return "";
  return t->str[id];
}

void symtab_free(symtab *t) {
  free(t->slots);
  free(t->str);
  free(t->lens);
  free(t->hashes);
  memset(t, 0, sizeof *t);
}

/* ---- strmap ------------------------------------------------------------ */

struct strmap_slot {
  const char *key;
  size_t len;
  uint64_t hash;
  void *val;
};

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

static bool S_map_grow(strmap *m) {
  size_t ns = m->nslots ? m->nslots * 2 : 256;
  struct strmap_slot *slots = calloc(ns, sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < m->nslots; i++) {
    struct strmap_slot *o = &m->slots[i];
    if (!o->key)
      continue;
    size_t j = o->hash & (ns - 1);
    while (slots[j].key)
      j = (j + 1) & (ns - 1);
    slots[j] = *o;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = ns;
  return true;
}

void *strmap_get(const strmap *m, const char *key, size_t n) {
  if (!m->nslots)
    return NULL;
  uint64_t h = hash_bytes(key, n);
  size_t i = h & (m->nslots - 1);
  for (;;) {
    struct strmap_slot *s = &m->slots[i];
    if (!s->key)
      return NULL;
    if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0)
      return s->val;
    i = (i + 1) & (m->nslots - 1);
  }
}

/* Returns the value slot for key, inserting (with a copy of the key in
 * keys) when absent; *slot is NULL for a new key. NULL on OOM. */
void **strmap_slot(strmap *m, const char *key, size_t n, arena *keys) {
  if ((m->n + 1) * 10 >= m->nslots * 7 && !S_map_grow(m))
    return NULL;
  uint64_t h = hash_bytes(key, n);
  size_t i = h & (m->nslots - 1);
  for (;;) {
    struct strmap_slot *s = &m->slots[i];
    if (!s->key)
      break;
    if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0)
      return &s->val;
    i = (i + 1) & (m->nslots - 1);
  }
  char *copy = arena_strndup(keys, key, n);
  if (!copy)
    return NULL;
  struct strmap_slot *s = &m->slots[i];
  s->key = copy;
  s->len = n;
  s->hash = h;
  s->val = NULL;
  m->n++;
  return &s->val;
}

void strmap_clear(strmap *m) {
  if (m->slots)
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
  m->n = 0;
}

void strmap_free(strmap *m) {
  free(m->slots);
  memset(m, 0, sizeof *m);
}

size_t strmap_next(const strmap *m, size_t i, const char **key, void **val) {
  for (; i < m->nslots; i++) {
    if (m->slots[i].key) {
      if (key)
        *key = m->slots[i].key;
      if (val)
        *val = m->slots[i].val;
      return i;
    }
  }
  return m->nslots;
}

/* ---- wordtab -------------------------------------------------------------- */

bool wordtab_add(wordtab *t, const char *w, uint32_t v) {
  size_t i = hash_bytes(w, strlen(w)) & (WORDTAB_SLOTS - 1);
  while (t->w[i] && strcmp(t->w[i], w) != 0)
    i = (i + 1) & (WORDTAB_SLOTS - 1);
  if (!t->w[i]) {
    if ((t->n + 1) * 2 > WORDTAB_SLOTS)
      return false;
    t->w[i] = w;
    t->n++;
  }
  t->v[i] |= v;
  return true;
}

uint32_t wordtab_get(const wordtab *t, const char *w) {
  size_t i = hash_bytes(w, strlen(w)) & (WORDTAB_SLOTS - 1);
  for (; t->w[i]; i = (i + 1) & (WORDTAB_SLOTS - 1))
    if (!strcmp(t->w[i], w))
      return t->v[i];
  return 0;
}
