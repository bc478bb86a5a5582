/*
 * gazetteer.c — stage 5: countries, organisations, officials, platforms
 * and places, matched longest first in a token trie.
 *
 * Files are plain TSV (see gazetteers/README.md). Every name is run through
 * the same tokenizer and spelling stages as the documents, so "Organisation"
 * and "Organization", "Timor-Leste" and "Timor Leste", "Côte" and "Cote"
 * reach the same trie path. Trie edges are keyed by the accent-free
 * canonical spelling (word.key); case is checked per token afterwards:
 * a name token written in capitals (PLAN, US, UN, AU, CAR) only matches
 * capitals, a capitalised one needs a capital, lower-case ones match any.
 *
 *   root ─ "people" ─ "'s" ─ "liberation" ─ "army" ●org:pla
 *                                                  └ "navy" ●org:plan
 *
 * The frozen trie is read-only: sorted child arrays, binary search.
 */
#include "ties_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ---------------------------------------------------------- */

typedef struct bentry {
  uint32_t node;
  gz_entry ent;
} bentry;

typedef struct bedge {
  uint32_t parent, sym, child;
} bedge;

typedef struct gz_build {
  strmap edges;      /* "parent:sym" → child+1 */
  vec edge_list;     /* bedge */
  vec entries;       /* bentry */
  uint32_t n_nodes;
  arena keys;
} gz_build;

static gz_build *S_build(ties_engine *e) {
  static gz_build *none;
  (void)none;
  gazetteer *g = &e->gz;
  if (!g->build_children.p) {
    gz_build *b = calloc(1, sizeof *b);
    if (!b)
      return NULL;
    strmap_init(&b->edges);
    vec_init(&b->edge_list, sizeof(bedge));
    vec_init(&b->entries, sizeof(bentry));
    arena_init(&b->keys);
    b->n_nodes = 1;
    g->build_children.p = b; /* the builder hangs off this field */
  }
  return g->build_children.p;
}

static uint32_t S_child(gz_build *b, uint32_t parent, uint32_t sym, bool make) {
  char key[16];
  memcpy(key, &parent, 4);
  memcpy(key + 4, &sym, 4);
  if (!make) {
    void *v = strmap_get(&b->edges, key, 8);
    return v ? (uint32_t)(uintptr_t)v - 1 : 0;
  }
  void **slot = strmap_slot(&b->edges, key, 8, &b->keys);
  if (!slot)
    return 0;
  if (*slot)
    return (uint32_t)(uintptr_t)*slot - 1;
  uint32_t child = b->n_nodes++;
  *slot = (void *)(uintptr_t)(child + 1);
  bedge *ed = vec_push(&b->edge_list);
  if (ed) {
    ed->parent = parent;
    ed->sym = sym;
    ed->child = child;
  }
  return child;
}

/* ---- files -------------------------------------------------------------- */

typedef struct row {
  const char *file;
  unsigned line;
  const char *text;   /* the whole line */
  size_t text_len;
  char *f[16];        /* fields (NUL-terminated copies) */
  unsigned col[16];   /* 1-based column of each field */
  int n;
  unsigned *n_errors; /* errors reported for this file, for the cap */
} row;

/* Limits (README "Limits"). A row costs about 1 KB once loaded (names in
 * the trie, word records, spelling vocabulary): a million rows load in a
 * few seconds and about 1 GB, so 2^20 rows in all is where a mistake (a
 * whole GeoNames dump) is stopped with a message rather than by the OOM
 * killer. */
#define GAZ_MAX_FILE_BYTES ((size_t)256 << 20)
#define GAZ_MAX_ROWS 1048576

enum { GF_COUNTRIES, GF_ORGS, GF_OFFICIALS, GF_PLATFORMS, GF_PLACES, GF_ROLES };

static const struct {
  const char *prefix;
  int kind;
  const char *cols[10];
} S_formats[] = {
    {"countries", GF_COUNTRIES,
     {"id", "alpha2", "numeric", "name", "official", "aliases", "demonyms",
      "capitals", NULL}},
    {"organisations", GF_ORGS, {"id", "name", "country", "kind", "aliases", NULL}},
    {"organizations", GF_ORGS, {"id", "name", "country", "kind", "aliases", NULL}},
    {"officials", GF_OFFICIALS,
     {"id", "name", "short", "country", "aliases", "roles", NULL}},
    {"platforms", GF_PLATFORMS,
     {"id", "name", "kind", "maker", "maker_country", "aliases", NULL}},
    {"places", GF_PLACES, {"id", "name", "kind", "country", "aliases", NULL}},
    {"roles", GF_ROLES, {"id", "titles", NULL}},
};

static void S_err(ties_engine *e, const row *r, unsigned col, size_t span,
                  int code, const char *fmt, ...) TIES_PRINTF(6, 7);
