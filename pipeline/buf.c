/*
 * buf.c — growable byte buffers and arrays, and the output escapers.
 *
 * A buffer that fails to grow sets a sticky flag and drops further writes;
 * writers check it once at the end (cmark_strbuf's approach).
 */
#include "ties_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void buf_grow(buf *b, size_t extra) {
  if (b->failed)
    return;
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap += cap / 2 + 64;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = true;
    return;
  }
  b->p = p;
  b->cap = cap;
}

void buf_put_slow(buf *b, const void *p, size_t n) {
  buf_grow(b, n);
  if (b->failed)
    return;
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
}

void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_vprintf(buf *b, const char *fmt, va_list ap) {
  /* formatted once into the room there is; again only when it did not fit */
  if (b->failed)
    return;
  va_list ap2;
  va_copy(ap2, ap);
  size_t room = b->p ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    if (b->p)
      b->p[b->len] = 0;
    return;
  }
  if ((size_t)n >= room) {
    buf_grow(b, (size_t)n);
    if (b->failed)
      return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  }
  b->len += (size_t)n;
}

void buf_put_uint(buf *b, uint64_t v) {
  char s[20];
  buf_put(b, s, (size_t)(uint_write(s, v) - s));
}

void buf_put_duration(buf *b, double seconds) {
  if (!(seconds >= 0.5)) { /* (a NaN too) */
    buf_puts(b, "<1s");
    return;
  }
  uint64_t r = seconds < 1e15 ? (uint64_t)(seconds + 0.5) : (uint64_t)1e15;
  if (r < 60)
    buf_printf(b, "%" PRIu64 "s", r);
  else if (r < 3600)
    buf_printf(b, "%" PRIu64 "m%02" PRIu64 "s", r / 60, r % 60);
  else
    buf_printf(b, "%" PRIu64 "h%02" PRIu64 "m", r / 3600, r / 60 % 60);
}

void buf_printf(buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

const char *buf_cstr(buf *b) {
  if (!b->p)
    return "";
  return b->p;
}

void buf_clear(buf *b) {
  b->len = 0;
  if (b->p)
    b->p[0] = 0;
}

void buf_free(buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->failed = false;
}

/* Nonzero when one of the 8 bytes of v is below 14, where tab, line feed
 * and carriage return are (the "hasless" test of Bit Twiddling Hacks,
 * exact for a bound up to 128). */
static inline uint64_t S_has_ctl(uint64_t v) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  return (v - 14 * ones) & ~v & high;
}

static inline void S_tsv_fix(char *c) {
  if (*c == '\t' || *c == '\n' || *c == '\r')
    *c = ' ';
}

/* The few bytes to replace are found 8 bytes at a time: nearly every
 * field has none. */
void tsv_clean(char *o, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, o + i, 8);
    if (S_has_ctl(v))
      for (size_t k = i; k < i + 8; k++)
        S_tsv_fix(o + k);
  }
  for (; i < n; i++)
    S_tsv_fix(o + i);
}

/* Copied as it is, then cleaned in place. */
void buf_put_tsv(buf *b, const char *s, size_t n) {
  buf_put(b, s, n);
  if (!b->failed)
    tsv_clean(b->p + b->len - n, n);
}

/* v in decimal at o; returns the end. */
char *uint_write(char *o, uint64_t v) {
  char d[20];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    *o++ = d[--n];
  return o;
}

void buf_put_json(buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[7];
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
        u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
        esc = u;
      }
    }
    if (esc) {
      buf_put(b, s + start, i - start);
      buf_puts(b, esc);
      start = i + 1;
    }
  }
  buf_put(b, s + start, n - start);
}

void vec_init(vec *v, size_t esz) {
  v->p = NULL;
  v->len = v->cap = 0;
  v->esz = esz;
}

void *vec_push(vec *v) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    void *p = realloc(v->p, cap * v->esz);
    if (!p)
      return NULL;
    v->p = p;
    v->cap = cap;
  }
  void *e = (char *)v->p + v->len * v->esz;
  memset(e, 0, v->esz);
  v->len++;
  return e;
}

bool vec_reserve(vec *v, size_t n) {
  if (n <= v->cap)
    return true;
  void *p = realloc(v->p, n * v->esz);
  if (!p)
    return false;
  v->p = p;
  v->cap = n;
  return true;
}

void vec_free(vec *v) {
  free(v->p);
  v->p = NULL;
  v->len = v->cap = 0;
}
