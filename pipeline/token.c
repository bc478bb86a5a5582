/*
 * token.c — stage 2: words, numbers, money, model designations and
 * sentences.
 *
 * One pass over the repaired text finds raw tokens; a second pass merges
 * money ("USD 1 million", "$7.3 million", "CNY 150 million") and model
 * designations ("Type 053H3", "Wing Loong II"; "S-400", "H-6N", "DF-17" are
 * single tokens from the start); a third pass cuts sentences and
 * paragraphs. Abbreviations that do not end sentences ("U.S.", "Gen.",
 * "No.", "Dec.") are single tokens. Headings and bullet lines are sentences
 * of their own.
 *
 * Every token is a slice {off, len} of the document bytes; its normalised
 * form (quotes and dashes folded, NFC) is the key of its word record.
 *
 * Line breaks: in documents written one paragraph per line (the tracker's
 * format) every line break ends a paragraph. In hard-wrapped documents
 * (most lines 40-100 characters) a single line break is a space, and only
 * blank lines, bullets and short lines end paragraphs.
 */
#include "ties_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Raw token before word lookup. */
typedef struct rtok {
  uint32_t off, len;
  uint8_t kind;
  uint8_t flags;
  uint8_t nl;        /* line breaks before it (capped at 2: paragraph) */
  uint8_t closer;    /* a closing quote or bracket */
} rtok;

/* The word lists below hold words of up to 15 bytes, each in 16 bytes
 * padded with NULs, so that a token is compared with an entry as two
 * 64-bit numbers (S_lists_of). */
typedef char word16[16];

/* Abbreviations that never end a sentence (titles and "No."). */
static const word16 S_abbr_title[] = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt",
    "Adm", "Sgt", "Cpl", "Brig", "Cmdr", "Cdr", "Rear", "Vice", "Gov", "Sen",
    "Rep", "Amb", "Pres", "Rev", "Hon", "St", "Mt", "Ft", "No", "Nos", "Vol",
    "Fig", "Art", "Sec", "Dept", "approx", "vs", "cf", "ca", "Jr", "Sr",
    "Messrs", "Gens", "Lieut", "Supt", "Insp", "Cmdt", "Pvt", "Fr", "Md", "Ma",
    "Mohd", "Mme", "Mlle"};
/* Abbreviations that may end a sentence when a sentence starter follows. */
static const word16 S_abbr_maybe[] = {
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Inc", "Ltd", "Co", "Corp", "Bros", "etc", "al", "Ave",
    "Blvd", "est", "Govt", "Intl"};
/* Words that start sentences; used after "U.S." and "etc.". */
static const word16 S_starters[] = {
    "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They",
    "We", "I", "In", "On", "At", "But", "However", "A", "An", "Their", "His",
    "Her", "There", "Meanwhile", "Both", "According", "As", "After", "When",
    "While", "Since", "Some", "Many", "Other", "Such", "Yet", "Also", "And",
    "Beijing", "China", "Moscow"};
static const word16 S_currency_codes[] = {
    "USD", "CNY", "RMB", "EUR", "GBP", "JPY", "INR", "PKR", "RUB", "AUD",
    "CAD", "CHF", "KRW", "TWD", "SAR", "AED", "IRR", "TRY", "BRL", "ZAR",
    "HKD", "SGD", "NZD", "IDR", "THB", "VND", "PHP", "MYR", "BDT", "LKR",
    "NPR", "EGP", "NGN", "KZT", "US$", "HK$", "A$", "C$", "S$", "NZ$"};
static const word16 S_currency_words[] = {
    "dollars", "dollar", "yuan", "renminbi", "euros", "euro", "pounds",
    "rupees", "roubles", "rubles", "yen", "won", "riyals", "dirhams",
    "sterling", "francs", "rand"};
static const word16 S_magnitudes[] = {
    "thousand", "million", "billion", "trillion", "mn", "bn", "m", "b", "k",
    "tn", "millions", "billions"};
static const word16 S_roman[] = {"II", "III", "IV", "VI", "VII", "VIII",
                                 "IX"};
static const word16 S_model_stop[] = {
    "The", "A", "An", "And", "Of", "In", "On", "For", "To", "With", "Its",
    "Their", "His", "Her", "World", "Phase", "Part", "Chapter", "Article",
    "Pope", "King", "Queen", "Emperor"};

/* A token as a list entry would hold it (fold: ASCII lower case); false
 * when no entry can be equal: empty, or longer than 15 bytes. */
static bool S_key(uint64_t key[2], const char *s, size_t len, bool fold) {
  if (!len || len >= sizeof(word16))
    return false;
  char b[sizeof(word16)] = {0};
  memcpy(b, s, len);
  if (fold)
    for (size_t k = 0; k < len; k++)
      if (b[k] >= 'A' && b[k] <= 'Z')
        b[k] += 32;
  memcpy(key, b, sizeof b);
  return true;
}

/* The lists as one hash set, a bit for each list: the tokenizer asks about
 * most words before a period, where a search of the lists cost more than
 * the rest of the token. Built once, open addressing, under half full. */
