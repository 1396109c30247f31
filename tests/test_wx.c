/*
** test_wx.c — W^X, observed: while compiled code runs, /proc/self/maps must
** show the JIT's code mapped read-execute and no mapping writable and
** executable at once. The maps are read from the program's own I/O
** callbacks (called from inside compiled code) and by a thread that scans
** them while other programs compile.
*/
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bfjit.h"

#define MAX_MAPS 4096

/* One line of /proc/self/maps: its range, permissions and whether a file
** backs it. */
typedef struct map {
  uintptr_t lo, hi;
  char perm[5];
  int anon;
} map;

/* Reads the current mappings; returns how many. */
static size_t read_maps(map *m, size_t cap)
{
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  size_t n = 0;
  if (!f)
    return 0;
  while (n < cap && fgets(line, sizeof line, f)) {
    unsigned long lo, hi, inode;
    char perm[5], path[256] = "";
    if (sscanf(line, "%lx-%lx %4s %*s %*s %lu %255s", &lo, &hi, perm, &inode, path) < 4)
      continue;
    m[n] = (map){ lo, hi, "", inode == 0 && path[0] != '/' };
    memcpy(m[n].perm, perm, 5);
    n++;
  }
  fclose(f);
  return n;
}

/* The number of mappings that are writable and executable at once. */
static size_t count_wx(const map *m, size_t n)
{
  size_t bad = 0;
  for (size_t i = 0; i < n; i++)
    if (m[i].perm[1] == 'w' && m[i].perm[2] == 'x') {
      fprintf(stderr, "W^X violated: %lx-%lx %s\n", (unsigned long)m[i].lo,
              (unsigned long)m[i].hi, m[i].perm);
      bad++;
    }
  return bad;
}

/* -- Looking from inside a run ---------------------------------------------- */

typedef struct probe {
  map before[MAX_MAPS];  /* the executable mappings before the run */
  size_t nbefore;
  size_t calls;          /* callbacks that looked */
  size_t wx;             /* W^X violations seen */
  size_t fresh_rx;       /* looks that saw a new anonymous r-x mapping (the JIT's code) */
  size_t in_pos;
} probe;

static map now[MAX_MAPS];

static void look(probe *pr)
{
  size_t n = read_maps(now, MAX_MAPS);
  pr->calls++;
  pr->wx += count_wx(now, n);
  int fresh = 0;
  for (size_t i = 0; i < n; i++) {
    if (!now[i].anon || strcmp(now[i].perm, "r-xp") != 0)
      continue;
    int old = 0;
    for (size_t j = 0; j < pr->nbefore && !old; j++)
      old = pr->before[j].lo == now[i].lo && pr->before[j].hi == now[i].hi;
    fresh |= !old;
  }
  pr->fresh_rx += fresh;
}

static long probe_read(void *ctx, void *buf, size_t n)
{
  probe *pr = ctx;
  look(pr);
  (void)n;
  if (pr->in_pos >= 5)
    return 0;
  *(uint8_t *)buf = (uint8_t)(3 + pr->in_pos++);
  return 1;
}

static int probe_write(void *ctx, const void *buf, size_t n)
{
  (void)buf; (void)n;
  look(ctx);
  return 0;
}

/* Runs 'src' with 'opt' while probing: no look may find a W+X mapping, and
** all but the first 'early' looks (made before the code existed) must find
** the JIT's code mapped r-x. */
static void run_probed(const char *src, const bfjit_options *opt, size_t early)
{
  static probe pr;
  memset(&pr, 0, sizeof pr);
  bfjit_error err;
  bfjit_program *p = bfjit_compile(src, strlen(src), opt, &err);
  assert_non_null(p);
  map all[MAX_MAPS];
  size_t n = read_maps(all, MAX_MAPS);
  assert_true(n > 0);
  assert_int_equal(count_wx(all, n), 0);
  for (size_t i = 0; i < n; i++)
    if (all[i].perm[2] == 'x')
      pr.before[pr.nbefore++] = all[i];
  bfjit_io io = { &pr, probe_read, probe_write };
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
  /* The loop ran compiled: otherwise the looks prove nothing. */
  bfjit_loop_info li;
  assert_int_equal(bfjit_loop_get(p, 0, &li), 0);
  assert_true(li.compiled);
  assert_true(pr.calls >= 5);
  assert_int_equal(pr.wx, 0);
  assert_true(pr.fresh_rx + early >= pr.calls);
  bfjit_free(p);
}

/* Echoes its input up to a zero (EOF reads 0): every ',' flushes the output
** first, so both callbacks run from inside the loop's compiled code. */
static const char echo_loop[] = ",[.,]";

static void test_wx_jit(void **state)
{
  (void)state;
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.mode = BFJIT_MODE_JIT;
  opt.eof = BFJIT_EOF_ZERO;
  for (unsigned bits = 8; bits <= 32; bits *= 2) {
    opt.cell_bits = bits;
    run_probed(echo_loop, &opt, 0);
  }
}

static void test_wx_tiered(void **state)
{
  (void)state;
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.mode = BFJIT_MODE_TIERED;
  opt.hot_threshold = 1;
  opt.eof = BFJIT_EOF_ZERO;
  run_probed(echo_loop, &opt, 3);  /* the first two reads and a write come first */
}

/* -- Looking from outside, while code is made ------------------------------- */

static volatile int scanning;
static size_t scans, scan_wx;

static void *scanner(void *arg)
{
  static map m[MAX_MAPS];
  (void)arg;
  while (scanning) {
    size_t n = read_maps(m, MAX_MAPS);
    scan_wx += count_wx(m, n);
    scans++;
  }
  return NULL;
}

static long no_input(void *ctx, void *buf, size_t n)
{
  (void)ctx; (void)buf; (void)n;
  return 0;
}

static int drop(void *ctx, const void *buf, size_t n)
{
  (void)ctx; (void)buf; (void)n;
  return 0;
}

/* Compiles, runs and frees programs in a loop (every region is mapped
** writable, filled, sealed and unmapped) while another thread reads the maps
** as fast as it can: a W+X window would show. A long unoptimized program
** makes each window (the encoding) long enough to be seen. */
static void test_wx_while_compiling(void **state)
{
  (void)state;
  size_t len = 0, cap = 32 * 1024;
  char *big = malloc(cap + 16);
  assert_non_null(big);
  while (len < cap) {
    memcpy(big + len, "+[>+.<-]>", 9);
    len += 9;
  }
  big[len] = '\0';
  pthread_t th;
  scanning = 1;
  scans = scan_wx = 0;
  assert_int_equal(pthread_create(&th, NULL, scanner, NULL), 0);
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.passes = 0;
  opt.mode = BFJIT_MODE_JIT;  /* one region; tiering would make thousands */
  bfjit_io io = { NULL, no_input, drop };
  for (int i = 0; i < 40 || scans < 50; i++) {
    bfjit_error err;
    bfjit_program *p = bfjit_compile(big, len, &opt, &err);
    assert_non_null(p);
    assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
    bfjit_free(p);
  }
  scanning = 0;
  pthread_join(th, NULL);
  free(big);
  assert_true(scans >= 50);
  assert_int_equal(scan_wx, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wx_jit),
    cmocka_unit_test(test_wx_tiered),
    cmocka_unit_test(test_wx_while_compiling),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
