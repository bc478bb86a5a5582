/*
 * spell.c — stage 4: one canonical spelling per word.
 *
 * hunspell (Debian's en_US and en_GB dictionaries) decides what a word is:
 *
 *   - known to en_US: kept;
 *   - known to en_GB only: a British or other variant. The American form is
 *     found by the systematic transformations of S_rules (defence → defense,
 *     organisation → organization, armoured → armored, programme → program,
 *     travelled → traveled, manoeuvre → maneuver) and a short table of
 *     irregular pairs (grey → gray), each candidate checked with en_US;
 *   - unknown, capitalised or a gazetteer word: a name, never changed;
 *   - unknown and lower case: a misspelling, corrected when there is one
 *     clear candidate: exactly one word of the matching vocabulary within
 *     one edit (deletion, insertion, substitution or transposition), and no
 *     other en_US word within one edit.
 *
 * The matching vocabulary is every word the rules and gazetteers use, plus
 * the dictionary forms of every rule stem (donat → donate, donated,
 * donation...). Corrections are made only where they can change a match:
 * that bounds the cost per new word type to a few hash lookups (a
 * symmetric-delete index, built once per engine), where hunspell's own
 * suggestion search costs tens of milliseconds a word. Workers call
 * spell_word() once per distinct surface form; the word cache remembers.
 *
 * The same goes for the dictionaries themselves: a word that no British
 * transformation applies to and that is not near a vocabulary word keeps its
 * spelling whatever hunspell says, so it is left as written without asking
 * (SP_UNCHECKED); whether it is known is looked up only when someone asks
 * (spell_status: the resolver's names, ties tag and explain).
 */
#include "ties_int.h"

#include <hunspell/hunspell.h>
#include <stdlib.h>
#include <string.h>

/* Letter trigrams of the American dictionary's words and their common
 * inflections ('{' marks the ends): a string with a trigram outside the set
 * is not a word, so S_other_neighbour() need not ask hunspell about it. */
#define TRI_N (27 * 27 * 27)

struct speller {
  Hunhandle *us, *gb;
  const ties_engine *e;
  uint8_t tri[TRI_N / 8 + 1];
  bool have_tri, tried_tri; /* built when first needed (S_other_neighbour) */
  char us_dic[600];
  char tmp[256];
};

static int S_tri_at(const char *w, size_t n, size_t i) {
  int a = i == 0 ? 26 : w[i - 1] - 'a';
  int b = w[i] - 'a';
  int c = i + 1 >= n ? 26 : w[i + 1] - 'a';
  return (a * 27 + b) * 27 + c;
}

/* The trigrams of w[from..n), with the ends marked only where the word has
 * its own ends (from == 0, and n). */
static void S_tri_add_from(speller *sp, const char *w, size_t n, size_t from) {
  for (size_t i = 0; i < n; i++)
    if (w[i] < 'a' || w[i] > 'z')
      return;
  for (size_t i = from; i < n; i++) {
    int t = S_tri_at(w, n, i);
    sp->tri[t / 8] |= (uint8_t)(1u << (t % 8));
  }
}

static void S_tri_add(speller *sp, const char *w, size_t n) { S_tri_add_from(sp, w, n, 0); }

/* Could w be a dictionary word, by its trigrams? */
static bool S_tri_ok(const speller *sp, const char *w, size_t n) {
  if (!sp->have_tri)
    return true;
  for (size_t i = 0; i < n; i++) {
    if (w[i] < 'a' || w[i] > 'z')
      return true;
    int t = S_tri_at(w, n, i);
    if (!(sp->tri[t / 8] & (1u << (t % 8))))
      return false;
  }
  return true;
}

