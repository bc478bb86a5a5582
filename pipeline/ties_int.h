/*
 * ties_int.h — the shared internal header of libties (cf. sqliteInt.h).
 *
 * Every stage file includes this. It declares the support code (arena, buf,
 * hash tables, diagnostics, UTF-8), the word/token/sentence/mention records
 * that flow between the stages, and the engine, worker and doc objects.
 *
 * Memory: a doc owns one arena; tokens, mentions, triples and their strings
 * live in it and are freed together. The engine owns another arena for
 * everything loaded. Word records live in the worker's cache arena, which
 * is only cleared between documents, so a doc may point at them.
 */
#ifndef TIES_INT_H
#define TIES_INT_H

#define TIES_BUILDING 1
#include "ties.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define TIES_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TIES_UNUSED __attribute__((unused))
#else
#define TIES_PRINTF(a, b)
#define TIES_UNUSED
#endif

#define TIES_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- arena.c: bump allocator, freed as a whole ------------------------ */
typedef struct arena_block arena_block;
typedef struct arena {
  arena_block *head;  /* current block */
  size_t total;       /* bytes handed out since the last reset */
  bool failed;        /* sticky out-of-memory flag */
} arena;

void arena_init(arena *a);
void *arena_alloc(arena *a, size_t n);            /* 8-aligned, zeroed */
void *arena_dup(arena *a, const void *p, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) TIES_PRINTF(2, 3);
void arena_reset(arena *a);                       /* keeps one block */
void arena_free(arena *a);

/* ---- buf.c: growable byte buffer (cmark_strbuf) ------------------------ */
typedef struct buf {
  char *p;
  size_t len, cap;
  bool failed;
} buf;

#define BUF_INIT {NULL, 0, 0, false}
void buf_grow(buf *b, size_t extra);
void buf_put_slow(buf *b, const void *p, size_t n); /* buf_put, growing */
/* The writers call these for every field: inline while there is room. */
static inline void buf_put(buf *b, const void *p, size_t n) {
  if (b->len + n < b->cap && !b->failed) { /* room for it and the NUL */
    if (n) /* (p may be NULL when n is 0) */
      memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
  } else {
    buf_put_slow(b, p, n);
  }
}
static inline void buf_putc(buf *b, int c) {
  char ch = (char)c;
  buf_put(b, &ch, 1);
}
void buf_puts(buf *b, const char *s);
void buf_put_uint(buf *b, uint64_t v); /* in decimal, as %llu */
/* a time to go, rounded to the second: "<1s", "42s", "3m05s", "2h07m" */
void buf_put_duration(buf *b, double seconds);
void buf_printf(buf *b, const char *fmt, ...) TIES_PRINTF(2, 3);
void buf_vprintf(buf *b, const char *fmt, va_list ap);
const char *buf_cstr(buf *b);  /* NUL-terminated view, never NULL */
void buf_clear(buf *b);
void buf_free(buf *b);
/* Escapers, one place for each target (houdini_*). */
void buf_put_tsv(buf *b, const char *s, size_t n);   /* tabs/newlines → ' ' */
void tsv_clean(char *p, size_t n);                   /* the same, in place */
char *uint_write(char *o, uint64_t v); /* v in decimal at o (20 bytes at most) */
void buf_put_json(buf *b, const char *s, size_t n);  /* inside "..." */

/* Growable array of fixed-size elements. */
typedef struct vec {
  void *p;
  size_t len, cap, esz;
} vec;
void vec_init(vec *v, size_t esz);
void *vec_push(vec *v);  /* zeroed new element, NULL on OOM */
bool vec_reserve(vec *v, size_t n);  /* room for n elements; false on OOM */
void vec_free(vec *v);
#define VEC_AT(v, T, i) (((T *)(v)->p)[i])

/* ---- hash.c: string hash tables ---------------------------------------- */
uint64_t hash_bytes(const void *p, size_t n);

