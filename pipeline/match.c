/*
 * match.c — stage 7: run the rules over each sentence.
 *
 * For each sentence the trigger index gives the rules that can fire (every
 * rule is indexed under a word or stem each of its matches contains); each
 * of their programs is tried at every start position by a backtracking
 * machine with an undo log for captures and a step limit, so a pattern can
 * never run away. A match emits candidate triples: captures become
 * entities (a list capture one per member), $main the document's main
 * actor, $context the actor named last in the paragraph; the modality cues
 * (rules/modality.rules) are looked for between the start of the clause
 * and the rule's first literal word (its anchor).
 */
#include "rule.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define UNSET UINT32_MAX

typedef struct bt {
  int pc;          /* -1: restore slot */
  uint32_t pos;
  int slot;
  uint32_t old;
} bt;

struct match_scratch {
  uint64_t *pick;    /* candidate programs of the sentence: a bit by number */
  size_t npick;      /* its words */
  uint32_t *cand;    /* the same, as a sorted list */
  bt *stack;
  size_t stack_cap;
  uint32_t *slots;
  size_t nslots;
  pcre2_match_data *md;
  pcre2_match_context *mctx;
  bool regex_limit_warned;
  bool step_limit_warned;
  uint64_t n_sent, n_cand, n_starts, n_steps; /* TIES_STATS */
  uint64_t *rule_steps, *rule_runs;  /* per rule (index): work, sentences tried */
  size_t n_rule_stats;
  /* states (pc, pos) explored and failed: a bit-state memo with stamps,
   * so backtracking is bounded by program size times sentence length */
  uint32_t *memo;
  size_t memo_cap;
  uint32_t memo_gen;
  /* the sentence the per-sentence marks below are for; nseen = 0: none */
  size_t nseen;
  uint32_t seen_gen;
  const ties_doc *seen_doc; /* the sentence the marks are for */
  uint32_t seen_si;
  uint32_t type_count[32];  /* mentions in the sentence, by type */
  const rule *cond_rule;    /* S_conditions of this rule, sentence seen_gen */
  uint32_t cond_gen;
  const char *cond_val;
  uint32_t *mstarts;        /* where a mention (or "the" before one) starts */
  size_t nmstarts, mstarts_cap;
  /* S_conj_met per program for the sentence: stamp seen_gen, and result */
  uint32_t *conj_stamp;
  uint8_t *conj_val;
  size_t nconj;
  /* the word sets the sentence has a word of: by set, the stamp seen_gen
   * (low half) and the last token with one (high half), in one store */
  uint64_t *wset_seen;
  size_t nwset;
  uint64_t sig[SIG_WORDS];  /* the sets its words are in: bit id % SIG_BITS */
  uint64_t sent_sig;        /* the same, bit id % 64 (prog.conj_sig) */
  /* mentions of the types of a mask, for the masks asked about (S_conj_met) */
  uint32_t mask_stamp[256];
  uint32_t mask_have[256];
  /* S_object_of_prep of each token of the sentence seen_gen, from t0: the
   * stamp and the answers (S_subject_not) */
  uint32_t *oop_stamp;
  uint8_t *oop_val;
  size_t oop_cap;
  /* S_modality's answers in the sentence seen_gen: the matches of several
   * rules often share their start and anchor */
  struct mod_memo {
    uint32_t gen, mstart, anchor, allow;
    int mod;
    uint32_t c0, c1;
  } mod_memo[16];
  uint32_t date_gen;        /* the sentence seen_gen's date (S_sent_date) */
  const mention *date;
  /* regex results by word record and pattern: a regex depends only on the
   * word, and the few regex tokens are tested on most words; forgotten
   * when the worker's word cache is (match_forget_words) */
  struct re_memo {
    const wordrec *w;
    const pred *p;
    int v;
  } *re_memo;
};
#define RE_MEMO 1024 /* entries, a power of two */

void match_forget_words(ties_worker *w) {
  if (w->ms && w->ms->re_memo)
    memset(w->ms->re_memo, 0, RE_MEMO * sizeof(struct re_memo));
}

void match_scratch_free(struct match_scratch *ms);
void match_scratch_free(struct match_scratch *ms) {
  if (!ms)
    return;
  if (getenv("TIES_STATS"))
    fprintf(stderr, "match: %llu sentences, %llu candidate programs, %llu starts, %llu steps\n",
            (unsigned long long)ms->n_sent, (unsigned long long)ms->n_cand,
            (unsigned long long)ms->n_starts, (unsigned long long)ms->n_steps);
  free(ms->rule_steps);
  free(ms->rule_runs);
  free(ms->pick);
  free(ms->cand);
  free(ms->stack);
  free(ms->slots);
  free(ms->memo);
  free(ms->conj_stamp);
  free(ms->conj_val);
  free(ms->wset_seen);
  free(ms->oop_stamp);
  free(ms->oop_val);
  free(ms->mstarts);
  free(ms->re_memo);
  if (ms->md)
    pcre2_match_data_free(ms->md);
  if (ms->mctx)
    pcre2_match_context_free(ms->mctx);
  free(ms);
}

static struct match_scratch *S_scratch(ties_worker *w) {
  if (w->ms)
    return w->ms;
  struct match_scratch *ms = calloc(1, sizeof *ms);
  if (!ms)
    return NULL;
  ms->md = pcre2_match_data_create(16, NULL);
  ms->mctx = pcre2_match_context_create(NULL);
  ms->re_memo = calloc(RE_MEMO, sizeof(struct re_memo));
  if (!ms->md || !ms->mctx || !ms->re_memo) {
    match_scratch_free(ms);
    return NULL;
  }
  pcre2_set_match_limit(ms->mctx, w->e->set.regex_match_limit);
  pcre2_set_depth_limit(ms->mctx, w->e->set.regex_depth_limit);
  /* the work of each rule, for extract --stats */
  size_t nr = w->e->rules ? w->e->rules->rules.len : 0;
  ms->rule_steps = calloc(nr + 1, sizeof(uint64_t));
  ms->rule_runs = calloc(nr + 1, sizeof(uint64_t));
  ms->n_rule_stats = ms->rule_steps && ms->rule_runs ? nr : 0;
  w->ms = ms;
  return ms;
}

/* ---- predicates ------------------------------------------------------------ */

/* Does regex p match token t's word? The result depends on the word
 * alone and is kept in the worker's memo (the word's bits are shared by
 * words and never written after the word is made); one stopped by its
 * limit is not kept, so that its warning names the token. */
static int S_regex(const ties_doc *d, const pred *p, const tok *t) {
  struct match_scratch *ms = d->w->ms;
  /* the record is this worker's own (its word cache), so the answer can be
   * kept in it */
  wordrec *w = (wordrec *)t->w;
  uint16_t bit = p->re_idx >= 0 && p->re_idx < 16 ? (uint16_t)(1u << p->re_idx) : 0;
  if (w->re_asked & bit)
    return (w->re_yes & bit) != 0;
  struct re_memo *rm =
      &ms->re_memo[(((uintptr_t)t->w >> 4) ^ ((uintptr_t)p >> 3)) & (RE_MEMO - 1)];
  if (!bit && rm->w == t->w && rm->p == p)
    return rm->v;
  const char *s = t->w->surface;
  int rc = pcre2_match(p->re, (PCRE2_SPTR)s, strlen(s), 0, 0, ms->md,
                       ms->mctx);
  if ((rc >= 0 || rc == PCRE2_ERROR_NOMATCH) && bit) {
    w->re_asked |= bit;
    if (rc >= 0)
      w->re_yes |= bit;
  } else if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
    rm->w = t->w;
    rm->p = p;
    rm->v = rc >= 0;
  }
  if (rc >= 0)
    return 1;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
      rc == PCRE2_ERROR_HEAPLIMIT) {
    if (!ms->regex_limit_warned) {
      ms->regex_limit_warned = true;
      ties_doc *md = (ties_doc *)d;
      size_t ls;
      unsigned line, col;
      text_locate(d->t.p, d->t.len, t->off, &line, &col, &ls, NULL);
      diag_add(&md->diags, TIES_WARNING, TIES_EREGEX, d->path, line, col,
               t->off, 0, NULL, 0,
               "regular expression %s stopped by its match limit on this "
               "token; treated as no match",
               p->src);
    }
  }
  return 0;
}

static bool S_bsearch(const uint32_t *a, int n, uint32_t v) {
  if (!v)
    return false;
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (a[mid] < v)
      lo = mid + 1;
    else if (a[mid] > v)
      hi = mid;
    else
      return true;
  }
  return false;
}

/* The test as written: alternatives one by one (rule_compile.c indexes
 * their words and stems in or_tab). */
static bool S_walk(const ties_doc *d, const pred *p, uint32_t i) {
  const tok *t = DOC_TOK(d, i);
  switch (p->kind) {
  case P_LIT:
    return t->w->norm_sym && t->w->norm_sym == p->syms[0];
  case P_STEM:
    if (!t->w->stem_sym)
      return false;
    for (int k = 0; k < p->n; k++)
      if (p->syms[k] == t->w->stem_sym)
        return true;
    return false;
  case P_REGEX:
    return S_regex(d, p, t);
  case P_CLASS:
    if (p->cls < 0) {
      if (t->mention < 0)
        return false;
      const mention *m = DOC_MENTION(d, t->mention);
      /* "troops" of "Chinese troops" is a noun after the entity, not in it */
      if (m->t1_core > m->t0 && i >= m->t1_core)
        return false;
      return ((uint32_t)-p->cls & (1u << m->type)) != 0;
    }
    switch (p->cls) {
    case C_NUM: return t->kind == TK_NUMBER;
    case C_PUNCT: return t->kind == TK_PUNCT;
    case C_CAP: return t->kind == TK_WORD && (t->w->shape & WS_INITCAP);
    case C_POSS: return t->kind == TK_POSS;
    case C_WORD: return t->kind == TK_WORD;
    case C_MONEY: return t->kind == TK_MONEY;
    case C_MODEL: return t->kind == TK_MODEL;
    case C_THE: return !strcmp(t->w->norm, "the");
    }
    return false;
  case P_OR:
    if (p->or_tab) {
      uint32_t ns = t->w->norm_sym, ss = t->w->stem_sym;
      if ((ns && or_tab_has(p, ns)) || (ss && or_tab_has(p, ss | TRIG_STEM)))
        return true;
      for (int k = 0; k < p->nrest; k++)
        if (pred_test(d, p->rest[k], i))
          return true;
      return false;
    }
    if (p->or_norm) {
      if (S_bsearch(p->or_norm, p->n_or_norm, t->w->norm_sym) ||
          S_bsearch(p->or_stem, p->n_or_stem, t->w->stem_sym))
        return true;
      for (int k = 0; k < p->nrest; k++)
        if (pred_test(d, p->rest[k], i))
          return true;
      return false;
    }
    for (int k = 0; k < p->nalts; k++)
      if (pred_test(d, p->alts[k], i))
        return true;
    return false;
  }
  return false;
}

/* Is token i inside a mention of types? Not "troops" of "Chinese troops",
 * a noun after the entity. */
static inline bool S_in_types(const ties_doc *d, const tok *t, uint32_t i,
                              uint32_t types) {
  if (t->mention < 0)
    return false;
  const mention *m = DOC_MENTION(d, t->mention);
  if (m->t1_core > m->t0 && i >= m->t1_core)
    return false;
  return (types & (1u << m->type)) != 0;
}

/* pred_test of token i, t, for the rarer ways of pred.fast. */
static bool S_test_other(const ties_doc *d, const pred *p, const tok *t, uint32_t i) {
  switch (p->fast) {
  case PF_BITS_REST:
    if (pbits_has(t->w, p->fbit) || (p->fent && S_in_types(d, t, i, p->fent)))
      return true;
    for (int k = p->frest; k < p->nrest; k++) {
      const pred *r = p->rest[k];
      if (r->fast == PF_REGEX ? S_regex(d, r, t) : pred_test(d, r, i))
        return true;
    }
    return false;
  case PF_REGEX:
    return S_regex(d, p, t);
  case PF_NEVER:
    return false;
  default:
    return S_walk(d, p, i);
  }
}

