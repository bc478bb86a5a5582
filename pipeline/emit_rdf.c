/*
 * emit_rdf.c — the triples as RDF with their provenance: N-Triples (`nt`),
 * N-Quads (`nq`, one named graph per document) and Turtle (`ttl`).
 *
 * Every IRI is under one base, S_BASE (https://ties.example.org/):
 *
 *   id/CHN  id/org/plan  id/person/wang-yi    an entity: its id, ':' → '/'
 *   vocab#donated  vocab#Country  ...         the vocabulary, rules/ties.ttl
 *   doc/<doc>                                 a document (prov:Entity)
 *   stmt/<doc>/<sentence>-<start>-<end>-<h>   one extracted triple
 *   run/ties-<version>-<rules16>-<gaz16>      the extraction (prov:Activity)
 *   ruleset/<sha256>  gazetteers/<sha256>     what the run used (prov:Entity)
 *
 * In a path segment every byte outside the unreserved set [A-Za-z0-9._~-]
 * is percent-encoded (a '/' inside an id too, so ids and IRIs map one to
 * one), and so is a segment made only of dots, which IRI resolution would
 * otherwise remove. <h> is the first 12 hex digits of the SHA-256 of
 * "rule TAB subject TAB predicate TAB object TAB modality": a statement
 * keeps its IRI when other triples of the document come and go.
 *
 * Provenance by RDF reification. Each triple is asserted as it is
 * (<id/CHN> vocab:donated <id/SRB>, so plain SPARQL works) and described by
 * an rdf:Statement node with rdf:subject, rdf:predicate, rdf:object,
 * prov:wasDerivedFrom the document, prov:wasGeneratedBy the run,
 * ties:evidence (the words), ties:sentence, ties:start and ties:end (byte
 * offsets in the file, xsd:integer), ties:rule, ties:ruleSource
 * ("file:line"), ties:ruleset (the SHA-256 of the rule files),
 * ties:modality, and ties:item, ties:amount, ties:date, ties:cue when
 * given. RDF-star (<< s p o >> ...) would be terser, but neither Raptor 2
 * and Rasqal (rapper, roqet) nor Virtuoso 7 as Debian ships them read it;
 * reification is plain RDF 1.1 that all of them load and query. A
 * candidate that is not asserted (--all-modalities) gets its statement
 * node, never the asserted triple.
 *
 * Each entity used is described once per output: rdf:type (ties:Country,
 * ties:Organisation, ties:Person, ties:Platform, ties:Place), rdfs:label
 * (the gazetteer name, else the id), ties:isoAlpha2, ties:isoAlpha3 and
 * ties:isoNumeric for a country, ties:actsFor the state of an
 * organisation or person, ties:locatedIn that of a place, ties:madeBy the
 * maker of a platform and ties:kind where the gazetteers give one.
 * Entities made for one document (people the gazetteers lack) are not in
 * the engine: their label is the id and their state the triple's.
 *
 * N-Quads puts a document's description, triples and statements into the
 * graph doc/<doc>; what documents share (the entities, the run) goes into
 * the default graph. N-Triples and Turtle write everything into the
 * default graph, and all three hold the same triples. Literals are escaped
 * alike in all three: \" \\ \t \n \r, \u00XX for the other controls,
 * UTF-8 as it is, invalid UTF-8 as U+FFFD. Turtle writes base-relative
 * IRIs and prefixed names. The output depends on nothing but the inputs,
 * the rules and the gazetteers.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define S_BASE "https://ties.example.org/"

enum { S_NT, S_NQ, S_TTL };

/* Namespaces, with their Turtle prefixes. */
enum { NS_RDF, NS_RDFS, NS_XSD, NS_PROV, NS_TIES };
static const char *const S_ns[][2] = {
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"prov", "http://www.w3.org/ns/prov#"},
    {"ties", S_BASE "vocab#"},
};

typedef struct rdf_state {
  int syntax;          /* S_NT, S_NQ, S_TTL */
  arena ar;            /* keys of described */
  strmap described;    /* entity ids described so far */
  buf subj;            /* the subject being written, as written */
  buf graph;           /* nq: the graph term of subj, or empty */
  buf obj;             /* scratch: one object term */
  buf path;            /* scratch: a base-relative path */
  buf path2;
  size_t n_po;         /* predicate-object pairs written for subj */
  buf run;             /* the run's path */
} rdf_state;

/* ---- terms ---------------------------------------------------------------- */