static void S_tri_build(speller *sp, const char *dic) {
  static const char *const suf[] = {"s", "es", "ed", "d", "ing", "er", "ers", "est",
                                      "ly", "ness", "ment", "ion", "ions", "ation",
                                      "al", "ity", "ize", "ous"};
  FILE *f = fopen(dic, "rb");
  if (!f)
    return;
  char line[256], form[300];
  bool first = true;
  while (fgets(line, sizeof line, f)) {
    if (first) { /* the count of entries */
      first = false;
      continue;
    }
    size_t n = 0;
    while (line[n] && line[n] != '/' && line[n] != '\n' && line[n] != '\r' &&
           line[n] != '\t')
      n++;
    if (n == 0 || n > 200)
      continue;
    for (size_t i = 0; i < n; i++)
      if (line[i] >= 'A' && line[i] <= 'Z')
        line[i] = (char)(line[i] + 32);
    S_tri_add(sp, line, n);
    /* the inflected forms add only the trigrams from their last two stem
     * letters on: as is, without a final e or y→i, with a doubled letter */
    size_t at = n > 2 ? n - 2 : 0;
    for (size_t k = 0; k < TIES_ARRAY_LEN(suf); k++) {
      size_t sl = strlen(suf[k]);
      memcpy(form, line, n);
      memcpy(form + n, suf[k], sl);
      S_tri_add_from(sp, form, n + sl, at);
      if (n > 1 && (line[n - 1] == 'e' || line[n - 1] == 'y')) {
        size_t m = n - 1;
        if (line[n - 1] == 'y')
          form[m++] = 'i';
        memcpy(form + m, suf[k], sl);
        S_tri_add_from(sp, form, m + sl, at > 0 ? at - 1 : 0);
      }
      form[n] = line[n - 1];
      memcpy(form + n + 1, suf[k], sl);
      S_tri_add_from(sp, form, n + 1 + sl, at);
    }
  }
  fclose(f);
  sp->have_tri = true;
}

/* ---- the correction vocabulary (engine-wide, read-only once built) ---- */

typedef struct vlink {
  const char *word;
  struct vlink *next;
} vlink;

struct spell_vocab {
  arena ar;
  strmap del;     /* word or one-deletion of it → vlink list */
  strmap words;   /* the vocabulary itself */
  size_t n;
};

static void S_add_del(struct spell_vocab *v, const char *key, size_t n,
                      const char *word) {
  void **slot = strmap_slot(&v->del, key, n, &v->ar);
  if (!slot)
    return;
  for (vlink *l = *slot; l; l = l->next)
    if (l->word == word)
      return;
  vlink *l = arena_alloc(&v->ar, sizeof *l);
  if (!l)
    return;
  l->word = word;
  l->next = *slot;
  *slot = l;
}

static bool S_ascii_lower_alpha(const char *w, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (w[i] < 'a' || w[i] > 'z')
      return false;
  return true;
}

#define MIN_CORRECT_LEN 5

void spell_vocab_add(ties_engine *e, const char *w, size_t n);
void spell_vocab_add(ties_engine *e, const char *w, size_t n) {
  if (n < MIN_CORRECT_LEN || n > 40 || !S_ascii_lower_alpha(w, n))
    return;
  struct spell_vocab *v = e->vocab;
  if (!v) {
    v = calloc(1, sizeof *v);
    if (!v)
      return;
    arena_init(&v->ar);
    e->vocab = v;
  }
  void **slot = strmap_slot(&v->words, w, n, &v->ar);
  if (!slot || *slot)
    return;
  char *word = arena_strndup(&v->ar, w, n);
  if (!word)
    return;
  *slot = word;
  v->n++;
  S_add_del(v, w, n, word);
  char key[64];
  for (size_t i = 0; i < n; i++) {
    memcpy(key, w, i);
    memcpy(key + i, w + i + 1, n - i - 1);
    S_add_del(v, key, n - 1, word);
  }
}

