/*
** test_cache.c — the persistent profile cache: a rerun compiles the hot
** loops before it starts, and no cache file, however broken or hostile,
** changes what a program computes or crashes the engine.
*/
#define _GNU_SOURCE  /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bfjit.h"
#include "bf_cache.h"

/* Two nested hot loops, then two more, and output that depends on all. The
** first inner loop steps by 2, so the optimizer cannot make it arithmetic. */
#define PROG "++++++++[>++++++++++++++++[>++++<--]<-]>>[->+>+<<]>.>+.<<" \
             "+++++[>+++++[>+++++<-]<-]>>."

static char dir[256];

static int setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/bfjit-test-cache-%ld", (long)getpid());
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* The one file in 'dir' (tests make exactly one). */
static void cache_file(char *path, size_t size)
{
  char cmd[300];
  snprintf(cmd, sizeof cmd, "ls %s/*.prof", dir);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  assert_non_null(fgets(path, (int)size, p));
  path[strcspn(path, "\n")] = '\0';
  pclose(p);
}

typedef struct out { char buf[256]; size_t len; } out;

static long no_input(void *ctx, void *buf, size_t n)
{
  (void)ctx; (void)buf; (void)n;
  return 0;
}

static int to_buf(void *ctx, const void *buf, size_t n)
{
  out *o = ctx;
  if (o->len + n > sizeof o->buf)
    return -1;
  memcpy(o->buf + o->len, buf, n);
  o->len += n;
  return 0;
}

/* One fresh process's worth: compile, load, run, save. Returns the stats
** and the load's status; checks the output. */
static bfjit_status run_once(bfjit_stats *st)
{
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.hot_threshold = 5;
  bfjit_error err;
  bfjit_program *p = bfjit_compile(PROG, strlen(PROG), &opt, &err);
  assert_non_null(p);
  bfjit_status load = bfjit_cache_load(p, dir, &err);
  if (load != BFJIT_OK)
    assert_int_equal(err.status, BFJIT_ERR_CACHE);
  out o = { .len = 0 };
  bfjit_io io = { &o, no_input, to_buf };
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
  assert_int_equal(o.len, 3);
  assert_memory_equal(o.buf, "\x00\x01\x7e", 3);
  assert_int_equal(bfjit_cache_save(p, dir, &err), BFJIT_OK);
  bfjit_get_stats(p, st);
  bfjit_free(p);
  return load;
}

static void test_second_run_skips_profiling(void **state)
{
  (void)state;
  bfjit_stats st;
  assert_int_equal(run_once(&st), BFJIT_OK);
  assert_string_equal(st.cache_state, "miss");
  assert_int_equal(st.cache_loops, 0);
  assert_int_equal(run_once(&st), BFJIT_OK);
  assert_string_equal(st.cache_state, "hit");
  assert_true(st.cache_loops >= 1);
  /* Compiled before the first instruction: the interpreter never had to
  ** count a loop up to the threshold, so no loop was compiled late. */
  assert_int_equal(st.regions, st.cache_loops);
}

/* Rewrites the cache file through 'edit', then checks the next run warns,
** computes the same output, and that the run after it is a hit again.
** 'why' is part of the reason the file must be rejected for. */
static void spoil(void (*edit)(unsigned char *f, size_t *size), const char *why)
{
  bfjit_stats st;
  char path[512];
  run_once(&st);
  cache_file(path, sizeof path);
  static unsigned char f[1 << 16];
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  size_t size = fread(f, 1, sizeof f, fp);
  fclose(fp);
  edit(f, &size);
  fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(f, 1, size, fp), size);
  fclose(fp);
  assert_int_equal(run_once(&st), BFJIT_ERR_CACHE);
  assert_non_null(strstr(st.cache_state, why));  /* rejected for that reason */
  assert_int_equal(st.cache_loops, 0);
  assert_int_equal(run_once(&st), BFJIT_OK);
  assert_string_equal(st.cache_state, "hit");
}

static void truncate_half(unsigned char *f, size_t *size) { (void)f; *size /= 2; }
static void truncate_empty(unsigned char *f, size_t *size) { (void)f; *size = 0; }
static void flip_byte(unsigned char *f, size_t *size) { f[*size / 2] ^= 0x40; }

/* Valid checksums over bad contents: only the key and the bounds checks
** stand between such a file and the engine. */
static void reseal(unsigned char *f, size_t size)
{
  uint64_t h = bf_hash(f, size - 8, 2);
  for (int i = 0; i < 8; i++)
    f[size - 8 + i] = (unsigned char)(h >> (8 * i));
}