enum {
  L_ABBR_TITLE = 0x01u,
  L_ABBR_MAYBE = 0x02u,
  L_STARTERS = 0x04u,
  L_CURRENCY_CODES = 0x08u,
  L_CURRENCY_WORDS = 0x10u,
  L_MAGNITUDES = 0x20u,
  L_ROMAN = 0x40u,
  L_MODEL_STOP = 0x80u
};
static const struct {
  const word16 *list;
  size_t n;
  unsigned bit;
} S_lists[] = {
#define L(list, bit) {list, TIES_ARRAY_LEN(list), bit}
    L(S_abbr_title, L_ABBR_TITLE),         L(S_abbr_maybe, L_ABBR_MAYBE),
    L(S_starters, L_STARTERS),             L(S_currency_codes, L_CURRENCY_CODES),
    L(S_currency_words, L_CURRENCY_WORDS), L(S_magnitudes, L_MAGNITUDES),
    L(S_roman, L_ROMAN),                   L(S_model_stop, L_MODEL_STOP),
#undef L
};

#define LSET_BITS 9
typedef struct lslot {
  uint64_t key[2];
  unsigned lists; /* L_* bits; 0: empty */
} lslot;
static lslot S_lset[1u << LSET_BITS];
static pthread_once_t S_lset_once = PTHREAD_ONCE_INIT;

static size_t S_lset_pos(const uint64_t key[2]) {
  uint64_t h = (key[0] ^ key[1] * 0xd6e8feb86659fd93ull) * 0x9e3779b97f4a7c15ull;
  return (size_t)(h >> (64 - LSET_BITS));
}

static void S_lset_build(void) {
  const size_t mask = TIES_ARRAY_LEN(S_lset) - 1;
  for (size_t l = 0; l < TIES_ARRAY_LEN(S_lists); l++)
    for (size_t i = 0; i < S_lists[l].n; i++) {
      uint64_t key[2];
      memcpy(key, S_lists[l].list[i], sizeof key);
      size_t p = S_lset_pos(key);
      while (S_lset[p].lists &&
             (S_lset[p].key[0] != key[0] || S_lset[p].key[1] != key[1]))
        p = (p + 1) & mask;
      S_lset[p].key[0] = key[0];
      S_lset[p].key[1] = key[1];
      S_lset[p].lists |= S_lists[l].bit;
    }
}

/* The L_* bits of the lists that hold the token s (len bytes, no NULs);
 * fold: as IN_CI compares. */
static unsigned S_lists_of(const char *s, size_t len, bool fold) {
  uint64_t key[2];
  if (!S_key(key, s, len, fold))
    return 0;
  const size_t mask = TIES_ARRAY_LEN(S_lset) - 1;
  for (size_t p = S_lset_pos(key);; p = (p + 1) & mask) {
    const lslot *sl = &S_lset[p];
    if (!sl->lists)
      return 0;
    if (sl->key[0] == key[0] && sl->key[1] == key[1])
      return sl->lists;
  }
}

/* Is the token in the list (bit)? IN_CI: ignoring ASCII case (the lists
 * it is used with are lower case). */
#define IN(bit, s, n) ((S_lists_of(s, n, false) & (bit)) != 0)
#define IN_CI(bit, s, n) ((S_lists_of(s, n, true) & (bit)) != 0)

/* Does the set say of the key w (n bytes) what a search of the lists
 * says, with and without folding? */
static bool S_lists_agree(const char *w, size_t n) {
  for (int fold = 0; fold < 2; fold++) {
    unsigned want = 0;
    uint64_t key[2];
    if (S_key(key, w, n, fold))
      for (size_t l = 0; l < TIES_ARRAY_LEN(S_lists); l++)
        for (size_t i = 0; i < S_lists[l].n; i++)
          if (!memcmp(key, S_lists[l].list[i], sizeof key))
            want |= S_lists[l].bit;
    if (S_lists_of(w, n, fold != 0) != want)
      return false;
  }
  return true;
}

/* For the unit tests: the set against a search of the lists, for every
 * entry and the keys near it (cut or a byte longer, a byte in the other
 * case or changed to a period). */
bool tok_lists_check(void) {
  pthread_once(&S_lset_once, S_lset_build);
  for (size_t l = 0; l < TIES_ARRAY_LEN(S_lists); l++)
    for (size_t i = 0; i < S_lists[l].n; i++) {
      const char *e = S_lists[l].list[i];
      size_t n = strlen(e);
      char w[sizeof(word16) + 1];
      for (size_t k = 0; k <= n; k++) {
        memcpy(w, e, n);
        w[n] = 'e';
        size_t wn = n > k ? n : k + 1;
        if (!S_lists_agree(w, k) || !S_lists_agree(w, wn))
          return false;
        w[k] ^= 0x20;
        if (!S_lists_agree(w, wn))
          return false;
        w[k] = '.';
        if (!S_lists_agree(w, wn))
          return false;
      }
    }
  return true;
}

const char *tok_kind_name(int kind) {
  switch (kind) {
  case TK_WORD: return "word";
  case TK_NUMBER: return "number";
  case TK_MONEY: return "money";
  case TK_MODEL: return "model";
  case TK_ABBR: return "abbrev";
  case TK_POSS: return "possessive";
  case TK_PUNCT: return "punct";
  case TK_SYMBOL: return "symbol";
  default: return "?";
  }
}

typedef struct scanner {
  const unsigned char *s;
  size_t len;
  vec *out;        /* rtok */
  uint8_t pend_flags;
  uint8_t pend_nl;
  bool line_start;  /* nothing but spaces since the last line break */
  size_t max_tok;
  ties_doc *d;
  size_t n_cut;
} scanner;

static int S_cp(const scanner *sc, size_t i, int32_t *cp) {
  if (i >= sc->len) {
    *cp = -1;
    return 0;
  }
  unsigned char b = sc->s[i];
  if (b == TEXT_BAD) {
    *cp = ' ';
    return 1;
  }
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  return utf8_decode(sc->s + i, sc->len - i, cp);
}

