/*
 * cli.c — shared command-line plumbing: options, data directories, inputs,
 * atomic output files and diagnostics on stderr. Only the command-line
 * program prints; the library records.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TIES_DATADIR
#define TIES_DATADIR "/usr/local/share/ties"
#endif

static bool S_isdir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* gazetteers/ or rules/: next to the binary in the source tree
 * (build/../rules), in ../share/ties when installed, or TIES_DATADIR. */
/* A real path, relative to the working directory when inside it. */
static const char *S_tidy(char *out, size_t n) {
  char real[PATH_MAX], cwd[PATH_MAX];
  if (!realpath(out, real))
    return out;
  if (getcwd(cwd, sizeof cwd)) {
    size_t cn = strlen(cwd);
    if (!strncmp(real, cwd, cn) && real[cn] == '/') {
      snprintf(out, n, "%s", real + cn + 1);
      return out;
    }
  }
  snprintf(out, n, "%s", real);
  return out;
}

const char *cli_data_dir(const char *what, const char *env) {
  static char buf_[2][PATH_MAX + 32];
  char *out = buf_[what[0] == 'r'];
  const char *v = getenv(env);
  if (v && *v)
    return v;
  char exe[PATH_MAX - 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      snprintf(out, PATH_MAX + 32, "%s/../%s", exe, what);
      if (S_isdir(out))
        return S_tidy(out, PATH_MAX + 32);
      snprintf(out, PATH_MAX + 32, "%s/../share/ties/%s", exe, what);
      if (S_isdir(out))
        return S_tidy(out, PATH_MAX + 32);
    }
  }
  snprintf(out, PATH_MAX + 32, "%s/%s", TIES_DATADIR, what);
  if (S_isdir(out))
    return out;
  return what;
}

/* "64M", "1048576", "2k" → bytes; false when it is not such a number. */
static bool S_size_arg(const char *s, unsigned long long *out) {
  char *end;
  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno)
    return false;
  int shift = 0;
  if (*end == 'k' || *end == 'K')
    shift = 10;
  else if (*end == 'M')
    shift = 20;
  else if (*end == 'G')
    shift = 30;
  if (shift)
    end++;
  if (*end || v > (~0ull >> shift))
    return false;
  *out = v << shift;
  return true;
}

static int S_parse(cli *c, int argc, char **argv, cli_extra_fn extra,
                   void *ctx, const char *usage) {
  c->prog = argv[0];
  c->jobs = 0;
  c->color = isatty(2) && !getenv("NO_COLOR");
  c->args = calloc((size_t)argc + 1, sizeof(char *));
  bool only_args = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_args || a[0] != '-' || !strcmp(a, "-")) {
      c->args[c->nargs++] = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      only_args = true;
      continue;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      printf("%s", usage);
      exit(0);
    }
    /* --opt=value or --opt value */
    char opt[64];
    const char *val = NULL;
    const char *eq = strchr(a, '=');
    if (eq && a[1] == '-') {
      snprintf(opt, sizeof opt, "%.*s", (int)(eq - a), a);
      val = eq + 1;
    } else if (a[1] == 'j' && a[2]) {
      snprintf(opt, sizeof opt, "-j"); /* -j4 */
      val = a + 2;
    } else {
      snprintf(opt, sizeof opt, "%s", a);
    }
    static const char *const with_value[] = {
        "--gazetteers", "--rules",  "--date", "--main-actor", "--dict-dir",
        "--format",     "-o",       "--output", "-j", "--jobs", "--db",
        "--max-doc-bytes", "--max-token-bytes", "--max-sentence-tokens"};
    bool takes = false;
    for (size_t k = 0; k < TIES_ARRAY_LEN(with_value); k++)
      if (!strcmp(opt, with_value[k]))
        takes = true;
    if (takes && !val) {
      if (i + 1 >= argc) {
        fprintf(stderr, "%s: option '%s' needs a value\n%s", argv[0], opt, usage);
        return EXIT_USAGE;
      }
      val = argv[++i];
    }
    if (!strcmp(opt, "--gazetteers"))
      c->gazetteers = val;
    else if (!strcmp(opt, "--rules")) {
      if (c->nrules < 32)
        c->rules[c->nrules++] = val;
    } else if (!strcmp(opt, "--date"))
      c->date = val;
    else if (!strcmp(opt, "--main-actor"))
      c->main_actor = val;
    else if (!strcmp(opt, "--dict-dir"))
      c->dict_dir = val;
    else if (!strcmp(opt, "--format"))
      c->format = val;
    else if (!strcmp(opt, "-o") || !strcmp(opt, "--output"))
      c->output = val;
    else if (!strcmp(opt, "--db"))
      c->db = val;
    else if (!strcmp(opt, "-j") || !strcmp(opt, "--jobs")) {
      char *end;
      long j = strtol(val, &end, 10);
      if (*end || j < 1 || j > 256) {
        fprintf(stderr, "%s: -j needs a number from 1 to 256, not '%s'\n",
                argv[0], val);
        return EXIT_USAGE;
      }
      c->jobs = (int)j;
    } else if (!strcmp(opt, "--max-doc-bytes") ||
               !strcmp(opt, "--max-token-bytes") ||
               !strcmp(opt, "--max-sentence-tokens")) {
      /* offsets are 32-bit: no document (hence no token or sentence) can
       * be 4 GiB or more */
      unsigned long long v;
      if (!S_size_arg(val, &v) || v == 0 || v > 0xFFFFFFFEull) {
        fprintf(stderr, "%s: %s needs a number from 1 to 4294967294 "
                "(suffixes k, M, G allowed), not '%s'\n", argv[0], opt, val);
        return EXIT_USAGE;
      }
      if (opt[6] == 'd')
        c->max_doc_bytes = (size_t)v;
      else if (opt[6] == 't')
        c->max_token_bytes = (size_t)v;
      else
        c->max_sentence_tokens = (size_t)v;
    } else if (!strcmp(opt, "--quiet") || !strcmp(opt, "-q"))
      c->quiet = true;
    else if (!strcmp(opt, "--all-modalities"))
      c->keep_modal = true;
    else if (!strcmp(opt, "--jsonl"))
      c->jsonl = true;
    else if (!strcmp(opt, "--stats"))
      c->stats = true;
    else if (!strcmp(opt, "--no-color"))
      c->color = false;
    else {
      int r = extra ? extra(c, opt, val ? val : (i + 1 < argc ? argv[i + 1] : NULL),
                            ctx)
                    : -1;
      if (r < 0) {
        fprintf(stderr, "%s: unknown option '%s'\n%s", argv[0], a, usage);
        return EXIT_USAGE;
      }
      if (r == 1 && !val)
        i++;
    }
  }
  return 0;
}

