/*
** test_background.c — the --background compiler through the API: the same
** output as the interpreter, hot loops compiled in the end, more hot loops
** than the queue holds, programs freed while jobs are in flight, and job
** allocations that fail on demand (the loop is then compiled in place, never
** left pending). `make test-tsan` runs it under ThreadSanitizer.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bfjit.h"
#include "bf_worker.h"

/* -- Allocations that fail on demand -------------------------------------- */

static unsigned fail_every;      /* 0: none fails; n: every n-th fails */
static unsigned long allocs, failures;

/* The library's test hook (bf_worker.h): job records come from here. It is
** called on the interpreter's thread only, when a hot loop is queued. */
void *bf_worker_test_alloc(size_t size)
{
  allocs++;
  if (fail_every && allocs % fail_every == 0) {
    failures++;
    return NULL;
  }
  return malloc(size);
}

static int reset_hook(void **state)
{
  (void)state;
  fail_every = 0;
  allocs = failures = 0;
  return 0;
}

/* -- Programs and runs ---------------------------------------------------- */

/* Loops nested three deep, some hot at once, with output from each level. */
#define NESTED \
  "++++++++[>++++++++[>+++[>+>++<<-]>>[<<+>>-]<<<-]>.<<-]>>>." \
  "+++++[>+++++[>+++++[>+<-]<-]<-]>>>."

typedef struct out {
  char buf[4096];
  size_t len;
} out;

static long no_input(void *ctx, void *buf, size_t n)
{
  (void)ctx, (void)buf, (void)n;
  return 0;
}

static int to_buf(void *ctx, const void *buf, size_t n)
{
  out *o = ctx;
  if (n > sizeof o->buf - o->len)
    return -1;
  memcpy(o->buf + o->len, buf, n);
  o->len += n;
  return 0;
}

/* Loops stay loops at -O0 (the optimizer would make these arithmetic), and
** --hot=2 makes each hot at its second iteration. */
static bfjit_options options(bfjit_mode mode, int background)
{
  bfjit_options o;
  bfjit_options_init(&o);
  o.passes = bfjit_passes_for_level(0);
  o.mode = mode;
  o.hot_threshold = 2;
  o.background = background;
  return o;
}

static bfjit_program *compile(const char *src, bfjit_mode mode, int background)
{
  bfjit_options o = options(mode, background);
  bfjit_error err;
  bfjit_program *p = bfjit_compile(src, strlen(src), &o, &err);
  if (!p)
    fail_msg("compile: %s", err.message);
  return p;
}

/* Runs 'p' once into 'o', which must come out as 'want'. */
static void run_expect(bfjit_program *p, const out *want)
{
  out o = { .len = 0 };
  bfjit_io io = { &o, no_input, to_buf };
  bfjit_error err;
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
  assert_int_equal(o.len, want->len);
  assert_memory_equal(o.buf, want->buf, want->len);
}

/* What the interpreter prints for 'src': the reference. */
static void reference(const char *src, out *want)
{
  bfjit_program *p = compile(src, BFJIT_MODE_INTERP, 0);
  bfjit_io io = { want, no_input, to_buf };
  want->len = 0;
  assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
  assert_true(want->len > 0);
  bfjit_free(p);
}

static uint64_t loops_compiled(const bfjit_program *p)
{
  bfjit_stats st;
  bfjit_get_stats(p, &st);
  assert_int_equal(st.compile_failures, 0);
  assert_int_equal(st.side_exits, 0);
  return st.loops_compiled;
}

/* 'n' sibling loops of a few iterations each, all hot at --hot=2: more than
** the worker's queue holds at once. */
static char *many_loops(unsigned n)
{
  static const char one[] = "+++++[>++<-]>";
  char *s = malloc(n * (sizeof one - 1) + 2);
  assert_non_null(s);
  for (unsigned i = 0; i < n; i++)
    memcpy(s + i * (sizeof one - 1), one, sizeof one - 1);
  strcpy(s + n * (sizeof one - 1), ".");
  return s;
}

/* -- Cases ---------------------------------------------------------------- */

/* Each run prints what the interpreter does while the worker compiles; a
** finished compile is taken at a later back edge or run, so the hot loops
** get code in the end (a generous deadline: sanitizers are slow). */
static void same_output_then_compiled(void **state)
{
  (void)state;
  out want;
  reference(NESTED, &want);
  bfjit_program *p = compile(NESTED, BFJIT_MODE_TIERED, 1);
  time_t t0 = time(NULL);
  unsigned runs = 0;
  do {
    run_expect(p, &want);
    runs++;
  } while (loops_compiled(p) == 0 && time(NULL) - t0 < 60);
  if (loops_compiled(p) == 0)
    fail_msg("no loop compiled after %u runs in 60 s", runs);
  bfjit_free(p);
}

/* More hot loops than the queue holds: the rest compile in place. */
static void more_loops_than_jobs(void **state)
{
  (void)state;
  char *src = many_loops(300);
  out want;
  reference(src, &want);
  bfjit_program *p = compile(src, BFJIT_MODE_TIERED, 1);
  for (int i = 0; i < 5; i++)
    run_expect(p, &want);
  loops_compiled(p);
  bfjit_free(p);
  free(src);
}

/* Freeing a program stops its worker with jobs queued, running and done. */
static void free_while_compiling(void **state)
{
  (void)state;
  char *src = many_loops(100);
  out want;
  reference(src, &want);
  for (int i = 0; i < 20; i++) {
    bfjit_program *p = compile(src, BFJIT_MODE_TIERED, 1);
    run_expect(p, &want);
    bfjit_free(p);
  }
  free(src);
}

/* No job record can be had: each hot loop is compiled in place at once, so
** the first run already has code (it used to wait forever for a compile
** whose result was dropped). */
static void job_alloc_fails(void **state)
{
  (void)state;
  out want;
  reference(NESTED, &want);
  fail_every = 1;
  bfjit_program *p = compile(NESTED, BFJIT_MODE_TIERED, 1);
  run_expect(p, &want);
  assert_true(loops_compiled(p) > 0);
  assert_true(failures > 0);
  assert_int_equal(failures, allocs);
  bfjit_stats st;
  bfjit_get_stats(p, &st);
  assert_true(st.osr_entries > 0);  /* and the code ran */
  run_expect(p, &want);
  bfjit_free(p);
}

/* Every other job record fails: some loops compile in the background, the
** rest in place, and every hot loop gets code. */
static void some_job_allocs_fail(void **state)
{
  (void)state;
  char *src = many_loops(200);
  out want;
  reference(src, &want);
  fail_every = 2;
  bfjit_program *p = compile(src, BFJIT_MODE_TIERED, 1);
  time_t t0 = time(NULL);
  do
    run_expect(p, &want);
  while (loops_compiled(p) < 200 && time(NULL) - t0 < 60);
  assert_true(failures > 0 && failures < allocs);
  assert_int_equal(loops_compiled(p), 200);
  bfjit_free(p);
  free(src);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(same_output_then_compiled, reset_hook),
    cmocka_unit_test_setup(more_loops_than_jobs, reset_hook),
    cmocka_unit_test_setup(free_while_compiling, reset_hook),
    cmocka_unit_test_setup(job_alloc_fails, reset_hook),
    cmocka_unit_test_setup(some_job_allocs_fail, reset_hook),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
