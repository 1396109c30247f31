/*
** test_fuzz_corpus.c — replays the committed fuzz corpus (tests/fuzz/corpus/)
** through both fuzz targets, built here with the ordinary compiler, so the
** differential check runs in every `make test` without clang or libFuzzer.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A mismatch fails the case instead of aborting the whole program. */
#define FUZZ_ABORT() fail_msg("the fuzz target rejected this input (see above)")
#define FUZZ_ENTRY fuzz_diff_one
#include "fuzz/fuzz_diff.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_parse_one
#include "fuzz/fuzz_parse.c"
#undef FUZZ_ENTRY

typedef struct replay {
  int (*entry)(const uint8_t *, size_t);
  char *path;
  char name[300];  /* "diff/FILE": the case's name */
} replay;

static void run_replay(void **state)
{
  const replay *r = *state;
  FILE *f = fopen(r->path, "rb");
  assert_non_null(f);
  static uint8_t data[1 << 16];
  size_t n = fread(data, 1, sizeof data, f);
  fclose(f);
  r->entry(data, n);
}

/* Adds one case per file of 'dir' to 'tests'; returns the new count. */
static size_t add_dir(struct CMUnitTest *tests, size_t n, size_t cap, const char *dir,
                      const char *kind, int (*entry)(const uint8_t *, size_t))
{
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "test_fuzz_corpus: cannot open %s\n", dir);
    exit(1);
  }
  struct dirent *e;
  while ((e = readdir(d)) && n < cap) {
    if (e->d_name[0] == '.')
      continue;
    replay *r = malloc(sizeof *r);
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    r->entry = entry;
    r->path = malloc(len);
    snprintf(r->path, len, "%s/%s", dir, e->d_name);
    snprintf(r->name, sizeof r->name, "%s/%s", kind, e->d_name);
    tests[n++] = (struct CMUnitTest){ .name = r->name, .test_func = run_replay,
                                      .initial_state = r };
  }
  closedir(d);
  return n;
}

int main(void)
{
  const char *src = getenv("BFJIT_SRC");
  char diff[4096], parse[4096];
  snprintf(diff, sizeof diff, "%s/tests/fuzz/corpus/diff", src ? src : ".");
  snprintf(parse, sizeof parse, "%s/tests/fuzz/corpus/parse", src ? src : ".");
  static struct CMUnitTest tests[4096];
  size_t n = add_dir(tests, 0, 4096, diff, "diff", fuzz_diff_one);
  size_t nd = n;
  n = add_dir(tests, n, 4096, parse, "parse", fuzz_parse_one);
  if (nd == 0 || n == nd) {
    fprintf(stderr, "test_fuzz_corpus: an empty corpus proves nothing\n");
    return 1;
  }
  return _cmocka_run_group_tests("fuzz corpus", tests, n, NULL, NULL);
}
