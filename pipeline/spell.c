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
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct speller {
  Hunhandle *us, *gb;
  const ties_engine *e;
  const struct spell_forms *forms; /* the engine's, once asked for */
  bool forms_tried;
  char tmp[256];
};

#define MAX_AFFIX 256   /* affix entries of the .aff file we expand */
#define MAX_COND 16     /* elements of an affix condition */

/* ---- the word forms of the American dictionary ---------------------------
 *
 * S_other_neighbour() asks whether any string one edit away from a word is
 * an en_US word: some 60 candidates per letter, almost none of them words.
 * Asking hunspell about each costs a couple of microseconds (its affix
 * search), which made a misspelt word near the vocabulary cost a third of a
 * millisecond. A Bloom filter of every form the dictionary can produce
 * answers "certainly not a word" with a few bit tests; only the rest go to
 * hunspell, so its answer still decides.
 *
 * The forms are the .dic entries with the .aff file's prefixes and suffixes
 * applied as hunspell applies them (a condition on the root, strip, add; a
 * prefix and a suffix together where both allow it), lower-cased. That is
 * the whole of what a dictionary like Debian's en_US can accept for a word
 * of letters; a dictionary using more of hunspell's language (long or
 * numeric flags, continuation classes, compounding of words of letters,
 * IGNORE, CIRCUMFIX...) gets no filter, and every candidate goes to
 * hunspell: slower, never different. The filter is built once per engine,
 * when first needed, and shared read-only by the workers. */

typedef struct affix {
  bool prefix, cross;
  char flag;
  char strip[16], add[24];
  uint8_t ncond;
  uint8_t cond[MAX_COND][32]; /* a bit per byte value 0..255 */
} affix;

struct spell_forms {
  pthread_mutex_t mu;
  int state;                  /* 0 not tried, 1 built, -1 not available */
  uint64_t *bits;
  uint64_t mask;              /* bit count - 1 (a power of two) */
  size_t nforms;
};

#define BLOOM_K 6

static void S_bloom_hashes(const char *w, size_t n, uint64_t *h1, uint64_t *h2) {
  uint64_t h = hash_bytes(w, n);
  *h1 = h;
  *h2 = (h >> 29 | h << 35) | 1;
}

static void S_bloom_add(struct spell_forms *f, const char *w, size_t n) {
  uint64_t h1, h2;
  S_bloom_hashes(w, n, &h1, &h2);
  for (int i = 0; i < BLOOM_K; i++) {
    uint64_t b = (h1 + (uint64_t)i * h2) & f->mask;
    f->bits[b >> 6] |= 1ull << (b & 63);
  }
}

static bool S_bloom_has(const struct spell_forms *f, const char *w, size_t n) {
  uint64_t h1, h2;
  S_bloom_hashes(w, n, &h1, &h2);
  for (int i = 0; i < BLOOM_K; i++) {
    uint64_t b = (h1 + (uint64_t)i * h2) & f->mask;
    if (!(f->bits[b >> 6] & (1ull << (b & 63))))
      return false;
  }
  return true;
}

/* A condition: ".", letters and [...] / [^...] groups. false if malformed. */
static bool S_cond_parse(affix *a, const char *c) {
  a->ncond = 0;
  if (strcmp(c, ".") == 0)
    return true;
  for (const unsigned char *p = (const unsigned char *)c; *p;) {
    if (a->ncond == MAX_COND)
      return false;
    uint8_t *set = a->cond[a->ncond++];
    memset(set, 0, 32);
    if (*p == '.') {
      memset(set, 0xff, 32);
      p++;
    } else if (*p == '[') {
      bool neg = p[1] == '^';
      p += neg ? 2 : 1;
      while (*p && *p != ']') {
        set[*p / 8] |= (uint8_t)(1u << (*p % 8));
        p++;
      }
      if (*p != ']')
        return false;
      p++;
      if (neg)
        for (int i = 0; i < 32; i++)
          set[i] = (uint8_t)~set[i];
    } else {
      set[*p / 8] |= (uint8_t)(1u << (*p % 8));
      p++;
    }
  }
  return true;
}

static bool S_cond_met(const affix *a, const char *w, size_t n) {
  if (a->ncond > n)
    return false;
  const unsigned char *s = (const unsigned char *)w + (a->prefix ? 0 : n - a->ncond);
  for (size_t i = 0; i < a->ncond; i++)
    if (!(a->cond[i][s[i] / 8] & (1u << (s[i] % 8))))
      return false;
  return true;
}