static int S_class_at(const scanner *sc, size_t i) {
  int32_t cp;
  if (!S_cp(sc, i, &cp) || cp < 0)
    return CC_SPACE;
  return utf8_class_fast(cp);
}

static bool S_alnum_at(const scanner *sc, size_t i) {
  int c = S_class_at(sc, i);
  return c == CC_LETTER || c == CC_DIGIT || c == CC_MARK;
}

static inline void S_emit(scanner *sc, size_t off, size_t len, int kind) {
  if (len > sc->max_tok) {
    sc->n_cut++;
    len = sc->max_tok;
    /* Do not cut inside a UTF-8 sequence. */
    while (len > 1 && (sc->s[off + len] & 0xC0) == 0x80)
      len--;
  }
  vec *v = sc->out; /* (every field is set below) */
  rtok *t = v->len < v->cap ? &VEC_AT(v, rtok, v->len++) : vec_push(v);
  if (!t)
    return;
  t->off = (uint32_t)off;
  t->len = (uint32_t)len;
  t->kind = (uint8_t)kind;
  t->flags = sc->pend_flags;
  t->nl = sc->pend_nl;
  t->closer = 0;
  if (sc->line_start)
    t->flags |= TF_LINE_START;
  sc->pend_flags = 0;
  sc->pend_nl = 0;
  sc->line_start = false;
}

/* The ASCII bytes for the word scanner: letters (utf8_ascii_class
 * CC_LETTER, 1 below) and digits (CC_DIGIT, 2), and the bytes that end a
 * word at once, with nothing to look at after it (4): spaces, line breaks,
 * controls and punctuation other than ' ` . , -. Bytes from 0x80 are none
 * of them. */
#define AB_LETTER 1u
#define AB_DIGIT 2u
#define AB_END 4u
static const uint8_t S_ascii_byte[256] = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 0, 4, 4, 4, 4, 0, 0, 0, 4,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4,
    4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4,
};

/* The end of the run of ASCII letters from i (i itself if none). */
static inline size_t S_letters_end(const unsigned char *s, size_t i,
                                   size_t len) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* 8 bytes at a time: a byte is a letter when it is below 0x80 and,
   * with 0x20 set, from 'a' to 'z'; the first other byte ends the run
   * (the additions stay inside each byte: no carries) */
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; i + 8 <= len; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    uint64_t x = (v & ~high) | 0x20 * ones;
    uint64_t letter = (x + 0x1F * ones) & ~(x + 0x05 * ones) & ~v & high;
    if (letter != high)
      return i + (size_t)__builtin_ctzll(~letter & high) / 8;
  }
#endif
  while (i < len && S_ascii_byte[s[i]] == AB_LETTER)
    i++;
  return i;
}