static void S_err(ties_engine *e, const row *r, unsigned col, size_t span,
                  int code, const char *fmt, ...) {
  if (!e->status)
    e->status = code;
  /* the same cap as rule files: a broken file is not a million messages */
  if (r->n_errors && ++*r->n_errors > e->set.max_errors) {
    if (*r->n_errors == e->set.max_errors + 1)
      diag_add(&e->diags, TIES_ERROR, TIES_ELIMIT, r->file, r->line, 0,
               (size_t)-1, 0, NULL, 0, "too many errors (%u); stopping here",
               e->set.max_errors);
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  diag_add(&e->diags, TIES_ERROR, code, r->file, r->line, col, (size_t)-1, span,
           r->text, r->text_len, "%s", buf_cstr(&b));
  buf_free(&b);
}

static bool S_valid_slug(const char *s, const char *prefix) {
  size_t pn = strlen(prefix);
  if (strncmp(s, prefix, pn) != 0)
    return false;
  s += pn;
  if (!*s || *s == '-')
    return false;
  char prev = 0;
  for (; *s; s++) {
    bool ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-';
    if (!ok || (*s == '-' && prev == '-'))
      return false;
    prev = *s;
  }
  return prev != '-';
}

static bool S_valid_alpha3(const char *s) {
  return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
         s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

const entity *engine_entity(const ties_engine *e, const char *id) {
  return strmap_get(&e->by_id, id, strlen(id));
}

/* Add one name of an entity to the trie. */
static void S_add_name(ties_engine *e, ties_worker *lw, const row *r,
                       unsigned col, const entity *ent, const char *name,
                       int how) {
  bool generic = false;
  while (*name == ' ')
    name++;
  if (*name == '~') {
    generic = true;
    name++;
  }
  size_t n = strlen(name);
  while (n && name[n - 1] == ' ')
    n--;
  if (!n)
    return;
  const wordrec *words[64];
  uint8_t kinds[64];
  int nt = engine_analyze(e, lw, name, n, words, kinds, 64);
  if (nt <= 0) {
    if (nt < 0)
      S_err(e, r, col, n, TIES_ELIMIT, "name '%.*s' is too long", (int)n, name);
    return;
  }
  /* Drop a leading determiner and hyphens between words. */
  int start = 0;
  if (nt > 1 && strcmp(words[0]->norm, "the") == 0)
    start = 1;
  uint32_t syms[64];
  uint8_t cases[64];
  const char *surf[64];
  int k = 0;
  for (int i = start; i < nt; i++) {
    if (kinds[i] == TK_PUNCT && strcmp(words[i]->norm, "-") == 0 && i > start &&
        i + 1 < nt)
      continue;
    syms[k] = engine_sym(e, words[i]->key);
    uint8_t sh = words[i]->shape;
    uint8_t c = CASE_ANY;
    if (!(sh & WS_HASDIGIT)) {
      if ((sh & WS_ALLCAPS) && strlen(words[i]->surface) >= 2 &&
          kinds[i] != TK_POSS)
        c = CASE_EXACT;
      else if (sh & WS_MIXED)
        c = CASE_EXACT;
      else if (sh & WS_INITCAP)
        c = CASE_INITCAP;
    }
    cases[k] = c;
    surf[k] = words[i]->surface;
    k++;
    /* Remember name words: the spell stage never corrects them. */
    const char *key = words[i]->key;
    void **slot = strmap_slot(&e->gaz_words, key, strlen(key), &e->ar);
    if (slot && !*slot)
      *slot = (void *)1;
    void spell_vocab_add(ties_engine *, const char *, size_t);
    if (words[i]->shape & WS_LOWER)
      spell_vocab_add(e, key, strlen(key));
  }
  if (!k)
    return;
  gz_build *b = S_build(e);
  if (!b)
    return;
  uint32_t node = 0;
  for (int i = 0; i < k; i++)
    node = S_child(b, node, syms[i], true);
  bentry *be = vec_push(&b->entries);
  if (!be)
    return;
  be->node = node;
  be->ent.e = ent;
  be->ent.how = (uint8_t)how;
  be->ent.generic = generic;
  be->ent.ntok = (uint16_t)k;
  be->ent.cases = arena_dup(&e->ar, cases, (size_t)k);
  const char **sp = arena_alloc(&e->ar, sizeof(char *) * (size_t)k);
  if (sp)
    for (int i = 0; i < k; i++)
      sp[i] = arena_strdup(&e->ar, surf[i]);
  be->ent.surfaces = sp;
  be->ent.name = arena_strndup(&e->ar, name - generic, n + generic);
  be->ent.file = r->file;
  be->ent.line = r->line;
}

/* Split "a; b; c" and add each as a name. */
static void S_add_list(ties_engine *e, ties_worker *lw, const row *r, int fi,
                       const entity *ent, int how) {
  if (fi < 0 || fi >= r->n)
    return;
  const char *s = r->f[fi];
  while (*s) {
    const char *semi = strchr(s, ';');
    size_t n = semi ? (size_t)(semi - s) : strlen(s);
    char tmp[512];
    if (n >= sizeof tmp) {
      S_err(e, r, r->col[fi] + (unsigned)(s - r->f[fi]), n, TIES_ELIMIT,
            "name longer than %zu bytes", sizeof tmp - 1);
    } else {
      memcpy(tmp, s, n);
      tmp[n] = 0;
      S_add_name(e, lw, r, r->col[fi] + (unsigned)(s - r->f[fi]), ent, tmp, how);
    }
    if (!semi)
      break;
    s = semi + 1;
  }
}

static entity *S_new_entity(ties_engine *e, const row *r, const char *id,
                            int type) {
  void **slot = strmap_slot(&e->by_id, id, strlen(id), &e->ar);
  if (!slot)
    return NULL;
  if (*slot) {
    const entity *old = *slot;
    S_err(e, r, r->col[0], strlen(id), TIES_ESEMANTIC,
          "duplicate id '%s' (first defined at %s:%u)", id, old->file,
          old->line);
    return NULL;
  }
  entity *ent = arena_alloc(&e->ar, sizeof *ent);
  if (!ent)
    return NULL;
  ent->id = arena_strdup(&e->ar, id);
  ent->type = (uint8_t)type;
  ent->file = r->file;
  ent->line = r->line;
  ent->country = "";
  ent->kind = "";
  ent->label = "";
  ent->index = (uint32_t)e->entities.len;
  entity **ep = vec_push(&e->entities);
  if (!ep)
    return NULL;
  *ep = ent;
  *slot = ent;
  return ent;
}

static const char *S_country_field(ties_engine *e, const row *r, int fi) {
  const char *c = r->f[fi];
  if (!*c)
    return "";
  const entity *ce = engine_entity(e, c);
  if (!S_valid_alpha3(c) || !ce || ce->type != TIES_COUNTRY) {
    S_err(e, r, r->col[fi], strlen(c), TIES_ESEMANTIC,
          "'%s' is not an ISO 3166-1 alpha-3 code of countries.tsv", c);
    return "";
  }
  return ce->id;
}

/* Parse "role START..END; role START..END". */
static void S_roles(ties_engine *e, const row *r, int fi, entity *ent) {
  const char *s = r->f[fi];
  vec terms;
  vec_init(&terms, sizeof(role_term));
  while (*s) {
    while (*s == ' ')
      s++;
    const char *semi = strchr(s, ';');
    size_t n = semi ? (size_t)(semi - s) : strlen(s);
    unsigned col = r->col[fi] + (unsigned)(s - r->f[fi]);
    const char *sp = memchr(s, ' ', n);
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
      if (s[i] == '.' && s[i + 1] == '.') {
        dots = s + i;
        break;
      }
    if (n == 0) {
    } else if (!sp || !dots || dots < sp) {
      S_err(e, r, col, n, TIES_ESYNTAX,
            "role term '%.*s' is not 'ROLE START..END'", (int)n, s);
    } else {
      uint32_t role = symtab_find(&e->syms, s, (size_t)(sp - s));
      bool known = false;
      for (size_t i = 0; i < e->role_titles.len; i++)
        if (VEC_AT(&e->role_titles, role_title, i).role == role && role)
          known = true;
      if (!known) {
        S_err(e, r, col, (size_t)(sp - s), TIES_ESEMANTIC,
              "unknown role '%.*s' (not in roles.tsv)", (int)(sp - s), s);
      } else {
        const char *a = sp + 1;
        while (*a == ' ')
          a++;
        size_t an = (size_t)(dots - a);
        const char *b = dots + 2;
        size_t bn = (size_t)(s + n - b);
        while (bn && b[bn - 1] == ' ')
          bn--;
        int32_t from = date_days(a, an, false);
        int32_t to = bn ? date_days(b, bn, true) : INT32_MAX;
        if (from == INT32_MIN) {
          S_err(e, r, r->col[fi] + (unsigned)(a - r->f[fi]), an, TIES_ESYNTAX,
                "bad date '%.*s' (YYYY, YYYY-MM or YYYY-MM-DD)", (int)an, a);
        } else if (to == INT32_MIN) {
          S_err(e, r, r->col[fi] + (unsigned)(b - r->f[fi]), bn, TIES_ESYNTAX,
                "bad date '%.*s' (YYYY, YYYY-MM or YYYY-MM-DD)", (int)bn, b);
        } else {
          role_term *t = vec_push(&terms);
          if (t) {
            t->role = role;
            t->from = from;
            t->to = to;
          }
        }
      }
    }
    if (!semi)
      break;
    s = semi + 1;
  }
  ent->terms = terms.len ? arena_dup(&e->ar, terms.p, terms.len * sizeof(role_term))
                         : NULL;
  ent->n_terms = (uint32_t)terms.len;
  vec_free(&terms);
}

static void S_row(ties_engine *e, ties_worker *lw, int kind, row *r) {
  const char *id = r->f[0];
  switch (kind) {
  case GF_ROLES: {
    uint32_t role = engine_sym(e, id);
    const char *s = r->f[1];
    while (*s) {
      while (*s == ' ')
        s++;
      const char *semi = strchr(s, ';');
      size_t n = semi ? (size_t)(semi - s) : strlen(s);
      while (n && s[n - 1] == ' ')
        n--;
      const wordrec *words[32];
      uint8_t kinds[32];
      int nt = n ? engine_analyze(e, lw, s, n, words, kinds, 32) : 0;
      if (nt > 0) {
        role_title *rt = vec_push(&e->role_titles);
        if (rt) {
          rt->role = role;
          rt->order = (uint32_t)(e->role_titles.len - 1);
          rt->syms = arena_alloc(&e->ar, sizeof(uint32_t) * (size_t)nt);
          int k = 0;
          for (int i = 0; i < nt; i++) {
            if (kinds[i] == TK_PUNCT && strcmp(words[i]->norm, "-") == 0)
              continue;
            if (rt->syms)
              rt->syms[k++] = engine_sym(e, words[i]->key);
          }
          rt->ntok = (uint16_t)k;
        }
      }
      if (!semi)
        break;
      s = semi + 1;
    }
    return;
  }
  case GF_COUNTRIES: {
    if (!S_valid_alpha3(id)) {
      S_err(e, r, r->col[0], strlen(id), TIES_ESYNTAX,
            "country id '%s' is not an ISO 3166-1 alpha-3 code", id);
      return;
    }
    entity *ent = S_new_entity(e, r, id, TIES_COUNTRY);
    if (!ent)
      return;
    ent->country = ent->id;
    ent->alpha2 = arena_strdup(&e->ar, r->f[1]);
    ent->numeric = arena_strdup(&e->ar, r->f[2]);
    ent->label = arena_strdup(&e->ar, r->f[3]);
    ent->official = arena_strdup(&e->ar, r->f[4]);
    if (strlen(r->f[1]) != 2)
      S_err(e, r, r->col[1], strlen(r->f[1]), TIES_ESYNTAX,
            "alpha-2 code '%s' is not two letters", r->f[1]);
    S_add_name(e, lw, r, r->col[3], ent, r->f[3], HOW_NAME);
    S_add_list(e, lw, r, 4, ent, HOW_OFFICIAL);
    S_add_list(e, lw, r, 5, ent, HOW_ALIAS);
    S_add_list(e, lw, r, 6, ent, HOW_DEMONYM);
    S_add_list(e, lw, r, 7, ent, HOW_CAPITAL);
    return;
  }
  default:
    break;
  }
  static const char *const prefix[] = {[GF_ORGS] = "org:",
                                       [GF_OFFICIALS] = "person:",
                                       [GF_PLATFORMS] = "platform:",
                                       [GF_PLACES] = "place:"};
  static const int types[] = {[GF_ORGS] = TIES_ORG,
                              [GF_OFFICIALS] = TIES_PERSON,
                              [GF_PLATFORMS] = TIES_PLATFORM,
                              [GF_PLACES] = TIES_PLACE};
  if (!S_valid_slug(id, prefix[kind])) {
    S_err(e, r, r->col[0], strlen(id), TIES_ESYNTAX,
          "id '%s' is not '%s' followed by a lower-case slug", id,
          prefix[kind]);
    return;
  }
  entity *ent = S_new_entity(e, r, id, types[kind]);
  if (!ent)
    return;
  ent->label = arena_strdup(&e->ar, r->f[1]);
  switch (kind) {
  case GF_ORGS:
    ent->country = S_country_field(e, r, 2);
    ent->kind = arena_strdup(&e->ar, r->f[3]);
    S_add_name(e, lw, r, r->col[1], ent, r->f[1], HOW_NAME);
    S_add_list(e, lw, r, 4, ent, HOW_ALIAS);
    break;
  case GF_OFFICIALS:
    ent->short_name = arena_strdup(&e->ar, r->f[2]);
    ent->country = S_country_field(e, r, 3);
    S_add_name(e, lw, r, r->col[1], ent, r->f[1], HOW_NAME);
    S_add_list(e, lw, r, 4, ent, HOW_ALIAS);
    S_roles(e, r, 5, ent);
    break;
  case GF_PLATFORMS:
    ent->kind = arena_strdup(&e->ar, r->f[2]);
    ent->maker = arena_strdup(&e->ar, r->f[3]);
    ent->maker_country = S_country_field(e, r, 4);
    S_add_name(e, lw, r, r->col[1], ent, r->f[1], HOW_NAME);
    S_add_list(e, lw, r, 5, ent, HOW_ALIAS);
    break;
  case GF_PLACES:
    ent->kind = arena_strdup(&e->ar, r->f[2]);
    ent->country = S_country_field(e, r, 3);
    S_add_name(e, lw, r, r->col[1], ent, r->f[1], HOW_NAME);
    S_add_list(e, lw, r, 4, ent, HOW_ALIAS);
    break;
  }
}

static int S_format_of(const char *base) {
  for (size_t i = 0; i < TIES_ARRAY_LEN(S_formats); i++) {
    size_t n = strlen(S_formats[i].prefix);
    if (strncmp(base, S_formats[i].prefix, n) == 0 &&
        (base[n] == '.' || base[n] == '-' || base[n] == '_'))
      return (int)i;
  }
  return -1;
}

/* Rows of a file: lines that are neither blank nor comments, less the
 * header; counted before anything is loaded, to refuse at once. Returns
 * the 1-based line of the row that is limit+1-th, or 0. */
static unsigned S_line_over(const char *s, size_t len, size_t limit) {
  size_t rows = 0;
  unsigned line = 0;
  const char *end = s + len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    line++;
    if (le > s && s[0] != '#' && !(le - s == 1 && s[0] == '\r'))
      if (rows++ > limit) /* the header is the first */
        return line;
    s = nl ? nl + 1 : end;
  }
  return 0;
}

int gaz_load_buffer(ties_engine *e, ties_worker *lw, const char *path,
                    const char *text, size_t len) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  int fmt = S_format_of(base);
  char *fname = arena_strdup(&e->ar, path);
  if (fmt < 0) {
    diag_add(&e->diags, TIES_ERROR, TIES_EINVAL, fname, 0, 0, (size_t)-1, 0,
             NULL, 0,
             "unknown gazetteer file name: expected countries, organisations, "
             "officials, platforms, places or roles (then .tsv)");
    if (!e->status)
      e->status = TIES_EINVAL;
    return TIES_EINVAL;
  }
  const char **fp = vec_push(&e->gaz_files);
  if (fp)
    *fp = fname;
  sha256_update(&e->gaz_sha, strlen(base) + 1, (const uint8_t *)base);
  sha256_update(&e->gaz_sha, len, (const uint8_t *)text);

  size_t have = e->entities.len;
  size_t room = have < GAZ_MAX_ROWS ? GAZ_MAX_ROWS - have : 0;
  unsigned over = S_line_over(text, len, room);
  if (over) {
    diag_add(&e->diags, TIES_ERROR, TIES_ELIMIT, fname, over, 0, (size_t)-1, 0,
             NULL, 0,
             "more than %d gazetteer rows in all (%zu loaded before this "
             "file): keep the entities the rules need",
             GAZ_MAX_ROWS, have);
    if (!e->status)
      e->status = TIES_ELIMIT;
    return TIES_ELIMIT;
  }

  const char *const *cols = S_formats[fmt].cols;
  int ncols = 0;
  while (cols[ncols])
    ncols++;
  int map[16];
  int nh = 0; /* fields of the header: every row has as many */
  bool have_header = false;
  unsigned line = 0, n_errors = 0;
  /* one line at a time in a scratch copy: rows keep what they need */
  buf scratch = BUF_INIT;
  const char *s = text, *end = text + len;
  while (s < end && n_errors <= e->set.max_errors) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    line++;
    size_t ll = (size_t)(le - s);
    if (ll && s[ll - 1] == '\r')
      ll--;
    row r = {0};
    r.file = fname;
    r.line = line;
    r.text = s;
    r.text_len = ll;
    r.n_errors = &n_errors;
    if (ll == 0 || s[0] == '#') {
      s = nl ? nl + 1 : end;
      continue;
    }
    /* Split on tabs. */
    buf_clear(&scratch);
    buf_put(&scratch, s, ll);
    if (scratch.failed)
      break;
    char *copy = scratch.p;
    int nf = 0;
    char *p = copy;
    for (;;) {
      char *tab = memchr(p, '\t', (size_t)(copy + ll - p));
      if (nf < 16) {
        r.f[nf] = p;
        r.col[nf] = (unsigned)(p - copy) + 1;
      }
      nf++;
      if (!tab)
        break;
      *tab = 0;
      p = tab + 1;
    }
    r.n = nf < 16 ? nf : 16;
    if (!have_header) {
      have_header = true;
      nh = nf;
      for (int c = 0; c < ncols; c++) {
        map[c] = -1;
        for (int j = 0; j < r.n; j++)
          if (strcmp(r.f[j], cols[c]) == 0)
            map[c] = j;
        if (map[c] < 0) {
          S_err(e, &r, 1, ll, TIES_ESYNTAX,
                "header row lacks the column '%s' (expected: %s%s%s%s%s%s%s%s)",
                cols[c], cols[0], ncols > 1 ? " " : "", ncols > 1 ? cols[1] : "",
                ncols > 2 ? " " : "", ncols > 2 ? cols[2] : "",
                ncols > 3 ? " ..." : "", "", "");
          buf_free(&scratch);
          return TIES_ESYNTAX;
        }
      }
      s = nl ? nl + 1 : end;
      continue;
    }
    if (nf != nh) {
      /* (a header may have more columns than the format's: map[] points
       * into the whole row) */
      unsigned col = nf > nh && nh < 16 ? r.col[nh] : (unsigned)ll + 1;
      S_err(e, &r, col, 1, TIES_ESYNTAX,
            "expected %d tab-separated fields, found %d", nh, nf);
      s = nl ? nl + 1 : end;
      continue;
    }
    /* Reorder fields to the canonical order. */
    row q = r;
    for (int c = 0; c < ncols; c++) {
      q.f[c] = r.f[map[c]];
      q.col[c] = r.col[map[c]];
    }
    q.n = ncols;
    for (int c = 0; c < ncols; c++) {
      /* trim spaces */
      char *v = q.f[c];
      while (*v == ' ') {
        v++;
        q.col[c]++;
      }
      size_t vn = strlen(v);
      while (vn && v[vn - 1] == ' ')
        v[--vn] = 0;
      q.f[c] = v;
    }
    if (!*q.f[0]) {
      S_err(e, &q, 1, 1, TIES_ESYNTAX, "empty id");
    } else {
      S_row(e, lw, S_formats[fmt].kind, &q);
    }
    s = nl ? nl + 1 : end;
  }
  buf_free(&scratch);
  if (!have_header)
    diag_add(&e->diags, TIES_WARNING, TIES_OK, fname, 0, 0, (size_t)-1, 0, NULL,
             0, "no header row: file is empty");
  return TIES_OK;
}

