/*
 * cmd_explain.c — `ties explain "SENTENCE" | FILE [INDEX]`: why each rule
 * did, or did not, fire.
 *
 * For each sentence shown: its tokens (surface, canonical spelling, stem,
 * kind, spelling outcome, entity with id and how it was resolved); the
 * rules that fired with their bindings and the triples they emitted; every
 * candidate that was dropped (duplicate, modality, type, conditions) with
 * the reason; and, for rules named with --rule (or all rules with
 * --why-not), how far the rule got: the pattern element where it stopped,
 * the token it was looking at and that token's attributes:
 *
 *   donated.received (rules/aid.rules:40) did not fire:
 *     stopped at `(<receiv> | <accept> | got | <obtain>)` (rules/aid.rules:41:29)
 *     expected one of <receiv> <accept> got <obtain>, saw `donated` (norm
 *     donated, stem donat)
 */
#include "cli.h"
#include "explain.h"
#include "rule.h"

#include <stdlib.h>
#include <string.h>


static const char S_usage[] =
    "usage: ties explain [options] \"SENTENCE\" | - | FILE [INDEX]\n"
    "  Tokens, entities and rules of a sentence (or of every sentence of FILE,\n"
    "  or of sentence INDEX of FILE).\n"
    "  --rule ID          show how far this rule got (repeatable)\n"
    "  --why-not          show how far every rule that did not fire got\n"
    "  --date YYYY-MM-DD  document date for role look-ups\n"
    "  --main-actor ID    actor of elided subjects\n"
    "  --rules PATH, --gazetteers DIR as for extract\n";

typedef struct xopts {
  const char *rules[32];
  int nrules;
  bool why_not;
} xopts;

static int S_extra(cli *c, const char *opt, const char *val, void *ctx) {
  (void)c;
  xopts *x = ctx;
  if (!strcmp(opt, "--rule")) {
    if (!val)
      return -1;
    if (x->nrules < 32)
      x->rules[x->nrules++] = val;
    return 1;
  }
  if (!strcmp(opt, "--why-not")) {
    x->why_not = true;
    return 0;
  }
  return -1;
}

/* The text of a node of a rule file. */
static void S_src(const ties_engine *e, const char *file, const node *n, buf *b,
                  unsigned *line, unsigned *col) {
  const rfile *f = rule_file_of(e, file);
  *line = *col = 0;
  if (!f || !n) {
    buf_puts(b, "?");
    return;
  }
  rfile_locate(f, n->off, line, col);
  size_t len = n->len > 120 ? 120 : n->len;
  for (size_t i = 0; i < len; i++) {
    char ch = f->text[n->off + i];
    if (ch == '\n' || ch == '\r' || ch == '\t')
      ch = ' ';
    if (ch == ' ' && b->len && b->p[b->len - 1] == ' ')
      continue;
    buf_putc(b, ch);
  }
  if (n->len > 120)
    buf_puts(b, "...");
}

static void S_pred_desc(const ties_engine *e, const pred *p, buf *b) {
  switch (p->kind) {
  case P_LIT:
    buf_printf(b, "the word '%s'", symtab_str(&e->syms, p->syms[0]));
    break;
  case P_STEM:
    buf_puts(b, "a word with stem ");
    for (int i = 0; i < p->n; i++)
      buf_printf(b, "%s%s", i ? "|" : "", symtab_str(&e->syms, p->syms[i]));
    break;
  case P_REGEX:
    buf_printf(b, "a token matching %s", p->src);
    break;
  case P_CLASS:
    buf_printf(b, "a token of class %s", p->src);
    break;
  case P_OR:
    buf_puts(b, "one of");
    for (int i = 0; i < p->nalts && i < 12; i++) {
      buf_putc(b, ' ');
      const pred *a = p->alts[i];
      if (a->kind == P_LIT)
        buf_puts(b, symtab_str(&e->syms, a->syms[0]));
      else if (a->kind == P_STEM) {
        buf_putc(b, '<');
        for (int k = 0; k < a->n; k++)
          buf_printf(b, "%s%s", k ? "|" : "", symtab_str(&e->syms, a->syms[k]));
        buf_putc(b, '>');
      } else
        buf_puts(b, a->src);
    }
    if (p->nalts > 12)
      buf_puts(b, " ...");
    break;
  }
}