/* pred_test of token i, t, the way rules_compile chose for p (pred.fast):
 * the common ways here, inline in the machine's loop. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool S_test(const ties_doc *d, const pred *p, const tok *t, uint32_t i) {
  if (p->fast == PF_BITS)
    return pbits_has(t->w, p->fbit) || (p->fent && S_in_types(d, t, i, p->fent));
  if (p->fast == PF_LIT)
    return t->w->norm_sym == p->fsym;
  if (p->fast == PF_STEM)
    return t->w->stem_sym == p->fsym;
  if (p->fast == PF_ENT)
    return S_in_types(d, t, i, p->fent);
  return S_test_other(d, p, t, i);
}

bool pred_test(const ties_doc *d, const pred *p, uint32_t i) {
  return S_test(d, p, DOC_TOK(d, i), i);
}

/* ---- words ------------------------------------------------------------------- */

static const char *const S_list_skip[] = {
    "most", "notably", "especially", "particularly", "including", "also",
    "even", "then", "finally", "later", "in", "particular", "above", "all",
    "not", "least", "lastly", "eventually", "subsequently"};

/* The words the matcher looks for by name, and their bits (PB_*). */
static const struct {
  const char *w;
  unsigned bit;
} S_named[] = {{"the", PB_THE}, {"not", PB_NOT}, {"least", PB_LEAST_ONLY},
               {"only", PB_LEAST_ONLY}, {",", PB_COMMA}, {"&", PB_AMP},
               {"/", PB_SLASH}, {"-", PB_DASH}, {"and", PB_AND_OR},
               {"or", PB_AND_OR}, {"as", PB_AS}, {"well", PB_WELL},
               {"(", PB_LPAREN}, {")", PB_RPAREN}};
_Static_assert(PB_FIXED <= 32, "the named bits are one wordtab value");

static uint64_t S_named_bits_scan(const char *norm) {
  uint64_t b = 0;
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_named); k++)
    if (!strcmp(norm, S_named[k].w))
      b |= (uint64_t)1 << S_named[k].bit;
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_list_skip); k++)
    if (!strcmp(norm, S_list_skip[k]))
      b |= (uint64_t)1 << PB_LIST_SKIP;
  return b;
}

/* The same from one table: asked once per new word type. */
static wordtab S_named_tab;
static pthread_once_t S_named_once = PTHREAD_ONCE_INIT;

static void S_named_build(void) {
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_named); k++)
    wordtab_add(&S_named_tab, S_named[k].w, 1u << S_named[k].bit);
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_list_skip); k++)
    wordtab_add(&S_named_tab, S_list_skip[k], 1u << PB_LIST_SKIP);
}

static uint64_t S_named_bits(const char *norm) {
  pthread_once(&S_named_once, S_named_build);
  return wordtab_get(&S_named_tab, norm);
}

bool match_named_check(void) {
  static const char *const others[] = {"", "th", "thee", "The", "an", "least.",
                                       "—", "x"};
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_named); k++)
    if (S_named_bits(S_named[k].w) != S_named_bits_scan(S_named[k].w))
      return false;
  for (size_t k = 0; k < TIES_ARRAY_LEN(S_list_skip); k++)
    if (S_named_bits(S_list_skip[k]) != S_named_bits_scan(S_list_skip[k]))
      return false;
  for (size_t k = 0; k < TIES_ARRAY_LEN(others); k++)
    if (S_named_bits(others[k]) != S_named_bits_scan(others[k]))
      return false;
  return true;
}

/* r->pbits = the shared copy of b[0 .. nw). */
static bool S_share_bits(arena *ar, strmap *shared, wordrec *r, const uint64_t *b,
                         size_t nw) {
  size_t n = sizeof(uint64_t) * nw;
  void **slot = strmap_slot(shared, (const char *)b, n, ar);
  if (!slot)
    return false;
  if (!*slot)
    *slot = arena_dup(ar, b, n);
  r->pbits = *slot;
  r->pbits0 = r->pbits ? r->pbits[0] : 0;
  return r->pbits != NULL;
}

/* The bits of a new word type (rule.h PB_*): the words the matcher looks
 * for by name, and the word parts of the predicates it passes (pred.fbit),
 * so that a token is tested by a bit. Words are only seen once the rules
 * are compiled; the load worker's (literals, names) are never matched. */
/* r->minfo: the word sets r is in and the programs it triggers, from the
 * ruleset's indexes by its word and its stem; NULL when none. */
static bool S_word_info(const ruleset *rs, arena *ar, wordrec *r) {
  r->minfo = NULL;
  uint32_t syms[2] = {r->norm_sym, r->stem_sym};
  uint32_t n[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    uint32_t sym = syms[k];
    if (sym >= rs->nsyms)
      continue;
    if (rs->wset_norm)
      n[0] += k ? rs->wset_stem_head[sym + 1] - rs->wset_stem_head[sym]
                : rs->wset_norm_head[sym + 1] - rs->wset_norm_head[sym];
    if (sym) /* symbol 0: not a word of the rules */
      n[1] += k ? rs->stem_head[sym + 1] - rs->stem_head[sym]
                : rs->norm_head[sym + 1] - rs->norm_head[sym];
  }
  if (!n[0] && !n[1])
    return true;
  uint32_t *mi = arena_alloc(ar, sizeof(uint32_t) * (MI_LISTS + n[0] + n[1]));
  if (!mi)
    return false;
  uint32_t *o = mi + MI_LISTS;
  for (int k = 0; k < 2; k++) {
    uint32_t sym = syms[k];
    if (sym < rs->nsyms && rs->wset_norm) {
      const uint32_t *head = k ? rs->wset_stem_head : rs->wset_norm_head;
      const uint32_t *list = k ? rs->wset_stem : rs->wset_norm;
      for (uint32_t j = head[sym]; j < head[sym + 1]; j++)
        *o++ = list[j];
    }
  }
  for (int k = 0; k < 2; k++) {
    uint32_t sym = syms[k];
    if (sym && sym < rs->nsyms) {
      const uint32_t *head = k ? rs->stem_head : rs->norm_head;
      const uint32_t *list = k ? rs->stem_progs : rs->norm_progs;
      for (uint32_t j = head[sym]; j < head[sym + 1]; j++)
        *o++ = list[j];
    }
  }
  mi[0] = n[0];
  mi[1] = n[1];
  /* the signature of its sets (arena_alloc zeroed it) */
  for (uint32_t k = 0; k < n[0]; k++) {
    uint32_t b = mi[MI_LISTS + k] % SIG_BITS;
    mi[MI_SIG + b / 32] |= 1u << (b % 32);
  }
  r->minfo = mi;
  return true;
}

bool match_word_bits(const ties_engine *e, arena *ar, strmap *shared, wordrec *r,
                     int kind) {
  const ruleset *rs = e->rules;
  r->pbits = NULL;
  r->minfo = NULL;
  if (!rs || !rs->compiled)
    return true;
  if (!S_word_info(rs, ar, r))
    return false;
  /* the bits are made here, then shared: most words pass the same few */
  size_t nw = (rs->nbits + 63) / 64;
  uint64_t sb[64];
  uint64_t *b = nw <= 64 ? sb : arena_alloc(ar, sizeof(uint64_t) * nw);
  if (!b)
    return false;
  memset(b, 0, sizeof(uint64_t) * nw);
#define SET(bit) (b[(bit) >> 6] |= (uint64_t)1 << ((bit) & 63))
  b[0] = S_named_bits(r->norm); /* (PB_FIXED < 64) */
  if (!rs->bit_norm_head) /* out of memory: no predicate uses a bit */
    return S_share_bits(ar, shared, r, b, nw);
  if (r->norm_sym < rs->bit_nsyms)
    for (uint32_t k = rs->bit_norm_head[r->norm_sym]; k < rs->bit_norm_head[r->norm_sym + 1]; k++)
      SET(rs->bit_norm[k]);
  if (r->stem_sym && r->stem_sym < rs->bit_nsyms)
    for (uint32_t k = rs->bit_stem_head[r->stem_sym]; k < rs->bit_stem_head[r->stem_sym + 1]; k++)
      SET(rs->bit_stem[k]);
  /* the token classes (pred_test P_CLASS): the cache keeps a record per kind */
  uint32_t cls = 0;
  switch (kind) {
  case TK_NUMBER: cls = 1u << C_NUM; break;
  case TK_PUNCT: cls = 1u << C_PUNCT; break;
  case TK_POSS: cls = 1u << C_POSS; break;
  case TK_MONEY: cls = 1u << C_MONEY; break;
  case TK_MODEL: cls = 1u << C_MODEL; break;
  case TK_WORD:
    cls = 1u << C_WORD;
    if (r->shape & WS_INITCAP)
      cls |= 1u << C_CAP;
    break;
  }
  if (b[0] & ((uint64_t)1 << PB_THE)) /* (the predicates' bits are past PB_FIXED) */
    cls |= 1u << C_THE;
  for (int c = 0; c < C_COUNT; c++)
    if (cls & (1u << c))
      for (uint32_t k = rs->bit_class_head[c]; k < rs->bit_class_head[c + 1]; k++)
        SET(rs->bit_class[k]);
#undef SET
  return S_share_bits(ar, shared, r, b, nw);
}

/* Is token i the word of bit (PB_*)? */
static inline bool S_is(const ties_doc *d, uint32_t i, uint32_t bit) {
  return pbits_has(DOC_TOK(d, i)->w, bit);
}

/* ---- entities and lists -------------------------------------------------- */

/* a == b, for a word against a literal: most words differ at once */
static inline bool S_eq(const char *a, const char *b) {
  return a[0] == b[0] && !strcmp(a, b);
}

static bool S_norm_is(const ties_doc *d, uint32_t i, const char *s) {
  const char *n = DOC_TOK(d, i)->w->norm;
  return n[0] == s[0] && !strcmp(n, s); /* most words differ at once */
}

/* Is token i "the"? (its word id in tok.rw: no string, no record read) */
static inline bool S_is_the(const ties_doc *d, uint32_t i) {
  return (DOC_TOK(d, i)->rw & 0x7fu) == RW_ID_THE;
}

/* Does s begin with kind and a '|'? */
static bool S_kind_at(const char *s, const char *kind, size_t kn) {
  return !strncmp(s, kind, kn) && s[kn] == '|';
}

/* The mention starting at i (after an optional "the"), of types. */
/* kinds "|intl|party|": only those; "|!company|": any but those (and
 * entities without a kind, such as states) */
static bool S_kind_ok(const entity *e, const char *kinds) {
  if (!kinds || !*kinds)
    return true;
  if (!e)
    return false;
  /* is "|kind|" in the list ("|!a|b|": in "|a|b|")? */
  bool neg = kinds[1] == '!';
  size_t kn = strlen(e->kind);
  if (kn + 3 <= 64 && strlen(kinds) < 256) { /* as below, without copies */
    if (neg && !kn)
      return true;
    const char *list = neg ? kinds + 2 : kinds;
    bool in = neg && S_kind_at(list, e->kind, kn);
    for (const char *p = strchr(list, '|'); p && !in; p = strchr(p + 1, '|'))
      in = S_kind_at(p + 1, e->kind, kn);
    return in != neg;
  }
  char k[64];
  snprintf(k, sizeof k, "|%s|", e->kind);
  if (neg) {
    char excl[256];
    snprintf(excl, sizeof excl, "|%s", kinds + 2);
    return !e->kind[0] || strstr(excl, k) == NULL;
  }
  return strstr(kinds, k) != NULL;
}

static const mention *S_mention_at(const ties_doc *d, uint32_t i, uint32_t hi,
                                   uint32_t types, const entity *ent,
                                   const char *kinds, uint32_t *start) {
  if (i >= hi)
    return NULL;
  if (S_is(d, i, PB_THE) && i + 1 < hi && DOC_TOK(d, i + 1)->mention >= 0)
    i++;
  if (i >= hi)
    return NULL;
  int mi = DOC_TOK(d, i)->mention;
  if (mi < 0)
    return NULL;
  const mention *m = DOC_MENTION(d, mi);
  if (m->t0 != i || m->t1 > hi)
    return NULL;
  if (!(types & (1u << m->type)))
    return NULL;
  if (ent && m->e != ent)
    return NULL;
  if (kinds && !S_kind_ok(m->e, kinds))
    return NULL;
  if (start)
    *start = i;
  return m;
}

static bool S_skippable(const ties_doc *d, uint32_t i) {
  /* "not least" and "not only" join a list; "not by Beijing" leaves it */
  if (S_is(d, i, PB_NOT))
    return i + 1 < d->toks.len && S_is(d, i + 1, PB_LEAST_ONLY);
  return S_is(d, i, PB_LIST_SKIP);
}