static int S_load_file(ties_engine *e, ties_worker *lw, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (S_format_of(base) < 0) /* reported by gaz_load_buffer */
    return gaz_load_buffer(e, lw, path, "", 0);
  FILE *f = fopen(path, "rb");
  if (!f) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot read: %s", strerror(errno));
    if (!e->status)
      e->status = TIES_EIO;
    return TIES_EIO;
  }
  buf content = BUF_INIT;
  char chunk[65536];
  size_t got;
  bool big = false;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (content.len + got > GAZ_MAX_FILE_BYTES) {
      big = true;
      break;
    }
    buf_put(&content, chunk, got);
  }
  int err = ferror(f) ? (errno ? errno : EIO) : 0;
  fclose(f);
  if (err || big || content.failed) {
    if (err)
      diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0,
               NULL, 0, "cannot read: %s", strerror(err));
    else if (big)
      diag_add(&e->diags, TIES_ERROR, TIES_ELIMIT, path, 0, 0, (size_t)-1, 0,
               NULL, 0, "gazetteer file larger than the limit of %zu MiB",
               GAZ_MAX_FILE_BYTES >> 20);
    else
      diag_add(&e->diags, TIES_ERROR, TIES_ENOMEM, path, 0, 0, (size_t)-1, 0,
               NULL, 0, "out of memory reading the file");
    int code = err ? TIES_EIO : big ? TIES_ELIMIT : TIES_ENOMEM;
    if (!e->status)
      e->status = code;
    buf_free(&content);
    return code;
  }
  int rc = gaz_load_buffer(e, lw, path, buf_cstr(&content), content.len);
  buf_free(&content);
  return rc;
}

