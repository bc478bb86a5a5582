/*
 * cmd_extract.c — `ties extract [--format F] [-o FILE] [-j N] [PATH...]`.
 *
 * Documents come from files, directories (recursive, sorted), stdin, or a
 * JSON Lines stream (--jsonl: {"id": ..., "text": ..., "date": ...} per
 * line, read lazily). N worker threads share one immutable engine, each
 * with its own ties_worker; the main thread reads inputs and writes results
 * in input order through a ring of at most 2N+2 documents in flight, so
 * memory is bounded by the largest documents, not by the corpus, and the
 * output is the same whatever N is.
 *
 *   reader (main) ──▶ ring[idx % Q] ──▶ workers ──▶ ring ──▶ writer (main)
 *
 * A document that cannot be read or decoded is reported (FILE: reason)
 * and skipped; everything else is written; the exit status is 1 at the end
 * with a count of failures.
 */
#include "cli.h"
#include "rule.h"
#include "store.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char S_usage[] =
    "usage: ties extract [options] [PATH...]\n"
    "  Relation triples of files, directories (recursive, sorted) or stdin.\n"
    "  --format F         tsv (default), jsonl, ... (--format help lists them)\n"
    "  -o FILE            write to FILE (through a temporary file renamed at the end)\n"
    "  -j N               worker threads (default: the number of cores)\n"
    "  --jsonl            inputs are JSON Lines: {\"id\":..., \"text\":..., \"date\":...}\n"
    "  --db FILE          also keep everything in an SQLite store (see 'ties db')\n"
    "  --rules PATH       rule file or directory (repeatable)\n"
    "  --gazetteers DIR   gazetteer directory\n"
    "  --date YYYY-MM-DD  document date for role look-ups\n"
    "  --main-actor ID    actor of elided subjects (default: most mentioned state)\n"
    "  --all-modalities   also write planned, negated, ... candidates\n"
    "  --max-doc-bytes N  refuse larger documents (default 64M)\n"
    "  --max-token-bytes N       cut longer tokens (default 1024)\n"
    "  --max-sentence-tokens N   split longer sentences (default 1000)\n"
    "  -q, --quiet        no warnings, no progress line\n"
    "  --stats            at the end, throughput, time per stage, peak memory and\n"
    "                     the costliest rules\n";

/* ---- inputs ---------------------------------------------------------------- */

typedef struct job {
  size_t idx;
  char *name;      /* document id */
  char *path;      /* for diagnostics */
  char *text;
  size_t len;
  char *date;
  char *fail;      /* a message when the input could not be read */
  char *warn;      /* a message to print before its output, or NULL */
  ties_doc *doc;
  buf out;         /* its output, when a worker wrote it (emitter.per_doc) */
  bool formatted;
  double t_format; /* the worker's time on it */
  int state;       /* 0 free, 1 ready, 2 taken, 3 done */
  /* for progress: the input's bytes it was read from, and those of the
   * inputs it leaves out of the work (a failed file, an unchanged one) */
  size_t in_bytes, in_drop;
  /* a file's device and inode, when known: what makes two inputs one */
  bool have_id;
  unsigned long long dev, ino;
} job;

/* A job with no work after all (a document the store has, or refuses):
 * its text goes, and its input's bytes leave the work rather than count
 * as done. */
static void S_leave_out(job *j) {
  free(j->text);
  j->text = NULL;
  j->len = 0;
  j->in_drop += j->in_bytes;
  j->in_bytes = 0;
}

typedef struct source {
  const cli *c;
  inputs files;
  size_t next;     /* next file */
  FILE *jsonl;     /* current JSONL stream */
  const char *jsonl_path;
  size_t jsonl_line;
  size_t jsonl_file; /* index into files for --jsonl */
  buf line;          /* the current JSONL line */
  size_t max_bytes;
  size_t total_bytes; /* of the inputs, for progress; 0: not known */
  /* JSONL, for progress: the bytes of the files read to their end, the
   * current file's size (0: not known), and the bytes jobs have taken */
  size_t done_bytes, cur_size, taken_bytes;
} source;

/* The bytes of JSON Lines input read and not yet taken by a job: the next
 * job's share. The read position comes from the stream (lines with CRLF, a
 * last line without its newline and blank lines are all counted); a pipe
 * has none, and no total either. */
