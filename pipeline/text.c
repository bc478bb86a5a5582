/*
 * text.c — stage 1: make the input safe to tokenize.
 *
 * The text is validated as UTF-8 once. Invalid bytes are reported as
 * "FILE:BYTE: warning: invalid UTF-8" and replaced, in a copy of the same
 * length, by TEXT_BAD, which the tokenizer treats as a space and the output
 * writers print as U+FFFD: every offset keeps pointing into the original
 * bytes. Input that is not UTF-8 text at all (UTF-16, binary files) is
 * refused with a reason. Typographic quotes, dashes, NBSP and bullets are
 * left in place here and folded by the tokenizer (utf8_class), which keeps
 * the offsets exact.
 */
#include "ties_int.h"

#include <string.h>

#define MAX_BAD_REPORTS 10

static const struct {
  const char *magic;
  size_t n;
  const char *what;
} S_magic[] = {
    {"%PDF-", 5, "a PDF file; extract its text first (e.g. pdftotext)"},
    {"PK\x03\x04", 4, "a ZIP archive (or DOCX/XLSX)"},
    {"\x7f" "ELF", 4, "an ELF executable"},
    {"\x89PNG", 4, "a PNG image"},
    {"GIF8", 4, "a GIF image"},
    {"\xff\xd8\xff", 3, "a JPEG image"},
    {"\x1f\x8b", 2, "gzip-compressed; decompress it first"},
    {"\xd0\xcf\x11\xe0", 4, "an OLE2 (old Microsoft Office) file"},
    {"BZh", 3, NULL}, /* too weak alone; checked with the sample below */
};

static void S_refuse(ties_doc *d, int code, const char *fmt, const char *what) {
  diag_add(&d->diags, TIES_ERROR, code, d->path, 0, 0, (size_t)-1, 0, NULL, 0,
           fmt, what);
  d->status = code;
}

