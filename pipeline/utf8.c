/*
 * utf8.c — UTF-8 decoding, character classes and normalisation.
 *
 * utf8proc does the Unicode work (NFC, case folding, accent removal,
 * categories); this file adds the folding of typographic punctuation that
 * the matcher needs (’ → ', – → -, NBSP → space) and ASCII fast paths,
 * since almost every token of English prose is ASCII.
 */
#include "ties_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int utf8_decode(const unsigned char *s, size_t len, int32_t *cp) {
  if (len == 0) {
    *cp = -1;
    return 1;
  }
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  utf8proc_int32_t c;
  utf8proc_ssize_t n =
      utf8proc_iterate(s, len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
  if (n <= 0) {
    *cp = -1;
    return 1;
  }
  *cp = c;
  return (int)n;
}

int utf8_encode(int32_t cp, char out[4]) {
  return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

bool utf8_is_letter(int32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

bool utf8_is_upper(int32_t cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

bool utf8_is_lower(int32_t cp) {
  if (cp < 0x80)
    return cp >= 'a' && cp <= 'z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

bool utf8_is_digit(int32_t cp) {
  if (cp < 0x80)
    return cp >= '0' && cp <= '9';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

bool utf8_is_space(int32_t cp) { return utf8_class(cp) == CC_SPACE; }

/* utf8_class() of the ASCII characters, for the tokenizer's inner loop. */
const uint8_t utf8_ascii_class[128] = {
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_NEWLINE, CC_NEWLINE,
    CC_NEWLINE, CC_NEWLINE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_SPACE, CC_SPACE, CC_SPACE,
    CC_SPACE, CC_PUNCT, CC_QUOTE, CC_PUNCT,
    CC_CURRENCY, CC_PUNCT, CC_PUNCT, CC_APOS,
    CC_PUNCT, CC_PUNCT, CC_BULLET, CC_PUNCT,
    CC_PUNCT, CC_DASH, CC_PERIOD, CC_PUNCT,
    CC_DIGIT, CC_DIGIT, CC_DIGIT, CC_DIGIT,
    CC_DIGIT, CC_DIGIT, CC_DIGIT, CC_DIGIT,
    CC_DIGIT, CC_DIGIT, CC_PUNCT, CC_PUNCT,
    CC_PUNCT, CC_PUNCT, CC_PUNCT, CC_PUNCT,
    CC_PUNCT, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_PUNCT,
    CC_PUNCT, CC_PUNCT, CC_PUNCT, CC_PUNCT,
    CC_APOS, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
    CC_LETTER, CC_LETTER, CC_LETTER, CC_PUNCT,
    CC_PUNCT, CC_PUNCT, CC_PUNCT, CC_SPACE,
};

int utf8_class(int32_t cp) {
  if (cp < 0x80) {
    if (cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
      return CC_NEWLINE;
    if (cp == ' ' || cp == '\t' || cp < 0x20 || cp == 0x7f)
      return CC_SPACE;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
      return CC_LETTER;
    if (cp >= '0' && cp <= '9')
      return CC_DIGIT;
    switch (cp) {
    case '\'': case '`': return CC_APOS;
    case '"': return CC_QUOTE;
    case '-': return CC_DASH;
    case '.': return CC_PERIOD;
    case '$': return CC_CURRENCY;
    case '*': return CC_BULLET;  /* only at line start; see token.c */
    default: return CC_PUNCT;
    }
  }
  switch (cp) {
  case 0x00A0: case 0x2007: case 0x202F: case 0xFEFF: case 0x200B:
    return CC_SPACE;
  case 0x0085: case 0x2028: case 0x2029:
    return CC_NEWLINE;
  case 0x2018: case 0x2019: case 0x02BC: case 0x2032: case 0x00B4:
    return CC_APOS;
  case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
  case 0x2033:
    return CC_QUOTE;
  case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
  case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
    return CC_DASH;
  case 0x2022: case 0x2023: case 0x25AA: case 0x25CF: case 0x25E6:
  case 0x2043: case 0x2219: case 0x25A0: case 0x25A1: case 0x25B6:
  case 0x27A2: case 0x2794: case 0x00B7: case 0xF0B7:
    return CC_BULLET;
  case 0x20AC: case 0x00A3: case 0x00A5: case 0x20B9: case 0x20BD:
  case 0x20A9:
    return CC_CURRENCY;
  case 0x2026:
    return CC_PERIOD;
  }
  utf8proc_category_t c = utf8proc_category(cp);
  switch (c) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
    return CC_LETTER;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
    return CC_MARK;
  case UTF8PROC_CATEGORY_ND:
    return CC_DIGIT;
  case UTF8PROC_CATEGORY_ZS:
  case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    return CC_SPACE;
  case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    return CC_NEWLINE;
  case UTF8PROC_CATEGORY_SC:
    return CC_CURRENCY;
  default:
    return CC_PUNCT;
  }
}

int32_t utf8_fold_punct(int32_t cp) {
  switch (utf8_class(cp)) {
  case CC_APOS: return '\'';
  case CC_QUOTE: return '"';
  case CC_DASH: return '-';
  case CC_SPACE: return ' ';
  default: return cp;
  }
}

static bool S_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return false;
  return true;
}

/* Apply utf8proc_map with options to s into b. */
static void S_map(buf *b, const char *s, size_t n, utf8proc_option_t opt) {
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t m =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out, opt);
  if (m < 0) {
    buf_put(b, s, n);  /* cannot happen on validated text; keep as is */
    return;
  }
  buf_put(b, out, (size_t)m);
  free(out);
}

void utf8_normalize(buf *b, const char *s, size_t n) {
  if (S_ascii(s, n)) {
    size_t at = b->len;
    buf_put(b, s, n);
    if (b->len == at + n)
      for (size_t i = at; i < b->len; i++)
        if (b->p[i] == '`')
          b->p[i] = '\'';
    return;
  }
  buf tmp = BUF_INIT;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int k = utf8_decode(u + i, n - i, &cp);
    if (cp < 0) {
      buf_put(&tmp, "\xEF\xBF\xBD", 3);
    } else if (cp == TEXT_BAD) {
      buf_put(&tmp, "\xEF\xBF\xBD", 3);
    } else {
      char enc[4];
      int m = utf8_encode(utf8_fold_punct(cp), enc);
      buf_put(&tmp, enc, (size_t)m);
    }
    i += (size_t)k;
  }
  S_map(b, buf_cstr(&tmp), tmp.len, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  buf_free(&tmp);
}

void utf8_lower(buf *b, const char *s, size_t n) {
  if (S_ascii(s, n)) {
    for (size_t i = 0; i < n; i++) {
      char c = s[i];
      buf_putc(b, c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return;
  }
  S_map(b, s, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

void utf8_unaccent(buf *b, const char *s, size_t n) {
  if (S_ascii(s, n)) {
    buf_put(b, s, n);
    return;
  }
  S_map(b, s, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
}