static size_t S_take_bytes(source *src) {
  size_t now = src->done_bytes;
  if (src->jsonl && src->jsonl != stdin) {
    off_t at = ftello(src->jsonl);
    if (at > 0)
      now += (size_t)at;
  }
  size_t n = now > src->taken_bytes ? now - src->taken_bytes : 0;
  src->taken_bytes += n;
  return n;
}

/* The end of the current JSONL stream; returns the bytes read of it. */
static size_t S_jsonl_close(source *src) {
  off_t at = src->jsonl != stdin ? ftello(src->jsonl) : 0;
  size_t n = at > 0 ? (size_t)at : 0;
  src->done_bytes += n;
  if (src->jsonl != stdin)
    fclose(src->jsonl);
  src->jsonl = NULL;
  return n;
}

/* Next JSON Lines document into j; false at the end of all streams. A line
 * is read with a bound (cli_getline), so a stream that never ends a line
 * costs no more memory than the limit. */
static bool S_next_jsonl_job(source *src, job *j) {
  for (;;) {
    if (!src->jsonl) {
      if (src->jsonl_file >= src->files.n)
        return false;
      const char *p = src->files.paths[src->jsonl_file++];
      src->jsonl_path = p;
      src->jsonl_line = 0;
      src->jsonl = strcmp(p, "-") ? fopen(p, "rb") : stdin;
      int open_err = errno;
      struct stat st;
      bool reg = src->jsonl ? fstat(fileno(src->jsonl), &st) == 0 && S_ISREG(st.st_mode)
                            : stat(p, &st) == 0 && S_ISREG(st.st_mode);
      src->cur_size = reg && src->jsonl != stdin ? (size_t)st.st_size : 0;
      if (!src->jsonl) {
        char msg[512];
        j->in_drop = src->cur_size; /* none of it is read */
        snprintf(msg, sizeof msg, "%s: %s", p, strerror(open_err));
        j->fail = strdup(msg);
        j->name = strdup(p);
        j->path = strdup(p);
        return true;
      }
    }
    bool too_long;
    size_t max = src->max_bytes > SIZE_MAX / 2 ? SIZE_MAX / 2 : src->max_bytes * 2;
    long long n = cli_getline(src->jsonl, &src->line, max, &too_long);
    if (n < 0) {
      bool rerr = ferror(src->jsonl);
      size_t at = S_jsonl_close(src);
      if (rerr) {
        j->in_drop = src->cur_size > at ? src->cur_size - at : 0; /* not read */
        char msg[600];
        snprintf(msg, sizeof msg, "%s: read error after line %zu", src->jsonl_path,
                 src->jsonl_line);
        j->fail = strdup(msg);
        j->name = strdup(src->jsonl_path);
        j->path = strdup(src->jsonl_path);
        return true;
      }
      continue;
    }
    src->jsonl_line++;
    if (n == 0)
      continue;
    char where[600];
    snprintf(where, sizeof where, "%s:%zu", src->jsonl_path, src->jsonl_line);
    j->path = strdup(where);
    if (too_long || src->line.failed) {
      char msg[700];
      snprintf(msg, sizeof msg, "%s: error: line of %lld bytes, larger than twice "
               "the document limit of %zu", where, n, src->max_bytes);
      j->fail = strdup(msg);
      j->name = strdup(where);
      return true;
    }
    jsonl_doc d;
    int col;
    char why[400];
    if (cli_jsonl_parse(src->line.p, src->line.len, &d, &col, why, sizeof why)) {
      char msg[1100];
      if (col)
        snprintf(msg, sizeof msg, "%s:%d: error: %s", where, col, why);
      else
        snprintf(msg, sizeof msg, "%s: error: %s", where, why);
      j->fail = strdup(msg);
      j->name = strdup(where);
      return true;
    }
    j->name = d.id;
    j->text = d.text;
    j->len = d.len;
    j->date = d.date;
    return true;
  }
}

static bool S_next_jsonl(source *src, job *j) {
  if (!S_next_jsonl_job(src, j))
    return false;
  j->in_bytes = S_take_bytes(src);
  return true;
}

/* The document names of a run. A store holds one document by a name, so a
 * second input of a name the run has stored is refused, with the path of
 * the first. The same file given twice (by any path to it) is no clash:
 * it is read, written and stored again, as before. Without a store, files
 * of one name are both written, with a warning: their rows share the doc
 * column. JSON Lines without a store are a filter, which keeps nothing of
 * the lines before. */
typedef struct names {
  store *db;
  bool jsonl, quiet;
  bool off;    /* the store could not keep them: said once, not checked */
  strmap seen; /* name → "key\0path", files without a store */
  arena ar;
} names;