/* Skip "( ... )" without mentions after a list member. */
static uint32_t S_skip_paren(const ties_doc *d, uint32_t i, uint32_t hi) {
  if (i >= hi || !S_is(d, i, PB_LPAREN))
    return i;
  for (uint32_t j = i + 1; j < hi && j < i + 12; j++) {
    if (DOC_TOK(d, j)->mention >= 0 &&
        DOC_MENTION(d, DOC_TOK(d, j)->mention)->type != TIES_DATE)
      return i;
    if (S_is(d, j, PB_RPAREN))
      return j + 1;
  }
  return i;
}

/* The sentence holding token i, or NULL: sentences are in token order. */
static const sent *S_sent_holding(const ties_doc *d, uint32_t i) {
  size_t a = 0, b = d->sents.len;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (DOC_SENT(d, mid)->t1 <= i)
      a = mid + 1;
    else
      b = mid;
  }
  for (size_t si = a; si < d->sents.len; si++) {
    const sent *st = DOC_SENT(d, si);
    if (st->t0 <= i && i < st->t1)
      return st;
    if (st->t0 > i)
      break;
  }
  return NULL;
}

/* A coordinated list from the mention at [first, end): the end of each
 * possible list, shortest first, into ends[]; returns how many. sent_hint:
 * the sentence that likely holds first. */
static int S_list(const ties_doc *d, uint32_t first, uint32_t sent_hint, uint32_t end,
                  uint32_t lo, uint32_t hi, uint32_t types, const char *kinds,
                  uint32_t *ends, int max) {
  int n = 0;
  ends[n++] = end;
  /* A member joined by a bare comma ends a list only in headlines and at
   * the start of a sentence ("China, Russia continue to..."); elsewhere a
   * list needs its "and": "visited Ukraine, Beijing said" is no list. */
  bool comma_ok = first <= lo + 1;
  if (!comma_ok) {
    /* the sentence holding first: most likely its mention's */
    const sent *st = sent_hint < d->sents.len ? DOC_SENT(d, sent_hint) : NULL;
    if (!st || st->t0 > first || first >= st->t1)
      st = S_sent_holding(d, first);
    /* headlines: headings, and the short lead sentence of a paragraph */
    comma_ok = st && ((st->flags & SF_HEADING) ||
                      ((st->flags & SF_LEAD) && st->t1 - st->t0 <= 16));
  }
  int last_valid = 0;
  uint32_t prep_tok = first > 0 ? first - 1 : UINT32_MAX;
  const char *prep = NULL;
  if (prep_tok != UINT32_MAX && (DOC_TOK(d, prep_tok)->w->cls & WC_LIST_PREP))
    prep = DOC_TOK(d, prep_tok)->w->norm;
  for (;;) {
    uint32_t q = S_skip_paren(d, end, hi);
    if (q >= hi)
      break;
    uint32_t s = q;
    bool sep = false;
    const tok *t = DOC_TOK(d, s);
    if (S_is(d, s, PB_COMMA) || S_is(d, s, PB_AMP) || S_is(d, s, PB_SLASH)) {
      s++;
      sep = true;
    } else if (S_is(d, s, PB_DASH) && !(t->flags & TF_SPACE_BEFORE) &&
               s + 1 < hi && !(DOC_TOK(d, s + 1)->flags & TF_SPACE_BEFORE)) {
      s++;
      sep = true;
    }
    bool conj = sep && !S_is(d, q, PB_COMMA);
    if (s < hi && S_is(d, s, PB_AND_OR)) {
      s++;
      sep = conj = true;
    } else if (s + 2 < hi && S_is(d, s, PB_AS) && S_is(d, s + 1, PB_WELL) &&
               S_is(d, s + 2, PB_AS)) {
      s += 3;
      sep = conj = true;
    }
    if (!sep)
      break;
    /* ", most notably, to Japan" */
    for (int k = 0; k < 4 && s < hi; k++) {
      if (S_skippable(d, s) || S_is(d, s, PB_COMMA))
        s++;
      else
        break;
    }
    if (prep && s < hi && S_norm_is(d, s, prep))
      s++;
    uint32_t st;
    const mention *m = S_mention_at(d, s, hi, types, NULL, kinds, &st);
    if (!m || n >= max)
      break;
    end = m->t1;
    ends[n++] = end;
    if (conj || comma_ok)
      last_valid = n - 1;
  }
  /* ends after the last conjunction-joined member are not list ends */
  return last_valid + 1;
}

int match_list_members(const ties_doc *d, uint32_t t0, uint32_t t1,
                       uint32_t types, const mention **out, int max) {
  int n = 0;
  for (uint32_t i = t0; i < t1 && n < max;) {
    int mi = DOC_TOK(d, i)->mention;
    if (mi >= 0) {
      const mention *m = DOC_MENTION(d, mi);
      /* a mention may end in the span, or only its core ("Chinese" of
       * "Chinese troops", S_ent) */
      bool inside = m->t1 <= t1 || (m->t1_core > m->t0 && m->t1_core <= t1);
      if (m->t0 == i && inside && (types & (1u << m->type))) {
        bool dup = false;
        for (int k = 0; k < n; k++)
          if (out[k]->e == m->e)
            dup = true;
        if (!dup)
          out[n++] = m;
        i = m->t1 < t1 ? m->t1 : t1;
        continue;
      }
    }
    i++;
  }
  return n;
}

/* Ends of the mention (or of each possible list) at pos, shortest first. */
static int S_ent(const ties_doc *d, const inst *in, uint32_t pos, uint32_t lo,
                 uint32_t hi, uint32_t *ends, int max) {
  uint32_t st;
  const mention *m = S_mention_at(d, pos, hi, in->types, in->ent, in->kinds, &st);
  if (!m)
    return 0;
  int n;
  if (in->list) {
    n = S_list(d, st, m->sent, m->t1, lo, hi, in->types, in->kinds, ends, max);
  } else {
    ends[0] = m->t1;
    n = 1;
  }
  /* "Chinese troops" may also end after "Chinese", so that a pattern can read
   * "troops" itself; tried after the whole mention */
  int k0 = n;
  for (int k = 0; k < k0 && n < max; k++) {
    uint32_t e = ends[k];
    int mi = e > st ? DOC_TOK(d, e - 1)->mention : -1;
    const mention *me = mi >= 0 ? DOC_MENTION(d, mi) : NULL;
    if (me && me->t1 == e && me->t1_core > me->t0 && me->t1_core < e) {
      memmove(&ends[k + 1], &ends[k], sizeof(uint32_t) * (size_t)(n - k));
      ends[k] = me->t1_core;
      n++;
      k++;
      k0++;
    }
  }
  return n;
}

static bool S_bos(const ties_doc *d, uint32_t pos, uint32_t lo) {
  for (uint32_t i = lo; i < pos; i++)
    if (DOC_TOK(d, i)->kind != TK_PUNCT)
      return false;
  return true;
}

static bool S_eos(const ties_doc *d, uint32_t pos, uint32_t hi) {
  for (uint32_t i = pos; i < hi; i++)
    if (DOC_TOK(d, i)->kind != TK_PUNCT)
      return false;
  return true;
}

/* ---- the machine ----------------------------------------------------------- */

/* The memo for need states, or NULL when there is none: a stamp per state,
 * so that it is forgotten (fresh) by a new generation. */
static inline uint32_t *S_memo(struct match_scratch *ms, size_t need, bool *fresh) {
  if (need > ((size_t)1 << 24))
    return NULL;
  if (need > ms->memo_cap) {
    uint32_t *m = calloc(need, sizeof(uint32_t));
    if (m) {
      free(ms->memo);
      ms->memo = m;
      ms->memo_cap = need;
      ms->memo_gen = 0;
      *fresh = true;
    }
  }
  if (need > ms->memo_cap)
    return NULL;
  if (*fresh && ++ms->memo_gen == 0) {
    memset(ms->memo, 0, ms->memo_cap * sizeof(uint32_t));
    ms->memo_gen = 1;
  }
  return ms->memo;
}

/* Room on the backtracking stack for one more entry. */
static bool S_stack_grow(struct match_scratch *ms) {
  size_t nc = ms->stack_cap ? ms->stack_cap * 2 : 256;
  bt *ns = realloc(ms->stack, nc * sizeof(bt));
  if (!ns)
    return false;
  ms->stack = ns;
  ms->stack_cap = nc;
  return true;
}

/* prog_run without a trace, on the matcher's form of the program (rule.h
 * finst): the same matches and captures as the instructions as written. */
static bool S_run_fast(const ties_doc *d, const prog *pg, uint32_t start, uint32_t lo,
                       uint32_t hi, uint32_t *slots, uint64_t *steps, uint64_t limit,
                       bool fresh) {
  struct match_scratch *ms = d->w->ms;
  size_t stride = (size_t)(hi - lo) + 1;
  uint32_t *memo = pg->nmemo ? S_memo(ms, stride * (size_t)pg->nmemo, &fresh) : NULL;
  if (start < lo || start > hi)
    memo = NULL; /* else every state is in [lo, hi] */
  const uint32_t gen = ms->memo_gen;
  const finst *code = pg->fcode;
  const tok *toks = d->toks.p;
  uint64_t nsteps = *steps;
  bt *stack = ms->stack;
  size_t sp = 0, cap = ms->stack_cap;
#define PUSH(PC, POS, SLOT, OLD)                                             \
  do {                                                                       \
    if (sp == cap) {                                                         \
      if (!S_stack_grow(ms))                                                 \
        return false;                                                        \
      stack = ms->stack;                                                     \
      cap = ms->stack_cap;                                                   \
    }                                                                        \
    stack[sp].pc = (PC);                                                     \
    stack[sp].pos = (POS);                                                   \
    stack[sp].slot = (SLOT);                                                 \
    stack[sp].old = (OLD);                                                   \
    sp++;                                                                    \
  } while (0)
#define STEP()                                                               \
  do {                                                                       \
    if (++nsteps > limit) {                                                  \
      *steps = nsteps;                                                       \
      return false;                                                          \
    }                                                                        \
  } while (0)
  /* the captures the program begins with ("SAVE 0; SAVE 3; ENT") */
  int pc0 = 0;
  while (code[pc0].op == F_SAVE && code[pc0].memo < 0) {
    slots[code[pc0].slot] = start;
    pc0 = code[pc0].x;
  }
  PUSH(pc0, start, 0, 0);
  while (sp) {
    bt top = stack[--sp];
    if (top.pc < 0) {
      slots[top.slot] = top.old;
      continue;
    }
    int pc = top.pc;
    uint32_t pos = top.pos;
    for (;;) {
      STEP();
      const finst *in = &code[pc];
      if (in->memo >= 0 && memo) {
        uint32_t *m = &memo[(size_t)in->memo * stride + (pos - lo)];
        if (*m == gen)
          break; /* explored already, and it failed */
        *m = gen;
      }
      switch (in->op) {
      case F_TOK:
        if (pos < hi && S_test(d, in->p, &toks[pos], pos)) {
          pos++;
          pc = in->x;
          continue;
        }
        break;
      case F_TOK_ANCHOR:
        if (pos < hi && S_test(d, in->p, &toks[pos], pos)) {
          if (slots[2] == UNSET) {
            PUSH(-1, 0, 2, UNSET);
            slots[2] = pos;
          }
          pos++;
          pc = in->x;
          continue;
        }
        break;
      case F_NOT:
        if (pos < hi && !S_test(d, in->p, &toks[pos], pos)) {
          pos++;
          pc = in->x;
          continue;
        }
        break;
      case F_NOTAFTER:
        if (pos > lo && S_test(d, in->p, &toks[pos - 1], pos - 1))
          break;
        pc = in->x;
        continue;
      case F_NOTNEXT:
        if (pos < hi && S_test(d, in->p, &toks[pos], pos))
          break;
        pc = in->x;
        continue;
      case F_ANY:
        if (pos < hi) {
          pos++;
          pc = in->x;
          continue;
        }
        break;
      case F_ENT: {
        uint32_t ends[64];
        int ne = S_ent(d, &pg->code[pc], pos, lo, hi, ends, 64);
        if (!ne)
          break;
        for (int k = 0; k + 1 < ne; k++)
          PUSH(in->x, ends[k], 0, 0);
        pos = ends[ne - 1];
        pc = in->x;
        continue;
      }
      case F_SPLIT: {
        /* a branch whose next token fails its guard is not tried */
        const tok *t = &toks[pos];
        bool tx = !in->p || (pos < hi && S_test(d, in->p, t, pos));
        bool ty = !in->q || (pos < hi && S_test(d, in->q, t, pos));
        if (tx) {
          if (ty)
            PUSH(in->y, pos, 0, 0);
          pc = in->x;
          continue;
        }
        if (ty) {
          pc = in->y;
          continue;
        }
        break;
      }
      case F_GAP: {
        /* Where the guard of what follows the gap lets it begin, that is
         * tried first; else the gap reads the token, and goes on here while
         * the next step is one of the gap's. */
        bool ok = true;
        for (;;) {
          const tok *t = &toks[pos];
          if (!in->p || (pos < hi && S_test(d, in->p, t, pos))) {
            PUSH(in->y, pos, 0, 0);
            pc = in->x;
            break;
          }
          if (pos >= hi || (in->q && S_test(d, in->q, t, pos))) {
            ok = false;
            break;
          }
          pos++;
          nsteps++; /* the token's */
          pc = code[in->y].x;
          in = &code[pc];
          if (in->op != F_GAP || in->memo >= 0)
            break;
          STEP();
        }
        if (!ok)
          break;
        continue;
      }
      case F_JMP:
        pc = in->x;
        continue;
      case F_SAVE:
        slots[in->slot] = pos;
        pc = in->x;
        continue;
      case F_SAVE_UNDO:
        PUSH(-1, 0, in->slot, slots[in->slot]);
        slots[in->slot] = pos;
        pc = in->x;
        continue;
      case F_BOS:
        if (S_bos(d, pos, lo)) {
          pc = in->x;
          continue;
        }
        break;
      case F_EOS:
        if (S_eos(d, pos, hi)) {
          pc = in->x;
          continue;
        }
        break;
      case F_MATCH:
        *steps = nsteps;
        return true;
      default:
        break;
      }
      break; /* failed: backtrack */
    }
  }
#undef PUSH
#undef STEP
  *steps = nsteps;
  return false;
}

