/*
 * store.c — the embedded SQLite store of `ties extract --db FILE` and
 * `ties db` (interface in store.h).
 *
 * Tables (PRAGMA user_version = S_SCHEMA, application_id 'ties'):
 *
 *   documents   one row per document name: path, SHA-256 of its bytes, the
 *               rules and gazetteer hashes that read it, its date, counts
 *               and the time of extraction
 *   entities    id, type, label, country, kind (and ISO codes, maker) —
 *               from the gazetteers, else from a mention, else from the id
 *               alone; `source` says which
 *   mentions    (doc, seq): sentence, byte span, words, entity or value, how
 *   triples     (doc, seq): subject predicate object, their countries, the
 *               qualifiers (item, amount, date), modality and cue, and the
 *               provenance: rule, rule file:line, sentence, byte span,
 *               evidence, ruleset hash
 *   predicates  name, symmetric, definition (rules/relations.tsv)
 *
 * and views for the common questions: v_triples (everything, with labels
 * and a year), v_transfers (donated/sold/pledged_aid with item and
 * amount), v_predicate_year, v_country_triples and v_country_edges
 * (rolled up to states; bodies without a state kept as themselves;
 * platforms left out), v_entities (with counts).
 *
 * Consistency: WAL journal, synchronous=NORMAL, foreign keys on (rows of a
 * document cascade from it). A document's rows are replaced in one
 * BEGIN IMMEDIATE ... COMMIT, rolled back on any error, so a crash or a
 * SIGKILL leaves every document as it was or as it is now; the next opener
 * recovers the WAL. (NORMAL in WAL mode may lose the last commits on a
 * power failure, never consistency.) Entities no document refers to any
 * more are pruned when a run that replaced documents closes, and by rm.
 */
#include "store.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void ties_sha256_text(const void *p, size_t n, char out[65]) {
  struct sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, n, p);
  sha256_hex(&c, out);
}

#define S_SCHEMA 2 /* 2: documents.options */
#define S_APP_ID 0x74696573 /* 'ties' */