static const char *S_types(uint32_t t, buf *b) {
  static const char *const names[] = {"", "COUNTRY", "ORG", "PERSON", "PLATFORM",
                                      "PLACE", "MONEY", "DATE"};
  buf_clear(b);
  if ((t & T_ACTOR) == T_ACTOR) {
    buf_puts(b, "ACTOR");
    t &= ~T_ACTOR;
  }
  for (int i = 1; i < 8; i++)
    if (t & (1u << i))
      buf_printf(b, "%s%s", b->len ? "|" : "", names[i]);
  return buf_cstr(b);
}

/* What the instruction at pc expected, in words. */
static void S_expected(const ties_engine *e, const inst *in, buf *b) {
  buf tb = BUF_INIT;
  switch (in->op) {
  case I_TOK:
    S_pred_desc(e, in->p, b);
    break;
  case I_NOT:
    buf_puts(b, "a token that is not ");
    S_pred_desc(e, in->p, b);
    break;
  case I_NOTAFTER:
    buf_puts(b, "no ");
    S_pred_desc(e, in->p, b);
    buf_puts(b, " just before");
    break;
  case I_NOTNEXT:
    buf_puts(b, "no ");
    S_pred_desc(e, in->p, b);
    buf_puts(b, " just after");
    break;
  case I_ANY:
    buf_puts(b, "any token");
    break;
  case I_ENT:
    if (in->ent)
      buf_printf(b, "the entity %s", in->ent->id);
    else
      buf_printf(b, "%s %s", in->list ? "a list of" : "an entity", S_types(in->types, &tb));
    if (in->kinds)
      buf_printf(b, " of kind %s", in->kinds);
    break;
  case I_BOS:
    buf_puts(b, "the start of the sentence");
    break;
  case I_EOS:
    buf_puts(b, "the end of the sentence");
    break;
  default:
    buf_puts(b, "?");
  }
  buf_free(&tb);
}

static void S_token_attrs(const ties_doc *d, uint32_t i, buf *b) {
  const tok *t = DOC_TOK(d, i);
  buf_printf(b, "`%s` (norm %s, stem %s, %s", t->w->surface, t->w->norm, t->w->stem,
             tok_kind_name(t->kind));
  if (t->mention >= 0) {
    const mention *m = DOC_MENTION(d, t->mention);
    buf_printf(b, ", in %s %s", ties_etype_name(m->type),
               m->e ? m->e->id : (m->value ? m->value : ""));
  }
  buf_putc(b, ')');
}

static void S_explain_rule(buf *out, ties_doc *d, const rule *r, uint32_t si,
                           bool only_failed) {
  trace_rule tr;
  bool fired = match_trace(d, r, si, &tr);
  if (fired && only_failed)
    return;
  const ties_engine *e = d->e;
  const sent *s = DOC_SENT(d, si);
  if (fired) {
    buf_printf(out, "  %s (%s:%u) matched%s\n", r->id, r->file, r->line,
               tr.candidate ? "" : " (but its trigger words are absent: not tried)");
    return;
  }
  buf_printf(out, "  %s (%s:%u) did not fire", r->id, r->file, r->line);
  if (!tr.candidate)
    buf_printf(out, "; none of its trigger words occurs in the sentence");
  buf_printf(out, "\n");
  if (!tr.best.set) {
    buf_printf(out, "    no start: no token can begin a match (the first element "
                    "wants a subject that is not the object of a preposition)\n");
    return;
  }
  const prog *pg = &r->progs[tr.best_prog];
  const inst *in = &pg->code[tr.best.pc];
  buf b = BUF_INIT;
  unsigned line, col;
  /* an element of a define is shown where the define is written */
  const char *file = in->src_file ? in->src_file : r->file;
  S_src(e, file, in->src, &b, &line, &col);
  buf_printf(out, "    stopped at `%s` (%s:%u:%u)\n", buf_cstr(&b), file, line, col);
  buf_clear(&b);
  S_expected(e, in, &b);
  buf_printf(out, "    expected %s, ", buf_cstr(&b));
  buf_clear(&b);
  if (tr.best.pos >= s->t1) {
    buf_printf(out, "saw the end of the sentence\n");
  } else {
    S_token_attrs(d, tr.best.pos, &b);
    buf_printf(out, "saw %s\n", buf_cstr(&b));
  }
  buf_free(&b);
}

