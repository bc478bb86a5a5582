/*
 * resolve.c — stage 6: what each mention means in this document.
 *
 * After the gazetteer pass, per document:
 *
 *   1. dates ("23 February 2020", "December 18th", "June 2019", "2015") and
 *      money values; the document date from a dated heading, or --date;
 *   2. the main actor: the state mentioned most (orgs and people count for
 *      their state), or the one given with --main-actor;
 *   3. generic aliases ("the 24th task force") kept only in documents whose
 *      main actor is their entity's state;
 *   4. short names after the full name ("Wang" after "Wang Yi"), and a
 *      title with a family name ("President Xi") by role;
 *   5. titles absorbed into the person they introduce ("Iranian Foreign
 *      Minister Mohammad Javad Zarif", "Defense minister and CMC member Wei
 *      Fenghe");
 *   6. a title with a state and no name ("China's defense minister")
 *      resolved to the holder of that office on the document date;
 *   7. a state followed by a force or office ("Chinese troops", "the
 *      Bangladeshi Navy", "Kuwait's National Guard") is one mention of the
 *      state;
 *   8. he, she, they (and a sentence-initial "It") resolved to the subject
 *      of the sentence so far, or of the previous sentence in the
 *      paragraph (the centering heuristic).
 */
#include "ties_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the passes test of a word ----------------------------------------
 * Each word record keeps it packed (wordrec.rw, set by worker_word), and
 * each token a copy (tok.rw), so that the passes, which look at every
 * token several times, compare integers rather than strings and need not
 * read the record: in the low byte the id of the word's canonical spelling
 * among those below (RW_*), and the RB_* bits (ties_int.h). */
enum {
  RW_NONE = 0,
  RW_THE,
  RW_AND,
  RW_OF,
  RW_LPAREN,
  RW_RPAREN,
  RW_COMMA,
  RW_HYPHEN,
  RW_HE,
  RW_SHE,
  RW_THEY,
  RW_IT,
  RW_AUX,   /* any of S_aux */
  RW_DEF0   /* RW_DEF0 + k: the noun of S_definite[k] */
};

#define RW_ID(rw) ((int)((rw) & 0x7fu)) /* the other bits: RB_* */
_Static_assert(RW_THE == RW_ID_THE, "the matcher tests tok.rw for \"the\"");

static const char *const S_rwords[RW_AUX] = {
    [RW_THE] = "the", [RW_AND] = "and",    [RW_OF] = "of",
    [RW_LPAREN] = "(", [RW_RPAREN] = ")",  [RW_COMMA] = ",",
    [RW_HYPHEN] = "-", [RW_HE] = "he",     [RW_SHE] = "she",
    [RW_THEY] = "they", [RW_IT] = "it"};

/* After a sentence-initial "It", words that make it no pronoun. */
static const char *const S_aux[] = {
    "is", "was", "'s", "would", "will", "may", "might", "could",
    "should", "remains", "seems", "appears", "has", "had", "also",
    "can", "must", "does", "did", "is", "said", "says"};

/* Definite descriptions and the organisation kinds they refer to. */
static const struct {
  const char *noun;
  const char *kinds; /* ';'-separated org kinds */
} S_definite[] = {
    {"group", ";armed-group;hacking-group;"},
    {"hackers", ";hacking-group;"},
    {"militants", ";armed-group;"},
    {"insurgents", ";armed-group;"},
    {"organization", ";intl;"},
    {"bloc", ";intl;"},
    {"alliance", ";intl;"},
    {"grouping", ";intl;"},
    {"company", ";company;"},
    {"firm", ";company;"},
    {"shipbuilder", ";company;"},
    {"manufacturer", ";company;"},
    {"conglomerate", ";company;"},
    {"contractor", ";company;"},
};
_Static_assert(RW_DEF0 + sizeof S_definite / sizeof S_definite[0] <= 0x80,
               "a word id is 7 bits of tok.rw");

/* (no word is in two of the lists: a word has one id; the first list's,
 * should one be in two) */
static uint16_t S_word_id_scan(const char *norm) {
  for (uint16_t i = 1; i < RW_AUX; i++)
    if (!strcmp(norm, S_rwords[i]))
      return i;
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_aux); i++)
    if (!strcmp(norm, S_aux[i]))
      return RW_AUX;
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_definite); k++)
    if (!strcmp(norm, S_definite[k].noun))
      return (uint16_t)(RW_DEF0 + k);
  return RW_NONE;
}

/* The same from one table: asked once per new word type. */
static wordtab S_wtab;
static pthread_once_t S_wtab_once = PTHREAD_ONCE_INIT;

static void S_wtab_add(const char *w, uint16_t id) {
  if (!wordtab_get(&S_wtab, w))
    wordtab_add(&S_wtab, w, id); /* (a few dozen words: never full) */
}

static void S_wtab_build(void) {
  for (uint16_t i = 1; i < RW_AUX; i++)
    S_wtab_add(S_rwords[i], i);
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_aux); i++)
    S_wtab_add(S_aux[i], RW_AUX);
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_definite); k++)
    S_wtab_add(S_definite[k].noun, (uint16_t)(RW_DEF0 + k));
}

static uint16_t S_word_id(const char *norm) {
  pthread_once(&S_wtab_once, S_wtab_build);
  return (uint16_t)wordtab_get(&S_wtab, norm);
}

bool resolve_word_ids_check(void) {
  pthread_once(&S_wtab_once, S_wtab_build);
  static const char *const others[] = {"", "th", "thee", "The", "it's", "group s",
                                       "groups", "company.", "x"};
  for (uint16_t i = 1; i < RW_AUX; i++)
    if (S_word_id(S_rwords[i]) != S_word_id_scan(S_rwords[i]))
      return false;
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_aux); i++)
    if (S_word_id(S_aux[i]) != RW_AUX || S_word_id_scan(S_aux[i]) != RW_AUX)
      return false;
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_definite); k++)
    if (S_word_id(S_definite[k].noun) != S_word_id_scan(S_definite[k].noun))
      return false;
  for (size_t i = 0; i < TIES_ARRAY_LEN(others); i++)
    if (S_word_id(others[i]) != S_word_id_scan(others[i]))
      return false;
  return true;
}

uint16_t resolve_word_summary(const wordrec *r) {
  uint16_t rw = S_word_id(r->norm);
  if (rw == RW_HE || rw == RW_SHE || rw == RW_THEY || rw == RW_IT)
    rw |= RB_PRONOUN;
  else if (rw >= RW_DEF0)
    rw |= RB_DEFINITE;
  if (r->cls & WC_TITLE_FIRST)
    rw |= RB_TITLE_FIRST;
  if (r->shape & WS_INITCAP)
    rw |= RB_INITCAP;
  if (r->cls & WC_SHORT_STOP)
    rw |= RB_SHORT_STOP;
  if (WC_MONTH(r->cls))
    rw |= RB_MONTH;
  if (r->cls & WC_GAZ_FIRST)
    rw |= RB_GAZ_FIRST;
  return rw;
}