/* The schema, one statement per string (each under C's 4095 bytes). */
static const char *const S_schema_sql[] = {
    "CREATE TABLE documents(\n"
    "  id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused\n"
    "  name            TEXT NOT NULL UNIQUE,  -- the doc column of the output\n"
    "  path            TEXT NOT NULL,         -- where it was read from\n"
    "  content_hash    TEXT NOT NULL,         -- SHA-256 of its bytes\n"
    "  rules_hash      TEXT NOT NULL,         -- SHA-256 of the rules that read it\n"
    "  gazetteers_hash TEXT NOT NULL,         -- SHA-256 of the gazetteers\n"
    "  date            TEXT NOT NULL,         -- document date YYYY-MM-DD, '' unknown\n"
    "  main_actor      TEXT NOT NULL,         -- actor of elided subjects\n"
    "  options         TEXT NOT NULL DEFAULT '', -- options that change the triples\n"
    "  bytes           INTEGER NOT NULL,\n"
    "  n_mentions      INTEGER NOT NULL,\n"
    "  n_triples       INTEGER NOT NULL,\n"
    "  ties_version    TEXT NOT NULL,\n"
    "  extracted_at    TEXT NOT NULL          -- UTC, ISO 8601\n"
    ");\n",
    "CREATE TABLE entities(\n"
    "  id            TEXT PRIMARY KEY,        -- CHN, org:plan, person:wang-yi ...\n"
    "  type          TEXT NOT NULL,           -- COUNTRY ORG PERSON PLATFORM PLACE\n"
    "  label         TEXT NOT NULL,\n"
    "  country       TEXT NOT NULL,           -- the state it acts for, '' none\n"
    "  kind          TEXT NOT NULL,           -- org/platform/place kind, ''\n"
    "  iso_alpha2    TEXT NOT NULL,           -- countries\n"
    "  iso_numeric   TEXT NOT NULL,\n"
    "  maker         TEXT NOT NULL,           -- platforms\n"
    "  maker_country TEXT NOT NULL,\n"
    "  source        TEXT NOT NULL            -- gazetteer, mention or id\n"
    ");\n",
    "CREATE TABLE mentions(\n"
    "  doc        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  seq        INTEGER NOT NULL,\n"
    "  sentence   INTEGER NOT NULL,\n"
    "  byte_start INTEGER NOT NULL,\n"
    "  byte_end   INTEGER NOT NULL,\n"
    "  text       TEXT NOT NULL,\n"
    "  type       TEXT NOT NULL,\n"
    "  entity     TEXT REFERENCES entities(id), -- NULL for MONEY and DATE\n"
    "  value      TEXT NOT NULL,                -- MONEY and DATE: the value\n"
    "  how        TEXT NOT NULL,\n"
    "  PRIMARY KEY(doc, seq)\n"
    ") WITHOUT ROWID;\n",
    "CREATE INDEX mentions_entity ON mentions(entity);\n",
    "CREATE TABLE triples(\n"
    "  id              INTEGER PRIMARY KEY,\n"
    "  doc             INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  seq             INTEGER NOT NULL,      -- order of extraction in the doc\n"
    "  sentence        INTEGER NOT NULL,\n"
    "  byte_start      INTEGER NOT NULL,      -- the evidence in the file\n"
    "  byte_end        INTEGER NOT NULL,\n"
    "  subject         TEXT NOT NULL REFERENCES entities(id),\n"
    "  predicate       TEXT NOT NULL,\n"
    "  object          TEXT NOT NULL REFERENCES entities(id),\n"
    "  subject_country TEXT NOT NULL,\n"
    "  object_country  TEXT NOT NULL,\n"
    "  modality        TEXT NOT NULL,         -- asserted, or why not\n"
    "  cue             TEXT NOT NULL,\n"
    "  item            TEXT NOT NULL,         -- qualifiers, '' when not given\n"
    "  amount          TEXT NOT NULL,\n"
    "  date            TEXT NOT NULL,\n"
    "  rule            TEXT NOT NULL,\n"
    "  rule_file       TEXT NOT NULL,\n"
    "  rule_line       INTEGER NOT NULL,\n"
    "  evidence        TEXT NOT NULL,\n"
    "  ruleset         TEXT NOT NULL,         -- SHA-256 of the rule set\n"
    "  UNIQUE(doc, seq)\n"
    ");\n",
    "CREATE INDEX triples_subject ON triples(subject);\n",
    "CREATE INDEX triples_object ON triples(object);\n",
    "CREATE INDEX triples_predicate ON triples(predicate);\n",
    "CREATE TABLE predicates(\n"
    "  name       TEXT PRIMARY KEY,\n"
    "  symmetric  INTEGER NOT NULL,\n"
    "  definition TEXT NOT NULL\n"
    ");\n",
    /* every triple with labels and a year: the date qualifier's, else the
     * document's */
    "CREATE VIEW v_triples AS\n"
    "SELECT d.name AS doc, t.seq, t.sentence, t.byte_start, t.byte_end,\n"
    "  t.subject, s.label AS subject_label, s.type AS subject_type,\n"
    "  t.predicate, t.object, o.label AS object_label, o.type AS object_type,\n"
    "  t.subject_country, t.object_country, t.item, t.amount, t.date,\n"
    "  CASE WHEN t.date GLOB '[0-9][0-9][0-9][0-9]*'\n"
    "         THEN CAST(substr(t.date, 1, 4) AS INTEGER)\n"
    "       WHEN d.date GLOB '[0-9][0-9][0-9][0-9]*'\n"
    "         THEN CAST(substr(d.date, 1, 4) AS INTEGER) END AS year,\n"
    "  t.modality, t.cue, t.rule, t.rule_file || ':' || t.rule_line AS rule_source,\n"
    "  t.evidence, t.ruleset\n"
    "FROM triples t JOIN documents d ON d.id = t.doc\n"
    "LEFT JOIN entities s ON s.id = t.subject\n"
    "LEFT JOIN entities o ON o.id = t.object;\n",
    /* who gave what to whom */
    "CREATE VIEW v_transfers AS\n"
    "SELECT t.doc, t.year, t.subject AS giver, t.subject_label AS giver_label,\n"
    "  t.subject_country AS giver_country, t.predicate,\n"
    "  t.object AS recipient, t.object_label AS recipient_label,\n"
    "  t.object_country AS recipient_country,\n"
    "  t.item, i.label AS item_label, t.amount,\n"
    "  CASE WHEN instr(t.amount, ' ') > 0\n"
    "    THEN substr(t.amount, 1, instr(t.amount, ' ') - 1) END AS currency,\n"
    "  CASE WHEN instr(t.amount, ' ') > 0\n"
    "    THEN CAST(substr(t.amount, instr(t.amount, ' ') + 1) AS NUMERIC)\n"
    "    END AS amount_value,\n"
    "  t.date, t.evidence, t.rule_source\n"
    "FROM v_triples t LEFT JOIN entities i ON i.id = t.item\n"
    "WHERE t.predicate IN ('donated', 'sold', 'pledged_aid')\n"
    "  AND t.modality = 'asserted';\n",
    "CREATE VIEW v_predicate_year AS\n"
    "SELECT predicate, year, count(*) AS triples, count(DISTINCT doc) AS documents\n"
    "FROM v_triples WHERE modality = 'asserted'\n"
    "GROUP BY predicate, year ORDER BY predicate, year;\n",
    /* each asserted triple at state level: an organisation or person
     * becomes the state it acts for, a body without one stays itself,
     * platforms are left out, and so is a triple within one state */
    "CREATE VIEW v_country_triples AS\n"
    "SELECT * FROM (\n"
    "  SELECT t.doc, t.year,\n"
    "    CASE WHEN t.subject_country <> '' THEN t.subject_country\n"
    "         WHEN t.subject_type IS NOT 'PLATFORM' THEN t.subject END AS source,\n"
    "    t.predicate,\n"
    "    CASE WHEN t.object_country <> '' THEN t.object_country\n"
    "         WHEN t.object_type IS NOT 'PLATFORM' THEN t.object END AS target,\n"
    "    t.subject, t.object, t.evidence, t.rule_source\n"
    "  FROM v_triples t WHERE t.modality = 'asserted')\n"
    "WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target;\n",
    /* edges between states, counted; symmetric predicates in one order */
    "CREATE VIEW v_country_edges AS\n"
    "SELECT x.source, sl.label AS source_label, x.predicate, x.target,\n"
    "  tl.label AS target_label, x.symmetric, count(*) AS triples,\n"
    "  count(DISTINCT x.doc) AS documents,\n"
    "  min(x.year) AS first_year, max(x.year) AS last_year\n"
    "FROM (SELECT c.doc, c.year, c.predicate, coalesce(p.symmetric, 0) AS symmetric,\n"
    "        CASE WHEN p.symmetric AND c.target < c.source\n"
    "          THEN c.target ELSE c.source END AS source,\n"
    "        CASE WHEN p.symmetric AND c.target < c.source\n"
    "          THEN c.source ELSE c.target END AS target\n"
    "      FROM v_country_triples c LEFT JOIN predicates p ON p.name = c.predicate) x\n"
    "LEFT JOIN entities sl ON sl.id = x.source\n"
    "LEFT JOIN entities tl ON tl.id = x.target\n"
    "GROUP BY x.source, x.predicate, x.target\n"
    "ORDER BY x.source, x.predicate, x.target;\n",
    "CREATE VIEW v_entities AS\n"
    "SELECT e.id, e.type, e.label, e.country, e.kind,\n"
    "  (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS mentions,\n"
    "  (SELECT count(*) FROM triples t WHERE t.subject = e.id) AS as_subject,\n"
    "  (SELECT count(*) FROM triples t WHERE t.object = e.id) AS as_object\n"
    "FROM entities e;\n",
};