/* Interned strings → dense ids 1..n (0 = none). */
typedef struct symtab {
  uint32_t *slots;   /* id per slot, 0 = empty */
  size_t nslots;
  const char **str;  /* id → string (in the owner's arena) */
  uint32_t *lens;
  uint64_t *hashes;
  size_t n, cap;
  arena *ar;
} symtab;
void symtab_init(symtab *t, arena *ar);
uint32_t symtab_intern(symtab *t, const char *s, size_t n);
uint32_t symtab_find(const symtab *t, const char *s, size_t n);
const char *symtab_str(const symtab *t, uint32_t id);
void symtab_free(symtab *t);

/* Map from string keys to pointers. */
typedef struct strmap {
  struct strmap_slot *slots;
  size_t nslots, n;
} strmap;
void strmap_init(strmap *m);
void **strmap_slot(strmap *m, const char *key, size_t n, arena *keys);
void *strmap_get(const strmap *m, const char *key, size_t n);
void strmap_clear(strmap *m);
void strmap_free(strmap *m);
/* Iterate: returns the next occupied index >= i, or nslots. */
size_t strmap_next(const strmap *m, size_t i, const char **key, void **val);

/* A fixed set of words, a value each: the closed word lists a new word
 * type is looked up in, once, instead of being compared with each entry.
 * Filled once (pthread_once), then only read, by any thread. */
#define WORDTAB_SLOTS 256
typedef struct wordtab {
  const char *w[WORDTAB_SLOTS]; /* NULL: empty */
  uint32_t v[WORDTAB_SLOTS];
  size_t n;                     /* words */
} wordtab;
/* w (a static string) with v OR-ed into its value; false when the table
 * would be more than half full. */
bool wordtab_add(wordtab *t, const char *w, uint32_t v);
uint32_t wordtab_get(const wordtab *t, const char *w); /* 0 when absent */

/* ---- hashing of loaded files (nettle's SHA-256) ------------------------ */
#include <nettle/sha2.h>
void sha256_hex(struct sha256_ctx *c, char out[65]);

/* ---- diag.c: diagnostics ---------------------------------------------- */
typedef struct diaglist {
  vec v;           /* ties_diag */
  size_t n_errors;
  arena *ar;       /* strings */
} diaglist;
void diag_init(diaglist *d, arena *ar);
ties_diag *diag_add(diaglist *d, ties_severity sev, int code, const char *file,
                    unsigned line, unsigned col, size_t byte, size_t span,
                    const char *source_line, size_t source_len,
                    const char *fmt, ...) TIES_PRINTF(11, 12);
void diag_free(diaglist *d);
/* Locate byte offset in text: 1-based line/col and the line's extent. */
void text_locate(const char *text, size_t len, size_t byte, unsigned *line,
                 unsigned *col, size_t *line_start, size_t *line_len);
/* Format "file:line:col: error: msg" plus source line and caret into b. */
void diag_format(buf *b, const ties_diag *d, bool color);

/* ---- utf8.c ----------------------------------------------------------- */
/* Decode one code point at s (len bytes left). Returns bytes consumed
 * (1..4) and sets *cp; on invalid input returns 1 and sets *cp = -1. */
int utf8_decode(const unsigned char *s, size_t len, int32_t *cp);
int utf8_encode(int32_t cp, char out[4]);
/* Normalise for matching into b: NFC, fold quotes/dashes/spaces. */
void utf8_normalize(buf *b, const char *s, size_t n);
/* Lower-case (full case folding, NFC) into b. */
void utf8_lower(buf *b, const char *s, size_t n);
/* Remove accents: NFKD, drop marks, recompose. */
void utf8_unaccent(buf *b, const char *s, size_t n);
bool utf8_is_letter(int32_t cp);
bool utf8_is_upper(int32_t cp);
bool utf8_is_lower(int32_t cp);
bool utf8_is_digit(int32_t cp);
bool utf8_is_space(int32_t cp);

/* Character classes after normalisation for matching. */
enum {
  CC_OTHER = 0,
  CC_SPACE,
  CC_NEWLINE,
  CC_LETTER,
  CC_DIGIT,
  CC_APOS,     /* ' ’ ‘ ʼ */
  CC_QUOTE,    /* " “ ” « » */
  CC_DASH,     /* - ‐ – — */
  CC_BULLET,   /* • ▪ ● ◦ ‣ */
  CC_PERIOD,
  CC_PUNCT,    /* , ; : ( ) [ ] ! ? / & */
  CC_CURRENCY, /* $ € £ ¥ */
  CC_MARK      /* combining mark */
};
int utf8_class(int32_t cp);
extern const uint8_t utf8_ascii_class[128];
/* utf8_class() with the ASCII case inline. */
static inline int utf8_class_fast(int32_t cp) {
  return cp >= 0 && cp < 0x80 ? utf8_ascii_class[cp] : utf8_class(cp);
}
/* The ASCII stand-in used for matching (’ → ', – → -), or cp itself. */
int32_t utf8_fold_punct(int32_t cp);

