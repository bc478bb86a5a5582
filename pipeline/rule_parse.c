/*
 * rule_parse.c — rule files into rules, defines and cues, with locations.
 *
 * A file is a sequence of blocks:
 *
 *   define AIDNOUN  (weapons | arms | equipment | aid | assistance)
 *   cue planned     <plan> to
 *   rule donated.direct
 *     about   "A state gives military equipment or aid to another state."
 *     match   @giver:ACTOR _{0,4} <donat|gift> _{0,8} to @recipient:COUNTRY+
 *     emit    @giver donated @recipient  amount=@m
 *     allow   offered
 *     example "Beijing donated USD 1 million in equipment to Serbia."
 *             => CHN donated SRB
 *     counter "Serbia shelved plans to donate equipment to Nepal."
 *
 * A clause runs on over following lines that are indented and do not start
 * with a keyword. Errors are reported at file:line:col and parsing goes on
 * with the next clause, up to the error cap.
 *
 * Patterns:
 *   alt   := seq ('|' seq)*
 *   seq   := item+
 *   item  := atom ('?' | '*' | '+' | '{' N (',' N?)? '}')?
 *   atom  := '(' alt ')' | '@' NAME ':' atom | '!' atom | '~' atom | '>!' atom | '_'
 *          | '^' | '$'
 *          | word | "string" | <stem|stem> | /regex/flags | %DEFINE
 *          | TYPE | TYPE'+' (a coordinated list) | '[' ID ']'
 */
#include "rule.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct pstate {
  ties_engine *e;
  ruleset *rs;
  const rfile *f;
  lexer lx;
  rule *r;            /* current rule or NULL */
  vec *capnames;      /* const char* of the current rule */
  bool in_define;     /* captures are not allowed in defines */
  bool failed;
  int depth;
} pstate;

#define MAX_NEST 64
/* A rule file is parsed from memory with per-line tables; the project's
 * files are about 100 KB in all (README "Limits"). */
#define MAX_RULE_FILE_BYTES ((size_t)16 << 20)

static void S_perr(pstate *ps, const lexeme *l, const char *fmt, ...)
    TIES_PRINTF(3, 4);
static void S_perr(pstate *ps, const lexeme *l, const char *fmt, ...) {
  if (ps->failed)
    return; /* one error per clause */
  ps->failed = true;
  if (ps->r)
    ps->r->parse_errors = true;
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  rule_error(ps->e, ps->f, l->off, l->len ? l->len : 1, TIES_ESYNTAX, "%s",
             buf_cstr(&b));
  buf_free(&b);
}

static node *S_node(pstate *ps, int k, const lexeme *l) {
  node *n = arena_alloc(ps->rs->ar, sizeof *n);
  if (!n)
    return NULL;
  n->k = k;
  n->off = l->off;
  n->len = l->len;
  n->cap = -1;
  return n;
}

static void S_add_kid(pstate *ps, node *p, node *kid) {
  node **k = arena_alloc(ps->rs->ar, sizeof(node *) * (size_t)(p->nkids + 1));
  if (!k)
    return;
  if (p->nkids)
    memcpy(k, p->kids, sizeof(node *) * (size_t)p->nkids);
  k[p->nkids++] = kid;
  p->kids = k;
}

static void S_extend(node *n, const lexeme *l) {
  size_t end = l->off + l->len;
  if (end > n->off + n->len)
    n->len = end - n->off;
}

static const struct {
  const char *name;
  uint32_t types;
  int cls;
} S_types[] = {
    {"COUNTRY", T_COUNTRY, 0},  {"ORG", T_ORG, 0},
    {"PERSON", T_PERSON, 0},    {"PLATFORM", T_PLATFORM, 0},
    {"PLACE", T_PLACE, 0},      {"ACTOR", T_ACTOR, 0},
    {"MONEY", T_MONEY, 0},      {"DATE", T_DATE, 0},
    {"ENTITY", T_ACTOR | T_PLATFORM | T_PLACE, 0},
    {"LOCATION", T_COUNTRY | T_PLACE, 0},
    {"NUM", 0, C_NUM},          {"PUNCT", 0, C_PUNCT},
    {"CAP", 0, C_CAP},          {"POSS", 0, C_POSS},
    {"WORD", 0, C_WORD},        {"MODEL", 0, C_MODEL},
};

static pred *S_pred(pstate *ps, int kind, const lexeme *l) {
  pred *p = arena_alloc(ps->rs->ar, sizeof *p);
  if (!p)
    return NULL;
  p->kind = kind;
  p->src = arena_strndup(ps->rs->ar, ps->f->text + l->off, l->len);
  return p;
}

