/*
 * gold.c — reading gold triples and scoring extractions against them, for
 * `ties eval` and `ties report`.
 *
 * Scoring follows the gold format (doc status subject predicate object
 * evidence; status req | opt | neg): distinct triples per document, req
 * triples count for recall, opt triples are neither rewarded nor punished,
 * symmetric predicates compare unordered. At the country level, orgs and
 * people roll up to their state (gold ids through the entities file, else
 * the gazetteers; extracted ones through the country the triple carries)
 * and a triple whose two sides become one state is dropped. The figures
 * are those of the reference scorer, tests/tools/score.py (t_eval checks
 * three decimals), so both commands must share this one implementation.
 */
#include "gold.h"

#include <stdlib.h>
#include <string.h>

/* ---- TSV files ----------------------------------------------------------- */

int gold_col(const gold_table *t, const char *name) {
  for (int i = 0; i < t->ncols; i++)
    if (!strcmp(t->cols[i], name))
      return i;
  return -1;
}

int gold_read_tsv(const char *path, gold_table *t, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  vec_init(&t->rows, sizeof(char **));
  size_t len;
  int e = 0;
  t->data = cli_read_file(path, &len, (size_t)1 << 30, &e);
  if (!t->data) {
    snprintf(err, errlen, "%s", strerror(e));
    return -1;
  }
  char *p = t->data;
  unsigned line = 0;
  while (*p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    line++;
    size_t n = strlen(p);
    if (n && p[n - 1] == '\r')
      p[--n] = 0;
    if (n && p[0] != '#') {
      int nf = 1;
      for (char *q = p; *q; q++)
        if (*q == '\t')
          nf++;
      char **f = calloc((size_t)nf + 1, sizeof(char *));
      int k = 0;
      f[k++] = p;
      for (char *q = p; *q; q++)
        if (*q == '\t') {
          *q = 0;
          f[k++] = q + 1;
        }
      if (!t->cols) {
        t->cols = f;
        t->ncols = nf;
      } else if (nf < t->ncols) {
        snprintf(err, errlen, "line %u has %d fields, the header %d", line, nf,
                 t->ncols);
        free(f);
        return -1;
      } else {
        char ***r = vec_push(&t->rows);
        if (r)
          *r = f;
      }
    }
    if (!nl)
      break;
    p = nl + 1;
  }
  if (!t->cols) {
    snprintf(err, errlen, "no header row");
    return -1;
  }
  return 0;
}

void gold_free_tsv(gold_table *t) {
  for (size_t i = 0; i < t->rows.len; i++)
    free(VEC_AT(&t->rows, char **, i));
  vec_free(&t->rows);
  free(t->cols);
  free(t->data);
  memset(t, 0, sizeof *t);
}

/* ---- keys ---------------------------------------------------------------- */

/* What the reference scorer treats as symmetric, for predicates the
 * engine does not declare. */
static const char *const S_sym[] = {"exercised_with", "met", "signed_agreement"};

static bool S_symmetric(const ties_engine *e, const char *p) {
  const predicate *pd = e ? strmap_get(&e->pred_by_name, p, strlen(p)) : NULL;
  if (pd)
    return pd->symmetric;
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_sym); i++)
    if (!strcmp(S_sym[i], p))
      return true;
  return false;
}

char *gold_key(const ties_engine *e, const char *doc, const char *s,
               const char *p, const char *o) {
  if (!strcmp(s, o))
    return NULL;
  if (S_symmetric(e, p) && strcmp(o, s) < 0) {
    const char *t = s;
    s = o;
    o = t;
  }
  size_t n = strlen(doc) + strlen(s) + strlen(p) + strlen(o) + 4;
  char *k = malloc(n);
  if (k)
    snprintf(k, n, "%s\t%s\t%s\t%s", doc, s, p, o);
  return k;
}

double gold_f(int tp, int fp, int fn, double *p, double *r) {
  *p = tp + fp ? (double)tp / (tp + fp) : 0;
  *r = tp + fn ? (double)tp / (tp + fn) : 0;
  return *p + *r ? 2 * *p * *r / (*p + *r) : 0;
}

/* A gold id at the scoring level: the entities file decides when given,
 * else the gazetteers (orgs and people only). */