/* ---- text.c: stage 1 -------------------------------------------------- */
/* The document text after validation: same length as the input, every
 * invalid byte replaced by TEXT_BAD (a byte the tokenizer treats as a
 * space), so that every offset still points into the original bytes. */
#define TEXT_BAD 0x1A
typedef struct doctext {
  const char *p;    /* bytes (the input, or a repaired copy) */
  size_t len;
  size_t skip;      /* leading bytes to ignore (UTF-8 BOM) */
  size_t n_bad;     /* invalid bytes replaced */
} doctext;

/* Validates, repairs, and refuses UTF-16 and binary input (status set on
 * the doc). Returns TIES_OK or the refusal status. */
int text_prepare(ties_doc *d, const char *in, size_t len, doctext *out);
/* Copy a span for output: TEXT_BAD → U+FFFD, controls and newlines →
 * one space, runs of spaces squeezed. */
char *text_span(arena *a, const doctext *t, size_t start, size_t end);

/* ---- word records (spell.c, stem.c) ------------------------------------- */
enum { /* spelling outcome */
  SP_NONE = 0,   /* not a word (number, punctuation) */
  SP_KNOWN,      /* in the American dictionary */
  SP_VARIANT,    /* British or other variant mapped to the US form */
  SP_CORRECTED,  /* misspelling corrected */
  SP_UNKNOWN,    /* unknown, left as written */
  SP_NAME,       /* gazetteer word or capitalised unknown word */
  SP_UNCHECKED   /* not looked up yet: nothing near it to change it into
                    (worker_spelling() looks it up when asked) */
};

/* Shape flags of a word type. */
#define WS_INITCAP  0x01u  /* first letter upper case */
#define WS_ALLCAPS  0x02u  /* ≥1 letter, no lower-case letter */
#define WS_HASDIGIT 0x04u
#define WS_ALPHA    0x08u  /* letters only (and internal ' -) */
#define WS_LOWER    0x10u  /* all letters lower case */
#define WS_MIXED    0x20u  /* upper case after the first letter and lower */

typedef struct wordrec {
  const char *surface;   /* normalised surface (NFC, quotes folded) */
  const char *lower;     /* lower-cased surface */
  const char *norm;      /* canonical spelling (lower case) */
  const char *key;       /* norm without accents: the gazetteer key */
  const char *stem;      /* stem of norm */
  uint32_t norm_sym;     /* ids in the engine symbol table, 0 = absent */
  uint32_t key_sym;
  uint32_t stem_sym;
  uint32_t cls;          /* WC_* classes (words.c) */
  uint32_t gaz_root;     /* the gazetteer trie's node for key_sym under the
                            root (gaz_root_child), 0: no name begins so */
  const struct gz_entry *gaz_one; /* with gaz_root: the one-word name it is
                            by itself (gaz_one_word), or NULL */
  const uint64_t *pbits; /* the rule predicates it passes (rule.h PB_*, match.c);
                            one array shared by the words with the same bits */
  uint64_t pbits0;       /* pbits[0], the bits the matcher reads most, here */
  const uint32_t *minfo; /* NULL, or the rule word sets it is in and the
                            programs it triggers: {n sets, n programs, sets...,
                            programs...} (match.c) */
  uint8_t spell;         /* SP_* */
  uint8_t shape;         /* WS_* */
  uint16_t rw;           /* what the later stages test of it per token */
  /* the answers of the rules' first regular expressions (pred.re_idx < 16),
   * a bit each: asked, and matched; written by the worker that owns the
   * record, when a rule first asks (match.c S_regex) */
  uint16_t re_asked, re_yes;
  /* the same for whether the first 16 cues may begin at the word, for the
   * cues whose first tokens depend on the word alone (match.c) */
  uint16_t cue_asked, cue_yes;
} wordrec;

