/*
 * ties.h — the public interface of libties.
 *
 * libties reads security-policy prose and extracts the relations it states as
 * triples with evidence ("CHN donated SRB", the words that say so, the rule
 * that matched and the byte span in the document).
 *
 * Three objects, created and freed in pairs (freeing NULL is a no-op):
 *
 *   ties_engine  gazetteers and compiled rules. Immutable once
 *                ties_engine_finish() has returned TIES_OK, and then safe
 *                to share between threads (like a compiled pcre2_code).
 *   ties_worker  per-thread state: stemmer, hunspell handles, word caches,
 *                PCRE2 match data. One worker per thread; a worker is not
 *                thread-safe.
 *   ties_doc     one document's results: tokens, sentences, entity
 *                mentions and triples. Everything a doc hands out (strings,
 *                structs) is owned by the doc and stays valid until
 *                ties_doc_free(). A doc must be freed before its worker.
 *
 * The library never prints. Problems are recorded as ties_diag records on
 * the engine (loading) or on the doc (processing).
 *
 * Step by step:
 *
 *   ties_settings s; ties_settings_init(&s);
 *   ties_engine *e = ties_engine_new(&s);
 *   ties_engine_load_gazetteers(e, "gazetteers");
 *   ties_engine_load_rules(e, "rules");
 *   if (ties_engine_finish(e) != TIES_OK) { ...read ties_engine_diag()... }
 *   ties_worker *w = ties_worker_new(e);
 *   ties_doc *d = ties_doc_new(w, "doc1", text, len, NULL);
 *   for (size_t i = 0; i < ties_doc_n_triples(d); i++) ...ties_doc_triple(d, i)
 *   ties_doc_free(d); ties_worker_free(w); ties_engine_free(e);
 *
 * One call: ties_extract_text() does all of the above for one text.
 */
#ifndef TIES_H
#define TIES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TIES_BUILDING) && defined(__GNUC__)
#define TIES_API __attribute__((visibility("default")))
#else
#define TIES_API
#endif

#define TIES_VERSION_MAJOR 0
#define TIES_VERSION_MINOR 9
#define TIES_VERSION_PATCH 0
#define TIES_VERSION_STRING "0.9.0"
/* Encoded as 0xMMmmpp, like cmark_version(). */
#define TIES_VERSION \
  ((TIES_VERSION_MAJOR << 16) | (TIES_VERSION_MINOR << 8) | TIES_VERSION_PATCH)

TIES_API int ties_version(void);
TIES_API const char *ties_version_string(void);

/* Status codes. Stable numbers: tests and callers may pin them. */
typedef enum ties_status {
  TIES_OK = 0,
  TIES_ENOMEM = 1,     /* out of memory (sticky on the object) */
  TIES_EIO = 2,        /* a file could not be read */
  TIES_ESYNTAX = 3,    /* rule or gazetteer syntax error */
  TIES_ESEMANTIC = 4,  /* rule refers to something undeclared */
  TIES_EINVAL = 5,     /* bad argument */
  TIES_ELIMIT = 6,     /* a documented limit was exceeded */
  TIES_EENCODING = 7,  /* input is not UTF-8 text (UTF-16, ...) */
  TIES_EBINARY = 8,    /* input is a binary file */
  TIES_EREGEX = 9,     /* a regex failed to compile or hit its limits */
  TIES_EDEPEND = 10,   /* a dictionary or stemmer could not be opened */
  TIES_ESTATE = 11     /* call made in the wrong order */
} ties_status;

/* A static, lower-case message for a status code. */
TIES_API const char *ties_strerror(int status);

typedef enum ties_severity {
  TIES_NOTE = 0,
  TIES_WARNING = 1,
  TIES_ERROR = 2
} ties_severity;

/* A diagnostic: "file:line:col: severity: message". Owned by the object
 * that recorded it. line/col are 1-based, 0 when not known; byte is the
 * offset into the file, or (size_t)-1. source is the line of text the
 * diagnostic points into (without its newline) or NULL; span is the length
 * in bytes of the offending text within that line, for a caret. */
typedef struct ties_diag {
  ties_severity severity;
  int code;
  const char *file;
  unsigned line, col;
  size_t byte;
  size_t span;
  const char *message;
  const char *source;
} ties_diag;