static const char *S_roll(const gold *g, const char *id) {
  if (!g->country)
    return id;
  if (g->has_entities) {
    const char *c = strmap_get(&g->rollup, id, strlen(id));
    return c ? c : id;
  }
  const entity *en = engine_entity(g->e, id);
  if (en && en->country[0] && (!strncmp(id, "org:", 4) || !strncmp(id, "person:", 7)))
    return en->country;
  return id;
}

/* ---- reading and indexing ------------------------------------------------ */

int gold_read(gold *g, const char *gold_path, const char *entities_path,
              char *err, size_t errlen) {
  memset(g, 0, sizeof *g);
  arena_init(&g->ar);
  strmap_init(&g->rollup);
  strmap_init(&g->req);
  strmap_init(&g->opt);
  strmap_init(&g->neg);
  strmap_init(&g->docs);
  strmap_init(&g->pset);
  strmap_init(&g->cand_keys);
  strmap_init(&g->finders);
  vec_init(&g->doc_list, sizeof(gold_doc *));
  vec_init(&g->rows, sizeof(gold_row));
  vec_init(&g->rules, sizeof(gold_rule));
  vec_init(&g->preds, sizeof(gold_pred));
  vec_init(&g->misses, sizeof(gold_miss));
  vec_init(&g->falses, sizeof(gold_false));
  vec_init(&g->gold.rows, sizeof(char **));
  vec_init(&g->ents.rows, sizeof(char **));
  char why[256];
  if (gold_read_tsv(gold_path, &g->gold, why, sizeof why)) {
    snprintf(err, errlen, "%s: %s", gold_path, why);
    return -1;
  }
  gold_table *t = &g->gold;
  if (gold_col(t, "doc") < 0 || gold_col(t, "subject") < 0 ||
      gold_col(t, "predicate") < 0 || gold_col(t, "object") < 0 ||
      gold_col(t, "status") < 0) {
    snprintf(err, errlen,
             "%s: the header must name doc status subject predicate object",
             gold_path);
    return -1;
  }
  if (entities_path) {
    g->has_entities = true;
    if (gold_read_tsv(entities_path, &g->ents, why, sizeof why)) {
      snprintf(err, errlen, "%s: %s", entities_path, why);
      return -1;
    }
  }
  return 0;
}

void gold_index(gold *g, const ties_engine *e, bool country) {
  g->e = e;
  g->country = country;
  if (g->has_entities) {
    const gold_table *t = &g->ents;
    int ei = gold_col(t, "id"), et = gold_col(t, "type"), ec = gold_col(t, "country");
    for (size_t i = 0; ei >= 0 && ec >= 0 && i < t->rows.len; i++) {
      char **r = VEC_AT(&t->rows, char **, i);
      if (et >= 0 && strcmp(r[et], "org") && strcmp(r[et], "person"))
        continue;
      if (!r[ec][0])
        continue;
      void **slot = strmap_slot(&g->rollup, r[ei], strlen(r[ei]), &g->ar);
      if (slot)
        *slot = arena_strdup(&g->ar, r[ec]);
    }
  }
  const gold_table *t = &g->gold;
  int gd = gold_col(t, "doc"), gs = gold_col(t, "subject"), gp = gold_col(t, "predicate"),
      go = gold_col(t, "object"), gst = gold_col(t, "status"),
      gev = gold_col(t, "evidence");
  for (size_t i = 0; i < t->rows.len; i++) {
    char **r = VEC_AT(&t->rows, char **, i);
    void **ds = strmap_slot(&g->docs, r[gd], strlen(r[gd]), &g->ar);
    if (ds && !*ds) {
      gold_doc *gdoc = calloc(1, sizeof *gdoc);
      gold_doc **gp2 = vec_push(&g->doc_list);
      if (gdoc && gp2) {
        vec_init(&gdoc->req, sizeof(const char *));
        *gp2 = gdoc;
        *ds = gdoc;
      } else {
        free(gdoc);
      }
    }
    char *k = gold_key(e, r[gd], S_roll(g, r[gs]), r[gp], S_roll(g, r[go]));
    if (!k)
      continue;
    strmap *m = !strcmp(r[gst], "req")   ? &g->req
                : !strcmp(r[gst], "opt") ? &g->opt
                                         : &g->neg;
    void **slot = strmap_slot(m, k, strlen(k), &g->ar);
    if (slot && !*slot) {
      *slot = gev >= 0 ? r[gev] : "";
      gold_doc *gdoc = ds ? *ds : NULL;
      const char **kp = m == &g->req && gdoc ? vec_push(&gdoc->req) : NULL;
      if (kp)
        *kp = arena_strdup(&g->ar, k);
    }
    free(k);
  }
}