/* Entities no row refers to any more (after documents were replaced or
 * removed). NOT IN over one materialised set: one pass, not one per row. */
static const char S_prune_sql[] =
    "DELETE FROM entities WHERE id NOT IN ("
    " SELECT subject FROM triples UNION SELECT object FROM triples"
    " UNION SELECT item FROM triples UNION SELECT subject_country FROM triples"
    " UNION SELECT object_country FROM triples"
    " UNION SELECT entity FROM mentions WHERE entity IS NOT NULL"
    " UNION SELECT country FROM entities UNION SELECT maker FROM entities)";

/* Prepared statements, made on first use. */
enum {
  ST_UNCHANGED,
  ST_DEL_DOC,
  ST_INS_DOC,
  ST_ENTITY,
  ST_MENTION,
  ST_TRIPLE,
  ST__COUNT
};

static const char *const S_sql[ST__COUNT] = {
    "SELECT 1 FROM documents WHERE name = ?1 AND content_hash = ?2"
    " AND rules_hash = ?3 AND gazetteers_hash = ?4 AND options = ?5",
    "DELETE FROM documents WHERE name = ?1",
    "INSERT INTO documents(name, path, content_hash, rules_hash,"
    " gazetteers_hash, date, main_actor, bytes, n_mentions, n_triples,"
    " ties_version, extracted_at, options)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    /* better sources win: gazetteer > mention > id; the gazetteers' own
     * record is refreshed when it changed; a state learnt later fills in */
    "INSERT INTO entities(id, type, label, country, kind, iso_alpha2,"
    " iso_numeric, maker, maker_country, source)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT(id) DO UPDATE SET type = excluded.type,"
    " label = excluded.label, country = excluded.country,"
    " kind = excluded.kind, iso_alpha2 = excluded.iso_alpha2,"
    " iso_numeric = excluded.iso_numeric, maker = excluded.maker,"
    " maker_country = excluded.maker_country, source = excluded.source"
    " WHERE (CASE excluded.source WHEN 'gazetteer' THEN 2 WHEN 'mention' THEN 1"
    "        ELSE 0 END) >"
    "       (CASE entities.source WHEN 'gazetteer' THEN 2 WHEN 'mention' THEN 1"
    "        ELSE 0 END)"
    " OR (excluded.source = 'gazetteer' AND entities.source = 'gazetteer'"
    "     AND (entities.type, entities.label, entities.country, entities.kind,"
    "          entities.iso_alpha2, entities.iso_numeric, entities.maker,"
    "          entities.maker_country) IS NOT (excluded.type, excluded.label,"
    "          excluded.country, excluded.kind, excluded.iso_alpha2,"
    "          excluded.iso_numeric, excluded.maker, excluded.maker_country))"
    " OR (excluded.source = entities.source AND entities.country = ''"
    "     AND excluded.country <> '')",
    "INSERT INTO mentions(doc, seq, sentence, byte_start, byte_end, text, type,"
    " entity, value, how) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "INSERT INTO triples(doc, seq, sentence, byte_start, byte_end, subject,"
    " predicate, object, subject_country, object_country, modality, cue, item,"
    " amount, date, rule, rule_file, rule_line, evidence, ruleset)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    " ?16, ?17, ?18, ?19, ?20)",
};

struct store {
  sqlite3 *db;
  const ties_engine *e;       /* NULL for `ties db` */
  char rules_hash[65], gaz_hash[65];
  char options[512];          /* store_set_options */
  sqlite3_stmt *st[ST__COUNT];
  bool replaced;              /* documents were replaced: prune at close */
  /* store_claim: the names taken in this run, in a TEMP table (this
   * connection's: memory stays bounded however many documents a run has) */
  sqlite3_stmt *claim_put, *claim_get;
  /* store_put scratch */
  strmap done;                /* entity ids written in this transaction */
  strmap by_mention;          /* id → the doc's first ties_mention */
  arena tmp;
};