/* Is token i the word rid (RW_*)? */
static bool S_is(const ties_doc *d, uint32_t i, int rid) {
  return RW_ID(DOC_TOK(d, i)->rw) == rid;
}

static bool S_soft_hyphen(const ties_doc *d, uint32_t i) {
  const tok *t = DOC_TOK(d, i);
  if (t->kind != TK_PUNCT || RW_ID(t->rw) != RW_HYPHEN)
    return false;
  if (i + 1 >= d->toks.len)
    return false;
  return !(t->flags & TF_SPACE_BEFORE) &&
         !(DOC_TOK(d, i + 1)->flags & TF_SPACE_BEFORE);
}

/* ---- dates -------------------------------------------------------------- */

static int S_month(const ties_doc *d, uint32_t i) {
  return (int)WC_MONTH(DOC_TOK(d, i)->w->cls);
}

/* A day number: 1-31, optionally ordinal or a range "11-12th". */
static int S_day(const tok *t) {
  if (t->kind != TK_NUMBER)
    return 0;
  const char *s = t->w->norm;
  int v = 0, k = 0;
  while (s[k] >= '0' && s[k] <= '9' && k < 3)
    v = v * 10 + (s[k++] - '0');
  if (k == 0 || k > 2 || v < 1 || v > 31)
    return 0;
  const char *rest = s + k;
  if (!*rest || !strcmp(rest, "st") || !strcmp(rest, "nd") ||
      !strcmp(rest, "rd") || !strcmp(rest, "th"))
    return v;
  if (*rest == '-') /* range */
    return v;
  return 0;
}

static int S_year(const tok *t) {
  if (t->kind != TK_NUMBER)
    return 0;
  const char *s = t->w->norm;
  if (strlen(s) != 4)
    return 0;
  int v = 0;
  for (int k = 0; k < 4; k++) {
    if (s[k] < '0' || s[k] > '9')
      return 0;
    v = v * 10 + (s[k] - '0');
  }
  return v >= 1900 && v <= 2099 ? v : 0;
}

typedef struct datem {
  uint32_t t0, t1;
  int y, m, dd;
} datem;

/* Recognise a date starting at token i (< hi); returns its end or 0. */
static uint32_t S_date_at(const ties_doc *d, uint32_t i, uint32_t hi,
                          datem *out) {
  const tok *t = DOC_TOK(d, i);
  memset(out, 0, sizeof *out);
  out->t0 = i;
  int m, day, y;
  /* 23 February 2020 */
  if ((day = S_day(t)) && i + 1 < hi && (m = S_month(d, i + 1))) {
    out->dd = day;
    out->m = m;
    uint32_t e = i + 2;
    if (e < hi && (y = S_year(DOC_TOK(d, e)))) {
      out->y = y;
      e++;
    }
    out->t1 = e;
    return e;
  }
  if ((m = S_month(d, i))) {
    /* "may" is a verb: only capitalised, and only before a number. */
    if (!(t->w->shape & WS_INITCAP))
      return 0;
    out->m = m;
    uint32_t e = i + 1;
    if (e < hi && (day = S_day(DOC_TOK(d, e)))) {
      out->dd = day;
      e++;
      if (e + 1 < hi && S_is(d, e, RW_COMMA) && (y = S_year(DOC_TOK(d, e + 1)))) {
        out->y = y;
        e += 2;
      } else if (e < hi && (y = S_year(DOC_TOK(d, e)))) {
        out->y = y;
        e++;
      }
      out->t1 = e;
      return e;
    }
    if (e < hi && (y = S_year(DOC_TOK(d, e)))) {
      out->y = y;
      out->t1 = e + 1;
      return e + 1;
    }
    if (m == 5) /* "May" alone: a name or the verb */
      return 0;
    out->t1 = e;
    return e;
  }
  if ((y = S_year(t))) {
    out->y = y;
    out->t1 = i + 1;
    return i + 1;
  }
  return 0;
}

/* v (0 <= v < 10^w) in w digits at p; returns the end. */
static char *S_digits(char *p, int v, int w) {
  for (int k = w; k-- > 0; v /= 10)
    p[k] = (char)('0' + v % 10);
  return p + w;
}

/* The value of a date; today: the document date's year, month and day
 * (read when it has one). Formatted by hand: printf, once per date, was
 * a tenth of the stage. */
static const char *S_date_value(ties_doc *d, const datem *dm,
                                const int today[3]) {
  int y = dm->y;
  if (!y && d->date_days != INT32_MIN && dm->m) {
    /* The most recent such day on or before the document date. */
    y = today[0];
    if (dm->m > today[1] || (dm->m == today[1] && dm->dd > today[2]))
      y--;
  }
  if (y < 0 || y > 9999) { /* not four digits (the year before 0000) */
    if (dm->m && dm->dd)
      return arena_printf(&d->ar, "%04d-%02d-%02d", y, dm->m, dm->dd);
    if (dm->m)
      return arena_printf(&d->ar, "%04d-%02d", y, dm->m);
    return arena_printf(&d->ar, "%04d", y);
  }
  /* YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD or --MM (month 1-12, day 1-31) */
  char b[16], *p = b;
  if (y) {
    p = S_digits(p, y, 4);
    if (dm->m) {
      *p++ = '-';
      p = S_digits(p, dm->m, 2);
      if (dm->dd) {
        *p++ = '-';
        p = S_digits(p, dm->dd, 2);
      }
    }
  } else {
    *p++ = '-';
    *p++ = '-';
    p = S_digits(p, dm->m, 2);
    if (dm->m && dm->dd) {
      *p++ = '-';
      p = S_digits(p, dm->dd, 2);
    }
  }
  return arena_strndup(&d->ar, b, (size_t)(p - b));
}

static void S_doc_date(ties_doc *d) {
  if (d->date[0])
    return;
  /* A heading among the first sentences that is a full date. */
  size_t n = d->sents.len < 6 ? d->sents.len : 6;
  for (size_t si = 0; si < n; si++) {
    const sent *s = DOC_SENT(d, si);
    for (uint32_t i = s->t0; i < s->t1 && i < s->t0 + 3; i++) {
      datem dm;
      uint32_t e = S_date_at(d, i, s->t1, &dm);
      if (e && dm.y && dm.m && dm.dd && (s->flags & SF_HEADING) &&
          s->t1 - s->t0 <= 6) {
        snprintf(d->date, sizeof d->date, "%04d-%02d-%02d", dm.y, dm.m, dm.dd);
        d->date_days = date_days(d->date, 10, false);
        return;
      }
    }
  }
}

