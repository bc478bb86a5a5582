/*
 * rule_compile.c — predicates, defines, programs and the trigger index.
 *
 * After every rule file has been parsed (so defines may be used before
 * they appear, and in any file), each match line is compiled into a
 * program:
 *
 *   @giver:ACTOR _{0,2} <donat>          0 SAVE 0
 *                                         1 SAVE 3        @giver
 *                                         2 ENT  ACTOR
 *                                         3 SAVE 4
 *                                         4 SPLIT 7, 5    _{0,2} (lazy)
 *                                         5 ANY
 *                                         6 SPLIT 8, 7 ...
 *                                         . TOK  <donat>  (anchor)
 *                                         . SAVE 1
 *                                         . MATCH
 *
 * Each rule is indexed under one word or stem that every match of it must
 * contain (its trigger), so a sentence is only tried against rules that can
 * fire on it. A rule with no such word is tried on every sentence.
 */
#include "rule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const S_mod_names[MOD__COUNT] = {
    [MOD_ASSERTED] = "asserted",         [MOD_NEGATED] = "negated",
    [MOD_PLANNED] = "planned",           [MOD_HYPOTHETICAL] = "hypothetical",
    [MOD_OFFERED] = "offered",           [MOD_REFUSED] = "refused",
    [MOD_DENIED] = "denied",             [MOD_FUTURE] = "future",
    [MOD_RUMORED] = "rumored",
};

const char *modality_name(int m) {
  return m >= 0 && m < MOD__COUNT ? S_mod_names[m] : "?";
}

int modality_from_name(const char *s, size_t n) {
  for (int i = 0; i < MOD__COUNT; i++)
    if (strlen(S_mod_names[i]) == n && !memcmp(S_mod_names[i], s, n))
      return i;
  return -1;
}

ruleset *ruleset_new(arena *ar) {
  ruleset *rs = calloc(1, sizeof *rs);
  if (!rs)
    return NULL;
  rs->ar = ar;
  vec_init(&rs->rules, sizeof(rule *));
  vec_init(&rs->cues, sizeof(rule *));
  strmap_init(&rs->by_id);
  strmap_init(&rs->defines);
  vec_init(&rs->files, sizeof(rfile *));
  vec_init(&rs->always, sizeof(uint32_t));
  vec_init(&rs->stems, sizeof(const char *));
  vec_init(&rs->regexes, sizeof(pcre2_code *));
  vec_init(&rs->wset_words, sizeof(uint32_t));
  vec_init(&rs->wset_at, sizeof(wset));
  strmap_init(&rs->wset_ids);
  strmap_init(&rs->bit_ids);
  rs->nbits = PB_FIXED;
  vec_init(&rs->bit_keys, sizeof(uint32_t));
  return rs;
}

static void S_free_rule_vecs(rule *r) {
  vec_free(&r->match_lines);
  vec_free(&r->req_lines);
  vec_free(&r->unless_lines);
  vec_free(&r->emit_lines);
  vec_free(&r->ex_lines);
}

void ruleset_free(ruleset *rs) {
  if (!rs)
    return;
  for (size_t i = 0; i < rs->rules.len; i++)
    S_free_rule_vecs(VEC_AT(&rs->rules, rule *, i));
  for (size_t i = 0; i < rs->cues.len; i++)
    S_free_rule_vecs(VEC_AT(&rs->cues, rule *, i));
  for (size_t i = 0; i < rs->regexes.len; i++)
    pcre2_code_free(VEC_AT(&rs->regexes, pcre2_code *, i));
  vec_free(&rs->rules);
  vec_free(&rs->cues);
  strmap_free(&rs->by_id);
  strmap_free(&rs->defines);
  vec_free(&rs->files);
  vec_free(&rs->always);
  vec_free(&rs->stems);
  vec_free(&rs->regexes);
  vec_free(&rs->wset_words);
  vec_free(&rs->wset_at);
  strmap_free(&rs->wset_ids);
  strmap_free(&rs->bit_ids);
  vec_free(&rs->bit_keys);
  free(rs->bit_norm_head);
  free(rs->bit_norm);
  free(rs->bit_stem_head);
  free(rs->bit_stem);
  free(rs->bit_class_head);
  free(rs->bit_class);
  free(rs->wset_norm_head);
  free(rs->wset_norm);
  free(rs->wset_stem_head);
  free(rs->wset_stem);
  free(rs->norm_head);
  free(rs->norm_progs);
  free(rs->stem_head);
  free(rs->stem_progs);
  free(rs->prog_at);
  free(rs->prog_sig);
  free(rs->need_off);
  free(rs->need_all);
  free(rs);
}

const rfile *rule_file_of(const ties_engine *e, const char *path) {
  const ruleset *rs = e->rules;
  if (!rs)
    return NULL;
  for (size_t i = 0; i < rs->files.len; i++) {
    const rfile *f = VEC_AT(&rs->files, rfile *, i);
    if (!strcmp(f->path, path))
      return f;
  }
  return NULL;
}

/* ---- relations.tsv ------------------------------------------------------ */

int ties_engine_load_relations(ties_engine *e, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot read predicate declarations: %s", strerror(errno));
    if (!e->status)
      e->status = TIES_EIO;
    return TIES_EIO;
  }
  buf b = BUF_INIT;
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&b, chunk, got);
  fclose(f);
  sha256_update(&e->rules_sha, 14, (const uint8_t *)"relations.tsv");
  sha256_update(&e->rules_sha, b.len, (const uint8_t *)buf_cstr(&b));
  const char *fname = arena_strdup(&e->ar, path);
  const char *s = buf_cstr(&b), *end = s + b.len;
  unsigned line = 0;
  bool header = false;
  int col_pred = -1, col_sym = -1, col_sub = -1, col_obj = -1, col_def = -1;
  int rc = TIES_OK;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    line++;
    size_t ll = (size_t)(le - s);
    if (ll && s[ll - 1] == '\r')
      ll--;
    if (ll && s[0] != '#') {
      char *copy = arena_strndup(&e->ar, s, ll);
      char *f_[8];
      unsigned c_[8];
      int nf = 0;
      char *p = copy;
      for (;;) {
        char *tab = strchr(p, '\t');
        if (nf < 8) {
          f_[nf] = p;
          c_[nf] = (unsigned)(p - copy) + 1;
        }
        nf++;
        if (!tab)
          break;
        *tab = 0;
        p = tab + 1;
      }
      if (!header) {
        header = true;
        for (int i = 0; i < nf && i < 8; i++) {
          if (!strcmp(f_[i], "predicate")) col_pred = i;
          else if (!strcmp(f_[i], "symmetric")) col_sym = i;
          else if (!strcmp(f_[i], "subject")) col_sub = i;
          else if (!strcmp(f_[i], "object")) col_obj = i;
          else if (!strcmp(f_[i], "definition")) col_def = i;
        }
        if (col_pred < 0 || col_sym < 0 || col_sub < 0 || col_obj < 0 ||
            col_def < 0) {
          diag_add(&e->diags, TIES_ERROR, TIES_ESYNTAX, fname, line, 1,
                   (size_t)-1, ll, s, ll,
                   "header must name predicate symmetric subject object "
                   "definition");
          rc = TIES_ESYNTAX;
          break;
        }
      } else if (nf != 5) {
        diag_add(&e->diags, TIES_ERROR, TIES_ESYNTAX, fname, line, 1,
                 (size_t)-1, ll, s, ll,
                 "expected 5 tab-separated fields, found %d", nf);
        rc = TIES_ESYNTAX;
      } else {
        predicate *pd = arena_alloc(&e->ar, sizeof *pd);
        if (!pd)
          break;
        pd->name = f_[col_pred];
        pd->symmetric = !strcmp(f_[col_sym], "yes");
        if (strcmp(f_[col_sym], "yes") && strcmp(f_[col_sym], "no")) {
          diag_add(&e->diags, TIES_ERROR, TIES_ESYNTAX, fname, line,
                   c_[col_sym], (size_t)-1, strlen(f_[col_sym]), s, ll,
                   "symmetric must be 'yes' or 'no'");
          rc = TIES_ESYNTAX;
        }
        pd->subject_types = f_[col_sub];
        pd->object_types = f_[col_obj];
        pd->subject_mask = rule_type_mask(pd->subject_types);
        pd->object_mask = rule_type_mask(pd->object_types);
        pd->definition = f_[col_def];
        pd->file = fname;
        pd->line = line;
        void **slot = strmap_slot(&e->pred_by_name, pd->name,
                                  strlen(pd->name), &e->ar);
        if (slot && *slot) {
          diag_add(&e->diags, TIES_ERROR, TIES_ESEMANTIC, fname, line, 1,
                   (size_t)-1, strlen(pd->name), s, ll,
                   "predicate '%s' declared twice", pd->name);
          rc = TIES_ESEMANTIC;
        } else if (slot) {
          *slot = pd;
          predicate **pp = vec_push(&e->preds);
          if (pp)
            *pp = pd;
        }
      }
    }
    s = nl ? nl + 1 : end;
  }
  buf_free(&b);
  if (rc && !e->status)
    e->status = rc;
  return rc;
}

/* Type names of relations.tsv ("COUNTRY|ORG") as a mask. */
uint32_t rule_type_mask(const char *s) {
  uint32_t m = 0;
  static const struct {
    const char *n;
    uint32_t t;
  } map[] = {{"COUNTRY", T_COUNTRY}, {"ORG", T_ORG},         {"PERSON", T_PERSON},
             {"PLATFORM", T_PLATFORM}, {"PLACE", T_PLACE},   {"ACTOR", T_ACTOR},
             {"MONEY", T_MONEY},     {"DATE", T_DATE}};
  while (*s) {
    const char *bar = strchr(s, '|');
    size_t n = bar ? (size_t)(bar - s) : strlen(s);
    for (size_t i = 0; i < TIES_ARRAY_LEN(map); i++)
      if (strlen(map[i].n) == n && !memcmp(map[i].n, s, n))
        m |= map[i].t;
    if (!bar)
      break;
    s = bar + 1;
  }
  return m;
}

/* ---- programs ------------------------------------------------------------- */

typedef struct trig {
  bool stem;
  uint32_t sym;
} trig;

#define TRIG_MAX 256

