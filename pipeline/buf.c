/*
 * buf.c — growable byte buffers and arrays, and the output escapers.
 *
 * A buffer that fails to grow sets a sticky flag and drops further writes;
 * writers check it once at the end (cmark_strbuf's approach).
 */
#include "ties_int.h"

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

void buf_put(buf *b, const void *p, size_t n) {
  buf_grow(b, n);
  if (b->failed)
    return;
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
}

void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_putc(buf *b, int c) {
  if (b->len + 2 <= b->cap) { /* room for it and the NUL */
    b->p[b->len++] = (char)c;
    b->p[b->len] = 0;
    return;
  }
  char ch = (char)c;
  buf_put(b, &ch, 1);
}

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
  char d[20];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char s[20];
  for (int i = 0; i < n; i++)
    s[i] = d[n - 1 - i];
  buf_put(b, s, (size_t)n);
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

void buf_put_tsv(buf *b, const char *s, size_t n) {
  size_t i = 0, start = 0;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\t' || c == '\n' || c == '\r') {
      buf_put(b, s + start, i - start);
      buf_putc(b, ' ');
      start = i + 1;
    }
  }
  buf_put(b, s + start, n - start);
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