/* Limits and knobs, in one object, like PCRE2's contexts. */
typedef struct ties_settings {
  size_t max_doc_bytes;        /* larger documents are refused (64 MiB) */
  size_t max_token_bytes;      /* longer tokens are cut (1024) */
  size_t max_sentence_tokens;  /* longer sentences are split (1000) */
  size_t max_triples_per_doc;  /* further triples are dropped (100000) */
  uint32_t regex_match_limit;  /* PCRE2 match limit per token (100000) */
  uint32_t regex_depth_limit;  /* PCRE2 depth limit (1000) */
  uint32_t match_step_limit;   /* rule matcher steps per rule and sentence */
  unsigned max_errors;         /* rule errors reported before giving up (20) */
  size_t word_cache_entries;   /* per-worker word cache cap (1 << 17) */
  const char *main_actor;      /* "auto" or an id such as "CHN" */
  const char *dict_dir;        /* hunspell dictionaries (/usr/share/hunspell) */
} ties_settings;

TIES_API void ties_settings_init(ties_settings *s);

/* Options for ties_doc_new(), as TIES_OPT_* bit flags. */
#define TIES_OPT_DEFAULT 0u
#define TIES_OPT_NO_RULES (1u << 0)      /* stop after entity resolution */
#define TIES_OPT_KEEP_MODAL (1u << 1)    /* keep non-asserted candidates */
#define TIES_OPT_TRACE (1u << 2)         /* record rule traces for explain */
#define TIES_OPT_TRIPLES_ONLY (1u << 3)  /* keep no record of the candidates
                                          * dropped, and why (explain needs
                                          * it; a batch does not) */

typedef struct ties_docopts {
  unsigned flags;         /* TIES_OPT_* */
  const char *date;       /* document date YYYY[-MM[-DD]]; NULL: from text */
  const char *main_actor; /* overrides the engine setting; NULL: keep */
  const char *path;       /* file name for diagnostics; NULL: the name */
} ties_docopts;

typedef struct ties_engine ties_engine;
typedef struct ties_worker ties_worker;
typedef struct ties_doc ties_doc;

/* ---- engine ---------------------------------------------------------- */

/* Returns NULL only when out of memory. s may be NULL for defaults. */
TIES_API ties_engine *ties_engine_new(const ties_settings *s);
TIES_API void ties_engine_free(ties_engine *e);

/* Load every *.tsv of a directory (or one file). Errors are recorded as
 * diagnostics; the return value is the first error status, TIES_OK if none. */
TIES_API int ties_engine_load_gazetteers(ties_engine *e, const char *path);

/* Load rules/relations.tsv-style predicate declarations. Called for you by
 * ties_engine_load_rules() when a directory holds relations.tsv. */
TIES_API int ties_engine_load_relations(ties_engine *e, const char *path);

/* Load a *.rules file, or every *.rules file of a directory in name order.
 * Loading continues after errors, up to settings.max_errors. */
TIES_API int ties_engine_load_rules(ties_engine *e, const char *path);

/* Load rules from memory; name is used in diagnostics. */
TIES_API int ties_engine_load_rules_string(ties_engine *e, const char *name,
                                           const char *text, size_t len);

/* Build the indexes and freeze the engine. */
TIES_API int ties_engine_finish(ties_engine *e);

TIES_API size_t ties_engine_n_diags(const ties_engine *e);
TIES_API const ties_diag *ties_engine_diag(const ties_engine *e, size_t i);
TIES_API size_t ties_engine_n_errors(const ties_engine *e);

/* Hex SHA-256 of the loaded rule files and of the gazetteer files. */
TIES_API const char *ties_engine_rules_hash(const ties_engine *e);
TIES_API const char *ties_engine_gazetteer_hash(const ties_engine *e);

TIES_API size_t ties_engine_n_rules(const ties_engine *e);
TIES_API size_t ties_engine_n_entities(const ties_engine *e);

/* ---- worker ---------------------------------------------------------- */

/* Returns NULL when out of memory or when the dictionaries or stemmer
 * cannot be opened (the reason is then recorded on the engine). */
TIES_API ties_worker *ties_worker_new(const ties_engine *e);
TIES_API void ties_worker_free(ties_worker *w);

/* What a worker has done since it was created: documents, sizes, and the
 * time each stage took (seconds of wall-clock time on the worker's thread).
 * Analysis of a word type new to the worker's cache (spelling, stemming)
 * is counted apart from tokenizing. */
typedef struct ties_worker_stats {
  uint64_t docs, bytes, sentences, tokens;
  uint64_t word_types;    /* analysed: new to the cache */
  uint64_t cache_flushes; /* the cache was full and emptied */
  double t_tokenize, t_spell, t_stem, t_gazetteer, t_resolve, t_rules;
} ties_worker_stats;
TIES_API void ties_worker_get_stats(const ties_worker *w, ties_worker_stats *out);

/* ---- documents ------------------------------------------------------- */