int cli_parse(cli *c, int argc, char **argv, cli_extra_fn extra, void *ctx,
              const char *usage) {
  int rc = S_parse(c, argc, argv, extra, ctx, usage);
  if (rc) {
    /* callers return at once: nothing of the parse is left to free */
    free(c->args);
    c->args = NULL;
    c->nargs = 0;
  }
  return rc;
}

void cli_print_diag(const cli *c, const ties_diag *d) {
  buf b = BUF_INIT;
  diag_format(&b, d, c->color);
  fputs(buf_cstr(&b), stderr);
  buf_free(&b);
}

void cli_print_engine_diags(const cli *c, const ties_engine *e, bool warnings) {
  for (size_t i = 0; i < ties_engine_n_diags(e); i++) {
    const ties_diag *d = ties_engine_diag(e, i);
    if (d->severity == TIES_ERROR || warnings)
      cli_print_diag(c, d);
  }
}

bool cli_print_doc_diags(const cli *c, const ties_doc *d) {
  for (size_t i = 0; i < ties_doc_n_diags(d); i++) {
    const ties_diag *g = ties_doc_diag(d, i);
    if (c->quiet && g->severity != TIES_ERROR)
      continue;
    cli_print_diag(c, g);
  }
  return ties_doc_status(d) != TIES_OK;
}

ties_engine *cli_engine(cli *c, bool with_rules, int *code) {
  ties_settings s;
  ties_settings_init(&s);
  if (c->main_actor)
    s.main_actor = c->main_actor;
  if (c->dict_dir)
    s.dict_dir = c->dict_dir;
  if (c->max_doc_bytes)
    s.max_doc_bytes = c->max_doc_bytes;
  if (c->max_token_bytes)
    s.max_token_bytes = c->max_token_bytes;
  if (c->max_sentence_tokens)
    s.max_sentence_tokens = c->max_sentence_tokens;
  ties_engine *e = ties_engine_new(&s);
  if (!e) {
    fprintf(stderr, "%s: out of memory\n", c->prog);
    *code = EXIT_USAGE;
    return NULL;
  }
  const char *gz = c->gazetteers ? c->gazetteers
                                 : cli_data_dir("gazetteers", "TIES_GAZETTEERS");
  ties_engine_load_gazetteers(e, gz);
  if (with_rules) {
    if (c->nrules == 0) {
      ties_engine_load_rules(e, cli_data_dir("rules", "TIES_RULES"));
    } else {
      for (int i = 0; i < c->nrules; i++)
        ties_engine_load_rules(e, c->rules[i]);
    }
  }
  int rc = ties_engine_finish(e);
  cli_print_engine_diags(c, e, !c->quiet);
  if (rc != TIES_OK || ties_engine_n_errors(e)) {
    bool dep = false;
    for (size_t i = 0; i < ties_engine_n_diags(e); i++)
      if (ties_engine_diag(e, i)->code == TIES_EDEPEND ||
          ties_engine_diag(e, i)->code == TIES_EIO)
        dep = true;
    fprintf(stderr, "%s: %zu error%s in the rules or gazetteers\n", c->prog,
            ties_engine_n_errors(e), ties_engine_n_errors(e) == 1 ? "" : "s");
    *code = dep ? EXIT_USAGE : EXIT_RULES;
    ties_engine_free(e);
    return NULL;
  }
  return e;
}