/* ---- money ---------------------------------------------------------------- */

static const char *S_money_value(ties_doc *d, const tok *t) {
  /* "USD 1 million" → "USD 1000000"; "$7.3 million" → "USD 7300000". */
  const char *s = t->w->surface;
  const char *cur = "";
  static const struct {
    const char *sym, *code;
  } syms[] = {{"US$", "USD"}, {"HK$", "HKD"}, {"A$", "AUD"}, {"C$", "CAD"},
              {"S$", "SGD"},  {"NZ$", "NZD"}, {"$", "USD"},  {"€", "EUR"},
              {"£", "GBP"},   {"¥", "CNY"},   {"₹", "INR"},  {"₽", "RUB"}};
  for (size_t i = 0; i < TIES_ARRAY_LEN(syms); i++)
    if (!strncmp(s, syms[i].sym, strlen(syms[i].sym))) {
      cur = syms[i].code;
      break;
    }
  if (!*cur && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
      s[2] >= 'A' && s[2] <= 'Z')
    cur = arena_strndup(&d->ar, s, 3);
  if (!strcmp(cur, "RMB"))
    cur = "CNY";
  /* amount */
  const char *p = s;
  while (*p && !(*p >= '0' && *p <= '9'))
    p++;
  double v = 0, frac = 0;
  bool dot = false;
  for (; *p && ((*p >= '0' && *p <= '9') || *p == ',' || *p == '.'); p++) {
    if (*p == ',')
      continue;
    if (*p == '.') {
      dot = true;
      frac = 0.1;
      continue;
    }
    if (dot) {
      v += (*p - '0') * frac;
      frac /= 10;
    } else {
      v = v * 10 + (*p - '0');
    }
  }
  const char *l = t->w->lower;
  double mul = 1;
  if (strstr(l, "trillion") || strstr(l, "tn"))
    mul = 1e12;
  else if (strstr(l, "billion") || strstr(l, "bn"))
    mul = 1e9;
  else if (strstr(l, "million") || strstr(l, "mn"))
    mul = 1e6;
  else if (strstr(l, "thousand"))
    mul = 1e3;
  else {
    size_t n = strlen(l);
    /* 7.3m, 20k, 5b after the digits */
    for (size_t i = 1; i < n; i++) {
      if (l[i - 1] >= '0' && l[i - 1] <= '9') {
        if (l[i] == 'm' && (i + 1 == n || l[i + 1] == ' '))
          mul = 1e6;
        else if (l[i] == 'k' && (i + 1 == n || l[i + 1] == ' '))
          mul = 1e3;
        else if (l[i] == 'b' && (i + 1 == n || l[i + 1] == ' '))
          mul = 1e9;
      }
    }
  }
  if (!*cur) {
    if (strstr(l, "yuan") || strstr(l, "renminbi"))
      cur = "CNY";
    else if (strstr(l, "euro"))
      cur = "EUR";
    else if (strstr(l, "pound") || strstr(l, "sterling"))
      cur = "GBP";
    else if (strstr(l, "rupee"))
      cur = "INR";
    else if (strstr(l, "rouble") || strstr(l, "ruble"))
      cur = "RUB";
    else if (strstr(l, "yen"))
      cur = "JPY";
    else if (strstr(l, "dollar"))
      cur = "USD";
    else
      cur = "XXX";
  }
  return arena_printf(&d->ar, "%s %.0f", cur, v * mul);
}

/* ---- role titles -------------------------------------------------------- */

/* S_title_at for a token i < hi that may begin a title. */
static uint32_t S_title_from(const ties_doc *d, uint32_t i, uint32_t hi,
                             uint32_t *role) {
  const ties_engine *e = d->e;
  uint32_t best = 0;
  /* the titles are sorted by first word (gaz_freeze) */
  uint32_t first = DOC_TOK(d, i)->w->key_sym;
  if (!first)
    return 0;
  size_t lo = 0, hi_r = e->role_titles.len;
  while (lo < hi_r) {
    size_t mid = (lo + hi_r) / 2;
    const role_title *rt = &VEC_AT(&e->role_titles, role_title, mid);
    if ((rt->ntok ? rt->syms[0] : 0) < first)
      lo = mid + 1;
    else
      hi_r = mid;
  }
  for (size_t r = lo; r < e->role_titles.len; r++) {
    const role_title *rt = &VEC_AT(&e->role_titles, role_title, r);
    if (!rt->ntok || rt->syms[0] != first)
      break;
    uint32_t j = i;
    uint16_t k = 0;
    for (; k < rt->ntok && j < hi; j++) {
      if (j > i && S_soft_hyphen(d, j))
        continue;
      if (DOC_TOK(d, j)->w->key_sym != rt->syms[k])
        break;
      k++;
    }
    if (k == rt->ntok && j > best) {
      best = j;
      *role = rt->role;
    }
  }
  return best;
}

/* Longest role title at token i: returns end token and the role, or 0. */
static inline uint32_t S_title_at(const ties_doc *d, uint32_t i, uint32_t hi,
                                  uint32_t *role) {
  if (i >= hi || !(DOC_TOK(d, i)->rw & RB_TITLE_FIRST))
    return 0; /* most tokens */
  return S_title_from(d, i, hi, role);
}

static bool S_holds(const entity *p, uint32_t role, int32_t day) {
  for (uint32_t i = 0; i < p->n_terms; i++) {
    const role_term *t = &p->terms[i];
    if (t->role != role)
      continue;
    if (day == INT32_MIN || (t->from <= day && day <= t->to))
      return true;
  }
  return false;
}
/* The array p of n elements of size sz, with *cap places, in the arena,
 * with room for one more: p itself, or a copy twice its size; NULL when out
 * of memory. */
static void *S_room(arena *ar, void *p, uint32_t n, uint32_t *cap, size_t sz) {
  if (n < *cap)
    return p;
  uint32_t nc = *cap ? *cap * 2 : 4;
  void *q = arena_alloc(ar, nc * sz);
  if (!q)
    return NULL;
  if (n)
    memcpy(q, p, n * sz);
  *cap = nc;
  return q;
}


/* Persons who hold or held an office, by state and role, in the order of
 * the gazetteers (engine->holders: state → stateholders). */
typedef struct holders {
  uint32_t role;
  uint32_t n, cap;
  const entity **e;
} holders;

typedef struct stateholders {
  uint32_t n, cap;
  holders *r;
} stateholders;

/* Adds p (a person with terms) under its state, once for each of its
 * roles. */