/* Scan a word, number or designation starting at i; returns its end. */
static size_t S_scan_word(scanner *sc, size_t i, int *kind_out) {
  size_t start = i;
  bool has_letter = false, has_digit = false, starts_digit = false;
  size_t seg_start = i; /* start of the current hyphen segment */
  int32_t cp;
  int k = S_cp(sc, i, &cp);
  starts_digit = utf8_class_fast(cp) == CC_DIGIT;
  for (;;) {
    /* ASCII letters and digits, the bulk of every word */
    unsigned seen = 0, f;
    while (i < sc->len &&
           (f = S_ascii_byte[sc->s[i]] & (AB_LETTER | AB_DIGIT)) != 0) {
      seen |= f;
      i++;
    }
    if (seen & AB_LETTER)
      has_letter = true;
    if (seen & AB_DIGIT)
      has_digit = true;
    k = S_cp(sc, i, &cp);
    if (!k)
      break;
    int c = cp < 0 ? CC_SPACE : utf8_class_fast(cp);
    if (c == CC_LETTER || c == CC_MARK) {
      has_letter = true;
      i += (size_t)k;
      continue;
    }
    if (c == CC_DIGIT) {
      has_digit = true;
      i += (size_t)k;
      continue;
    }
    if (c == CC_APOS && i > start) {
      /* n't, 's, 'll ... are split off; d'Ivoire and O'Brien stay. */
      int32_t c1, c2;
      int k1 = S_cp(sc, i + (size_t)k, &c1);
      S_cp(sc, i + (size_t)k + (size_t)(k1 > 0 ? k1 : 1), &c2);
      if (c1 < 0 || !utf8_is_letter(c1))
        break;
      bool end2 = c2 < 0 || !utf8_is_letter(c2);
      if ((c1 == 's' || c1 == 'S') && end2)
        break;
      if ((c1 == 't' || c1 == 'T') && end2 && i > start &&
          (sc->s[i - 1] == 'n' || sc->s[i - 1] == 'N')) {
        i--; /* leave "n't" */
        break;
      }
      if (c1 == 'd' || c1 == 'm') {
        if (end2)
          break;
      }
      size_t j = i + (size_t)k;
      if (((c1 == 'l' && c2 == 'l') || (c1 == 'r' && c2 == 'e') ||
           (c1 == 'v' && c2 == 'e')) &&
          !S_alnum_at(sc, j + 2))
        break;
      i = j;
      continue;
    }
    if (c == CC_PERIOD && cp == '.') {
      /* Decimal numbers: 7.3 */
      if (has_digit && !has_letter && S_class_at(sc, i + 1) == CC_DIGIT &&
          i > start && S_class_at(sc, i - 1) == CC_DIGIT) {
        i += 1;
        continue;
      }
      /* Lower-case dotted names (fox-it.com) */
      int32_t n1;
      S_cp(sc, i + 1, &n1);
      if (has_letter && n1 >= 'a' && n1 <= 'z' && i > start &&
          sc->s[i - 1] >= 'a' && sc->s[i - 1] <= 'z') {
        size_t j = i + 1;
        while (S_alnum_at(sc, j))
          j++;
        /* Only if it looks like a domain: a known top-level ending. */
        size_t tl = j - (i + 1);
        /* (three-letter endings need three letters: ".co" may end the text) */
        if (tl >= 2 && tl <= 4 && !S_alnum_at(sc, j) &&
            ((tl >= 3 && (memcmp(sc->s + i + 1, "com", 3) == 0 ||
                          memcmp(sc->s + i + 1, "org", 3) == 0 ||
                          memcmp(sc->s + i + 1, "net", 3) == 0 ||
                          memcmp(sc->s + i + 1, "gov", 3) == 0)) ||
             memcmp(sc->s + i + 1, "cn", 2) == 0)) {
          i = j;
          continue;
        }
      }
      break;
    }
    if (c == CC_PUNCT && cp == ',' && has_digit && !has_letter && i > start &&
        S_class_at(sc, i - 1) == CC_DIGIT) {
      /* 1,058 — a comma followed by exactly three digits */
      size_t j = i + 1, nd = 0;
      while (S_class_at(sc, j) == CC_DIGIT) {
        j++;
        nd++;
      }
      if (nd == 3) {
        i = j;
        continue;
      }
      break;
    }
    if (c == CC_DASH && cp != 0x2014 && cp != 0x2015 && i > start) {
      /* S-400, DF-17, Tsentr-2019, 16-25: keep a digit after a hyphen. */
      if (S_class_at(sc, i + (size_t)k) == CC_DIGIT) {
        bool seg_alpha_only = true;
        for (size_t q = seg_start; q < i; q++)
          if (sc->s[q] >= '0' && sc->s[q] <= '9')
            seg_alpha_only = false;
        (void)seg_alpha_only;
        i += (size_t)k;
        seg_start = i;
        continue;
      }
      /* H-6N is handled above; letters on both sides split. */
      break;
    }
    break;
  }
  size_t len = i - start;
  int kind = TK_WORD;
  if (has_digit) {
    if (starts_digit) {
      /* 1990s, 24th, 1,058, 7.3, 16-25 are numbers; 053H3 is a model. */
      size_t nl = 0;
      for (size_t q = start; q < i; q++)
        if ((sc->s[q] | 32) >= 'a' && (sc->s[q] | 32) <= 'z')
          nl++;
      bool ordinal = false;
      if (nl == 2 && len >= 3) {
        const char *e = (const char *)sc->s + i - 2;
        ordinal = !strncmp(e, "st", 2) || !strncmp(e, "nd", 2) ||
                  !strncmp(e, "rd", 2) || !strncmp(e, "th", 2);
      }
      bool decade = nl == 1 && sc->s[i - 1] == 's';
      bool mag = (nl == 1 && (sc->s[i - 1] == 'm' || sc->s[i - 1] == 'k' ||
                              sc->s[i - 1] == 'b')) ||
                 (nl == 2 && len > 2 &&
                  (!strncmp((const char *)sc->s + i - 2, "bn", 2) ||
                   !strncmp((const char *)sc->s + i - 2, "mn", 2) ||
                   !strncmp((const char *)sc->s + i - 2, "tn", 2)));
      kind = (nl == 0 || ordinal || decade || mag) ? TK_NUMBER : TK_MODEL;
    } else {
      kind = TK_MODEL;
    }
  }
  *kind_out = kind;
  return start + len;
}

/* Single letters with periods: U.S., e.g., i.e., U.N. Returns end or 0. */
static size_t S_scan_initialism(scanner *sc, size_t i) {
  /* most words: an ASCII character without a period after it */
  if (sc->s[i] < 0x80 && (i + 1 >= sc->len || sc->s[i + 1] != '.'))
    return 0;
  size_t j = i;
  int n = 0;
  for (;;) {
    int32_t cp;
    int k = S_cp(sc, j, &cp);
    if (!k || cp < 0 || !utf8_is_letter(cp))
      break;
    /* a letter at the very end of the text has no period after it */
    if (j + (size_t)k >= sc->len || sc->s[j + (size_t)k] != '.')
      break;
    j += (size_t)k + 1;
    n++;
  }
  return n >= 2 ? j : 0;
}