static int S_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Order: countries first (other files refer to them), roles, the rest. */
static int S_rank(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!strncmp(base, "countries", 9))
    return 0;
  if (!strncmp(base, "roles", 5))
    return 1;
  return 2;
}

int gaz_load_dir(ties_engine *e, const char *path) {
  ties_worker *lw = engine_load_worker(e);
  if (!lw)
    return e->status ? e->status : TIES_EDEPEND;
  DIR *dir = opendir(path);
  if (!dir) {
    if (errno == ENOTDIR)
      return S_load_file(e, lw, path);
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "cannot open gazetteer directory: %s", strerror(errno));
    if (!e->status)
      e->status = TIES_EIO;
    return TIES_EIO;
  }
  vec files;
  vec_init(&files, sizeof(char *));
  struct dirent *de;
  while ((de = readdir(dir))) {
    size_t n = strlen(de->d_name);
    if (n < 5 || strcmp(de->d_name + n - 4, ".tsv") != 0 || de->d_name[0] == '.')
      continue;
    char **p = vec_push(&files);
    if (p)
      *p = arena_printf(&e->ar, "%s/%s", path, de->d_name);
  }
  closedir(dir);
  if (files.len > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(files.p, files.len, sizeof(char *), S_cmp_str);
  int rc = TIES_OK;
  for (int pass = 0; pass < 3; pass++)
    for (size_t i = 0; i < files.len; i++) {
      const char *f = VEC_AT(&files, char *, i);
      if (S_rank(f) != pass)
        continue;
      int r = S_load_file(e, lw, f);
      if (r && !rc)
        rc = r;
    }
  if (!files.len) {
    diag_add(&e->diags, TIES_ERROR, TIES_EIO, path, 0, 0, (size_t)-1, 0, NULL,
             0, "no *.tsv gazetteer files in this directory");
    rc = TIES_EIO;
    if (!e->status)
      e->status = rc;
  }
  vec_free(&files);
  return rc;
}