/* Add the dictionary forms of a stem: s + common suffixes whose stem is s. */
void spell_vocab_add_stem(ties_engine *e, ties_worker *w, const char *s);
void spell_vocab_add_stem(ties_engine *e, ties_worker *w, const char *s) {
  static const char *const suf[] = {
      "", "e", "s", "es", "ed", "ing", "er", "ers", "ion", "ions", "ation",
      "ations", "ment", "ments", "ement", "ements", "y", "ies", "ied", "ize",
      "ized", "izes", "izing", "ism", "al", "ence", "ance", "ive", "ity",
      "ity", "or", "ors", "ery", "eries", "ate", "ated", "ates", "ating",
      "ance", "ances", "ant", "ants", "ist", "ists", "ic"};
  size_t n = strlen(s);
  if (n == 0 || n > 40 || !w || !w->spell)
    return;
  char cand[64];
  arena tmp;
  arena_init(&tmp);
  for (size_t i = 0; i < TIES_ARRAY_LEN(suf) + 3; i++) {
    if (i < TIES_ARRAY_LEN(suf)) {
      snprintf(cand, sizeof cand, "%s%s", s, suf[i]);
    } else if (i == TIES_ARRAY_LEN(suf)) { /* shipped */
      snprintf(cand, sizeof cand, "%s%ced", s, s[n - 1]);
    } else if (i == TIES_ARRAY_LEN(suf) + 1) { /* shipping */
      snprintf(cand, sizeof cand, "%s%cing", s, s[n - 1]);
    } else { /* suppli → supply */
      if (s[n - 1] != 'i')
        continue;
      snprintf(cand, sizeof cand, "%.*sy", (int)(n - 1), s);
    }
    if (!Hunspell_spell(w->spell->us, cand))
      continue;
    const char *st = stem_word(w->stem, &tmp, cand, strlen(cand));
    if (st && strcmp(st, s) == 0)
      spell_vocab_add(e, cand, strlen(cand));
  }
  arena_free(&tmp);
}

void spell_vocab_free(struct spell_vocab *v);
void spell_vocab_free(struct spell_vocab *v) {
  if (!v)
    return;
  strmap_free(&v->del);
  strmap_free(&v->words);
  arena_free(&v->ar);
  free(v);
}

size_t spell_vocab_size(const ties_engine *e);
size_t spell_vocab_size(const ties_engine *e) {
  return e->vocab ? e->vocab->n : 0;
}

/* Optimal string alignment distance, capped: returns > cap early. */
static int S_osa(const char *a, size_t n, const char *b, size_t m, int cap) {
  if ((n > m ? n - m : m - n) > (size_t)cap)
    return cap + 1;
  int d[42][42];
  if (n > 40 || m > 40)
    return cap + 1;
  for (size_t i = 0; i <= n; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    int rowmin = 1 << 20;
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v)
        v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v)
        v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
      if (v < rowmin)
        rowmin = v;
    }
    if (rowmin > cap)
      return cap + 1;
  }
  return d[n][m];
}

/* The one vocabulary word within one edit of w, or NULL. */
static const char *S_vocab_candidate(const struct spell_vocab *v, const char *w,
                                     size_t n) {
  const char *found = NULL;
  char key[64];
  if (n >= sizeof key)
    return NULL; /* longer than any word of the vocabulary */
  for (size_t i = 0; i <= n; i++) {
    size_t kn;
    if (i == n) {
      memcpy(key, w, n);
      kn = n;
    } else {
      memcpy(key, w, i);
      memcpy(key + i, w + i + 1, n - i - 1);
      kn = n - 1;
    }
    for (const vlink *l = strmap_get(&v->del, key, kn); l; l = l->next) {
      if (found == l->word)
        continue;
      if (S_osa(w, n, l->word, strlen(l->word), 1) != 1)
        continue;
      if (found)
        return NULL; /* two candidates: not clear */
      found = l->word;
    }
  }
  return found;
}

/* Is there an en_US word other than except within one edit of w? */
static bool S_other_neighbour(speller *sp, const char *w, size_t n,
                              const char *except) {
  char c[64];
  if (n + 2 > sizeof c)
    return true;
  if (!sp->tried_tri) {
    sp->tried_tri = true;
    S_tri_build(sp, sp->us_dic);
  }
#define TRY()                                                                 \
  do {                                                                        \
    if (strcmp(c, except) != 0 && strcmp(c, w) != 0 &&                       \
        S_tri_ok(sp, c, strlen(c)) && Hunspell_spell(sp->us, c))              \
      return true;                                                            \
  } while (0)
  for (size_t i = 0; i < n; i++) { /* deletions */
    memcpy(c, w, i);
    memcpy(c + i, w + i + 1, n - i);
    TRY();
  }
  for (size_t i = 0; i + 1 < n; i++) { /* transpositions */
    memcpy(c, w, n + 1);
    char t = c[i];
    c[i] = c[i + 1];
    c[i + 1] = t;
    TRY();
  }
  for (size_t i = 0; i < n; i++) { /* substitutions */
    memcpy(c, w, n + 1);
    for (char ch = 'a'; ch <= 'z'; ch++) {
      if (ch == w[i])
        continue;
      c[i] = ch;
      TRY();
    }
  }
  for (size_t i = 0; i <= n; i++) { /* insertions */
    memcpy(c, w, i);
    memcpy(c + i + 1, w + i, n - i + 1);
    for (char ch = 'a'; ch <= 'z'; ch++) {
      c[i] = ch;
      TRY();
    }
  }
#undef TRY
  return false;
}