static void other_version(unsigned char *f, size_t *size)
{
  /* The key ends with "bfjit VERSION ARCH" text. */
  unsigned char *v = memmem(f, *size, "bfjit ", 6);
  assert_non_null(v);
  v[6] = 'X';
  reseal(f, *size);
}

/* Where the entry count is: right after the key, which ends with the
** 32 bytes of "bfjit VERSION ARCH" text. */
static size_t count_at(unsigned char *f, size_t size)
{
  unsigned char *v = memmem(f, size, "bfjit ", 6);
  assert_non_null(v);
  return (size_t)(v - f) + 32;
}

static void loop_out_of_range(unsigned char *f, size_t *size)
{
  /* Entries (8-byte loop numbers) end right before the checksum: make the
  ** last one huge. */
  size_t last = *size - 8 - 8;
  assert_true(last >= count_at(f, *size) + 8);
  for (int i = 0; i < 8; i++)
    f[last + i] = 0xff;
  reseal(f, *size);
}

static void huge_count(unsigned char *f, size_t *size)
{
  /* The entry count sits right before the entries: claim 2^40 of them. */
  f[count_at(f, *size) + 5] = 1;
  reseal(f, *size);
}

/* The file as format 1 wrote it: each loop number followed by its count,
** which no load ever read. Such a file is ignored and rewritten. */
static void format_one(unsigned char *f, size_t *size)
{
  size_t c = count_at(f, *size), ne = (*size - c - 8 - 8) / 8;
  unsigned char old[1 << 12];
  assert_true(*size + 8 * ne <= sizeof old);
  memcpy(old, f, c + 8);
  memcpy(old, "BFJITPF1", 8);
  for (size_t i = 0; i < ne; i++) {
    memcpy(old + c + 8 + 16 * i, f + c + 8 + 8 * i, 8);
    memset(old + c + 8 + 16 * i + 8, 0, 8);
    old[c + 8 + 16 * i + 8] = 7;  /* some count */
  }
  *size += 8 * ne;
  memcpy(f, old, *size - 8);
  reseal(f, *size);
}

static void test_truncated(void **state) { (void)state; spoil(truncate_half, "truncated"); }
static void test_empty(void **state) { (void)state; spoil(truncate_empty, "format"); }
static void test_corrupt(void **state) { (void)state; spoil(flip_byte, "checksum"); }
static void test_other_version(void **state) { (void)state; spoil(other_version, "another program"); }
static void test_bad_loop(void **state) { (void)state; spoil(loop_out_of_range, "out of range"); }
static void test_bad_count(void **state) { (void)state; spoil(huge_count, "entry count"); }
static void test_format_one(void **state) { (void)state; spoil(format_one, "format"); }

/* Options that change code key a different file: no cross-talk. */
static void test_options_keyed(void **state)
{
  (void)state;
  bfjit_stats st;
  run_once(&st);
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.cell_bits = 16;
  bfjit_error err;
  bfjit_program *p = bfjit_compile(PROG, strlen(PROG), &opt, &err);
  assert_non_null(p);
  assert_int_equal(bfjit_cache_load(p, dir, &err), BFJIT_OK);
  bfjit_get_stats(p, &st);
  assert_string_equal(st.cache_state, "miss");
  bfjit_free(p);
}

/* Runs saving at once never leave a torn file behind. */
static void test_concurrent_saves(void **state)
{
  (void)state;
  bfjit_stats st;
  pid_t kids[6];
  for (int i = 0; i < 6; i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0) {
      for (int j = 0; j < 20; j++)
        run_once(&st);
      _exit(0);
    }
  }
  for (int i = 0; i < 6; i++) {
    int ws;
    assert_int_equal(waitpid(kids[i], &ws, 0), kids[i]);
    assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
  }
  assert_int_equal(run_once(&st), BFJIT_OK);
  assert_string_equal(st.cache_state, "hit");
}

/* An unwritable place is a warning from save, and the run was fine. */
static void test_unwritable(void **state)
{
  (void)state;
  bfjit_error err;
  bfjit_program *p = bfjit_compile(PROG, strlen(PROG), NULL, &err);
  assert_non_null(p);
  assert_int_equal(bfjit_cache_save(p, "/proc/bfjit-no/such", &err), BFJIT_ERR_CACHE);
  assert_non_null(strstr(err.message, "cannot write the cache"));
  bfjit_free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_second_run_skips_profiling, setup, teardown),
    cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
    cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
    cmocka_unit_test_setup_teardown(test_other_version, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_loop, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_count, setup, teardown),
    cmocka_unit_test_setup_teardown(test_format_one, setup, teardown),
    cmocka_unit_test_setup_teardown(test_options_keyed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_concurrent_saves, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