/* wordrec.rw, copied into each token (tok.rw) so that the gazetteer and
 * resolver passes need not read the record for every token
 * (resolve_word_summary): in the low 7 bits which of the words the
 * resolver looks for it is (resolve.c), and these bits. */
#define RB_TITLE_FIRST 0x0100u  /* WC_TITLE_FIRST */
#define RB_INITCAP     0x0200u  /* WS_INITCAP */
#define RB_SHORT_STOP  0x0400u  /* WC_SHORT_STOP */
#define RB_MONTH       0x0800u  /* WC_MONTH() not 0 */
#define RB_GAZ_FIRST   0x1000u  /* WC_GAZ_FIRST */
#define RB_PRONOUN     0x2000u  /* he, she, they, it */
#define RB_DEFINITE    0x4000u  /* a noun of a definite description */
#define RB_GAZ_NEXT    0x8000u  /* may go on a gazetteer name (gaz_next_word) */
#define RW_ID_THE      1u       /* the low 7 bits of "the" (resolve.c RW_THE) */
#define RB_RULE_WORD   0x0080u  /* in a rule word set or a program's trigger
                                   words: wordrec.minfo not NULL (the
                                   resolver's word ids need 7 bits) */

/* ---- words.c: closed word lists as class bits ---------------------------- */
#define WC_PREP           0x0001u /* "with Serbia": the object of a preposition */
#define WC_LIST_PREP      0x0002u /* may introduce a list of objects */
#define WC_ORIGIN         0x0004u /* "officials from ...": origin, not object */
#define WC_NOT_PARTICIPLE 0x0008u /* "morning": -ing without a participle */
#define WC_SHORT_STOP     0x0010u /* never a short name */
#define WC_PARTICLE       0x0020u /* "von", "bin" inside names */
#define WC_NOT_NAME       0x0040u /* capitalised words outside names */
#define WC_ACTOR_NOUN     0x0080u /* first word of an actor noun phrase */
#define WC_TITLE_FIRST    0x0100u /* first word of a role title (roles.tsv) */
#define WC_GAZ_FIRST      0x0200u /* first word of a gazetteer name */
#define WC_MONTH_SHIFT    24      /* bits 24-27: month number 1-12, or 0 */
#define WC_MONTH(c)       (((c) >> WC_MONTH_SHIFT) & 0xfu)
int words_init(strmap *m, arena *ar);
uint32_t words_classes(const strmap *m, const char *norm, const char *key);

/* ---- token.c: stage 2 ------------------------------------------------- */
enum { /* token kinds */
  TK_WORD = 1,
  TK_NUMBER,
  TK_MONEY,
  TK_MODEL,   /* model designation: Type 053H3, S-400, Wing Loong II */
  TK_ABBR,    /* U.S., Gen., No. */
  TK_POSS,    /* 's or ' */
  TK_PUNCT,
  TK_SYMBOL
};
/* Token flags. */
#define TF_SPACE_BEFORE 0x01u  /* whitespace precedes it */
#define TF_LINE_START   0x02u  /* first token on its line */
#define TF_BULLET       0x04u  /* first token after a bullet */
#define TF_NEG          0x08u  /* n't */

typedef struct tok {
  uint32_t off, len;     /* bytes into the document */
  const wordrec *w;         /* word record (also for punctuation) */
  uint8_t kind;          /* TK_* */
  uint8_t flags;         /* TF_* */
  uint16_t rw;           /* w->rw (RB_*) */
  int32_t mention;       /* covering mention, -1 */
} tok;

#define SF_HEADING 0x01u
#define SF_BULLET  0x02u
#define SF_SPLIT   0x04u  /* cut at max_sentence_tokens */
#define SF_LEAD    0x08u  /* first sentence of its paragraph */

typedef struct sent {
  uint32_t t0, t1;       /* token range [t0, t1) */
  uint32_t off, end;     /* bytes */
  uint32_t para;
  uint8_t flags;         /* SF_* */
} sent;

/* Tokenize the whole document into d->toks and d->sents. */
int tok_document(ties_doc *d);
/* The kind name for output. */
const char *tok_kind_name(int kind);
/* For the unit tests: do the tokenizer's word lists and the hash set it
 * looks them up in agree? */
bool tok_lists_check(void);

/* ---- stem.c / spell.c ---------------------------------------------------- */
typedef struct stemmer stemmer;
stemmer *stem_new(void);
void stem_free(stemmer *s);
/* Stem a lower-case NFC word; result copied into a. */
const char *stem_word(stemmer *s, arena *a, const char *w, size_t n);

typedef struct speller speller;
speller *spell_new(const ties_engine *e, const char *dict_dir, char *err,
                   size_t errlen);
void spell_free(speller *sp);
/* Canonical spelling of a lower-case word; sets *how (SP_*). The result is
 * either w itself or a string copied into a. capitalised: the surface had
 * an initial capital. */
const char *spell_word(speller *sp, arena *a, const char *lower, size_t n,
                       bool capitalised, bool gazetteer_word, uint8_t *how);
/* The status of a word spell_word() left SP_UNCHECKED: SP_KNOWN, SP_NAME or
 * SP_UNKNOWN. */
uint8_t spell_status(speller *sp, const char *lower, size_t n, bool capitalised,
                     bool gazetteer_word);
/* Is w a word of the American or British dictionary? */
bool spell_known(speller *sp, const char *w);
/* May w (n bytes) be a word of the American dictionary? false: certainly not
 * (a filter of every form its .dic and .aff produce); true: ask hunspell. */
bool spell_maybe_word(speller *sp, const char *w, size_t n);
struct spell_forms *spell_forms_new(void);
void spell_forms_free(struct spell_forms *f);
/* Build e's word-form filter now rather than when a worker first needs it. */
void spell_forms_prepare(const ties_engine *e);
/* British → American transformations, tried in order (spell.c). Exposed for
 * lint and tests: writes candidates into out, returns how many. */
int spell_variants(const char *w, char out[][64], int max);

/* Look up (or build) the word record of a surface form; sets *rw to its
 * rw (tok.rw). */
const wordrec *worker_word(ties_worker *w, const char *s, size_t n, int kind,
                           uint16_t *rw);
/* The same for the tokens t[0, n) of text (len bytes; their off, len and
 * kind set): sets their w and rw; false when out of memory. */
bool worker_words(ties_worker *w, const char *text, size_t len, tok *t,
                  size_t n);
/* The SP_* status of a word record of w, looked up now if it was left
 * SP_UNCHECKED. Only on the thread that uses w. */
uint8_t worker_spelling(ties_worker *w, const wordrec *r);

/* ---- entities and the gazetteer (gazetteer.c) ------------------------ */
typedef struct role_term {
  uint32_t role;          /* symbol of the role id */
  int32_t from, to;       /* days since 0000-03-01, to = INT32_MAX open */
} role_term;

typedef struct entity {
  const char *id;
  const char *label;
  const char *country;    /* acts for ("" none); a country: itself */
  uint8_t type;           /* ties_etype */
  const char *kind;       /* org/platform/place kind, "" */
  const char *alpha2, *numeric, *official;  /* countries */
  const char *maker, *maker_country;        /* platforms */
  const char *short_name;                   /* persons */
  role_term *terms;
  uint32_t n_terms;
  const char *file;
  unsigned line;
  uint32_t index;         /* position in engine->entities */
} entity;

enum { /* how a mention was found */
  HOW_NAME = 1,
  HOW_ALIAS,
  HOW_DEMONYM,
  HOW_CAPITAL,
  HOW_SHORT,
  HOW_TITLE,     /* title + name ("President Xi") */
  HOW_ROLE,      /* title resolved by role and date */
  HOW_PRONOUN,
  HOW_GENERIC,   /* generic alias in its own country's document */
  HOW_VALUE,     /* MONEY, DATE */
  HOW_OFFICIAL,  /* official name of a country */
  HOW_DEFINITE   /* "the group", "the organization" */
};
const char *how_name(int how);

/* Case constraint of one name token. */
enum { CASE_ANY = 0, CASE_INITCAP, CASE_EXACT };

typedef struct gz_entry {
  const entity *e;
  uint8_t how;           /* HOW_* */
  uint8_t generic;       /* ~alias */
  uint16_t ntok;
  const uint8_t *cases;  /* CASE_* per token */
  const char **surfaces; /* per token, for CASE_EXACT */
  const char *name;      /* as written in the file */
  const char *file;
  unsigned line;
} gz_entry;

typedef struct gz_node {
  uint32_t child0, nchild;  /* children in gz->child_sym/child_node */
  uint32_t entry0, nentry;  /* entries ending here */
} gz_node;

typedef struct gazetteer {
  vec nodes;               /* gz_node, [0] = root (while building) */
  /* frozen form */
  uint32_t *child_sym, *child_node;
  gz_node *node;
  size_t n_nodes;
  gz_entry *entries;
  size_t n_entries;
  uint8_t *next_sym;       /* bit per symbol: a word of a name after its first */
  size_t n_next_sym;       /* symbols it covers */
  /* building */
  vec build_children;      /* per node: vec of (sym,node) pairs */
  vec build_entries;       /* (node, gz_entry) */
} gazetteer;

/* Role titles: token sequences that name an office. */
typedef struct role_title {
  uint32_t role;           /* symbol of the role id */
  uint32_t *syms;          /* norm symbols of the title words */
  uint16_t ntok;
  uint32_t order;          /* position in roles.tsv: earlier wins a tie */
} role_title;

int gaz_load_dir(ties_engine *e, const char *path);
/* One gazetteer file from memory; the format comes from path's base name
 * (countries.tsv, ...). Used by gaz_load_dir and the fuzz target. */
int gaz_load_buffer(ties_engine *e, ties_worker *lw, const char *path,
                    const char *text, size_t len);
int gaz_freeze(ties_engine *e);
/* Match gazetteer names in the document: fills d->mentions. */
void gaz_match_doc(ties_doc *d);
/* The node of the frozen trie under the root for the word symbol sym, or
 * 0 (no name begins with that word). */
uint32_t gaz_root_child(const ties_engine *e, uint32_t sym);
/* The one-word name that the word r (gaz_root set) is by itself, the
 * entry gaz_longest() would choose for it alone, or NULL. */
const gz_entry *gaz_one_word(const ties_engine *e, const wordrec *r);
/* May the word r (of kind) go on a name after its first word: is it a
 * later word of a name, or a hyphen that may be left out between two? Its
 * RB_GAZ_NEXT bit; before gaz_freeze only hyphens have it. */
bool gaz_next_word(const ties_engine *e, const wordrec *r, int kind);
const entity *engine_entity(const ties_engine *e, const char *id);
/* Days since 0000-03-01 for a YYYY[-MM[-DD]] date; INT32_MIN if bad.
 * end: an incomplete date means its last day. */
int32_t date_days(const char *s, size_t n, bool end);
/* Normalised date "YYYY-MM-DD" of days. */
void date_format(int32_t days, char out[11]);

/* ---- resolve.c: document-level resolution ---------------------------- */
typedef struct mention {
  uint32_t t0, t1;          /* token range [t0, t1) */
  uint32_t t1_core;         /* "Chinese troops": the end of "Chinese", or 0 */
  uint32_t sent;
  const entity *e;          /* NULL for MONEY and DATE */
  uint8_t type;             /* ties_etype */
  uint8_t how;              /* HOW_* */
  uint8_t generic;
  const char *value;        /* MONEY/DATE value */
  const char *text;         /* cached surface (arena) or NULL */
} mention;

/* Indexes the resolver reads, built once the gazetteers are loaded. */
/* The type of an entity id the engine may not know, from its form
 * ("org:...", "person:...", an ISO alpha-3 code); other when none fits. */
int etype_of_id(const char *id, int other);

int resolve_freeze(ties_engine *e);
void resolve_doc(ties_doc *d);
/* wordrec.rw of a word record whose other fields are set. */
uint16_t resolve_word_summary(const wordrec *r);
/* For the unit tests: does the table of the resolver's words give each the
 * id a search of its lists gives? */
bool resolve_word_ids_check(void);

/* ---- rules (rule_*.c, match.c, triple.c) -------------------------------- */
typedef struct rule rule;
typedef struct ruleset ruleset;
typedef struct predicate {
  const char *name;
  const char *definition;
  const char *subject_types, *object_types;
  uint32_t subject_mask, object_mask; /* of those; 0 = any */
  bool symmetric;
  const char *file;
  unsigned line;
} predicate;

/* Run the rules over the document (match.c). */
void match_doc(ties_doc *d);
void match_forget_words(ties_worker *w); /* the word cache was emptied */
/* Sets r->pbits, in ar; false when out of memory. */
/* For the unit tests: does the table of the words the matcher looks for by
 * name give each the bits a search of its lists gives? */
bool match_named_check(void);
bool match_word_bits(const ties_engine *e, arena *ar, strmap *shared, wordrec *r,
                     int kind);
/* Add the matcher's work per rule (by index in the ruleset) since w was
 * created: steps of the matching machine, and sentences tried. */
void match_rule_stats(const ties_worker *w, uint64_t *steps, uint64_t *runs, size_t n);

/* A candidate triple as found by a rule (triple.c keeps the distinct). */
typedef struct candidate {
  const entity *s, *o;
  const char *s_id, *o_id;      /* ids (entities or constants) */
  const char *s_country, *o_country;
  const predicate *pred;
  const rule *r;
  uint32_t sent;
  uint32_t t0, t1;              /* evidence tokens */
  uint8_t modality;             /* MOD_* */
  const char *cue;
  const char *item, *amount, *date;
  const char *why_dropped;      /* NULL if kept; see candidate_why() */
  uint32_t dup_of;              /* a duplicate: 1 + the index of the triple */
} candidate;

enum {
  MOD_ASSERTED = 0,
  MOD_NEGATED,
  MOD_PLANNED,
  MOD_HYPOTHETICAL,
  MOD_OFFERED,
  MOD_REFUSED,
  MOD_DENIED,
  MOD_FUTURE,
  MOD_RUMORED,
  MOD__COUNT
};
const char *modality_name(int m);
int modality_from_name(const char *s, size_t n);

void triple_add(ties_doc *d, const candidate *c);
/* Is the asserted triple (s_id, pd, o_id) already in the document (keys of
 * modality 0, that is without TIES_OPT_KEEP_MODAL)? */
bool triple_known(const ties_doc *d, const predicate *pd, const char *s_id,
                  const char *o_id);
/* Why c was dropped, in full (NULL if kept): a duplicate's why_dropped is
 * only "duplicate", and the triple it repeats is named here. */
const char *candidate_why(ties_doc *d, const candidate *c);
void triple_finish(ties_doc *d);

/* ---- the objects ----------------------------------------------------- */
struct ties_engine {
  ties_settings set;
  arena ar;
  diaglist diags;
  int status;             /* sticky first error status */
  bool frozen;
  symtab syms;            /* every word the rules and gazetteers use */
  vec entities;           /* entity* */
  strmap by_id;           /* id → entity* */
  gazetteer gz;
  vec role_titles;        /* role_title */
  strmap gaz_words;       /* keys of gazetteer name words → non-NULL */
  strmap wordcls;         /* closed-class words → WC_* bits (words.c) */
  strmap short_idx;       /* persons by short name (resolve.c) */
  strmap holders;         /* persons by state and role (resolve.c) */
  uint8_t *title_first;   /* bit per symbol: first word of a role title */
  uint8_t *gaz_first;     /* bit per symbol: first word of a gazetteer name */
  size_t n_title_first;   /* symbols it covers */
  /* rules */
  ruleset *rules;
  vec preds;              /* predicate* */
  strmap pred_by_name;
  /* spelling */
  struct spell_vocab *vocab;   /* correction vocabulary (spell.c) */
  struct spell_forms *forms;   /* en_US word forms, built when needed (spell.c) */
  struct sha256_ctx rules_sha, gaz_sha;
  char rules_hash[65], gaz_hash[65];
  vec gaz_files;          /* const char* loaded files (for lint) */
  vec rule_files;
  char dict_dir[512];
  ties_worker *load_worker;  /* analyses names and literals while loading */
  /* The load worker's speller, kept when the engine is finished for the
   * first worker made after (taken with an atomic exchange): opening the
   * two hunspell dictionaries is most of a small run's start-up. */
  speller *spare_speller;
  /* resolve_freeze (in ar), by entity index: the state an entity acts for,
   * as 1 + its position in states (0: none), so that the main actor is
   * counted without a lookup per mention; and a person's short name as
   * the words of a document key it (lower case, no accents), or NULL. */
  uint32_t *acts_for;
  const entity **states;
  size_t n_states;
  const char **short_key;
};

/* A slot of the word cache (worker.c). */
typedef struct wslot {
  uint64_t head, tail;    /* the key's first 16 bytes (worker.c, S_head) */
  const wordrec *r;       /* NULL: empty; the key is r->surface, or with
                             kind | WK_RAW (worker.c) a form of it as
                             written (at most 16 bytes) */
  uint32_t len;           /* key length in bytes */
  uint8_t kind;           /* TK_* (| WK_RAW), part of the key */
  uint16_t rw;            /* r->rw, returned without reading r */
} wslot;

struct ties_worker {
  const ties_engine *e;
  stemmer *stem;
  speller *spell;
  arena word_ar;          /* word records and their strings */
  wslot *words;           /* (normalised surface, kind) → word record: */
  size_t n_slots;         /*   open addressing, a power of two */
  size_t n_words;
  size_t n_alias;         /* slots of forms as written (WK_RAW) */
  strmap word_bits;       /* the distinct wordrec.pbits arrays, shared by the
                           * words that pass the same predicates (match.c) */
  struct match_scratch *ms;  /* match.c */
  buf tmp, tmp2;
  ties_worker_stats st;
};

/* Monotonic time in seconds, for the stage times. */
double ties_now(void);

struct ties_doc {
  ties_worker *w;
  const ties_engine *e;
  bool owns_worker;
  arena ar;
  int status;
  const char *name;
  const char *path;         /* for diagnostics */
  unsigned flags;           /* TIES_OPT_* */
  doctext t;
  diaglist diags;
  vec toks;                 /* tok */
  vec sents;                /* sent */
  vec mentions;             /* mention */
  vec cands;                /* cand (all candidates, for explain) */
  vec triples;              /* ties_triple (kept) */
  vec pub_mentions;         /* ties_mention (built lazily) */
  vec pub_sents;            /* ties_sentence (built lazily) */
  struct tkey *keys;        /* the kept triples' keys (triple.c), */
  size_t n_keys, keys_cap;  /*   open addressing, a power of two */
  strmap dyn;               /* entities made for this document (people) */
  char date[11];            /* YYYY-MM-DD, "" */
  int32_t date_days;        /* INT32_MIN when unknown */
  const entity *main_actor;
  const char *main_actor_opt;
  struct trace *trace;      /* explain traces (match.c), or NULL */
  size_t n_dropped_limit;
};

/* Text of a token range, normalised (arena of the doc). */
char *doc_span_text(ties_doc *d, uint32_t t0, uint32_t t1);
/* Byte start/end of a token range. */
void doc_tok_span(const ties_doc *d, uint32_t t0, uint32_t t1, size_t *s,
                  size_t *e);
#define DOC_TOK(d, i) (&VEC_AT(&(d)->toks, tok, (i)))

/* Length in tokens of an actor noun phrase at i ("armed forces"), or 0. */
uint32_t words_actor_noun(const ties_doc *d, uint32_t i, uint32_t hi);
#define DOC_SENT(d, i) (&VEC_AT(&(d)->sents, sent, (i)))
#define DOC_MENTION(d, i) (&VEC_AT(&(d)->mentions, mention, (i)))

/* Intern a word in the engine symbol table (only while loading). */
uint32_t engine_sym(ties_engine *e, const char *s);
/* Normalise a phrase with the document pipeline (tokens → norms). Used to
 * compile gazetteer names and rule literals the way text is processed.
 * Returns the number of tokens, fills words[] (up to max). */
int engine_analyze(ties_engine *e, ties_worker *w, const char *s, size_t n,
                   const wordrec **words, uint8_t *kinds, size_t max);
/* A temporary worker for load-time analysis, or NULL (diag recorded). */
ties_worker *engine_load_worker(ties_engine *e);

#endif /* TIES_INT_H */