static bool S_unreserved(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
         ch == '~';
}

/* One path segment, percent-encoded; ids map ':' to '/'. */
static void S_put_seg(buf *b, const char *s, bool id) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(s), dots = 0;
  while (dots < n && s[dots] == '.')
    dots++;
  bool all_dots = n > 0 && dots == n;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (id && ch == ':') {
      buf_putc(b, '/');
    } else if (S_unreserved(ch) && !all_dots) {
      buf_putc(b, ch);
    } else {
      char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
      buf_put(b, e, 3);
    }
  }
}

/* An IRI under S_BASE from a base-relative path (already encoded). */
static void S_put_iri(const rdf_state *st, buf *b, const char *path) {
  buf_puts(b, st->syntax == S_TTL ? "<" : "<" S_BASE);
  buf_puts(b, path);
  buf_putc(b, '>');
}

/* A name of a namespace: a prefixed name in Turtle where the local name
 * allows it, else the full IRI. */
static void S_put_term(const rdf_state *st, buf *b, int ns, const char *local) {
  if (ns == NS_RDF && !strcmp(local, "type") && st->syntax == S_TTL) {
    buf_putc(b, 'a');
    return;
  }
  bool plain = (local[0] >= 'a' && local[0] <= 'z') ||
               (local[0] >= 'A' && local[0] <= 'Z');
  for (const char *p = local; *p && plain; p++)
    plain = S_unreserved((unsigned char)*p) && *p != '.' && *p != '~';
  if (st->syntax == S_TTL && plain) {
    buf_printf(b, "%s:%s", S_ns[ns][0], local);
    return;
  }
  buf_printf(b, "<%s", S_ns[ns][1]);
  S_put_seg(b, local, false);
  buf_putc(b, '>');
}

/* A string literal, escaped for N-Triples and Turtle alike. */
static void S_put_lit(buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), i = 0;
  buf_putc(b, '"');
  while (i < n) {
    unsigned char ch = u[i];
    if (ch >= 0x80) {
      int32_t cp;
      int k = utf8_decode(u + i, n - i, &cp);
      if (cp < 0)
        buf_put(b, "\xEF\xBF\xBD", 3);
      else
        buf_put(b, u + i, (size_t)k);
      i += (size_t)k;
      continue;
    }
    switch (ch) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\t': buf_puts(b, "\\t"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    default:
      if (ch < 0x20 || ch == 0x7f) {
        char e[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
        buf_put(b, e, 6);
      } else {
        buf_putc(b, ch);
      }
    }
    i++;
  }
  buf_putc(b, '"');
}

/* The path of an entity, a document, ... into st->path (or path2). */
static const char *S_path(buf *b, const char *kind, const char *name, bool id) {
  buf_clear(b);
  buf_puts(b, kind);
  S_put_seg(b, name, id);
  return buf_cstr(b);
}

/* ---- writing: one subject with its predicate-object pairs ----------------- */

/* Start the description of the node at path; graph: the path of the named
 * graph (N-Quads only) or NULL for the default graph. */
static void S_subject(rdf_state *st, const char *path, const char *graph) {
  buf_clear(&st->subj);
  S_put_iri(st, &st->subj, path);
  buf_clear(&st->graph);
  if (graph && st->syntax == S_NQ) {
    buf_putc(&st->graph, ' ');
    S_put_iri(st, &st->graph, graph);
  }
  st->n_po = 0;
}

/* One predicate with the object term in st->obj. */
static void S_po(emit_ctx *c, rdf_state *st, int ns, const char *local) {
  buf *b = &c->b;
  if (st->syntax == S_TTL) {
    if (st->n_po)
      buf_puts(b, " ;\n    ");
    else {
      buf_put(b, st->subj.p, st->subj.len);
      buf_putc(b, ' ');
    }
    S_put_term(st, b, ns, local);
    buf_putc(b, ' ');
    buf_put(b, st->obj.p, st->obj.len);
  } else {
    buf_put(b, st->subj.p, st->subj.len);
    buf_putc(b, ' ');
    S_put_term(st, b, ns, local);
    buf_putc(b, ' ');
    buf_put(b, st->obj.p, st->obj.len);
    buf_put(b, st->graph.p, st->graph.len);
    buf_puts(b, " .\n");
  }
  st->n_po++;
}

static void S_done(emit_ctx *c, rdf_state *st) {
  if (st->syntax == S_TTL && st->n_po)
    buf_puts(&c->b, " .\n");
  st->n_po = 0;
}

