/*
 * rule.h — the rule language: lexer, parser, compiler and matcher share
 * these types (private to libties).
 *
 *   source ──rule_lex──▶ lexemes ──rule_parse──▶ AST (node) with locations
 *          ──rule_compile──▶ program (inst[]) per match line ──match──▶
 *   candidates ──triple──▶ distinct triples
 *
 * A program is a small backtracking machine over the tokens of one
 * sentence, in the style of a regular-expression VM: TOK tests one token,
 * ENT consumes a whole entity mention (or a coordinated list of them),
 * SPLIT/JMP make alternation and repetition, SAVE records capture bounds.
 */
#ifndef TIES_RULE_H
#define TIES_RULE_H

#include "ties_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---- lexemes ----------------------------------------------------------- */
enum {
  L_EOF = 0,
  L_WORD,     /* literal word or keyword: to, match, donated.direct */
  L_TYPE,     /* COUNTRY ORG PERSON PLATFORM ACTOR MONEY DATE PLACE ... */
  L_STRING,   /* "..." */
  L_STEM,     /* <a|b> (text without the brackets) */
  L_REGEX,    /* /.../flags */
  L_CAPTURE,  /* @name */
  L_REF,      /* %NAME */
  L_VAR,      /* $main $context */
  L_NUMBER,
  L_PUNCT,    /* ( ) | ? * + { } , : ! = ; ^ _ [ ] */
  L_ARROW,    /* => */
  L_ERROR
};

typedef struct lexeme {
  int kind;
  size_t off, len;      /* bytes in the file (whole lexeme) */
  const char *text;     /* decoded text (strings unescaped), arena */
  size_t tlen;
} lexeme;

/* ---- predicates on one token ------------------------------------------- */
enum { P_LIT = 1, P_STEM, P_REGEX, P_CLASS, P_OR };
enum { /* token classes for P_CLASS */
  C_NUM = 1, C_PUNCT, C_CAP, C_POSS, C_WORD, C_MONEY, C_MODEL,
  C_THE,      /* the word "the", which an entity element may begin with
               * (rule_compile.c S_ent_start); never written in rules */
  C_COUNT
};

typedef struct pred {
  int kind;
  uint32_t *syms;         /* P_LIT: norm symbols; P_STEM: stem symbols */
  int n;
  pcre2_code *re;         /* P_REGEX */
  int re_idx;             /* P_REGEX: its number in the ruleset (regexes) */
  int cls;                /* P_CLASS */
  struct pred **alts;     /* P_OR */
  int nalts;
  uint32_t *or_norm, *or_stem; /* P_OR: sorted literal and stem symbols */
  int n_or_norm, n_or_stem;
  bool or_rest;           /* P_OR: some alternatives are not words/stems */
  struct pred **rest;     /* P_OR: those alternatives */
  int nrest;
  uint32_t *or_tab;       /* P_OR: or_norm and or_stem | TRIG_STEM, hashed */
  unsigned or_tab_bits;   /* its size: 1 << bits slots, 0 = empty */
  const char *src;        /* as written, for traces */
  /* How the matcher tests it (rule_compile.c S_fast_pred): one compare, or
   * a bit of the word's wordrec.pbits for what depends on the word alone,
   * or'ed with a look at the token's mention for entity types. */
  uint8_t fast;           /* PF_*; PF_SLOW: pred_test's walk */
  uint32_t fsym;          /* PF_LIT: the norm symbol; PF_STEM: the stem symbol */
  uint32_t fbit;          /* PF_BITS, PF_BITS_REST: the bit in wordrec.pbits
                           * (PF_REGEX: match.c S_regex and its memo) */
  uint32_t fent;          /* PF_BITS, PF_BITS_REST, PF_ENT: or inside a mention
                           * of these types */
  int frest;              /* PF_BITS_REST: or one of rest[frest ..] (a regex) */
} pred;
enum { PF_SLOW = 0, PF_LIT, PF_STEM, PF_BITS, PF_BITS_REST, PF_REGEX, PF_ENT, PF_NEVER };