/* ---- extraction ---------------------------------------------------------- */

char *gold_cand_key(const gold *g, const char *doc, const candidate *cd) {
  bool country = g->country;
  const char *s = country && cd->s_country && cd->s_country[0] && cd->s &&
                          (cd->s->type == TIES_ORG || cd->s->type == TIES_PERSON)
                      ? cd->s_country
                      : cd->s_id;
  const char *o = country && cd->o_country && cd->o_country[0] && cd->o &&
                          (cd->o->type == TIES_ORG || cd->o->type == TIES_PERSON)
                      ? cd->o_country
                      : cd->o_id;
  return gold_key(g->e, doc, s, cd->pred->name, o);
}

void gold_add_doc(gold *g, ties_doc *d, const char *name) {
  for (size_t k = 0; d && k < d->cands.len; k++) {
    const candidate *cd = &VEC_AT(&d->cands, candidate, k);
    char *key = gold_cand_key(g, name, cd);
    if (!key)
      continue;
    /* a duplicate was produced too: it counts for "only this rule found it" */
    bool produced = !cd->why_dropped || !strncmp(cd->why_dropped, "duplicate", 9);
    if (produced) {
      void **slot = strmap_slot(&g->finders, key, strlen(key), &g->ar);
      if (slot) {
        const char *old = *slot ? *slot : "|";
        char pat[256];
        snprintf(pat, sizeof pat, "|%s|", cd->r->id);
        if (!strstr(old, pat))
          *slot = arena_printf(&g->ar, "%s%s|", old, cd->r->id);
      }
    }
    if (!cd->why_dropped) {
      void **slot = strmap_slot(&g->pset, key, strlen(key), &g->ar);
      if (slot && !*slot) {
        gold_row *pr = vec_push(&g->rows);
        if (pr) {
          pr->key = arena_strdup(&g->ar, key);
          pr->rule = arena_strdup(&g->ar, cd->r->id);
          pr->doc = arena_strdup(&g->ar, name);
          char *ev = doc_span_text(d, cd->t0, cd->t1);
          pr->evidence = arena_strdup(&g->ar, ev ? ev : "");
          pr->sentence = cd->sent;
          doc_tok_span(d, cd->t0, cd->t1, &pr->start, &pr->end);
          *slot = (void *)(uintptr_t)g->rows.len;
        }
      }
    } else if (!produced) {
      void **slot = strmap_slot(&g->cand_keys, key, strlen(key), &g->ar);
      if (slot && !*slot)
        *slot = arena_printf(&g->ar, "rule %s dropped it: %s", cd->r->id,
                             cd->why_dropped);
    }
    free(key);
  }
}

/* ---- scores -------------------------------------------------------------- */

static gold_rule *S_rule(vec *v, const char *rid) {
  for (size_t i = 0; i < v->len; i++)
    if (!strcmp(VEC_AT(v, gold_rule, i).rule, rid))
      return &VEC_AT(v, gold_rule, i);
  gold_rule *r = vec_push(v);
  if (r)
    r->rule = rid;
  return r;
}

static gold_pred *S_pred(vec *v, const char *pname) {
  for (size_t i = 0; i < v->len; i++)
    if (!strcmp(VEC_AT(v, gold_pred, i).pred, pname))
      return &VEC_AT(v, gold_pred, i);
  gold_pred *p = vec_push(v);
  if (p)
    p->pred = pname;
  return p;
}

/* The predicate field of a key, into the gold's arena. */
static const char *S_key_pred(gold *g, const char *k) {
  const char *ps = strchr(strchr(k, '\t') + 1, '\t') + 1;
  char pname[64];
  snprintf(pname, sizeof pname, "%.*s", (int)(strchr(ps, '\t') - ps), ps);
  return arena_strdup(&g->ar, pname);
}

