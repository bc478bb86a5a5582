/*
 * diag.c — diagnostics: one record type, one printed format.
 *
 *   rules/aid.rules:12:8: error: unknown entity type 'CONTRY'
 *     match @giver:CONTRY <donat> to @r:COUNTRY
 *                  ^^^^^^
 *
 * The library only records; main.c prints (jq's locfile_locate, Snowball's
 * file:line: messages).
 */
#include "ties_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const S_messages[] = {
    [TIES_OK] = "ok",
    [TIES_ENOMEM] = "out of memory",
    [TIES_EIO] = "input/output error",
    [TIES_ESYNTAX] = "syntax error",
    [TIES_ESEMANTIC] = "undeclared name",
    [TIES_EINVAL] = "invalid argument",
    [TIES_ELIMIT] = "limit exceeded",
    [TIES_EENCODING] = "not UTF-8 text",
    [TIES_EBINARY] = "binary file",
    [TIES_EREGEX] = "regular expression error",
    [TIES_EDEPEND] = "dictionary or stemmer unavailable",
    [TIES_ESTATE] = "call out of order",
};

const char *ties_strerror(int status) {
  if (status < 0 || (size_t)status >= TIES_ARRAY_LEN(S_messages) ||
      !S_messages[status])
    return "unknown status";
  return S_messages[status];
}

void diag_init(diaglist *d, arena *ar) {
  vec_init(&d->v, sizeof(ties_diag));
  d->n_errors = 0;
  d->ar = ar;
}

ties_diag *diag_add(diaglist *d, ties_severity sev, int code, const char *file,
                    unsigned line, unsigned col, size_t byte, size_t span,
                    const char *source_line, size_t source_len,
                    const char *fmt, ...) {
  ties_diag *g = vec_push(&d->v);
  if (!g)
    return NULL;
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  g->severity = sev;
  g->code = code;
  g->file = file ? arena_strdup(d->ar, file) : NULL;
  g->line = line;
  g->col = col;
  g->byte = byte;
  g->span = span;
  g->message = arena_strdup(d->ar, buf_cstr(&b));
  g->source = source_line ? arena_strndup(d->ar, source_line, source_len) : NULL;
  buf_free(&b);
  if (sev == TIES_ERROR)
    d->n_errors++;
  return g;
}

void diag_free(diaglist *d) { vec_free(&d->v); }

void text_locate(const char *text, size_t len, size_t byte, unsigned *line,
                 unsigned *col, size_t *line_start, size_t *line_len) {
  if (byte > len)
    byte = len;
  unsigned ln = 1;
  size_t ls = 0;
  for (size_t i = 0; i < byte; i++) {
    if (text[i] == '\n') {
      ln++;
      ls = i + 1;
    }
  }
  /* Columns count characters, not bytes. */
  unsigned c = 1;
  for (size_t i = ls; i < byte; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80)
      c++;
  size_t le = ls;
  while (le < len && text[le] != '\n')
    le++;
  if (le > ls && text[le - 1] == '\r')
    le--;
  if (line)
    *line = ln;
  if (col)
    *col = c;
  if (line_start)
    *line_start = ls;
  if (line_len)
    *line_len = le - ls;
}

static const char *S_sev(ties_severity s) {
  switch (s) {
  case TIES_ERROR: return "error";
  case TIES_WARNING: return "warning";
  default: return "note";
  }
}

void diag_format(buf *b, const ties_diag *d, bool color) {
  const char *on = "", *off = "";
  if (color) {
    on = d->severity == TIES_ERROR ? "\033[1;31m"
         : d->severity == TIES_WARNING ? "\033[1;35m" : "\033[1;36m";
    off = "\033[0m";
  }
  if (d->file)
    buf_puts(b, d->file);
  if (d->line) {
    buf_printf(b, ":%u", d->line);
    if (d->col)
      buf_printf(b, ":%u", d->col);
  } else if (d->byte != (size_t)-1) {
    buf_printf(b, ":%zu", d->byte);
  }
  if (d->file || d->line)
    buf_puts(b, ": ");
  buf_printf(b, "%s%s:%s %s\n", on, S_sev(d->severity), off, d->message);
  if (d->source && d->col) {
    /* The source line, tabs kept so the caret lines up. */
    buf_puts(b, "  ");
    for (const char *p = d->source; *p; p++)
      buf_putc(b, (unsigned char)*p < 0x20 && *p != '\t' ? ' ' : *p);
    buf_puts(b, "\n  ");
    unsigned c = 1;
    for (const char *p = d->source; *p && c < d->col; p++) {
      if (((unsigned char)*p & 0xC0) == 0x80)
        continue;
      buf_putc(b, *p == '\t' ? '\t' : ' ');
      c++;
    }
    size_t n = 0;
    for (const char *p = d->source; *p; p++)
      n++;
    size_t span = d->span ? d->span : 1;
    if (span > 200)
      span = 200;
    buf_puts(b, on);
    for (size_t i = 0; i < span; i++)
      buf_putc(b, '^');
    buf_puts(b, off);
    buf_putc(b, '\n');
  }
}