bool prog_run(const ties_doc *d, const prog *pg, uint32_t start, uint32_t lo,
              uint32_t hi, uint32_t *slots, uint64_t *steps, uint64_t limit,
              trace_fail *fail, bool fresh) {
  struct match_scratch *ms = d->w->ms;
  for (int i = 0, n = pg->nslots; i < n; i++)
    slots[i] = UNSET;
  if (!fail && pg->fcode)
    return S_run_fast(d, pg, start, lo, hi, slots, steps, limit, fresh);
  /* a trace runs the instructions as written: where it stops is theirs */
  size_t stride = (size_t)(hi - lo) + 1;
  uint32_t *memo = S_memo(ms, stride * (size_t)pg->n, &fresh);
  const uint32_t gen = ms->memo_gen;
  uint64_t nsteps = *steps;
  size_t sp = 0;
#define PUSH(PC, POS, SLOT, OLD)                                             \
  do {                                                                       \
    if (sp == ms->stack_cap && !S_stack_grow(ms))                            \
      return false;                                                          \
    ms->stack[sp].pc = (PC);                                                 \
    ms->stack[sp].pos = (POS);                                               \
    ms->stack[sp].slot = (SLOT);                                             \
    ms->stack[sp].old = (OLD);                                               \
    sp++;                                                                    \
  } while (0)
  PUSH(0, start, 0, 0);
  while (sp) {
    bt top = ms->stack[--sp];
    if (top.pc < 0) {
      slots[top.slot] = top.old;
      continue;
    }
    int pc = top.pc;
    uint32_t pos = top.pos;
    for (;;) {
      if (++nsteps > limit) {
        *steps = nsteps;
        return false;
      }
      const inst *in = &pg->code[pc];
      /* paths meet again only after a branch: states are remembered there */
      if (memo && (in->op == I_SPLIT || in->op == I_ENT) && pos >= lo && pos <= hi) {
        uint32_t *m = &memo[(size_t)(pos - lo) * (size_t)pg->n + (size_t)pc];
        if (*m == gen)
          break; /* explored already, and it failed */
        *m = gen;
      }
      bool ok = true;
      switch (in->op) {
      case I_TOK:
        if (pos < hi && pred_test(d, in->p, pos)) {
          if (in->anchor && slots[2] == UNSET) {
            PUSH(-1, 0, 2, UNSET);
            slots[2] = pos;
          }
          pos++;
          pc++;
        } else {
          ok = false;
        }
        break;
      case I_NOT:
        if (pos < hi && !pred_test(d, in->p, pos)) {
          pos++;
          pc++;
        } else {
          ok = false;
        }
        break;
      case I_NOTAFTER:
        if (pos > lo && pred_test(d, in->p, pos - 1))
          ok = false;
        else
          pc++;
        break;
      case I_NOTNEXT:
        if (pos < hi && pred_test(d, in->p, pos))
          ok = false;
        else
          pc++;
        break;
      case I_ANY:
        if (pos < hi) {
          pos++;
          pc++;
        } else {
          ok = false;
        }
        break;
      case I_ENT: {
        /* a list may end after any member: longest first, the shorter
         * ones left on the stack for backtracking */
        uint32_t ends[64];
        int ne = S_ent(d, in, pos, lo, hi, ends, 64);
        if (ne) {
          for (int k = 0; k + 1 < ne; k++)
            PUSH(pc + 1, ends[k], 0, 0);
          pos = ends[ne - 1];
          pc++;
        } else {
          ok = false;
        }
        break;
      }
      case I_SPLIT:
        PUSH(in->y, pos, 0, 0);
        pc = in->x;
        break;
      case I_JMP:
        pc = in->x;
        break;
      case I_SAVE:
        PUSH(-1, 0, in->x, slots[in->x]);
        slots[in->x] = pos;
        pc++;
        break;
      case I_BOS:
        if (S_bos(d, pos, lo))
          pc++;
        else
          ok = false;
        break;
      case I_EOS:
        if (S_eos(d, pos, hi))
          pc++;
        else
          ok = false;
        break;
      case I_MATCH:
        *steps = nsteps;
        return true;
      default:
        ok = false;
      }
      if (!ok) {
        if (fail && (!fail->set || pos > fail->pos ||
                     (pos == fail->pos && pc > fail->pc))) {
          fail->set = true;
          fail->pos = pos;
          fail->pc = pc;
        }
        break;
      }
    }
  }
#undef PUSH
  *steps = nsteps;
  return false;
}

/* Is the phrase starting at token i inside a relative clause, and not its
 * subject? "Qatar, which has hosted the Taliban's office since 2013,
 * mediated": the Taliban is the object of "hosted", not the subject of
 * "mediated"; in "the talks, which Beijing hosted, ended" Beijing is the
 * clause's own subject. */
static bool S_inside_relative(const ties_doc *d, uint32_t i, uint32_t lo) {
  if (i > lo && S_is_the(d, i - 1))
    i--;
  for (uint32_t k = i; k-- > lo;) {
    const char *n = DOC_TOK(d, k)->w->norm;
    if ((n[0] == ',' || n[0] == ';' || n[0] == '(' || n[0] == ':') && n[1] == 0)
      return false;
    if ((S_eq(n, "which") || S_eq(n, "who") || S_eq(n, "whom")) && k > lo &&
        S_norm_is(d, k - 1, ","))
      return k + 1 < i;
  }
  return false;
}

/* An actor that opens a match is its subject: not the object of a
 * preposition ("was in Beijing to meet"), except after words of origin
 * ("officials from Switzerland ... visited"), and not inside a relative
 * clause. */
static bool S_object_of_prep(const ties_doc *d, uint32_t i, uint32_t lo,
                             bool poss_next) {
  if (S_inside_relative(d, i, lo))
    return true;
  /* "from Beijing, which condemned": the subject of a relative clause */
  int mi = DOC_TOK(d, i)->mention;
  if (mi < 0 && i + 1 < d->toks.len)
    mi = DOC_TOK(d, i + 1)->mention;
  if (mi >= 0) {
    uint32_t e = DOC_MENTION(d, mi)->t1;
    /* "during Abbas' visit": a possessor is a subject of its noun, in
     * patterns that read it so */
    if (poss_next && e < d->toks.len && DOC_TOK(d, e)->kind == TK_POSS)
      return false;
    if (e < d->toks.len && S_eq(DOC_TOK(d, e)->w->norm, ","))
      e++;
    if (e < d->toks.len && (S_eq(DOC_TOK(d, e)->w->norm, "which") ||
                            S_eq(DOC_TOK(d, e)->w->norm, "who")))
      return false;
    /* "the Grand Ethiopian Renaissance Dam": a demonym inside a longer
     * name, capitalised words on both sides, is not a subject */
    const mention *m = DOC_MENTION(d, mi);
    uint32_t end = m->t1_core > m->t0 ? m->t1_core : m->t1;
    if (m->how == HOW_DEMONYM && m->t0 > lo + 1 && end < DOC_SENT(d, m->sent)->t1) {
      const tok *a = DOC_TOK(d, m->t0 - 1), *b = DOC_TOK(d, end);
      if (a->kind == TK_WORD && a->mention < 0 && (a->w->shape & WS_INITCAP) &&
          b->kind == TK_WORD && b->mention < 0 && (b->w->shape & WS_INITCAP))
        return true;
    }
  }
  /* the token before the phrase: before "the" when the match starts at it
   * or the mention follows it */
  if (S_eq(DOC_TOK(d, i)->w->norm, "the")) {
  } else if (i > lo && S_eq(DOC_TOK(d, i - 1)->w->norm, "the")) {
    i--;
  }
  if (i <= lo)
    return false;
  const wordrec *prev = DOC_TOK(d, i - 1)->w;
  /* "criticizing the US": the object of a participle */
  size_t pl = strlen(prev->norm);
  if (pl >= 6 && S_eq(prev->norm + pl - 3, "ing") && (prev->shape & WS_LOWER) &&
      !(prev->cls & WC_NOT_PARTICIPLE))
    return true;
  if (!(prev->cls & WC_PREP))
    return false;
  if (S_eq(prev->norm, "from") && i >= 2 + lo &&
      (DOC_TOK(d, i - 2)->w->cls & WC_ORIGIN))
    return false;
  /* "officials in Hanoi protested": a capital standing for its government */
  if (S_eq(prev->norm, "in") && i >= 2 + lo && DOC_TOK(d, i)->mention >= 0 &&
      DOC_MENTION(d, DOC_TOK(d, i)->mention)->how == HOW_CAPITAL) {
    static const char *const govt[] = {"officials", "authorities", "leaders",
                                       "diplomats", "lawmakers", "government",
                                       "policymakers"};
    const char *w = DOC_TOK(d, i - 2)->w->norm;
    for (size_t k = 0; k < TIES_ARRAY_LEN(govt); k++)
      if (!strcmp(w, govt[k]))
        return false;
  }
  return true;
}

static bool S_may_start_at(const ties_doc *d, const prog *pg, int pc, uint32_t i,
                           uint32_t lo, uint32_t hi);

/* S_object_of_prep(), kept for the sentence seen when lo is its start: the
 * programs that begin with an entity all ask it at the mentions. */
static bool S_subject_not(const ties_doc *d, uint32_t i, uint32_t lo, bool poss_next) {
  struct match_scratch *ms = d->w->ms;
  if (!ms->seen_gen || ms->seen_doc != d || lo != DOC_SENT(d, ms->seen_si)->t0 ||
      i < lo || i - lo >= ms->oop_cap)
    return S_object_of_prep(d, i, lo, poss_next);
  uint32_t x = i - lo;
  if (ms->oop_stamp[x] != ms->seen_gen) {
    ms->oop_stamp[x] = ms->seen_gen;
    ms->oop_val[x] = 0;
  }
  /* bits: asked and answer, without and with a possessive next */
  unsigned asked = poss_next ? 4u : 1u, yes = asked << 1;
  if (!(ms->oop_val[x] & asked)) {
    ms->oop_val[x] |= (uint8_t)asked;
    if (S_object_of_prep(d, i, lo, poss_next))
      ms->oop_val[x] |= (uint8_t)yes;
  }
  return ms->oop_val[x] & yes;
}

/* Could entity element in begin at token i, whatever the end of the span
 * it is matched in: S_mention_at() without the end. */
static bool S_ent_may_begin(const ties_doc *d, const inst *in, uint32_t i) {
  for (uint32_t j = i; j < d->toks.len && j <= i + 1; j++) {
    int mi = DOC_TOK(d, j)->mention;
    if (j > i && !S_is(d, i, PB_THE))
      break;
    if (mi < 0)
      continue;
    const mention *m = DOC_MENTION(d, mi);
    if (m->t0 == j && (in->types & (1u << m->type)) && (!in->ent || m->e == in->ent) &&
        (!in->kinds || S_kind_ok(m->e, in->kinds)))
      return true;
  }
  return false;
}