static void S_scan(scanner *sc, size_t from) {
  size_t i = from;
  sc->line_start = true;
  while (i < sc->len) {
    if (sc->s[i] == ' ') { /* the commonest byte, as CC_SPACE below */
      sc->pend_flags |= TF_SPACE_BEFORE;
      i++;
      continue;
    }
    if (S_ascii_byte[sc->s[i]] == AB_LETTER &&
        (i + 1 >= sc->len || sc->s[i + 1] != '.')) {
      /* An ASCII word of letters ending at a space or punctuation is a
       * TK_WORD with nothing more to decide (the general path below says
       * the same at more length); else that path takes it from i. */
      size_t e = S_letters_end(sc->s, i + 1, sc->len);
      if (e == sc->len || S_ascii_byte[sc->s[e]] == AB_END) {
        S_emit(sc, i, e - i, TK_WORD);
        i = e;
        continue;
      }
    }
    int32_t cp;
    int k = S_cp(sc, i, &cp);
    int c = cp < 0 ? CC_SPACE : utf8_class_fast(cp);
    if (c == CC_NEWLINE) {
      if (cp == '\r' && i + 1 < sc->len && sc->s[i + 1] == '\n')
        k = 2;
      if (sc->pend_nl < 2)
        sc->pend_nl++;
      sc->pend_flags |= TF_SPACE_BEFORE;
      sc->line_start = true;
      i += (size_t)k;
      continue;
    }
    if (c == CC_SPACE) {
      sc->pend_flags |= TF_SPACE_BEFORE;
      i += (size_t)k;
      continue;
    }
    if (c == CC_BULLET || (sc->line_start && (cp == '-' || cp == 0x2013 ||
                                              cp == 0x2014) &&
                           i + (size_t)k < sc->len &&
                           S_class_at(sc, i + (size_t)k) == CC_SPACE)) {
      if (sc->line_start || cp != '*') {
        /* A bullet: the next token starts a sentence of its own. */
        sc->pend_flags |= TF_BULLET | TF_SPACE_BEFORE;
        i += (size_t)k;
        continue;
      }
    }
    if (c == CC_LETTER || c == CC_DIGIT || c == CC_MARK) {
      /* Initialisms first: U.S., e.g. */
      if (c == CC_LETTER) {
        size_t e = S_scan_initialism(sc, i);
        if (e) {
          S_emit(sc, i, e - i, TK_ABBR);
          i = e;
          continue;
        }
      }
      int kind;
      size_t e = S_scan_word(sc, i, &kind);
      if (e == i)
        e = i + (size_t)k;
      /* "n't" left over after the stem */
      if (e - i == 1 && (sc->s[i] == 'n' || sc->s[i] == 'N') &&
          S_class_at(sc, e) == CC_APOS) {
        int32_t a;
        int ka = S_cp(sc, e, &a);
        if (e + (size_t)ka < sc->len && (sc->s[e + (size_t)ka] | 32) == 't') {
          size_t end = e + (size_t)ka + 1;
          S_emit(sc, i, end - i, TK_WORD);
          VEC_AT(sc->out, rtok, sc->out->len - 1).flags |= TF_NEG;
          i = end;
          continue;
        }
      }
      /* Title abbreviations and initials take their period. */
      if (e < sc->len && sc->s[e] == '.' && kind == TK_WORD) {
        const char *w = (const char *)sc->s + i;
        size_t n = e - i;
        bool initial = n == 1 && utf8_is_upper(cp);
        if (IN(L_ABBR_TITLE | L_ABBR_MAYBE, w, n) || initial ||
            (n == 3 && !memcmp(w, "e.g", 3)) || (n == 3 && !memcmp(w, "i.e", 3))) {
          S_emit(sc, i, e + 1 - i, TK_ABBR);
          i = e + 1;
          continue;
        }
      }
      S_emit(sc, i, e - i, kind);
      i = e;
      continue;
    }
    if (c == CC_APOS) {
      /* Possessive 's or a bare ' after a plural; else a quote mark. */
      rtok *prev = sc->out->len ? &VEC_AT(sc->out, rtok, sc->out->len - 1) : NULL;
      bool attached = prev && prev->off + prev->len == i &&
                      (prev->kind == TK_WORD || prev->kind == TK_MODEL ||
                       prev->kind == TK_ABBR);
      int32_t c1;
      int k1 = S_cp(sc, i + (size_t)k, &c1);
      if (attached && (c1 == 's' || c1 == 'S') &&
          !S_alnum_at(sc, i + (size_t)k + (size_t)k1)) {
        S_emit(sc, i, (size_t)k + (size_t)k1, TK_POSS);
        i += (size_t)k + (size_t)k1;
        continue;
      }
      if (attached && (c1 == 'l' || c1 == 'r' || c1 == 'v' || c1 == 'd' ||
                       c1 == 'm')) {
        size_t j = i + (size_t)k;
        while (S_alnum_at(sc, j))
          j++;
        S_emit(sc, i, j - i, TK_WORD);
        i = j;
        continue;
      }
      if (attached && sc->s[i - 1] == 's' &&
          (c1 < 0 || utf8_class_fast(c1) == CC_SPACE || utf8_class_fast(c1) == CC_NEWLINE)) {
        S_emit(sc, i, (size_t)k, TK_POSS);
        i += (size_t)k;
        continue;
      }
      S_emit(sc, i, (size_t)k, TK_PUNCT);
      rtok *t = &VEC_AT(sc->out, rtok, sc->out->len - 1);
      t->closer = attached;
      i += (size_t)k;
      continue;
    }
    if (c == CC_PERIOD) {
      size_t j = i;
      while (j < sc->len) {
        int32_t q;
        int kq = S_cp(sc, j, &q);
        if (q != '.' && q != 0x2026)
          break;
        j += (size_t)kq;
      }
      S_emit(sc, i, j - i, TK_PUNCT);
      i = j;
      continue;
    }
    if (c == CC_CURRENCY) {
      S_emit(sc, i, (size_t)k, TK_SYMBOL);
      i += (size_t)k;
      continue;
    }
    /* Other punctuation, quotes and dashes: one token each. */
    bool opener_space = (sc->pend_flags & TF_SPACE_BEFORE) || sc->line_start;
    S_emit(sc, i, (size_t)k, TK_PUNCT);
    rtok *t = &VEC_AT(sc->out, rtok, sc->out->len - 1);
    if (cp == ')' || cp == ']' || cp == '}' ||
        (c == CC_QUOTE && !opener_space && cp != 0x201C))
      t->closer = 1;
    i += (size_t)k;
  }
}