/* A literal: analysed like text; several tokens become a sequence. */
static node *S_literal(pstate *ps, const lexeme *l) {
  ties_worker *lw = engine_load_worker(ps->e);
  if (!lw) {
    S_perr(ps, l, "cannot analyse literal: no dictionary or stemmer");
    return NULL;
  }
  const wordrec *words[32];
  uint8_t kinds[32];
  int nt = engine_analyze(ps->e, lw, l->text, l->tlen, words, kinds, 32);
  if (nt <= 0) {
    S_perr(ps, l, "empty literal");
    return NULL;
  }
  node *seq = nt > 1 ? S_node(ps, N_SEQ, l) : NULL;
  node *last = NULL;
  for (int i = 0; i < nt; i++) {
    node *n = S_node(ps, N_TOK, l);
    if (!n)
      return NULL;
    n->p = S_pred(ps, P_LIT, l);
    if (!n->p)
      return NULL;
    n->p->syms = arena_alloc(ps->rs->ar, sizeof(uint32_t));
    n->p->syms[0] = engine_sym(ps->e, words[i]->norm);
    n->p->n = 1;
    if (nt > 1)
      n->p->src = arena_strdup(ps->rs->ar, words[i]->surface);
    last = n;
    if (seq)
      S_add_kid(ps, seq, n);
  }
  return seq ? seq : last;
}

static node *S_alt(pstate *ps);