/* What makes an input the same: a file's device and inode (any path to
 * it), else its path: a JSON Lines document's file and line, stdin's "-". */
static void S_input_key(const job *j, char *key, size_t n) {
  if (j->have_id)
    snprintf(key, n, "%llu:%llu", j->dev, j->ino);
  else
    snprintf(key, n, "%s", j->path);
}

static void S_check_name(names *nm, job *j) {
  char msg[1400], key[1100];
  if (nm->off || (nm->jsonl && !nm->db))
    return;
  S_input_key(j, key, sizeof key);
  if (nm->db) {
    char prev[1024] = "", err[512] = "";
    int r = store_claim(nm->db, j->name, key, j->path, prev, sizeof prev, err,
                        sizeof err);
    if (r > 0)
      return;
    if (r < 0) {
      /* not a reason to refuse the documents: the run goes on unchecked */
      nm->off = true;
      if (!nm->quiet) {
        snprintf(msg, sizeof msg,
                 "%s: warning: %s; document names are not checked in this run "
                 "(a second input of a name would replace the first)",
                 j->path, err);
        j->warn = strdup(msg);
      }
      return;
    }
    snprintf(msg, sizeof msg,
             "%s: error: %s has the document %s '%s' too, earlier in this run; "
             "not extracted (the store keeps one document by %s)",
             j->path, prev, nm->jsonl ? "id" : "name", j->name,
             nm->jsonl ? "an id" : "a name");
    S_leave_out(j);
    j->fail = strdup(msg);
    return;
  }
  void **slot = strmap_slot(&nm->seen, j->name, strlen(j->name), &nm->ar);
  if (!slot)
    return;
  size_t kn = strlen(key), pn = strlen(j->path);
  if (!*slot) {
    char *v = arena_alloc(&nm->ar, kn + pn + 2);
    if (v) {
      memcpy(v, key, kn + 1);
      memcpy(v + kn + 1, j->path, pn + 1);
    }
    *slot = v;
    return;
  }
  const char *v = *slot;
  if (strcmp(v, key) && !nm->quiet) {
    snprintf(msg, sizeof msg,
             "%s: warning: %s has the document name '%s' too; their rows "
             "share the doc column",
             j->path, v + strlen(v) + 1, j->name);
    j->warn = strdup(msg);
  }
}

/* Next document into j; false when there are no more. */
static bool S_next(source *src, job *j) {
  if (src->c->jsonl)
    return S_next_jsonl(src, j);
  if (src->next >= src->files.n)
    return false;
  const char *p = src->files.paths[src->next++];
  j->path = strdup(p);
  j->name = cli_doc_name(p);
  int err = 0;
  struct stat st;
  /* (stdin's size is not in the total: nor its bytes in the work done) */
  bool known = strcmp(p, "-") && stat(p, &st) == 0;
  j->in_bytes = known ? (size_t)st.st_size : 0;
  j->have_id = known;
  j->dev = known ? (unsigned long long)st.st_dev : 0;
  j->ino = known ? (unsigned long long)st.st_ino : 0;
  if (known && (size_t)st.st_size > src->max_bytes) {
    j->in_drop = j->in_bytes; /* left out of the work */
    j->in_bytes = 0;
    char msg[700];
    snprintf(msg, sizeof msg,
             "%s: error: document is %lld bytes, larger than the limit of %zu "
             "(--max-doc-bytes)",
             p, (long long)st.st_size, src->max_bytes);
    j->fail = strdup(msg);
    return true;
  }
  j->text = cli_read_file(p, &j->len, src->max_bytes, &err);
  if (!j->text) {
    j->in_drop = j->in_bytes;
    j->in_bytes = 0;
    char msg[700];
    snprintf(msg, sizeof msg, "%s: %s", p, strerror(err));
    j->fail = strdup(msg);
  }
  return true;
}

/* ---- the ring and the workers -------------------------------------------- */

typedef struct pool {
  const ties_engine *e;
  const cli *c;
  job *ring;
  size_t q;           /* ring size */
  size_t filled;      /* jobs handed to the ring */
  size_t taken;       /* jobs taken by workers */
  bool closing;
  /* the main thread, when it has to wait, waits for jobs [wait_from,
   * wait_to] to be done: a few documents a wake-up rather than one */
  bool main_waits;
  size_t wait_from, wait_to;
  pthread_mutex_t mu;
  pthread_cond_t work, done;
  unsigned flags;
  int worker_fail;
  const emitter *em;     /* the writer, when workers format (per_doc) */
  const emit_ctx *proto; /* its settings: engine, hashes, modalities */
} pool;

