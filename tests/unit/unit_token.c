/* unit_token.c — the tokenizer and sentence splitter, case by case. */
#include "helpers.h"

typedef struct tcase {
  const char *text;
  const char *token;    /* a token expected, by surface */
  const char *kind;     /* its kind */
  const char *why;      /* the bug it guards */
} tcase;

static const tcase S_tokens[] = {
    {"Beijing donated USD 1 million in equipment.", "USD 1 million", "money",
     "currency code, number and magnitude are one amount"},
    {"worth $7.3 million to Manila", "$7.3 million", "money", "symbol money"},
    {"pledged CNY 150 million in aid", "CNY 150 million", "money", "CNY"},
    {"Turkey got US$5 billion", "US$5 billion", "money", "US$ prefix"},
    {"a 150 million yuan grant", "150 million yuan", "money", "trailing currency word"},
    {"two Type 053H3 frigates", "Type 053H3", "model", "Type + designation"},
    {"the S-400 system", "S-400", "model", "hyphenated designation"},
    {"the H-6N bomber", "H-6N", "model", "letter-digit-letter"},
    {"the DF-17 missile", "DF-17", "model", "DF series"},
    {"nine Wing Loong II drones", "Wing Loong II", "model", "Roman numeral ends a name"},
    {"the U.S. Navy", "U.S.", "abbrev", "dotted initialism"},
    {"Gen. Li Zuocheng spoke.", "Gen.", "abbrev", "title abbreviation"},
    {"China's navy", "'s", "possessive", "possessive split"},
    {"China\xe2\x80\x99s navy", "\xe2\x80\x99s", "possessive", "curly apostrophe"},
    {"Abbas' visit to Beijing", "'", "possessive", "plural possessive"},
    {"Beijing didn't sign", "n't", "word", "negation split"},
    {"in C\xc3\xb4te d'Ivoire", "d'Ivoire", "word", "inner apostrophe kept"},
    {"1,058 personnel", "1,058", "number", "thousands separator"},
    {"the 24th task force", "24th", "number", "ordinal"},
    {"April 16-25", "16-25", "number", "day range"},
};

static void test_token_kinds(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof S_tokens / sizeof S_tokens[0]; i++) {
    const tcase *c = &S_tokens[i];
    ties_doc *d = T_doc(c->text, NULL);
    assert_non_null(d);
    int found = 0;
    for (size_t k = 0; k < ties_doc_n_tokens(d); k++) {
      ties_token t;
      ties_doc_token(d, k, &t);
      size_t n = t.end - t.start;
      if (n == strlen(c->token) && !memcmp(c->text + t.start, c->token, n)) {
        if (strcmp(t.kind, c->kind) != 0)
          fail_msg("%s: '%s' is a %s, expected %s (%s)", c->text, c->token,
                   t.kind, c->kind, c->why);
        found = 1;
      }
    }
    if (!found)
      fail_msg("%s: no token '%s' (%s)", c->text, c->token, c->why);
    ties_doc_free(d);
  }
}

typedef struct scase {
  const char *text;
  size_t sentences;
  const char *why;
} scase;

static const scase S_sentences[] = {
    {"Gen. Li met Dec. 5 officials. No. 6 arrived.", 2, "abbreviations do not end sentences"},
    {"It came from the U.S. and Japan.", 1, "an initialism inside a sentence"},
    {"extradition treaty with China.Nepal's government decided.", 2, "missing space after a period"},
    {"Military Aid\n\nChina donated arms to Nepal.", 2, "a heading is its own sentence"},
    {"\xe2\x80\xa2 First point here.\n\xe2\x80\xa2 Second point here.", 2, "bullet lines"},
    {"He said \"no.\" Then he left.", 2, "a period inside a closing quote"},
    {"China's army, e.g. the PLA, trains.", 1, "e.g."},
};

static void test_sentences(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof S_sentences / sizeof S_sentences[0]; i++) {
    const scase *c = &S_sentences[i];
    ties_doc *d = T_doc(c->text, NULL);
    if (ties_doc_n_sentences(d) != c->sentences)
      fail_msg("%s: %zu sentences, expected %zu (%s)", c->text,
               ties_doc_n_sentences(d), c->sentences, c->why);
    ties_doc_free(d);
  }
  ties_doc *d = T_doc("Military Aid\n\nChina donated arms to Nepal.", NULL);
  assert_true(ties_doc_sentence(d, 0)->heading);
  assert_false(ties_doc_sentence(d, 1)->heading);
  ties_doc_free(d);
}