static node *S_atom(pstate *ps) {
  lexeme l = lex_next(&ps->lx);
  switch (l.kind) {
  case L_PUNCT:
    if (l.text[0] == '(') {
      if (++ps->depth > MAX_NEST) {
        S_perr(ps, &l, "groups nested deeper than %d", MAX_NEST);
        return NULL;
      }
      node *inner = S_alt(ps);
      ps->depth--;
      lexeme c = lex_next(&ps->lx);
      if (!inner)
        return NULL;
      if (c.kind != L_PUNCT || c.text[0] != ')') {
        unsigned gl, gc;
        rfile_locate(ps->f, l.off, &gl, &gc);
        S_perr(ps, &c, "expected ')' to close the group opened at %u:%u", gl,
               gc);
        return NULL;
      }
      /* keep the group's extent for traces */
      node *g = S_node(ps, N_SEQ, &l);
      if (!g)
        return NULL;
      S_add_kid(ps, g, inner);
      S_extend(g, &c);
      return g;
    }
    if (l.text[0] == '_')
      return S_node(ps, N_ANY, &l);
    if (l.text[0] == '^')
      return S_node(ps, N_BOS, &l);
    if (l.text[0] == '$')
      return S_node(ps, N_EOS, &l);
    if (l.text[0] == '!' || l.text[0] == '~' || l.text[0] == '>') {
      node *n = S_node(ps, l.text[0] == '!' ? N_NOT : l.text[0] == '~' ? N_NOTAFTER
                                                                       : N_NOTNEXT, &l);
      /* "!!!!…" recurses like "((((…": the same bound keeps the stack */
      if (++ps->depth > MAX_NEST) {
        S_perr(ps, &l, "'%s' nested deeper than %d", l.text, MAX_NEST);
        return NULL;
      }
      node *a = S_atom(ps);
      ps->depth--;
      if (!n || !a)
        return NULL;
      S_add_kid(ps, n, a);
      n->len = a->off + a->len - n->off;
      return n;
    }
    if (l.text[0] == '[') {
      lexeme id = lex_next(&ps->lx);
      lexeme c = lex_next(&ps->lx);
      if ((id.kind != L_WORD && id.kind != L_TYPE) || c.kind != L_PUNCT ||
          c.text[0] != ']') {
        S_perr(ps, &l, "expected '[ID]' naming an entity, e.g. [CHN]");
        return NULL;
      }
      const entity *ent = engine_entity(ps->e, id.text);
      if (!ent) {
        S_perr(ps, &id, "unknown entity '%s' (not in the gazetteers)", id.text);
        return NULL;
      }
      node *n = S_node(ps, N_ENT, &l);
      if (!n)
        return NULL;
      n->ent = ent;
      n->types = 1u << ent->type;
      S_extend(n, &c);
      return n;
    }
    S_perr(ps, &l, "unexpected '%s' in pattern", l.text);
    return NULL;
  case L_CAPTURE: {
    if (ps->in_define) {
      S_perr(ps, &l, "captures are not allowed in a define");
      return NULL;
    }
    lexeme colon = lex_next(&ps->lx);
    if (colon.kind != L_PUNCT || colon.text[0] != ':') {
      S_perr(ps, &l, "capture '@%s' needs a ':' and what it captures, e.g. "
                     "@%s:COUNTRY",
             l.text, l.text);
      return NULL;
    }
    if (++ps->depth > MAX_NEST) {
      S_perr(ps, &l, "captures nested deeper than %d", MAX_NEST);
      return NULL;
    }
    node *inner = S_atom(ps);
    ps->depth--;
    if (!inner)
      return NULL;
    /* TYPE+ directly after the colon is a list capture */
    node *n = S_node(ps, N_CAP, &l);
    if (!n)
      return NULL;
    int idx = -1;
    for (size_t i = 0; i < ps->capnames->len; i++)
      if (!strcmp(VEC_AT(ps->capnames, const char *, i), l.text))
        idx = (int)i;
    if (idx < 0) {
      const char **p = vec_push(ps->capnames);
      if (!p)
        return NULL;
      *p = l.text;
      idx = (int)ps->capnames->len - 1;
    }
    n->cap = idx;
    S_add_kid(ps, n, inner);
    n->len = inner->off + inner->len - n->off;
    return n;
  }
  case L_TYPE: {
    for (size_t i = 0; i < TIES_ARRAY_LEN(S_types); i++) {
      if (strcmp(S_types[i].name, l.text) != 0)
        continue;
      if (S_types[i].cls) {
        node *n = S_node(ps, N_TOK, &l);
        if (!n)
          return NULL;
        n->p = S_pred(ps, P_CLASS, &l);
        if (n->p)
          n->p->cls = S_types[i].cls;
        return n;
      }
      node *n = S_node(ps, N_ENT, &l);
      if (!n)
        return NULL;
      n->types = S_types[i].types;
      /* ORG[intl|company]: organisations of these kinds only */
      if (ps->lx.pos < ps->lx.end && ps->f->text[ps->lx.pos] == '[') {
        size_t q = ps->lx.pos + 1;
        while (q < ps->lx.end && ps->f->text[q] != ']' && ps->f->text[q] != '\n')
          q++;
        if (q >= ps->lx.end || ps->f->text[q] != ']') {
          lexeme b = l;
          b.off = ps->lx.pos;
          b.len = 1;
          S_perr(ps, &b, "'[' after a type opens a list of kinds closed by ']'");
          return NULL;
        }
        n->kinds = arena_printf(ps->rs->ar, "|%.*s|", (int)(q - ps->lx.pos - 1),
                                ps->f->text + ps->lx.pos + 1);
        n->len += q + 1 - ps->lx.pos;
        ps->lx.pos = q + 1;
      }
      /* COUNTRY+ : a coordinated list (no space before '+') */
      if (ps->lx.pos < ps->lx.end && ps->f->text[ps->lx.pos] == '+') {
        lex_next(&ps->lx);
        n->list = true;
        n->len++;
      }
      return n;
    }
    /* An upper-case literal such as "US" must be quoted. */
    S_perr(ps, &l,
           "unknown entity type '%s' (COUNTRY ORG PERSON PLATFORM PLACE ACTOR "
           "LOCATION MONEY DATE ENTITY, or classes NUM PUNCT CAP POSS WORD MODEL); "
           "quote a literal word: \"%s\"",
           l.text, l.text);
    return NULL;
  }
  case L_WORD:
  case L_STRING:
    if (l.kind == L_STRING && l.tlen == 0) {
      S_perr(ps, &l, "empty string");
      return NULL;
    }
    return S_literal(ps, &l);
  case L_NUMBER:
    return S_literal(ps, &l);
  case L_STEM: {
    node *n = S_node(ps, N_TOK, &l);
    if (!n)
      return NULL;
    n->p = S_pred(ps, P_STEM, &l);
    if (!n->p)
      return NULL;
    /* count alternatives */
    int k = 1;
    for (size_t i = 0; i < l.tlen; i++)
      if (l.text[i] == '|')
        k++;
    n->p->syms = arena_alloc(ps->rs->ar, sizeof(uint32_t) * (size_t)k);
    n->p->n = 0;
    const char *s = l.text;
    for (;;) {
      const char *bar = strchr(s, '|');
      size_t len = bar ? (size_t)(bar - s) : strlen(s);
      if (len == 0) {
        S_perr(ps, &l, "empty stem in '<%s>'", l.text);
        return NULL;
      }
      char tmp[128];
      if (len >= sizeof tmp) {
        S_perr(ps, &l, "stem too long");
        return NULL;
      }
      memcpy(tmp, s, len);
      tmp[len] = 0;
      n->p->syms[n->p->n++] = engine_sym(ps->e, tmp);
      const char **sp = vec_push(&ps->rs->stems);
      if (sp)
        *sp = symtab_str(&ps->e->syms, n->p->syms[n->p->n - 1]);
      if (!bar)
        break;
      s = bar + 1;
    }
    return n;
  }
  case L_REGEX: {
    node *n = S_node(ps, N_TOK, &l);
    if (!n)
      return NULL;
    n->p = S_pred(ps, P_REGEX, &l);
    if (!n->p)
      return NULL;
    const char *pat = l.text;
    size_t plen = strlen(pat);
    const char *flags = pat + plen + 1;
    uint32_t opt = PCRE2_UTF | PCRE2_UCP;
    for (const char *q = flags; *q; q++)
      opt |= *q == 'i' ? PCRE2_CASELESS : *q == 'x' ? PCRE2_EXTENDED : 0;
    int err;
    PCRE2_SIZE eoff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, plen, opt, &err, &eoff, NULL);
    if (!re) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      lexeme at = l;
      at.off = l.off + 1 + eoff;
      at.len = 1;
      if (!ps->failed) {
        ps->failed = true;
        if (ps->r) /* no "has no match line" after this one */
          ps->r->parse_errors = true;
        rule_error(ps->e, ps->f, at.off, 1, TIES_EREGEX,
                   "regular expression: %s", (const char *)msg);
      }
      return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* optional: falls back */
    n->p->re = re;
    n->p->re_idx = (int)ps->rs->regexes.len;
    pcre2_code **rp = vec_push(&ps->rs->regexes);
    if (rp)
      *rp = re;
    else
      n->p->re_idx = INT_MAX; /* not kept in the word records */
    return n;
  }
  case L_REF: {
    node *n = S_node(ps, N_REF, &l);
    if (n)
      n->ref = l.text;
    return n;
  }
  case L_EOF:
    S_perr(ps, &l, "pattern ends too early");
    return NULL;
  case L_ERROR:
    S_perr(ps, &l, "%s", l.text);
    return NULL;
  default:
    S_perr(ps, &l, "unexpected '%.*s' in pattern", (int)l.len,
           ps->f->text + l.off);
    return NULL;
  }
}