static void S_po_iri(emit_ctx *c, rdf_state *st, int ns, const char *local,
                     const char *path) {
  buf_clear(&st->obj);
  S_put_iri(st, &st->obj, path);
  S_po(c, st, ns, local);
}

static void S_po_term(emit_ctx *c, rdf_state *st, int ns, const char *local,
                      int ons, const char *olocal) {
  buf_clear(&st->obj);
  S_put_term(st, &st->obj, ons, olocal);
  S_po(c, st, ns, local);
}

static void S_po_str(emit_ctx *c, rdf_state *st, int ns, const char *local,
                     const char *s) {
  buf_clear(&st->obj);
  S_put_lit(&st->obj, s);
  S_po(c, st, ns, local);
}

static void S_po_int(emit_ctx *c, rdf_state *st, int ns, const char *local,
                     size_t v) {
  buf_clear(&st->obj);
  if (st->syntax == S_TTL)
    buf_printf(&st->obj, "%zu", v);
  else
    buf_printf(&st->obj, "\"%zu\"^^<%sinteger>", v, S_ns[NS_XSD][1]);
  S_po(c, st, ns, local);
}

/* ---- entities -------------------------------------------------------------- */

static bool S_has(const char *s) { return s && *s; }

static const char *S_class(int type) {
  switch (type) {
  case TIES_COUNTRY: return "Country";
  case TIES_ORG: return "Organisation";
  case TIES_PERSON: return "Person";
  case TIES_PLATFORM: return "Platform";
  case TIES_PLACE: return "Place";
  default: return NULL;
  }
}

/* Describe an entity, once per output, then the entities it points at.
 * country: the state the triple gives for it, for ids the engine lacks. */
static void S_describe(emit_ctx *c, rdf_state *st, const char *id,
                       const char *country) {
  if (!S_has(id))
    return;
  void **slot = strmap_slot(&st->described, id, strlen(id), &st->ar);
  if (!slot) {
    if (!c->err)
      c->err = ENOMEM;
    return;
  }
  if (*slot)
    return;
  *slot = (void *)1;
  const entity *en = c->e ? engine_entity(c->e, id) : NULL;
  int type = en ? en->type : etype_of_id(id, TIES_NONE);
  const char *state = en && S_has(en->country) ? en->country : country;
  const char *maker = en && type == TIES_PLATFORM ? en->maker : NULL;
  const char *maker_country = en ? en->maker_country : NULL;
  if (!S_has(state) || !strcmp(state, id))
    state = NULL;

  S_subject(st, S_path(&st->path, "id/", id, true), NULL);
  if (S_class(type))
    S_po_term(c, st, NS_RDF, "type", NS_TIES, S_class(type));
  S_po_str(c, st, NS_RDFS, "label", en && S_has(en->label) ? en->label : id);
  if (type == TIES_COUNTRY) {
    if (en && S_has(en->alpha2))
      S_po_str(c, st, NS_TIES, "isoAlpha2", en->alpha2);
    S_po_str(c, st, NS_TIES, "isoAlpha3", id);
    if (en && S_has(en->numeric))
      S_po_str(c, st, NS_TIES, "isoNumeric", en->numeric);
  }
  if (state && (type == TIES_ORG || type == TIES_PERSON))
    S_po_iri(c, st, NS_TIES, "actsFor", S_path(&st->path2, "id/", state, true));
  if (state && type == TIES_PLACE)
    S_po_iri(c, st, NS_TIES, "locatedIn",
             S_path(&st->path2, "id/", state, true));
  if (S_has(maker))
    S_po_iri(c, st, NS_TIES, "madeBy", S_path(&st->path2, "id/", maker, true));
  if (en && S_has(en->kind))
    S_po_str(c, st, NS_TIES, "kind", en->kind);
  S_done(c, st);

  if (state && (type == TIES_ORG || type == TIES_PERSON || type == TIES_PLACE))
    S_describe(c, st, state, NULL);
  if (S_has(maker))
    S_describe(c, st, maker, maker_country);
}

/* ---- the writer ------------------------------------------------------------ */

static void S_free_state(rdf_state *st) {
  arena_free(&st->ar);
  strmap_free(&st->described);
  buf_free(&st->subj);
  buf_free(&st->graph);
  buf_free(&st->obj);
  buf_free(&st->path);
  buf_free(&st->path2);
  buf_free(&st->run);
  free(st);
}

