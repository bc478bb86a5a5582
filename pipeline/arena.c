/*
 * arena.c — bump allocation in blocks, freed all at once.
 *
 * One arena per document (reset between documents) and one per engine.
 * Nothing is freed piecemeal; an allocation failure sets a sticky flag that
 * the owner checks once per stage (SQLite's db->mallocFailed).
 */
#include "ties_int.h"

#include <stdlib.h>
#include <string.h>

struct arena_block {
  arena_block *next;
  size_t used, cap;
  max_align_t data[];
};

#define ARENA_MIN_BLOCK ((size_t)32 * 1024)

void arena_init(arena *a) {
  a->head = NULL;
  a->total = 0;
  a->failed = false;
}

static arena_block *S_block_new(size_t cap) {
  arena_block *b = malloc(sizeof(arena_block) + cap);
  if (!b)
    return NULL;
  b->next = NULL;
  b->used = 0;
  b->cap = cap;
  return b;
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 7) & ~(size_t)7;
  if (n == 0)
    n = 8;
  arena_block *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = ARENA_MIN_BLOCK;
    if (b && b->cap < ((size_t)1 << 22))
      cap = b->cap * 2;  /* grow blocks geometrically up to 4 MiB */
    if (cap < n)
      cap = n;
    arena_block *nb = S_block_new(cap);
    if (!nb) {
      a->failed = true;
      return NULL;
    }
    nb->next = b;
    a->head = nb;
    b = nb;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

void *arena_dup(arena *a, const void *p, size_t n) {
  void *q = arena_alloc(a, n);
  if (q && n)
    memcpy(q, p, n);
  return q;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *q = arena_alloc(a, n + 1);
  if (!q)
    return NULL;
  if (n)
    memcpy(q, s, n);
  q[n] = 0;
  return q;
}

char *arena_strdup(arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...) {
  /* most strings are short: one formatting into the stack, then a copy */
  char sb[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(sb, sizeof sb, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  if ((size_t)n < sizeof sb)
    return arena_strndup(a, sb, (size_t)n);
  char *q = arena_alloc(a, (size_t)n + 1);
  if (!q)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(q, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return q;
}

void arena_reset(arena *a) {
  /* Keep the largest (newest) block, free the others. */
  arena_block *b = a->head;
  if (b) {
    arena_block *rest = b->next;
    while (rest) {
      arena_block *nx = rest->next;
      free(rest);
      rest = nx;
    }
    b->next = NULL;
    b->used = 0;
  }
  a->total = 0;
  a->failed = false;
}

void arena_free(arena *a) {
  arena_block *b = a->head;
  while (b) {
    arena_block *nx = b->next;
    free(b);
    b = nx;
  }
  a->head = NULL;
  a->total = 0;
}