static int S_add_holder(ties_engine *e, const entity *p) {
  void **slot =
      strmap_slot(&e->holders, p->country, strlen(p->country), &e->ar);
  if (!slot)
    return TIES_ENOMEM;
  if (!*slot && !(*slot = arena_alloc(&e->ar, sizeof(stateholders))))
    return TIES_ENOMEM;
  stateholders *st = *slot;
  for (uint32_t t = 0; t < p->n_terms; t++) {
    uint32_t role = p->terms[t].role;
    bool seen = false;
    for (uint32_t u = 0; u < t && !seen; u++)
      seen = p->terms[u].role == role;
    if (seen)
      continue;
    holders *h = NULL;
    for (uint32_t k = 0; k < st->n && !h; k++)
      if (st->r[k].role == role)
        h = &st->r[k];
    if (!h) {
      if (!(st->r = S_room(&e->ar, st->r, st->n, &st->cap, sizeof *st->r)))
        return TIES_ENOMEM;
      h = &st->r[st->n++];
      h->role = role; /* (zeroed by the arena) */
    }
    if (!(h->e = S_room(&e->ar, h->e, h->n, &h->cap, sizeof *h->e)))
      return TIES_ENOMEM;
    h->e[h->n++] = p;
  }
  return TIES_OK;
}

/* The one person holding role for country on day; NULL if none or many. */
static const entity *S_holder(const ties_engine *e, uint32_t role,
                              const char *country, int32_t day) {
  const stateholders *st = strmap_get(&e->holders, country, strlen(country));
  for (uint32_t k = 0; st && k < st->n; k++) {
    const holders *h = &st->r[k];
    if (h->role != role)
      continue;
    const entity *found = NULL;
    for (uint32_t i = 0; i < h->n; i++) {
      if (S_holds(h->e[i], role, day)) {
        if (found)
          return NULL;
        found = h->e[i];
      }
    }
    return found;
  }
  return NULL;
}

/* ---- helpers over the sentence's mention list ---------------------------- */

typedef struct mlist {
  mention *m;
  size_t n, cap;
  /* For each token of the sentence [t0, t1): the first mention of m that
   * covers it, and the first that starts at it (-1: none). Every change
   * to m marks them stale; S_ml_index rebuilds them when next asked. */
  uint32_t t0, t1;
  int32_t *cover, *start;
  size_t icap;
  bool stale;
} mlist;

/* Empty l for the sentence s. */
static void S_ml_reset(mlist *l, const sent *s) {
  l->n = 0;
  l->t0 = s->t0;
  l->t1 = s->t1;
  l->stale = true;
}

static void S_ml_push(mlist *l, const mention *m) {
  l->stale = true;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    mention *p = realloc(l->m, cap * sizeof *p);
    if (!p)
      return;
    l->m = p;
    l->cap = cap;
  }
  l->m[l->n++] = *m;
}

/* Rebuilds l's token index; false if there is none (no memory), and the
 * callers look through the list instead. */
static bool S_ml_reindex(mlist *l) {
  size_t len = l->t1 - l->t0;
  if (len > l->icap) {
    int32_t *c = realloc(l->cover, len * sizeof *c);
    if (c)
      l->cover = c;
    int32_t *st = c ? realloc(l->start, len * sizeof *st) : NULL;
    if (!st)
      return false;
    l->start = st;
    l->icap = len;
  }
  for (size_t t = 0; t < len; t++)
    l->cover[t] = l->start[t] = -1;
  for (size_t k = l->n; k-- > 0;) { /* the first mention wins */
    const mention *m = &l->m[k];
    uint32_t a = m->t0 > l->t0 ? m->t0 : l->t0;
    uint32_t b = m->t1 < l->t1 ? m->t1 : l->t1;
    for (uint32_t t = a; t < b; t++)
      l->cover[t - l->t0] = (int32_t)k;
    if (m->t0 >= l->t0 && m->t0 < l->t1)
      l->start[m->t0 - l->t0] = (int32_t)k;
  }
  l->stale = false;
  return true;
}

static inline bool S_ml_index(mlist *l) {
  return !l->stale || S_ml_reindex(l);
}

/* Index of the mention covering token i in l, or -1. */
static inline int S_covering(mlist *l, uint32_t i) {
  if (!l->n)
    return -1; /* many sentences: no index to build */
  if (i >= l->t0 && i < l->t1 && S_ml_index(l))
    return l->cover[i - l->t0];
  for (size_t k = 0; k < l->n; k++)
    if (l->m[k].t0 <= i && i < l->m[k].t1)
      return (int)k;
  return -1;
}

/* Index of the first mention starting at token i in l, or -1. */
static inline int S_starting(mlist *l, uint32_t i) {
  if (!l->n)
    return -1;
  if (i >= l->t0 && i < l->t1 && S_ml_index(l))
    return l->start[i - l->t0];
  for (size_t k = 0; k < l->n; k++)
    if (l->m[k].t0 == i)
      return (int)k;
  return -1;
}

/* Add a mention of e at tokens [t0, t1) of sentence si, keeping l in order
 * of start; returns it. */
static mention S_ml_add(mlist *l, uint32_t t0, uint32_t t1, uint32_t si,
                        const entity *e, int type, int how) {
  mention m = {0};
  m.t0 = t0;
  m.t1 = t1;
  m.sent = si;
  m.e = e;
  m.type = (uint8_t)type;
  m.how = (uint8_t)how;
  S_ml_push(l, &m);
  /* a stable sort by start, as qsort (a merge sort) had it; the list is
   * in order but for m and what the passes moved (pass 5) */
  for (size_t k = 1; k < l->n; k++) {
    if (l->m[k - 1].t0 <= l->m[k].t0)
      continue;
    mention x = l->m[k];
    size_t j = k;
    for (; j > 0 && l->m[j - 1].t0 > x.t0; j--)
      l->m[j] = l->m[j - 1];
    l->m[j] = x;
  }
  return m;
}

static void S_remove(mlist *l, size_t k) {
  l->stale = true;
  memmove(&l->m[k], &l->m[k + 1], (l->n - k - 1) * sizeof(mention));
  l->n--;
}


/* Persons by short name ("Wang" → Wang Yi, Wang Qishan, ...), keyed like
 * the words of a document (lower case, no accents), in gazetteer order. */
#define SHORT_MAX 16
typedef struct shortlist {
  uint32_t n;
  const entity *e[SHORT_MAX];
} shortlist;