/* Apply a to w (n bytes) into out; its length, or -1 when it does not apply. */
static int S_affix_apply(const affix *a, const char *w, size_t n, char *out,
                         size_t cap) {
  size_t sl = strlen(a->strip), al = strlen(a->add);
  if (!S_cond_met(a, w, n) || sl >= n || n - sl + al >= cap)
    return -1;
  if (a->prefix) {
    if (memcmp(w, a->strip, sl) != 0)
      return -1;
    memcpy(out, a->add, al);
    memcpy(out + al, w + sl, n - sl);
  } else {
    if (memcmp(w + n - sl, a->strip, sl) != 0)
      return -1;
    memcpy(out, w, n - sl);
    memcpy(out + n - sl, a->add, al);
  }
  return (int)(n - sl + al);
}

static bool S_letters(const char *w, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
      return false;
  }
  return n > 0;
}

/* Read the affixes of aff; false when the file uses more than we expand. */
static bool S_aff_read(const char *path, affix *ax, size_t *nax, char *cflags,
                       size_t ncflags) {
  /* what does not change which words of letters are accepted */
  static const char *const harmless[] = {
      "SET", "TRY", "KEY", "ICONV", "OCONV", "REP", "MAP", "PHONE", "NOSUGGEST",
      "WORDCHARS", "FORBIDDENWORD", "KEEPCASE", "COMPOUNDMIN", "ONLYINCOMPOUND",
      "MAXNGRAMSUGS", "NOSPLITSUGS", "ONLYMAXDIFF", "MAXDIFF", "LANG", "NAME",
      "VERSION", "HOME", "AUTHOR", "SUBJECT", "LICENSE", "WARN", "FORCEUCASE",
      "MAXCPDSUGS", "SUGSWITHDOTS"};
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return false;
  char line[512];
  bool ok = true;
  *nax = 0;
  cflags[0] = 0;
  while (ok && fgets(line, sizeof line, fp)) {
    char *tk[6] = {0};
    int nt = 0;
    char *save = NULL; /* strtok_r: workers may build the filter on any thread */
    for (char *p = strtok_r(line, " \t\r\n", &save); p && nt < 6;
         p = strtok_r(NULL, " \t\r\n", &save))
      tk[nt++] = p;
    if (nt == 0 || tk[0][0] == '#')
      continue;
    bool sfx = strcmp(tk[0], "SFX") == 0, pfx = strcmp(tk[0], "PFX") == 0;
    if (sfx || pfx) {
      bool header = nt == 4 && (strcmp(tk[2], "Y") == 0 || strcmp(tk[2], "N") == 0) &&
                    strspn(tk[3], "0123456789") == strlen(tk[3]);
      if (nt < 4 || strlen(tk[1]) != 1) {
        ok = false;
      } else if (header) {
        /* the header: SFX flag cross count */
        for (size_t i = 0; i < *nax; i++)
          if (ax[i].flag == tk[1][0])
            ok = false; /* a flag declared twice */
        if (*nax < MAX_AFFIX) {
          ax[*nax].flag = tk[1][0];
          ax[*nax].prefix = pfx;
          ax[*nax].cross = tk[2][0] == 'Y';
          ax[*nax].strip[0] = 0; /* marks a header */
          ax[*nax].ncond = UINT8_MAX;
          (*nax)++;
        }
      } else {
        /* an entry: SFX flag strip add condition */
        if (*nax >= MAX_AFFIX || strchr(tk[3], '/') ||
            strlen(tk[2]) >= sizeof ax->strip || strlen(tk[3]) >= sizeof ax->add) {
          ok = false;
          continue;
        }
        bool cross = false, found = false;
        for (size_t i = 0; i < *nax; i++)
          if (ax[i].flag == tk[1][0] && ax[i].ncond == UINT8_MAX && ax[i].prefix == pfx) {
            cross = ax[i].cross;
            found = true;
          }
        affix *a = &ax[(*nax)++];
        a->flag = tk[1][0];
        a->prefix = pfx;
        a->cross = cross;
        snprintf(a->strip, sizeof a->strip, "%s", strcmp(tk[2], "0") ? tk[2] : "");
        snprintf(a->add, sizeof a->add, "%s", strcmp(tk[3], "0") ? tk[3] : "");
        if (!found || !S_cond_parse(a, nt > 4 ? tk[4] : "."))
          ok = false;
      }
    } else if (strcmp(tk[0], "COMPOUNDRULE") == 0) {
      /* the flags of compound parts: a word of letters must not carry one
       * (S_forms_build checks) */
      bool count = nt == 2 && strspn(tk[1], "0123456789") == strlen(tk[1]);
      for (int i = 1; i < nt && !count; i++)
        for (const char *c = tk[i]; *c; c++)
          if (*c != '*' && *c != '?' && *c != '(' && *c != ')' &&
              !strchr(cflags, *c) && strlen(cflags) + 1 < ncflags) {
            size_t l = strlen(cflags);
            cflags[l] = *c;
            cflags[l + 1] = 0;
          }
    } else {
      bool known = false;
      for (size_t i = 0; i < TIES_ARRAY_LEN(harmless) && !known; i++)
        known = strcmp(tk[0], harmless[i]) == 0 ||
                (tk[0][0] >= '0' && tk[0][0] <= '9'); /* counts of tables */
      /* the lines of REP, MAP... tables repeat their directive: known */
      if (!known)
        ok = false;
    }
  }
  fclose(fp);
  /* drop the headers */
  size_t k = 0;
  for (size_t i = 0; i < *nax; i++)
    if (ax[i].ncond != UINT8_MAX)
      ax[k++] = ax[i];
  *nax = k;
  return ok;
}