/* ---- inputs ------------------------------------------------------------- */

static void S_push(inputs *in, const char *p) {
  if (in->n == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 64;
    char **np = realloc(in->paths, cap * sizeof(char *));
    if (!np)
      return;
    in->paths = np;
    in->cap = cap;
  }
  in->paths[in->n++] = strdup(p);
}

static int S_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk a directory in sorted order; real paths guard against loops. */
static void S_walk(const cli *c, const char *dir, inputs *in, int *bad,
                   char ***seen, size_t *nseen, int depth) {
  char real[PATH_MAX];
  if (!realpath(dir, real)) {
    fprintf(stderr, "%s: %s: %s\n", c->prog, dir, strerror(errno));
    (*bad)++;
    return;
  }
  for (size_t i = 0; i < *nseen; i++) {
    if (!strcmp((*seen)[i], real)) {
      fprintf(stderr, "%s: %s: directory loop (already visited as %s); skipped\n",
              c->prog, dir, real);
      return;
    }
  }
  if (depth > 64) {
    fprintf(stderr, "%s: %s: directories nested deeper than 64; skipped\n",
            c->prog, dir);
    (*bad)++;
    return;
  }
  char **ns = realloc(*seen, (*nseen + 1) * sizeof(char *));
  if (!ns)
    return;
  *seen = ns;
  (*seen)[(*nseen)++] = strdup(real);
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "%s: %s: %s\n", c->prog, dir, strerror(errno));
    (*bad)++;
    return;
  }
  inputs here = {0};
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    size_t n = strlen(dir) + strlen(de->d_name) + 2;
    char *p = malloc(n);
    if (!p)
      continue;
    snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
             de->d_name);
    S_push(&here, p);
    free(p);
  }
  closedir(d);
  if (here.n > 1) /* an empty directory has no array: qsort(NULL) is undefined */
    qsort(here.paths, here.n, sizeof(char *), S_cmp);
  for (size_t i = 0; i < here.n; i++) {
    struct stat st;
    if (stat(here.paths[i], &st) != 0) {
      fprintf(stderr, "%s: %s: %s\n", c->prog, here.paths[i], strerror(errno));
      (*bad)++;
    } else if (S_ISDIR(st.st_mode)) {
      S_walk(c, here.paths[i], in, bad, seen, nseen, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      S_push(in, here.paths[i]);
    }
  }
  cli_inputs_free(&here);
}

void cli_inputs(const cli *c, const char **args, int nargs, inputs *in,
                int *bad) {
  char **seen = NULL;
  size_t nseen = 0;
  if (nargs == 0)
    S_push(in, "-");
  for (int i = 0; i < nargs; i++) {
    if (!strcmp(args[i], "-")) {
      S_push(in, "-");
      continue;
    }
    struct stat st;
    if (stat(args[i], &st) != 0) {
      fprintf(stderr, "%s: %s: %s\n", c->prog, args[i], strerror(errno));
      (*bad)++;
    } else if (S_ISDIR(st.st_mode)) {
      S_walk(c, args[i], in, bad, &seen, &nseen, 0);
    } else {
      S_push(in, args[i]);
    }
  }
  for (size_t i = 0; i < nseen; i++)
    free(seen[i]);
  free(seen);
}

void cli_inputs_free(inputs *in) {
  for (size_t i = 0; i < in->n; i++)
    free(in->paths[i]);
  free(in->paths);
  memset(in, 0, sizeof *in);
}