typedef struct wctx {
  pool *p;
  ties_worker *w;
} wctx;

static void S_process(pool *p, ties_worker *w, job *j) {
  if (j->fail || !j->text)
    return;
  ties_docopts o = {0};
  o.flags = p->flags;
  o.date = j->date ? j->date : p->c->date;
  o.path = j->path;
  j->doc = ties_doc_new(w, j->name, j->text, j->len, &o);
  if (!j->doc) {
    j->fail = strdup("out of memory");
    return;
  }
  /* the writer's bytes for this document, made here in parallel; the
   * main thread only writes them, in order */
  if (p->em) {
    double t0 = ties_now();
    emit_ctx c = *p->proto;
    emit_doc ed;
    emit_doc_of(&ed, j->doc, j->path);
    if (ed.n)
      buf_grow(&c.b, ed.n * 320); /* a row is about 200 bytes */
    p->em->doc(&c, &ed);
    j->out = c.b;
    j->formatted = true;
    j->t_format = ties_now() - t0;
  }
}

/* Are jobs [from, to] all done? (under p->mu) */
static bool S_done(const pool *p, size_t from, size_t to) {
  for (size_t k = from; k <= to; k++)
    if (p->ring[k % p->q].state != 3)
      return false;
  return true;
}

static void *S_worker(void *arg) {
  wctx *wc = arg;
  pool *p = wc->p;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->closing && p->taken >= p->filled)
      pthread_cond_wait(&p->work, &p->mu);
    if (p->taken >= p->filled && p->closing) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    job *j = &p->ring[p->taken % p->q];
    p->taken++;
    j->state = 2;
    pthread_mutex_unlock(&p->mu);
    S_process(p, wc->w, j);
    pthread_mutex_lock(&p->mu);
    j->state = 3;
    if (p->main_waits && S_done(p, p->wait_from, p->wait_to))
      pthread_cond_broadcast(&p->done);
    pthread_mutex_unlock(&p->mu);
  }
}

/* ---- progress --------------------------------------------------------------- */

typedef struct progress {
  bool on;
  bool shown; /* a progress line is on the terminal, without its newline */
  double start, last, interval;
  size_t docs, total_docs, bytes, triples;
  size_t in_bytes, total_in; /* of the inputs, done and in all (0: not known) */
} progress;

static double S_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void S_progress(progress *pr, bool final) {
  if (!pr->on)
    return;
  double now = S_now();
  if (!final && now - pr->last < pr->interval)
    return;
  pr->last = now;
  double el = now - pr->start;
  double mbs = el > 0 ? (double)pr->bytes / 1e6 / el : 0;
  /* the line, written at once (stderr is unbuffered) */
  buf t = BUF_INIT;
  buf_puts(&t, "\r\033[K");
  if (pr->total_docs)
    buf_printf(&t, "%zu/%zu documents", pr->docs, pr->total_docs);
  else
    buf_printf(&t, "%zu documents", pr->docs);
  buf_printf(&t, ", %.1f MB/s, %zu triples", mbs, pr->triples);
  /* the time left, from the input's bytes done; without a count of the
   * documents (JSON Lines), how much of the input is done */
  if (!final && pr->total_in && pr->in_bytes && pr->in_bytes < pr->total_in) {
    double rest = el * (double)(pr->total_in - pr->in_bytes) / (double)pr->in_bytes;
    if (!pr->total_docs)
      buf_printf(&t, ", %u%%", (unsigned)(100.0 * (double)pr->in_bytes / (double)pr->total_in));
    buf_puts(&t, ", ");
    buf_put_duration(&t, rest);
    buf_puts(&t, " left");
  }
  if (final)
    buf_putc(&t, '\n');
  fputs(buf_cstr(&t), stderr);
  buf_free(&t);
  pr->shown = !final;
  fflush(stderr);
}

/* Before a message on stderr: the progress line is taken off the terminal,
 * so that the message stands on a line of its own (the next update draws
 * the line again, below it). */
static void S_progress_clear(progress *pr) {
  if (!pr->shown)
    return;
  fputs("\r\033[K", stderr);
  pr->shown = false;
}

/* ---- interruption ---------------------------------------------------------- */