void explain_doc_header(buf *out, const ties_doc *d) {
  buf_printf(out, "document %s, date %s, main actor %s\n\n", ties_doc_name(d),
             ties_doc_date(d)[0] ? ties_doc_date(d) : "unknown",
             ties_doc_main_actor(d)[0] ? ties_doc_main_actor(d) : "none");
}

void explain_sentence(buf *out, ties_doc *d, uint32_t si,
                      const char *const *rules, int nrules, bool why_not) {
  const ties_engine *e = d->e;
  const sent *s = DOC_SENT(d, si);
  char *text = doc_span_text(d, s->t0, s->t1);
  buf_printf(out, "sentence %u [%u..%u] paragraph %u%s%s\n  %s\n\n", si, s->off,
             s->end, s->para, (s->flags & SF_HEADING) ? " heading" : "",
             (s->flags & SF_BULLET) ? " bullet" : "", text);
  buf_printf(out, "  %-4s %-18s %-16s %-14s %-10s %-9s %s\n", "tok", "surface", "norm",
             "stem", "kind", "spelling", "entity");
  for (uint32_t i = s->t0; i < s->t1; i++) {
    ties_token t;
    ties_doc_token(d, i, &t);
    buf ent = BUF_INIT;
    if (t.mention >= 0) {
      const ties_mention *m = ties_doc_mention(d, (size_t)t.mention);
      buf_printf(&ent, "%s (%s, %s", m->id, ties_etype_name(m->type), m->how);
      if (m->country[0] && strcmp(m->country, m->id))
        buf_printf(&ent, ", acts for %s", m->country);
      buf_putc(&ent, ')');
    }
    buf_printf(out, "  %-4u %-18s %-16s %-14s %-10s %-9s %s\n", i - s->t0, t.surface,
               t.norm, t.stem, t.kind, t.spelling, buf_cstr(&ent));
    buf_free(&ent);
  }
  /* candidates of this sentence, by rule */
  bool any = false;
  for (size_t k = 0; k < d->cands.len; k++) {
    const candidate *c = &VEC_AT(&d->cands, candidate, k);
    if (c->sent != si)
      continue;
    if (!any)
      buf_printf(out, "\n  rules that fired\n");
    any = true;
    char *ev = doc_span_text(d, c->t0, c->t1);
    buf_printf(out, "  %s (%s:%u)\n", c->r->id, c->r->file, c->r->line);
    buf_printf(out, "    => %s %s %s  %s", c->s_id, c->pred->name, c->o_id,
               modality_name(c->modality));
    if (c->cue)
      buf_printf(out, " (cue \"%s\")", c->cue);
    if (c->item)
      buf_printf(out, "  item=%s", c->item);
    if (c->amount)
      buf_printf(out, "  amount=%s", c->amount);
    if (c->date)
      buf_printf(out, "  date=%s", c->date);
    buf_printf(out, "\n       evidence \"%s\"\n", ev);
    if (c->why_dropped)
      buf_printf(out, "       dropped: %s\n", candidate_why(d, c));
  }
  if (!any)
    buf_printf(out, "\n  no rule fired\n");
  /* how far the named rules got */
  const ruleset *rs = e->rules;
  bool header = false;
  for (size_t ri = 0; ri < rs->rules.len; ri++) {
    const rule *r = VEC_AT(&rs->rules, rule *, ri);
    bool named = false;
    for (int k = 0; k < nrules; k++)
      if (!strcmp(rules[k], r->id))
        named = true;
    if (!named && !why_not)
      continue;
    if (!header)
      buf_printf(out, "\n  %s\n", why_not ? "why not" : "named rules");
    header = true;
    S_explain_rule(out, d, r, si, !named);
  }
  buf_printf(out, "\n");
}