static bool S_int(const lexeme *l, int *v) {
  if (l->kind != L_NUMBER || l->tlen > 6)
    return false;
  *v = atoi(l->text);
  return true;
}

static node *S_item(pstate *ps) {
  node *a = S_atom(ps);
  if (!a)
    return NULL;
  lexeme q = lex_peek(&ps->lx);
  if (q.kind != L_PUNCT || !strchr("?*+{", q.text[0]))
    return a;
  /* TYPE+ was taken as a list by the atom; a '+' after a space is a
   * repetition. */
  lex_next(&ps->lx);
  node *r = S_node(ps, N_REP, &q);
  if (!r)
    return NULL;
  r->off = a->off;
  /* gaps are lazy: the nearest binding is found first */
  r->lazy = a->k == N_ANY || a->k == N_NOT || a->k == N_REF;
  switch (q.text[0]) {
  case '?': r->min = 0; r->max = 1; break;
  case '*': r->min = 0; r->max = -1; break;
  case '+': r->min = 1; r->max = -1; break;
  case '{': {
    lexeme m = lex_next(&ps->lx);
    int lo = 0, hi = 0;
    if (!S_int(&m, &lo)) {
      S_perr(ps, &m, "expected a number after '{'");
      return NULL;
    }
    lexeme c = lex_next(&ps->lx);
    hi = lo;
    if (c.kind == L_PUNCT && c.text[0] == ',') {
      lexeme m2 = lex_next(&ps->lx);
      if (m2.kind == L_PUNCT && m2.text[0] == '}') {
        hi = -1;
        c = m2;
      } else if (!S_int(&m2, &hi)) {
        S_perr(ps, &m2, "expected a number or '}' after ','");
        return NULL;
      } else {
        c = lex_next(&ps->lx);
      }
    }
    if (c.kind != L_PUNCT || c.text[0] != '}') {
      S_perr(ps, &c, "expected '}' to close the repetition");
      return NULL;
    }
    if (hi >= 0 && hi < lo) {
      S_perr(ps, &m, "repetition {%d,%d} has its bounds reversed", lo, hi);
      return NULL;
    }
    if (hi > 50 || lo > 50) {
      S_perr(ps, &m, "repetition bound larger than 50");
      return NULL;
    }
    r->min = lo;
    r->max = hi;
    S_extend(r, &c);
    break;
  }
  }
  S_add_kid(ps, r, a);
  r->len = q.off + q.len - r->off;
  return r;
}

static bool S_seq_end(const lexeme *l) {
  return l->kind == L_EOF ||
         (l->kind == L_PUNCT && (l->text[0] == ')' || l->text[0] == '|'));
}

static node *S_seq(pstate *ps) {
  lexeme first = lex_peek(&ps->lx);
  if (S_seq_end(&first)) {
    S_perr(ps, &first, "empty alternative");
    return NULL;
  }
  node *s = S_node(ps, N_SEQ, &first);
  if (!s)
    return NULL;
  for (;;) {
    lexeme l = lex_peek(&ps->lx);
    if (S_seq_end(&l))
      break;
    node *it = S_item(ps);
    if (!it)
      return NULL;
    S_add_kid(ps, s, it);
    s->len = it->off + it->len - s->off;
  }
  return s->nkids == 1 ? s->kids[0] : s;
}

static node *S_alt(pstate *ps) {
  node *first = S_seq(ps);
  if (!first)
    return NULL;
  lexeme l = lex_peek(&ps->lx);
  if (l.kind != L_PUNCT || l.text[0] != '|')
    return first;
  node *a = S_node(ps, N_ALT, &l);
  if (!a)
    return NULL;
  a->off = first->off;
  S_add_kid(ps, a, first);
  while (l.kind == L_PUNCT && l.text[0] == '|') {
    lex_next(&ps->lx);
    node *n = S_seq(ps);
    if (!n)
      return NULL;
    S_add_kid(ps, a, n);
    a->len = n->off + n->len - a->off;
    l = lex_peek(&ps->lx);
  }
  return a;
}