static void S_err(char *err, size_t errlen, const char *what, sqlite3 *db) {
  if (err && errlen)
    snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static int S_exec(store *s, const char *sql, char *err, size_t errlen) {
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    if (err && errlen)
      snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static sqlite3_stmt *S_stmt(store *s, int which) {
  if (!s->st[which] &&
      sqlite3_prepare_v3(s->db, S_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                         &s->st[which], NULL) != SQLITE_OK)
    return NULL;
  return s->st[which];
}

/* Step a write statement to its end and make it ready for the next use. */
static int S_run(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

static void S_text(sqlite3_stmt *st, int i, const char *v) {
  sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

/* One integer from a query, or def. */
static long long S_int(store *s, const char *sql, long long def) {
  sqlite3_stmt *st;
  long long v = def;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return def;
  if (sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static void S_free(store *s) {
  if (!s)
    return;
  for (int i = 0; i < ST__COUNT; i++)
    sqlite3_finalize(s->st[i]);
  sqlite3_finalize(s->claim_put);
  sqlite3_finalize(s->claim_get);
  sqlite3_close(s->db);
  strmap_free(&s->done);
  strmap_free(&s->by_mention);
  arena_free(&s->tmp);
  free(s);
}

static store *S_new(void) {
  store *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  strmap_init(&s->done);
  strmap_init(&s->by_mention);
  arena_init(&s->tmp);
  return s;
}

/* Check (or, when create, make) the ties schema. */
static int S_schema(store *s, bool create, char *err, size_t errlen) {
  /* the first read fails on a file that is not SQLite */
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW) {
    snprintf(err, errlen, "cannot read the store: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return -1;
  }
  int version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (version == 0 && create) {
    if (S_exec(s, "BEGIN IMMEDIATE", err, errlen))
      return -1;
    /* someone else may have made it meanwhile */
    version = (int)S_int(s, "PRAGMA user_version", 0);
    long long tables = S_int(s, "SELECT count(*) FROM sqlite_master", 0);
    if (version == 0 && tables == 0) {
      char pragma[96];
      snprintf(pragma, sizeof pragma,
               "PRAGMA user_version = %d; PRAGMA application_id = %d", S_SCHEMA,
               S_APP_ID);
      int bad = 0;
      for (size_t i = 0; i < TIES_ARRAY_LEN(S_schema_sql) && !bad; i++)
        bad = S_exec(s, S_schema_sql[i], err, errlen);
      if (bad || S_exec(s, pragma, err, errlen)) {
        S_exec(s, "ROLLBACK", NULL, 0);
        return -1;
      }
      version = S_SCHEMA;
    }
    if (S_exec(s, "COMMIT", err, errlen)) {
      S_exec(s, "ROLLBACK", NULL, 0);
      return -1;
    }
  }
  if (version == 0) {
    snprintf(err, errlen, "not a ties store (an SQLite database without the "
                          "ties schema)");
    return -1;
  }
  if (version == 1 && S_int(s, "PRAGMA application_id", 0) == S_APP_ID) {
    /* version 1 did not record the options a document was read with */
    if (S_exec(s, "BEGIN IMMEDIATE", err, errlen))
      return -1;
    if (S_int(s, "PRAGMA user_version", 0) == 1 &&
        (S_exec(s, "ALTER TABLE documents ADD COLUMN options TEXT NOT NULL DEFAULT ''",
                err, errlen) ||
         S_exec(s, "PRAGMA user_version = 2", err, errlen))) {
      S_exec(s, "ROLLBACK", NULL, 0);
      return -1;
    }
    if (S_exec(s, "COMMIT", err, errlen)) {
      S_exec(s, "ROLLBACK", NULL, 0);
      return -1;
    }
    version = 2;
  }
  if (version > S_SCHEMA) {
    snprintf(err, errlen, "store schema version %d is newer than this ties "
                          "understands (%d)", version, S_SCHEMA);
    return -1;
  }
  if (S_int(s, "PRAGMA application_id", 0) != S_APP_ID) {
    snprintf(err, errlen, "not a ties store (user_version %d but another "
                          "application_id)", version);
    return -1;
  }
  return 0;
}

static store *S_open(const char *path, bool create, char *err, size_t errlen) {
  store *s = S_new();
  if (!s) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open the store: %s",
             s->db ? sqlite3_errmsg(s->db) : "out of memory");
    S_free(s);
    return NULL;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, 10000);
  if (S_exec(s, "PRAGMA foreign_keys = ON", err, errlen) ||
      S_schema(s, create, err, errlen)) {
    S_free(s);
    return NULL;
  }
  /* WAL: readers never block the writer, and a killed writer leaves only
   * a log that the next opener rolls back or forward */
  sqlite3_stmt *st;
  bool wal = false;
  if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    wal = mode && !strcmp(mode, "wal");
  }
  sqlite3_finalize(st);
  if (!wal) {
    snprintf(err, errlen, "cannot switch the store to WAL mode: %s",
             sqlite3_errmsg(s->db));
    S_free(s);
    return NULL;
  }
  if (S_exec(s, "PRAGMA synchronous = NORMAL", err, errlen)) {
    S_free(s);
    return NULL;
  }
  return s;
}

/* The predicates of the rule set, for the views (symmetry) and export. */
static int S_put_predicates(store *s, char *err, size_t errlen) {
  const ties_engine *e = s->e;
  if (!e->preds.len)
    return 0;
  static const char sql[] =
      "INSERT INTO predicates(name, symmetric, definition) VALUES(?1, ?2, ?3)"
      " ON CONFLICT(name) DO UPDATE SET symmetric = excluded.symmetric,"
      " definition = excluded.definition"
      " WHERE (symmetric, definition) IS NOT (excluded.symmetric,"
      " excluded.definition)";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    S_err(err, errlen, "cannot store the predicates", s->db);
    return -1;
  }
  if (S_exec(s, "BEGIN IMMEDIATE", err, errlen)) {
    sqlite3_finalize(st);
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; i < e->preds.len && !rc; i++) {
    const predicate *p = VEC_AT(&e->preds, predicate *, i);
    S_text(st, 1, p->name);
    sqlite3_bind_int(st, 2, p->symmetric);
    S_text(st, 3, p->definition);
    rc = S_run(st);
  }
  if (rc)
    S_err(err, errlen, "cannot store the predicates", s->db);
  sqlite3_finalize(st);
  if (rc || S_exec(s, "COMMIT", err, errlen)) {
    S_exec(s, "ROLLBACK", NULL, 0);
    return -1;
  }
  return 0;
}

store *store_open(const char *path, const ties_engine *e, char *err,
                  size_t errlen) {
  store *s = S_open(path, true, err, errlen);
  if (!s)
    return NULL;
  s->e = e;
  if (e) {
    snprintf(s->rules_hash, sizeof s->rules_hash, "%s", ties_engine_rules_hash(e));
    snprintf(s->gaz_hash, sizeof s->gaz_hash, "%s", ties_engine_gazetteer_hash(e));
    if (S_put_predicates(s, err, errlen)) {
      S_free(s);
      return NULL;
    }
  }
  return s;
}

store *store_open_existing(const char *path, char *err, size_t errlen) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    snprintf(err, errlen, "%s", strerror(errno));
    return NULL;
  }
  if (!S_ISREG(sb.st_mode)) {
    snprintf(err, errlen, "not a file");
    return NULL;
  }
  return S_open(path, false, err, errlen);
}