int resolve_freeze(ties_engine *e) {
  /* the first words of role titles, for a quick test per token */
  e->n_title_first = e->syms.n + 1;
  e->title_first = calloc(e->n_title_first / 8 + 1, 1);
  if (!e->title_first)
    return TIES_ENOMEM;
  for (size_t r = 0; r < e->role_titles.len; r++) {
    const role_title *rt = &VEC_AT(&e->role_titles, role_title, r);
    if (rt->ntok && rt->syms[0] < e->n_title_first)
      e->title_first[rt->syms[0] / 8] |= (uint8_t)(1u << (rt->syms[0] % 8));
  }
  /* and of gazetteer names: the children of the trie's root */
  e->gaz_first = calloc(e->n_title_first / 8 + 1, 1);
  if (!e->gaz_first)
    return TIES_ENOMEM;
  const gazetteer *g = &e->gz;
  if (g->n_nodes)
    for (uint32_t k = 0; k < g->node[0].nchild; k++) {
      uint32_t sym = g->child_sym[g->node[0].child0 + k];
      if (sym < e->n_title_first)
        e->gaz_first[sym / 8] |= (uint8_t)(1u << (sym % 8));
    }
  int rc = TIES_OK;
  /* persons by state and role, for S_holder */
  for (size_t i = 0; i < e->entities.len && rc == TIES_OK; i++) {
    const entity *p = VEC_AT(&e->entities, entity *, i);
    if (p->type == TIES_PERSON && p->n_terms)
      rc = S_add_holder(e, p);
  }
  if (rc != TIES_OK)
    return rc;
  /* the state each entity acts for, numbered densely (S_main_actor) */
  size_t n = e->entities.len ? e->entities.len : 1;
  e->acts_for = arena_alloc(&e->ar, n * sizeof *e->acts_for);
  e->states = arena_alloc(&e->ar, n * sizeof *e->states);
  e->short_key = arena_alloc(&e->ar, n * sizeof *e->short_key);
  uint32_t *no = calloc(n, sizeof *no); /* by the state's index */
  if (!e->acts_for || !e->states || !e->short_key || !no) {
    free(no);
    return TIES_ENOMEM;
  }
  for (size_t i = 0; i < e->entities.len; i++) {
    const entity *p = VEC_AT(&e->entities, entity *, i);
    const entity *st = p->country[0] ? engine_entity(e, p->country) : NULL;
    if (!st)
      continue;
    if (!no[st->index]) {
      e->states[e->n_states++] = st;
      no[st->index] = (uint32_t)e->n_states;
    }
    e->acts_for[i] = no[st->index];
  }
  free(no);
  buf b = BUF_INIT, c = BUF_INIT;
  for (size_t i = 0; i < e->entities.len && rc == TIES_OK; i++) {
    const entity *p = VEC_AT(&e->entities, entity *, i);
    if (p->type != TIES_PERSON || !p->short_name || !p->short_name[0])
      continue;
    buf_clear(&b);
    buf_clear(&c);
    utf8_lower(&b, p->short_name, strlen(p->short_name));
    utf8_unaccent(&c, buf_cstr(&b), b.len);
    void **slot = strmap_slot(&e->short_idx, buf_cstr(&c), c.len, &e->ar);
    if (slot && !*slot)
      *slot = arena_alloc(&e->ar, sizeof(shortlist));
    e->short_key[i] = arena_strndup(&e->ar, buf_cstr(&c), c.len);
    if (!slot || !*slot || !e->short_key[i] || b.failed || c.failed) {
      rc = TIES_ENOMEM;
      break;
    }
    shortlist *l = *slot;
    if (l->n < SHORT_MAX)
      l->e[l->n++] = p;
  }
  buf_free(&b);
  buf_free(&c);
  return rc;
}

/* Persons whose short name is key (engine-wide). */
static void S_short_candidates(const ties_engine *e, const char *key,
                               const entity **out, size_t *n, size_t max) {
  *n = 0;
  const shortlist *l = strmap_get(&e->short_idx, key, strlen(key));
  for (uint32_t i = 0; l && i < l->n && *n < max; i++)
    out[(*n)++] = l->e[i];
}

/* ---- people the gazetteers do not know -------------------------------------- */


/* A person's name of 2-5 capitalised words at i: its end, or 0. */
static uint32_t S_name_at(const ties_doc *d, mlist *l, uint32_t i,
                          uint32_t hi) {
  uint32_t j = i;
  int words = 0;
  while (j < hi && words < 5) {
    const tok *t = DOC_TOK(d, j);
    if (S_covering(l, j) >= 0)
      break;
    const wordrec *w = t->w;
    if (t->kind == TK_WORD && (w->shape & WS_INITCAP) && !(w->shape & WS_ALLCAPS) &&
        (worker_spelling(d->w, w) == SP_NAME || worker_spelling(d->w, w) == SP_UNKNOWN) &&
        !(w->cls & WC_NOT_NAME)) {
      j++;
      words++;
      continue;
    }
    if (words && j + 1 < hi && S_soft_hyphen(d, j) &&
        DOC_TOK(d, j + 1)->kind == TK_WORD) {
      j += 2; /* Ing-wen, Jean-Yves */
      continue;
    }
    if (words && j + 1 < hi &&
        (w->cls & WC_PARTICLE) &&
        (DOC_TOK(d, j + 1)->w->shape & WS_INITCAP)) {
      j++;
      continue;
    }
    break;
  }
  while (j > i && DOC_TOK(d, j - 1)->kind != TK_WORD)
    j--;
  return words >= 2 ? j : 0;
}

/* Lower-case ASCII slug of a name: "Jean-Yves Le Drián" → jean-yves-le-drian */
static char *S_slug(arena *a, const char *s) {
  buf l = BUF_INIT, u = BUF_INIT;
  utf8_lower(&l, s, strlen(s));
  utf8_unaccent(&u, buf_cstr(&l), l.len);
  const char *p = buf_cstr(&u);
  buf o = BUF_INIT;
  bool dash = false;
  for (; *p; p++) {
    char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && o.len)
        buf_putc(&o, '-');
      buf_putc(&o, c);
      dash = false;
    } else if ((unsigned char)c < 0x80) {
      dash = true;
    }
  }
  char *r = arena_strndup(a, buf_cstr(&o), o.len);
  buf_free(&l);
  buf_free(&u);
  buf_free(&o);
  return r;
}

/* An entity for a titled person the gazetteers lack ("Indian Defence
 * Minister Rajnath Singh"): person:<slug>, acting for the title's state. */
static const entity *S_new_person(ties_doc *d, uint32_t t0, uint32_t t1,
                                  const entity *qual) {
  char *name = doc_span_text(d, t0, t1);
  if (!name)
    return NULL;
  char *slug = S_slug(&d->ar, name);
  if (!slug || !*slug)
    return NULL;
  char *id = arena_printf(&d->ar, "person:%s", slug);
  const entity *known = engine_entity(d->e, id);
  if (known)
    return known;
  void **slot = strmap_slot(&d->dyn, id, strlen(id), &d->ar);
  if (!slot)
    return NULL;
  if (*slot) {
    entity *old = *slot; /* this document's own record */
    if (!old->country[0] && qual)
      old->country = qual->type == TIES_COUNTRY ? qual->id : qual->country;
    return old;
  }
  entity *p = arena_alloc(&d->ar, sizeof *p);
  if (!p)
    return NULL;
  p->id = id;
  p->label = name;
  p->type = TIES_PERSON;
  p->kind = "";
  p->country = qual ? (qual->country[0] ? qual->country : "") : "";
  if (qual && qual->type == TIES_COUNTRY)
    p->country = qual->id;
  const tok *last = DOC_TOK(d, t1 - 1);
  p->short_name = arena_strdup(&d->ar, last->w->surface);
  p->file = "";
  p->index = UINT32_MAX;
  *slot = p;
  return p;
}