static volatile sig_atomic_t S_stop;
static void S_on_signal(int sig) {
  (void)sig;
  S_stop = 1;
}

static int S_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* ---- the command ---------------------------------------------------------- */

/* ---- --stats ------------------------------------------------------------------ */

static void S_stats_add(ties_worker_stats *a, const ties_worker_stats *b) {
  a->docs += b->docs;
  a->bytes += b->bytes;
  a->sentences += b->sentences;
  a->tokens += b->tokens;
  a->word_types += b->word_types;
  a->cache_flushes += b->cache_flushes;
  a->t_tokenize += b->t_tokenize;
  a->t_spell += b->t_spell;
  a->t_stem += b->t_stem;
  a->t_gazetteer += b->t_gazetteer;
  a->t_resolve += b->t_resolve;
  a->t_rules += b->t_rules;
}

/* Peak resident memory in MB (ru_maxrss is in kilobytes on Linux). */
static double S_peak_rss_mb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    return 0;
  return (double)ru.ru_maxrss / 1024.0;
}

/* One line of key=value pairs, easy to read and to parse (make bench). */
static void S_stats_print(const cli *c, const ties_worker_stats *t, int threads,
                          double wall, double t_output, double t_read) {
  double mb = (double)t->bytes / 1e6;
  fprintf(stderr,
          "%s: stats: threads=%d docs=%llu mb=%.3f sentences=%llu tokens=%llu "
          "seconds=%.3f mb_per_s=%.2f sentences_per_s=%.0f peak_rss_mb=%.1f "
          "word_types=%llu cache_flushes=%llu\n",
          c->prog, threads, (unsigned long long)t->docs, mb,
          (unsigned long long)t->sentences, (unsigned long long)t->tokens, wall,
          wall > 0 ? mb / wall : 0, wall > 0 ? (double)t->sentences / wall : 0,
          S_peak_rss_mb(), (unsigned long long)t->word_types,
          (unsigned long long)t->cache_flushes);
  fprintf(stderr,
          "%s: stats: stage seconds (summed over threads): read=%.3f "
          "tokenize=%.3f spell=%.3f stem=%.3f gazetteer=%.3f resolve=%.3f "
          "rules=%.3f output=%.3f\n",
          c->prog, t_read, t->t_tokenize, t->t_spell, t->t_stem, t->t_gazetteer,
          t->t_resolve, t->t_rules, t_output);
}

/* The rules that cost the matcher most, for authors who wonder why a run is
 * slow: a broad gap or list at the start of a pattern shows up here. */
static void S_stats_rules(const cli *c, const ties_engine *e, const uint64_t *steps,
                          const uint64_t *runs, size_t n) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += steps[i];
  if (!total)
    return;
  fprintf(stderr, "%s: stats: matcher steps %llu; the costliest rules:", c->prog,
          (unsigned long long)total);
  bool *shown = calloc(n + 1, 1);
  for (int k = 0; k < 5 && shown; k++) {
    size_t best = n;
    for (size_t i = 0; i < n; i++)
      if (!shown[i] && steps[i] && (best == n || steps[i] > steps[best]))
        best = i;
    if (best == n)
      break;
    shown[best] = true;
    const rule *r = VEC_AT(&e->rules->rules, rule *, best);
    fprintf(stderr, " %s %.0f%% (%llu sentences)", r->id, 100.0 * (double)steps[best] / (double)total,
            (unsigned long long)runs[best]);
  }
  fputc('\n', stderr);
  free(shown);
}