/* Could a match start at token i? A look at the elements it can begin with. */
static bool S_may_start(const ties_doc *d, const prog *pg, uint32_t i,
                        uint32_t lo, uint32_t hi) {
  if (pg->nfirst < 0)
    return true;
  if (pg->first_or)
    return pred_test(d, pg->first_or, i);
  for (int k = 0; k < pg->nfirst; k++)
    if (S_may_start_at(d, pg, pg->first[k], i, lo, hi))
      return true;
  return false;
}

static bool S_may_start_at(const ties_doc *d, const prog *pg, int pc, uint32_t i,
                           uint32_t lo, uint32_t hi) {
  const inst *in = &pg->code[pc];
  switch (in->op) {
  case I_ENT:
    return S_mention_at(d, i, hi, in->types, in->ent, in->kinds, NULL) != NULL &&
           !S_subject_not(d, i, lo, in->poss_next);
  case I_TOK:
    return pred_test(d, in->p, i);
  default:
    return true;
  }
}

/* Could sentence si hold a match of pg: does it have a word of each set the
 * program requires (marked in seen_* by S_candidates)? */
/* Does the sentence hold a word of word set id? (marked by S_candidates) */
static bool S_wset_met(const struct match_scratch *ms, uint32_t id) {
  return id >= ms->nwset || (uint32_t)ms->wset_seen[id] == ms->seen_gen;
}

/* Does token i hold a word of word set id? */
static bool S_tok_in_wset(const ties_doc *d, uint32_t i, uint32_t id) {
  const tok *t = DOC_TOK(d, i);
  if (!(t->rw & RB_RULE_WORD))
    return false; /* in no set: its record is not read */
  const uint32_t *mi = t->w->minfo;
  for (uint32_t k = 0; k < mi[0]; k++)
    if (mi[MI_LISTS + k] == id)
      return true;
  return false;
}

/* The last start a match of pg can have in sentence si: the elements that
 * require words come in order, so the first of them needs a word at or
 * after the start with words of the others after it. */
static uint32_t S_last_start_of(const ties_doc *d, uint32_t lo, uint32_t hi,
                                const uint32_t *conj, int nconj);

static uint32_t S_last_start(const ties_doc *d, uint32_t lo, uint32_t hi,
                             const prog *pg) {
  return S_last_start_of(d, lo, hi, pg->conj, pg->nconj);
}

/* The same for a program's word sets conj[0 .. nconj) (its own, or their
 * copy in ruleset.need_all, which the candidate check has just read). */
static uint32_t S_last_start_of(const ties_doc *d, uint32_t lo, uint32_t hi,
                                const uint32_t *conj, int nconj) {
  if (!nconj || !d->e->rules->wset_norm)
    return hi;
  const struct match_scratch *ms = d->w->ms;
  /* the last token of the sentence with a word of a set is known: where it
   * lies before the point reached, the scan can jump there */
  bool known = ms->nwset && ms->seen_doc == d && lo >= DOC_SENT(d, ms->seen_si)->t0 &&
               hi <= DOC_SENT(d, ms->seen_si)->t1;
  int k = nconj - 1;
  for (uint32_t i = hi; i > lo;) {
    uint32_t id = conj[k];
    if (known && id < ms->nwset) {
      if ((uint32_t)ms->wset_seen[id] != ms->seen_gen)
        return UINT32_MAX;
      uint32_t at = (uint32_t)(ms->wset_seen[id] >> 32);
      if (at < i) {
        if (at < lo)
          return UINT32_MAX;
        i = at;
        if (--k < 0)
          return i;
        continue;
      }
    }
    i--;
    if (S_tok_in_wset(d, i, id) && --k < 0)
      return i;
  }
  return UINT32_MAX; /* not in order: nothing can match */
}

/* The mentions of the sentence seen of the types in mask. */
static uint32_t S_mask_have(struct match_scratch *ms, uint32_t mask) {
  if (mask < 256 && ms->mask_stamp[mask] == ms->seen_gen)
    return ms->mask_have[mask];
  uint32_t have = 0;
  for (uint32_t m = mask; m; m &= m - 1)
    have += ms->type_count[__builtin_ctz(m)];
  if (mask < 256) {
    ms->mask_stamp[mask] = ms->seen_gen;
    ms->mask_have[mask] = have;
  }
  return have;
}

/* S_conj_met() of a relation rule's program from its record in
 * ruleset.need_all, for the sentence seen, without reading the program. */
static bool S_need_met(struct match_scratch *ms, const uint32_t *nd) {
  uint32_t nconj = nd[0], nent = nd[1];
  const uint32_t *ws = nd + 2, *em = ws + nconj;
  for (uint32_t i = 0; i < nent; i++)
    if (S_mask_have(ms, em[2 * i]) < em[2 * i + 1])
      return false;
  for (uint32_t i = 0; i < nconj; i++)
    if (!S_wset_met(ms, ws[i]))
      return false;
  return true;
}

static bool S_conj_met(const ties_doc *d, uint32_t si, const prog *pg) {
  struct match_scratch *ms = d->w->ms;
  if (!ms->nseen || ms->seen_doc != d || ms->seen_si != si)
    return true; /* not known: the program must run */
  if (!pg->nconj && !pg->n_ent_masks)
    return true;
  if (pg->conj_sig & ~ms->sent_sig)
    return false; /* a word set none of the sentence's words is in */
  bool cached = pg->id < ms->nconj;
  if (cached && ms->conj_stamp[pg->id] == ms->seen_gen)
    return ms->conj_val[pg->id];
  bool met = true;
  /* each entity element needs a mention of its own */
  for (int i = 0; i < pg->n_ent_masks && met; i++)
    if (S_mask_have(ms, pg->ent_masks[i]) < pg->ent_need[i])
      met = false;
  for (int i = 0; i < pg->nconj && met; i++)
    met = S_wset_met(ms, pg->conj[i]);
  if (cached) {
    ms->conj_stamp[pg->id] = ms->seen_gen;
    ms->conj_val[pg->id] = met;
  }
  return met;
}

/* Could a match of pg begin at token i? Only the tokens it must begin with
 * are tested; unlike S_may_start(), no subject conditions. */
static bool S_may_begin(const ties_doc *d, const prog *pg, uint32_t i) {
  if (pg->nfirst < 0)
    return true;
  if (pg->first_or)
    return pred_test(d, pg->first_or, i);
  for (int k = 0; k < pg->nfirst; k++) {
    const inst *in = &pg->code[pg->first[k]];
    if (in->op != I_TOK && (in->op != I_ENT || S_ent_may_begin(d, in, i)))
      return true;
  }
  if (pg->first_tok_or)
    return pred_test(d, pg->first_tok_or, i);
  for (int k = 0; k < pg->nfirst; k++) {
    const inst *in = &pg->code[pg->first[k]];
    if (in->op == I_TOK && pred_test(d, in->p, i))
      return true;
  }
  return false;
}

/* ---- modality -------------------------------------------------------------- */

static int S_modality_run(ties_doc *d, const rule *r, uint32_t si, uint32_t mstart,
                          uint32_t anchor, uint32_t *cue0, uint32_t *cue1);

/* S_may_begin for the program of a cue; when it depends on the word alone,
 * the answer is kept in the worker's own word record. */
static bool S_cue_may_begin(const ties_doc *d, const prog *pg, uint32_t i) {
  uint32_t k = pg->id - d->e->rules->cue_prog0;
  if (!pg->first_by_word || pg->id < d->e->rules->cue_prog0 || k >= 16)
    return S_may_begin(d, pg, i);
  wordrec *w = (wordrec *)DOC_TOK(d, i)->w;
  uint16_t bit = (uint16_t)(1u << k);
  if (!(w->cue_asked & bit)) {
    w->cue_asked |= bit;
    if (S_may_begin(d, pg, i))
      w->cue_yes |= bit;
  }
  return (w->cue_yes & bit) != 0;
}

/* The modality of a match of r in sentence si that starts at mstart with
 * its anchor (first literal word) at anchor; the cue's tokens into
 * [*cue0, *cue1). It depends on r only through the modalities r allows. */
static int S_modality(ties_doc *d, const rule *r, uint32_t si, uint32_t mstart,
                      uint32_t anchor, uint32_t *cue0, uint32_t *cue1) {
  struct match_scratch *ms = d->w->ms;
  if (!ms->seen_gen || ms->seen_doc != d || ms->seen_si != si)
    return S_modality_run(d, r, si, mstart, anchor, cue0, cue1);
  struct mod_memo *m = &ms->mod_memo[(mstart * 31 + anchor * 7 + r->allow) & 15];
  if (m->gen != ms->seen_gen || m->mstart != mstart || m->anchor != anchor ||
      m->allow != r->allow) {
    m->gen = ms->seen_gen;
    m->mstart = mstart;
    m->anchor = anchor;
    m->allow = r->allow;
    m->c0 = m->c1 = 0;
    m->mod = S_modality_run(d, r, si, mstart, anchor, &m->c0, &m->c1);
  }
  if (m->mod != MOD_ASSERTED) {
    *cue0 = m->c0;
    *cue1 = m->c1;
  }
  return m->mod;
}

static int S_modality_run(ties_doc *d, const rule *r, uint32_t si, uint32_t mstart,
                          uint32_t anchor, uint32_t *cue0, uint32_t *cue1) {
  const ruleset *rs = d->e->rules;
  const sent *s = DOC_SENT(d, si);
  uint32_t w0 = mstart > s->t0 + 4 ? mstart - 4 : s->t0;
  /* "condemned Russia's invasion": a possessive noun phrase is its own
   * clause; a cue before it counts only when it ends right before it
   * ("the procedure for Iran's accession") */
  bool nominal = false;
  int pm = DOC_TOK(d, mstart)->mention;
  if (pm < 0 && mstart + 1 < s->t1)
    pm = DOC_TOK(d, mstart + 1)->mention;
  if (pm >= 0) {
    uint32_t e = DOC_MENTION(d, pm)->t1;
    if (e < s->t1 && DOC_TOK(d, e)->kind == TK_POSS)
      nominal = true;
  }
  for (uint32_t i = w0; i < mstart; i++) {
    const char *n = DOC_TOK(d, i)->w->norm;
    if (S_eq(n, ",") || S_eq(n, ";") || S_eq(n, ":") ||
        S_eq(n, "(") || !strcmp(n, "\"") || S_eq(n, "-"))
      w0 = i + 1;
  }
  if (anchor < w0)
    return MOD_ASSERTED;
  uint32_t slots[64];
  uint64_t steps = 0;
  for (size_t c = 0; c < rs->cues.len; c++) {
    const rule *cue = VEC_AT(&rs->cues, rule *, c);
    if (r->allow & (1u << cue->cue_kind))
      continue;
    for (int pi = 0; pi < cue->nprogs; pi++) {
      const prog *pg = &cue->progs[pi];
      if (pg->nslots > 64 || !S_conj_met(d, si, pg))
        continue;
      uint32_t last = S_last_start(d, w0, anchor, pg);
      if (last == UINT32_MAX)
        continue;
      bool fresh = true;
      for (uint32_t p = w0; p < anchor && p <= last; p++) {
        if (!S_cue_may_begin(d, pg, p))
          continue;
        steps = 0;
        bool ok = prog_run(d, pg, p, s->t0, anchor, slots, &steps,
                           d->e->set.match_step_limit, NULL, fresh);
        fresh = ok;
        if (ok) {
          if (nominal && p < mstart && slots[1] != mstart)
            continue;
          /* a cue is never part of a name ("PLAN" is not "plan"); its gaps
           * may span one ("invited Vladimir Putin to") */
          bool in_name = false;
          uint32_t ends2[2] = {slots[0], slots[1] - 1};
          for (int q = 0; q < 2; q++) {
            int mi = DOC_TOK(d, ends2[q])->mention;
            if (mi >= 0 && DOC_MENTION(d, mi)->e)
              in_name = true;
          }
          if (in_name)
            continue;
          *cue0 = slots[0];
          *cue1 = slots[1];
          return cue->cue_kind;
        }
      }
    }
  }
  /* "rejected as groundless claims by a think tank that PLA officers had
   * trained": a clause that is the content of a denial or a report reaches
   * further back, to the noun or verb that takes it */
  for (uint32_t k = w0; k < mstart; k++) {
    if (!S_eq(DOC_TOK(d, k)->w->norm, "that"))
      continue;
    uint32_t w1 = k > s->t0 + 12 ? k - 12 : s->t0;
    for (uint32_t i = w1; i < k; i++) {
      const char *n = DOC_TOK(d, i)->w->norm;
      if (S_eq(n, ",") || S_eq(n, ";") || S_eq(n, ":") || S_eq(n, "("))
        w1 = i + 1;
    }
    for (size_t c = 0; c < rs->cues.len; c++) {
      const rule *cue = VEC_AT(&rs->cues, rule *, c);
      if ((cue->cue_kind != MOD_DENIED && cue->cue_kind != MOD_RUMORED) ||
          (r->allow & (1u << cue->cue_kind)))
        continue;
      for (int pi = 0; pi < cue->nprogs; pi++) {
        const prog *pg = &cue->progs[pi];
        if (pg->nslots > 64 || !S_conj_met(d, si, pg))
          continue;
        for (uint32_t p = w1; p < k; p++) {
          if (!S_cue_may_begin(d, pg, p))
            continue;
          steps = 0;
          /* the cue must end at the "that" it introduces */
          if (prog_run(d, pg, p, s->t0, k + 1, slots, &steps,
                       d->e->set.match_step_limit, NULL, true) &&
              slots[1] == k + 1) {
            *cue0 = slots[0];
            *cue1 = slots[1];
            return cue->cue_kind;
          }
        }
      }
    }
  }
  /* "held no joint exercises", "sent no troops": a negated object */
  for (uint32_t k = anchor + 1; k < s->t1 && k <= anchor + 2; k++) {
    if (S_eq(DOC_TOK(d, k)->w->norm, "no") && !(r->allow & (1u << MOD_NEGATED))) {
      *cue0 = k;
      *cue1 = k + 1;
      return MOD_NEGATED;
    }
  }
  return MOD_ASSERTED;
}