/* ---- the pass ------------------------------------------------------------ */

static bool S_actor(const mention *m) {
  return m->e && (m->type == TIES_COUNTRY || m->type == TIES_ORG ||
                  m->type == TIES_PERSON);
}

static void S_main_actor(ties_doc *d) {
  const char *want = d->main_actor_opt;
  if (want && *want && strcmp(want, "auto") != 0) {
    const entity *e = engine_entity(d->e, want);
    if (e) {
      d->main_actor = e;
      return;
    }
    diag_add(&d->diags, TIES_WARNING, TIES_EINVAL, d->path, 0, 0, (size_t)-1, 0,
             NULL, 0, "unknown main actor '%s'; using the most mentioned state",
             want);
  }
  /* counts by state (resolve_freeze numbers them); the mentions are all
   * of the gazetteers' entities so far */
  const ties_engine *e = d->e;
  uint32_t *count = arena_alloc(&d->ar, 2 * (e->n_states + 1) * sizeof *count);
  if (!count || !e->acts_for)
    return;
  uint32_t *first = count + e->n_states + 1;
  for (size_t i = 0; i < d->mentions.len; i++) {
    const mention *m = DOC_MENTION(d, i);
    if (!S_actor(m) || m->generic || m->e->index >= e->entities.len)
      continue;
    uint32_t k = e->acts_for[m->e->index];
    if (!k)
      continue;
    if (!count[k])
      first[k] = (uint32_t)i;
    count[k]++;
  }
  /* the most mentioned; of those, the first (first[] differs by state) */
  const entity *best = NULL;
  uint32_t bk = 0;
  for (uint32_t k = 1; k <= e->n_states; k++) {
    if (count[k] && (!bk || count[k] > count[bk] ||
                     (count[k] == count[bk] && first[k] < first[bk]))) {
      bk = k;
      best = e->states[k - 1];
    }
  }
  d->main_actor = best;
}

/* Short names seen in this document: key → person. */
typedef struct shortmap {
  strmap m;
  arena ar;
  const entity *last; /* noted last: noting it again changes nothing */
} shortmap;

static void S_note_full(const ties_engine *e, shortmap *sm, const mention *m) {
  if (!m->e || m->type != TIES_PERSON || !m->e->short_name ||
      !m->e->short_name[0])
    return;
  if ((m->how != HOW_NAME && m->how != HOW_ALIAS && m->how != HOW_TITLE &&
       m->how != HOW_ROLE) ||
      m->e == sm->last)
    return;
  uint32_t x = m->e->index;
  if (x < e->entities.len && e->short_key &&
      VEC_AT(&e->entities, entity *, x) == m->e && e->short_key[x]) {
    /* a person of the gazetteers: its key is made once (resolve_freeze) */
    const char *k = e->short_key[x];
    void **slot = strmap_slot(&sm->m, k, strlen(k), &sm->ar);
    if (slot) {
      *slot = (void *)m->e;
      sm->last = m->e;
    }
    return;
  }
  buf b = BUF_INIT, c = BUF_INIT;
  utf8_lower(&b, m->e->short_name, strlen(m->e->short_name));
  utf8_unaccent(&c, buf_cstr(&b), b.len);
  void **slot = strmap_slot(&sm->m, buf_cstr(&c), c.len, &sm->ar);
  if (slot) {
    *slot = (void *)m->e;
    sm->last = m->e;
  }
  buf_free(&b);
  buf_free(&c);
}

static bool S_kind_in(const char *kind, const char *kinds) {
  char k[64];
  snprintf(k, sizeof k, ";%s;", kind);
  return strstr(kinds, k) != NULL;
}

/* The last organisation of kinds mentioned before token pos, within the
 * last few sentences (this sentence's list l, then earlier ones). */
static const entity *S_last_org(const mlist *l,
                                const vec *done, uint32_t pos, uint32_t si,
                                const char *kinds) {
  for (size_t k = l->n; k-- > 0;) {
    const mention *m = &l->m[k];
    if (m->t0 < pos && m->e && m->type == TIES_ORG && S_kind_in(m->e->kind, kinds))
      return m->e;
  }
  for (size_t k = done->len; k-- > 0;) {
    const mention *m = &VEC_AT(done, mention, k);
    if (m->sent + 4 < si)
      break;
    if (m->e && m->type == TIES_ORG && S_kind_in(m->e->kind, kinds))
      return m->e;
  }
  return NULL;
}

/* A title phrase [q0, te) resolved to person p: the mentions inside it give
 * way to one mention [q0, t1) of p (t1 past te when a name follows). */
static void S_put_person(const ties_engine *e, mlist *l, shortmap *sm,
                         uint32_t q0, uint32_t te, uint32_t t1, uint32_t si,
                         const entity *p, uint8_t how) {
  for (size_t k = 0; k < l->n;) {
    if (l->m[k].t0 >= q0 && l->m[k].t1 <= te) {
      S_remove(l, k);
      continue;
    }
    k++;
  }
  mention m = S_ml_add(l, q0, t1, si, p, TIES_PERSON, how);
  S_note_full(e, sm, &m);
}