typedef struct trigset {
  trig t[TRIG_MAX];
  int n;
  bool none;                     /* no requirement */
  const node *nodes[TRIG_MAX];   /* the elements that carry it: the anchors */
  int nn;
} trigset;

static void S_req(const ties_engine *e, const node *n, trigset *out, int depth);

typedef struct cstate {
  ties_engine *e;
  const rfile *f;
  vec code; /* inst */
  bool failed;
  rule *r;
  const trigset *anchors;
} cstate;

static bool S_is_anchor(const cstate *cs, const node *n) {
  if (!cs->anchors)
    return false;
  for (int i = 0; i < cs->anchors->nn; i++)
    if (cs->anchors->nodes[i] == n)
      return true;
  return false;
}

static int S_emit(cstate *cs, int op) {
  inst *i = vec_push(&cs->code);
  if (!i) {
    cs->failed = true;
    return 0;
  }
  i->op = (uint8_t)op;
  i->src_file = cs->f ? cs->f->path : NULL;
  return (int)cs->code.len - 1;
}

#define CODE(cs, i) (&VEC_AT(&(cs)->code, inst, (i)))

static define *S_define(const ties_engine *e, const char *name) {
  return strmap_get(&e->rules->defines, name, strlen(name));
}

static const rfile *S_file_at(const ties_engine *e, const char *path) {
  return rule_file_of(e, path);
}

static void S_compile(cstate *cs, const node *n, int depth);

static void S_compile_rep(cstate *cs, const node *n, int depth) {
  const node *k = n->kids[0];
  for (int i = 0; i < n->min; i++)
    S_compile(cs, k, depth + 1);
  if (n->max < 0) {
    int l1 = S_emit(cs, I_SPLIT);
    S_compile(cs, k, depth + 1);
    int j = S_emit(cs, I_JMP);
    CODE(cs, j)->x = l1;
    int out = (int)cs->code.len;
    if (n->lazy) {
      CODE(cs, l1)->x = out;
      CODE(cs, l1)->y = l1 + 1;
    } else {
      CODE(cs, l1)->x = l1 + 1;
      CODE(cs, l1)->y = out;
    }
    CODE(cs, l1)->src = n;
    return;
  }
  int nopt = n->max - n->min;
  int splits[64];
  for (int i = 0; i < nopt && i < 64; i++) {
    splits[i] = S_emit(cs, I_SPLIT);
    CODE(cs, splits[i])->src = n;
    S_compile(cs, k, depth + 1);
  }
  int out = (int)cs->code.len;
  for (int i = 0; i < nopt && i < 64; i++) {
    inst *s = CODE(cs, splits[i]);
    if (n->lazy) {
      s->x = out;
      s->y = splits[i] + 1;
    } else {
      s->x = splits[i] + 1;
      s->y = out;
    }
  }
}

/* Does n always consume one token with one test? Then its tests go to out
 * (defines are looked through). */
static bool S_one_token(cstate *cs, const node *n, vec *out, int depth) {
  while (n->k == N_SEQ && n->nkids == 1)
    n = n->kids[0];
  if (depth > 50)
    return false;
  size_t mark = out->len;
  switch (n->k) {
  case N_TOK: {
    const pred **slot = vec_push(out);
    if (!slot)
      return false;
    *slot = n->p;
    return true;
  }
  case N_ALT:
    for (int i = 0; i < n->nkids; i++)
      if (!S_one_token(cs, n->kids[i], out, depth + 1)) {
        out->len = mark;
        return false;
      }
    return true;
  case N_REF: {
    define *d = S_define(cs->e, n->ref);
    if (!d || d->busy || d->failed || !d->ast)
      return false;
    d->busy = 1;
    bool ok = S_one_token(cs, d->ast, out, depth + 1);
    d->busy = 0;
    if (ok)
      d->used = true;
    else
      out->len = mark;
    return ok;
  }
  default:
    return false;
  }
}

/* Is n, or a one-token node inside it, an anchor (a trigger element)? */
static bool S_has_anchor(const cstate *cs, const node *n, int depth) {
  if (S_is_anchor(cs, n))
    return true;
  if (depth > 50 || (n->k != N_SEQ && n->k != N_ALT))
    return false;
  for (int i = 0; i < n->nkids; i++)
    if (S_has_anchor(cs, n->kids[i], depth + 1))
      return true;
  return false;
}

/* One I_TOK testing any of the preds in v[from..to). */
static void S_emit_or(cstate *cs, const node *src, const pred *const *v, size_t np,
                      bool anchor) {
  pred *p = arena_alloc(&cs->e->ar, sizeof *p);
  if (!p || !(p->alts = arena_alloc(&cs->e->ar, sizeof(pred *) * np))) {
    cs->failed = true;
    return;
  }
  p->kind = P_OR;
  p->src = "alternatives";
  for (size_t i = 0; i < np; i++) {
    p->alts[p->nalts++] = (pred *)v[i];
    if (v[i]->kind != P_LIT && v[i]->kind != P_STEM)
      anchor = false;
  }
  int i = S_emit(cs, I_TOK);
  CODE(cs, i)->p = p;
  CODE(cs, i)->src = src;
  CODE(cs, i)->anchor = anchor;
}

/* (a | b c | <d> | %E): consecutive branches that are one token each are
 * one test, since the same continuation follows each of them; the others
 * are tried in order between them, so priorities are kept. */
static void S_compile_alt(cstate *cs, const node *n, int depth) {
  vec run;
  vec_init(&run, sizeof(const pred *));
  int *jumps = malloc(sizeof(int) * (size_t)(n->nkids + 1));
  if (!jumps) {
    cs->failed = true;
    return;
  }
  int nj = 0;
  for (int i = 0; i < n->nkids && !cs->failed;) {
    /* the next group: a run of one-token branches, or one other branch */
    run.len = 0;
    int j = i;
    bool anchor = S_is_anchor(cs, n);
    while (j < n->nkids && S_one_token(cs, n->kids[j], &run, depth + 1)) {
      anchor = anchor || S_has_anchor(cs, n->kids[j], 0);
      j++;
    }
    bool is_run = j > i;
    if (!is_run)
      j = i + 1;
    bool last = j >= n->nkids;
    int sp = -1;
    if (!last) {
      sp = S_emit(cs, I_SPLIT);
      if (cs->failed)
        break;
      CODE(cs, sp)->x = sp + 1;
      CODE(cs, sp)->src = n;
    }
    if (is_run)
      S_emit_or(cs, n, (const pred *const *)run.p, run.len, anchor);
    else
      S_compile(cs, n->kids[i], depth + 1);
    if (!last && !cs->failed) {
      jumps[nj++] = S_emit(cs, I_JMP);
      CODE(cs, sp)->y = (int)cs->code.len;
    }
    i = j;
  }
  if (!cs->failed)
    for (int k = 0; k < nj; k++)
      CODE(cs, jumps[k])->x = (int)cs->code.len;
  free(jumps);
  vec_free(&run);
}

static void S_compile(cstate *cs, const node *n, int depth) {
  if (cs->failed || depth > 200)
    return;
  switch (n->k) {
  case N_SEQ:
    for (int i = 0; i < n->nkids; i++)
      S_compile(cs, n->kids[i], depth + 1);
    break;
  case N_ALT:
    S_compile_alt(cs, n, depth);
    break;
  case N_REP:
    S_compile_rep(cs, n, depth);
    break;
  case N_TOK: {
    int i = S_emit(cs, I_TOK);
    CODE(cs, i)->p = n->p;
    CODE(cs, i)->src = n;
    CODE(cs, i)->anchor =
        (n->p->kind == P_LIT || n->p->kind == P_STEM) && S_is_anchor(cs, n);
    break;
  }
  case N_NOT:
  case N_NOTAFTER:
  case N_NOTNEXT: {
    /* one token that does not match: the kid must test one token */
    const node *k = n->kids[0];
    while (k->k == N_SEQ && k->nkids == 1)
      k = k->kids[0];
    pred *p = NULL;
    if (k->k == N_TOK) {
      p = k->p;
    } else if (k->k == N_ENT) {
      p = arena_alloc(&cs->e->ar, sizeof *p);
      if (p) {
        p->kind = P_CLASS;
        p->cls = -(int)k->types; /* negative: "inside a mention of types" */
        p->src = "entity";
      }
    } else if (k->k == N_ALT) {
      p = arena_alloc(&cs->e->ar, sizeof *p);
      if (p) {
        p->kind = P_OR;
        p->alts = arena_alloc(&cs->e->ar, sizeof(pred *) * (size_t)k->nkids);
        p->src = "alternatives";
        for (int i = 0; i < k->nkids; i++) {
          const node *a = k->kids[i];
          while (a->k == N_SEQ && a->nkids == 1)
            a = a->kids[0];
          if (a->k == N_ENT) {
            pred *q = arena_alloc(&cs->e->ar, sizeof *q);
            if (!q) {
              p = NULL;
              break;
            }
            q->kind = P_CLASS;
            q->cls = -(int)a->types;
            q->src = "entity";
            p->alts[p->nalts++] = q;
            continue;
          }
          if (a->k != N_TOK) {
            p = NULL;
            break;
          }
          p->alts[p->nalts++] = a->p;
        }
      }
    }
    if (!p) {
      rule_error(cs->e, cs->f, n->off, n->len, TIES_ESYNTAX,
                 "'%s' applies to one token: a word, <stem>, /regex/, class, "
                 "type or (a | b) of those",
                 n->k == N_NOT ? "!" : n->k == N_NOTAFTER ? "~" : ">!");
      cs->failed = true;
      return;
    }
    int i = S_emit(cs, n->k == N_NOT ? I_NOT : n->k == N_NOTAFTER ? I_NOTAFTER : I_NOTNEXT);
    CODE(cs, i)->p = p;
    CODE(cs, i)->src = n;
    break;
  }
  case N_ANY: {
    int i = S_emit(cs, I_ANY);
    CODE(cs, i)->src = n;
    break;
  }
  case N_ENT: {
    int i = S_emit(cs, I_ENT);
    CODE(cs, i)->types = n->types;
    CODE(cs, i)->list = n->list;
    CODE(cs, i)->ent = n->ent;
    CODE(cs, i)->kinds = n->kinds;
    CODE(cs, i)->src = n;
    break;
  }
  case N_CAP: {
    int a = S_emit(cs, I_SAVE);
    CODE(cs, a)->x = 3 + 2 * n->cap;
    CODE(cs, a)->src = n;
    S_compile(cs, n->kids[0], depth + 1);
    int b = S_emit(cs, I_SAVE);
    CODE(cs, b)->x = 4 + 2 * n->cap;
    CODE(cs, b)->src = n;
    break;
  }
  case N_BOS: {
    int i = S_emit(cs, I_BOS);
    CODE(cs, i)->src = n;
    break;
  }
  case N_EOS: {
    int i = S_emit(cs, I_EOS);
    CODE(cs, i)->src = n;
    break;
  }
  case N_REF: {
    define *d = S_define(cs->e, n->ref);
    if (!d) {
      rule_error(cs->e, cs->f, n->off, n->len, TIES_ESEMANTIC,
                 "undefined '%%%s' (add 'define %s ...')", n->ref, n->ref);
      cs->failed = true;
      return;
    }
    if (d->busy) {
      rule_error(cs->e, cs->f, n->off, n->len, TIES_ESEMANTIC,
                 "define '%s' refers to itself", n->ref);
      cs->failed = true;
      return;
    }
    d->used = true;
    if (d->failed) {
      cs->failed = true;
      return;
    }
    d->busy = 1;
    const rfile *save = cs->f;
    cs->f = S_file_at(cs->e, d->file);
    S_compile(cs, d->ast, depth + 1);
    cs->f = save;
    d->busy = 0;
    if (cs->failed)
      d->failed = true;
    break;
  }
  }
}