int text_prepare(ties_doc *d, const char *in, size_t len, doctext *out) {
  out->p = in;
  out->len = len;
  out->skip = 0;
  out->n_bad = 0;
  const unsigned char *u = (const unsigned char *)in;

  /* tokens keep 32-bit offsets: whatever the setting, 4 GiB is too large */
  size_t limit = d->e->set.max_doc_bytes;
  if (limit > UINT32_MAX - 1)
    limit = UINT32_MAX - 1;
  if (len > limit) {
    diag_add(&d->diags, TIES_ERROR, TIES_ELIMIT, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0,
             "document is %zu bytes, larger than the limit of %zu "
             "(--max-doc-bytes)",
             len, limit);
    d->status = TIES_ELIMIT;
    return d->status;
  }
  if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                   (u[0] == 0xFE && u[1] == 0xFF))) {
    const char *which = (len >= 4 && u[0] == 0xFF && u[2] == 0 && u[3] == 0)
                            ? "UTF-32"
                            : "UTF-16";
    S_refuse(d, TIES_EENCODING,
             "%s text (byte order mark at byte 0); convert it to UTF-8, "
             "e.g. iconv -f UTF-16 -t UTF-8",
             which);
    return d->status;
  }
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    out->skip = 3;
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_magic); i++) {
    if (S_magic[i].what && len >= S_magic[i].n &&
        memcmp(in, S_magic[i].magic, S_magic[i].n) == 0) {
      S_refuse(d, TIES_EBINARY, "binary file: %s", S_magic[i].what);
      return d->status;
    }
  }

  /* Look at a sample: UTF-16 without BOM has NULs at every other byte;
   * binary data has many control bytes or invalid sequences. */
  size_t sample = len < 65536 ? len : 65536;
  size_t nul_even = 0, nul_odd = 0, ctrl = 0, bad = 0, chars = 0;
  for (size_t i = 0; i < sample;) {
    /* printable ASCII, 8 bytes at a time: a character each, nothing else */
    while (i + 8 <= sample) {
      uint64_t v;
      memcpy(&v, u + i, 8);
      if ((v | ((v - 0x2020202020202020ull) & ~v)) & 0x8080808080808080ull)
        break; /* a byte >= 0x80 or < 0x20 among them */
      i += 8;
      chars += 8;
    }
    if (i >= sample)
      break;
    if (u[i] == 0) {
      if (i & 1)
        nul_odd++;
      else
        nul_even++;
    }
    int32_t cp;
    int k = 1;
    if (u[i] < 0x80)
      cp = u[i]; /* what utf8_decode() would say, without the call */
    else
      k = utf8_decode(u + i, sample - i, &cp);
    if (cp < 0) {
      /* A sequence cut by the end of the sample is not an error. */
      if (i + 4 < sample || sample == len)
        bad++;
    } else if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' &&
               cp != '\f' && cp != '\v') {
      ctrl++;
    }
    chars++;
    i += (size_t)k;
  }
  if (sample >= 8 && (nul_even * 10 > sample * 3 / 2 || nul_odd * 10 > sample * 3 / 2)) {
    S_refuse(d, TIES_EENCODING,
             "%s", "looks like UTF-16 text without a byte order mark; "
                   "convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8");
    return d->status;
  }
  size_t nul = nul_even + nul_odd;
  if (chars >= 16 && ((ctrl + bad) * 10 > chars || (nul * 20 > chars && nul >= 4))) {
    S_refuse(d, TIES_EBINARY, "%s",
             "binary file: too many control bytes or invalid UTF-8 "
             "sequences to be text");
    return d->status;
  }

  /* Validate everything; repair into a copy on the first bad byte. */
  char *copy = NULL;
  size_t n_nul = 0, first_nul = 0;
  for (size_t i = out->skip; i < len;) {
    /* ASCII without NULs, the bulk of the text, 8 bytes at a time */
    while (i + 8 <= len) {
      uint64_t v;
      memcpy(&v, u + i, 8);
      if ((v | ((v - 0x0101010101010101ull) & ~v)) & 0x8080808080808080ull)
        break; /* a byte >= 0x80 or a NUL among them */
      i += 8;
    }
    if (i >= len)
      break;
    if (u[i] && u[i] < 0x80) {
      i++;
      continue;
    }
    int32_t cp;
    int k = utf8_decode(u + i, len - i, &cp);
    if (cp < 0) {
      if (!copy) {
        copy = arena_alloc(&d->ar, len + 1);
        if (!copy) {
          d->status = TIES_ENOMEM;
          return d->status;
        }
        memcpy(copy, in, len);
      }
      copy[i] = TEXT_BAD;
      if (out->n_bad < MAX_BAD_REPORTS) {
        unsigned line, col;
        text_locate(in, len, i, &line, &col, NULL, NULL);
        diag_add(&d->diags, TIES_WARNING, TIES_EENCODING, d->path, 0, 0, i, 0,
                 NULL, 0,
                 "invalid UTF-8 (byte 0x%02X at line %u, column %u) replaced "
                 "with U+FFFD",
                 u[i], line, col);
      }
      out->n_bad++;
    } else if (cp == 0) {
      if (!n_nul)
        first_nul = i;
      n_nul++;
    }
    i += (size_t)k;
  }
  if (out->n_bad > MAX_BAD_REPORTS)
    diag_add(&d->diags, TIES_WARNING, TIES_EENCODING, d->path, 0, 0, (size_t)-1,
             0, NULL, 0, "%zu more invalid UTF-8 bytes replaced",
             out->n_bad - MAX_BAD_REPORTS);
  if (n_nul)
    diag_add(&d->diags, TIES_WARNING, TIES_EENCODING, d->path, 0, 0, first_nul,
             0, NULL, 0, "%zu NUL byte%s treated as spaces", n_nul,
             n_nul == 1 ? "" : "s");
  if (copy)
    out->p = copy;

  bool blank = true;
  for (size_t i = out->skip; i < len && blank; i++)
    if (!(u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r'))
      blank = false;
  if (blank)
    diag_add(&d->diags, TIES_WARNING, TIES_OK, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0, "%s", len ? "document has no text" : "empty document");
  return TIES_OK;
}

/* Write the copy of u[start, end) that text_span() returns into out, or
 * only count its bytes when out is NULL. */
static size_t S_span_copy(const unsigned char *u, size_t start, size_t end,
                          char *out) {
  size_t n = 0;
  bool space = false;
  for (size_t i = start; i < end;) {
    /* a run of printable ASCII other than space is copied as it is, and
     * so is a single space inside it (it would come out as one space) */
    size_t j = i;
    while (j < end) {
      if (u[j] > 0x20 && u[j] < 0x7f)
        j++;
      else if (u[j] == ' ' && j > i && j + 1 < end && u[j + 1] > 0x20 &&
               u[j + 1] < 0x7f)
        j += 2;
      else
        break;
    }
    if (j > i) {
      if (space) {
        if (out)
          out[n] = ' ';
        n++;
        space = false;
      }
      if (out)
        memcpy(out + n, u + i, j - i);
      n += j - i;
      i = j;
      continue;
    }
    int k = 1, cc;
    if (u[i] == TEXT_BAD) {
      cc = CC_OTHER;
    } else if (u[i] < 0x80) {
      cc = utf8_ascii_class[u[i]];
    } else {
      int32_t cp;
      k = utf8_decode(u + i, end - i, &cp);
      cc = cp < 0 ? CC_OTHER : utf8_class(cp);
    }
    if (cc == CC_SPACE || cc == CC_NEWLINE) {
      space = n > 0;
    } else {
      if (space) {
        if (out)
          out[n] = ' ';
        n++;
        space = false;
      }
      if (u[i] == TEXT_BAD) {
        if (out)
          memcpy(out + n, "\xEF\xBF\xBD", 3);
        n += 3;
      } else {
        if (out)
          memcpy(out + n, u + i, (size_t)k);
        n += (size_t)k;
      }
    }
    i += (size_t)k;
  }
  return n;
}

char *text_span(arena *a, const doctext *t, size_t start, size_t end) {
  if (end > t->len)
    end = t->len;
  if (start > end)
    start = end;
  const unsigned char *u = (const unsigned char *)t->p;
  /* a short span in one pass through the stack (a copy is at most three
   * bytes per byte: TEXT_BAD becomes U+FFFD) */
  char sb[2048];
  if (3 * (end - start) + 1 <= sizeof sb) {
    size_t n = S_span_copy(u, start, end, sb);
    return arena_strndup(a, sb, n);
  }
  size_t n = S_span_copy(u, start, end, NULL);
  char *s = arena_alloc(a, n + 1);
  if (!s)
    return NULL;
  S_span_copy(u, start, end, s);
  s[n] = 0;
  return s;
}