/* ---- freezing ---------------------------------------------------------- */

static int S_cmp_edge(const void *a, const void *b) {
  const bedge *x = a, *y = b;
  if (x->parent != y->parent)
    return x->parent < y->parent ? -1 : 1;
  return x->sym < y->sym ? -1 : x->sym > y->sym;
}

static int S_how_rank(int how) {
  switch (how) {
  case HOW_NAME: return 0;
  case HOW_OFFICIAL: return 1;
  case HOW_ALIAS: return 2;
  case HOW_CAPITAL: return 3;
  case HOW_DEMONYM: return 4;
  default: return 5;
  }
}

static int S_cmp_entry(const void *a, const void *b) {
  const bentry *x = a, *y = b;
  if (x->node != y->node)
    return x->node < y->node ? -1 : 1;
  /* Countries before bodies before people before things before places;
   * then names before aliases; then load order (entity index). */
  int tx = x->ent.e->type, ty = y->ent.e->type;
  if (tx != ty)
    return tx < ty ? -1 : 1;
  int hx = S_how_rank(x->ent.how), hy = S_how_rank(y->ent.how);
  if (hx != hy)
    return hx < hy ? -1 : 1;
  return x->ent.e->index < y->ent.e->index ? -1 : x->ent.e->index > y->ent.e->index;
}