void store_set_options(store *s, const char *options) {
  if (s)
    snprintf(s->options, sizeof s->options, "%s", options ? options : "");
}

bool store_unchanged(store *s, const char *name, const char *content_hash) {
  if (!s)
    return false;
  sqlite3_stmt *st = S_stmt(s, ST_UNCHANGED);
  if (!st)
    return false;
  S_text(st, 1, name);
  S_text(st, 2, content_hash);
  S_text(st, 3, s->rules_hash);
  S_text(st, 4, s->gaz_hash);
  S_text(st, 5, s->options);
  bool same = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return same;
}

int store_claim(store *s, const char *name, const char *key, const char *path,
                char *prev, size_t prevlen, char *err, size_t errlen) {
  if (!s->claim_put &&
      (sqlite3_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS run_names("
                           "name TEXT PRIMARY KEY, key TEXT NOT NULL,"
                           " path TEXT NOT NULL) WITHOUT ROWID",
                    NULL, NULL, NULL) != SQLITE_OK ||
       sqlite3_prepare_v2(s->db, "INSERT INTO temp.run_names(name, key, path)"
                                 " VALUES(?1, ?2, ?3) ON CONFLICT(name) DO NOTHING",
                          -1, &s->claim_put, NULL) != SQLITE_OK ||
       sqlite3_prepare_v2(s->db, "SELECT key, path FROM temp.run_names WHERE name = ?1",
                          -1, &s->claim_get, NULL) != SQLITE_OK)) {
    S_err(err, errlen, "cannot keep the document names of this run", s->db);
    sqlite3_finalize(s->claim_put);
    s->claim_put = NULL;
    return -1;
  }
  S_text(s->claim_put, 1, name);
  S_text(s->claim_put, 2, key);
  S_text(s->claim_put, 3, path);
  if (S_run(s->claim_put)) {
    S_err(err, errlen, "cannot keep the document names of this run", s->db);
    return -1;
  }
  if (sqlite3_changes(s->db) > 0)
    return 1;
  S_text(s->claim_get, 1, name);
  int rc = sqlite3_step(s->claim_get), r = -1;
  if (rc == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(s->claim_get, 0);
    r = k && !strcmp(k, key) ? 2 : 0;
    snprintf(prev, prevlen, "%s", (const char *)sqlite3_column_text(s->claim_get, 1));
  } else {
    S_err(err, errlen, "cannot keep the document names of this run", s->db);
  }
  sqlite3_reset(s->claim_get);
  sqlite3_clear_bindings(s->claim_get);
  return r;
}

/* ---- store_put ----------------------------------------------------------- */

static const char *S_or(const char *s) { return s ? s : ""; }

/* Make sure the entity id has a row, from the best source there is: the
 * gazetteers, a mention of this document, or the id alone (with the state
 * the triple gives). The states and makers it points at get rows too. */
static int S_entity(store *s, const char *id, const char *country, int depth) {
  if (!id || !*id)
    return 0;
  void **slot = strmap_slot(&s->done, id, strlen(id), &s->tmp);
  if (!slot)
    return -1;
  if (*slot)
    return 0;
  *slot = (void *)1;
  sqlite3_stmt *st = S_stmt(s, ST_ENTITY);
  if (!st)
    return -1;
  const entity *en = s->e ? engine_entity(s->e, id) : NULL;
  const ties_mention *m = en ? NULL : strmap_get(&s->by_mention, id, strlen(id));
  const char *ctry = "";
  S_text(st, 1, id);
  if (en) {
    ctry = S_or(en->country);
    S_text(st, 2, ties_etype_name((ties_etype)en->type));
    S_text(st, 3, en->label && *en->label ? en->label : id);
    S_text(st, 4, ctry);
    S_text(st, 5, en->kind);
    S_text(st, 6, en->type == TIES_COUNTRY ? en->alpha2 : "");
    S_text(st, 7, en->type == TIES_COUNTRY ? en->numeric : "");
    S_text(st, 8, en->type == TIES_PLATFORM ? en->maker : "");
    S_text(st, 9, en->type == TIES_PLATFORM ? en->maker_country : "");
    S_text(st, 10, "gazetteer");
  } else if (m) {
    ctry = m->country && *m->country ? m->country : S_or(country);
    S_text(st, 2, ties_etype_name(m->type));
    S_text(st, 3, m->label && *m->label ? m->label : id);
    S_text(st, 4, ctry);
    for (int i = 5; i <= 9; i++)
      S_text(st, i, "");
    S_text(st, 10, "mention");
  } else {
    int t = etype_of_id(id, TIES_NONE);
    ctry = t == TIES_COUNTRY ? id : S_or(country);
    S_text(st, 2, ties_etype_name((ties_etype)t));
    S_text(st, 3, id);
    S_text(st, 4, ctry);
    for (int i = 5; i <= 9; i++)
      S_text(st, i, "");
    S_text(st, 10, "id");
  }
  if (S_run(st))
    return -1;
  if (depth > 0)
    return 0;
  if (*ctry && strcmp(ctry, id) && S_entity(s, ctry, NULL, depth + 1))
    return -1;
  if (en && en->type == TIES_PLATFORM && en->maker && *en->maker &&
      S_entity(s, en->maker, en->maker_country, depth + 1))
    return -1;
  return 0;
}