/* ---- merging ------------------------------------------------------------ */

static bool S_is(const ties_doc *d, const rtok *t, const char *s) {
  size_t n = strlen(s);
  return t->len == n && memcmp(d->t.p + t->off, s, n) == 0;
}

static bool S_plain_number(const ties_doc *d, const rtok *t) {
  if (t->kind != TK_NUMBER)
    return false;
  for (uint32_t i = 0; i < t->len; i++) {
    char c = d->t.p[t->off + i];
    if (!((c >= '0' && c <= '9') || c == ',' || c == '.' || c == 'm' ||
          c == 'b' || c == 'n' || c == 'k' || c == 't'))
      return false;
  }
  return true;
}

static bool S_initcap(const ties_doc *d, const rtok *t) {
  unsigned char c = (unsigned char)d->t.p[t->off];
  if (c >= 'A' && c <= 'Z')
    return true;
  if (c < 0x80)
    return false;
  int32_t cp;
  utf8_decode((const unsigned char *)d->t.p + t->off, t->len, &cp);
  return utf8_is_upper(cp);
}

/* The merge pass works in place: the tokens done are r[0, o), those still
 * to read r[k, N), k >= o. The rules below read them as one sequence of n
 * tokens (o + N - k) whose token x is R(x), so that a merge moves no other
 * token. */
#define R(x) (r[(x) < o ? (x) : (x) + (k - o)])

/* Merge R(i..j) into R(i), which is then done (i <= o < j). */
static inline void S_merge(rtok *r, size_t *po, size_t *pk, size_t *pn,
                           size_t i, size_t j, int kind) {
  size_t o = *po, k = *pk;
  rtok t = R(i);
  t.len = R(j - 1).off + R(j - 1).len - t.off;
  t.kind = (uint8_t)kind;
  *pk = k + (j - o);
  *pn -= j - i - 1;
  r[i] = t;
  *po = i + 1;
}

/* Can no rule below begin at t, followed by a token of kind next (0:
 * none)? Only a symbol or a number begins one, or a word or abbreviation
 * before a number, symbol or model, or a word that may be a Roman
 * numeral. */
static inline bool S_quiet(const ties_doc *d, const rtok *t, int next) {
  const unsigned amount = 1u << TK_NUMBER | 1u << TK_SYMBOL | 1u << TK_MODEL;
  switch (t->kind) {
  case TK_WORD: {
    char c = d->t.p[t->off];
    if (c == 'I' || c == 'V')
      return false;
  }
    /* fall through */
  case TK_ABBR:
    return !(1u << next & amount);
  case TK_SYMBOL:
  case TK_NUMBER:
    return false;
  default:
    return true;
  }
}

static void S_merge_pass(ties_doc *d, vec *v) {
  rtok *r = v->p;
  const size_t N = v->len; /* o + n - k throughout */
  size_t o = 0, k = 0, n = N;
  while (o < n) {
    /* most tokens: a run of them is done as it is */
    size_t e = k;
    while (e < N && S_quiet(d, &r[e], e + 1 < N ? r[e + 1].kind : 0))
      e++;
    if (e > k) {
      if (o < k)
        memmove(r + o, r + k, (e - k) * sizeof *r);
      o += e - k;
      k = e;
      continue;
    }
    size_t i = o;
    rtok *t = &R(i);
    const char *s = d->t.p + t->off;
    /* $7.3 million, €20m, US$5 billion */
    size_t j = i;
    if (t->kind == TK_SYMBOL && i + 1 < n && S_plain_number(d, &R(i + 1)) &&
        !(R(i + 1).flags & TF_SPACE_BEFORE)) {
      j = i + 2;
      if (i > 0 && R(i - 1).kind == TK_WORD && !(t->flags & TF_SPACE_BEFORE) &&
          R(i - 1).len <= 2 && S_is(d, t, "$")) {
        i--; /* US$, HK$, A$ */
        t = &R(i);
      }
    } else if ((t->kind == TK_WORD || t->kind == TK_ABBR) && i + 1 < n &&
               S_plain_number(d, &R(i + 1)) &&
               IN(L_CURRENCY_CODES, s, t->len)) {
      j = i + 2;
    } else if (t->kind == TK_WORD && i + 2 < n && R(i + 1).kind == TK_SYMBOL &&
               !(R(i + 1).flags & TF_SPACE_BEFORE) && t->len <= 2 &&
               S_plain_number(d, &R(i + 2))) {
      j = i + 3; /* US$ 5 million with the number apart */
    }
    if (j > i) {
      if (j < n && R(j).kind == TK_WORD &&
          IN_CI(L_MAGNITUDES, d->t.p + R(j).off, R(j).len))
        j++;
      if (j < n && R(j).kind == TK_WORD &&
          IN_CI(L_CURRENCY_WORDS, d->t.p + R(j).off, R(j).len))
        j++;
      S_merge(r, &o, &k, &n, i, j, TK_MONEY);
      continue;
    }
    /* 150 million yuan, 5 billion US dollars */
    if (S_plain_number(d, t)) {
      size_t q = i + 1;
      if (q < n && R(q).kind == TK_WORD &&
          IN_CI(L_MAGNITUDES, d->t.p + R(q).off, R(q).len))
        q++;
      if (q < n && (S_is(d, &R(q), "US") || S_is(d, &R(q), "U.S.")) &&
          q + 1 < n && IN_CI(L_CURRENCY_WORDS, d->t.p + R(q + 1).off, R(q + 1).len))
        q++;
      if (q < n && R(q).kind == TK_WORD &&
          IN_CI(L_CURRENCY_WORDS, d->t.p + R(q).off, R(q).len) &&
          !(R(q).len == 3 && !memcmp(d->t.p + R(q).off, "won", 3) &&
            q == i + 1)) {
        S_merge(r, &o, &k, &n, i, q + 1, TK_MONEY);
        continue;
      }
    }
    /* Type 053H3, Type 15, Type 071E */
    if (t->kind == TK_WORD && S_is(d, t, "Type") && i + 1 < n &&
        (R(i + 1).kind == TK_NUMBER || R(i + 1).kind == TK_MODEL) &&
        d->t.p[R(i + 1).off] >= '0' && d->t.p[R(i + 1).off] <= '9' &&
        R(i + 1).nl == 0) {
      S_merge(r, &o, &k, &n, i, i + 2, TK_MODEL);
      continue;
    }
    /* Wing Loong II: a run of capitalised words and a Roman numeral. */
    if (t->kind == TK_WORD && t->len >= 2 && t->len <= 4 && /* S_roman's */
        (s[0] == 'I' || s[0] == 'V') && IN(L_ROMAN, s, t->len) && i > 0 &&
        (i + 1 >= n || R(i + 1).kind != TK_WORD || R(i + 1).nl ||
         !S_initcap(d, &R(i + 1)) || true)) {
      size_t b = i;
      while (b > 0 && i - b < 3 && R(b - 1).kind == TK_WORD &&
             S_initcap(d, &R(b - 1)) && R(b).nl == 0 &&
             !IN(L_MODEL_STOP, d->t.p + R(b - 1).off, R(b - 1).len) &&
             !(R(b - 1).flags & TF_BULLET))
        b--;
      if (b < i) {
        S_merge(r, &o, &k, &n, b, i + 1, TK_MODEL);
        continue;
      }
    }
    r[o++] = r[k++]; /* nothing to merge: done as it is */
  }
  v->len = o;
}
#undef R