/* Role titles by first word, so that the resolver looks only at the titles
 * that can start at a token. */
static int S_cmp_title(const void *a, const void *b) {
  const role_title *x = a, *y = b;
  uint32_t fx = x->ntok ? x->syms[0] : 0, fy = y->ntok ? y->syms[0] : 0;
  if (fx != fy)
    return fx < fy ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

int gaz_freeze(ties_engine *e) {
  gazetteer *g = &e->gz;
  if (e->role_titles.len > 1)
    qsort(e->role_titles.p, e->role_titles.len, sizeof(role_title), S_cmp_title);
  gz_build *b = S_build(e);
  if (!b)
    return TIES_ENOMEM;
  size_t nn = b->n_nodes;
  g->n_nodes = nn;
  g->node = calloc(nn, sizeof(gz_node));
  size_t ne = b->edge_list.len;
  g->child_sym = malloc((ne ? ne : 1) * sizeof(uint32_t));
  g->child_node = malloc((ne ? ne : 1) * sizeof(uint32_t));
  g->entries = malloc((b->entries.len ? b->entries.len : 1) * sizeof(gz_entry));
  if (!g->node || !g->child_sym || !g->child_node || !g->entries)
    return TIES_ENOMEM;
  if (ne > 1) /* an empty gazetteer has no array to sort */
    qsort(b->edge_list.p, ne, sizeof(bedge), S_cmp_edge);
  for (size_t i = 0; i < ne; i++) {
    bedge *ed = &VEC_AT(&b->edge_list, bedge, i);
    gz_node *p = &g->node[ed->parent];
    if (p->nchild == 0)
      p->child0 = (uint32_t)i;
    p->nchild++;
    g->child_sym[i] = ed->sym;
    g->child_node[i] = ed->child;
  }
  /* the words of names after their first, for a quick test per token */
  g->n_next_sym = e->syms.n + 1;
  g->next_sym = calloc(g->n_next_sym / 8 + 1, 1);
  if (!g->next_sym)
    return TIES_ENOMEM;
  for (size_t i = 0; i < ne; i++) {
    const bedge *ed = &VEC_AT(&b->edge_list, bedge, i);
    if (ed->parent && ed->sym < g->n_next_sym)
      g->next_sym[ed->sym / 8] |= (uint8_t)(1u << (ed->sym % 8));
  }
  if (b->entries.len > 1)
    qsort(b->entries.p, b->entries.len, sizeof(bentry), S_cmp_entry);
  g->n_entries = b->entries.len;
  for (size_t i = 0; i < b->entries.len; i++) {
    bentry *be = &VEC_AT(&b->entries, bentry, i);
    gz_node *p = &g->node[be->node];
    if (p->nentry == 0)
      p->entry0 = (uint32_t)i;
    p->nentry++;
    g->entries[i] = be->ent;
  }
  strmap_free(&b->edges);
  vec_free(&b->edge_list);
  vec_free(&b->entries);
  arena_free(&b->keys);
  free(b);
  g->build_children.p = NULL;
  return TIES_OK;
}

void gaz_free(gazetteer *g);
void gaz_free(gazetteer *g) {
  gz_build *b = g->build_children.p;
  if (b) {
    strmap_free(&b->edges);
    vec_free(&b->edge_list);
    vec_free(&b->entries);
    arena_free(&b->keys);
    free(b);
  }
  free(g->node);
  free(g->child_sym);
  free(g->child_node);
  free(g->entries);
  free(g->next_sym);
  memset(g, 0, sizeof *g);
}

/* ---- matching ---------------------------------------------------------- */

static uint32_t S_find_child(const gazetteer *g, uint32_t node, uint32_t sym) {
  const gz_node *n = &g->node[node];
  uint32_t lo = n->child0, hi = n->child0 + n->nchild;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (g->child_sym[mid] < sym)
      lo = mid + 1;
    else if (g->child_sym[mid] > sym)
      hi = mid;
    else
      return g->child_node[mid];
  }
  return 0;
}

