/*
 * doc.c — one document through the stages, and its accessors.
 *
 *   text_prepare → tok_document → gaz_match_doc → resolve_doc → match_doc
 *   → triple_finish
 *
 * A refused document (binary, UTF-16, too large) has a status and its
 * diagnostics, and no tokens; the caller reports it and goes on.
 */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

void worker_begin_doc(ties_worker *w);

/* ---- dates ------------------------------------------------------------------ */

/* Days from civil date (Howard Hinnant's algorithm, proleptic Gregorian). */
static int32_t S_days(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

static int S_mdays(int y, int m) {
  static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return md[m - 1];
}

int32_t date_days(const char *s, size_t n, bool end) {
  int y = 0, m = 0, d = 0;
  size_t i = 0;
  for (; i < n && i < 4; i++) {
    if (s[i] < '0' || s[i] > '9')
      return INT32_MIN;
    y = y * 10 + (s[i] - '0');
  }
  if (i != 4)
    return INT32_MIN;
  if (n == 4)
    return end ? S_days(y, 12, 31) : S_days(y, 1, 1);
  if (n < 7 || s[4] != '-' || s[5] < '0' || s[5] > '9' || s[6] < '0' ||
      s[6] > '9')
    return INT32_MIN;
  m = (s[5] - '0') * 10 + (s[6] - '0');
  if (m < 1 || m > 12)
    return INT32_MIN;
  if (n == 7)
    return end ? S_days(y, m, S_mdays(y, m)) : S_days(y, m, 1);
  if (n != 10 || s[7] != '-' || s[8] < '0' || s[8] > '9' || s[9] < '0' ||
      s[9] > '9')
    return INT32_MIN;
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (d < 1 || d > S_mdays(y, m))
    return INT32_MIN;
  return S_days(y, m, d);
}

void date_format(int32_t z, char out[11]) {
  /* civil from days */
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  int d = doy - (153 * mp + 2) / 5 + 1;
  int m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
  unsigned yy = (unsigned)((y % 10000 + 10000) % 10000), mm = (unsigned)m % 13u,
           dd = (unsigned)d % 32u;
  out[0] = (char)('0' + yy / 1000);
  out[1] = (char)('0' + yy / 100 % 10);
  out[2] = (char)('0' + yy / 10 % 10);
  out[3] = (char)('0' + yy % 10);
  out[4] = '-';
  out[5] = (char)('0' + mm / 10);
  out[6] = (char)('0' + mm % 10);
  out[7] = '-';
  out[8] = (char)('0' + dd / 10);
  out[9] = (char)('0' + dd % 10);
  out[10] = 0;
}

/* ---- documents -------------------------------------------------------------- */

static ties_doc *S_alloc(ties_worker *w, const char *name, const char *path) {
  ties_doc *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->w = w;
  d->e = w->e;
  arena_init(&d->ar);
  diag_init(&d->diags, &d->ar);
  vec_init(&d->toks, sizeof(tok));
  vec_init(&d->sents, sizeof(sent));
  vec_init(&d->mentions, sizeof(mention));
  vec_init(&d->cands, sizeof(candidate));
  vec_init(&d->triples, sizeof(ties_triple));
  vec_init(&d->pub_mentions, sizeof(ties_mention));
  vec_init(&d->pub_sents, sizeof(ties_sentence));
  strmap_init(&d->dyn);
  d->name = arena_strdup(&d->ar, name ? name : "-");
  d->path = arena_strdup(&d->ar, path ? path : d->name);
  d->date_days = INT32_MIN;
  return d;
}

/* Tokens only, for names and literals at load time. */
ties_doc *doc_analyze(ties_worker *w, const char *text, size_t len);
ties_doc *doc_analyze(ties_worker *w, const char *text, size_t len) {
  ties_doc *d = S_alloc(w, "-", "-");
  if (!d)
    return NULL;
  d->t.p = text;
  d->t.len = len;
  tok_document(d);
  return d;
}

ties_doc *ties_doc_new(ties_worker *w, const char *name, const char *text,
                       size_t len, const ties_docopts *opts) {
  if (!w)
    return NULL;
  ties_doc *d = S_alloc(w, name, opts ? opts->path : NULL);
  if (!d)
    return NULL;
  if (!w->e->frozen) {
    d->status = TIES_ESTATE;
    diag_add(&d->diags, TIES_ERROR, TIES_ESTATE, NULL, 0, 0, (size_t)-1, 0,
             NULL, 0, "ties_engine_finish() was not called");
    return d;
  }
  d->flags = opts ? opts->flags : 0;
  d->main_actor_opt = (opts && opts->main_actor) ? opts->main_actor
                                                 : w->e->set.main_actor;
  if (opts && opts->date && *opts->date) {
    size_t n = strlen(opts->date);
    int32_t a = date_days(opts->date, n, false), b = date_days(opts->date, n, true);
    if (a == INT32_MIN) {
      diag_add(&d->diags, TIES_WARNING, TIES_EINVAL, d->path, 0, 0, (size_t)-1,
               0, NULL, 0,
               "ignoring date '%s': expected YYYY, YYYY-MM or YYYY-MM-DD",
               opts->date);
    } else {
      d->date_days = a + (b - a) / 2; /* the middle of a month or year */
      date_format(d->date_days, d->date);
    }
  }
  worker_begin_doc(w);
  ties_worker_stats *st = &w->st;
  st->docs++;
  st->bytes += len;
  /* word analysis inside tokenizing is timed apart (worker_word) */
  double t0 = ties_now(), inner = st->t_spell + st->t_stem;
  if (text_prepare(d, text, len, &d->t) || tok_document(d)) {
    st->t_tokenize += ties_now() - t0 - (st->t_spell + st->t_stem - inner);
    return d;
  }
  double t1 = ties_now();
  st->t_tokenize += t1 - t0 - (st->t_spell + st->t_stem - inner);
  st->tokens += d->toks.len;
  st->sentences += d->sents.len;
  gaz_match_doc(d);
  double t2 = ties_now();
  st->t_gazetteer += t2 - t1;
  resolve_doc(d);
  double t3 = ties_now();
  st->t_resolve += t3 - t2;
  if (!(d->flags & TIES_OPT_NO_RULES))
    match_doc(d);
  triple_finish(d);
  st->t_rules += ties_now() - t3;
  if (d->ar.failed && !d->status)
    d->status = TIES_ENOMEM;
  return d;
}

void ties_doc_free(ties_doc *d) {
  if (!d)
    return;
  ties_worker *w = d->owns_worker ? d->w : NULL;
  vec_free(&d->toks);
  vec_free(&d->sents);
  vec_free(&d->mentions);
  vec_free(&d->cands);
  vec_free(&d->triples);
  vec_free(&d->pub_mentions);
  vec_free(&d->pub_sents);
  free(d->keys);
  strmap_free(&d->dyn);
  diag_free(&d->diags);
  arena_free(&d->ar);
  free(d);
  ties_worker_free(w);
}

ties_doc *ties_extract_text(const ties_engine *e, const char *name,
                            const char *text, size_t len,
                            const ties_docopts *opts) {
  ties_worker *w = ties_worker_new(e);
  if (!w)
    return NULL;
  ties_doc *d = ties_doc_new(w, name, text, len, opts);
  if (!d) {
    ties_worker_free(w);
    return NULL;
  }
  d->owns_worker = true;
  return d;
}

int ties_doc_status(const ties_doc *d) { return d->status; }
const char *ties_doc_name(const ties_doc *d) { return d->name; }
const char *ties_doc_date(const ties_doc *d) { return d->date; }
const char *ties_doc_main_actor(const ties_doc *d) {
  return d->main_actor ? d->main_actor->id : "";
}

size_t ties_doc_n_diags(const ties_doc *d) { return d->diags.v.len; }
const ties_diag *ties_doc_diag(const ties_doc *d, size_t i) {
  return i < d->diags.v.len ? &VEC_AT(&d->diags.v, ties_diag, i) : NULL;
}

size_t ties_doc_n_sentences(const ties_doc *d) { return d->sents.len; }

const ties_sentence *ties_doc_sentence(const ties_doc *d, size_t i) {
  if (i >= d->sents.len)
    return NULL;
  ties_doc *md = (ties_doc *)d;
  if (md->pub_sents.len != d->sents.len) {
    md->pub_sents.len = 0;
    for (size_t k = 0; k < d->sents.len; k++) {
      const sent *s = DOC_SENT(d, k);
      ties_sentence *p = vec_push(&md->pub_sents);
      if (!p)
        return NULL;
      p->start = s->off;
      p->end = s->end;
      p->paragraph = s->para;
      p->first_token = s->t0;
      p->n_tokens = s->t1 - s->t0;
      p->heading = (s->flags & SF_HEADING) != 0;
    }
  }
  return &VEC_AT(&md->pub_sents, ties_sentence, i);
}

size_t ties_doc_n_tokens(const ties_doc *d) { return d->toks.len; }

static const char *S_spelling(int sp) {
  switch (sp) {
  case SP_KNOWN: return "known";
  case SP_VARIANT: return "variant";
  case SP_CORRECTED: return "corrected";
  case SP_UNKNOWN: return "unknown";
  case SP_NAME: return "name";
  default: return "-";
  }
}

void ties_doc_token(const ties_doc *d, size_t i, ties_token *out) {
  memset(out, 0, sizeof *out);
  if (i >= d->toks.len)
    return;
  const tok *t = DOC_TOK(d, i);
  out->start = t->off;
  out->end = t->off + t->len;
  out->surface = t->w->surface;
  out->norm = t->w->norm;
  out->stem = t->w->stem;
  out->kind = tok_kind_name(t->kind);
  out->spelling = S_spelling(worker_spelling(d->w, t->w));
  out->mention = t->mention;
}

size_t ties_doc_n_mentions(const ties_doc *d) { return d->mentions.len; }

const ties_mention *ties_doc_mention(const ties_doc *d, size_t i) {
  if (i >= d->mentions.len)
    return NULL;
  ties_doc *md = (ties_doc *)d;
  if (md->pub_mentions.len != d->mentions.len) {
    md->pub_mentions.len = 0;
    for (size_t k = 0; k < d->mentions.len; k++) {
      const mention *m = DOC_MENTION(d, k);
      ties_mention *p = vec_push(&md->pub_mentions);
      if (!p)
        return NULL;
      size_t s, e;
      doc_tok_span(d, m->t0, m->t1, &s, &e);
      p->sentence = m->sent;
      p->start = s;
      p->end = e;
      p->text = text_span(&md->ar, &d->t, s, e);
      p->type = (ties_etype)m->type;
      p->id = m->e ? m->e->id : (m->value ? m->value : "");
      p->label = m->e ? m->e->label : "";
      p->country = m->e ? m->e->country : "";
      p->how = how_name(m->how);
    }
  }
  return &VEC_AT(&md->pub_mentions, ties_mention, i);
}

size_t ties_doc_n_triples(const ties_doc *d) { return d->triples.len; }

const ties_triple *ties_doc_triple(const ties_doc *d, size_t i) {
  return i < d->triples.len ? &VEC_AT(&d->triples, ties_triple, i) : NULL;
}

void doc_tok_span(const ties_doc *d, uint32_t t0, uint32_t t1, size_t *s,
                  size_t *e) {
  if (t1 <= t0 || t0 >= d->toks.len) {
    *s = *e = 0;
    return;
  }
  *s = DOC_TOK(d, t0)->off;
  const tok *last = DOC_TOK(d, t1 - 1);
  *e = last->off + last->len;
}

char *doc_span_text(ties_doc *d, uint32_t t0, uint32_t t1) {
  size_t s, e;
  doc_tok_span(d, t0, t1, &s, &e);
  return text_span(&d->ar, &d->t, s, e);
}