/* Every form of the dictionary, lower-cased, to fn; false if the .dic
 * cannot be read or uses what we do not expand. */
static bool S_dic_forms(const char *dic, const affix *ax, size_t nax,
                        const char *cflags,
                        void (*fn)(void *, const char *, size_t), void *ctx) {
  FILE *fp = fopen(dic, "rb");
  if (!fp)
    return false;
  char line[512], form[600], both[700];
  bool first = true, ok = true;
  while (ok && fgets(line, sizeof line, fp)) {
    if (first) { /* the count of entries */
      first = false;
      continue;
    }
    size_t n = strcspn(line, "/ \t\r\n");
    if (n == 0 || n > 200 || (n > 0 && line[n - 1] == '\\'))
      continue; /* empty, too long, or an escaped slash: not a word of letters */
    const char *flags = "";
    if (line[n] == '/') {
      line[n] = 0;
      flags = line + n + 1;
      line[n + 1 + strcspn(line + n + 1, " \t\r\n")] = 0;
    } else {
      line[n] = 0;
    }
    for (size_t i = 0; i < n; i++)
      if (line[i] >= 'A' && line[i] <= 'Z')
        line[i] = (char)(line[i] + 32);
    if (cflags[0] && S_letters(line, n) && strpbrk(flags, cflags)) {
      ok = false; /* a word of letters that compounds */
      break;
    }
    fn(ctx, line, n);
    for (const char *f = flags; *f; f++) {
      for (size_t i = 0; i < nax; i++) {
        const affix *a = &ax[i];
        if (a->flag != *f)
          continue;
        int m = S_affix_apply(a, line, n, form, sizeof form);
        if (m < 0)
          continue;
        fn(ctx, form, (size_t)m);
        if (!a->prefix || !a->cross)
          continue;
        /* the prefix with each suffix that allows it */
        for (const char *g = flags; *g; g++)
          for (size_t j = 0; j < nax; j++) {
            const affix *s = &ax[j];
            if (s->flag != *g || s->prefix || !s->cross)
              continue;
            char sx[600];
            int sm = S_affix_apply(s, line, n, sx, sizeof sx);
            if (sm < 0)
              continue;
            /* the prefix applies to the root; its strip is at the start */
            size_t sl = strlen(a->strip), al = strlen(a->add);
            if ((size_t)sm < sl || (size_t)sm - sl + al >= sizeof both)
              continue;
            memcpy(both, a->add, al);
            memcpy(both + al, sx + sl, (size_t)sm - sl);
            fn(ctx, both, (size_t)sm - sl + al);
          }
      }
    }
  }
  fclose(fp);
  return ok;
}

static void S_count_form(void *ctx, const char *w, size_t n) {
  (void)w;
  (void)n;
  ((struct spell_forms *)ctx)->nforms++;
}

static void S_add_form(void *ctx, const char *w, size_t n) {
  S_bloom_add(ctx, w, n);
}

static void S_forms_build(struct spell_forms *f, const char *dict_dir) {
  char aff[600], dic[600], cflags[64];
  snprintf(aff, sizeof aff, "%s/en_US.aff", dict_dir);
  snprintf(dic, sizeof dic, "%s/en_US.dic", dict_dir);
  affix *ax = malloc(MAX_AFFIX * sizeof *ax);
  size_t nax = 0;
  f->state = -1;
  f->nforms = 0;
  if (!ax || !S_aff_read(aff, ax, &nax, cflags, sizeof cflags) ||
      !S_dic_forms(dic, ax, nax, cflags, S_count_form, f)) {
    free(ax);
    return;
  }
  /* about 16 bits a form: under 1% false positives with 6 probes */
  uint64_t nbits = 1 << 16;
  while (nbits < (uint64_t)f->nforms * 16)
    nbits <<= 1;
  f->bits = calloc(nbits / 64, sizeof *f->bits);
  f->mask = nbits - 1;
  if (f->bits && S_dic_forms(dic, ax, nax, cflags, S_add_form, f))
    f->state = 1;
  free(ax);
}