/* Is c the word w with two adjacent letters swapped, or with a doubled
 * letter made single? */
static bool S_slip(const char *w, size_t n, const char *c) {
  size_t m = strlen(c);
  if (m == n) {
    size_t i = 0;
    while (i < n && w[i] == c[i])
      i++;
    return i + 1 < n && w[i] == c[i + 1] && w[i + 1] == c[i] &&
           !strcmp(w + i + 2, c + i + 2);
  }
  if (n == m + 1) {
    for (size_t i = 1; i < n; i++)
      if (w[i] == w[i - 1] && !strncmp(w, c, i) && !strcmp(w + i + 1, c + i))
        return true;
  }
  return false;
}

/* ---- British → American ------------------------------------------------ */

typedef struct xform {
  const char *from, *to;
  bool suffix; /* only at the end of the word */
  uint8_t fl, tl; /* their lengths */
} xform;
#define X(f, t, suf) {f, t, suf, sizeof f - 1, sizeof t - 1}

static const xform S_rules[] = {
    X("isation", "ization", false), X("isations", "izations", true),
    X("ise", "ize", true),          X("ised", "ized", true),
    X("ises", "izes", true),        X("ising", "izing", true),
    X("iser", "izer", true),        X("isers", "izers", true),
    X("yse", "yze", true),          X("ysed", "yzed", true),
    X("ysing", "yzing", true),      X("our", "or", false),
    X("ence", "ense", true),        X("ences", "enses", true),
    X("re", "er", true),            X("res", "ers", true),
    X("red", "ered", true),         X("ring", "ering", true),
    X("ogue", "og", true),          X("ogues", "ogs", true),
    X("mme", "m", true),            X("mmes", "ms", true),
    X("lled", "led", true),         X("lling", "ling", true),
    X("ller", "ler", true),         X("llers", "lers", true),
    X("llor", "lor", true),         X("llors", "lors", true),
    X("ae", "e", false),            X("oe", "e", false),
    X("ement", "ment", true),       X("ements", "ments", true),
    X("eing", "ing", true),         X("fil", "fill", true),
    X("fils", "fills", true),       X("rol", "roll", true),
    X("rols", "rolls", true),       X("ilful", "illful", true),
    X("ce", "se", true),
};

static const char *const S_irregular[][2] = {
    {"grey", "gray"},           {"greys", "grays"},
    {"aluminium", "aluminum"},  {"tyre", "tire"},
    {"tyres", "tires"},         {"plough", "plow"},
    {"kerb", "curb"},           {"cheque", "check"},
    {"cheques", "checks"},      {"storey", "story"},
    {"storeys", "stories"},     {"draught", "draft"},
    {"mould", "mold"},          {"smoulder", "smolder"},
    {"sceptic", "skeptic"},     {"sceptical", "skeptical"},
    {"scepticism", "skepticism"}, {"gaol", "jail"},
    {"pyjamas", "pajamas"},     {"whilst", "while"},
    {"amongst", "among"},       {"learnt", "learned"},
    {"burnt", "burned"},        {"spelt", "spelled"},
    {"dreamt", "dreamed"},      {"artefact", "artifact"},
    {"artefacts", "artifacts"}, {"jewellery", "jewelry"},
    {"sulphur", "sulfur"},      {"practise", "practice"},
    {"practised", "practiced"}, {"practising", "practicing"},
    {"enquiry", "inquiry"},     {"enquiries", "inquiries"},
    {"enquire", "inquire"},     {"manoeuvre", "maneuver"},
    {"manoeuvres", "maneuvers"}, {"manoeuvred", "maneuvered"},
    {"manoeuvring", "maneuvering"}, {"ageing", "aging"},
    {"judgement", "judgment"},  {"acknowledgement", "acknowledgment"},
    {"coastguard", "coast guard"},
};