/* The header, and the run with what it used: written first, once. */
static rdf_state *S_start(emit_ctx *c, int syntax) {
  if (c->state)
    return c->state;
  rdf_state *st = calloc(1, sizeof *st);
  if (!st) {
    if (!c->err)
      c->err = ENOMEM;
    return NULL;
  }
  st->syntax = syntax;
  arena_init(&st->ar);
  strmap_init(&st->described);
  c->state = st;

  const char *rh = S_has(c->rules_hash) ? c->rules_hash : NULL;
  const char *gh = S_has(c->gazetteer_hash) ? c->gazetteer_hash : NULL;
  buf *b = &c->b;
  buf_printf(b, "# ties %s rules=%s gazetteers=%s\n", ties_version_string(),
             rh ? rh : "", gh ? gh : "");
  if (syntax == S_TTL) {
    buf_puts(b, "@base <" S_BASE "> .\n");
    for (size_t i = 0; i < TIES_ARRAY_LEN(S_ns); i++)
      buf_printf(b, "@prefix %s: <%s> .\n", S_ns[i][0], S_ns[i][1]);
    buf_putc(b, '\n');
  }

  buf_printf(&st->run, "run/ties-%s", ties_version_string());
  if (rh)
    buf_printf(&st->run, "-%.16s", rh);
  if (gh)
    buf_printf(&st->run, "-%.16s", gh);
  S_subject(st, buf_cstr(&st->run), NULL);
  S_po_term(c, st, NS_RDF, "type", NS_PROV, "Activity");
  S_po_term(c, st, NS_RDF, "type", NS_TIES, "Extraction");
  S_po_str(c, st, NS_RDFS, "label", "ties " TIES_VERSION_STRING);
  S_po_str(c, st, NS_TIES, "version", ties_version_string());
  if (rh)
    S_po_iri(c, st, NS_PROV, "used", S_path(&st->path, "ruleset/", rh, false));
  if (gh)
    S_po_iri(c, st, NS_PROV, "used",
             S_path(&st->path, "gazetteers/", gh, false));
  S_done(c, st);
  const char *sets[][3] = {{"ruleset/", "RuleSet", rh},
                           {"gazetteers/", "GazetteerSet", gh}};
  for (size_t i = 0; i < TIES_ARRAY_LEN(sets); i++) {
    if (!sets[i][2])
      continue;
    S_subject(st, S_path(&st->path, sets[i][0], sets[i][2], false), NULL);
    S_po_term(c, st, NS_RDF, "type", NS_PROV, "Entity");
    S_po_term(c, st, NS_RDF, "type", NS_TIES, sets[i][1]);
    S_po_str(c, st, NS_TIES, "sha256", sets[i][2]);
    S_done(c, st);
  }
  return st;
}

/* The statement hash: 12 hex digits of SHA-256 over what makes it. */
static void S_stmt_hash(const ties_triple *t, char out[13]) {
  struct sha256_ctx h;
  char hex[65];
  const char *parts[] = {t->rule, t->subject, t->predicate, t->object,
                         t->modality};
  sha256_init(&h);
  for (size_t i = 0; i < TIES_ARRAY_LEN(parts); i++) {
    if (i)
      sha256_update(&h, 1, (const uint8_t *)"\t");
    sha256_update(&h, strlen(parts[i]), (const uint8_t *)parts[i]);
  }
  sha256_hex(&h, hex);
  memcpy(out, hex, 12);
  out[12] = 0;
}