static void S_now_utc(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int store_put(store *s, const char *name, const char *path,
              const char *content_hash, const ties_doc *d, char *err,
              size_t errlen) {
  if (!s || !d) {
    snprintf(err, errlen, "no store");
    return -1;
  }
  const char *what = "cannot start a transaction";
  if (S_exec(s, "BEGIN IMMEDIATE", err, errlen))
    return -1;
  strmap_clear(&s->done);
  strmap_clear(&s->by_mention);
  arena_reset(&s->tmp);
  size_t nm = ties_doc_n_mentions(d), nt = ties_doc_n_triples(d);
  sqlite3_stmt *st;

  /* the old version of the document goes, with its rows (cascade) */
  what = "cannot remove the old rows";
  if (!(st = S_stmt(s, ST_DEL_DOC)))
    goto fail;
  S_text(st, 1, name);
  if (S_run(st))
    goto fail;
  if (sqlite3_changes(s->db) > 0)
    s->replaced = true;

  what = "cannot store the document";
  if (!(st = S_stmt(s, ST_INS_DOC)))
    goto fail;
  char now[32];
  S_now_utc(now);
  S_text(st, 1, name);
  S_text(st, 2, path);
  S_text(st, 3, content_hash);
  S_text(st, 4, s->rules_hash);
  S_text(st, 5, s->gaz_hash);
  S_text(st, 6, ties_doc_date(d));
  S_text(st, 7, ties_doc_main_actor(d));
  sqlite3_bind_int64(st, 8, (sqlite3_int64)d->t.len);
  sqlite3_bind_int64(st, 9, (sqlite3_int64)nm);
  sqlite3_bind_int64(st, 10, (sqlite3_int64)nt);
  S_text(st, 11, ties_version_string());
  S_text(st, 12, now);
  S_text(st, 13, s->options);
  if (S_run(st))
    goto fail;
  sqlite3_int64 doc = sqlite3_last_insert_rowid(s->db);

  /* mentions, and the entities they name */
  for (size_t i = 0; i < nm; i++) {
    const ties_mention *m = ties_doc_mention(d, i);
    if (m->type == TIES_MONEY || m->type == TIES_DATE || !m->id || !*m->id)
      continue;
    void **slot = strmap_slot(&s->by_mention, m->id, strlen(m->id), &s->tmp);
    if (!slot) {
      what = "out of memory";
      goto fail;
    }
    if (!*slot)
      *slot = (void *)m;
  }
  what = "cannot store the mentions";
  for (size_t i = 0; i < nm; i++) {
    const ties_mention *m = ties_doc_mention(d, i);
    bool value = m->type == TIES_MONEY || m->type == TIES_DATE || !m->id ||
                 !*m->id;
    if (!value && S_entity(s, m->id, m->country, 0))
      goto fail;
    if (!(st = S_stmt(s, ST_MENTION)))
      goto fail;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    sqlite3_bind_int64(st, 3, m->sentence);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)m->start);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)m->end);
    S_text(st, 6, m->text);
    S_text(st, 7, ties_etype_name(m->type));
    if (value)
      sqlite3_bind_null(st, 8);
    else
      S_text(st, 8, m->id);
    S_text(st, 9, value ? m->id : "");
    S_text(st, 10, m->how);
    if (S_run(st))
      goto fail;
  }

  /* triples, and the entities they name */
  what = "cannot store the triples";
  for (size_t i = 0; i < nt; i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    if (S_entity(s, t->subject, t->subject_country, 0) ||
        S_entity(s, t->object, t->object_country, 0) ||
        S_entity(s, t->subject_country, NULL, 0) ||
        S_entity(s, t->object_country, NULL, 0))
      goto fail;
    if (t->item && *t->item && etype_of_id(t->item, TIES_NONE) != TIES_NONE &&
        S_entity(s, t->item, NULL, 0))
      goto fail;
    if (!(st = S_stmt(s, ST_TRIPLE)))
      goto fail;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    sqlite3_bind_int64(st, 3, t->sentence);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)t->start);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)t->end);
    S_text(st, 6, t->subject);
    S_text(st, 7, t->predicate);
    S_text(st, 8, t->object);
    S_text(st, 9, t->subject_country);
    S_text(st, 10, t->object_country);
    S_text(st, 11, t->modality);
    S_text(st, 12, t->cue);
    S_text(st, 13, t->item);
    S_text(st, 14, t->amount);
    S_text(st, 15, t->date);
    S_text(st, 16, t->rule);
    S_text(st, 17, t->rule_file);
    sqlite3_bind_int64(st, 18, t->rule_line);
    S_text(st, 19, t->evidence);
    S_text(st, 20, s->rules_hash);
    if (S_run(st))
      goto fail;
  }
  what = "cannot commit";
  if (S_exec(s, "COMMIT", err, errlen)) {
    S_exec(s, "ROLLBACK", NULL, 0);
    return -1;
  }
  return 0;