char *cli_read_file(const char *path, size_t *len, size_t limit, int *err) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    *err = errno;
    return NULL;
  }
  size_t cap = 65536, n = 0;
  char *p = malloc(cap + 1);
  if (!p) {
    *err = ENOMEM;
    if (f != stdin)
      fclose(f);
    return NULL;
  }
  for (;;) {
    if (n == cap) {
      if (cap > limit) {
        /* over the limit: stop reading; the caller refuses it */
        break;
      }
      cap *= 2;
      char *np = realloc(p, cap + 1);
      if (!np) {
        free(p);
        *err = ENOMEM;
        if (f != stdin)
          fclose(f);
        return NULL;
      }
      p = np;
    }
    size_t got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    *err = errno ? errno : EIO;
    free(p);
    if (f != stdin)
      fclose(f);
    return NULL;
  }
  if (f != stdin)
    fclose(f);
  p[n] = 0;
  *len = n;
  return p;
}

long long cli_getline(FILE *f, buf *b, size_t max, bool *too_long) {
  buf_clear(b);
  *too_long = false;
  long long n = 0;
  int c;
  while ((c = getc_unlocked(f)) != EOF && c != '\n') {
    /* one byte more than max is kept: it may be the CR of a CRLF */
    if ((size_t)n <= max)
      buf_putc(b, c);
    n++;
  }
  if (c == EOF && n == 0)
    return -1;
  if ((size_t)n <= max + 1 && b->len && b->p[b->len - 1] == '\r') {
    b->p[--b->len] = 0;
    n--;
  }
  *too_long = (size_t)n > max;
  buf_cstr(b);
  return n;
}

int cli_jsonl_parse(const char *line, size_t n, jsonl_doc *d, int *col,
                    char *msg, size_t msglen) {
  memset(d, 0, sizeof *d);
  *col = 0;
  json_error_t err;
  json_t *o = json_loadb(line, n, JSON_ALLOW_NUL, &err);
  if (!o || !json_is_object(o)) {
    *col = o ? 1 : err.column > 0 ? err.column : 1;
    snprintf(msg, msglen, "%s", o ? "a line must hold a JSON object" : err.text);
    json_decref(o);
    return -1;
  }
  json_t *id = json_object_get(o, "id");
  json_t *text = json_object_get(o, "text");
  json_t *date = json_object_get(o, "date");
  char idbuf[32];
  const char *name = NULL;
  if (json_is_string(id))
    name = json_string_value(id);
  else if (json_is_integer(id)) {
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id));
    name = idbuf;
  }
  if (!name || !json_is_string(text)) {
    snprintf(msg, msglen, "an object needs \"id\" (string or number) and "
             "\"text\" (string)");
    json_decref(o);
    return -1;
  }
  d->id = strdup(name);
  d->len = json_string_length(text);
  d->text = malloc(d->len + 1);
  if (d->text) {
    memcpy(d->text, json_string_value(text), d->len);
    d->text[d->len] = 0;
  }
  bool has_date = json_is_string(date);
  if (has_date)
    d->date = strdup(json_string_value(date));
  json_decref(o); /* id, text and date belong to o */
  if (!d->id || !d->text || (has_date && !d->date)) {
    cli_jsonl_free(d);
    snprintf(msg, msglen, "out of memory");
    return -1;
  }
  return 0;
}

void cli_jsonl_free(jsonl_doc *d) {
  free(d->id);
  free(d->text);
  free(d->date);
  memset(d, 0, sizeof *d);
}

char *cli_doc_name(const char *path) {
  if (!strcmp(path, "-"))
    return strdup("stdin");
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strrchr(b, '.');
  size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
  char *s = malloc(n + 1);
  if (!s)
    return NULL;
  memcpy(s, b, n);
  s[n] = 0;
  return s;
}

int out_open(outfile *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (!path || !strcmp(path, "-")) {
    o->f = stdout;
    return 0;
  }
  o->path = strdup(path);
  size_t n = strlen(path) + 32;
  o->tmp = malloc(n);
  if (!o->path || !o->tmp)
    return ENOMEM;
  snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  o->f = fopen(o->tmp, "wb");
  if (!o->f)
    return errno;
  return 0;
}

int out_close(outfile *o, bool ok) {
  int err = 0;
  if (!o->f) { /* never opened, or out_open failed half-way */
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return 0;
  }
  if (fflush(o->f) != 0 || ferror(o->f))
    err = errno ? errno : EIO;
  if (o->path) {
    if (!err && fsync(fileno(o->f)) != 0 && errno != EINVAL)
      err = errno;
    if (fclose(o->f) != 0 && !err)
      err = errno ? errno : EIO;
    if (ok && !err) {
      if (rename(o->tmp, o->path) != 0)
        err = errno;
    }
    if (!ok || err)
      unlink(o->tmp);
  }
  o->f = NULL;
  free(o->path);
  free(o->tmp);
  o->path = o->tmp = NULL;
  return err;
}