static node *S_pattern(pstate *ps) {
  node *n = S_alt(ps);
  if (!n)
    return NULL;
  lexeme l = lex_next(&ps->lx);
  if (l.kind != L_EOF) {
    S_perr(ps, &l, "unexpected '%.*s' (a ')' without '('?)", (int)l.len,
           ps->f->text + l.off);
    return NULL;
  }
  return n;
}

/* ---- clauses -------------------------------------------------------------- */

static const char *const S_clause_kw[] = {"about",   "match",   "emit",
                                          "example", "counter", "allow",
                                          "note",    "requires", "unless"};
static const char *const S_top_kw[] = {"rule", "define", "cue"};

static bool S_is_kw(const char *s, size_t n, const char *const *kw, size_t nk) {
  for (size_t i = 0; i < nk; i++)
    if (strlen(kw[i]) == n && !memcmp(kw[i], s, n))
      return true;
  return false;
}

static rule *S_new_rule(pstate *ps, const lexeme *kw, const lexeme *id) {
  ruleset *rs = ps->rs;
  void **slot = strmap_slot(&rs->by_id, id->text, id->tlen, rs->ar);
  if (!slot)
    return NULL;
  if (*slot) {
    const rule *old = *slot;
    S_perr(ps, id, "duplicate rule id '%s' (first defined at %s:%u)", id->text,
           old->file, old->line);
    return NULL;
  }
  rule *r = arena_alloc(rs->ar, sizeof *r);
  if (!r)
    return NULL;
  r->id = id->text;
  r->file = ps->f->path;
  unsigned line, col;
  rfile_locate(ps->f, kw->off, &line, &col);
  r->line = line;
  r->off = kw->off;
  vec_init(&r->match_lines, sizeof(node *));
  vec_init(&r->req_lines, sizeof(node *));
  vec_init(&r->unless_lines, sizeof(node *));
  vec_init(&r->emit_lines, sizeof(emit));
  vec_init(&r->ex_lines, sizeof(example));
  *slot = r;
  return r;
}

/* Parse "S P O" for an example. */
static const char *S_triple(pstate *ps, const lexeme *first) {
  lexeme p = lex_next(&ps->lx), o = lex_next(&ps->lx);
  if ((first->kind != L_WORD && first->kind != L_TYPE) ||
      (p.kind != L_WORD) || (o.kind != L_WORD && o.kind != L_TYPE)) {
    S_perr(ps, first, "expected a triple 'SUBJECT predicate OBJECT'");
    return NULL;
  }
  return arena_printf(ps->rs->ar, "%s %s %s", first->text, p.text, o.text);
}

static void S_example(pstate *ps, bool counter) {
  lexeme s = lex_next(&ps->lx);
  if (s.kind != L_STRING) {
    S_perr(ps, &s, "%s needs a quoted sentence", counter ? "counter" : "example");
    return;
  }
  example ex = {0};
  ex.text = s.text;
  ex.counter = counter;
  ex.off = s.off;
  unsigned line, col;
  rfile_locate(ps->f, s.off, &line, &col);
  ex.line = line;
  vec exp;
  vec_init(&exp, sizeof(const char *));
  lexeme a = lex_next(&ps->lx);
  if (a.kind == L_ARROW) {
    if (counter) {
      S_perr(ps, &a, "a counter example expects no triples; drop '=>'");
      vec_free(&exp);
      return;
    }
    for (;;) {
      lexeme t = lex_next(&ps->lx);
      const char *tr = S_triple(ps, &t);
      if (!tr)
        break;
      const char **p = vec_push(&exp);
      if (p)
        *p = tr;
      lexeme sep = lex_next(&ps->lx);
      if (sep.kind == L_EOF)
        break;
      if (sep.kind != L_PUNCT || (sep.text[0] != ';' && sep.text[0] != ',')) {
        S_perr(ps, &sep, "expected ';' between triples");
        break;
      }
    }
  } else if (a.kind != L_EOF) {
    S_perr(ps, &a, "expected '=>' and the triples after the example");
  }
  ex.nexpect = (int)exp.len;
  ex.expect = exp.len ? arena_dup(ps->rs->ar, exp.p, exp.len * sizeof(char *))
                      : NULL;
  vec_free(&exp);
  example *p = vec_push(&ps->r->ex_lines);
  if (p)
    *p = ex;
}

