/*
 * emit_neo4j.c — `--format neo4j -o DIR`: CSV files for
 * `neo4j-admin database import` (a directory writer).
 *
 *   DIR/nodes.csv          id:ID,label,country,kind,:LABEL
 *   DIR/relationships.csv  :START_ID,:END_ID,:TYPE,rule,evidence,doc,
 *                          sentence:int,start:int,end:int,modality,cue,
 *                          item,amount,date,rule_source
 *   DIR/import.sh          the neo4j-admin command for these files
 *
 * One node per entity used as a subject or object, written once, with the
 * label of the Neo4j convention: Country, Organisation, Person, Platform or
 * Place. One relationship per triple; its type is the predicate in upper
 * case (DONATED, EXERCISED_WITH); start and end are byte offsets of the
 * evidence in the document. Every non-empty string is quoted, with "" for
 * a quote inside it; an empty field is left empty, which the importer
 * reads as "no property". Line breaks never occur in fields (the evidence
 * is one line) and are replaced by spaces if they did.
 *
 * Nothing is written into DIR before the end: relationships stream into an
 * anonymous temporary file (tmpfile(), gone with the process however it
 * ends) and nodes are kept in memory, one per entity. At the end the three
 * files are written under temporary names (NAME.tmp.PID), synced, and
 * renamed into place, so DIR holds the old files or the new ones, and an
 * interrupted run leaves nothing behind.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct node {
  const char *id, *label, *country, *kind, *neo_label;
} node;

typedef struct part {
  const char *name;  /* final file name in the directory */
  char *path, *tmp;
  FILE *f;
} part;

enum { P_NODES, P_RELS, P_IMPORT, P__COUNT };

typedef struct neo {
  part parts[P__COUNT];
  FILE *spool;       /* relationship rows until the end */
  strmap nodes;      /* id → node* */
  vec order;         /* node* */
  arena ar;
  buf line;
} neo;

static const char *const S_names[P__COUNT] = {"nodes.csv", "relationships.csv",
                                              "import.sh"};

static const char S_import_sh[] =
    "#!/bin/sh\n"
    "# import.sh — load nodes.csv and relationships.csv (written by ties) into\n"
    "# a new Neo4j database with neo4j-admin (Neo4j 5; stop the database first).\n"
    "#\n"
    "#   sh import.sh [DATABASE [OPTION...]]    DATABASE defaults to neo4j;\n"
    "#                                          e.g. --overwrite-destination\n"
    "#\n"
    "# NEO4J_ADMIN names the program (default: neo4j-admin on the PATH).\n"
    "# Neo4j 4.x: neo4j-admin import --database=neo4j --nodes=nodes.csv \\\n"
    "#              --relationships=relationships.csv\n"
    "set -e\n"
    "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
    "db=${1:-neo4j}\n"
    "[ $# -gt 0 ] && shift\n"
    "exec \"${NEO4J_ADMIN:-neo4j-admin}\" database import full \"$db\" \\\n"
    "  --nodes=\"$here/nodes.csv\" \\\n"
    "  --relationships=\"$here/relationships.csv\" \"$@\"\n";

/* ---- CSV ------------------------------------------------------------------ */

/* A quoted field ("" inside), or nothing for an empty value. */
static void S_csv(buf *b, const char *s) {
  if (!s || !*s)
    return;
  buf_putc(b, '"');
  for (; *s; s++) {
    if (*s == '"')
      buf_puts(b, "\"\"");
    else if (*s == '\n' || *s == '\r')
      buf_putc(b, ' ');
    else
      buf_putc(b, *s);
  }
  buf_putc(b, '"');
}

static void S_write(emit_ctx *c, neo *n, int which) {
  buf *b = &n->line;
  if (b->failed && !c->err)
    c->err = ENOMEM;
  FILE *f = which == P_RELS && !n->parts[P_RELS].f ? n->spool : n->parts[which].f;
  if (f && b->len && !c->err && fwrite(b->p, 1, b->len, f) != b->len)
    c->err = errno ? errno : EIO;
  buf_clear(b);
}

