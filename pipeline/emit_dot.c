/*
 * emit_dot.c — `--format dot`: the country-level graph in Graphviz DOT
 * (an aggregating writer: everything is written at the end).
 *
 *   dot -Tsvg graph.dot > graph.svg
 *
 * One node per state or international body: an organisation or person
 * becomes the state it acts for (subject_country, object_country), a body
 * without a state stays itself, platforms are left out, and so is a triple
 * within one state. Only asserted triples count. One edge per
 * (source, predicate, target), labelled "donated ×3" and drawn wider the
 * more triples stand behind it (penwidth 1 + 1.5·log2 n, at most 8);
 * symmetric predicates (exercised_with, met, ...) are drawn once, without
 * arrowheads. Nodes are labelled with names (the gazetteers', else the id)
 * and keep the id as their DOT name; states are ellipses, bodies boxes.
 * Nodes and edges are sorted, so the output depends only on the triples.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct dnode {
  const char *id;
  int type;
} dnode;

typedef struct dedge {
  const char *source, *predicate, *target;
  unsigned n;
  bool symmetric;
} dedge;

typedef struct dot_state {
  strmap nodes;   /* id → dnode* */
  strmap edges;   /* "source\tpredicate\ttarget" → dedge* */
  vec node_list;  /* dnode* */
  vec edge_list;  /* dedge* */
  arena ar;
  buf key;
} dot_state;

static int S_type(const emit_ctx *c, const char *id) {
  const entity *en = c->e ? engine_entity(c->e, id) : NULL;
  return en && en->type ? en->type : etype_of_id(id, TIES_COUNTRY);
}

/* The node a side of a triple rolls up to, or NULL to leave it out. */
static const char *S_side(const emit_ctx *c, const char *id, const char *country) {
  if (country && *country)
    return country;
  if (!id || !*id || S_type(c, id) == TIES_PLATFORM)
    return NULL;
  return id;
}

static bool S_symmetric(const emit_ctx *c, const char *pred) {
  const predicate *p =
      c->e ? strmap_get(&c->e->pred_by_name, pred, strlen(pred)) : NULL;
  if (p)
    return p->symmetric;
  return !strcmp(pred, "exercised_with") || !strcmp(pred, "met") ||
         !strcmp(pred, "signed_agreement");
}

static void S_oom(emit_ctx *c) {
  if (!c->err)
    c->err = ENOMEM;
}

static const char *S_node(emit_ctx *c, dot_state *st, const char *id) {
  void **slot = strmap_slot(&st->nodes, id, strlen(id), &st->ar);
  if (!slot) {
    S_oom(c);
    return NULL;
  }
  if (!*slot) {
    dnode *n = arena_alloc(&st->ar, sizeof *n);
    dnode **np = vec_push(&st->node_list);
    if (!n || !np) {
      S_oom(c);
      return NULL;
    }
    n->id = arena_strdup(&st->ar, id);
    n->type = S_type(c, id);
    *np = n;
    *slot = n;
  }
  return ((dnode *)*slot)->id;
}

static void S_begin(emit_ctx *c) {
  dot_state *st = calloc(1, sizeof *st);
  if (!st) {
    S_oom(c);
    return;
  }
  strmap_init(&st->nodes);
  strmap_init(&st->edges);
  vec_init(&st->node_list, sizeof(dnode *));
  vec_init(&st->edge_list, sizeof(dedge *));
  arena_init(&st->ar);
  c->state = st;
}

static void S_doc(emit_ctx *c, const emit_doc *d) {
  dot_state *st = c->state;
  if (!st || c->err)
    return;
  for (size_t i = 0; i < d->n; i++) {
    const ties_triple *t = &d->triples[i];
    if (strcmp(t->modality, "asserted"))
      continue;
    const char *s = S_side(c, t->subject, t->subject_country);
    const char *o = S_side(c, t->object, t->object_country);
    if (!s || !o || !strcmp(s, o))
      continue;
    bool sym = S_symmetric(c, t->predicate);
    if (sym && strcmp(o, s) < 0) {
      const char *x = s;
      s = o;
      o = x;
    }
    buf_clear(&st->key);
    buf_printf(&st->key, "%s\t%s\t%s", s, t->predicate, o);
    if (st->key.failed) {
      S_oom(c);
      return;
    }
    void **slot = strmap_slot(&st->edges, st->key.p, st->key.len, &st->ar);
    if (!slot) {
      S_oom(c);
      return;
    }
    if (!*slot) {
      dedge *e = arena_alloc(&st->ar, sizeof *e);
      dedge **ep = vec_push(&st->edge_list);
      if (!e || !ep) {
        S_oom(c);
        return;
      }
      e->source = S_node(c, st, s);
      e->target = S_node(c, st, o);
      e->predicate = arena_strdup(&st->ar, t->predicate);
      e->symmetric = sym;
      if (!e->source || !e->target || !e->predicate) {
        S_oom(c);
        return;
      }
      *ep = e;
      *slot = e;
    }
    ((dedge *)*slot)->n++;
  }
}

