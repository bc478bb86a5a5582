/*
 * replay.c — a main() for the fuzz targets without libFuzzer.
 *
 *   replay_doc FILE|DIR...
 *
 * Runs every file (directories: every file in them, sorted) through the
 * target's LLVMFuzzerTestOneInput once, as libFuzzer does when given files.
 * `make check` builds each target with it and the ordinary compiler, and
 * replays the seed corpus and every regression input of tests/fuzz/; in the
 * sanitizer build the same inputs run under ASan and UBSan. An input that
 * crashed once therefore stays a test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static int S_one(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *p = malloc(cap);
  size_t got;
  while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      uint8_t *np = realloc(p, cap *= 2);
      if (!np) {
        free(p);
        p = NULL;
        break;
      }
      p = np;
    }
  }
  fclose(f);
  if (!p) {
    fprintf(stderr, "%s: out of memory\n", path);
    return 1;
  }
  /* an exact-size copy, as libFuzzer passes: reads past the end show */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(p);
    return 1;
  }
  memcpy(exact, p, n);
  free(p);
  /* named first, so that a crash says which input it was */
  fprintf(stderr, "replay: %s\n", path);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

static int S_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return 1;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    char **nn = realloc(names, (n + 1) * sizeof *names);
    if (!nn)
      break;
    names = nn;
    size_t len = strlen(dir) + strlen(de->d_name) + 2;
    names[n] = malloc(len);
    if (names[n])
      snprintf(names[n++], len, "%s/%s", dir, de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, S_cmp);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
      bad |= S_one(names[i]);
    free(names[i]);
  }
  free(names);
  return bad;
}

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int bad = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      bad = 1;
    } else if (S_ISDIR(st.st_mode)) {
      bad |= S_dir(argv[i]);
    } else {
      bad |= S_one(argv[i]);
    }
  }
  return bad;
}