uint32_t gaz_root_child(const ties_engine *e, uint32_t sym) {
  return e->gz.n_nodes && sym ? S_find_child(&e->gz, 0, sym) : 0;
}

/* A hyphen between two words with no space around it: optional. */
static bool S_soft_hyphen(const ties_doc *d, uint32_t i, uint32_t lo,
                          uint32_t hi) {
  const tok *t = DOC_TOK(d, i);
  if (t->kind != TK_PUNCT || t->w->norm[0] != '-' || t->w->norm[1])
    return false;
  if (i <= lo || i + 1 >= hi)
    return false;
  const tok *n = DOC_TOK(d, i + 1);
  return !(t->flags & TF_SPACE_BEFORE) && !(n->flags & TF_SPACE_BEFORE);
}

static bool S_case_ok(const gz_entry *en, const tok *const *toks) {
  for (int i = 0; i < en->ntok; i++) {
    const wordrec *w = toks[i]->w;
    switch (en->cases[i]) {
    case CASE_ANY:
      break;
    case CASE_INITCAP:
      if (!(w->shape & (WS_INITCAP | WS_ALLCAPS)))
        return false;
      break;
    case CASE_EXACT:
      if (en->surfaces && (w->shape & WS_MIXED || !(w->shape & WS_ALLCAPS))) {
        if (strcmp(w->surface, en->surfaces[i]) != 0)
          return false;
      } else if (!(w->shape & WS_ALLCAPS)) {
        return false;
      }
      break;
    }
  }
  return true;
}

const gz_entry *gaz_one_word(const ties_engine *e, const wordrec *r) {
  const gazetteer *g = &e->gz;
  const gz_node *n = &g->node[r->gaz_root];
  tok t = {0};
  t.w = r;
  const tok *path[1] = {&t};
  for (uint32_t k = 0; k < n->nentry; k++) {
    const gz_entry *en = &g->entries[n->entry0 + k];
    if (en->ntok == 1 && S_case_ok(en, path))
      return en;
  }
  return NULL;
}