static void S_triple(emit_ctx *c, rdf_state *st, const emit_doc *d,
                     const ties_triple *t, const char *doc, const char *graph,
                     buf *stmt) {
  S_describe(c, st, t->subject, t->subject_country);
  S_describe(c, st, t->object, t->object_country);
  S_describe(c, st, t->item, NULL); /* a platform's id, or "" */

  /* the triple itself, when it is a fact */
  if (!strcmp(t->modality, "asserted")) {
    S_subject(st, S_path(&st->path, "id/", t->subject, true), graph);
    S_po_iri(c, st, NS_TIES, t->predicate,
             S_path(&st->path2, "id/", t->object, true));
    S_done(c, st);
  }

  /* its statement node */
  char h[13];
  S_stmt_hash(t, h);
  buf_clear(stmt);
  buf_puts(stmt, "stmt/");
  S_put_seg(stmt, d->name, false);
  buf_printf(stmt, "/%u-%zu-%zu-%s", t->sentence, t->start, t->end, h);
  S_subject(st, buf_cstr(stmt), graph);
  S_po_term(c, st, NS_RDF, "type", NS_RDF, "Statement");
  S_po_iri(c, st, NS_RDF, "subject", S_path(&st->path, "id/", t->subject, true));
  S_po_term(c, st, NS_RDF, "predicate", NS_TIES, t->predicate);
  S_po_iri(c, st, NS_RDF, "object", S_path(&st->path, "id/", t->object, true));
  S_po_iri(c, st, NS_PROV, "wasDerivedFrom", doc);
  S_po_iri(c, st, NS_PROV, "wasGeneratedBy", buf_cstr(&st->run));
  S_po_str(c, st, NS_TIES, "evidence", t->evidence);
  S_po_int(c, st, NS_TIES, "sentence", t->sentence);
  S_po_int(c, st, NS_TIES, "start", t->start);
  S_po_int(c, st, NS_TIES, "end", t->end);
  S_po_str(c, st, NS_TIES, "rule", t->rule);
  buf_clear(&st->path);
  buf_printf(&st->path, "%s:%u", t->rule_file, t->rule_line);
  S_po_str(c, st, NS_TIES, "ruleSource", buf_cstr(&st->path));
  if (S_has(c->rules_hash))
    S_po_str(c, st, NS_TIES, "ruleset", c->rules_hash);
  S_po_str(c, st, NS_TIES, "modality", t->modality);
  if (S_has(t->cue))
    S_po_str(c, st, NS_TIES, "cue", t->cue);
  if (S_has(t->item))
    S_po_iri(c, st, NS_TIES, "item", S_path(&st->path, "id/", t->item, true));
  if (S_has(t->amount))
    S_po_str(c, st, NS_TIES, "amount", t->amount);
  if (S_has(t->date))
    S_po_str(c, st, NS_TIES, "date", t->date);
  S_done(c, st);
}

static void S_doc(emit_ctx *c, const emit_doc *d, int syntax) {
  rdf_state *st = S_start(c, syntax);
  if (!st)
    return;
  buf doc = BUF_INIT, stmt = BUF_INIT;
  S_path(&doc, "doc/", d->name, false);
  const char *graph = syntax == S_NQ ? buf_cstr(&doc) : NULL;
  if (syntax == S_TTL)
    buf_putc(&c->b, '\n'); /* a blank line before each document */

  S_subject(st, buf_cstr(&doc), graph);
  S_po_term(c, st, NS_RDF, "type", NS_PROV, "Entity");
  S_po_term(c, st, NS_RDF, "type", NS_TIES, "Document");
  S_po_str(c, st, NS_RDFS, "label", d->name);
  if (S_has(d->path))
    S_po_str(c, st, NS_TIES, "path", d->path);
  S_done(c, st);

  for (size_t i = 0; i < d->n; i++)
    S_triple(c, st, d, &d->triples[i], buf_cstr(&doc), graph, &stmt);
  if ((doc.failed || stmt.failed || st->subj.failed || st->obj.failed ||
       st->graph.failed || st->path.failed || st->path2.failed ||
       st->ar.failed) &&
      !c->err)
    c->err = ENOMEM;
  buf_free(&doc);
  buf_free(&stmt);
}

static void S_end(emit_ctx *c) {
  if (c->state)
    S_free_state(c->state);
  c->state = NULL;
}

static void S_begin_nt(emit_ctx *c) { S_start(c, S_NT); }
static void S_begin_nq(emit_ctx *c) { S_start(c, S_NQ); }
static void S_begin_ttl(emit_ctx *c) { S_start(c, S_TTL); }
static void S_doc_nt(emit_ctx *c, const emit_doc *d) { S_doc(c, d, S_NT); }
static void S_doc_nq(emit_ctx *c, const emit_doc *d) { S_doc(c, d, S_NQ); }
static void S_doc_ttl(emit_ctx *c, const emit_doc *d) { S_doc(c, d, S_TTL); }

const emitter emit_nt = {"nt", "RDF N-Triples: triples, entities, provenance",
                         false, S_begin_nt, S_doc_nt, S_end, false};
const emitter emit_nq = {"nq", "RDF N-Quads: as nt, a named graph per document",
                         false, S_begin_nq, S_doc_nq, S_end, false};
const emitter emit_ttl = {"ttl", "RDF Turtle: as nt, with prefixes",
                          false, S_begin_ttl, S_doc_ttl, S_end, false};