/* ---- triggers ------------------------------------------------------------ */

static const char *const S_weak[] = {
    "to", "with", "the", "and", "of", "in", "a", "an", "on", "for", "from",
    "by", "at", "as", "'s", ",", "its", "their", "that", "which", "was",
    "were", "is", "has", "have", "had", "be", "been", "it", "this", "also"};

static int S_score(const ties_engine *e, const trigset *s) {
  /* lower is better: few alternatives, no weak words */
  int sc = s->n * 10;
  for (int i = 0; i < s->n; i++) {
    const char *w = symtab_str(&e->syms, s->t[i].sym);
    for (size_t k = 0; k < TIES_ARRAY_LEN(S_weak); k++)
      if (!strcmp(w, S_weak[k]))
        sc += 1000;
    sc -= (int)strlen(w) > 8 ? 8 : (int)strlen(w);
  }
  return sc;
}

static void S_req(const ties_engine *e, const node *n, trigset *out, int depth) {
  out->n = 0;
  out->nn = 0;
  out->none = true;
  if (depth > 100)
    return;
  switch (n->k) {
  case N_TOK:
    if (n->p->kind == P_LIT || n->p->kind == P_STEM) {
      for (int i = 0; i < n->p->n && out->n < TRIG_MAX; i++) {
        out->t[out->n].stem = n->p->kind == P_STEM;
        out->t[out->n].sym = n->p->syms[i];
        out->n++;
      }
      out->nodes[out->nn++] = n;
      out->none = false;
    }
    break;
  case N_SEQ: {
    trigset *best = calloc(2, sizeof(trigset));
    if (!best)
      return;
    trigset *k = best + 1;
    best->none = true;
    int bs = 0;
    for (int i = 0; i < n->nkids; i++) {
      S_req(e, n->kids[i], k, depth + 1);
      if (k->none)
        continue;
      int sc = S_score(e, k);
      if (best->none || sc < bs) {
        *best = *k;
        bs = sc;
      }
    }
    *out = *best;
    free(best);
    break;
  }
  case N_ALT: {
    out->none = false;
    out->nodes[out->nn++] = n; /* a one-token alternation compiles to n */
    trigset *k = malloc(sizeof(trigset));
    if (!k) {
      out->none = true;
      return;
    }
    for (int i = 0; i < n->nkids; i++) {
      S_req(e, n->kids[i], k, depth + 1);
      if (k->none || out->n + k->n > TRIG_MAX) {
        out->none = true;
        out->n = 0;
        out->nn = 0;
        free(k);
        return;
      }
      for (int j = 0; j < k->n; j++)
        out->t[out->n++] = k->t[j];
      for (int j = 0; j < k->nn && out->nn < TRIG_MAX; j++)
        out->nodes[out->nn++] = k->nodes[j];
    }
    free(k);
    break;
  }
  case N_REP:
    if (n->min >= 1)
      S_req(e, n->kids[0], out, depth + 1);
    break;
  case N_CAP:
    S_req(e, n->kids[0], out, depth + 1);
    break;
  case N_REF: {
    const define *d = S_define(e, n->ref);
    if (d && d->ast && !d->busy) {
      ((define *)d)->busy = 2;
      S_req(e, d->ast, out, depth + 1);
      ((define *)d)->busy = 0;
    }
    break;
  }
  default:
    break;
  }
}

/* Every set of words a match must contain one of: the requirements of the
 * elements of a sequence, each on its own. A program runs only on
 * sentences that meet all of them; the trigger is just the best one. */
#define CONJ_MAX 8

typedef struct conj {
  trigset *sets[CONJ_MAX];
  int n;
} conj;

static void S_conj(const ties_engine *e, const node *n, conj *out, int depth) {
  if (depth > 100 || out->n >= CONJ_MAX)
    return;
  switch (n->k) {
  case N_SEQ:
    for (int i = 0; i < n->nkids; i++)
      S_conj(e, n->kids[i], out, depth + 1);
    return;
  case N_CAP:
    S_conj(e, n->kids[0], out, depth + 1);
    return;
  case N_REP:
    if (n->min >= 1)
      S_conj(e, n->kids[0], out, depth + 1);
    return;
  case N_REF: {
    const define *d = S_define(e, n->ref);
    if (d && d->ast && !d->busy) {
      ((define *)d)->busy = 2;
      S_conj(e, d->ast, out, depth + 1);
      ((define *)d)->busy = 0;
    }
    return;
  }
  default: {
    trigset *ts = malloc(sizeof *ts);
    if (!ts)
      return;
    S_req(e, n, ts, depth + 1);
    if (ts->none || !ts->n)
      free(ts);
    else
      out->sets[out->n++] = ts;
  }
  }
}

/* The entity elements every match has: their type masks. Each takes a
 * mention of its own, so a sentence needs as many mentions of fitting types. */
#define ENTREQ_MAX 8

static void S_ent_req(const ties_engine *e, const node *n, uint32_t *masks, int *nm,
                      int depth) {
  if (depth > 100 || *nm >= ENTREQ_MAX)
    return;
  switch (n->k) {
  case N_SEQ:
    for (int i = 0; i < n->nkids; i++)
      S_ent_req(e, n->kids[i], masks, nm, depth + 1);
    return;
  case N_CAP:
    S_ent_req(e, n->kids[0], masks, nm, depth + 1);
    return;
  case N_REP:
    if (n->min >= 1)
      S_ent_req(e, n->kids[0], masks, nm, depth + 1);
    return;
  case N_REF: {
    const define *d = S_define(e, n->ref);
    if (d && d->ast && !d->busy) {
      ((define *)d)->busy = 2;
      S_ent_req(e, d->ast, masks, nm, depth + 1);
      ((define *)d)->busy = 0;
    }
    return;
  }
  case N_ENT:
    if (n->types)
      masks[(*nm)++] = n->types;
    return;
  default:
    return;
  }
}

static int S_cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The id of a word set, stored once in the ruleset; -1 when out of memory. */
static int64_t S_wset_id(ties_engine *e, const trigset *ts) {
  ruleset *rs = e->rules;
  uint32_t w[TRIG_MAX];
  int n = 0;
  for (int k = 0; k < ts->n; k++)
    w[n++] = ts->t[k].sym | (ts->t[k].stem ? TRIG_STEM : 0);
  qsort(w, (size_t)n, sizeof(uint32_t), S_cmp_u32);
  int m = 0;
  for (int k = 0; k < n; k++)
    if (!m || w[m - 1] != w[k])
      w[m++] = w[k];
  void **slot = strmap_slot(&rs->wset_ids, (const char *)w, sizeof(uint32_t) * (size_t)m,
                            rs->ar);
  if (!slot)
    return -1;
  if (*slot)
    return (int64_t)(uintptr_t)*slot - 1;
  wset *at = vec_push(&rs->wset_at);
  if (!at)
    return -1;
  at->off = (uint32_t)rs->wset_words.len;
  at->n = (uint32_t)m;
  for (int k = 0; k < m; k++) {
    uint32_t *p = vec_push(&rs->wset_words);
    if (!p)
      return -1;
    *p = w[k];
  }
  *slot = (void *)(uintptr_t)rs->wset_at.len; /* id + 1 */
  return (int64_t)rs->wset_at.len - 1;
}

static void S_conj_compile(ties_engine *e, const node *ast, prog *pg) {
  conj c = {0};
  S_conj(e, ast, &c, 0);
  pg->conj = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)(c.n + 1));
  for (int i = 0; pg->conj && i < c.n; i++) {
    int64_t id = S_wset_id(e, c.sets[i]);
    if (id >= 0) {
      pg->conj[pg->nconj++] = (uint32_t)id;
      pg->conj_sig |= (uint64_t)1 << (id & 63);
    }
  }
  uint32_t masks[ENTREQ_MAX];
  int nm = 0;
  S_ent_req(e, ast, masks, &nm, 0);
  if (nm) {
    pg->ent_masks = arena_dup(&e->ar, masks, sizeof(uint32_t) * (size_t)nm);
    pg->ent_need = arena_alloc(&e->ar, (size_t)nm);
    pg->n_ent_masks = pg->ent_masks && pg->ent_need ? nm : 0;
    for (int i = 0; i < pg->n_ent_masks; i++) {
      pg->ent_need[i] = 0;
      for (int k = 0; k < nm; k++)
        if ((masks[k] & ~masks[i]) == 0)
          pg->ent_need[i]++;
    }
  }
  for (int i = 0; i < c.n; i++)
    free(c.sets[i]);
}