bool gaz_next_word(const ties_engine *e, const wordrec *r, int kind) {
  const gazetteer *g = &e->gz;
  if (kind == TK_PUNCT && !strcmp(r->norm, "-")) /* S_soft_hyphen */
    return true;
  return g->next_sym && r->key_sym < g->n_next_sym &&
         (g->next_sym[r->key_sym / 8] & (1u << (r->key_sym % 8)));
}

/* Longest match starting at token i within [i, hi): returns the end token
 * (exclusive) and the entry, or 0. */
uint32_t gaz_longest(const ties_doc *d, uint32_t i, uint32_t hi,
                     const gz_entry **out);
uint32_t gaz_longest(const ties_doc *d, uint32_t i, uint32_t hi,
                     const gz_entry **out) {
  const gazetteer *g = &d->e->gz;
  if (!g->n_nodes)
    return 0;
  /* most words begin no name (resolve_freeze marks those that do, and
   * worker_word keeps their node under the root) */
  if (d->e->gaz_first && !(DOC_TOK(d, i)->rw & RB_GAZ_FIRST))
    return 0;
  const wordrec *w0 = DOC_TOK(d, i)->w;
  /* the words after the first: most are none of a name's later words, as
   * the token's RB_GAZ_NEXT bit says without reading the record */
  const uint16_t next = g->next_sym ? RB_GAZ_NEXT : 0;
  uint32_t node = 0, best_end = 0;
  const gz_entry *best = NULL;
  const tok *path[64];
  int depth = 0;
  for (uint32_t j = i; j < hi && depth < 64; j++) {
    const tok *t = DOC_TOK(d, j);
    if (j > i) {
      if (next && !(t->rw & next))
        break;
      if (S_soft_hyphen(d, j, i, hi))
        continue;
    } else if (w0->gaz_root) {
      /* the first word's node, and the one-word name it is, were looked
       * up once for the word (gaz_root_child, gaz_one_word) */
      node = w0->gaz_root;
      path[depth++] = t;
      if (w0->gaz_one) {
        best = w0->gaz_one;
        best_end = j + 1;
      }
      continue;
    }
    uint32_t sym = t->w->key_sym;
    if (!sym)
      break;
    node = S_find_child(g, node, sym);
    if (!node)
      break;
    path[depth++] = t;
    const gz_node *n = &g->node[node];
    for (uint32_t k = 0; k < n->nentry; k++) {
      const gz_entry *en = &g->entries[n->entry0 + k];
      if (en->ntok == depth && S_case_ok(en, path)) {
        best = en;
        best_end = j + 1;
        break;
      }
    }
  }
  *out = best;
  return best ? best_end : 0;
}

/* A new mention at the end of d->mentions, every field zero; NULL when out
 * of memory. Room for a mention per 4 tokens (names are about one in 7) is
 * made at once: the list starts empty in every document, and doubling
 * from 16 cost a copy per step. */
static mention *S_new_mention(ties_doc *d) {
  vec *v = &d->mentions;
  if (v->len == v->cap &&
      !vec_reserve(v, v->cap ? v->cap * 2 : d->toks.len / 4 + 16))
    return NULL;
  mention *m = &VEC_AT(v, mention, v->len++);
  *m = (mention){0};
  return m;
}

void gaz_match_doc(ties_doc *d) {
  size_t ns = d->sents.len;
  /* Most words begin no name: gaz_longest() tells them by the token's
   * RB_GAZ_FIRST bit, tested here so that they cost no call. Without the
   * gazetteer's bits (gaz_first) every word is tried; without names none. */
  const bool names = d->e->gz.n_nodes != 0;
  const uint16_t first = d->e->gaz_first ? RB_GAZ_FIRST : 0;
  for (size_t si = 0; si < ns; si++) {
    const sent *s = DOC_SENT(d, si);
    for (uint32_t i = s->t0; i < s->t1;) {
      const tok *t = DOC_TOK(d, i);
      if (t->kind == TK_MONEY) {
        mention *m = S_new_mention(d);
        if (m) {
          m->t0 = i;
          m->t1 = i + 1;
          m->sent = (uint32_t)si;
          m->type = TIES_MONEY;
          m->how = HOW_VALUE;
        }
        i++;
        continue;
      }
      if (!names || (first && !(t->rw & first))) {
        i++;
        continue;
      }
      const gz_entry *en;
      uint32_t end = gaz_longest(d, i, s->t1, &en);
      if (!end) {
        i++;
        continue;
      }
      mention *m = S_new_mention(d);
      if (!m) {
        d->status = TIES_ENOMEM;
        return;
      }
      m->t0 = i;
      m->t1 = end;
      m->sent = (uint32_t)si;
      m->e = en->e;
      m->type = en->e->type;
      m->how = en->how == HOW_OFFICIAL ? HOW_NAME : en->how;
      if (en->e->type == TIES_COUNTRY && en->how == HOW_NAME)
        m->how = HOW_NAME;
      m->generic = en->generic;
      i = end;
    }
  }
}