int cmd_explain(int argc, char **argv) {
  cli c = {0};
  xopts x = {0};
  int rc = cli_parse(&c, argc, argv, S_extra, &x, S_usage);
  if (rc)
    return rc;
  if (c.nargs < 1) {
    fprintf(stderr, "%s", S_usage);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    free(c.args);
    return rc;
  }
  for (int k = 0; k < x.nrules; k++) {
    if (!strmap_get(&e->rules->by_id, x.rules[k], strlen(x.rules[k]))) {
      fprintf(stderr, "%s: no rule '%s'\n", c.prog, x.rules[k]);
      ties_engine_free(e);
      free(c.args);
      return EXIT_USAGE;
    }
  }
  ties_worker *w = ties_worker_new(e);
  if (!w) {
    cli_print_engine_diags(&c, e, true);
    ties_engine_free(e);
    free(c.args);
    return EXIT_USAGE;
  }
  /* a sentence, or a file (and an index) */
  const char *arg = c.args[0];
  char *text = NULL;
  size_t len = 0;
  const char *name = "sentence";
  char *docname = NULL;
  long index = -1;
  FILE *probe = strcmp(arg, "-") ? fopen(arg, "rb") : NULL;
  if (probe || !strcmp(arg, "-")) {
    if (probe)
      fclose(probe);
    int err = 0;
    text = cli_read_file(arg, &len, e->set.max_doc_bytes, &err);
    if (!text) {
      fprintf(stderr, "%s: %s: %s\n", c.prog, arg, strerror(err));
      ties_worker_free(w);
      ties_engine_free(e);
      free(c.args);
      return EXIT_USAGE;
    }
    docname = cli_doc_name(arg);
    name = docname;
    if (c.nargs > 1) {
      char *end;
      index = strtol(c.args[1], &end, 10);
      if (*end || index < 0) {
        fprintf(stderr, "%s: sentence index must be a number, not '%s'\n", c.prog,
                c.args[1]);
        free(text);
        free(docname);
        ties_worker_free(w);
        ties_engine_free(e);
        free(c.args);
        return EXIT_USAGE;
      }
    }
  } else {
    len = strlen(arg);
    text = malloc(len + 1);
    memcpy(text, arg, len + 1);
  }
  ties_docopts opts = {0};
  opts.date = c.date;
  opts.path = docname ? arg : NULL;
  ties_doc *d = ties_doc_new(w, name, text, len, &opts);
  int out = 0;
  if (!d) {
    fprintf(stderr, "%s: out of memory\n", c.prog);
    out = EXIT_USAGE;
  } else if (cli_print_doc_diags(&c, d)) {
    out = EXIT_DOCS;
  } else {
    buf b = BUF_INIT;
    explain_doc_header(&b, d);
    fputs(buf_cstr(&b), stdout);
    if (index >= 0 && (size_t)index >= d->sents.len) {
      fprintf(stderr, "%s: %s has %zu sentences; no sentence %ld\n", c.prog, arg,
              d->sents.len, index);
      out = EXIT_USAGE;
    }
    for (size_t si = 0; si < d->sents.len && !out; si++) {
      if (index >= 0 && (size_t)index != si)
        continue;
      buf_clear(&b);
      explain_sentence(&b, d, (uint32_t)si, x.rules, x.nrules, x.why_not);
      fwrite(b.p, 1, b.len, stdout);
    }
    if (b.failed) {
      fprintf(stderr, "%s: out of memory\n", c.prog);
      out = EXIT_USAGE;
    }
    buf_free(&b);
  }
  ties_doc_free(d);
  free(text);
  free(docname);
  ties_worker_free(w);
  ties_engine_free(e);
  free(c.args);
  return out;
}