/* Capture kinds: what each @name binds, from the AST. */
static void S_cap_types(const ties_engine *e, const node *n, rule *r,
                        int depth) {
  if (depth > 100)
    return;
  if (n->k == N_CAP && n->cap >= 0 && n->cap < r->ncaps) {
    const node *k = n->kids[0];
    while (k->k == N_SEQ && k->nkids == 1)
      k = k->kids[0];
    if (k->k == N_ENT) {
      r->cap_types[n->cap] |= k->types;
      if (k->list)
        r->cap_list[n->cap] = true;
    } else if (k->k == N_ALT) {
      for (int i = 0; i < k->nkids; i++) {
        const node *a = k->kids[i];
        while (a->k == N_SEQ && a->nkids == 1)
          a = a->kids[0];
        if (a->k == N_ENT) {
          r->cap_types[n->cap] |= a->types;
          if (a->list)
            r->cap_list[n->cap] = true;
        }
      }
    }
  }
  for (int i = 0; i < n->nkids; i++)
    S_cap_types(e, n->kids[i], r, depth + 1);
}

static bool S_resolve_arg(ties_engine *e, const rfile *f, rule *r,
                          emit_arg *a) {
  if (a->kind != A_CAPTURE)
    return true;
  a->cap = -1;
  for (int i = 0; i < r->ncaps; i++)
    if (!strcmp(r->caps[i], a->id))
      a->cap = i;
  if (a->cap < 0 && r->parse_errors)
    return false; /* the match line that binds it had an error */
  if (a->cap < 0) {
    rule_error(e, f, a->off, a->len, TIES_ESEMANTIC,
               "capture '@%s' is not bound by any match line of rule '%s'",
               a->id, r->id);
    return false;
  }
  return true;
}

static int S_prog(ties_engine *e, const rfile *f, rule *r, const node *ast,
                  prog *pg, int nslots, const trigset *anchors) {
  cstate cs = {0};
  cs.e = e;
  cs.f = f;
  cs.r = r;
  cs.anchors = anchors;
  vec_init(&cs.code, sizeof(inst));
  int s0 = S_emit(&cs, I_SAVE);
  CODE(&cs, s0)->x = 0;
  S_compile(&cs, ast, 0);
  int s1 = S_emit(&cs, I_SAVE);
  CODE(&cs, s1)->x = 1;
  S_emit(&cs, I_MATCH);
  if (cs.failed) {
    vec_free(&cs.code);
    return TIES_ESYNTAX;
  }
  pg->code = arena_dup(&e->ar, cs.code.p, cs.code.len * sizeof(inst));
  pg->n = (int)cs.code.len;
  pg->nslots = nslots;
  pg->ast = ast;
  pg->off = ast->off;
  pg->len = ast->len;
  vec_free(&cs.code);
  return TIES_OK;
}

/* The consuming instructions reachable from the start without consuming a
 * token; if one of them accepts almost any token, the set is useless. */
static void S_first_collect(const prog *pg, int pc, char *seen, int *out, int *n,
                            bool *any, int depth) {
  if (pc < 0 || pc >= pg->n || seen[pc] || depth > 400 || *any)
    return;
  seen[pc] = 1;
  const inst *in = &pg->code[pc];
  switch (in->op) {
  case I_SAVE:
  case I_BOS:
  case I_NOTAFTER:
  case I_NOTNEXT:
    S_first_collect(pg, pc + 1, seen, out, n, any, depth + 1);
    break;
  case I_JMP:
    S_first_collect(pg, in->x, seen, out, n, any, depth + 1);
    break;
  case I_SPLIT:
    S_first_collect(pg, in->x, seen, out, n, any, depth + 1);
    S_first_collect(pg, in->y, seen, out, n, any, depth + 1);
    break;
  case I_TOK:
  case I_ENT:
    out[(*n)++] = pc;
    break;
  default: /* I_ANY, I_NOT, I_EOS, I_MATCH */
    *any = true;
  }
}

/* Can the program reach MATCH without consuming a token? The matcher
 * takes a cue's last word as slots[1] - 1, which an empty match does not
 * have (tests/fuzz/regress/rules/cue-matches-nothing.rules). A walk over
 * the zero-width instructions, with a stack rather than recursion: a
 * program may have thousands of SPLITs. */
static bool S_matches_empty(const prog *pg) {
  char *seen = calloc((size_t)pg->n + 1, 1);
  int *stack = malloc(sizeof(int) * ((size_t)pg->n + 1));
  bool empty = false;
  int top = 0;
  if (seen && stack)
    stack[top++] = 0;
  while (top > 0 && !empty) {
    int pc = stack[--top];
    if (pc < 0 || pc >= pg->n || seen[pc])
      continue;
    seen[pc] = 1;
    const inst *in = &pg->code[pc];
    switch (in->op) {
    case I_MATCH:
      empty = true;
      break;
    case I_SAVE:
    case I_BOS:
    case I_EOS:
    case I_NOTAFTER:
    case I_NOTNEXT:
      stack[top++] = pc + 1;
      break;
    case I_JMP:
      stack[top++] = in->x;
      break;
    case I_SPLIT: /* each pc is pushed at most twice per visit of a SPLIT */
      stack[top++] = in->x;
      if (top <= pg->n)
        stack[top++] = in->y;
      break;
    default: /* consumes a token */
      break;
    }
  }
  free(seen);
  free(stack);
  return empty;
}

/* One P_OR of the token tests at pcs (each an I_TOK). */
static pred *S_or_of(ties_engine *e, const prog *pg, const int *pcs, int n,
                     const char *src) {
  int nalts = 0;
  for (int k = 0; k < n; k++) {
    const pred *q = pg->code[pcs[k]].p;
    nalts += q->kind == P_OR ? q->nalts : 1;
  }
  pred *p = arena_alloc(&e->ar, sizeof *p);
  if (p)
    p->alts = arena_alloc(&e->ar, sizeof(pred *) * (size_t)nalts);
  if (!p || !p->alts)
    return NULL;
  p->kind = P_OR;
  p->src = src;
  for (int k = 0; k < n; k++) {
    const pred *q = pg->code[pcs[k]].p;
    if (q->kind == P_OR)
      for (int j = 0; j < q->nalts; j++)
        p->alts[p->nalts++] = q->alts[j];
    else
      p->alts[p->nalts++] = (pred *)q;
  }
  return p;
}

static void S_first_set(ties_engine *e, prog *pg) {
  char *seen = calloc((size_t)pg->n + 1, 1);
  int *out = calloc((size_t)pg->n + 1, sizeof(int));
  int n = 0;
  bool any = false;
  if (seen && out)
    S_first_collect(pg, 0, seen, out, &n, &any, 0);
  else
    any = true;
  if (any || !n) {
    pg->nfirst = -1;
  } else {
    pg->first = arena_dup(&e->ar, out, sizeof(int) * (size_t)n);
    pg->nfirst = pg->first ? n : -1;
  }
  /* a first entity: does the pattern read a possessive next? */
  for (int k = 0; k < pg->nfirst; k++) {
    inst *in = &pg->code[pg->first[k]];
    if (in->op != I_ENT)
      continue;
    int q = pg->first[k] + 1;
    while (q < pg->n && pg->code[q].op == I_SAVE)
      q++;
    bool poss = q < pg->n && pg->code[q].op == I_TOK &&
                pg->code[q].p->kind == P_CLASS && pg->code[q].p->cls == C_POSS;
    if (!poss && q < pg->n && pg->code[q].op == I_SPLIT) {
      /* POSS? */
      const inst *a = &pg->code[q + 1];
      poss = a->op == I_TOK && a->p->kind == P_CLASS && a->p->cls == C_POSS;
    }
    in->poss_next = poss;
  }
  /* when every first instruction is a token test, one test of all their
   * alternatives (indexed with the others in rules_compile) */
  pg->first_ent = pg->nfirst > 0;
  for (int k = 0; k < pg->nfirst; k++)
    if (pg->code[pg->first[k]].op != I_ENT)
      pg->first_ent = false;
  bool all_tok = pg->nfirst > 0;
  for (int k = 0; all_tok && k < pg->nfirst; k++)
    if (pg->code[pg->first[k]].op != I_TOK)
      all_tok = false;
  if (all_tok) {
    pg->first_or = S_or_of(e, pg, pg->first, pg->nfirst, "first tokens");
  } else if (pg->nfirst > 1) {
    /* tokens and other elements: the tokens' test, in one */
    int *toks = calloc((size_t)pg->nfirst, sizeof(int));
    int nt = 0;
    for (int k = 0; toks && k < pg->nfirst; k++)
      if (pg->code[pg->first[k]].op == I_TOK)
        toks[nt++] = pg->first[k];
    if (nt > 1)
      pg->first_tok_or = S_or_of(e, pg, toks, nt, "first tokens");
    free(toks);
  }
  free(seen);
  free(out);
}

/* Limits on one pattern once defines are expanded and bounded repetitions
 * copied (README "Limits"). The largest match line of rules/ compiles to
 * about 400 instructions; a define used ten times inside a define used ten
 * times ... (or (x{50}){50} nested) would expand to billions, so the size
 * is measured before anything is expanded. */
#define PAT_MAX_NODES 10000
#define PAT_MAX_DEPTH 200

/* The expanded size of n, saturating above cap. The walk stops as soon as
 * the size is over cap, so it costs at most about cap steps itself; a
 * repetition's operand is walked once and its size multiplied. */
static size_t S_size(const ties_engine *e, const node *n, size_t cap,
                     int depth, bool *deep) {
  if (depth > PAT_MAX_DEPTH) {
    *deep = true;
    return cap + 1;
  }
  size_t sz = 1;
  if (n->k == N_REF) {
    define *d = S_define(e, n->ref);
    if (d && d->ast && !d->busy) { /* cycles are reported by S_compile */
      d->busy = 3;
      sz += S_size(e, d->ast, cap, depth + 1, deep);
      d->busy = 0;
    }
  } else if (n->k == N_REP && n->nkids) {
    size_t k = S_size(e, n->kids[0], cap, depth + 1, deep);
    size_t copies = n->max < 0 ? (size_t)n->min + 1 : (size_t)n->max;
    if (copies == 0)
      copies = 1;
    sz += k > cap / copies ? cap + 1 : k * copies;
  } else {
    for (int i = 0; i < n->nkids && sz <= cap; i++)
      sz += S_size(e, n->kids[i], cap, depth + 1, deep);
  }
  return sz > cap ? cap + 1 : sz;
}

