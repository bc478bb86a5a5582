/*
 * rule_lex.c — lexemes of the rule language.
 *
 *   rule donated.direct
 *     match  @giver:ACTOR _{0,4} <donat|gift> _{0,8} to @recipient:COUNTRY+
 *     emit   @giver donated @recipient
 *
 * Words are literals or keywords (the parser decides), upper-case words are
 * entity types, <...> stems, /.../ regexes, @name captures, %NAME defines,
 * $name variables, "..." strings with \" and \\ escapes. '#' starts a
 * comment outside strings and regexes. Positions are byte offsets into the
 * file; rfile_locate() turns them into line and column.
 */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

void rfile_locate(const rfile *f, size_t off, unsigned *line, unsigned *col) {
  /* binary search in line starts */
  unsigned lo = 0, hi = f->nlines;
  while (hi - lo > 1) {
    unsigned mid = (lo + hi) / 2;
    if (f->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  *line = lo + 1;
  unsigned c = 1;
  for (size_t i = f->line_starts[lo]; i < off && i < f->len; i++)
    if (((unsigned char)f->text[i] & 0xC0) != 0x80)
      c++;
  *col = c;
}

static void S_report(ties_engine *e, const rfile *f, size_t off, size_t len,
                     ties_severity sev, int code, const char *msg) {
  unsigned line = 0, col = 0;
  const char *src = NULL;
  size_t srclen = 0;
  if (f) {
    rfile_locate(f, off, &line, &col);
    size_t ls = f->line_starts[line - 1];
    size_t le = ls;
    while (le < f->len && f->text[le] != '\n')
      le++;
    src = f->text + ls;
    srclen = le - ls;
    if (off + len > le)
      len = le > off ? le - off : 1;
  }
  /* span in characters */
  size_t span = 0;
  if (f)
    for (size_t i = off; i < off + len && i < f->len; i++)
      if (((unsigned char)f->text[i] & 0xC0) != 0x80)
        span++;
  diag_add(&e->diags, sev, code, f ? f->path : NULL, line, col, off, span, src,
           srclen, "%s", msg);
}

void rule_error(ties_engine *e, const rfile *f, size_t off, size_t len,
                int code, const char *fmt, ...) {
  ruleset *rs = e->rules;
  if (rs && rs->capped)
    return;
  if (rs && rs->n_errors >= e->set.max_errors) {
    rs->capped = true;
    diag_add(&e->diags, TIES_ERROR, TIES_ELIMIT, f ? f->path : NULL, 0, 0,
             (size_t)-1, 0, NULL, 0,
             "too many errors (%u); stopping here", e->set.max_errors);
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  S_report(e, f, off, len, TIES_ERROR, code, buf_cstr(&b));
  buf_free(&b);
  if (rs)
    rs->n_errors++;
  if (!e->status)
    e->status = code;
}

void rule_warning(ties_engine *e, const rfile *f, size_t off, size_t len,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  S_report(e, f, off, len, TIES_WARNING, TIES_OK, buf_cstr(&b));
  buf_free(&b);
}

void lex_init(lexer *lx, const rfile *f, size_t start, size_t end, arena *ar,
              ties_engine *e) {
  lx->f = f;
  lx->pos = start;
  lx->end = end;
  lx->ar = ar;
  lx->e = e;
}

static bool S_wordch(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
         c == '\'' || c >= 0x80;
}

lexeme lex_next(lexer *lx) {
  const char *s = lx->f->text;
  lexeme l = {0};
  for (;;) {
    while (lx->pos < lx->end &&
           (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\n' ||
            s[lx->pos] == '\r'))
      lx->pos++;
    if (lx->pos < lx->end && s[lx->pos] == '#') {
      while (lx->pos < lx->end && s[lx->pos] != '\n')
        lx->pos++;
      continue;
    }
    break;
  }
  l.off = lx->pos;
  if (lx->pos >= lx->end) {
    l.kind = L_EOF;
    return l;
  }
  unsigned char c = (unsigned char)s[lx->pos];
  size_t p = lx->pos;
  if (c == '"') {
    buf b = BUF_INIT;
    p++;
    bool closed = false;
    while (p < lx->end && s[p] != '\n') {
      if (s[p] == '\\' && p + 1 < lx->end && (s[p + 1] == '"' || s[p + 1] == '\\')) {
        buf_putc(&b, s[p + 1]);
        p += 2;
        continue;
      }
      if (s[p] == '"') {
        closed = true;
        p++;
        break;
      }
      buf_putc(&b, s[p]);
      p++;
    }
    l.kind = closed ? L_STRING : L_ERROR;
    l.text = arena_strndup(lx->ar, buf_cstr(&b), b.len);
    l.tlen = b.len;
    if (!closed)
      l.text = "unterminated string";
    buf_free(&b);
    l.len = p - l.off;
    lx->pos = p;
    return l;
  }
  if (c == '<') {
    size_t q = p + 1;
    while (q < lx->end && s[q] != '>' && s[q] != '\n' && s[q] != ' ')
      q++;
    if (q < lx->end && s[q] == '>') {
      l.kind = L_STEM;
      l.text = arena_strndup(lx->ar, s + p + 1, q - p - 1);
      l.tlen = q - p - 1;
      l.len = q + 1 - p;
      lx->pos = q + 1;
      return l;
    }
    l.kind = L_ERROR;
    l.text = "'<' opens a stem that is not closed with '>' on this line";
    l.len = 1;
    lx->pos = p + 1;
    return l;
  }
  if (c == '/') {
    size_t q = p + 1;
    buf b = BUF_INIT;
    bool closed = false;
    while (q < lx->end && s[q] != '\n') {
      if (s[q] == '\\' && q + 1 < lx->end && s[q + 1] == '/') {
        buf_putc(&b, '/');
        q += 2;
        continue;
      }
      if (s[q] == '\\' && q + 1 < lx->end) {
        buf_putc(&b, s[q]);
        buf_putc(&b, s[q + 1]);
        q += 2;
        continue;
      }
      if (s[q] == '/') {
        closed = true;
        q++;
        break;
      }
      buf_putc(&b, s[q]);
      q++;
    }
    if (!closed) {
      buf_free(&b);
      l.kind = L_ERROR;
      l.text = "unterminated regular expression";
      l.len = q - p;
      lx->pos = q;
      return l;
    }
    /* flags */
    size_t fstart = q;
    while (q < lx->end && (s[q] == 'i' || s[q] == 'x'))
      q++;
    buf_putc(&b, 0);
    buf_put(&b, s + fstart, q - fstart);
    l.kind = L_REGEX;
    l.text = arena_dup(lx->ar, b.p, b.len + 1);
    l.tlen = b.len; /* pattern NUL flags */
    buf_free(&b);
    l.len = q - p;
    lx->pos = q;
    return l;
  }
  if (c == '=' && p + 1 < lx->end && s[p + 1] == '>') {
    l.kind = L_ARROW;
    l.len = 2;
    l.text = "=>";
    l.tlen = 2;
    lx->pos = p + 2;
    return l;
  }
  if (c == '$' && !(p + 1 < lx->end &&
                    ((s[p + 1] >= 'a' && s[p + 1] <= 'z') ||
                     (s[p + 1] >= 'A' && s[p + 1] <= 'Z')))) {
    l.kind = L_PUNCT;
    l.text = "$";
    l.tlen = 1;
    l.len = 1;
    lx->pos = p + 1;
    return l;
  }
  if (c == '@' || c == '%' || c == '$') {
    size_t q = p + 1;
    while (q < lx->end && ((s[q] >= 'a' && s[q] <= 'z') ||
                           (s[q] >= 'A' && s[q] <= 'Z') ||
                           (s[q] >= '0' && s[q] <= '9') || s[q] == '_'))
      q++;
    l.kind = c == '@' ? L_CAPTURE : c == '%' ? L_REF : L_VAR;
    if (q == p + 1) {
      l.kind = L_ERROR;
      l.text = c == '@' ? "'@' must be followed by a capture name"
               : c == '%' ? "'%' must be followed by a define name"
                          : "'$' must be followed by a name ($main, $context)";
      l.len = 1;
      lx->pos = p + 1;
      return l;
    }
    l.text = arena_strndup(lx->ar, s + p + 1, q - p - 1);
    l.tlen = q - p - 1;
    l.len = q - p;
    lx->pos = q;
    return l;
  }
  if (c >= '0' && c <= '9') {
    size_t q = p;
    while (q < lx->end && s[q] >= '0' && s[q] <= '9')
      q++;
    if (q < lx->end && S_wordch((unsigned char)s[q]) && s[q] != '.' ) {
      /* a word starting with digits: a literal */
      while (q < lx->end && S_wordch((unsigned char)s[q]))
        q++;
      l.kind = L_WORD;
    } else {
      l.kind = L_NUMBER;
    }
    l.text = arena_strndup(lx->ar, s + p, q - p);
    l.tlen = q - p;
    l.len = q - p;
    lx->pos = q;
    return l;
  }
  if (c == '_' && !(p + 1 < lx->end && S_wordch((unsigned char)s[p + 1]) &&
                    s[p + 1] != '.')) {
    l.kind = L_PUNCT;
    l.text = "_";
    l.tlen = 1;
    l.len = 1;
    lx->pos = p + 1;
    return l;
  }
  if (S_wordch(c) && c != '.' && c != '-' && c != '\'') {
    size_t q = p;
    bool upper = true, has_alpha = false;
    while (q < lx->end && (S_wordch((unsigned char)s[q]) || s[q] == ':')) {
      /* ':' only inside ids such as org:plan, not before a type */
      if (s[q] == ':') {
        if (!(q + 1 < lx->end && s[q + 1] >= 'a' && s[q + 1] <= 'z'))
          break;
      }
      unsigned char d = (unsigned char)s[q];
      if (d >= 'a' && d <= 'z')
        upper = false;
      if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))
        has_alpha = true;
      q++;
    }
    /* a trailing period is punctuation of the pattern, not the word */
    while (q > p + 1 && s[q - 1] == '.')
      q--;
    l.kind = (upper && has_alpha && q - p >= 2 && !memchr(s + p, ':', q - p))
                 ? L_TYPE
                 : L_WORD;
    l.text = arena_strndup(lx->ar, s + p, q - p);
    l.tlen = q - p;
    l.len = q - p;
    lx->pos = q;
    return l;
  }
  /* punctuation */
  size_t n = 1;
  if (c >= 0x80) {
    int32_t cp;
    n = (size_t)utf8_decode((const unsigned char *)s + p, lx->end - p, &cp);
  }
  if (c == '>' && p + 1 < lx->end && s[p + 1] == '!') {
    l.kind = L_PUNCT;
    l.text = ">!";
    l.tlen = 2;
    l.len = 2;
    lx->pos = p + 2;
    return l;
  }
  l.kind = strchr("()|?*+{},:!=;^[]~", c) && c < 0x80 ? L_PUNCT : L_ERROR;
  if (l.kind == L_ERROR) {
    l.text = "unexpected character";
  } else {
    l.text = arena_strndup(lx->ar, s + p, 1);
    l.tlen = 1;
  }
  l.len = n;
  lx->pos = p + n;
  return l;
}

lexeme lex_peek(lexer *lx) {
  size_t save = lx->pos;
  lexeme l = lex_next(lx);
  lx->pos = save;
  return l;
}