static void test_offsets_survive_bad_bytes(void **state) {
  (void)state;
  /* an invalid byte before the word: offsets still index the input */
  const char text[] = "Bad \xff byte then Serbia.";
  ties_doc *d = T_doc(text, NULL);
  int seen = 0;
  for (size_t k = 0; k < ties_doc_n_tokens(d); k++) {
    ties_token t;
    ties_doc_token(d, k, &t);
    if (!strcmp(t.surface, "Serbia")) {
      assert_int_equal(t.start, 16);
      assert_memory_equal(text + t.start, "Serbia", 6);
      seen = 1;
    }
  }
  assert_true(seen);
  assert_true(ties_doc_n_diags(d) >= 1);
  assert_non_null(strstr(ties_doc_diag(d, 0)->message, "invalid UTF-8"));
  assert_int_equal(ties_doc_diag(d, 0)->byte, 4);
  ties_doc_free(d);
}

static void test_long_sentence_split(void **state) {
  (void)state;
  /* 3000 words with no period: split at the sentence limit, with a warning */
  size_t n = 3000 * 5;
  char *s = malloc(n + 1);
  for (size_t i = 0; i < 3000; i++)
    memcpy(s + i * 5, "word ", 5);
  s[n] = 0;
  ties_doc *d = T_doc(s, NULL);
  assert_int_equal(ties_doc_status(d), TIES_OK);
  assert_true(ties_doc_n_sentences(d) >= 3);
  int warned = 0;
  for (size_t i = 0; i < ties_doc_n_diags(d); i++)
    if (strstr(ties_doc_diag(d, i)->message, "split"))
      warned = 1;
  assert_true(warned);
  ties_doc_free(d);
  free(s);
}

/* The word cache (worker_word) tells keys apart by their length, kind and
 * first 16 bytes, and compares longer keys in full. */
static void test_word_cache(void **state) {
  (void)state;
  ties_worker *w = ties_worker_new(T_engine);
  assert_non_null(w);
  uint16_t rw;
  /* keys of every length up to 40 bytes, and the same keys with one byte
   * changed at each position: all distinct records, found again after
   * the table has grown */
  enum { MAXLEN = 40 };
  const wordrec *rec[MAXLEN + 1][MAXLEN];
  char key[MAXLEN + 1];
  for (int pass = 0; pass < 2; pass++) {
    for (size_t n = 1; n <= MAXLEN; n++) {
      for (size_t at = 0; at < n; at++) {
        memset(key, 'a', n);
        key[at] = 'b';
        const wordrec *r = worker_word(w, key, n, TK_WORD, &rw);
        assert_non_null(r);
        assert_int_equal(strlen(r->surface), n);
        assert_memory_equal(r->surface, key, n);
        assert_int_equal(rw, r->rw);
        if (pass == 0)
          rec[n][at] = r;
        else
          assert_ptr_equal(r, rec[n][at]);
      }
    }
    /* enough other words to grow the table between the passes */
    for (int i = 0; pass == 0 && i < 3000; i++) {
      snprintf(key, sizeof key, "w%dx", i);
      assert_non_null(worker_word(w, key, strlen(key), TK_WORD, &rw));
    }
  }
  /* the kind is part of the key */
  const wordrec *a = worker_word(w, "US", 2, TK_WORD, &rw);
  const wordrec *b = worker_word(w, "US", 2, TK_ABBR, &rw);
  assert_ptr_not_equal(a, b);
  assert_ptr_equal(a, worker_word(w, "US", 2, TK_WORD, &rw));
  /* forms that normalise alike share the record of the normal form */
  const wordrec *plain = worker_word(w, "don't", 5, TK_WORD, &rw);
  assert_ptr_equal(plain, worker_word(w, "don\xe2\x80\x99t", 7, TK_WORD, &rw));
  assert_string_equal(plain->surface, "don't");
  /* a form as written is found again (its own slot, up to 16 bytes), also
   * before its normal form is ever seen and after the table has grown,
   * and stays apart from the same bytes as a normal form or another kind */
  static const char *const written[] = {
      "won\xe2\x80\x99t", "`quoted`", "C\xc3\xb4te", "C\x6f\xcc\x82te",
      "\xe2\x80\x9c", "\xe2\x80\x94",
      "twenty\xe2\x80\x99s-long-form", /* over 16 bytes: not kept as written */
      "sixteen\xe2\x80\x99" "bytes.", "fifteen\xe2\x80\x99" "bytes"};
  const wordrec *first[sizeof written / sizeof *written][2];
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < sizeof written / sizeof *written; i++) {
      for (int k = 0; k < 2; k++) {
        int kind = k ? TK_ABBR : TK_WORD;
        size_t n = strlen(written[i]);
        buf nb = BUF_INIT;
        utf8_normalize(&nb, written[i], n);
        const wordrec *r = worker_word(w, written[i], n, kind, &rw);
        assert_non_null(r);
        assert_int_equal(rw, r->rw);
        assert_string_equal(r->surface, buf_cstr(&nb));
        /* the record of the normal form, by that form */
        assert_ptr_equal(r, worker_word(w, nb.p, nb.len, kind, &rw));
        assert_ptr_equal(r, worker_word(w, written[i], n, kind, &rw));
        if (pass == 0)
          first[i][k] = r;
        else
          assert_ptr_equal(r, first[i][k]);
        buf_free(&nb);
      }
      assert_ptr_not_equal(first[i][0], first[i][1]);
    }
    for (int i = 0; pass == 0 && i < 3000; i++) {
      snprintf(key, sizeof key, "v%d\xe2\x80\x99", i);
      assert_non_null(worker_word(w, key, strlen(key), TK_WORD, &rw));
    }
  }
  ties_worker_free(w);
}