/* ---- nodes ------------------------------------------------------------------- */

static const char *S_neo_label(int type) {
  switch (type) {
  case TIES_ORG: return "Organisation";
  case TIES_PERSON: return "Person";
  case TIES_PLATFORM: return "Platform";
  case TIES_PLACE: return "Place";
  default: return "Country";
  }
}

/* The node of an id, made on first sight. country: the triple's state for
 * it, used when the engine does not know the id. */
static void S_node(emit_ctx *c, neo *n, const char *id, const char *country) {
  if (!id || !*id)
    return;
  void **slot = strmap_slot(&n->nodes, id, strlen(id), &n->ar);
  if (!slot) {
    c->err = c->err ? c->err : ENOMEM;
    return;
  }
  if (*slot)
    return;
  const entity *en = c->e ? engine_entity(c->e, id) : NULL;
  node *nd = arena_alloc(&n->ar, sizeof *nd);
  node **np = vec_push(&n->order);
  if (!nd || !np) {
    c->err = c->err ? c->err : ENOMEM;
    return;
  }
  int type = en && en->type ? en->type : etype_of_id(id, TIES_COUNTRY);
  nd->id = arena_strdup(&n->ar, id);
  nd->label = arena_strdup(&n->ar, en && en->label && *en->label ? en->label : id);
  nd->country = arena_strdup(&n->ar, en && en->country && *en->country
                                         ? en->country
                                         : country ? country : "");
  nd->kind = arena_strdup(&n->ar, en && en->kind ? en->kind : "");
  nd->neo_label = S_neo_label(type);
  *slot = nd;
  *np = nd;
}

static int S_cmp_node(const void *a, const void *b) {
  return strcmp((*(node *const *)a)->id, (*(node *const *)b)->id);
}

/* ---- the writer ---------------------------------------------------------------- */

static void S_close_parts(neo *n, bool keep) {
  for (int i = 0; i < P__COUNT; i++) {
    part *p = &n->parts[i];
    if (p->f)
      fclose(p->f);
    p->f = NULL;
    if (!keep && p->tmp)
      unlink(p->tmp);
    free(p->path);
    free(p->tmp);
    p->path = p->tmp = NULL;
  }
}

static void S_free(neo *n) {
  if (!n)
    return;
  S_close_parts(n, false);
  if (n->spool)
    fclose(n->spool);
  strmap_free(&n->nodes);
  vec_free(&n->order);
  arena_free(&n->ar);
  buf_free(&n->line);
  free(n);
}

static void S_begin(emit_ctx *c) {
  neo *n = calloc(1, sizeof *n);
  if (!n) {
    c->err = ENOMEM;
    return;
  }
  strmap_init(&n->nodes);
  vec_init(&n->order, sizeof(node *));
  arena_init(&n->ar);
  c->state = n;
  n->spool = tmpfile();
  if (!n->spool)
    c->err = errno ? errno : EIO;
}

/* Open the files of the directory under their temporary names. */
static void S_open_parts(emit_ctx *c, neo *n) {
  const char *dir = c->dir ? c->dir : ".";
  for (int i = 0; i < P__COUNT && !c->err; i++) {
    part *p = &n->parts[i];
    p->name = S_names[i];
    size_t len = strlen(dir) + strlen(p->name) + 40;
    p->path = malloc(len);
    p->tmp = malloc(len);
    if (!p->path || !p->tmp) {
      c->err = ENOMEM;
      return;
    }
    snprintf(p->path, len, "%s/%s", dir, p->name);
    snprintf(p->tmp, len, "%s/%s.tmp.%ld", dir, p->name, (long)getpid());
    p->f = fopen(p->tmp, "wb");
    if (!p->f)
      c->err = errno ? errno : EIO;
  }
}