/* Does any transformation apply to w? (spell_variants() would write some.) */
static bool S_has_variant(const char *w, size_t n) {
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_irregular); i++)
    if (S_irregular[i][0][0] == w[0] && strcmp(w, S_irregular[i][0]) == 0)
      return true;
  for (size_t r = 0; r < TIES_ARRAY_LEN(S_rules); r++) {
    const xform *x = &S_rules[r];
    size_t fl = x->fl;
    if (fl > n)
      continue;
    if (x->suffix ? memcmp(w + n - fl, x->from, fl) == 0 : strstr(w, x->from) != NULL)
      return true;
  }
  return false;
}

/* out = w with the fl bytes at pos replaced by to (the caller checked that
 * it fits in 64 bytes). */
static void S_splice(char *out, const char *w, size_t n, size_t pos, size_t fl,
                     const char *to, size_t tl) {
  memcpy(out, w, pos);
  memcpy(out + pos, to, tl);
  memcpy(out + pos + tl, w + pos + fl, n - pos - fl);
  out[n - fl + tl] = 0;
}

int spell_variants(const char *w, char out[][64], int max) {
  int k = 0;
  size_t n = strlen(w);
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_irregular) && k < max; i++)
    if (strcmp(w, S_irregular[i][0]) == 0)
      snprintf(out[k++], 64, "%s", S_irregular[i][1]);
  /* One transformation, then a second on each result. */
  int first = k;
  for (size_t r = 0; r < TIES_ARRAY_LEN(S_rules) && k < max; r++) {
    const xform *x = &S_rules[r];
    size_t fl = x->fl, tl = x->tl;
    if (fl > n)
      continue;
    for (size_t pos = x->suffix ? n - fl : 0; pos + fl <= n; pos++) {
      if (memcmp(w + pos, x->from, fl) != 0)
        continue;
      if (n - fl + tl + 1 > 64 || k >= max)
        break;
      S_splice(out[k++], w, n, pos, fl, x->to, tl);
      if (x->suffix)
        break;
    }
  }
  int one = k;
  for (int c = first; c < one && k < max; c++) {
    char base[64];
    snprintf(base, sizeof base, "%s", out[c]);
    size_t bn = strlen(base);
    for (size_t r = 0; r < TIES_ARRAY_LEN(S_rules) && k < max; r++) {
      const xform *x = &S_rules[r];
      size_t fl = x->fl, tl = x->tl;
      if (fl > bn)
        continue;
      size_t pos = x->suffix ? bn - fl : 0;
      for (; pos + fl <= bn; pos++) {
        if (memcmp(base + pos, x->from, fl) != 0)
          continue;
        if (bn - fl + tl + 1 > 64)
          break;
        S_splice(out[k++], base, bn, pos, fl, x->to, tl);
        break;
      }
    }
  }
  return k;
}

/* ---- the speller ------------------------------------------------------- */

speller *spell_new(const ties_engine *e, const char *dict_dir, char *err,
                   size_t errlen) {
  speller *sp = calloc(1, sizeof *sp);
  if (!sp) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  sp->e = e;
  char aff[600], dic[600];
  static const char *const langs[2] = {"en_US", "en_GB"};
  for (int i = 0; i < 2; i++) {
    snprintf(aff, sizeof aff, "%s/%s.aff", dict_dir, langs[i]);
    snprintf(dic, sizeof dic, "%s/%s.dic", dict_dir, langs[i]);
    FILE *f = fopen(dic, "rb");
    if (!f) {
      snprintf(err, errlen,
               "cannot open hunspell dictionary '%s' (install hunspell-%s, "
               "or set --dict-dir)",
               dic, i == 0 ? "en-us" : "en-gb");
      spell_free(sp);
      return NULL;
    }
    fclose(f);
    Hunhandle *h = Hunspell_create(aff, dic);
    if (!h) {
      snprintf(err, errlen, "cannot load hunspell dictionary '%s'", dic);
      spell_free(sp);
      return NULL;
    }
    if (i == 0) {
      sp->us = h;
      snprintf(sp->us_dic, sizeof sp->us_dic, "%s", dic);
    } else {
      sp->gb = h;
    }
  }
  return sp;
}