/* ---- emitting ---------------------------------------------------------------- */

typedef struct binding {
  const entity *e[64];
  int n;
} binding;

static const entity *S_country_entity(const ties_doc *d, const entity *e) {
  if (e && e->type == TIES_PLACE && e->country[0])
    return engine_entity(d->e, e->country);
  return e;
}

/* The subject of sentence si: its first actor, skipping sources
 * ("according to Reuters") and news organisations. */
static const entity *S_subject(const ties_doc *d, uint32_t si) {
  const sent *s = DOC_SENT(d, si);
  bool skip_clause = false;
  for (uint32_t i = s->t0; i < s->t1; i++) {
    const tok *t = DOC_TOK(d, i);
    if (S_eq(t->w->norm, "according") && i + 1 < s->t1 &&
        S_eq(DOC_TOK(d, i + 1)->w->norm, "to"))
      skip_clause = true;
    if (skip_clause && S_eq(t->w->norm, ","))
      skip_clause = false;
    if (skip_clause || t->mention < 0)
      continue;
    const mention *m = DOC_MENTION(d, t->mention);
    if (!m->e || !(m->type == TIES_COUNTRY || m->type == TIES_ORG ||
                   m->type == TIES_PERSON))
      continue;
    if (m->type == TIES_ORG &&
        (S_eq(m->e->kind, "media") || S_eq(m->e->kind, "research")))
      continue;
    if (S_subject_not(d, m->t0, s->t0, false)) {
      i = m->t1 - 1;
      continue;
    }
    return m->e;
  }
  return NULL;
}

/* The actor named last in the paragraph before token pos. */
static const entity *S_context(const ties_doc *d, uint32_t si, uint32_t pos,
                               const entity *const *bound, int nbound,
                               uint32_t types) {
  uint32_t para = DOC_SENT(d, si)->para;
  for (size_t k = d->mentions.len; k-- > 0;) {
    const mention *m = DOC_MENTION(d, k);
    if (m->t0 >= pos)
      continue;
    if (DOC_SENT(d, m->sent)->para != para)
      break;
    if (!m->e || !((types ? types : T_ACTOR) & (1u << m->type)))
      continue;
    bool skip = false;
    for (int b = 0; b < nbound; b++)
      if (bound[b] == m->e ||
          (bound[b] && !strcmp(bound[b]->country, m->e->country)))
        skip = true;
    if (!skip)
      return m->e;
  }
  return types && !(types & T_COUNTRY) ? NULL : d->main_actor;
}

/* "the two sides", "the two leaders": the last two parties of different
 * states named before token pos, in its sentence or the one before it in
 * the same paragraph; places and actors named after "in", "at", "to" or
 * "from" ("in Beijing") only when the others do not make two. Fewer than
 * two: none. */
static int S_pair_pass(const ties_doc *d, uint32_t si, uint32_t pos, uint32_t types,
                       bool places, const entity *out[2]) {
  uint32_t para = DOC_SENT(d, si)->para;
  int n = 0;
  for (size_t k = d->mentions.len; k-- > 0 && n < 2;) {
    const mention *m = DOC_MENTION(d, k);
    if (m->t0 >= pos)
      continue;
    if (m->sent + 1 < si || DOC_SENT(d, m->sent)->para != para)
      break;
    if (!m->e)
      continue;
    uint32_t b = m->t0;
    if (b > 0 && S_is_the(d, b - 1))
      b--;
    bool locative = m->type == TIES_PLACE ||
                    (b > 0 && (S_norm_is(d, b - 1, "in") || S_norm_is(d, b - 1, "at") ||
                               S_norm_is(d, b - 1, "to") || S_norm_is(d, b - 1, "from")));
    if (locative && !places)
      continue;
    /* a place ("arrived in Karachi") stands for its state */
    const entity *e = m->type == TIES_PLACE && (types & T_COUNTRY) ? S_country_entity(d, m->e)
                                                                   : m->e;
    if (!e || !(types & (1u << e->type)))
      continue;
    if (n == 1 && (out[0] == e || !strcmp(out[0]->country, e->country)))
      continue;
    out[n++] = e;
  }
  return n == 2 ? 2 : 0;
}

static int S_pair(const ties_doc *d, uint32_t si, uint32_t pos, uint32_t types,
                  const entity *out[2]) {
  if (!types)
    types = T_ACTOR;
  /* "Wei visited Nepal and then Pakistan, where the two countries signed":
   * the place "where" points back to, and the subject of the sentence */
  uint32_t b = pos;
  if (b > 0 && S_is_the(d, b - 1))
    b--;
  if (b > DOC_SENT(d, si)->t0 && S_norm_is(d, b - 1, "where")) {
    const entity *subj = S_subject(d, si);
    for (size_t k = d->mentions.len; k-- > 0;) {
      const mention *m = DOC_MENTION(d, k);
      if (m->t0 >= b)
        continue;
      if (m->sent != si)
        break;
      const entity *e = m->e ? S_country_entity(d, m->e) : NULL;
      if (!e)
        continue;
      if (subj && strcmp(e->country, subj->country) != 0) {
        out[0] = subj;
        out[1] = e;
        return 2;
      }
      break;
    }
    return 0;
  }
  if (S_pair_pass(d, si, pos, types, false, out) == 2)
    return 2;
  return S_pair_pass(d, si, pos, types, true, out);
}

static void S_arg(const ties_doc *d, const rule *r, const emit_arg *a,
                  const uint32_t *slots, uint32_t si, binding *out,
                  const entity *const *bound, int nbound) {
  out->n = 0;
  switch (a->kind) {
  case A_ENTITY:
    out->e[out->n++] = a->ent;
    return;
  case A_MAIN:
    if (d->main_actor)
      out->e[out->n++] = d->main_actor;
    return;
  case A_CONTEXT: {
    const entity *c = S_context(d, si, slots[0], bound, nbound, a->types);
    if (c)
      out->e[out->n++] = c;
    return;
  }
  case A_SUBJECT: {
    const entity *c = S_subject(d, si);
    if (c)
      out->e[out->n++] = c;
    return;
  }
  case A_PAIR: {
    const entity *two[2];
    /* "the two leaders": the people if two are named, else their states */
    if (S_pair(d, si, slots[0], a->types, two) == 2 ||
        (a->types && S_pair(d, si, slots[0], 0, two) == 2)) {
      out->e[out->n++] = two[0];
      out->e[out->n++] = two[1];
    }
    return;
  }
  case A_CAPTURE: {
    uint32_t t0 = slots[3 + 2 * a->cap], t1 = slots[4 + 2 * a->cap];
    if (t0 == UNSET || t1 == UNSET || t1 <= t0)
      return;
    uint32_t types = r->cap_types[a->cap];
    if (!types)
      types = T_ACTOR | T_PLATFORM | T_PLACE;
    const mention *ms[64];
    int n = match_list_members(d, t0, t1, types, ms, 64);
    if (!r->cap_list[a->cap] && n > 1)
      n = 1;
    for (int i = 0; i < n; i++)
      if (ms[i]->e)
        out->e[out->n++] = ms[i]->e;
    return;
  }
  }
}

enum { WHY_ALSO_SUBJECT = 1, WHY_OWN_STATE, WHY_SUBJECT_TYPE, WHY_OBJECT_TYPE };

static bool S_in_binding(const binding *bd, const entity *a, const entity *b);
static bool S_type_ok(uint32_t m, const entity *e);

/* Why the candidate (se, pd, oe) is dropped (WHY_*), or 0; ob is the object
 * as bound, before it stood for its state. */
static int S_check(const entity *se, const entity *oe, const predicate *pd,
                   const binding *sb, const entity *ob, bool pairwise) {
  /* "China, Russia and Iran held drills near Iran": one of the subjects is
   * not the object of their own act */
  if (!pd->symmetric && sb->n > 1 && !pairwise && S_in_binding(sb, ob, oe))
    return WHY_ALSO_SUBJECT;
  if ((oe->type == TIES_COUNTRY && !strcmp(se->country, oe->id)) ||
      (se->type == TIES_COUNTRY && !strcmp(oe->country, se->id)))
    return WHY_OWN_STATE;
  if (!S_type_ok(pd->subject_mask, se))
    return WHY_SUBJECT_TYPE;
  if (!S_type_ok(pd->object_mask, oe))
    return WHY_OBJECT_TYPE;
  return 0;
}

/* The text of a WHY_* reason. */
static const char *S_why(ties_doc *d, int why, const entity *se, const entity *oe,
                         const predicate *pd) {
  switch (why) {
  case WHY_ALSO_SUBJECT:
    return arena_printf(&d->ar, "%s is also one of the subjects", oe->id);
  case WHY_OWN_STATE:
    return arena_printf(&d->ar, "%s acts for %s: a party and its own state",
                        se->type == TIES_COUNTRY ? oe->id : se->id,
                        se->type == TIES_COUNTRY ? se->id : oe->id);
  case WHY_SUBJECT_TYPE:
    return arena_printf(&d->ar, "subject %s is a %s; '%s' takes %s", se->id,
                        ties_etype_name(se->type), pd->name, pd->subject_types);
  default:
    return arena_printf(&d->ar, "object %s is a %s; '%s' takes %s", oe->id,
                        ties_etype_name(oe->type), pd->name, pd->object_types);
  }
}

/* Is a (or b) one of the entities bound? */
static bool S_in_binding(const binding *bd, const entity *a, const entity *b) {
  for (int i = 0; i < bd->n; i++)
    if (bd->e[i] == a || bd->e[i] == b)
      return true;
  return false;
}

static bool S_type_ok(uint32_t m, const entity *e) {
  return m == 0 || (m & (1u << e->type));
}

/* A value mention (MONEY, DATE, PLATFORM) in [t0, t1), or NULL. */
static const mention *S_value_in(const ties_doc *d, uint32_t t0, uint32_t t1,
                                 int type) {
  for (uint32_t i = t0; i < t1; i++) {
    int mi = DOC_TOK(d, i)->mention;
    if (mi >= 0 && DOC_MENTION(d, mi)->type == type)
      return DOC_MENTION(d, mi);
  }
  return NULL;
}

/* The first PLATFORM, MONEY and DATE mentions of a match: S_value_in() of
 * its tokens for each, in one pass, made when first asked. */
typedef struct match_values {
  bool done;
  const mention *platform, *money, *date;
} match_values;