static bool S_arg(pstate *ps, const lexeme *l, emit_arg *a) {
  a->off = l->off;
  a->len = l->len;
  if (l->kind == L_CAPTURE) {
    a->kind = A_CAPTURE;
    a->cap = -1;
    for (size_t i = 0; i < ps->capnames->len; i++)
      if (!strcmp(VEC_AT(ps->capnames, const char *, i), l->text))
        a->cap = (int)i;
    a->id = l->text;
    if (a->cap < 0) {
      /* may be bound by a later match line: resolved at compile time */
      a->cap = -2;
    }
    return true;
  }
  if (l->kind == L_VAR) {
    if (!strcmp(l->text, "main"))
      a->kind = A_MAIN;
    else if (!strcmp(l->text, "subject"))
      a->kind = A_SUBJECT;
    else if (!strcmp(l->text, "context"))
      a->kind = A_CONTEXT;
    else if (!strcmp(l->text, "pair"))
      a->kind = A_PAIR;
    else {
      S_perr(ps, l, "unknown variable '$%s' ($main, $subject, $context or $pair)",
             l->text);
      return false;
    }
    /* $context:ORG, $pair:PERSON */
    lexeme colon = lex_peek(&ps->lx);
    if ((a->kind == A_CONTEXT || a->kind == A_PAIR) && colon.kind == L_PUNCT &&
        colon.text[0] == ':') {
      lex_next(&ps->lx);
      lexeme t = lex_next(&ps->lx);
      uint32_t m = 0;
      for (size_t i = 0; t.kind == L_TYPE && i < TIES_ARRAY_LEN(S_types); i++)
        if (!strcmp(S_types[i].name, t.text))
          m = S_types[i].types;
      if (!m) {
        S_perr(ps, &t, "expected an entity type after '$%s:'",
               a->kind == A_PAIR ? "pair" : "context");
        return false;
      }
      a->types = m;
    }
    return true;
  }
  if (l->kind == L_WORD || l->kind == L_TYPE) {
    const entity *ent = engine_entity(ps->e, l->text);
    if (!ent) {
      S_perr(ps, l, "unknown entity '%s' (not in the gazetteers)", l->text);
      return false;
    }
    a->kind = A_ENTITY;
    a->ent = ent;
    a->id = ent->id;
    return true;
  }
  S_perr(ps, l, "expected @capture, an entity id, $main, $subject or $context");
  return false;
}

static void S_emit(pstate *ps, const lexeme *kw) {
  emit em = {0};
  em.off = kw->off;
  unsigned line, col;
  rfile_locate(ps->f, kw->off, &line, &col);
  em.line = line;
  lexeme s = lex_next(&ps->lx);
  if (!S_arg(ps, &s, &em.s))
    return;
  lexeme p = lex_next(&ps->lx);
  if (p.kind != L_WORD) {
    S_perr(ps, &p, "expected a predicate after the subject");
    return;
  }
  em.pred = strmap_get(&ps->e->pred_by_name, p.text, p.tlen);
  if (!em.pred) {
    if (!ps->failed) {
      ps->failed = true;
      rule_error(ps->e, ps->f, p.off, p.len, TIES_ESEMANTIC,
                 "undeclared predicate '%s' (declare it in rules/relations.tsv)",
                 p.text);
    }
    return;
  }
  lexeme o = lex_next(&ps->lx);
  if (!S_arg(ps, &o, &em.o))
    return;
  for (;;) {
    lexeme q = lex_next(&ps->lx);
    if (q.kind == L_EOF)
      break;
    lexeme eq = lex_next(&ps->lx);
    lexeme v = lex_next(&ps->lx);
    if (q.kind != L_WORD || eq.kind != L_PUNCT || eq.text[0] != '=' ||
        v.kind != L_CAPTURE) {
      S_perr(ps, &q, "expected a qualifier item=@x, amount=@x or date=@x");
      return;
    }
    emit_arg *slot = !strcmp(q.text, "item")     ? &em.item
                     : !strcmp(q.text, "amount") ? &em.amount
                     : !strcmp(q.text, "date")   ? &em.date
                                                 : NULL;
    if (!slot) {
      S_perr(ps, &q, "unknown qualifier '%s' (item, amount, date)", q.text);
      return;
    }
    if (!S_arg(ps, &v, slot))
      return;
  }
  em.len = ps->lx.pos - em.off;
  emit *ep = vec_push(&ps->r->emit_lines);
  if (ep)
    *ep = em;
}

/* The end of a rule (or cue): its capture names move into the arena, with
 * the rest of the rule, and the growable list that collected them is freed
 * (it would otherwise outlive the engine). r->caps points into that list
 * as it was after the last match line that parsed; a later line that
 * failed may have grown (moved) it since, so the names are copied from
 * the list itself: the first ncaps of them are the same. */
static void S_end_rule(pstate *ps) {
  if (!ps->capnames)
    return;
  if (ps->r && ps->r->ncaps > 0) {
    ps->r->caps = arena_dup(ps->rs->ar, ps->capnames->p,
                            (size_t)ps->r->ncaps * sizeof(const char *));
    if (!ps->r->caps)
      ps->r->ncaps = 0;
  }
  vec_free(ps->capnames);
  ps->capnames = NULL;
}