/* Process one document. text need not be NUL-terminated and must stay
 * valid until the doc is freed. name is the document id used in output
 * (e.g. the file name without directory and extension). Returns NULL only
 * when out of memory; check ties_doc_status() for a refused document. */
TIES_API ties_doc *ties_doc_new(ties_worker *w, const char *name,
                                const char *text, size_t len,
                                const ties_docopts *opts);
TIES_API void ties_doc_free(ties_doc *d);

/* TIES_OK, or why the document was refused (TIES_EBINARY, ...). */
TIES_API int ties_doc_status(const ties_doc *d);
TIES_API const char *ties_doc_name(const ties_doc *d);
/* The document date used for role look-ups, "" when unknown. */
TIES_API const char *ties_doc_date(const ties_doc *d);
/* The main actor used for elided subjects ("CHN"), "" when none. */
TIES_API const char *ties_doc_main_actor(const ties_doc *d);

TIES_API size_t ties_doc_n_diags(const ties_doc *d);
TIES_API const ties_diag *ties_doc_diag(const ties_doc *d, size_t i);

typedef enum ties_etype {
  TIES_NONE = 0,
  TIES_COUNTRY,
  TIES_ORG,
  TIES_PERSON,
  TIES_PLATFORM,
  TIES_PLACE,
  TIES_MONEY,
  TIES_DATE
} ties_etype;

/* "COUNTRY", "ORG", ... */
TIES_API const char *ties_etype_name(ties_etype t);

typedef struct ties_sentence {
  size_t start, end;     /* bytes in the document */
  unsigned paragraph;    /* 0-based */
  unsigned first_token, n_tokens;
  int heading;           /* a heading or title line */
} ties_sentence;

TIES_API size_t ties_doc_n_sentences(const ties_doc *d);
TIES_API const ties_sentence *ties_doc_sentence(const ties_doc *d, size_t i);

typedef struct ties_token {
  size_t start, end;      /* bytes in the document */
  const char *surface;    /* NFC, quotes and dashes normalised */
  const char *norm;       /* canonical lower-case spelling */
  const char *stem;       /* Snowball English stem of norm */
  const char *kind;       /* "word", "number", "money", "model", ... */
  const char *spelling;   /* "known", "variant", "corrected", "unknown",
                             "name", "-" */
  int mention;            /* index of the mention covering it, or -1 */
} ties_token;

TIES_API size_t ties_doc_n_tokens(const ties_doc *d);
/* Filled into *out; strings owned by the doc. The spelling may be looked up
 * in the dictionaries now, with the doc's worker: call it on the thread that
 * uses that worker (or when it is idle). */
TIES_API void ties_doc_token(const ties_doc *d, size_t i, ties_token *out);

typedef struct ties_mention {
  unsigned sentence;
  size_t start, end;      /* bytes in the document */
  const char *text;       /* the words, as written (normalised spaces) */
  const char *id;         /* entity id, or the value of a MONEY/DATE */
  ties_etype type;
  const char *label;      /* canonical name ("" for MONEY/DATE) */
  const char *country;    /* the state it acts for, "" if none */
  const char *how;        /* name, alias, demonym, capital, short-name,
                             title, role, pronoun, generic, value */
} ties_mention;

TIES_API size_t ties_doc_n_mentions(const ties_doc *d);
TIES_API const ties_mention *ties_doc_mention(const ties_doc *d, size_t i);

typedef struct ties_triple {
  unsigned sentence;
  size_t start, end;          /* byte span of the evidence */
  const char *subject, *predicate, *object;
  const char *subject_country, *object_country; /* "" if none */
  const char *rule;           /* rule id */
  const char *rule_file;
  unsigned rule_line;
  const char *evidence;       /* the words of the span */
  const char *modality;       /* "asserted" or why not: "negated", ... */
  const char *cue;            /* the words that set the modality, or "" */
  const char *item;           /* qualifiers, "" when not given */
  const char *amount;
  const char *date;
} ties_triple;

/* Asserted triples only, unless TIES_OPT_KEEP_MODAL was given. Distinct
 * per document (symmetric predicates compare unordered). */
TIES_API size_t ties_doc_n_triples(const ties_doc *d);
TIES_API const ties_triple *ties_doc_triple(const ties_doc *d, size_t i);

/* ---- one call -------------------------------------------------------- */

/* Builds a temporary worker, processes the text, frees the worker. The
 * doc stays valid until ties_doc_free(); e must outlive it. */
TIES_API ties_doc *ties_extract_text(const ties_engine *e, const char *name,
                                     const char *text, size_t len,
                                     const ties_docopts *opts);

#ifdef __cplusplus
}
#endif
#endif /* TIES_H */