struct spell_forms *spell_forms_new(void) {
  struct spell_forms *f = calloc(1, sizeof *f);
  if (f && pthread_mutex_init(&f->mu, NULL) != 0) {
    free(f);
    return NULL;
  }
  return f;
}

void spell_forms_free(struct spell_forms *f) {
  if (!f)
    return;
  pthread_mutex_destroy(&f->mu);
  free(f->bits);
  free(f);
}

/* Build the engine's filter now if it is not built yet: a batch does it
 * before its workers start, so that none of them asks hunspell meanwhile. */
void spell_forms_prepare(const ties_engine *e) {
  struct spell_forms *f = e->forms;
  if (!f)
    return;
  pthread_mutex_lock(&f->mu);
  if (f->state == 0)
    S_forms_build(f, e->dict_dir);
  pthread_mutex_unlock(&f->mu);
}

/* The engine's filter, built by the first worker that needs it; NULL when
 * the dictionary cannot be expanded (every candidate goes to hunspell).
 * While one worker builds it, the others do not wait: they ask hunspell,
 * which gives the same answers, and look again next time. */
static const struct spell_forms *S_forms(speller *sp) {
  if (sp->forms_tried)
    return sp->forms;
  struct spell_forms *f = sp->e ? sp->e->forms : NULL;
  if (!f) {
    sp->forms_tried = true;
    return NULL;
  }
  if (pthread_mutex_trylock(&f->mu) != 0)
    return NULL; /* being built */
  if (f->state == 0)
    S_forms_build(f, sp->e->dict_dir);
  pthread_mutex_unlock(&f->mu);
  sp->forms_tried = true;
  sp->forms = f->state == 1 ? f : NULL;
  return sp->forms;
}

/* May w be a word of the American dictionary? (false: certainly not) */
bool spell_maybe_word(speller *sp, const char *w, size_t n) {
  const struct spell_forms *f = S_forms(sp);
  return !f || S_bloom_has(f, w, n);
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

/* May w be in the correction vocabulary: lower-case ASCII letters, 5 to 40? */
static bool S_vocab_word_ok(const char *w, size_t n) {
  return n >= MIN_CORRECT_LEN && n <= 40 && S_ascii_lower_alpha(w, n);
}

void spell_vocab_add(ties_engine *e, const char *w, size_t n);
void spell_vocab_add(ties_engine *e, const char *w, size_t n) {
  if (!S_vocab_word_ok(w, n))
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
    /* what spell_vocab_add() would refuse, and what the dictionary's
     * forms rule out, is not asked of hunspell */
    size_t cn = strlen(cand);
    if (!S_vocab_word_ok(cand, cn) || !spell_maybe_word(w->spell, cand, cn) ||
        !Hunspell_spell(w->spell->us, cand))
      continue;
    const char *st = stem_word(w->stem, &tmp, cand, cn);
    if (st && strcmp(st, s) == 0)
      spell_vocab_add(e, cand, cn);
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
#define TRY()                                                                 \
  do {                                                                        \
    if (strcmp(c, except) != 0 && strcmp(c, w) != 0 &&                       \
        spell_maybe_word(sp, c, strlen(c)) && Hunspell_spell(sp->us, c))      \
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

/* libhunspell before 1.7.2 keeps a table shared by its objects with a
 * count that is not synchronised (csutil.cxx initialize_utf_tbl and
 * free_utf_tbl): two threads making or freeing dictionaries at once could
 * free it twice. Workers may be made and freed in any thread, so that is
 * done one at a time; checking words needs no lock. */
static pthread_mutex_t S_hunspell_mu = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&S_hunspell_mu);
    Hunhandle *h = Hunspell_create(aff, dic);
    pthread_mutex_unlock(&S_hunspell_mu);
    if (!h) {
      snprintf(err, errlen, "cannot load hunspell dictionary '%s'", dic);
      spell_free(sp);
      return NULL;
    }
    if (i == 0) {
      sp->us = h;
    } else {
      sp->gb = h;
    }
  }
  return sp;
}

void spell_free(speller *sp) {
  if (!sp)
    return;
  pthread_mutex_lock(&S_hunspell_mu);
  if (sp->us)
    Hunspell_destroy(sp->us);
  if (sp->gb)
    Hunspell_destroy(sp->gb);
  pthread_mutex_unlock(&S_hunspell_mu);
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