static const mention *S_match_value(const ties_doc *d, match_values *v, uint32_t t0,
                                    uint32_t t1, int type) {
  if (!v->done) {
    v->done = true;
    for (uint32_t i = t0; i < t1; i++) {
      int mi = DOC_TOK(d, i)->mention;
      if (mi < 0)
        continue;
      const mention *m = DOC_MENTION(d, mi);
      if (m->type == TIES_PLATFORM && !v->platform)
        v->platform = m;
      else if (m->type == TIES_MONEY && !v->money)
        v->money = m;
      else if (m->type == TIES_DATE && !v->date)
        v->date = m;
    }
  }
  return type == TIES_PLATFORM ? v->platform : type == TIES_MONEY ? v->money : v->date;
}

/* The value of qualifier a (a capture, or else the match's tokens [t0, t1))
 * of the given type: an entity's id or the mention's value. */
static const char *S_qual(const ties_doc *d, const emit_arg *a, const uint32_t *slots,
                          uint32_t t0, uint32_t t1, match_values *v, int type) {
  const mention *m = NULL;
  if (a->kind == A_CAPTURE) {
    uint32_t c0 = slots[3 + 2 * a->cap], c1 = slots[4 + 2 * a->cap];
    if (c0 != UNSET && c1 != UNSET)
      m = S_value_in(d, c0, c1, type);
  } else {
    m = S_match_value(d, v, t0, t1, type);
  }
  if (!m)
    return NULL;
  return m->e ? m->e->id : m->value;
}

/* The sentence's date, the first DATE mention in it: S_value_in() of the
 * sentence, kept for the sentence seen. */
static const mention *S_sent_date(ties_doc *d, uint32_t si) {
  struct match_scratch *ms = d->w->ms;
  const sent *s = DOC_SENT(d, si);
  if (!ms->seen_gen || ms->seen_doc != d || ms->seen_si != si)
    return S_value_in(d, s->t0, s->t1, TIES_DATE);
  if (ms->date_gen != ms->seen_gen) {
    ms->date_gen = ms->seen_gen;
    ms->date = S_value_in(d, s->t0, s->t1, TIES_DATE);
  }
  return ms->date;
}

/* Does prog match anywhere in sentence si? Sets *at to the match start. */
static bool S_somewhere(ties_doc *d, const prog *pg, uint32_t si, uint32_t *at) {
  const sent *s = DOC_SENT(d, si);
  uint32_t slots[8];
  uint64_t steps = 0;
  if (!S_conj_met(d, si, pg))
    return false;
  uint32_t last = S_last_start(d, s->t0, s->t1, pg);
  if (last == UINT32_MAX)
    return false;
  bool fresh = true;
  for (uint32_t p = s->t0; p < s->t1 && p <= last; p++) {
    if (!S_may_begin(d, pg, p))
      continue;
    bool ok = prog_run(d, pg, p, s->t0, s->t1, slots, &steps,
                       d->e->set.match_step_limit, NULL, fresh);
    fresh = ok;
    if (ok) {
      *at = slots[0];
      return true;
    }
  }
  return false;
}

/* Why the sentence conditions of r fail, or NULL. */
static const char *S_conditions_run(ties_doc *d, const rule *r, uint32_t si);

/* The matches of a rule in a sentence share its conditions: the last answer
 * is kept for the sentence being matched. */
static const char *S_conditions(ties_doc *d, const rule *r, uint32_t si) {
  struct match_scratch *ms = d->w->ms;
  if (!r->nreqs && !r->nunls)
    return NULL;
  bool known = ms->seen_doc == d && ms->seen_si == si;
  if (known && ms->cond_rule == r && ms->cond_gen == ms->seen_gen)
    return ms->cond_val;
  const char *v = S_conditions_run(d, r, si);
  if (known) {
    ms->cond_rule = r;
    ms->cond_gen = ms->seen_gen;
    ms->cond_val = v;
  }
  return v;
}

static const char *S_conditions_run(ties_doc *d, const rule *r, uint32_t si) {
  const rfile *f = rule_file_of(d->e, r->file);
  for (int i = 0; i < r->nreqs; i++) {
    uint32_t at;
    if (!S_somewhere(d, &r->reqs[i], si, &at))
      return arena_printf(&d->ar, "the sentence lacks 'requires %.*s'",
                          (int)r->reqs[i].len, f ? f->text + r->reqs[i].off : "");
  }
  for (int i = 0; i < r->nunls; i++) {
    uint32_t at;
    if (S_somewhere(d, &r->unls[i], si, &at))
      return arena_printf(&d->ar, "'unless %.*s' matches \"%s\"",
                          (int)r->unls[i].len, f ? f->text + r->unls[i].off : "",
                          DOC_TOK(d, at)->w->surface);
  }
  return NULL;
}

/* "emit @p ratified_agreement @p": every member with every other */
static bool S_pairwise(const emit *em) {
  return (em->s.kind == A_CAPTURE && em->o.kind == A_CAPTURE && em->s.cap == em->o.cap) ||
         (em->s.kind == A_PAIR && em->o.kind == A_PAIR);
}

/* The subject (object) of predicate pd for an entity bound: the entity, or
 * its state when pd does not take its type. */
static const entity *S_side(const ties_doc *d, uint32_t mask, const entity *e) {
  return S_type_ok(mask, e) ? e : S_country_entity(d, e);
}

/* Would every candidate of the bindings sb[i], ob[i] of r's emits be
 * dropped whatever the conditions, modality and values: a side without
 * an entity, a check failed, or the triple in the document already? */
static bool S_all_dropped(const ties_doc *d, const rule *r, const binding *sb,
                          const binding *ob) {
  for (int ei = 0; ei < r->nemits; ei++) {
    const predicate *pd = r->emits[ei].pred;
    bool pairwise = S_pairwise(&r->emits[ei]);
    for (int a = 0; a < sb[ei].n; a++)
      for (int b = 0; b < ob[ei].n; b++) {
        const entity *se = S_side(d, pd->subject_mask, sb[ei].e[a]);
        const entity *oe = S_side(d, pd->object_mask, ob[ei].e[b]);
        if (se && oe && se != oe &&
            !S_check(se, oe, pd, &sb[ei], ob[ei].e[b], pairwise) &&
            !triple_known(d, pd, se->id, oe->id))
          return false;
      }
  }
  return true;
}

/* Rules with at most this many emit lines have their bindings worked out
 * first, so that a match whose triples are all dropped goes no further. */
#define EMIT_EARLY 8

static void S_emit_match(ties_doc *d, const rule *r, const uint32_t *slots,
                         uint32_t si) {
  const entity *bound[128];
  int nb = 0;
  for (int c = 0; c < r->ncaps && nb < 120; c++) {
    uint32_t t0 = slots[3 + 2 * c], t1 = slots[4 + 2 * c];
    if (t0 == UNSET || t1 == UNSET)
      continue;
    const mention *ms[8];
    int n = match_list_members(d, t0, t1, T_ACTOR, ms, 8);
    for (int i = 0; i < n; i++)
      bound[nb++] = ms[i]->e;
  }
  /* With the asserted triples alone kept (extract), a match that would
   * add none costs its bindings only: most such matches restate a triple
   * of the document. */
  binding early_s[EMIT_EARLY], early_o[EMIT_EARLY];
  bool early = r->nemits <= EMIT_EARLY;
  if (early) {
    for (int ei = 0; ei < r->nemits; ei++) {
      S_arg(d, r, &r->emits[ei].s, slots, si, &early_s[ei], bound, nb);
      S_arg(d, r, &r->emits[ei].o, slots, si, &early_o[ei], bound, nb);
    }
    if ((d->flags & TIES_OPT_TRIPLES_ONLY) && !(d->flags & TIES_OPT_KEEP_MODAL) &&
        S_all_dropped(d, r, early_s, early_o))
      return;
  }
  const char *cond = S_conditions(d, r, si);
  uint32_t m0 = slots[0], m1 = slots[1];
  uint32_t anchor = slots[2] != UNSET ? slots[2] : m0;
  uint32_t c0 = 0, c1 = 0;
  int mod = S_modality(d, r, si, m0, anchor, &c0, &c1);
  const char *cue = mod != MOD_ASSERTED ? doc_span_text(d, c0, c1) : NULL;
  match_values vals = {0};
  for (int ei = 0; ei < r->nemits; ei++) {
    const emit *em = &r->emits[ei];
    binding own_s, own_o, *sb = &own_s, *ob = &own_o;
    if (early) {
      sb = &early_s[ei];
      ob = &early_o[ei];
    } else {
      S_arg(d, r, &em->s, slots, si, sb, bound, nb);
      S_arg(d, r, &em->o, slots, si, ob, bound, nb);
    }
    const char *item = S_qual(d, &em->item, slots, m0, m1, &vals, TIES_PLATFORM);
    const char *amount = S_qual(d, &em->amount, slots, m0, m1, &vals, TIES_MONEY);
    const char *date = S_qual(d, &em->date, slots, m0, m1, &vals, TIES_DATE);
    if (!date && !em->date.kind) {
      const mention *dm = S_sent_date(d, si);
      date = dm ? dm->value : NULL;
    }
    bool pairwise = S_pairwise(em);
    for (int a = 0; a < sb->n; a++) {
      for (int b = 0; b < ob->n; b++) {
        candidate c = {0};
        const predicate *pd = em->pred;
        const entity *se = S_side(d, pd->subject_mask, sb->e[a]);
        const entity *oe = S_side(d, pd->object_mask, ob->e[b]);
        c.s = se;
        c.o = oe;
        c.s_id = se ? se->id : "";
        c.o_id = oe ? oe->id : "";
        c.s_country = se ? se->country : "";
        c.o_country = oe ? oe->country : "";
        c.pred = pd;
        c.r = r;
        c.sent = si;
        c.t0 = m0;
        c.t1 = m1;
        c.modality = (uint8_t)mod;
        c.cue = cue;
        c.item = item;
        c.amount = amount;
        c.date = date;
        if (cond) {
          c.why_dropped = cond;
        } else if (!se || !oe) {
          c.why_dropped = "a side has no entity";
        } else if (se == oe) {
          c.why_dropped = "subject and object are the same entity";
        } else {
          int why = S_check(se, oe, pd, sb, ob->e[b], pairwise);
          if (why)
            c.why_dropped = (d->flags & TIES_OPT_TRIPLES_ONLY)
                                ? "dropped" /* why is not kept */
                                : S_why(d, why, se, oe, pd);
        }
        triple_add(d, &c);
      }
    }
  }
}

/* ---- sentences ------------------------------------------------------------ */

/* Clear what is kept per sentence, by stamp seen_gen: before the stamps
 * start again from 1. */
static void S_forget_sentences(struct match_scratch *ms) {
  if (ms->nconj)
    memset(ms->conj_stamp, 0, ms->nconj * sizeof(uint32_t));
  if (ms->nwset)
    memset(ms->wset_seen, 0, ms->nwset * sizeof(uint64_t));
  memset(ms->mask_stamp, 0, sizeof ms->mask_stamp);
  memset(ms->mod_memo, 0, sizeof ms->mod_memo);
  ms->date_gen = 0;
  if (ms->oop_cap)
    memset(ms->oop_stamp, 0, ms->oop_cap * sizeof(uint32_t));
}

/* Candidate programs for sentence si into ms->cand, by number
 * (ruleset.prog_at): those with a trigger word in it and those without
 * trigger; returns the count. */