fail:
  S_err(err, errlen, what, s->db);
  S_exec(s, "ROLLBACK", NULL, 0);
  return -1;
}

static int S_prune(store *s, char *err, size_t errlen) {
  return S_exec(s, S_prune_sql, err, errlen);
}

int store_close(store *s) {
  if (!s)
    return 0;
  int rc = 0;
  if (s->replaced) {
    /* documents were replaced: entities they alone named go */
    if (S_exec(s, "BEGIN IMMEDIATE", NULL, 0) || S_prune(s, NULL, 0) ||
        S_exec(s, "COMMIT", NULL, 0)) {
      S_exec(s, "ROLLBACK", NULL, 0);
      rc = -1;
    }
  }
  S_exec(s, "PRAGMA optimize", NULL, 0);
  for (int i = 0; i < ST__COUNT; i++) {
    sqlite3_finalize(s->st[i]);
    s->st[i] = NULL;
  }
  sqlite3_finalize(s->claim_put);
  sqlite3_finalize(s->claim_get);
  s->claim_put = s->claim_get = NULL;
  if (sqlite3_close(s->db) != SQLITE_OK)
    rc = -1;
  s->db = NULL;
  S_free(s);
  return rc;
}

/* ---- `ties db` -------------------------------------------------------------- */

int store_remove(store *s, const char *name, char *err, size_t errlen) {
  if (S_exec(s, "BEGIN IMMEDIATE", err, errlen))
    return -1;
  sqlite3_stmt *st = S_stmt(s, ST_DEL_DOC);
  if (!st)
    goto fail;
  S_text(st, 1, name);
  if (S_run(st))
    goto fail;
  int n = sqlite3_changes(s->db);
  if (n > 0 && S_prune(s, err, errlen)) {
    S_exec(s, "ROLLBACK", NULL, 0);
    return -1;
  }
  if (S_exec(s, "COMMIT", err, errlen)) {
    S_exec(s, "ROLLBACK", NULL, 0);
    return -1;
  }
  return n > 0;
fail:
  S_err(err, errlen, "cannot remove the document", s->db);
  S_exec(s, "ROLLBACK", NULL, 0);
  return -1;
}

static char *S_col(arena *a, sqlite3_stmt *st, int i) {
  const unsigned char *v = sqlite3_column_text(st, i);
  return arena_strdup(a, v ? (const char *)v : "");
}

static uint8_t S_type_of_name(const char *t) {
  for (int i = TIES_COUNTRY; i <= TIES_DATE; i++)
    if (!strcmp(t, ties_etype_name((ties_etype)i)))
      return (uint8_t)i;
  return TIES_NONE;
}

ties_engine *store_engine(store *s) {
  ties_engine *e = ties_engine_new(NULL);
  if (!e)
    return NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT id, type, label, country, kind, iso_alpha2,"
                         " iso_numeric, maker, maker_country FROM entities"
                         " ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step(st) == SQLITE_ROW) {
    entity *en = arena_alloc(&e->ar, sizeof *en);
    if (!en)
      goto fail;
    en->id = S_col(&e->ar, st, 0);
    en->type = S_type_of_name((const char *)sqlite3_column_text(st, 1));
    en->label = S_col(&e->ar, st, 2);
    en->country = S_col(&e->ar, st, 3);
    en->kind = S_col(&e->ar, st, 4);
    en->alpha2 = S_col(&e->ar, st, 5);
    en->numeric = S_col(&e->ar, st, 6);
    en->maker = S_col(&e->ar, st, 7);
    en->maker_country = S_col(&e->ar, st, 8);
    en->official = en->short_name = en->file = "";
    en->index = (uint32_t)e->entities.len;
    if (e->ar.failed)
      goto fail;
    void **slot = strmap_slot(&e->by_id, en->id, strlen(en->id), &e->ar);
    entity **ep = vec_push(&e->entities);
    if (!slot || !ep)
      goto fail;
    *slot = en;
    *ep = en;
  }
  sqlite3_finalize(st);
  st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT name, symmetric, definition FROM predicates"
                         " ORDER BY name",
                         -1, &st, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step(st) == SQLITE_ROW) {
    predicate *p = arena_alloc(&e->ar, sizeof *p);
    if (!p)
      goto fail;
    p->name = S_col(&e->ar, st, 0);
    p->symmetric = sqlite3_column_int(st, 1) != 0;
    p->definition = S_col(&e->ar, st, 2);
    p->subject_types = p->object_types = p->file = "";
    p->subject_mask = p->object_mask = 0;
    if (e->ar.failed)
      goto fail;
    void **slot = strmap_slot(&e->pred_by_name, p->name, strlen(p->name), &e->ar);
    predicate **pp = vec_push(&e->preds);
    if (!slot || !pp)
      goto fail;
    *slot = p;
    *pp = p;
  }
  sqlite3_finalize(st);
  char r[72], g[72];
  store_hashes(s, r, g);
  snprintf(e->rules_hash, sizeof e->rules_hash, "%.64s", r);
  snprintf(e->gaz_hash, sizeof e->gaz_hash, "%.64s", g);
  e->frozen = true;
  return e;