int cmd_extract(int argc, char **argv) {
  cli c = {0};
  int rc = cli_parse(&c, argc, argv, NULL, NULL, S_usage);
  if (rc)
    return rc;
  if (c.format && !strcmp(c.format, "help")) {
    emitter_list(stdout);
    free(c.args);
    return 0;
  }
  const emitter *em = emitter_find(c.format ? c.format : "tsv");
  if (!em) {
    fprintf(stderr, "%s: unknown format '%s'; formats:\n", c.prog, c.format);
    emitter_list(stderr);
    free(c.args);
    return EXIT_USAGE;
  }
  if (em->directory && !c.output) {
    fprintf(stderr, "%s: --format %s writes several files: give a directory with -o DIR\n",
            c.prog, em->name);
    free(c.args);
    return EXIT_USAGE;
  }
  ties_engine *e = cli_engine(&c, true, &rc);
  if (!e) {
    free(c.args);
    return rc;
  }
  int jobs = c.jobs ? c.jobs : S_cores();
  int bad = 0;

  source src = {0};
  src.c = &c;
  src.max_bytes = e->set.max_doc_bytes;
  cli_inputs(&c, c.args, c.nargs, &src.files, &bad);
  /* no more workers than files: each costs its dictionaries to make */
  if (!c.jsonl && src.files.n < (size_t)jobs)
    jobs = src.files.n ? (int)src.files.n : 1;
  /* the inputs' size, for the time left: JSON Lines only from regular
   * files (a pipe's is not known) */
  for (size_t i = 0; i < src.files.n; i++) {
    struct stat st;
    if (strcmp(src.files.paths[i], "-") && stat(src.files.paths[i], &st) == 0 &&
        (S_ISREG(st.st_mode) || !c.jsonl)) {
      src.total_bytes += (size_t)st.st_size;
    } else if (c.jsonl) {
      src.total_bytes = 0;
      break;
    }
  }

  store *db = NULL;
  if (c.db) {
    char err[512] = "";
    db = store_open(c.db, e, err, sizeof err);
    if (!db) {
      fprintf(stderr, "%s: %s: %s\n", c.prog, c.db, err);
      cli_inputs_free(&src.files);
      ties_engine_free(e);
      free(c.args);
      return EXIT_USAGE;
    }
    char opts[512];
    snprintf(opts, sizeof opts, "all_modalities=%d date=%s main_actor=%s",
             c.keep_modal ? 1 : 0, c.date ? c.date : "",
             c.main_actor ? c.main_actor : "");
    store_set_options(db, opts);
  }

  /* output */
  outfile o = {0};
  emit_ctx ec = {0};
  ec.e = e;
  ec.rules_hash = ties_engine_rules_hash(e);
  ec.gazetteer_hash = ties_engine_gazetteer_hash(e);
  ec.all_modalities = c.keep_modal;
  int err = 0;
  if (em->directory) {
    if (mkdir(c.output, 0777) != 0 && errno != EEXIST)
      err = errno;
    ec.dir = c.output;
  } else {
    err = out_open(&o, c.output);
    ec.out = o.f;
  }
  if (err) {
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output, strerror(err));
    out_close(&o, false);
    store_close(db);
    cli_inputs_free(&src.files);
    ties_engine_free(e);
    free(c.args);
    return EXIT_USAGE;
  }
  if (em->begin)
    em->begin(&ec);
  emit_flush(&ec);

  /* the engine's tables made on first use, made now: every worker finds
   * them ready (this is start-up, not the work of any one document) */
  spell_forms_prepare(e);

  /* workers */
  pool p = {0};
  p.e = e;
  p.c = &c;
  p.q = (size_t)jobs * 2 + 2;
  p.ring = calloc(p.q, sizeof(job));
  /* a batch writes triples: the candidates dropped, and why, are for explain */
  p.flags = TIES_OPT_TRIPLES_ONLY | (c.keep_modal ? TIES_OPT_KEEP_MODAL : 0);
  /* With several workers, they also format their documents' output (the
   * main thread only writes it), so that the cores all go to the workers;
   * one worker leaves it to the main thread, which runs beside it. The
   * writer's settings for the workers: a copy they only read. */
  emit_ctx proto = ec;
  proto.out = NULL;
  proto.b = (buf)BUF_INIT;
  proto.state = NULL;
  if (em->per_doc && jobs > 1) {
    p.em = em;
    p.proto = &proto;
  }
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.work, NULL);
  pthread_cond_init(&p.done, NULL);
  wctx *wcs = calloc((size_t)jobs, sizeof(wctx));
  pthread_t *th = calloc((size_t)jobs, sizeof(pthread_t));
  int started = 0;
  for (int i = 0; i < jobs && p.ring && wcs && th; i++) {
    wcs[i].p = &p;
    wcs[i].w = ties_worker_new(e);
    if (!wcs[i].w)
      break;
    if (pthread_create(&th[i], NULL, S_worker, &wcs[i]) != 0) {
      ties_worker_free(wcs[i].w);
      break;
    }
    started++;
  }
  if (!started) {
    cli_print_engine_diags(&c, e, true);
    fprintf(stderr, "%s: cannot start a worker\n", c.prog);
    out_close(&o, false);
    store_close(db);
    ties_engine_free(e);
    free(p.ring);
    free(wcs);
    free(th);
    free(c.args);
    return EXIT_USAGE;
  }

  struct sigaction sa = {0}, old_int, old_term;
  sa.sa_handler = S_on_signal;
  /* the first signal stops the batch cleanly once the documents in work are
   * done; a second one (a large document taking its time) kills at once,
   * which leaves at most a FILE.tmp.PID behind, never a partial FILE */
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  progress pr = {0};
  /* not when the output itself goes to the terminal: the rows would be
   * written into the line */
  pr.on = !c.quiet && isatty(2) && !(!em->directory && o.f == stdout && isatty(1));
  /* (TIES_PROGRESS_INTERVAL, seconds between redraws: for tests) */
  const char *piv = getenv("TIES_PROGRESS_INTERVAL");
  pr.interval = piv && *piv ? strtod(piv, NULL) : 0.1;
  if (!(pr.interval >= 0))
    pr.interval = 0.1;
  pr.start = pr.last = S_now();
  pr.total_docs = c.jsonl ? 0 : src.files.n;
  pr.total_in = src.total_bytes;

  names nm = {.db = db, .jsonl = c.jsonl, .quiet = c.quiet};
  strmap_init(&nm.seen);
  arena_init(&nm.ar);

  size_t written = 0;
  bool more = true;
  double t_output = 0, t_read = 0;
  while (!S_stop) {
    /* fill the ring */
    pthread_mutex_lock(&p.mu);
    bool room = p.filled - written < p.q;
    pthread_mutex_unlock(&p.mu);
    if (more && room) {
      job nj = {0};
      nj.idx = p.filled;
      double t0 = S_now();
      bool got = S_next(&src, &nj);
      t_read += S_now() - t0;
      if (!got) {
        more = false;
      } else {
        if (nj.text && !nj.fail)
          S_check_name(&nm, &nj);
        /* unchanged in the store: nothing to do */
        if (db && nj.text && !nj.fail) {
          char h[65];
          ties_sha256_text(nj.text, nj.len, h);
          if (store_unchanged(db, nj.name, h))
            S_leave_out(&nj); /* no text, no failure: skipped quietly */
        }
        /* every job goes through a worker (failed ones return at once), so
         * a slot is only reused after a worker is done with it */
        pthread_mutex_lock(&p.mu);
        job *slot = &p.ring[p.filled % p.q];
        *slot = nj;
        slot->state = 1;
        p.filled++;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.mu);
        continue;
      }
    }
    if (written == p.filled && !more)
      break;
    /* write the next job in order, waiting for it if needed */
    pthread_mutex_lock(&p.mu);
    job *j = &p.ring[written % p.q];
    if (j->state != 3 && !S_stop && !(room && more)) {
      /* nothing to read or no room: wait for the next job, and for those
       * after it but the last few, which keep the workers busy meanwhile
       * (a wake-up costs about as much as a small document's writing) */
      p.wait_from = written;
      p.wait_to = written + (p.q > (size_t)jobs ? p.q - (size_t)jobs : 1) - 1;
      if (p.wait_to >= p.filled)
        p.wait_to = p.filled - 1;
      p.main_waits = true;
      while (!S_done(&p, p.wait_from, p.wait_to) && !S_stop)
        pthread_cond_wait(&p.done, &p.mu);
      p.main_waits = false;
    }
    bool ready = j->state == 3;
    pthread_mutex_unlock(&p.mu);
    if (!ready)
      continue;
    if (j->warn) {
      S_progress_clear(&pr);
      fprintf(stderr, "%s\n", j->warn);
    }
    if (j->fail) {
      S_progress_clear(&pr);
      fprintf(stderr, "%s\n", j->fail);
      bad++;
    } else if (j->doc) {
      if (ties_doc_n_diags(j->doc))
        S_progress_clear(&pr);
      if (cli_print_doc_diags(&c, j->doc))
        bad++;
      double t0 = S_now();
      emit_doc ed;
      emit_doc_of(&ed, j->doc, j->path);
      if (j->formatted) {
        /* written by the worker: out goes through ec's flush as it is */
        emit_flush(&ec);
        buf mine = ec.b;
        ec.b = j->out;
        emit_flush(&ec);
        j->out = ec.b;
        ec.b = mine;
        t_output += j->t_format;
      } else {
        em->doc(&ec, &ed);
        emit_flush(&ec);
      }
      t_output += S_now() - t0;
      pr.triples += ed.n;
      if (db && ties_doc_status(j->doc) == TIES_OK) {
        char h[65], msg[512] = "";
        ties_sha256_text(j->text, j->len, h);
        if (store_put(db, j->name, j->path, h, j->doc, msg, sizeof msg) != 0) {
          S_progress_clear(&pr);
          fprintf(stderr, "%s: %s: %s\n", c.db, j->name, msg);
          bad++;
        }
      }
    }
    pr.docs++;
    pr.bytes += j->len;
    pr.in_bytes += j->in_bytes;
    pr.total_in -= j->in_drop < pr.total_in ? j->in_drop : pr.total_in;
    S_progress(&pr, false);
    ties_doc_free(j->doc);
    buf_free(&j->out);
    free(j->name);
    free(j->path);
    free(j->text);
    free(j->date);
    free(j->fail);
    free(j->warn);
    pthread_mutex_lock(&p.mu);
    memset(j, 0, sizeof *j);
    pthread_mutex_unlock(&p.mu);
    written++;
    if (ec.err)
      break;
  }

  /* the work is done: what follows (stopping and freeing the workers, their
   * dictionaries and caches) is shut-down, like start-up not counted in
   * the throughput --stats reports */
  double t_done = S_now();
  /* the last progress line, its rate that of --stats, before anything
   * else is said */
  S_progress(&pr, true);
  /* stop the workers; on interruption, drop what is still in flight */
  pthread_mutex_lock(&p.mu);
  p.closing = true;
  if (S_stop || ec.err)
    p.filled = p.taken; /* nothing more to take */
  pthread_cond_broadcast(&p.work);
  pthread_mutex_unlock(&p.mu);
  ties_worker_stats tot = {0};
  size_t nr = e->rules ? e->rules->rules.len : 0;
  uint64_t *rsteps = c.stats ? calloc(nr + 1, sizeof(uint64_t)) : NULL;
  uint64_t *rruns = c.stats ? calloc(nr + 1, sizeof(uint64_t)) : NULL;
  for (int i = 0; i < started; i++) {
    pthread_join(th[i], NULL);
    ties_worker_stats ws;
    ties_worker_get_stats(wcs[i].w, &ws);
    S_stats_add(&tot, &ws);
    if (rsteps && rruns)
      match_rule_stats(wcs[i].w, rsteps, rruns, nr);
    ties_worker_free(wcs[i].w);
  }
  if (c.stats) {
    S_stats_print(&c, &tot, started, t_done - pr.start, t_output, t_read);
    if (rsteps && rruns)
      S_stats_rules(&c, e, rsteps, rruns, nr);
  }
  free(rsteps);
  free(rruns);
  for (size_t i = 0; i < p.q; i++) {
    ties_doc_free(p.ring[i].doc);
    buf_free(&p.ring[i].out);
    free(p.ring[i].name);
    free(p.ring[i].path);
    free(p.ring[i].text);
    free(p.ring[i].date);
    free(p.ring[i].fail);
    free(p.ring[i].warn);
  }
  strmap_free(&nm.seen);
  arena_free(&nm.ar);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);

  bool ok = !S_stop && !ec.err;
  if (em->end) {
    /* a failed run: the writers free what they gathered and write nothing */
    ec.discard = !ok;
    em->end(&ec);
    if (ok) {
      emit_flush(&ec);
      ok = !ec.err;
    }
  }
  int cerr = em->directory ? ec.err : out_close(&o, ok);
  if (!cerr && !ok)
    cerr = ec.err;
  buf_free(&ec.b);
  if (cerr)
    fprintf(stderr, "%s: %s: %s\n", c.prog, c.output ? c.output : "stdout",
            strerror(cerr));
  if (store_close(db) != 0) {
    fprintf(stderr, "%s: %s: cannot close the store\n", c.prog, c.db);
    cerr = cerr ? cerr : EIO;
  }
  if (src.jsonl && src.jsonl != stdin)
    fclose(src.jsonl);
  buf_free(&src.line);
  cli_inputs_free(&src.files);
  ties_engine_free(e);
  free(p.ring);
  free(wcs);
  free(th);
  free(c.args);
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.work);
  pthread_cond_destroy(&p.done);
  if (S_stop) {
    fprintf(stderr, "%s: interrupted after %zu document%s; %s\n", c.prog, written,
            written == 1 ? "" : "s",
            c.output ? "nothing written" : "output incomplete");
    return 130;
  }
  if (bad)
    fprintf(stderr, "%s: %d input%s failed\n", c.prog, bad, bad == 1 ? "" : "s");
  return cerr ? EXIT_USAGE : bad ? EXIT_DOCS : 0;
}