static size_t S_candidates(ties_doc *d, struct match_scratch *ms, uint32_t si) {
  const ruleset *rs = d->e->rules;
  size_t nr = rs->nprogs_rules;
  size_t nw = (nr + 63) / 64;
  if (ms->npick < nw || !ms->cand) {
    free(ms->pick);
    free(ms->cand);
    ms->pick = calloc(nw ? nw : 1, sizeof(uint64_t));
    ms->cand = calloc(nr ? nr : 1, sizeof(uint32_t));
    if (!ms->pick || !ms->cand) {
      ms->npick = 0;
      return 0;
    }
    ms->npick = nw;
  }
  const sent *s = DOC_SENT(d, si);
  if (ms->nseen < rs->nsyms) {
    ms->nseen = rs->nsyms;
    free(ms->conj_stamp);
    free(ms->conj_val);
    ms->conj_stamp = calloc(rs->nprogs_all + 1, sizeof(uint32_t));
    ms->conj_val = calloc(rs->nprogs_all + 1, 1);
    ms->nconj = ms->conj_stamp && ms->conj_val ? rs->nprogs_all : 0;
    free(ms->wset_seen);
    ms->wset_seen = calloc(rs->wset_at.len + 1, sizeof(uint64_t));
    ms->nwset = ms->wset_seen && rs->wset_norm && rs->wset_stem
                    ? rs->wset_at.len
                    : 0;
    S_forget_sentences(ms);
    ms->seen_gen = 0;
  }
  if (++ms->seen_gen == 0 && ms->nseen) {
    S_forget_sentences(ms);
    ms->seen_gen = 1;
  }
  ms->seen_doc = d;
  ms->seen_si = si;
  memset(ms->type_count, 0, sizeof ms->type_count);
  ms->nmstarts = 0;
  if (ms->mstarts_cap < (size_t)(s->t1 - s->t0)) {
    uint32_t *p = realloc(ms->mstarts, sizeof(uint32_t) * (s->t1 - s->t0));
    if (p) {
      ms->mstarts = p;
      ms->mstarts_cap = s->t1 - s->t0;
    }
  }
  if (ms->oop_cap < (size_t)(s->t1 - s->t0)) {
    size_t n = s->t1 - s->t0;
    uint32_t *st = realloc(ms->oop_stamp, n * sizeof(uint32_t));
    if (st)
      ms->oop_stamp = st;
    uint8_t *v = st ? realloc(ms->oop_val, n) : NULL;
    if (v)
      ms->oop_val = v;
    if (st && v) {
      /* new entries: stamps no sentence has */
      memset(st + ms->oop_cap, 0, (n - ms->oop_cap) * sizeof(uint32_t));
      ms->oop_cap = n;
    }
  }
  bool mst = ms->mstarts_cap >= (size_t)(s->t1 - s->t0);
  if (!mst)
    ms->seen_doc = NULL; /* no list: programs run everywhere, unfiltered */
  uint64_t *pick = ms->pick;
  memset(pick, 0, nw * sizeof(uint64_t));
  uint64_t sig[SIG_WORDS] = {0};
  uint32_t counted = s->t0; /* mentions are counted from here on */
  for (uint32_t i = s->t0; i < s->t1; i++) {
    const tok *t = DOC_TOK(d, i);
    /* where a mention (or "the" before one) starts; the mentions by type,
     * each once */
    bool starts = false;
    if (t->mention >= 0) {
      const mention *m = DOC_MENTION(d, t->mention);
      starts = m->t0 == i;
      if (i >= counted) {
        if (m->type < 32)
          ms->type_count[m->type]++;
        counted = m->t1 > i ? m->t1 : i + 1;
      }
    }
    if (mst && (starts || (i + 1 < s->t1 && DOC_TOK(d, i + 1)->mention >= 0 &&
                           S_is_the(d, i))))
      ms->mstarts[ms->nmstarts++] = i;
    /* the words of the rules: the others are not read */
    if (!(t->rw & RB_RULE_WORD))
      continue;
    const uint32_t *mi = t->w->minfo; /* its word sets, then its programs */
    for (int k = 0; k < SIG_WORDS; k++) /* (one load, little-endian) */
      sig[k] |= (uint64_t)mi[MI_SIG + 2 * k] | (uint64_t)mi[MI_SIG + 2 * k + 1] << 32;
    const uint32_t *ws = mi + MI_LISTS, *pn = ws + mi[0];
    if (ms->nwset)
      for (uint32_t k = 0; k < mi[0]; k++)
        ms->wset_seen[ws[k]] = (uint64_t)i << 32 | ms->seen_gen;
    for (uint32_t k = 0; k < mi[1]; k++)
      pick[pn[k] >> 6] |= (uint64_t)1 << (pn[k] & 63);
  }
  /* the 64-bit signature (prog.conj_sig) is the wide one folded: bit
   * id % 64 of each set */
  ms->sent_sig = 0;
  for (int k = 0; k < SIG_WORDS; k++) {
    ms->sig[k] = sig[k];
    ms->sent_sig |= sig[k];
  }
  for (size_t j = 0; j < rs->always.len; j++) {
    uint32_t pn = VEC_AT(&rs->always, uint32_t, j);
    pick[pn >> 6] |= (uint64_t)1 << (pn & 63);
  }
  /* the bits in order are the programs in order */
  size_t n = 0;
  for (size_t k = 0; k < nw; k++)
    for (uint64_t b = pick[k]; b; b &= b - 1)
      ms->cand[n++] = (uint32_t)(k * 64 + (unsigned)__builtin_ctzll(b));
  return n;
}

/* Does the sentence seen lack what candidate program pn needs? Its
 * word-set signature first, from an array of them, then its record in
 * ruleset.need_all: the program itself is not read. */
static inline bool S_ruled_out(const ruleset *rs, struct match_scratch *ms,
                               uint32_t pn) {
  const uint64_t *ps = rs->prog_sig + (size_t)pn * SIG_WORDS;
  uint64_t absent = 0;
  for (int w = 0; w < SIG_WORDS; w++)
    absent |= ps[w] & ~ms->sig[w];
  return absent || !S_need_met(ms, rs->need_all + rs->need_off[pn]);
}

/* Run program pi of rule r on sentence si; emit every match. Returns the
 * matches found. */
static int S_run_prog(ties_doc *d, const rule *r, int pi, uint32_t si,
                      uint32_t *slots, bool do_emit, trace_rule *tr,
                      const uint32_t *need) {
  bool met = need != NULL; /* its record in ruleset.need_all, checked */
  const sent *s = DOC_SENT(d, si);
  int found = 0;
  {
    const prog *pg = &r->progs[pi];
    uint64_t steps = 0;
    struct match_scratch *msx = d->w->ms;
    /* a program whose required words are absent cannot match (the
     * signature test first: it rules out most, without a call) */
    if (!met && !tr && msx->seen_doc == d && msx->seen_si == si && msx->nseen &&
        (pg->conj_sig & ~msx->sent_sig))
      return 0;
    if (!met && !tr && !S_conj_met(d, si, pg))
      return 0;
    bool fresh = true;
    /* a program that begins with an entity begins where a mention does */
    bool known = msx->seen_doc == d && msx->seen_si == si;
    bool at_mentions = pg->first_ent && known;
    uint32_t last = tr || !known ? s->t1
                    : need      ? S_last_start_of(d, s->t0, s->t1, need + 2, (int)need[0])
                                : S_last_start(d, s->t0, s->t1, pg);
    if (last == UINT32_MAX)
      return 0;
    size_t mk = 0;
    for (uint32_t st = s->t0; st < s->t1; st++) {
      if (at_mentions) {
        if (mk >= msx->nmstarts)
          break;
        st = msx->mstarts[mk++];
      }
      if (st > last)
        break;
      if (!S_may_start(d, pg, st, s->t0, s->t1))
        continue;
      trace_fail f = {0};
      d->w->ms->n_starts++;
      /* a trace wants every start explored on its own */
      bool ok = prog_run(d, pg, st, s->t0, s->t1, slots, &steps,
                         d->e->set.match_step_limit, tr ? &f : NULL, fresh || tr);
      fresh = ok;
      if (steps > d->e->set.match_step_limit) {
        struct match_scratch *ms = d->w->ms;
        if (!ms->step_limit_warned) {
          ms->step_limit_warned = true;
          unsigned line, col;
          text_locate(d->t.p, d->t.len, s->off, &line, &col, NULL, NULL);
          diag_add(&d->diags, TIES_WARNING, TIES_ELIMIT, d->path, line, col,
                   s->off, 0, NULL, 0,
                   "rule '%s' stopped after %u steps on this sentence "
                   "(match_step_limit)",
                   r->id, d->e->set.match_step_limit);
        }
        break;
      }
      if (tr && f.set && (!tr->best.set || f.pos > tr->best.pos ||
                          (f.pos == tr->best.pos && pi == tr->best_prog &&
                           f.pc > tr->best.pc))) {
        tr->best = f;
        tr->best_prog = pi;
      }
      if (ok) {
        found++;
        if (tr)
          tr->fired = true;
        if (do_emit)
          S_emit_match(d, r, slots, si);
      }
    }
    msx->n_steps += steps;
    if (r->index < msx->n_rule_stats && !r->is_cue)
      msx->rule_steps[r->index] += steps;
  }
  return found;
}

/* Run rule r on sentence si; emit every match. Returns matches found. */
static int S_run_rule(ties_doc *d, const rule *r, uint32_t si, uint32_t *slots,
                      bool do_emit, trace_rule *tr) {
  int found = 0;
  for (int pi = 0; pi < r->nprogs; pi++)
    found += S_run_prog(d, r, pi, si, slots, do_emit, tr, NULL);
  struct match_scratch *ms = d->w->ms;
  if (r->index < ms->n_rule_stats && !r->is_cue)
    ms->rule_runs[r->index]++;
  return found;
}

int match_count(ties_doc *d, const rule *r, uint32_t si) {
  struct match_scratch *ms = S_scratch(d->w);
  if (!ms)
    return -1;
  uint32_t slots[256];
  if (r->nprogs && r->progs[0].nslots > 256)
    return -1;
  S_candidates(d, ms, si); /* the marks the filters read */
  return S_run_rule(d, r, si, slots, false, NULL);
}

bool match_trace(ties_doc *d, const rule *r, uint32_t si, trace_rule *out) {
  struct match_scratch *ms = S_scratch(d->w);
  if (ms)
    ms->seen_doc = NULL; /* a trace runs every program */
  if (!ms)
    return false;
  memset(out, 0, sizeof *out);
  out->r = r;
  out->sent = si;
  uint32_t slots[256];
  if (r->nprogs && r->progs[0].nslots > 256)
    return false;
  int n = S_run_rule(d, r, si, slots, false, out);
  /* was a program of it selected by the trigger index? */
  size_t nc = S_candidates(d, ms, si);
  const ruleset *rs = d->e->rules;
  for (size_t i = 0; i < nc; i++)
    if (!r->is_cue && rs->prog_at[ms->cand[i]].rule == r->index)
      out->candidate = true;
  return n > 0;
}

/* match_doc's decision for one program: a candidate, and not ruled out. */
bool match_would_run(ties_doc *d, const rule *r, int pi, uint32_t si) {
  struct match_scratch *ms = S_scratch(d->w);
  const ruleset *rs = d->e->rules;
  if (!ms || r->is_cue)
    return false;
  ms->seen_doc = NULL;
  size_t nc = S_candidates(d, ms, si);
  bool known = ms->seen_doc == d && ms->nseen;
  for (size_t k = 0; k < nc; k++) {
    uint32_t pn = ms->cand[k];
    if (rs->prog_at[pn].rule == r->index && rs->prog_at[pn].prog == (uint32_t)pi)
      return !(known && S_ruled_out(rs, ms, pn));
  }
  return false;
}

void match_rule_stats(const ties_worker *w, uint64_t *steps, uint64_t *runs, size_t n) {
  const struct match_scratch *ms = w ? w->ms : NULL;
  for (size_t i = 0; ms && i < n && i < ms->n_rule_stats; i++) {
    steps[i] += ms->rule_steps[i];
    runs[i] += ms->rule_runs[i];
  }
}

void match_doc(ties_doc *d) {
  const ruleset *rs = d->e->rules;
  if (!rs || !rs->compiled || d->status)
    return;
  struct match_scratch *ms = S_scratch(d->w);
  if (ms)
    ms->seen_doc = NULL;
  if (!ms) {
    d->status = TIES_ENOMEM;
    return;
  }
  ms->regex_limit_warned = ms->step_limit_warned = false;
  uint32_t slots[256];
  for (size_t si = 0; si < d->sents.len; si++) {
    size_t nc = S_candidates(d, ms, (uint32_t)si);
    ms->n_sent++;
    ms->n_cand += nc;
    const rule *last = NULL;
    for (size_t k = 0; k < nc; k++) {
      /* a program needs a word of each of its sets: the signature test
       * first, on an array of them, before the program is read */
      uint32_t pn = ms->cand[k];
      bool known = ms->seen_doc == d && ms->nseen;
      if (known && S_ruled_out(rs, ms, pn))
        continue;
      const uint32_t *need = rs->need_all + rs->need_off[pn];
      progref at = rs->prog_at[pn];
      const rule *r = VEC_AT(&rs->rules, rule *, at.rule);
      if (r->progs[at.prog].nslots > 256) /* (the program about to run) */
        continue;
      if (r != last && r->index < ms->n_rule_stats)
        ms->rule_runs[r->index]++;
      last = r;
      S_run_prog(d, r, (int)at.prog, (uint32_t)si, slots, true, NULL, known ? need : NULL);
    }
  }
}