static void S_clause(pstate *ps, size_t start, size_t end) {
  lex_init(&ps->lx, ps->f, start, end, ps->rs->ar, ps->e);
  ps->failed = false;
  ps->depth = 0;
  lexeme kw = lex_next(&ps->lx);
  if (kw.kind == L_EOF)
    return;
  if (kw.kind != L_WORD) {
    S_perr(ps, &kw, "expected 'rule', 'define' or 'cue'");
    return;
  }
  if (!strcmp(kw.text, "rule")) {
    S_end_rule(ps);
    lexeme id = lex_next(&ps->lx);
    if (id.kind != L_WORD && id.kind != L_TYPE) {
      S_perr(ps, &id, "expected a rule id after 'rule'");
      ps->r = NULL;
      return;
    }
    ps->r = S_new_rule(ps, &kw, &id);
    if (ps->r) {
      rule **p = vec_push(&ps->rs->rules);
      if (p)
        *p = ps->r;
      ps->capnames = arena_alloc(ps->rs->ar, sizeof(vec));
      vec_init(ps->capnames, sizeof(const char *));
    }
    lexeme extra = lex_next(&ps->lx);
    if (extra.kind != L_EOF)
      S_perr(ps, &extra, "unexpected text after the rule id");
    return;
  }
  if (!strcmp(kw.text, "define")) {
    S_end_rule(ps);
    ps->r = NULL;
    lexeme name = lex_next(&ps->lx);
    if (name.kind != L_TYPE && name.kind != L_WORD) {
      S_perr(ps, &name, "expected a NAME after 'define'");
      return;
    }
    vec dummy;
    vec_init(&dummy, sizeof(const char *));
    ps->capnames = &dummy;
    ps->in_define = true;
    node *n = S_pattern(ps);
    ps->in_define = false;
    vec_free(&dummy);
    ps->capnames = NULL;
    void **slot = strmap_slot(&ps->rs->defines, name.text, name.tlen, ps->rs->ar);
    if (!slot)
      return;
    if (*slot) {
      const define *old = *slot;
      S_perr(ps, &name, "'%s' is already defined at %s:%u", name.text,
             old->file, old->line);
      return;
    }
    define *d = arena_alloc(ps->rs->ar, sizeof *d);
    if (!d)
      return;
    d->name = name.text;
    d->ast = n;
    d->failed = n == NULL; /* reported; its uses fail quietly */
    d->file = ps->f->path;
    unsigned line, col;
    rfile_locate(ps->f, kw.off, &line, &col);
    d->line = line;
    d->off = name.off;
    d->len = name.len;
    *slot = d;
    return;
  }
  if (!strcmp(kw.text, "cue")) {
    S_end_rule(ps);
    ps->r = NULL;
    lexeme kind = lex_next(&ps->lx);
    int m = kind.kind == L_WORD ? modality_from_name(kind.text, kind.tlen) : -1;
    if (m <= MOD_ASSERTED) {
      S_perr(ps, &kind,
             "expected a modality after 'cue' (negated planned hypothetical "
             "offered refused denied future rumored)");
      return;
    }
    rule *r = arena_alloc(ps->rs->ar, sizeof *r);
    if (!r)
      return;
    unsigned line, col;
    rfile_locate(ps->f, kw.off, &line, &col);
    r->id = arena_printf(ps->rs->ar, "cue.%s.%u", kind.text, line);
    r->file = ps->f->path;
    r->line = line;
    r->off = kw.off;
    r->is_cue = true;
    r->cue_kind = m;
    vec_init(&r->match_lines, sizeof(node *));
    vec_init(&r->req_lines, sizeof(node *));
    vec_init(&r->unless_lines, sizeof(node *));
    vec_init(&r->emit_lines, sizeof(emit));
    vec_init(&r->ex_lines, sizeof(example));
    vec *caps = arena_alloc(ps->rs->ar, sizeof(vec));
    vec_init(caps, sizeof(const char *));
    ps->capnames = caps;
    node *n = S_pattern(ps);
    if (!n)
      return;
    node **np = vec_push(&r->match_lines);
    if (np)
      *np = n;
    rule **p = vec_push(&ps->rs->cues);
    if (p)
      *p = r;
    return;
  }
  if (!S_is_kw(kw.text, kw.tlen, S_clause_kw, TIES_ARRAY_LEN(S_clause_kw))) {
    S_perr(ps, &kw,
           "unknown keyword '%s' (rule, define, cue; in a rule: about, match, "
           "emit, example, counter, allow, note)",
           kw.text);
    return;
  }
  if (!ps->r) {
    /* the rule header had an error: skip its clauses quietly */
    return;
  }
  rule *r = ps->r;
  if (!strcmp(kw.text, "about") || !strcmp(kw.text, "note")) {
    lexeme s = lex_next(&ps->lx);
    if (s.kind != L_STRING) {
      S_perr(ps, &s, "'%s' needs a quoted text", kw.text);
      return;
    }
    if (!strcmp(kw.text, "about"))
      r->about = s.text;
    return;
  }
  if (!strcmp(kw.text, "match")) {
    node *n = S_pattern(ps);
    if (!n)
      return;
    node **p = vec_push(&r->match_lines);
    if (p)
      *p = n;
    /* keep capture names on the rule */
    r->caps = ps->capnames->p;
    r->ncaps = (int)ps->capnames->len;
    return;
  }
  if (!strcmp(kw.text, "requires") || !strcmp(kw.text, "unless")) {
    /* sentence conditions: no captures */
    ps->in_define = true;
    node *n = S_pattern(ps);
    ps->in_define = false;
    if (!n)
      return;
    node **p = vec_push(kw.text[0] == 'r' ? &r->req_lines : &r->unless_lines);
    if (p)
      *p = n;
    return;
  }
  if (!strcmp(kw.text, "emit")) {
    S_emit(ps, &kw);
    return;
  }
  if (!strcmp(kw.text, "example") || !strcmp(kw.text, "counter")) {
    S_example(ps, kw.text[0] == 'c');
    return;
  }
  if (!strcmp(kw.text, "allow")) {
    for (;;) {
      lexeme m = lex_next(&ps->lx);
      if (m.kind == L_EOF)
        break;
      if (m.kind == L_PUNCT && m.text[0] == ',')
        continue;
      int k = m.kind == L_WORD ? modality_from_name(m.text, m.tlen) : -1;
      if (k <= MOD_ASSERTED) {
        S_perr(ps, &m, "'%.*s' is not a modality", (int)m.len,
               ps->f->text + m.off);
        return;
      }
      r->allow |= 1u << k;
    }
    return;
  }
}