/* ---- sentences ---------------------------------------------------------- */

static bool S_terminal(const ties_doc *d, const rtok *t) {
  if (t->kind != TK_PUNCT)
    return false;
  char c = d->t.p[t->off];
  if (c == '.' || c == '!' || c == '?')
    return true;
  return t->len == 3 && (unsigned char)c == 0xE2 &&
         (unsigned char)d->t.p[t->off + 1] == 0x80 &&
         (unsigned char)d->t.p[t->off + 2] == 0xA6; /* … */
}

static bool S_starts_sentence(const ties_doc *d, const rtok *t) {
  if (t->kind == TK_NUMBER || t->kind == TK_MONEY || t->kind == TK_MODEL)
    return true;
  if (t->kind == TK_PUNCT) {
    char c = d->t.p[t->off];
    return c == '"' || c == '(' || c == '[' || c == '\'' ||
           (unsigned char)c == 0xE2; /* “ ‘ */
  }
  if (t->kind == TK_SYMBOL)
    return true;
  return S_initcap(d, t);
}

static bool S_wrapped(const ties_doc *d) {
  /* Hard-wrapped text: most lines are 40-100 characters long. */
  size_t lines = 0, mid = 0, longl = 0;
  const char *p = d->t.p;
  for (size_t i = d->t.skip; i <= d->t.len;) {
    const char *nl = i < d->t.len ? memchr(p + i, '\n', d->t.len - i) : NULL;
    size_t end = nl ? (size_t)(nl - p) : d->t.len;
    size_t cur = end - i; /* characters: bytes that do not continue one */
    size_t q = i;
    for (; q + 8 <= end; q += 8) { /* 8 bytes at a time */
      uint64_t v;
      memcpy(&v, p + q, 8);
      /* bit 7 of each byte 10xxxxxx, summed by the multiplication */
      uint64_t cont = (v & ~(v << 1) & 0x8080808080808080ull) >> 7;
      cur -= (size_t)((cont * 0x0101010101010101ull) >> 56);
    }
    for (; q < end; q++)
      cur -= ((unsigned char)p[q] & 0xC0) == 0x80;
    if (cur > 0) {
      lines++;
      if (cur >= 40 && cur <= 100)
        mid++;
      else if (cur > 100)
        longl++;
    }
    i = end + 1;
  }
  return lines >= 5 && mid * 10 >= lines * 6 && longl * 10 < lines;
}

/* Length in characters of the line that contains byte off. */
static size_t S_line_len(const ties_doc *d, size_t off) {
  size_t a = off, b = off;
  while (a > d->t.skip && d->t.p[a - 1] != '\n')
    a--;
  while (b < d->t.len && d->t.p[b] != '\n')
    b++;
  size_t n = 0;
  for (size_t i = a; i < b; i++)
    if (((unsigned char)d->t.p[i] & 0xC0) != 0x80)
      n++;
  return n;
}