static void S_sentence(ties_doc *d, uint32_t si, mlist *l, shortmap *sm,
                       const mention *prev_subject_person,
                       const mention *prev_subject_group, const vec *done) {
  const sent *s = DOC_SENT(d, si);
  const ties_engine *e = d->e;
  /* The RB_* bits of all its words: passes 5, 7b and 8 have nothing to
   * do in a sentence without a word that begins a title, a noun of a
   * definite description or a pronoun, which is most sentences. */
  unsigned any = 0;
  for (uint32_t i = s->t0; i < s->t1; i++)
    any |= DOC_TOK(d, i)->rw;

  /* 0. "People's Armed Police (PAP)": one mention */
  for (size_t k = 0; k + 1 < l->n; k++) {
    mention *m = &l->m[k], *n = &l->m[k + 1];
    if (m->e && n->e == m->e && n->t0 == m->t1 + 1 && n->t1 + 1 <= s->t1 &&
        S_is(d, m->t1, RW_LPAREN) && S_is(d, n->t1, RW_RPAREN)) {
      m->t1 = n->t1 + 1;
      S_remove(l, k + 1); /* (which marks the index stale) */
    }
  }

  /* 3. generic aliases */
  for (size_t k = 0; k < l->n;) {
    mention *m = &l->m[k];
    if (m->generic && !(d->main_actor && m->e &&
                        !strcmp(m->e->country, d->main_actor->id))) {
      S_remove(l, k);
      continue;
    }
    if (m->generic)
      m->how = HOW_GENERIC;
    k++;
  }

  /* 4. short names, in order, learning full names as they come */
  for (uint32_t i = s->t0; i < s->t1; i++) {
    int c = S_covering(l, i);
    if (c >= 0) {
      S_note_full(e, sm, &l->m[c]);
      i = l->m[c].t1 - 1;
      continue;
    }
    const tok *t = DOC_TOK(d, i);
    if (t->kind != TK_WORD || !(t->rw & RB_INITCAP) ||
        (t->rw & RB_SHORT_STOP))
      continue;
    const entity *p =
        sm->m.n ? strmap_get(&sm->m, t->w->key, strlen(t->w->key)) : NULL;
    uint8_t how = HOW_SHORT;
    if (!p && i > s->t0) {
      /* "President Xi": a title right before a family name. */
      uint32_t role = 0, tb = 0;
      for (uint32_t b = i > s->t0 + 6 ? i - 6 : s->t0; b < i; b++) {
        uint32_t te = S_title_at(d, b, i, &role);
        if (te == i) {
          tb = b + 1;
          break;
        }
      }
      if (tb) {
        const entity *cand[16];
        size_t nc;
        S_short_candidates(e, t->w->key, cand, &nc, 16);
        const entity *one = NULL;
        int hits = 0;
        for (size_t q = 0; q < nc; q++)
          if (S_holds(cand[q], role, d->date_days)) {
            one = cand[q];
            hits++;
          }
        if (hits == 1) {
          p = one;
          how = HOW_TITLE;
        }
      }
    }
    if (!p)
      continue;
    S_ml_add(l, i, i + 1, si, p, TIES_PERSON, how);
  }

  /* 5. titles before a person; 6. titles with a state and no name */
  for (uint32_t i = s->t0; i < s->t1 && (any & RB_TITLE_FIRST); i++) {
    uint32_t q0 = i, qe = i;
    const entity *qual = NULL;
    /* An optional qualifier: a state or body, with or without 's. */
    uint32_t j = i;
    if (S_is(d, j, RW_THE) && j + 1 < s->t1)
      j++;
    int c = S_starting(l, j);
    if (c >= 0 && (l->m[c].type == TIES_COUNTRY || l->m[c].type == TIES_ORG)) {
      qual = l->m[c].e;
      j = l->m[c].t1;
      if (j < s->t1 && DOC_TOK(d, j)->kind == TK_POSS)
        j++;
      qe = j;
    } else if (c >= 0) {
      continue;
    } else if (j != i) {
      continue;
    }
    uint32_t role = 0, te = S_title_at(d, j, s->t1, &role);
    if (!te)
      continue;
    /* Title chains: "Defense minister and CMC member". */
    for (;;) {
      uint32_t r2, te2 = 0;
      if (te < s->t1 && S_is(d, te, RW_AND))
        te2 = S_title_at(d, te + 1, s->t1, &r2);
      if (!te2)
        break;
      te = te2;
    }
    /* Remove mentions inside the title chain (CMC in "CMC member"). */
    int pc = S_starting(l, te);
    if (pc >= 0 && l->m[pc].type == TIES_PERSON) {
      for (size_t k = 0; k < l->n;) {
        if (l->m[k].t0 >= q0 && l->m[k].t1 <= te) {
          S_remove(l, k);
          if ((size_t)pc > k)
            pc--;
          continue;
        }
        k++;
      }
      l->m[pc].t0 = q0;
      l->stale = true;
      if (l->m[pc].how == HOW_SHORT)
        l->m[pc].how = HOW_TITLE;
      i = l->m[pc].t1 - 1;
      continue;
    }
    /* A name the gazetteers lack: a new person. */
    uint32_t ne = S_name_at(d, l, te, s->t1);
    if (ne) {
      const entity *p = S_new_person(d, te, ne, qual);
      if (p) {
        S_put_person(e, l, sm, q0, te, ne, si, p, HOW_TITLE);
        i = ne - 1;
        continue;
      }
    }
    /* No name follows: resolve by role, state and date. */
    if (qual && qe > q0 && d->date_days != INT32_MIN &&
        !(te < s->t1 && (DOC_TOK(d, te)->w->shape & WS_INITCAP) &&
          DOC_TOK(d, te)->kind == TK_WORD && S_covering(l, te) < 0)) {
      const char *cc = qual->country[0] ? qual->country : qual->id;
      const entity *p = S_holder(e, role, cc, d->date_days);
      if (p) {
        S_put_person(e, l, sm, q0, te, te, si, p, HOW_ROLE);
        i = te - 1;
      }
    }
  }

  /* 7. "Chinese troops", "Kuwait's National Guard" */
  for (size_t k = 0; k < l->n; k++) {
    mention *m = &l->m[k];
    if (m->type != TIES_COUNTRY || !m->e)
      continue;
    uint32_t j = m->t1;
    if (j < s->t1 && DOC_TOK(d, j)->kind == TK_POSS && m->how != HOW_DEMONYM)
      j++;
    if (j >= s->t1 || S_covering(l, j) >= 0)
      continue;
    uint32_t n = words_actor_noun(d, j, s->t1);
    if (!n)
      continue;
    /* Do not swallow the head of an organisation's name. */
    if (j + n < s->t1 && S_covering(l, j + n) >= 0 &&
        DOC_TOK(d, j + n)->kind != TK_POSS && j + n == m->t1 + 1)
      continue;
    m->t1_core = m->t1; /* a rule may still read the noun on its own */
    m->t1 = j + n;
    l->stale = true;
  }

  /* 7b. "the group", "the organization": the last organisation of the
   * kind */
  for (uint32_t i = s->t0; i + 1 < s->t1 && (any & RB_DEFINITE); i++) {
    if (!S_is(d, i, RW_THE) || S_covering(l, i + 1) >= 0)
      continue;
    size_t k = (size_t)RW_ID(DOC_TOK(d, i + 1)->rw);
    if (k < RW_DEF0 || k >= RW_DEF0 + TIES_ARRAY_LEN(S_definite))
      continue;
    k -= RW_DEF0; /* the noun of S_definite[k] */
    if (i + 2 < s->t1 && S_is(d, i + 2, RW_OF))
      continue; /* "the group of experts" */
    const entity *org = S_last_org(l, done, i, si, S_definite[k].kinds);
    if (!org)
      continue;
    S_ml_add(l, i + 1, i + 2, si, org, TIES_ORG, HOW_DEFINITE);
  }

  /* 8. pronouns */
  for (uint32_t i = s->t0; i < s->t1 && (any & RB_PRONOUN); i++) {
    int w = RW_ID(DOC_TOK(d, i)->rw);
    bool he = w == RW_HE || w == RW_SHE;
    bool they = w == RW_THEY;
    bool it = w == RW_IT && i == s->t0;
    if (!he && !they && !it)
      continue;
    if (S_covering(l, i) >= 0)
      continue;
    if (it && i + 1 < s->t1 && S_is(d, i + 1, RW_AUX))
      continue;
    const mention *ante = NULL;
    /* The subject so far in this sentence... */
    for (size_t k = 0; k < l->n && !ante; k++) {
      const mention *m = &l->m[k];
      if (m->t0 >= i)
        break;
      if (!S_actor(m))
        continue;
      if (he && m->type == TIES_PERSON)
        ante = m;
      else if (!he && (m->type == TIES_COUNTRY || m->type == TIES_ORG))
        ante = m;
    }
    /* ...or of the previous sentence in the paragraph. */
    if (!ante)
      ante = he ? prev_subject_person : prev_subject_group;
    if (!ante || !ante->e)
      continue;
    S_ml_add(l, i, i + 1, si, ante->e, ante->e->type, HOW_PRONOUN);
  }
}