/* wordrec.pbits: bits 0 .. PB_FIXED - 1 mark a few words the matcher looks
 * for by name (S_mention_at, S_list); the others are the word parts of the
 * predicates (pred.fbit), numbered by rules_compile. The array is made when
 * the word is, and shared by the words with the same bits. */
enum {
  PB_THE, PB_LIST_SKIP, PB_NOT, PB_LEAST_ONLY, PB_COMMA, PB_AMP, PB_SLASH,
  PB_DASH, PB_AND_OR, PB_AS, PB_WELL, PB_LPAREN, PB_RPAREN, PB_FIXED
};
/* The word-set signature of a sentence and of what a program needs: a bit
 * for each set, id % SIG_BITS (match.c, rule_compile.c). Wider than the
 * 64 bits of prog.conj_sig, it rules out far more programs by itself: a
 * sentence has some fifty sets. */
#define SIG_WORDS 4
#define SIG_BITS (64 * SIG_WORDS)
/* wordrec.minfo: {n sets, n programs, the signature of its sets as
 * 2 * SIG_WORDS halves, its sets..., its programs...} */
#define MI_SIG 2
#define MI_LISTS (MI_SIG + 2 * SIG_WORDS)

static inline bool pbits_has(const wordrec *w, uint32_t bit) {
  if (bit < 64)
    return (w->pbits0 >> bit) & 1;
  return (w->pbits[bit >> 6] >> (bit & 63)) & 1;
}

/* ---- AST --------------------------------------------------------------- */
enum {
  N_SEQ = 1, N_ALT, N_REP, N_TOK, N_NOT, N_ANY, N_ENT, N_CAP, N_BOS, N_EOS,
  N_REF, N_NOTAFTER, N_NOTNEXT
};

/* Entity type bits for N_ENT. */
#define T_COUNTRY (1u << TIES_COUNTRY)
#define T_ORG (1u << TIES_ORG)
#define T_PERSON (1u << TIES_PERSON)
#define T_PLATFORM (1u << TIES_PLATFORM)
#define T_PLACE (1u << TIES_PLACE)
#define T_MONEY (1u << TIES_MONEY)
#define T_DATE (1u << TIES_DATE)
#define T_ACTOR (T_COUNTRY | T_ORG | T_PERSON)

typedef struct node {
  int k;
  size_t off, len;          /* source span in the file */
  struct node **kids;
  int nkids;
  int min, max;             /* N_REP; max < 0: unbounded */
  bool lazy;                /* N_REP: shortest first (gaps) */
  pred *p;                  /* N_TOK, N_NOT */
  uint32_t types;           /* N_ENT */
  bool list;                /* N_ENT: coordinated list */
  const entity *ent;        /* N_ENT: a specific entity ([CHN]) */
  const char *kinds;        /* N_ENT: "|intl|company|" or NULL */
  int cap;                  /* N_CAP: capture index */
  const char *ref;          /* N_REF: define name */
} node;

/* ---- programs ------------------------------------------------------------- */
enum {
  I_TOK = 1,  /* p: one token matching p */
  I_NOT,      /* p: one token not matching p */
  I_ANY,      /* any one token */
  I_ENT,      /* one mention (or list) of types */
  I_SPLIT,    /* try x, then y */
  I_JMP,      /* go to x */
  I_SAVE,     /* slot x = position */
  I_BOS,      /* at sentence start */
  I_EOS,      /* at sentence end */
  I_NOTAFTER, /* p: the previous token does not match p (zero-width) */
  I_NOTNEXT,  /* p: the next token does not match p (zero-width) */
  I_MATCH
};

typedef struct inst {
  uint8_t op;
  bool list;
  bool anchor;          /* I_TOK literal/stem: sets the modality anchor */
  bool poss_next;       /* I_ENT first in its program: the pattern may read a
                         * possessive next ("@v:ACTOR POSS visit") */
  int x, y;
  const pred *p;
  uint32_t types;
  const entity *ent;
  const char *kinds;    /* I_ENT: allowed org kinds "|intl|" or NULL */
  const node *src;      /* for traces: what the element looks like */
  const char *src_file; /* the file src is in (a define's, or the rule's) */
} inst;