int tok_document(ties_doc *d) {
  pthread_once(&S_lset_once, S_lset_build);
  vec raw;
  vec_init(&raw, sizeof(rtok));
  /* about one token per 5 bytes of prose; vec_push grows it past that */
  vec_reserve(&raw, d->t.len / 5 + 16);
  scanner sc = {0};
  sc.s = (const unsigned char *)d->t.p;
  sc.len = d->t.len;
  sc.out = &raw;
  sc.max_tok = d->e->set.max_token_bytes;
  sc.d = d;
  S_scan(&sc, d->t.skip);
  if (sc.n_cut)
    diag_add(&d->diags, TIES_WARNING, TIES_ELIMIT, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0, "%zu token%s longer than %zu bytes cut (--max-token-bytes)",
             sc.n_cut, sc.n_cut == 1 ? "" : "s", sc.max_tok);
  S_merge_pass(d, &raw);

  bool wrapped = S_wrapped(d);
  size_t max_sent = d->e->set.max_sentence_tokens;
  ties_worker *w = d->w;
  rtok *r = raw.p;
  size_t n = raw.len;

  /* Word records and final tokens. */
  d->toks.len = 0;
  if (!vec_reserve(&d->toks, n)) {
    d->status = TIES_ENOMEM;
    vec_free(&raw);
    return d->status;
  }
  tok *toks = d->toks.p;
  for (size_t i = 0; i < n; i++)
    toks[i] = (tok){.off = r[i].off,
                    .len = r[i].len,
                    .kind = r[i].kind,
                    .flags = r[i].flags,
                    .mention = -1};
  d->toks.len = n;
  if (!worker_words(w, d->t.p, d->t.len, toks, n)) {
    d->status = TIES_ENOMEM;
    vec_free(&raw);
    return d->status;
  }

  /* Sentences and paragraphs. */
  uint32_t para = 0;
  size_t s0 = 0, n_split = 0;
  bool heading_next = false;
  for (size_t i = 0; i <= n; i++) {
    bool cut = false, new_para = false, heading = false, split = false;
    if (i == n) {
      cut = true;
      heading = s0 < n && !S_terminal(d, &r[n - 1]) &&
                !(r[n - 1].closer && n >= 2 && S_terminal(d, &r[n - 2]));
    } else if (i > s0) {
      const rtok *p = &r[i - 1], *t = &r[i];
      if (t->flags & TF_BULLET) {
        cut = new_para = true;
      } else if (t->nl >= 2) {
        cut = new_para = true;
      } else if (t->nl == 1) {
        bool short_line = S_line_len(d, p->off) < 40;
        if (!wrapped || short_line) {
          cut = new_para = true;
        } else if (S_terminal(d, p) && S_starts_sentence(d, t)) {
          cut = true;
        }
      } else if (S_terminal(d, p) && (t->flags & TF_SPACE_BEFORE) &&
                 S_starts_sentence(d, t)) {
        cut = true;
      } else if (p->closer && i >= 2 && S_terminal(d, &r[i - 2]) &&
                 (t->flags & TF_SPACE_BEFORE) && S_starts_sentence(d, t)) {
        cut = true;  /* ... end." Next */
      } else if (S_terminal(d, p) && d->t.p[p->off] == '.' && p->len == 1 &&
                 !(t->flags & TF_SPACE_BEFORE) && !(p->flags & TF_SPACE_BEFORE) &&
                 t->kind == TK_WORD && S_initcap(d, t) && i >= 2 &&
                 r[i - 2].kind == TK_WORD && r[i - 2].len >= 2 &&
                 utf8_is_lower((unsigned char)d->t.p[r[i - 2].off + r[i - 2].len - 1])) {
        cut = true;  /* "with China.Nepal's" — a missing space */
      } else if (p->kind == TK_ABBR && (t->flags & TF_SPACE_BEFORE)) {
        const char *a = d->t.p + p->off;
        size_t an = p->len - 1;
        bool maybe = IN(L_ABBR_MAYBE, a, an) ||
                     (p->len >= 4 && a[1] == '.'); /* U.S. */
        if (maybe && t->kind == TK_WORD &&
            IN(L_STARTERS, d->t.p + t->off, t->len))
          cut = true;
      }
      if (!cut && i - s0 >= max_sent) {
        cut = split = true;
        n_split++;
      }
      if (cut && t->nl >= 1 && !S_terminal(d, p) &&
          !(p->closer && i >= 2 && S_terminal(d, &r[i - 2])) &&
          !(p->kind == TK_PUNCT && (d->t.p[p->off] == ':' || d->t.p[p->off] == ';' ||
                                    d->t.p[p->off] == ',')))
        heading = true;
    }
    if (cut && i > s0) {
      sent *s = vec_push(&d->sents);
      if (!s) {
        d->status = TIES_ENOMEM;
        break;
      }
      s->t0 = (uint32_t)s0;
      s->t1 = (uint32_t)i;
      s->off = r[s0].off;
      s->end = r[i - 1].off + r[i - 1].len;
      s->para = para;
      if (heading || heading_next)
        s->flags |= SF_HEADING;
      if (r[s0].flags & TF_BULLET)
        s->flags |= SF_BULLET;
      if (split)
        s->flags |= SF_SPLIT;
      if (d->sents.len == 1 || DOC_SENT(d, d->sents.len - 2)->para != para)
        s->flags |= SF_LEAD;
      heading_next = false;
      s0 = i;
    }
    if (new_para)
      para++;
  }
  if (n_split)
    diag_add(&d->diags, TIES_WARNING, TIES_ELIMIT, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0,
             "%zu sentence%s longer than %zu tokens split "
             "(--max-sentence-tokens)",
             n_split, n_split == 1 ? "" : "s", max_sent);
  vec_free(&raw);
  return d->status;
}