/* Append a copy of m to v (mentions); dropped when out of memory, as
 * vec_push would, without zeroing what is then overwritten. */
static void S_vec_add(vec *v, const mention *m) {
  if (v->len == v->cap && !vec_reserve(v, v->cap ? v->cap * 2 : 64))
    return;
  VEC_AT(v, mention, v->len++) = *m;
}

void resolve_doc(ties_doc *d) {
  if (d->status)
    return;
  /* 1. dates and the document date */
  S_doc_date(d);
  int today[3] = {0, 0, 0};
  if (d->date_days != INT32_MIN) {
    today[0] = atoi(d->date);
    today[1] = atoi(d->date + 5);
    today[2] = atoi(d->date + 8);
  }
  vec all;
  vec_init(&all, sizeof(mention));
  /* room for the mentions and about as many dates as most documents have */
  vec_reserve(&all, d->mentions.len + d->mentions.len / 4 + 16);
  size_t mi = 0;
  /* the start of mention mi */
  uint32_t next = d->mentions.len ? DOC_MENTION(d, 0)->t0 : UINT32_MAX;
  for (size_t si = 0; si < d->sents.len; si++) {
    const sent *s = DOC_SENT(d, si);
    for (uint32_t i = s->t0; i < s->t1; i++) {
      if (i >= next) { /* the next mention starts here or has started */
        while (mi < d->mentions.len && DOC_MENTION(d, mi)->t0 < i)
          S_vec_add(&all, DOC_MENTION(d, mi++));
        if (mi < d->mentions.len && DOC_MENTION(d, mi)->t0 == i) {
          uint32_t end = DOC_MENTION(d, mi)->t1;
          S_vec_add(&all, DOC_MENTION(d, mi++));
          next = mi < d->mentions.len ? DOC_MENTION(d, mi)->t0 : UINT32_MAX;
          i = end - 1;
          continue;
        }
        next = mi < d->mentions.len ? DOC_MENTION(d, mi)->t0 : UINT32_MAX;
      }
      /* every date starts with a number or a month (S_date_at) */
      const tok *t = DOC_TOK(d, i);
      if (t->kind != TK_NUMBER && !(t->rw & RB_MONTH))
        continue;
      datem dm;
      uint32_t e = S_date_at(d, i, s->t1, &dm);
      if (!e)
        continue;
      /* not into the next mention */
      if (mi < d->mentions.len && DOC_MENTION(d, mi)->t0 < e)
        continue;
      mention dt = {0};
      dt.t0 = i;
      dt.t1 = e;
      dt.sent = (uint32_t)si;
      dt.type = TIES_DATE;
      dt.how = HOW_VALUE;
      dt.value = S_date_value(d, &dm, today);
      S_vec_add(&all, &dt);
      i = e - 1;
    }
  }
  while (mi < d->mentions.len)
    S_vec_add(&all, DOC_MENTION(d, mi++));
  vec_free(&d->mentions);
  d->mentions = all;
  for (size_t i = 0; i < d->mentions.len; i++) {
    mention *m = DOC_MENTION(d, i);
    if (m->type == TIES_MONEY)
      m->value = S_money_value(d, DOC_TOK(d, m->t0));
  }

  /* 2. the main actor */
  S_main_actor(d);

  /* 3-8, sentence by sentence */
  shortmap sm;
  strmap_init(&sm.m);
  arena_init(&sm.ar);
  sm.last = NULL;
  vec out;
  vec_init(&out, sizeof(mention));
  vec_reserve(&out, d->mentions.len + d->mentions.len / 8 + 16);
  mlist l = {0};
  mi = 0;
  mention prev_person = {0}, prev_group = {0};
  bool have_person = false, have_group = false;
  uint32_t para = UINT32_MAX;
  for (size_t si = 0; si < d->sents.len; si++) {
    const sent *s = DOC_SENT(d, si);
    if (s->para != para) {
      have_person = have_group = false;
      para = s->para;
    }
    S_ml_reset(&l, s);
    while (mi < d->mentions.len && DOC_MENTION(d, mi)->sent == si) {
      S_ml_push(&l, DOC_MENTION(d, mi));
      mi++;
    }
    S_sentence(d, (uint32_t)si, &l, &sm, have_person ? &prev_person : NULL,
               have_group ? &prev_group : NULL, &out);
    /* The subject of this sentence for the next: its first actor. */
    bool got_p = false, got_g = false;
    for (size_t k = 0; k < l.n; k++) {
      const mention *m = &l.m[k];
      if (!S_actor(m))
        continue;
      if (m->type == TIES_PERSON && !got_p) {
        prev_person = *m;
        got_p = have_person = true;
      }
      if ((m->type == TIES_COUNTRY || m->type == TIES_ORG) && !got_g) {
        prev_group = *m;
        got_g = have_group = true;
      }
    }
    for (size_t k = 0; k < l.n; k++)
      S_vec_add(&out, &l.m[k]);
  }
  free(l.m);
  free(l.cover);
  free(l.start);
  strmap_free(&sm.m);
  arena_free(&sm.ar);
  vec_free(&d->mentions);
  d->mentions = out;
  for (size_t i = 0; i < d->toks.len; i++)
    DOC_TOK(d, i)->mention = -1;
  for (size_t i = 0; i < d->mentions.len; i++) {
    mention *m = DOC_MENTION(d, i);
    for (uint32_t t = m->t0; t < m->t1; t++)
      DOC_TOK(d, t)->mention = (int32_t)i;
  }
}