/* Refuse a line whose pattern is too large or deep once expanded. */
static bool S_size_ok(ties_engine *e, const rfile *f, const node *ast) {
  bool deep = false;
  size_t sz = S_size(e, ast, PAT_MAX_NODES, 0, &deep);
  if (deep) {
    rule_error(e, f, ast->off, ast->len, TIES_ELIMIT,
               "pattern nested deeper than %d levels once defines are "
               "expanded", PAT_MAX_DEPTH);
    return false;
  }
  if (sz > PAT_MAX_NODES) {
    rule_error(e, f, ast->off, ast->len, TIES_ELIMIT,
               "pattern larger than %d elements once defines are expanded "
               "and repetitions copied; nest fewer repetitions or defines",
               PAT_MAX_NODES);
    return false;
  }
  return true;
}

static int S_compile_rule(ties_engine *e, rule *r) {
  const rfile *f = S_file_at(e, r->file);
  {
    bool ok = true;
    const vec *lines[3] = {&r->match_lines, &r->req_lines, &r->unless_lines};
    for (int v = 0; v < 3; v++)
      for (size_t i = 0; i < lines[v]->len; i++)
        ok &= S_size_ok(e, f, VEC_AT(lines[v], node *, i));
    if (!ok) {
      r->nprogs = 0;
      return TIES_ELIMIT;
    }
  }
  r->nprogs = (int)r->match_lines.len;
  r->progs = arena_alloc(&e->ar, sizeof(prog) * (size_t)(r->nprogs ? r->nprogs : 1));
  if (!r->progs)
    return TIES_ENOMEM;
  if (!r->is_cue && r->nprogs == 0 && !r->parse_errors) {
    rule_error(e, f, r->off, 4, TIES_ESYNTAX, "rule '%s' has no match line",
               r->id);
    return TIES_ESYNTAX;
  }
  r->cap_types = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)(r->ncaps + 1));
  r->cap_list = arena_alloc(&e->ar, sizeof(bool) * (size_t)(r->ncaps + 1));
  for (int pi = 0; pi < r->nprogs; pi++) {
    const node *ast = VEC_AT(&r->match_lines, node *, pi);
    trigset ts;
    S_req(e, ast, &ts, 0);
    prog *pg = &r->progs[pi];
    if (S_prog(e, f, r, ast, pg, 3 + 2 * r->ncaps, &ts))
      return TIES_ESYNTAX;
    if (r->is_cue && S_matches_empty(pg)) {
      rule_error(e, f, ast->off, ast->len, TIES_ESYNTAX,
                 "a cue must match at least one word; this one can match "
                 "none (it would mark every sentence %s)",
                 modality_name(r->cue_kind));
      return TIES_ESYNTAX;
    }
    S_cap_types(e, ast, r, 0);
    if (!ts.none && ts.n) {
      pg->trig = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)ts.n);
      for (int k = 0; pg->trig && k < ts.n; k++)
        pg->trig[k] = ts.t[k].sym | (ts.t[k].stem ? TRIG_STEM : 0);
      pg->ntrig = pg->trig ? ts.n : 0;
    }
    S_first_set(e, pg);
    S_conj_compile(e, ast, pg);
  }
  r->nreqs = (int)r->req_lines.len;
  r->nunls = (int)r->unless_lines.len;
  r->reqs = arena_alloc(&e->ar, sizeof(prog) * (size_t)(r->nreqs + 1));
  r->unls = arena_alloc(&e->ar, sizeof(prog) * (size_t)(r->nunls + 1));
  for (int pi = 0; pi < r->nreqs; pi++) {
    const node *ast = VEC_AT(&r->req_lines, node *, pi);
    if (S_prog(e, f, r, ast, &r->reqs[pi], 3, NULL))
      return TIES_ESYNTAX;
    S_first_set(e, &r->reqs[pi]);
    S_conj_compile(e, ast, &r->reqs[pi]);
  }
  for (int pi = 0; pi < r->nunls; pi++) {
    const node *ast = VEC_AT(&r->unless_lines, node *, pi);
    if (S_prog(e, f, r, ast, &r->unls[pi], 3, NULL))
      return TIES_ESYNTAX;
    S_first_set(e, &r->unls[pi]);
    S_conj_compile(e, ast, &r->unls[pi]);
  }
  /* emits: resolve capture names */
  r->nemits = (int)r->emit_lines.len;
  r->emits = r->nemits ? arena_dup(&e->ar, r->emit_lines.p,
                                   r->emit_lines.len * sizeof(emit))
                       : NULL;
  bool ok = true;
  for (int i = 0; i < r->nemits; i++) {
    emit *em = &r->emits[i];
    ok &= S_resolve_arg(e, f, r, &em->s);
    ok &= S_resolve_arg(e, f, r, &em->o);
    if (em->item.kind)
      ok &= S_resolve_arg(e, f, r, &em->item);
    if (em->amount.kind)
      ok &= S_resolve_arg(e, f, r, &em->amount);
    if (em->date.kind)
      ok &= S_resolve_arg(e, f, r, &em->date);
  }
  if (!r->is_cue && r->nemits == 0 && !r->parse_errors) {
    rule_error(e, f, r->off, 4, TIES_ESYNTAX, "rule '%s' has no emit line",
               r->id);
    ok = false;
  }
  r->nexamples = (int)r->ex_lines.len;
  r->examples = r->nexamples ? arena_dup(&e->ar, r->ex_lines.p,
                                         r->ex_lines.len * sizeof(example))
                             : NULL;
  return ok ? TIES_OK : TIES_ESEMANTIC;
}


/* One-token alternations test their words and stems by a table look-up;
 * alternations inside them are indexed too. */
static void S_index_or_at(ties_engine *e, pred *p, int depth) {
  if (!p || p->kind != P_OR || p->or_norm || p->or_stem || p->or_rest)
    return;
  int nn = 0, ns = 0;
  for (int i = 0; i < p->nalts; i++) {
    const pred *a = p->alts[i];
    if (a->kind == P_LIT)
      nn++;
    else if (a->kind == P_STEM)
      ns += a->n;
    else
      p->or_rest = true;
  }
  p->or_norm = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)(nn + 1));
  p->or_stem = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)(ns + 1));
  if (!p->or_norm || !p->or_stem) {
    p->or_norm = p->or_stem = NULL;
    p->or_rest = true;
    return;
  }
  for (int i = 0; i < p->nalts; i++) {
    const pred *a = p->alts[i];
    if (a->kind == P_LIT)
      p->or_norm[p->n_or_norm++] = a->syms[0];
    else if (a->kind == P_STEM)
      for (int k = 0; k < a->n; k++)
        p->or_stem[p->n_or_stem++] = a->syms[k];
  }
  qsort(p->or_norm, (size_t)p->n_or_norm, sizeof(uint32_t), S_cmp_u32);
  qsort(p->or_stem, (size_t)p->n_or_stem, sizeof(uint32_t), S_cmp_u32);
  if (p->or_rest) {
    p->rest = arena_alloc(&e->ar, sizeof(pred *) * (size_t)p->nalts);
    if (!p->rest) {
      p->or_norm = p->or_stem = NULL; /* test every alternative instead */
      return;
    }
    for (int i = 0; i < p->nalts; i++)
      if (p->alts[i]->kind != P_LIT && p->alts[i]->kind != P_STEM) {
        p->rest[p->nrest++] = p->alts[i];
        if (depth < 8)
          S_index_or_at(e, p->alts[i], depth + 1);
      }
  }
  /* the words and stems again in one open-addressed table, which the
   * matcher probes (or_tab_has) */
  unsigned bits = 2;
  while (((size_t)1 << bits) < 2 * (size_t)(p->n_or_norm + p->n_or_stem) && bits < 30)
    bits++;
  uint32_t *tab = arena_alloc(&e->ar, sizeof(uint32_t) << bits);
  if (!tab)
    return; /* the binary searches serve */
  memset(tab, 0, sizeof(uint32_t) << bits);
  uint32_t mask = ((uint32_t)1 << bits) - 1;
  for (int i = 0; i < p->n_or_norm + p->n_or_stem; i++) {
    uint32_t k = i < p->n_or_norm ? p->or_norm[i]
                                  : p->or_stem[i - p->n_or_norm] | TRIG_STEM;
    if (!(k & ~TRIG_STEM))
      continue; /* symbol 0: no word */
    uint32_t h = or_tab_hash(k, bits);
    while (tab[h] && tab[h] != k)
      h = (h + 1) & mask;
    tab[h] = k;
  }
  p->or_tab = tab;
  p->or_tab_bits = bits;
}

static void S_index_or(ties_engine *e, pred *p) { S_index_or_at(e, p, 0); }

static void S_index_prog(ties_engine *e, prog *pg) {
  for (int i = 0; i < pg->n; i++)
    if (pg->code[i].p)
      S_index_or(e, (pred *)pg->code[i].p);
  S_index_or(e, pg->first_or);
  S_index_or(e, pg->first_tok_or);
}

/* ---- the matcher's form ------------------------------------------------------ */

/* What a predicate accepts, flattened: words, stems, token classes and
 * entity types; slow when a regex is among them (the matcher then walks
 * it: regex results are kept by word, and one stopped by its limit is
 * reported at the token where it is tested). */
#define FLAT_MAX 1024
#define BIT_CLASS 0x40000000u /* rs->bit_keys: a token class, not a symbol */
typedef struct flat {
  uint32_t norm[FLAT_MAX], stem[FLAT_MAX];
  int nn, ns;
  uint32_t cls;  /* bit per C_* */
  uint32_t ent;  /* entity types (P_CLASS < 0) */
  bool slow;
} flat;

static void S_flatten(const pred *p, flat *f, int depth) {
  if (f->slow || depth > 16) {
    f->slow = true;
    return;
  }
  switch (p->kind) {
  case P_LIT:
    if (p->syms && p->syms[0]) { /* symbol 0: never a word's */
      if (f->nn == FLAT_MAX || (p->syms[0] & (TRIG_STEM | BIT_CLASS)))
        f->slow = true;
      else
        f->norm[f->nn++] = p->syms[0];
    }
    break;
  case P_STEM:
    for (int k = 0; k < p->n; k++) {
      if (!p->syms[k])
        continue;
      if (f->ns == FLAT_MAX || (p->syms[k] & (TRIG_STEM | BIT_CLASS)))
        f->slow = true;
      else
        f->stem[f->ns++] = p->syms[k];
    }
    break;
  case P_CLASS:
    if (p->cls < 0)
      f->ent |= (uint32_t)-p->cls;
    else if (p->cls >= C_NUM && p->cls < C_COUNT)
      f->cls |= 1u << p->cls;
    break;
  case P_OR:
    for (int k = 0; k < p->nalts; k++)
      S_flatten(p->alts[k], f, depth + 1);
    break;
  default: /* P_REGEX */
    f->slow = true;
  }
}