static void S_doc(emit_ctx *c, const emit_doc *d) {
  neo *n = c->state;
  if (!n || c->err)
    return;
  buf *b = &n->line;
  for (size_t i = 0; i < d->n; i++) {
    const ties_triple *t = &d->triples[i];
    S_node(c, n, t->subject, t->subject_country);
    S_node(c, n, t->object, t->object_country);
    S_csv(b, t->subject);
    buf_putc(b, ',');
    S_csv(b, t->object);
    buf_putc(b, ',');
    buf_putc(b, '"');
    for (const char *p = t->predicate; *p; p++)
      buf_putc(b, *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    buf_puts(b, "\",");
    S_csv(b, t->rule);
    buf_putc(b, ',');
    S_csv(b, t->evidence);
    buf_putc(b, ',');
    S_csv(b, d->name);
    buf_printf(b, ",%u,%zu,%zu,", t->sentence, t->start, t->end);
    S_csv(b, t->modality);
    buf_putc(b, ',');
    S_csv(b, t->cue);
    buf_putc(b, ',');
    S_csv(b, t->item);
    buf_putc(b, ',');
    S_csv(b, t->amount);
    buf_putc(b, ',');
    S_csv(b, t->date);
    buf_putc(b, ',');
    buf_putc(b, '"');
    buf_puts(b, t->rule_file);
    buf_printf(b, ":%u\"\n", t->rule_line);
    S_write(c, n, P_RELS);
  }
}

static void S_end(emit_ctx *c) {
  neo *n = c->state;
  if (!n)
    return;
  if (c->discard) { /* nothing is renamed into place: the directory stays as it was */
    S_free(n);
    c->state = NULL;
    return;
  }
  if (!c->err)
    S_open_parts(c, n);
  buf *b = &n->line;
  if (!c->err) {
    buf_puts(b, "id:ID,label,country,kind,:LABEL\n");
    S_write(c, n, P_NODES);
    qsort(n->order.p, n->order.len, sizeof(node *), S_cmp_node);
    for (size_t i = 0; i < n->order.len && !c->err; i++) {
      const node *nd = VEC_AT(&n->order, node *, i);
      S_csv(b, nd->id);
      buf_putc(b, ',');
      S_csv(b, nd->label);
      buf_putc(b, ',');
      S_csv(b, nd->country);
      buf_putc(b, ',');
      S_csv(b, nd->kind);
      buf_putc(b, ',');
      buf_puts(b, nd->neo_label);
      buf_putc(b, '\n');
      S_write(c, n, P_NODES);
    }
    buf_puts(b, ":START_ID,:END_ID,:TYPE,rule,evidence,doc,sentence:int,"
                "start:int,end:int,modality,cue,item,amount,date,"
                "rule_source\n");
    S_write(c, n, P_RELS);
    /* the spooled rows */
    char chunk[65536];
    size_t got;
    if (fflush(n->spool) != 0 || fseek(n->spool, 0, SEEK_SET) != 0)
      c->err = errno ? errno : EIO;
    while (!c->err && (got = fread(chunk, 1, sizeof chunk, n->spool)) > 0)
      if (fwrite(chunk, 1, got, n->parts[P_RELS].f) != got)
        c->err = errno ? errno : EIO;
    if (!c->err && ferror(n->spool))
      c->err = EIO;
    buf_puts(b, S_import_sh);
    S_write(c, n, P_IMPORT);
  }
  /* flush, sync and close every part, then rename them all */
  for (int i = 0; i < P__COUNT && !c->err; i++) {
    part *p = &n->parts[i];
    if (fflush(p->f) != 0 || ferror(p->f) || fsync(fileno(p->f)) != 0)
      c->err = errno ? errno : EIO;
    if (fclose(p->f) != 0 && !c->err)
      c->err = errno ? errno : EIO;
    p->f = NULL;
  }
  if (!c->err)
    chmod(n->parts[P_IMPORT].tmp, 0755);
  for (int i = 0; i < P__COUNT && !c->err; i++)
    if (rename(n->parts[i].tmp, n->parts[i].path) != 0)
      c->err = errno;
  S_free(n);
  c->state = NULL;
}

const emitter emit_neo4j = {"neo4j",
                            "CSV nodes and relationships for neo4j-admin import "
                            "(-o DIR)",
                            true, S_begin, S_doc, S_end, false};