fail:
  sqlite3_finalize(st);
  ties_engine_free(e);
  return NULL;
}

void store_hashes(store *s, char rules[72], char gazetteers[72]) {
  rules[0] = gazetteers[0] = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT DISTINCT rules_hash, gazetteers_hash"
                         " FROM documents LIMIT 3",
                         -1, &st, NULL) != SQLITE_OK)
    return;
  int n = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(st, 0);
    const char *g = (const char *)sqlite3_column_text(st, 1);
    if (n++ == 0) {
      snprintf(rules, 72, "%s", r ? r : "");
      snprintf(gazetteers, 72, "%s", g ? g : "");
    } else {
      if (r && strcmp(rules, r))
        snprintf(rules, 72, "mixed");
      if (g && strcmp(gazetteers, g))
        snprintf(gazetteers, 72, "mixed");
    }
  }
  sqlite3_finalize(st);
}

int store_each_doc(store *s, store_doc_fn fn, void *ctx, char *err,
                   size_t errlen) {
  sqlite3_stmt *ds = NULL, *ts = NULL;
  arena a;
  vec tv;
  arena_init(&a);
  vec_init(&tv, sizeof(ties_triple));
  int rc = -1;
  if (sqlite3_prepare_v2(s->db, "SELECT id, name, path FROM documents"
                                " ORDER BY name", -1, &ds, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(s->db,
                         "SELECT sentence, byte_start, byte_end, subject,"
                         " predicate, object, subject_country, object_country,"
                         " rule, rule_file, rule_line, evidence, modality, cue,"
                         " item, amount, date FROM triples WHERE doc = ?1"
                         " ORDER BY seq",
                         -1, &ts, NULL) != SQLITE_OK) {
    S_err(err, errlen, "cannot read the store", s->db);
    goto done;
  }
  int step;
  while ((step = sqlite3_step(ds)) == SQLITE_ROW) {
    arena_reset(&a);
    tv.len = 0;
    emit_doc d;
    d.name = S_col(&a, ds, 1);
    d.path = S_col(&a, ds, 2);
    sqlite3_bind_int64(ts, 1, sqlite3_column_int64(ds, 0));
    int tstep;
    while ((tstep = sqlite3_step(ts)) == SQLITE_ROW) {
      ties_triple *t = vec_push(&tv);
      if (!t)
        break;
      t->sentence = (unsigned)sqlite3_column_int64(ts, 0);
      t->start = (size_t)sqlite3_column_int64(ts, 1);
      t->end = (size_t)sqlite3_column_int64(ts, 2);
      t->subject = S_col(&a, ts, 3);
      t->predicate = S_col(&a, ts, 4);
      t->object = S_col(&a, ts, 5);
      t->subject_country = S_col(&a, ts, 6);
      t->object_country = S_col(&a, ts, 7);
      t->rule = S_col(&a, ts, 8);
      t->rule_file = S_col(&a, ts, 9);
      t->rule_line = (unsigned)sqlite3_column_int64(ts, 10);
      t->evidence = S_col(&a, ts, 11);
      t->modality = S_col(&a, ts, 12);
      t->cue = S_col(&a, ts, 13);
      t->item = S_col(&a, ts, 14);
      t->amount = S_col(&a, ts, 15);
      t->date = S_col(&a, ts, 16);
    }
    sqlite3_reset(ts);
    if (tstep != SQLITE_DONE || a.failed || !d.name || !d.path) {
      if (tstep != SQLITE_DONE && tstep != SQLITE_ROW)
        S_err(err, errlen, "cannot read the triples", s->db);
      else
        snprintf(err, errlen, "out of memory");
      goto done;
    }
    d.triples = tv.len ? tv.p : NULL;
    d.n = tv.len;
    if (fn(&d, ctx)) {
      rc = 0;
      goto done;
    }
  }
  if (step != SQLITE_DONE) {
    S_err(err, errlen, "cannot read the documents", s->db);
    goto done;
  }
  rc = 0;
done:
  sqlite3_finalize(ds);
  sqlite3_finalize(ts);
  vec_free(&tv);
  arena_free(&a);
  return rc;
}

int store_get_stats(store *s, store_stats *out,
                    void (*fn)(const char *predicate, long long n, void *ctx),
                    void *ctx, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  static const char sql[] =
      "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM entities),"
      " (SELECT count(*) FROM mentions), (SELECT count(*) FROM triples),"
      " (SELECT count(*) FROM triples WHERE modality = 'asserted'),"
      " (SELECT count(DISTINCT rules_hash) FROM documents)";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW) {
    S_err(err, errlen, "cannot read the store", s->db);
    sqlite3_finalize(st);
    return -1;
  }
  out->schema = (int)S_int(s, "PRAGMA user_version", 0);
  out->documents = sqlite3_column_int64(st, 0);
  out->entities = sqlite3_column_int64(st, 1);
  out->mentions = sqlite3_column_int64(st, 2);
  out->triples = sqlite3_column_int64(st, 3);
  out->asserted = sqlite3_column_int64(st, 4);
  out->rulesets = sqlite3_column_int64(st, 5);
  sqlite3_finalize(st);
  if (!fn)
    return 0;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT predicate, count(*) FROM triples"
                         " GROUP BY predicate ORDER BY predicate",
                         -1, &st, NULL) != SQLITE_OK) {
    S_err(err, errlen, "cannot read the store", s->db);
    return -1;
  }
  while (sqlite3_step(st) == SQLITE_ROW)
    fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
       ctx);
  sqlite3_finalize(st);
  return 0;
}