static int S_uniq_u32(uint32_t *a, int n) {
  if (n > 32) {
    qsort(a, (size_t)n, sizeof(uint32_t), S_cmp_u32);
  } else { /* most are short */
    for (int i = 1; i < n; i++) {
      uint32_t v = a[i];
      int j = i;
      for (; j > 0 && a[j - 1] > v; j--)
        a[j] = a[j - 1];
      a[j] = v;
    }
  }
  int m = 0;
  for (int k = 0; k < n; k++)
    if (!m || a[m - 1] != a[k])
      a[m++] = a[k];
  return m;
}

/* The bit of a word part in wordrec.pbits, stored once; UINT32_MAX when
 * out of memory. */
static uint32_t S_bit_id(ruleset *rs, const flat *f) {
  size_t nk = (size_t)f->nn + (size_t)f->ns + 3;
  uint32_t *key = malloc(sizeof(uint32_t) * nk);
  if (!key)
    return UINT32_MAX;
  size_t k = 0;
  key[k++] = (uint32_t)f->nn;
  memcpy(key + k, f->norm, sizeof(uint32_t) * (size_t)f->nn);
  k += (size_t)f->nn;
  key[k++] = (uint32_t)f->ns;
  memcpy(key + k, f->stem, sizeof(uint32_t) * (size_t)f->ns);
  k += (size_t)f->ns;
  key[k++] = f->cls;
  void **slot = strmap_slot(&rs->bit_ids, (const char *)key, sizeof(uint32_t) * k, rs->ar);
  free(key);
  if (!slot)
    return UINT32_MAX;
  if (*slot)
    return (uint32_t)(uintptr_t)*slot - 1;
  uint32_t bit = rs->nbits;
  size_t mark = rs->bit_keys.len;
  bool ok = true;
  for (int i = 0; i < f->nn + f->ns + C_COUNT && ok; i++) {
    uint32_t key1 = i < f->nn ? f->norm[i]
                    : i < f->nn + f->ns ? f->stem[i - f->nn] | TRIG_STEM
                    : (uint32_t)(i - f->nn - f->ns) | BIT_CLASS;
    if ((key1 & BIT_CLASS) && !(f->cls & (1u << (key1 & ~BIT_CLASS))))
      continue;
    uint32_t *a = vec_push(&rs->bit_keys);
    if (a)
      *a = key1;
    uint32_t *b = a ? vec_push(&rs->bit_keys) : NULL;
    if (b)
      *b = bit;
    ok = b != NULL;
  }
  if (!ok) {
    rs->bit_keys.len = mark;
    *slot = NULL;
    return UINT32_MAX;
  }
  *slot = (void *)(uintptr_t)(bit + 1);
  rs->nbits++;
  return bit;
}

/* Does p's fast test read the word alone (its symbols, bits, regexes), not
 * the token's mention? */
static bool S_by_word(const pred *p) {
  if (!p || p->fent)
    return false;
  switch (p->fast) {
  case PF_LIT:
  case PF_STEM:
  case PF_BITS:
  case PF_REGEX:
  case PF_NEVER:
    return true;
  case PF_BITS_REST:
    for (int k = p->frest; k < p->nrest; k++)
      if (p->rest[k]->fast != PF_REGEX)
        return false;
    return true;
  default:
    return false;
  }
}

/* How the matcher tests p (pred.fast): a literal or a stem by its symbol,
 * an entity class by the token's mention, anything else without a regex
 * by its bit in the word's wordrec.pbits (and the mention). */
static void S_fast_pred(ties_engine *e, pred *p) {
  if (!p || p->fast != PF_SLOW)
    return;
  if (p->kind == P_REGEX) { /* match.c S_regex, with its memo */
    p->fast = PF_REGEX;
    return;
  }
  flat *f = malloc(sizeof *f);
  if (!f)
    return; /* pred_test walks it */
  f->nn = f->ns = 0;
  f->cls = f->ent = 0;
  f->slow = false;
  S_flatten(p, f, 0);
  if (f->slow && p->kind == P_OR && p->or_tab) {
    /* a regex among the alternatives, which pred_test tries after the
     * words and stems (or_tab) and those before it: these by their bit,
     * the others from it on one by one */
    f->nn = f->ns = 0;
    f->cls = f->ent = 0;
    f->slow = false;
    for (int k = 0; k < p->nalts; k++)
      if (p->alts[k]->kind == P_LIT || p->alts[k]->kind == P_STEM)
        S_flatten(p->alts[k], f, 1);
    flat *g = malloc(sizeof *g);
    int k = 0;
    for (; g && k < p->nrest; k++) {
      *g = *f;
      S_flatten(p->rest[k], g, 1);
      if (g->slow)
        break;
      *f = *g;
    }
    if (!g)
      f->slow = true;
    free(g);
    if (!f->slow && k < p->nrest && (f->nn || f->ns || f->cls || f->ent)) {
      f->nn = S_uniq_u32(f->norm, f->nn);
      f->ns = S_uniq_u32(f->stem, f->ns);
      uint32_t bit = S_bit_id(e->rules, f);
      if (bit != UINT32_MAX) {
        p->fast = PF_BITS_REST;
        p->fbit = bit;
        p->fent = f->ent;
        p->frest = k;
        for (int j = k; j < p->nrest; j++)
          S_fast_pred(e, p->rest[j]);
      }
    }
    free(f);
    return;
  }
  if (!f->slow) {
    f->nn = S_uniq_u32(f->norm, f->nn);
    f->ns = S_uniq_u32(f->stem, f->ns);
    p->fent = f->ent;
    if (!f->nn && !f->ns && !f->cls) {
      p->fast = f->ent ? PF_ENT : PF_NEVER;
    } else if (f->nn + f->ns == 1 && !f->cls && !f->ent) {
      p->fast = f->nn ? PF_LIT : PF_STEM;
      p->fsym = f->nn ? f->norm[0] : f->stem[0];
    } else {
      uint32_t bit = S_bit_id(e->rules, f);
      if (bit != UINT32_MAX) {
        p->fast = PF_BITS;
        p->fbit = bit;
      }
    }
  }
  free(f);
}

static int S_thread(const prog *pg, int pc) {
  for (int hops = 0; pc >= 0 && pc < pg->n && pg->code[pc].op == I_JMP && hops <= pg->n; hops++)
    pc = pg->code[pc].x;
  return pc;
}

/* The successors of pc in fcode; returns how many. */
static int S_fast_succ(const finst *fc, int pc, int *out) {
  switch (fc[pc].op) {
  case F_SPLIT:
  case F_GAP:
    out[0] = fc[pc].x;
    out[1] = fc[pc].y;
    return 2;
  case F_MATCH:
  case 0:
    return 0;
  default:
    out[0] = fc[pc].x;
    return 1;
  }
}

/* Is to reachable from any of from[0 .. nfrom) without passing avoid? */
static bool S_fast_reaches(const prog *pg, const finst *fc, const int *from, int nfrom,
                           int to, int avoid, int *stamp, int mark, int *stack) {
  int top = 0;
  for (int k = 0; k < nfrom; k++)
    stack[top++] = from[k];
  while (top > 0) {
    int pc = stack[--top];
    if (pc < 0 || pc >= pg->n || pc == avoid || stamp[pc] == mark)
      continue;
    if (pc == to || (to < 0 && fc[pc].op == F_MATCH))
      return true;
    stamp[pc] = mark;
    top += S_fast_succ(fc, pc, stack + top);
  }
  return false;
}

/* A test every token an entity element can begin at passes: the first
 * token of a mention of its types, or "the" before one (S_mention_at). */
static bool S_ent_start(ties_engine *e, const inst *in, const pred **out) {
  pred *the = arena_alloc(&e->ar, sizeof *the);
  pred *ent = arena_alloc(&e->ar, sizeof *ent);
  if (!the || !ent)
    return false;
  the->kind = P_CLASS;
  the->cls = C_THE;
  the->src = "the";
  ent->kind = P_CLASS;
  ent->cls = -(int)in->types;
  ent->src = "entity";
  out[0] = the;
  out[1] = ent;
  return true;
}

/* The guard of a branch that begins at pc0: when every path from there
 * next reads a token passing one of a few tests ("(visited | paid a visit
 * to | toured)", or an entity), one test of all of them, so that where the
 * token passes none the branch is not tried; NULL when a path can read any
 * token or nothing before the match ends. Paths through zero-width
 * instructions are followed. */
#define GUARD_MAX 64
static const pred *S_branch_guard(ties_engine *e, const prog *pg, int pc0, int *stamp,
                                  int mark, int *stack) {
  const pred *out[GUARD_MAX];
  int top = 0, n = 0;
  bool any = false;
  stack[top++] = pc0;
  while (top > 0 && !any) {
    int pc = stack[--top];
    if (pc < 0 || pc >= pg->n) {
      any = true;
      break;
    }
    if (stamp[pc] == mark)
      continue;
    stamp[pc] = mark;
    const inst *in = &pg->code[pc];
    switch (in->op) {
    case I_SAVE:
    case I_BOS:
    case I_NOTAFTER:
    case I_NOTNEXT:
      stack[top++] = pc + 1;
      break;
    case I_JMP:
      stack[top++] = in->x;
      break;
    case I_SPLIT:
      stack[top++] = in->y;
      stack[top++] = in->x;
      break;
    case I_TOK:
      if (n == GUARD_MAX)
        any = true;
      else
        out[n++] = in->p;
      break;
    case I_ENT:
      if (n + 2 <= GUARD_MAX && S_ent_start(e, in, out + n))
        n += 2;
      else
        any = true;
      break;
    default: /* I_ANY, I_NOT, I_EOS, I_MATCH */
      any = true;
    }
  }
  if (any || !n)
    return NULL;
  if (n == 1)
    return out[0];
  pred *p = arena_alloc(&e->ar, sizeof *p);
  if (!p || !(p->alts = arena_dup(&e->ar, out, sizeof(pred *) * (size_t)n)))
    return NULL;
  p->kind = P_OR;
  p->nalts = n;
  p->src = "next tokens";
  S_index_or(e, p);
  return p;
}