void gold_score(gold *g) {
  gold_rule none_rule = {0}; /* counts nowhere when out of memory */
  gold_pred none_pred = {0};
  for (size_t i = 0; i < g->rows.len; i++) {
    gold_row *pr = &VEC_AT(&g->rows, gold_row, i);
    char *doc = pr->key, *tab = strchr(doc, '\t');
    if (!strmap_get(&g->docs, doc, (size_t)(tab - doc)))
      continue; /* not a gold document */
    gold_rule *rs = S_rule(&g->rules, pr->rule);
    gold_pred *st = S_pred(&g->preds, S_key_pred(g, pr->key));
    if (!rs)
      rs = &none_rule;
    if (!st)
      st = &none_pred;
    if (strmap_get(&g->req, pr->key, strlen(pr->key))) {
      g->tp++;
      rs->tp++;
      st->tp++;
    } else if (strmap_get(&g->opt, pr->key, strlen(pr->key))) {
      rs->ignored++;
    } else {
      g->fp++;
      rs->fp++;
      st->fp++;
      bool h = strmap_get(&g->neg, pr->key, strlen(pr->key)) != NULL;
      g->hard += h;
      gold_false *f = vec_push(&g->falses);
      if (f) {
        f->row = i;
        f->hard = h;
      }
    }
  }
  for (size_t i = 0; i < g->req.nslots; i++) {
    const char *k;
    void *v;
    i = strmap_next(&g->req, i, &k, &v);
    if (i >= g->req.nslots)
      break;
    if (strmap_get(&g->pset, k, strlen(k))) {
      const char *f = strmap_get(&g->finders, k, strlen(k));
      if (f && strchr(f + 1, '|') && !strchr(strchr(f + 1, '|') + 1, '|')) {
        /* exactly one rule found it */
        char rid[256];
        snprintf(rid, sizeof rid, "%.*s", (int)(strchr(f + 1, '|') - f - 1), f + 1);
        gold_rule *r = S_rule(&g->rules, arena_strdup(&g->ar, rid));
        if (r)
          r->only++;
      }
      continue;
    }
    g->fn++;
    gold_pred *st = S_pred(&g->preds, S_key_pred(g, k));
    if (st)
      st->fn++;
    gold_miss *m = vec_push(&g->misses);
    if (m) {
      m->key = k;
      m->evidence = v;
      m->why = strmap_get(&g->cand_keys, k, strlen(k));
    }
  }
}

int gold_status(const gold *g, const char *key) {
  size_t n = strlen(key);
  if (strmap_get(&g->req, key, n))
    return GOLD_REQ;
  if (strmap_get(&g->opt, key, n))
    return GOLD_OPT;
  if (strmap_get(&g->neg, key, n))
    return GOLD_NEG;
  return GOLD_NONE;
}

const gold_doc *gold_find_doc(const gold *g, const char *doc, size_t n) {
  return strmap_get(&g->docs, doc, n);
}

bool gold_found(const gold *g, const char *key) {
  return strmap_get(&g->pset, key, strlen(key)) != NULL;
}

const char *gold_why_dropped(const gold *g, const char *key) {
  return strmap_get(&g->cand_keys, key, strlen(key));
}

const char *gold_evidence(const gold *g, const char *key) {
  size_t n = strlen(key);
  const char *ev = strmap_get(&g->req, key, n);
  if (!ev)
    ev = strmap_get(&g->opt, key, n);
  if (!ev)
    ev = strmap_get(&g->neg, key, n);
  return ev;
}

void gold_free(gold *g) {
  for (size_t i = 0; i < g->doc_list.len; i++) {
    gold_doc *gdoc = VEC_AT(&g->doc_list, gold_doc *, i);
    vec_free(&gdoc->req);
    free(gdoc);
  }
  vec_free(&g->doc_list);
  vec_free(&g->rows);
  vec_free(&g->rules);
  vec_free(&g->preds);
  vec_free(&g->misses);
  vec_free(&g->falses);
  strmap_free(&g->pset);
  strmap_free(&g->cand_keys);
  strmap_free(&g->finders);
  strmap_free(&g->req);
  strmap_free(&g->opt);
  strmap_free(&g->neg);
  strmap_free(&g->docs);
  strmap_free(&g->rollup);
  arena_free(&g->ar);
  gold_free_tsv(&g->gold);
  gold_free_tsv(&g->ents);
}