/* The matcher's form of an instruction (rule_compile.c S_fast_prog), at the
 * same pc as in prog.code: jumps followed through, each branch's next tokens
 * as a guard, failed states remembered only where paths meet, and captures
 * that every match sets once not undone on backtracking. F_GAP is a SPLIT
 * whose second branch reads one token, as each step of a lazy gap
 * ("%G{0,6}", "_{0,3}") does. Traces run the instructions as written
 * (prog_run with fail). */
enum {
  F_TOK = 1, F_TOK_ANCHOR, F_NOT, F_ANY, F_ENT, F_SPLIT, F_GAP, F_JMP, F_SAVE,
  F_SAVE_UNDO, F_BOS, F_EOS, F_NOTAFTER, F_NOTNEXT, F_MATCH
};

typedef struct finst {
  uint8_t op;           /* F_* */
  uint16_t slot;        /* F_SAVE, F_SAVE_UNDO */
  int32_t x;            /* the next instruction; F_SPLIT: tried first */
  int32_t y;            /* F_SPLIT: tried second */
  int32_t memo;         /* paths meet here: its row in the memo; -1: none */
  const pred *p;        /* F_TOK ...: the test; F_SPLIT, F_GAP: x's guard or NULL */
  const pred *q;        /* F_SPLIT: y's guard or NULL; F_GAP: y's test (F_NOT),
                         * NULL: any token (F_ANY) */
} finst;

typedef struct prog {
  inst *code;
  finst *fcode;         /* the same program for the matcher, or NULL */
  int nmemo;            /* memo rows: the merge points of fcode */
  int n;
  int nslots;           /* 2 per capture + 2 (match) + 1 (anchor) */
  const node *ast;
  size_t off, len;      /* the match line */
  /* the words or stems every match contains (any one of them); ntrig = 0:
   * none, the program runs on every sentence its rule is tried on */
  uint32_t *trig;       /* symbol ids; stems have TRIG_STEM set */
  int ntrig;
  /* the word sets (ruleset.wsets ids) a match contains a word of each of */
  uint32_t *conj;
  int nconj;
  uint64_t conj_sig;    /* bit id % 64 of each: a quick test against the
                         * signature of the sentence's sets (match.c) */
  uint32_t id;          /* number among all programs (per-sentence caches) */
  uint32_t *ent_masks;  /* type masks of the entity elements every match has */
  uint8_t *ent_need;    /* mentions each mask needs: the elements it covers */
  int n_ent_masks;
  /* the instructions a match can begin with; nfirst = -1: anything */
  int *first;
  int nfirst;
  pred *first_or;       /* all first instructions test one token: any of these */
  pred *first_tok_or;   /* else those that do, when several (S_may_begin) */
  bool first_by_word;   /* first_or depends on the word alone, not on the
                         * token's mention: its answer is one per word type */
  bool first_ent;       /* all first instructions are entities */
} prog;
#define TRIG_STEM 0x80000000u

/* pred.or_tab: the slot a key starts at, and whether the table holds it */
static inline uint32_t or_tab_hash(uint32_t k, unsigned bits) {
  return (uint32_t)(k * 0x9E3779B1u) >> (32 - bits);
}
static inline bool or_tab_has(const pred *p, uint32_t k) {
  uint32_t mask = ((uint32_t)1 << p->or_tab_bits) - 1;
  for (uint32_t h = or_tab_hash(k, p->or_tab_bits); p->or_tab[h]; h = (h + 1) & mask)
    if (p->or_tab[h] == k)
      return true;
  return false;
}

/* ---- rules ------------------------------------------------------------- */
enum { A_CAPTURE = 1, A_ENTITY, A_MAIN, A_CONTEXT, A_SUBJECT, A_PAIR };

typedef struct emit_arg {
  int kind;
  int cap;              /* A_CAPTURE */
  const entity *ent;    /* A_ENTITY */
  const char *id;       /* constant id as written */
  uint32_t types;       /* A_CONTEXT, A_PAIR: wanted types (0 = actors) */
  size_t off, len;
} emit_arg;

typedef struct emit {
  emit_arg s, o;
  const predicate *pred;
  emit_arg item, amount, date;  /* qualifiers; kind 0 when absent */
  size_t off, len;
  unsigned line;
} emit;