/* prog.fcode: the program as the matcher runs it (rule.h finst). */
static void S_fast_prog(ties_engine *e, prog *pg) {
  int n = pg->n;
  finst *fc = arena_alloc(&e->ar, sizeof(finst) * (size_t)(n + 1));
  int *indeg = calloc((size_t)n + 1, sizeof(int));
  int *stamp = calloc((size_t)n + 1, sizeof(int));
  int *stack = malloc(sizeof(int) * (2 * (size_t)n + 2));
  const pred **guard = calloc((size_t)n + 1, sizeof(pred *));
  bool *guard_set = calloc((size_t)n + 1, 1);
  if (!fc || !indeg || !stamp || !stack || !guard || !guard_set)
    goto done; /* prog_run runs the instructions as written */
  for (int pc = 0; pc < n; pc++) {
    const inst *in = &pg->code[pc];
    finst *f = &fc[pc];
    f->x = S_thread(pg, pc + 1);
    f->memo = -1;
    f->p = in->p;
    switch (in->op) {
    case I_TOK: f->op = in->anchor ? F_TOK_ANCHOR : F_TOK; break;
    case I_NOT: f->op = F_NOT; break;
    case I_ANY: f->op = F_ANY; break;
    case I_ENT: f->op = F_ENT; break;
    case I_SPLIT:
      f->op = F_SPLIT;
      f->x = S_thread(pg, in->x);
      f->y = S_thread(pg, in->y);
      break;
    case I_JMP:
      f->op = F_JMP;
      f->x = S_thread(pg, in->x);
      break;
    case I_SAVE:
      f->op = F_SAVE_UNDO;
      f->slot = (uint16_t)in->x;
      break;
    case I_BOS: f->op = F_BOS; break;
    case I_EOS: f->op = F_EOS; break;
    case I_NOTAFTER: f->op = F_NOTAFTER; break;
    case I_NOTNEXT: f->op = F_NOTNEXT; break;
    case I_MATCH: f->op = F_MATCH; break;
    default: f->op = 0; /* fails */
    }
  }
  /* the instructions reachable from the start, and where paths meet: a
   * state there can be reached twice, so that a failed one is remembered */
  int mark = 0;
  {
    int top = 0, next[2];
    stack[top++] = 0;
    indeg[0] = 1;
    ++mark;
    while (top > 0) {
      int pc = stack[--top];
      if (stamp[pc] == mark)
        continue;
      stamp[pc] = mark;
      int ns = S_fast_succ(fc, pc, next);
      for (int k = 0; k < ns; k++) {
        if (next[k] < 0 || next[k] >= n) {
          fc[pc].op = 0; /* cannot happen: compiled programs end in MATCH */
          continue;
        }
        indeg[next[k]]++;
        stack[top++] = next[k];
      }
    }
  }
  for (int pc = 0; pc < n; pc++)
    if (indeg[pc] >= 2)
      fc[pc].memo = pg->nmemo++;
  /* A capture bound that every match passes, and no path passes twice,
   * is set by the match's own path after any failed one: nothing to undo
   * when backtracking. */
  for (int pc = 0; pc < n; pc++) {
    if (fc[pc].op != F_SAVE_UNDO || !indeg[pc] || fc[pc].slot == 2)
      continue;
    int start = 0, next[2];
    int ns = S_fast_succ(fc, pc, next);
    bool all = pc == 0 || !S_fast_reaches(pg, fc, &start, 1, -1, pc, stamp, ++mark, stack);
    bool cycle = S_fast_reaches(pg, fc, next, ns, pc, -1, stamp, ++mark, stack);
    if (all && !cycle)
      fc[pc].op = F_SAVE;
  }
  /* the guards of the branches */
  for (int pc = 0; pc < n; pc++) {
    if (fc[pc].op != F_SPLIT || !indeg[pc])
      continue;
    int br[2] = {fc[pc].x, fc[pc].y};
    for (int k = 0; k < 2; k++) {
      if (!guard_set[br[k]]) {
        guard_set[br[k]] = true;
        guard[br[k]] = S_branch_guard(e, pg, br[k], stamp, ++mark, stack);
      }
    }
    fc[pc].p = guard[br[0]];
    fc[pc].q = guard[br[1]];
  }
  /* the steps of lazy gaps: the token of the second branch is read with
   * the first's guard */
  for (int pc = 0; pc < n; pc++) {
    const finst *y = fc[pc].op == F_SPLIT && !fc[pc].q ? &fc[fc[pc].y] : NULL;
    if (y && (y->op == F_NOT || y->op == F_ANY) && y->memo < 0) {
      fc[pc].op = F_GAP;
      fc[pc].q = y->op == F_NOT ? y->p : NULL;
    }
  }
  for (int pc = 0; pc < n; pc++) {
    S_fast_pred(e, (pred *)fc[pc].p);
    S_fast_pred(e, (pred *)fc[pc].q);
  }
  S_fast_pred(e, pg->first_or);
  S_fast_pred(e, pg->first_tok_or);
  pg->first_by_word = S_by_word(pg->first_or);
  pg->fcode = fc;
done:
  free(indeg);
  free(stamp);
  free(stack);
  free(guard);
  free(guard_set);
}

/* Where match_word_bits finds the bits a word sets: by symbol, the parts
 * that hold it as a word or a stem; by token class, those with the class. */
static int S_bit_index(ties_engine *e) {
  ruleset *rs = e->rules;
  size_t ns = e->syms.n + 2;
  rs->bit_nsyms = ns;
  rs->bit_norm_head = calloc(ns + 1, sizeof(uint32_t));
  rs->bit_stem_head = calloc(ns + 1, sizeof(uint32_t));
  rs->bit_class_head = calloc(C_COUNT + 1, sizeof(uint32_t));
  size_t npairs = rs->bit_keys.len / 2;
  rs->bit_norm = calloc(npairs + 1, sizeof(uint32_t));
  rs->bit_stem = calloc(npairs + 1, sizeof(uint32_t));
  rs->bit_class = calloc(npairs + 1, sizeof(uint32_t));
  if (!rs->bit_norm_head || !rs->bit_stem_head || !rs->bit_class_head ||
      !rs->bit_norm || !rs->bit_stem || !rs->bit_class)
    return TIES_ENOMEM;
  const uint32_t *kv = rs->bit_keys.p;
  /* counts, then where each symbol's bits begin, then the bits */
  for (size_t i = 0; i < npairs; i++) {
    uint32_t k = kv[2 * i], sym = k & ~(TRIG_STEM | BIT_CLASS);
    if (k & BIT_CLASS)
      rs->bit_class_head[sym + 1]++;
    else if (sym < ns)
      ((k & TRIG_STEM) ? rs->bit_stem_head : rs->bit_norm_head)[sym + 1]++;
  }
  for (size_t s = 0; s < ns; s++) {
    rs->bit_norm_head[s + 1] += rs->bit_norm_head[s];
    rs->bit_stem_head[s + 1] += rs->bit_stem_head[s];
  }
  for (int c = 0; c < C_COUNT; c++)
    rs->bit_class_head[c + 1] += rs->bit_class_head[c];
  uint32_t *nfill = calloc(ns + 1, sizeof(uint32_t));
  uint32_t *sfill = calloc(ns + 1, sizeof(uint32_t));
  uint32_t cfill[C_COUNT] = {0};
  if (!nfill || !sfill) {
    free(nfill);
    free(sfill);
    return TIES_ENOMEM;
  }
  for (size_t i = 0; i < npairs; i++) {
    uint32_t k = kv[2 * i], bit = kv[2 * i + 1], sym = k & ~(TRIG_STEM | BIT_CLASS);
    if (k & BIT_CLASS)
      rs->bit_class[rs->bit_class_head[sym] + cfill[sym]++] = bit;
    else if (sym < ns && (k & TRIG_STEM))
      rs->bit_stem[rs->bit_stem_head[sym] + sfill[sym]++] = bit;
    else if (sym < ns)
      rs->bit_norm[rs->bit_norm_head[sym] + nfill[sym]++] = bit;
  }
  free(nfill);
  free(sfill);
  return TIES_OK;
}

static void S_pred_slow(const pred *p) {
  if (p && (p->fast == PF_BITS || p->fast == PF_BITS_REST))
    ((pred *)p)->fast = PF_SLOW;
}

/* The programs of r, its conditions' too: k from 0 to nprogs + nreqs + nunls. */
static prog *S_prog_at(rule *r, int k) {
  if (k < r->nprogs)
    return &r->progs[k];
  k -= r->nprogs;
  return k < r->nreqs ? &r->reqs[k] : &r->unls[k - r->nreqs];
}

/* Without the index of the bits (out of memory), no word has them: the
 * predicates that use them are tested as written. */
static void S_bits_off(ruleset *rs) {
  free(rs->bit_norm_head);
  free(rs->bit_norm);
  free(rs->bit_stem_head);
  free(rs->bit_stem);
  free(rs->bit_class_head);
  free(rs->bit_class);
  rs->bit_norm_head = rs->bit_norm = rs->bit_stem_head = rs->bit_stem = NULL;
  rs->bit_class_head = rs->bit_class = NULL;
  for (size_t i = 0; i < rs->rules.len + rs->cues.len; i++) {
    rule *r = i < rs->rules.len ? VEC_AT(&rs->rules, rule *, i)
                                : VEC_AT(&rs->cues, rule *, i - rs->rules.len);
    for (int k = 0; k < r->nprogs + r->nreqs + r->nunls; k++) {
      const prog *pg = S_prog_at(r, k);
      for (int pc = 0; pc < pg->n; pc++) {
        S_pred_slow(pg->code[pc].p);
        if (pg->fcode) {
          S_pred_slow(pg->fcode[pc].p);
          S_pred_slow(pg->fcode[pc].q);
        }
      }
      S_pred_slow(pg->first_or);
      S_pred_slow(pg->first_tok_or);
      ((prog *)pg)->first_by_word = false;
    }
  }
}

/* The word sets by word: for each symbol, the sets that hold it as a word
 * (norm) or as a stem, so a sentence marks its sets in one pass. */