/* worker_words reads the head and tail of a token inside the text without
 * branches on its length: for every length and position, near the ends
 * of the text too, it must find the records worker_word finds. */
static void test_word_batch(void **state) {
  (void)state;
  ties_worker *w = ties_worker_new(T_engine);
  assert_non_null(w);
  static const char text[] =
      "A an the Beijing's internationalisation `q` 1,058 abcdefghijklmnopq"
      " x y";
  enum { MAXLEN = 20 };
  size_t len = strlen(text), n = 0;
  tok *t = calloc(len * MAXLEN, sizeof *t);
  assert_non_null(t);
  for (size_t off = 0; off < len; off++)
    for (size_t k = 1; k <= MAXLEN && off + k <= len; k++)
      t[n++] = (tok){.off = (uint32_t)off, .len = (uint32_t)k,
                     .kind = k % 3 ? TK_WORD : TK_NUMBER, .mention = -1};
  /* twice: the records made, then the records found */
  for (int pass = 0; pass < 2; pass++) {
    assert_true(worker_words(w, text, len, t, n));
    for (size_t i = 0; i < n; i++) {
      uint16_t rw;
      const wordrec *r = worker_word(w, text + t[i].off, t[i].len, t[i].kind, &rw);
      if (r != t[i].w)
        fail_msg("'%.*s' (%u bytes at %u): worker_words and worker_word "
                 "disagree", (int)t[i].len, text + t[i].off, t[i].len,
                 t[i].off);
      assert_int_equal(rw, t[i].rw);
    }
  }
  free(t);
  ties_worker_free(w);
}

/* The tokenizer looks its word lists (abbreviations, currencies, ...) up
 * in a hash set: it must say what a search of the lists says. */
static void test_word_lists(void **state) {
  (void)state;
  assert_true(tok_lists_check());
}

/* text_span, as the obvious loop over code points would copy a span:
 * TEXT_BAD becomes U+FFFD, every run of spaces, controls and line breaks
 * one space, none at either end. */
static size_t T_span_ref(const unsigned char *u, size_t start, size_t end, char *out) {
  size_t n = 0;
  bool space = false;
  for (size_t i = start; i < end;) {
    int32_t cp;
    int k = u[i] == TEXT_BAD ? 1 : utf8_decode(u + i, end - i, &cp);
    int cc = u[i] == TEXT_BAD || cp < 0 ? CC_OTHER : utf8_class(cp);
    if (cc == CC_SPACE || cc == CC_NEWLINE) {
      space = n > 0;
    } else {
      if (space)
        out[n++] = ' ';
      space = false;
      if (u[i] == TEXT_BAD) {
        memcpy(out + n, "\xEF\xBF\xBD", 3);
        n += 3;
      } else {
        memcpy(out + n, u + i, (size_t)k);
        n += (size_t)k;
      }
    }
    i += (size_t)k;
  }
  out[n] = 0;
  return n;
}

static void test_text_span(void **state) {
  (void)state;
  /* pieces whose runs cover the plain-run path and its edges */
  static const char *const pieces[] = {"a", "Beijing", " ", "  ", "\t", "\n",
                                       "\r\n", ",", "\xc3\xa9", "\xc2\xa0",
                                       "\x1a", "\x01", "~", "\x7f", "(x)"};
  const size_t np = sizeof pieces / sizeof pieces[0];
  uint32_t seed = 12345;
  arena ar;
  arena_init(&ar);
  for (int round = 0; round < 20000; round++) {
    char text[256];
    size_t len = 0;
    int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
    for (int k = 0; k < n; k++) {
      const char *pc = pieces[((seed = seed * 1103515245u + 12345u) >> 16) % np];
      size_t pl = strlen(pc);
      memcpy(text + len, pc, pl);
      len += pl;
    }
    doctext t = {text, len, 0, 0};
    for (size_t a = 0; a <= len; a += 1 + len / 4)
      for (size_t b = a; b <= len; b += 1 + len / 5) {
        char want[1024];
        T_span_ref((const unsigned char *)text, a, b, want);
        const char *got = text_span(&ar, &t, a, b);
        assert_non_null(got);
        assert_string_equal(got, want);
      }
  }
  arena_free(&ar);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_span),
      cmocka_unit_test(test_token_kinds),
      cmocka_unit_test(test_sentences),
      cmocka_unit_test(test_offsets_survive_bad_bytes),
      cmocka_unit_test(test_long_sentence_split),
      cmocka_unit_test(test_word_cache),
      cmocka_unit_test(test_word_batch),
      cmocka_unit_test(test_word_lists),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