void spell_free(speller *sp) {
  if (!sp)
    return;
  if (sp->us)
    Hunspell_destroy(sp->us);
  if (sp->gb)
    Hunspell_destroy(sp->gb);
  free(sp);
}

static bool S_alpha_word(const char *w, size_t n) {
  /* letters (any script) only, an internal hyphen at most */
  const unsigned char *u = (const unsigned char *)w;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int k = utf8_decode(u + i, n - i, &cp);
    if (cp < 0 || !(utf8_is_letter(cp) || utf8_class(cp) == CC_MARK))
      return false;
    i += (size_t)k;
  }
  return n > 0;
}

const char *spell_word(speller *sp, arena *a, const char *lower, size_t n,
                       bool capitalised, bool gazetteer_word, uint8_t *how) {
  if (n == 0 || n >= sizeof sp->tmp || !S_alpha_word(lower, n)) {
    *how = SP_NONE;
    return lower;
  }
  memcpy(sp->tmp, lower, n);
  sp->tmp[n] = 0;
  const char *w = sp->tmp;
  /* The dictionaries only matter where the spelling can change: a British
   * form (a transformation applies) or a near vocabulary word. Elsewhere the
   * word stays as written, and whether it is known is looked up only when
   * asked (spell_status), so a new word costs a few hash lookups, not
   * hunspell's affix search. */
  bool variant = S_has_variant(w, n);
  const struct spell_vocab *v = sp->e ? sp->e->vocab : NULL;
  const char *c = NULL;
  /* the vocabulary holds words of at most 40 letters (spell_vocab_add) */
  if (!capitalised && !gazetteer_word && v && n >= MIN_CORRECT_LEN && n <= 41 &&
      S_ascii_lower_alpha(w, n))
    c = S_vocab_candidate(v, w, n);
  if (!variant && !c) {
    *how = SP_UNCHECKED;
    return lower;
  }
  char cand[24][64];
  int k = variant ? spell_variants(w, cand, 24) : 0;
  if (Hunspell_spell(sp->us, w)) {
    *how = SP_KNOWN;
    return lower;
  }
  if (Hunspell_spell(sp->gb, w)) {
    for (int i = 0; i < k; i++) {
      if (Hunspell_spell(sp->us, cand[i])) {
        *how = SP_VARIANT;
        return arena_strdup(a, cand[i]);
      }
    }
    *how = SP_KNOWN;
    return lower;
  }
  if (capitalised || gazetteer_word) {
    *how = SP_NAME;
    return lower;
  }
  if (c) {
    /* Typing slips (two letters swapped, a letter doubled) are clear on
     * their own; other edits only when no other word is one edit away. */
    if (c && Hunspell_spell(sp->us, c) &&
        (S_slip(w, n, c) || !S_other_neighbour(sp, w, n, c))) {
      *how = SP_CORRECTED;
      return c; /* owned by the engine's vocabulary */
    }
  }
  *how = SP_UNKNOWN;
  return lower;
}

uint8_t spell_status(speller *sp, const char *lower, size_t n, bool capitalised,
                     bool gazetteer_word) {
  if (n == 0 || n >= sizeof sp->tmp || !S_alpha_word(lower, n))
    return SP_NONE;
  memcpy(sp->tmp, lower, n);
  sp->tmp[n] = 0;
  /* no British transformation applies (spell_word): known to either is known */
  if (Hunspell_spell(sp->us, sp->tmp) || Hunspell_spell(sp->gb, sp->tmp))
    return SP_KNOWN;
  return capitalised || gazetteer_word ? SP_NAME : SP_UNKNOWN;
}

bool spell_known(speller *sp, const char *w) {
  return Hunspell_spell(sp->us, w) || Hunspell_spell(sp->gb, w);
}