static int S_wset_index(ruleset *rs) {
  size_t ns = rs->nsyms;
  rs->wset_norm_head = calloc(ns + 1, sizeof(uint32_t));
  rs->wset_stem_head = calloc(ns + 1, sizeof(uint32_t));
  uint32_t *nc = calloc(ns + 1, sizeof(uint32_t));
  uint32_t *sc = calloc(ns + 1, sizeof(uint32_t));
  if (!rs->wset_norm_head || !rs->wset_stem_head || !nc || !sc) {
    free(nc);
    free(sc);
    return TIES_ENOMEM;
  }
  const uint32_t *w = rs->wset_words.p;
  for (size_t k = 0; k < rs->wset_words.len; k++) {
    uint32_t sym = w[k] & ~TRIG_STEM;
    if (sym < ns)
      ((w[k] & TRIG_STEM) ? sc : nc)[sym]++;
  }
  uint32_t tn = 0, ts = 0;
  for (size_t s = 0; s < ns; s++) {
    rs->wset_norm_head[s] = tn;
    rs->wset_stem_head[s] = ts;
    tn += nc[s];
    ts += sc[s];
  }
  rs->wset_norm_head[ns] = tn;
  rs->wset_stem_head[ns] = ts;
  rs->wset_norm = calloc(tn + 1, sizeof(uint32_t));
  rs->wset_stem = calloc(ts + 1, sizeof(uint32_t));
  if (!rs->wset_norm || !rs->wset_stem) {
    free(nc);
    free(sc);
    return TIES_ENOMEM;
  }
  memset(nc, 0, (ns + 1) * sizeof(uint32_t));
  memset(sc, 0, (ns + 1) * sizeof(uint32_t));
  for (size_t id = 0; id < rs->wset_at.len; id++) {
    const wset *ws = &VEC_AT(&rs->wset_at, wset, id);
    for (uint32_t k = 0; k < ws->n; k++) {
      uint32_t x = w[ws->off + k], sym = x & ~TRIG_STEM;
      if (sym >= ns)
        continue;
      if (x & TRIG_STEM)
        rs->wset_stem[rs->wset_stem_head[sym] + sc[sym]++] = (uint32_t)id;
      else
        rs->wset_norm[rs->wset_norm_head[sym] + nc[sym]++] = (uint32_t)id;
    }
  }
  free(nc);
  free(sc);
  return TIES_OK;
}

int rules_compile(ties_engine *e) {
  ruleset *rs = e->rules;
  if (!rs || rs->compiled)
    return TIES_OK;
  int rc = TIES_OK;
  for (size_t i = 0; i < rs->rules.len; i++) {
    rule *r = VEC_AT(&rs->rules, rule *, i);
    r->index = (uint32_t)i;
    int k = S_compile_rule(e, r);
    if (k) {
      r->nprogs = 0; /* broken: never run */
      r->nemits = 0;
      if (!rc)
        rc = k;
    }
  }
  for (size_t i = 0; i < rs->cues.len; i++) {
    rule *r = VEC_AT(&rs->cues, rule *, i);
    r->index = (uint32_t)i;
    int k = S_compile_rule(e, r);
    if (k) {
      r->nprogs = 0;
      if (!rc)
        rc = k;
    }
  }
  for (size_t i = 0; i < rs->rules.len + rs->cues.len; i++) {
    rule *r = i < rs->rules.len ? VEC_AT(&rs->rules, rule *, i)
                                : VEC_AT(&rs->cues, rule *, i - rs->rules.len);
    if (i == rs->rules.len)
      rs->cue_prog0 = (uint32_t)rs->nprogs_all;
    for (int k = 0; k < r->nprogs; k++) {
      S_index_prog(e, &r->progs[k]);
      r->progs[k].id = (uint32_t)rs->nprogs_all++;
    }
    for (int k = 0; k < r->nreqs; k++) {
      S_index_prog(e, &r->reqs[k]);
      r->reqs[k].id = (uint32_t)rs->nprogs_all++;
    }
    for (int k = 0; k < r->nunls; k++) {
      S_index_prog(e, &r->unls[k]);
      r->unls[k].id = (uint32_t)rs->nprogs_all++;
    }
  }
  /* the matcher's form; the gaps' tests (I_NOT), tested on most tokens,
   * get the first bits, which share the words' first cache line */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < rs->rules.len + rs->cues.len; i++) {
      rule *r = i < rs->rules.len ? VEC_AT(&rs->rules, rule *, i)
                                  : VEC_AT(&rs->cues, rule *, i - rs->rules.len);
      for (int k = 0; k < r->nprogs + r->nreqs + r->nunls; k++) {
        prog *pg = S_prog_at(r, k);
        if (pass == 1) {
          S_fast_prog(e, pg);
          continue;
        }
        for (int pc = 0; pc < pg->n; pc++)
          if (pg->code[pc].op == I_NOT)
            S_fast_pred(e, (pred *)pg->code[pc].p);
      }
    }
  }
  if (S_bit_index(e) != TIES_OK) {
    S_bits_off(rs);
    if (!rc)
      rc = TIES_ENOMEM;
  }
  /* trigger index: each program under the words one of which every match
   * of it contains (prog.trig); programs without such words run on every
   * sentence */
  size_t ns = e->syms.n + 2;
  rs->nsyms = ns;
  size_t np = 0;
  for (size_t i = 0; i < rs->rules.len; i++)
    np += (size_t)VEC_AT(&rs->rules, rule *, i)->nprogs;
  uint32_t *ncount = calloc(ns, sizeof(uint32_t));
  uint32_t *scount = calloc(ns, sizeof(uint32_t));
  rs->prog_at = calloc(np ? np : 1, sizeof(progref));
  rs->prog_sig = calloc(np ? np * SIG_WORDS : 1, sizeof(uint64_t));
  if (!ncount || !scount || !rs->prog_at || !rs->prog_sig) {
    free(ncount);
    free(scount);
    return TIES_ENOMEM;
  }
  rs->nprogs_rules = np;
  np = 0;
  for (size_t i = 0; i < rs->rules.len; i++) {
    rule *r = VEC_AT(&rs->rules, rule *, i);
    for (int pi = 0; pi < r->nprogs; pi++) {
      const prog *pg = &r->progs[pi];
      rs->prog_at[np].rule = (uint32_t)i;
      rs->prog_at[np].prog = (uint32_t)pi;
      for (int c = 0; c < pg->nconj; c++) {
        uint32_t b = pg->conj[c] % SIG_BITS;
        rs->prog_sig[np * SIG_WORDS + b / 64] |= (uint64_t)1 << (b % 64);
      }
      if (!pg->ntrig) {
        r->no_trigger = true;
        uint32_t *p = vec_push(&rs->always);
        if (p)
          *p = (uint32_t)np;
      }
      np++;
      for (int j = 0; j < pg->ntrig; j++) {
        uint32_t sym = pg->trig[j] & ~TRIG_STEM;
        if (sym < ns)
          ((pg->trig[j] & TRIG_STEM) ? scount : ncount)[sym]++;
      }
    }
  }
  rs->norm_head = calloc(ns + 1, sizeof(uint32_t));
  rs->stem_head = calloc(ns + 1, sizeof(uint32_t));
  if (!rs->norm_head || !rs->stem_head) {
    free(ncount);
    free(scount);
    return TIES_ENOMEM;
  }
  uint32_t tn = 0, ts_ = 0;
  for (size_t s = 0; s < ns; s++) {
    rs->norm_head[s] = tn;
    rs->stem_head[s] = ts_;
    tn += ncount[s];
    ts_ += scount[s];
  }
  rs->norm_head[ns] = tn;
  rs->stem_head[ns] = ts_;
  rs->norm_progs = calloc(tn ? tn : 1, sizeof(uint32_t));
  rs->stem_progs = calloc(ts_ ? ts_ : 1, sizeof(uint32_t));
  if (!rs->norm_progs || !rs->stem_progs) {
    free(ncount);
    free(scount);
    return TIES_ENOMEM;
  }
  memset(ncount, 0, ns * sizeof(uint32_t));
  memset(scount, 0, ns * sizeof(uint32_t));
  for (size_t k = 0; k < np; k++) {
    const rule *r = VEC_AT(&rs->rules, rule *, rs->prog_at[k].rule);
    const prog *pg = &r->progs[rs->prog_at[k].prog];
    for (int j = 0; j < pg->ntrig; j++) {
      uint32_t sym = pg->trig[j] & ~TRIG_STEM;
      if (sym >= ns)
        continue;
      if (pg->trig[j] & TRIG_STEM)
        rs->stem_progs[rs->stem_head[sym] + scount[sym]++] = (uint32_t)k;
      else
        rs->norm_progs[rs->norm_head[sym] + ncount[sym]++] = (uint32_t)k;
    }
  }
  free(ncount);
  free(scount);
  /* what each program needs of a sentence, by number, in one array */
  size_t nn = 0;
  for (size_t k = 0; k < np; k++) {
    const prog *pg = &VEC_AT(&rs->rules, rule *, rs->prog_at[k].rule)->progs[rs->prog_at[k].prog];
    nn += 2 + (size_t)pg->nconj + 2 * (size_t)pg->n_ent_masks;
  }
  rs->need_off = calloc(np ? np : 1, sizeof(uint32_t));
  rs->need_all = calloc(nn ? nn : 1, sizeof(uint32_t));
  if (!rs->need_off || !rs->need_all)
    return TIES_ENOMEM;
  nn = 0;
  for (size_t k = 0; k < np; k++) {
    const prog *pg = &VEC_AT(&rs->rules, rule *, rs->prog_at[k].rule)->progs[rs->prog_at[k].prog];
    rs->need_off[k] = (uint32_t)nn;
    rs->need_all[nn++] = (uint32_t)pg->nconj;
    rs->need_all[nn++] = (uint32_t)pg->n_ent_masks;
    for (int i = 0; i < pg->nconj; i++)
      rs->need_all[nn++] = pg->conj[i];
    for (int i = 0; i < pg->n_ent_masks; i++) {
      rs->need_all[nn++] = pg->ent_masks[i];
      rs->need_all[nn++] = pg->ent_need[i];
    }
  }
  if (S_wset_index(rs) != TIES_OK && !rc)
    rc = TIES_ENOMEM;
  rs->compiled = true;
  return rc;
}