typedef struct example {
  const char *text;
  const char **expect;   /* "S P O" strings */
  int nexpect;
  bool counter;
  unsigned line;
  size_t off;
} example;

struct rule {
  const char *id;
  const char *file;
  unsigned line;
  size_t off;
  const char *about;
  prog *progs;
  int nprogs;
  prog *reqs;            /* requires: each must match in the sentence */
  int nreqs;
  prog *unls;            /* unless: none may match in the sentence */
  int nunls;
  const char **caps;     /* capture names */
  int ncaps;
  uint32_t *cap_types;   /* entity types of each capture (0 = span) */
  bool *cap_list;        /* capture is a coordinated list */
  emit *emits;
  int nemits;
  unsigned allow;        /* bit per MOD_* that does not block */
  example *examples;
  int nexamples;
  uint32_t index;        /* position in the ruleset */
  bool is_cue;
  int cue_kind;          /* MOD_* for cues */
  bool no_trigger;       /* a program of it is tried on every sentence */
  bool parse_errors;     /* a clause had an error (reported already) */
  /* parse-time */
  vec match_lines;       /* node* */
  vec req_lines;         /* node* */
  vec unless_lines;      /* node* */
  vec emit_lines;
  vec ex_lines;
};

typedef struct define {
  const char *name;
  node *ast;
  const char *file;
  unsigned line;
  size_t off, len;
  bool used;
  bool failed;            /* reported once, then silently refused */
  int busy;               /* cycle detection */
} define;

typedef struct progref {
  uint32_t rule;          /* index in ruleset.rules */
  uint32_t prog;          /* index in its progs */
} progref;

typedef struct wset {
  uint32_t off, n;
} wset;

struct ruleset {
  arena *ar;
  vec rules;              /* rule* (relation rules) */
  vec cues;               /* rule* (modality cues) */
  strmap by_id;
  strmap defines;         /* name → define* */
  vec files;              /* source files: rfile* */
  /* The relation rules' programs, numbered in rule order (a candidate list
   * sorted by number runs them in the order of the rules), and the trigger
   * index, CSR by symbol id: the programs with the norm (literal) or the
   * stem with that id among their trigger words (prog.trig). */
  progref *prog_at;       /* by number */
  uint64_t *prog_sig;     /* by number, SIG_WORDS each: bit id % SIG_BITS of
                           * each of its word sets (conj), read before the
                           * program (the wider conj_sig, match.c) */
  /* by number, at need_off[n]: what its matches need of a sentence, in one
   * array (match.c S_need_met): {n word sets, n entity masks, the sets'
   * ids..., (mask, mentions needed)...} */
  uint32_t *need_off, *need_all;
  size_t nprogs_rules;
  uint32_t *norm_head, *norm_progs;
  uint32_t *stem_head, *stem_progs;
  size_t nsyms;
  size_t nprogs_all;     /* programs of all rules and cues: ids 0.. */
  uint32_t cue_prog0;    /* the id of the cues' first program */
  /* Word sets that programs require (prog.conj), each stored once: set i
   * is wset_words[wset_at[i].off ..][0 .. wset_at[i].n), sorted symbol ids
   * with TRIG_STEM for stems. */
  vec wset_words;         /* uint32_t */
  vec wset_at;            /* wset */
  strmap wset_ids;        /* the set's bytes → id + 1 */
  uint32_t *wset_norm_head, *wset_norm; /* CSR by symbol: sets with the word */
  uint32_t *wset_stem_head, *wset_stem; /* ... with the stem */
  /* The word parts of the predicates, each stored once (pred.fbit), and
   * for each symbol the bits of those that hold it as a word (norm) or as a
   * stem, for each token class (C_*) those that accept it: what
   * match_word_bits sets in wordrec.pbits. */
  uint32_t nbits;         /* PB_FIXED + word parts */
  strmap bit_ids;         /* a word part's bytes → bit + 1 */
  vec bit_keys;           /* uint32_t pairs: symbol | TRIG_STEM or class | BIT_CLASS, bit */
  uint32_t *bit_norm_head, *bit_norm;
  uint32_t *bit_stem_head, *bit_stem;
  size_t bit_nsyms;       /* symbols the two indexes cover */
  uint32_t *bit_class_head, *bit_class; /* by class 0 .. C_COUNT - 1 */
  vec always;             /* uint32_t numbers of the programs without trigger */
  vec regexes;            /* pcre2_code* to free */
  vec stems;              /* const char* every <stem> used */
  bool compiled;
  size_t n_errors;
  bool capped;
};