/* A DOT double-quoted string. */
static void S_quoted(buf *b, const char *s) {
  buf_putc(b, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      buf_putc(b, '\\');
    if (*s == '\n' || *s == '\r')
      buf_putc(b, ' ');
    else
      buf_putc(b, *s);
  }
  buf_putc(b, '"');
}

static int S_cmp_node(const void *a, const void *b) {
  return strcmp((*(dnode *const *)a)->id, (*(dnode *const *)b)->id);
}

static int S_cmp_edge(const void *a, const void *b) {
  const dedge *x = *(dedge *const *)a, *y = *(dedge *const *)b;
  int r = strcmp(x->source, y->source);
  if (!r)
    r = strcmp(x->target, y->target);
  if (!r)
    r = strcmp(x->predicate, y->predicate);
  return r;
}

/* Hostile acts in red, transfers and training in green, the rest grey. */
static const char *S_color(const char *pred) {
  static const char *const hostile[] = {"attacked", "criticized", "hacked",
                                        "threatened", "rejected"};
  static const char *const transfer[] = {"donated", "sold", "pledged_aid",
                                         "trained", "acquired"};
  for (size_t i = 0; i < TIES_ARRAY_LEN(hostile); i++)
    if (!strcmp(pred, hostile[i]))
      return "firebrick";
  for (size_t i = 0; i < TIES_ARRAY_LEN(transfer); i++)
    if (!strcmp(pred, transfer[i]))
      return "darkgreen";
  return "gray30";
}

static void S_end(emit_ctx *c) {
  dot_state *st = c->state;
  if (!st)
    return;
  buf *b = &c->b;
  if (!c->err && !c->discard) {
    buf_printf(b, "/* ties %s rules=%s gazetteers=%s */\n", ties_version_string(),
               c->rules_hash ? c->rules_hash : "",
               c->gazetteer_hash ? c->gazetteer_hash : "");
    buf_puts(b, "digraph ties {\n"
                "  graph [rankdir=LR, overlap=false, splines=true, "
                "fontname=\"Helvetica\"];\n"
                "  node [shape=ellipse, fontname=\"Helvetica\", fontsize=11];\n"
                "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    if (st->node_list.len) /* qsort wants an array, even of nothing */
      qsort(st->node_list.p, st->node_list.len, sizeof(dnode *), S_cmp_node);
    for (size_t i = 0; i < st->node_list.len; i++) {
      const dnode *n = VEC_AT(&st->node_list, dnode *, i);
      const entity *en = c->e ? engine_entity(c->e, n->id) : NULL;
      const char *label = en && en->label && *en->label ? en->label : n->id;
      buf_puts(b, "  ");
      S_quoted(b, n->id);
      buf_puts(b, " [label=");
      S_quoted(b, label);
      buf_puts(b, ", tooltip=");
      S_quoted(b, n->id);
      if (n->type == TIES_ORG)
        buf_puts(b, ", shape=box, style=rounded");
      else if (n->type != TIES_COUNTRY)
        buf_puts(b, ", shape=note");
      buf_puts(b, "];\n");
    }
    if (st->edge_list.len)
      qsort(st->edge_list.p, st->edge_list.len, sizeof(dedge *), S_cmp_edge);
    for (size_t i = 0; i < st->edge_list.len; i++) {
      const dedge *e = VEC_AT(&st->edge_list, dedge *, i);
      double w = 1.0 + 1.5 * log2((double)e->n);
      if (w > 8.0)
        w = 8.0;
      buf_puts(b, "  ");
      S_quoted(b, e->source);
      buf_puts(b, " -> ");
      S_quoted(b, e->target);
      buf_printf(b, " [label=\"%s", e->predicate);
      if (e->n > 1)
        buf_printf(b, " \xc3\x97%u", e->n); /* × */
      buf_printf(b, "\", penwidth=%.1f, weight=%u, color=%s, fontcolor=%s%s];\n",
                 w, e->n, S_color(e->predicate), S_color(e->predicate),
                 e->symmetric ? ", dir=none" : "");
    }
    buf_puts(b, "}\n");
  }
  strmap_free(&st->nodes);
  strmap_free(&st->edges);
  vec_free(&st->node_list);
  vec_free(&st->edge_list);
  arena_free(&st->ar);
  buf_free(&st->key);
  free(st);
  c->state = NULL;
}

const emitter emit_dot = {"dot",
                          "country-level graph for Graphviz (dot -Tsvg)",
                          false, S_begin, S_doc, S_end, false};