int rule_parse_file(ties_engine *e, const char *path, const char *text,
                    size_t len) {
  ruleset *rs = e->rules;
  if (len > MAX_RULE_FILE_BYTES) {
    diag_add(&e->diags, TIES_ERROR, TIES_ELIMIT, path, 0, 0, (size_t)-1, 0,
             NULL, 0, "rule file is %zu bytes, larger than the limit of %zu MiB",
             len, MAX_RULE_FILE_BYTES >> 20);
    if (!e->status)
      e->status = TIES_ELIMIT;
    return TIES_ELIMIT;
  }
  rfile *f = arena_alloc(rs->ar, sizeof *f);
  if (!f)
    return TIES_ENOMEM;
  f->path = arena_strdup(rs->ar, path);
  f->text = arena_strndup(rs->ar, text, len);
  f->len = len;
  unsigned nl = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      nl++;
  f->line_starts = arena_alloc(rs->ar, sizeof(size_t) * nl);
  if (!f->text || !f->line_starts)
    return TIES_ENOMEM;
  f->nlines = 0;
  f->line_starts[f->nlines++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n' && f->nlines < nl)
      f->line_starts[f->nlines++] = i + 1;
  rfile **fp = vec_push(&rs->files);
  if (fp)
    *fp = f;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  sha256_update(&e->rules_sha, strlen(base) + 1, (const uint8_t *)base);
  sha256_update(&e->rules_sha, len, (const uint8_t *)text);

  pstate ps = {0};
  ps.e = e;
  ps.rs = rs;
  ps.f = f;
  /* Walk lines; a clause starts at a line whose first word is a keyword. */
  size_t clause_start = SIZE_MAX, clause_end = 0;
  for (unsigned li = 0; li < f->nlines; li++) {
    size_t ls = f->line_starts[li];
    size_t le = ls;
    while (le < len && f->text[le] != '\n')
      le++;
    size_t p = ls;
    while (p < le && (f->text[p] == ' ' || f->text[p] == '\t' || f->text[p] == '\r'))
      p++;
    if (p == le || f->text[p] == '#')
      continue; /* blank or comment */
    size_t w = p;
    while (w < le && ((f->text[w] >= 'a' && f->text[w] <= 'z')))
      w++;
    bool kw = S_is_kw(f->text + p, w - p, S_clause_kw, TIES_ARRAY_LEN(S_clause_kw)) ||
              S_is_kw(f->text + p, w - p, S_top_kw, TIES_ARRAY_LEN(S_top_kw));
    bool top = p == ls;
    if (kw && w < le && f->text[w] != ' ' && f->text[w] != '\t' && f->text[w] != '\r')
      kw = false; /* "matches" is not "match" */
    if (kw || top) {
      if (clause_start != SIZE_MAX)
        S_clause(&ps, clause_start, clause_end);
      clause_start = ls;
    }
    clause_end = le;
    if (rs->capped)
      break;
  }
  if (clause_start != SIZE_MAX && !rs->capped)
    S_clause(&ps, clause_start, clause_end);
  S_end_rule(&ps);
  return TIES_OK;
}