typedef struct rfile {
  const char *path;
  const char *text;
  size_t len;
  size_t *line_starts;
  unsigned nlines;
} rfile;

/* Type names of relations.tsv ("COUNTRY|ORG") as a mask of entity types. */
uint32_t rule_type_mask(const char *s);

/* rule_lex.c */
typedef struct lexer {
  const rfile *f;
  size_t pos, end;
  arena *ar;
  ties_engine *e;
} lexer;
void lex_init(lexer *lx, const rfile *f, size_t start, size_t end, arena *ar,
              ties_engine *e);
lexeme lex_next(lexer *lx);
lexeme lex_peek(lexer *lx);
void rfile_locate(const rfile *f, size_t off, unsigned *line, unsigned *col);
/* Report an error at a source span (and count it against the cap). */
void rule_error(ties_engine *e, const rfile *f, size_t off, size_t len,
                int code, const char *fmt, ...) TIES_PRINTF(6, 7);
void rule_warning(ties_engine *e, const rfile *f, size_t off, size_t len,
                  const char *fmt, ...) TIES_PRINTF(5, 6);

/* rule_parse.c */
int rule_parse_file(ties_engine *e, const char *path, const char *text,
                    size_t len);

/* rule_compile.c */
int rules_compile(ties_engine *e);
ruleset *ruleset_new(arena *ar);
void ruleset_free(ruleset *rs);
const rfile *rule_file_of(const ties_engine *e, const char *path);

/* match.c */
typedef struct rmatch {
  const rule *r;
  int prog;
  uint32_t *slots;       /* token positions, UINT32_MAX unset */
  int nslots;
  uint32_t sent;
} rmatch;

typedef struct trace_fail {
  uint32_t pos;         /* furthest token reached */
  int pc;               /* the instruction that failed there */
  bool set;
} trace_fail;

/* Run one program at one start position; fills slots. steps counts work.
 * fresh: forget the states explored by earlier calls (a new program, a new
 * window, or after a match); otherwise states that failed from an earlier
 * start of the same program and window are not explored again. */
bool prog_run(const ties_doc *d, const prog *pg, uint32_t start, uint32_t lo,
              uint32_t hi, uint32_t *slots, uint64_t *steps, uint64_t limit,
              trace_fail *fail, bool fresh);

/* Does token i satisfy p? */
bool pred_test(const ties_doc *d, const pred *p, uint32_t i);

/* Members of a list capture: mentions of types within [t0, t1). */
int match_list_members(const ties_doc *d, uint32_t t0, uint32_t t1,
                       uint32_t types, const mention **out, int max);

/* Explain traces (TIES_OPT_TRACE). */
typedef struct trace_rule {
  const rule *r;
  uint32_t sent;
  bool fired;
  bool candidate;        /* selected by the trigger index */
  trace_fail best;       /* furthest failure over all starts */
  int best_prog;
} trace_rule;

struct trace {
  vec items;             /* trace_rule */
};

/* Rule r on sentence si of d, without emitting: the matches the matcher
 * finds (its filters and fast machine), or -1. */
int match_count(ties_doc *d, const rule *r, uint32_t si);
/* The same with every start traced on the instructions as compiled
 * (explain --rule, --why-not): true when r matches. */
bool match_trace(ties_doc *d, const rule *r, uint32_t si, trace_rule *out);

/* For the unit tests: would match_doc run program pi of rule r on
 * sentence si (the trigger index, the word-set signature, the needs)? A
 * program that can match there must be run. */
bool match_would_run(ties_doc *d, const rule *r, int pi, uint32_t si);

#endif /* TIES_RULE_H */
