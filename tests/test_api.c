/*
** test_api.c — the public API as an embedder sees it (bfjit.h only): option
** defaults and validation, compile errors, runs with I/O callbacks in every
** mode, errors after output, repeated runs, the loop profile.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bfjit.h"

#define HELLO \
  "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>." \
  "<-.<.+++.------.--------.>>+.>++."

/* -- Callbacks into memory ------------------------------------------------ */

typedef struct mem_io {
  const char *in;     /* input bytes ... */
  size_t in_len, in_pos;
  size_t chunk;       /* most bytes one read returns (0: all asked for) */
  int fail_read;      /* read returns -1 */
  int fail_write;     /* write returns -1 */
  char out[1 << 16];
  size_t out_len;
  unsigned writes;    /* calls to write */
  unsigned reads;     /* calls to read */
  size_t out_at_read; /* bytes written when read was first called */
} mem_io;

static long mem_read(void *ctx, void *buf, size_t n)
{
  mem_io *m = ctx;
  if (m->reads++ == 0)
    m->out_at_read = m->out_len;
  if (m->fail_read)
    return -1;
  size_t left = m->in_len - m->in_pos;
  if (n > left)
    n = left;
  if (m->chunk && n > m->chunk)
    n = m->chunk;
  memcpy(buf, m->in + m->in_pos, n);
  m->in_pos += n;
  return (long)n;
}

static int mem_write(void *ctx, const void *buf, size_t n)
{
  mem_io *m = ctx;
  m->writes++;
  if (m->fail_write || m->out_len + n > sizeof m->out)
    return -1;
  memcpy(m->out + m->out_len, buf, n);
  m->out_len += n;
  return 0;
}

/* The modes every behaviour is checked in. */
static const struct { bfjit_mode mode; uint64_t hot; const char *name; } modes[] = {
  { BFJIT_MODE_INTERP, 0, "interp" },
  { BFJIT_MODE_JIT, 0, "jit" },
  { BFJIT_MODE_TIERED, 1, "tiered --hot=1" },
  { BFJIT_MODE_TIERED, 0, "tiered" },
};
#define NMODES (sizeof modes / sizeof modes[0])

/* Options for mode 'i' at optimization 'level'. */
static bfjit_options mode_opts(size_t i, int level)
{
  bfjit_options o;
  bfjit_options_init(&o);
  o.mode = modes[i].mode;
  if (modes[i].hot)
    o.hot_threshold = modes[i].hot;
  o.passes = bfjit_passes_for_level(level);
  return o;
}

/* Compiles and runs 'src' once on 'in'; output lands in 'm'. */
static bfjit_status run_src(const char *src, const bfjit_options *o,
                            const char *in, mem_io *m, bfjit_error *err)
{
  memset(m, 0, sizeof *m);
  m->in = in ? in : "";
  m->in_len = strlen(m->in);
  bfjit_program *p = bfjit_compile(src, strlen(src), o, err);
  if (!p)
    return err->status;
  bfjit_io io = { m, mem_read, mem_write };
  bfjit_status s = bfjit_run(p, &io, err);
  bfjit_free(p);
  return s;
}

/* One NUL byte of output, which a string cannot say. */
#define assert_output_nul(m) do { \
    assert_int_equal((m)->out_len, 1); \
    assert_int_equal((m)->out[0], 0); \
  } while (0)

#define assert_output(m, want) do { \
    assert_int_equal((m)->out_len, strlen(want)); \
    assert_memory_equal((m)->out, (want), strlen(want)); \
  } while (0)

/* -- Options -------------------------------------------------------------- */

static void options_defaults(void **state)
{
  (void)state;
  bfjit_options o;
  memset(&o, 0xa5, sizeof o);
  bfjit_options_init(&o);
  assert_int_equal(o.cell_bits, 8);
  assert_int_equal(o.eof, BFJIT_EOF_KEEP);
  assert_int_equal(o.tape_cells, (size_t)64 << 20);
  assert_int_equal(o.passes, BFJIT_PASS_ALL);
  assert_int_equal(o.mode, BFJIT_MODE_TIERED);
  assert_true(o.hot_threshold > 0);
  assert_int_equal(o.max_steps, 0);
  assert_int_equal(o.code_max, 0);
  assert_int_equal(o.timing, 0);
  assert_int_equal(o.perf_map, 0);
}

static void expect_bad_option(const bfjit_options *o, const char *what)
{
  bfjit_error err;
  memset(&err, 0x5a, sizeof err);
  bfjit_program *p = bfjit_compile("+", 1, o, &err);
  if (p) {
    bfjit_free(p);
    print_error("%s: compiled, expected BFJIT_ERR_ARG\n", what);
    fail();
  }
  assert_int_equal(err.status, BFJIT_ERR_ARG);
  assert_int_equal(err.line, 0);
  assert_int_equal(err.column, 0);
  assert_true(strlen(err.message) > 0);
  assert_non_null(memchr(err.message, '\0', sizeof err.message));
}

static void options_validated(void **state)
{
  (void)state;
  static const unsigned bad_bits[] = { 0, 1, 7, 9, 12, 24, 64, 128 };
  bfjit_options o;
  for (size_t i = 0; i < sizeof bad_bits / sizeof bad_bits[0]; i++) {
    bfjit_options_init(&o);
    o.cell_bits = bad_bits[i];
    expect_bad_option(&o, "cell_bits");
  }
  bfjit_options_init(&o);
  o.tape_cells = 29999;
  expect_bad_option(&o, "tape_cells 29999");
  o.tape_cells = 0;
  expect_bad_option(&o, "tape_cells 0");
  bfjit_options_init(&o);
  o.eof = (bfjit_eof)3;
  expect_bad_option(&o, "eof");
  bfjit_options_init(&o);
  o.mode = (bfjit_mode)3;
  expect_bad_option(&o, "mode");
  bfjit_options_init(&o);
  o.passes = BFJIT_PASS_ALL + 1;
  expect_bad_option(&o, "passes");
}

/* The smallest tape, every width, every EOF mode, every pass subset: valid. */
static void options_accepted(void **state)
{
  (void)state;
  bfjit_options o;
  bfjit_error err;
  bfjit_options_init(&o);
  o.tape_cells = 30000;
  for (unsigned bits = 8; bits <= 32; bits *= 2)
    for (int eof = BFJIT_EOF_KEEP; eof <= BFJIT_EOF_MINUS_ONE; eof++)
      for (unsigned passes = 0; passes <= BFJIT_PASS_ALL; passes += 7) {
        o.cell_bits = bits;
        o.eof = (bfjit_eof)eof;
        o.passes = passes;
        bfjit_program *p = bfjit_compile("+[-]", 4, &o, &err);
        assert_non_null(p);
        assert_int_equal(err.status, BFJIT_OK);
        bfjit_free(p);
      }
  /* NULL options mean the defaults. */
  bfjit_program *p = bfjit_compile("+", 1, NULL, &err);
  assert_non_null(p);
  bfjit_free(p);
}

static void status_names(void **state)
{
  (void)state;
  for (int s = BFJIT_OK; s <= BFJIT_ERR_CACHE; s++) {
    const char *n = bfjit_status_name((bfjit_status)s);
    assert_non_null(n);
    assert_true(strlen(n) > 0);
  }
  assert_string_equal(bfjit_status_name(BFJIT_ERR_TAPE), "tape error");
  assert_non_null(bfjit_status_name((bfjit_status)1000));
}

/* -- Compiling ------------------------------------------------------------ */

static void compile_errors_have_positions(void **state)
{
  (void)state;
  static const struct { const char *src; unsigned line, col; } e[] = {
    { "]", 1, 1 },
    { "+[", 1, 2 },
    { "++\n+\n  ]", 3, 3 },
    { "[\r\n[]\r\n", 1, 1 },
    { "hello\n[world\n", 2, 1 },
  };
  for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
    bfjit_error err;
    bfjit_program *p = bfjit_compile(e[i].src, strlen(e[i].src), NULL, &err);
    assert_null(p);
    assert_int_equal(err.status, BFJIT_ERR_PARSE);
    assert_int_equal(err.line, e[i].line);
    assert_int_equal(err.column, e[i].col);
    assert_null(strchr(err.message, '\n'));
  }
}

/* The caller keeps its text: the library copied what it needed. */
static void compile_copies_text(void **state)
{
  (void)state;
  char *src = strdup("++++++++[>++++++++<-]>+.");  /* 'A' */
  bfjit_error err;
  bfjit_program *p = bfjit_compile(src, strlen(src), NULL, &err);
  assert_non_null(p);
  memset(src, '-', strlen(src));
  free(src);
  mem_io m = { 0 };
  bfjit_io io = { &m, mem_read, mem_write };
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
  assert_output(&m, "A");
  bfjit_free(p);
}

static void empty_program_runs(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    mem_io m;
    bfjit_error err;
    assert_int_equal(run_src("no commands here", &o, "", &m, &err), BFJIT_OK);
    assert_int_equal(m.out_len, 0);
    bfjit_program *p = bfjit_compile("", 0, &o, &err);
    assert_non_null(p);
    bfjit_io io = { &m, mem_read, mem_write };
    assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
    bfjit_free(p);
  }
}

static void free_null(void **state)
{
  (void)state;
  bfjit_free(NULL);
}

/* -- Running -------------------------------------------------------------- */

static void hello_every_mode_and_level(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++)
    for (int level = 0; level <= 2; level++) {
      bfjit_options o = mode_opts(i, level);
      mem_io m;
      bfjit_error err;
      assert_int_equal(run_src(HELLO, &o, NULL, &m, &err), BFJIT_OK);
      assert_output(&m, "Hello World!\n");
      assert_int_equal(err.status, BFJIT_OK);
    }
}

/* Input through the callback, whatever size its reads come in. */
static void input_callback(void **state)
{
  (void)state;
  static const size_t chunks[] = { 0, 1, 2, 7 };
  const char *in = "The quick brown fox\njumps over the lazy dog.\n";
  for (size_t i = 0; i < NMODES; i++)
    for (size_t c = 0; c < 4; c++) {
      bfjit_options o = mode_opts(i, 2);
      o.eof = BFJIT_EOF_ZERO;
      bfjit_program *p = bfjit_compile(",[.,]", 5, &o, NULL);
      assert_non_null(p);
      mem_io m = { .in = in, .in_len = strlen(in), .chunk = chunks[c] };
      bfjit_io io = { &m, mem_read, mem_write };
      bfjit_error err;
      assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
      assert_output(&m, in);
      assert_int_equal(m.in_pos, m.in_len);
      bfjit_free(p);
    }
}

/* Output is handed over before each read, so a prompt comes out before the
** program waits for its answer. */
static void output_flushed_before_read(void **state)
{
  (void)state;
  bfjit_options o = mode_opts(0, 2);
  mem_io m;
  bfjit_error err;
  /* '?' then read: by the time the reader is asked, '?' has been written. */
  assert_int_equal(run_src("+++++++[>+++++++++<-]>.,.", &o, "x", &m, &err), BFJIT_OK);
  assert_output(&m, "?x");
  assert_true(m.writes >= 2);
}

static void eof_modes(void **state)
{
  (void)state;
  static const struct { unsigned bits; bfjit_eof eof; const char *want; } e[] = {
    { 8, BFJIT_EOF_KEEP, "\x03" },
    { 8, BFJIT_EOF_ZERO, "\x01" },
    { 8, BFJIT_EOF_MINUS_ONE, "\x00" },
    { 16, BFJIT_EOF_MINUS_ONE, "\x00" },
    { 32, BFJIT_EOF_MINUS_ONE, "\x00" },
  };
  for (size_t i = 0; i < NMODES; i++)
    for (size_t k = 0; k < sizeof e / sizeof e[0]; k++) {
      bfjit_options o = mode_opts(i, 2);
      o.cell_bits = e[k].bits;
      o.eof = e[k].eof;
      mem_io m;
      bfjit_error err;
      /* cell = 2; read at EOF; +1; print */
      assert_int_equal(run_src("++,+.", &o, "", &m, &err), BFJIT_OK);
      assert_int_equal(m.out_len, 1);
      assert_int_equal((unsigned char)m.out[0], (unsigned char)e[k].want[0]);
    }
}

/* -1 at EOF is all bits set: at 16 bits, 255 below it is not yet zero. */
static void eof_minus_one_is_width_wide(void **state)
{
  (void)state;
  char src[400] = ",";
  memset(src + 1, '-', 255);
  strcpy(src + 256, "[[-]>+++++++[>++++++++++<-]>.<<]");  /* 'F' when non-zero */
  for (unsigned bits = 8; bits <= 32; bits *= 2) {
    bfjit_options o = mode_opts(0, 2);
    o.cell_bits = bits;
    o.eof = BFJIT_EOF_MINUS_ONE;
    mem_io m;
    bfjit_error err;
    assert_int_equal(run_src(src, &o, "", &m, &err), BFJIT_OK);
    assert_output(&m, bits == 8 ? "" : "F");
  }
}

static void cell_widths_wrap(void **state)
{
  (void)state;
  /* 256 increments: zero at 8 bits (the loop is skipped), not at 16/32. */
  char src[600];
  memset(src, '+', 256);
  strcpy(src + 256, "[>+++++++[>++++++++++<-]>.<<[-]]");  /* 'F' when non-zero */
  static const struct { unsigned bits; const char *want; } w[] = {
    { 8, "" }, { 16, "F" }, { 32, "F" },
  };
  for (size_t i = 0; i < NMODES; i++)
    for (size_t k = 0; k < 3; k++)
      for (int level = 0; level <= 2; level += 2) {
        bfjit_options o = mode_opts(i, level);
        o.cell_bits = w[k].bits;
        mem_io m;
        bfjit_error err;
        assert_int_equal(run_src(src, &o, NULL, &m, &err), BFJIT_OK);
        assert_output(&m, w[k].want);
      }
}

/* '.' writes the low byte of a wide cell. */
static void output_low_byte(void **state)
{
  (void)state;
  for (unsigned bits = 16; bits <= 32; bits *= 2) {
    bfjit_options o = mode_opts(0, 2);
    o.cell_bits = bits;
    mem_io m;
    bfjit_error err;
    assert_int_equal(run_src("-.", &o, NULL, &m, &err), BFJIT_OK);
    assert_int_equal(m.out_len, 1);
    assert_int_equal((unsigned char)m.out[0], 0xff);
  }
}

/* -- Errors during a run -------------------------------------------------- */

/* Output before a tape error reaches the caller; the error names the
** command that touched the cell, not the move before it. */
static void output_before_tape_error(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++)
    for (int level = 0; level <= 2; level += 2) {
      bfjit_options o = mode_opts(i, level);
      mem_io m;
      bfjit_error err;
      assert_int_equal(run_src("+++++++[>++++++++++<-]>.<<<\n  +", &o, NULL, &m, &err),
                       BFJIT_ERR_TAPE);
      assert_output(&m, "F");
      assert_int_equal(err.status, BFJIT_ERR_TAPE);
      assert_int_equal(err.line, 2);
      assert_int_equal(err.column, 3);
      assert_non_null(strstr(err.message, "-2"));
    }
}

/* Moving off the tape is fine; touching there is not. */
static void tape_moves_are_free(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    mem_io m;
    bfjit_error err;
    assert_int_equal(run_src("<<<>>>+.", &o, NULL, &m, &err), BFJIT_OK);
    assert_output(&m, "\x01");
  }
}

/* Walking right until the limit: the error is at the '+' in the loop. */
static void tape_limit(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++)
    for (int level = 0; level <= 2; level += 2) {
      bfjit_options o = mode_opts(i, level);
      o.tape_cells = 30000;
      mem_io m;
      bfjit_error err;
      assert_int_equal(run_src(".+[>+]", &o, NULL, &m, &err), BFJIT_ERR_TAPE);
      assert_output_nul(&m);
      assert_int_equal(err.line, 1);
      assert_int_equal(err.column, 5);
      assert_non_null(strstr(err.message, "30000"));
    }
}

static void step_limit(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    o.max_steps = 1000;
    mem_io m;
    bfjit_error err;
    assert_int_equal(run_src(".+[.>+<]", &o, NULL, &m, &err), BFJIT_ERR_STEPS);
    assert_int_equal(err.status, BFJIT_ERR_STEPS);
    assert_int_equal(err.line, 1);
    assert_true(m.out_len >= 1000);
    /* Under the limit, the same program shape finishes. */
    assert_int_equal(run_src("+++[.-]", &o, NULL, &m, &err), BFJIT_OK);
    assert_output(&m, "\x03\x02\x01");
  }
}

static void io_errors(void **state)
{
  (void)state;
  bfjit_options o = mode_opts(0, 2);
  bfjit_program *p = bfjit_compile("+.,.", 4, &o, NULL);
  assert_non_null(p);
  bfjit_error err;
  mem_io m = { .fail_read = 1 };
  bfjit_io io = { &m, mem_read, mem_write };
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_ERR_IO);
  assert_int_equal(err.status, BFJIT_ERR_IO);
  assert_output(&m, "\x01");  /* written before the read */
  memset(&m, 0, sizeof m);
  m.fail_write = 1;
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_ERR_IO);
  /* After failed runs, the program still works. */
  memset(&m, 0, sizeof m);
  m.in = "A";
  m.in_len = 1;
  assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
  assert_output(&m, "\x01" "A");
  bfjit_free(p);
}

static void run_bad_arguments(void **state)
{
  (void)state;
  bfjit_program *p = bfjit_compile("+", 1, NULL, NULL);
  assert_non_null(p);
  bfjit_error err;
  assert_int_equal(bfjit_run(p, NULL, &err), BFJIT_ERR_ARG);
  assert_int_equal(err.status, BFJIT_ERR_ARG);
  mem_io m = { 0 };
  bfjit_io no_read = { &m, NULL, mem_write }, no_write = { &m, mem_read, NULL };
  assert_int_equal(bfjit_run(p, &no_read, &err), BFJIT_ERR_ARG);
  assert_int_equal(bfjit_run(p, &no_write, &err), BFJIT_ERR_ARG);
  assert_int_equal(bfjit_run(NULL, &no_write, &err), BFJIT_ERR_ARG);
  bfjit_free(p);
}

/* -- Running again -------------------------------------------------------- */

/* A fractal-ish workload: nested loops hot enough to be compiled mid-run. */
#define SQUARES \
  "++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]"

static void runs_twice_same_output(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    bfjit_error err;
    bfjit_program *p = bfjit_compile(SQUARES, strlen(SQUARES), &o, &err);
    assert_non_null(p);
    static mem_io a, b;
    bfjit_io ia = { &a, mem_read, mem_write }, ib = { &b, mem_read, mem_write };
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(bfjit_run(p, &ia, &err), BFJIT_OK);
    assert_int_equal(bfjit_run(p, &ib, &err), BFJIT_OK);
    assert_int_equal(a.out_len, 460);  /* the squares from 0 to 10000 */
    assert_int_equal(a.out_len, b.out_len);
    assert_memory_equal(a.out, b.out, a.out_len);
    assert_memory_equal(a.out, "0\n1\n4\n9\n16\n", 11);
    assert_memory_equal(a.out + 454, "10000\n", 6);
    bfjit_free(p);
  }
}

/* Each run starts on a fresh, zeroed tape. */
static void runs_start_fresh(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 0);
    bfjit_program *p = bfjit_compile("+.>++.", 6, &o, NULL);
    assert_non_null(p);
    for (int r = 0; r < 3; r++) {
      mem_io m = { 0 };
      bfjit_io io = { &m, mem_read, mem_write };
      assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
      assert_output(&m, "\x01\x02");
    }
    bfjit_free(p);
  }
}

static void run_stdio(void **state)
{
  (void)state;
  FILE *in = tmpfile(), *out = tmpfile();
  assert_non_null(in);
  assert_non_null(out);
  fputs("abc", in);
  rewind(in);
  bfjit_options o = mode_opts(0, 2);
  o.eof = BFJIT_EOF_ZERO;
  bfjit_program *p = bfjit_compile(",[+.,]", 6, &o, NULL);
  bfjit_error err;
  assert_int_equal(bfjit_run_stdio(p, in, out, &err), BFJIT_OK);
  rewind(out);
  char buf[8] = { 0 };
  assert_int_equal(fread(buf, 1, sizeof buf - 1, out), 3);
  assert_string_equal(buf, "bcd");
  bfjit_free(p);
  fclose(in);
  fclose(out);
}

/* -- Compile-time evaluation ---------------------------------------------- */

/* Runs 'p' once on input 'in' into 'm' and returns its status; the stats
** afterwards land in 'st'. */
static bfjit_status run_prog(bfjit_program *p, const char *in, mem_io *m,
                             bfjit_error *err, bfjit_stats *st)
{
  memset(m, 0, sizeof *m);
  m->in = in ? in : "";
  m->in_len = strlen(m->in);
  bfjit_io io = { m, mem_read, mem_write };
  bfjit_status s = bfjit_run(p, &io, err);
  bfjit_get_stats(p, st);
  return s;
}

/* A program that reads nothing becomes its output: every run writes it and
** runs nothing, and --jit compiles nothing. */
static void eval_whole_program(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    bfjit_program *p = bfjit_compile(HELLO, strlen(HELLO), &o, NULL);
    assert_non_null(p);
    mem_io m;
    bfjit_error err;
    bfjit_stats st;
    for (int run = 0; run < 2; run++) {
      assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_OK);
      assert_output(&m, "Hello World!\n");
      assert_int_equal(m.writes, 1);
      if (modes[i].hot == 1)
        continue;  /* it stops at the first back edge, which tiering compiles */
      assert_string_equal(st.eval_stop, "end");
      assert_int_equal(st.eval_output, 13);
      assert_int_equal(st.regions, 0);
      assert_int_equal(st.osr_entries, 0);
    }
    bfjit_free(p);
    /* Switched off, the run does it all. */
    o.passes &= ~BFJIT_PASS_EVAL;
    p = bfjit_compile(HELLO, strlen(HELLO), &o, NULL);
    assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_OK);
    assert_output(&m, "Hello World!\n");
    assert_string_equal(st.eval_stop, "off");
    assert_int_equal(st.eval_output, 0);
    assert_int_equal(st.eval_steps, 0);
    bfjit_free(p);
  }
}

/* A program that reads starts at its first ',' with the prefix's output
** pending: the prompt is written before the read, on every run, and the
** evaluation is done once. */
static void eval_stops_at_input(void **state)
{
  (void)state;
  /* 10 by 2s: five iterations, four back edges (an even step stays a loop). */
  const char *src = "++++++++++[>+++++++<--]>.,.";
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
    assert_non_null(p);
    mem_io m;
    bfjit_error err;
    bfjit_stats st;
    double seconds = -1;
    for (int run = 0; run < 3; run++) {
      char in[2] = { (char)('x' + run), '\0' }, want[3] = { '#', in[0], '\0' };
      assert_int_equal(run_prog(p, in, &m, &err, &st), BFJIT_OK);
      assert_output(&m, want);
      assert_int_equal(m.out_at_read, 1);
      if (modes[i].hot != 1) {  /* --hot=1 stops it at the first back edge */
        assert_string_equal(st.eval_stop, "input");
        assert_int_equal(st.eval_steps, 4);
        assert_int_equal(st.eval_output, 1);
      }
      if (run)
        assert_true(st.eval_seconds == seconds);
      seconds = st.eval_seconds;
    }
    bfjit_free(p);
  }
}

/* Every run gets the tape the prefix left, at every width, and its own
** input: nothing of an earlier run shows. */
static void eval_tape_restored(void **state)
{
  (void)state;
  const char *src = ">>>+>++>+++>-<<<<<,.>.>.>.>.>.";
  for (unsigned bits = 8; bits <= 32; bits *= 2)
    for (size_t i = 0; i < NMODES; i++) {
      bfjit_options o = mode_opts(i, 2);
      o.cell_bits = bits;
      bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
      for (int run = 0; run < 2; run++) {
        mem_io m;
        bfjit_error err;
        bfjit_stats st;
        char in[2] = { (char)('a' + run), '\0' };
        assert_int_equal(run_prog(p, in, &m, &err, &st), BFJIT_OK);
        assert_int_equal(m.out_len, 6);
        assert_memory_equal(m.out, ((char[]){ in[0], 0, 1, 2, 3, (char)0xff }), 6);
        assert_string_equal(st.eval_stop, "input");
      }
      bfjit_free(p);
    }
}

/* --max-steps counts the evaluated back edges: four fit in 4, not in 3,
** and the error comes at the ']' after the same four bytes. */
static void eval_counts_steps(void **state)
{
  (void)state;
  const char *src = "++++++++++[.>+<--]";
  for (size_t i = 0; i < NMODES; i++)
    for (int level = 0; level <= 2; level += 2) {
      bfjit_options o = mode_opts(i, level);
      o.max_steps = 4;
      mem_io m;
      bfjit_error err;
      assert_int_equal(run_src(src, &o, NULL, &m, &err), BFJIT_OK);
      assert_output(&m, "\x0a\x08\x06\x04\x02");
      o.max_steps = 3;
      bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
      bfjit_stats st;
      assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_ERR_STEPS);
      assert_output(&m, "\x0a\x08\x06\x04");
      assert_int_equal(err.line, 1);
      assert_int_equal(err.column, 18);
      if (level == 2 && modes[i].hot != 1) {
        assert_string_equal(st.eval_stop, "step limit");
        assert_int_equal(st.eval_steps, 3);
      }
      bfjit_free(p);
    }
}

/* The evaluation's tape is a window; a touch past it is no error, and the
** run does it. */
static void eval_tape_window(void **state)
{
  (void)state;
  size_t far = (size_t)3 << 20;  /* cells: past any width's window */
  char *src = malloc(far + 8);
  memcpy(src, "+.", 2);
  memset(src + 2, '>', far);
  memcpy(src + 2 + far, "++.", 4);
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 2);
    bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
    assert_non_null(p);
    mem_io m;
    bfjit_error err;
    bfjit_stats st;
    assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_OK);
    assert_output(&m, "\x01\x02");
    assert_string_equal(st.eval_stop, "tape window");
    assert_int_equal(st.eval_output, 1);
    bfjit_free(p);
  }
  free(src);
}

/* Prints, loops past the evaluation's budget (two million back edges of
** some six million ops), prints again and touches cell -2 at 5:7. */
#define PAST_BUDGET \
  "++++++++[>++++++++<-]>+.\n" \
  ">-[\n" \
  "  >++++++++[>++++++++<-]>[>--[-->+<]>[-]<<-]<<-\n" \
  "]\n" \
  "<+.<<<+"

/* When the budget runs out mid-loop the run goes on from there: the same
** output, the same error at the same place, as without evaluation. */
static void eval_past_budget(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++)
    for (int eval = 0; eval <= 1; eval++) {
      bfjit_options o = mode_opts(i, 2);
      if (!eval)
        o.passes &= ~BFJIT_PASS_EVAL;
      if (modes[i].mode == BFJIT_MODE_TIERED && !modes[i].hot)
        o.hot_threshold = UINT64_MAX;  /* never hot: only the budget stops it */
      bfjit_program *p = bfjit_compile(PAST_BUDGET, strlen(PAST_BUDGET), &o, NULL);
      assert_non_null(p);
      mem_io m;
      bfjit_error err;
      bfjit_stats st;
      assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_ERR_TAPE);
      assert_output(&m, "AB");
      assert_int_equal(err.line, 5);
      assert_int_equal(err.column, 7);
      if (eval && (modes[i].mode == BFJIT_MODE_INTERP || o.hot_threshold == UINT64_MAX)) {
        assert_string_equal(st.eval_stop, "budget");
        assert_true(st.eval_steps > 100000);
      }
      bfjit_free(p);
    }
}

/* The pending output goes through the writer as the run's own would: a
** 64 KiB buffer handed over when another byte comes. Here the second
** buffer does not fit the writer, with and without evaluation alike. */
static void eval_write_error(void **state)
{
  (void)state;
  const char *src = "-[>-[..-]<-]";  /* 255 x 255 x 2 bytes */
  for (size_t i = 0; i < NMODES; i++)
    for (int eval = 0; eval <= 1; eval++) {
      bfjit_options o = mode_opts(i, 2);
      if (!eval)
        o.passes &= ~BFJIT_PASS_EVAL;
      bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
      mem_io m;
      bfjit_error err;
      bfjit_stats st;
      assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_ERR_IO);
      assert_int_equal(m.out_len, 65536);
      assert_int_equal(m.writes, 2);
      assert_non_null(strstr(err.message, "write output"));
      /* A writer that fails at once fails the first write. */
      memset(&m, 0, sizeof m);
      m.fail_write = 1;
      bfjit_io io = { &m, mem_read, mem_write };
      assert_int_equal(bfjit_run(p, &io, &err), BFJIT_ERR_IO);
      assert_int_equal(m.writes, 1);
      bfjit_free(p);
    }
}

/* Evaluated loop iterations count in the profile once: they ran once. */
static void eval_profile(void **state)
{
  (void)state;
  bfjit_options o = mode_opts(0, 2);
  bfjit_program *p = bfjit_compile("++++++++++[.>+<--]", 18, &o, NULL);
  mem_io m;
  bfjit_error err;
  bfjit_stats st;
  bfjit_loop_info l;
  for (int run = 0; run < 2; run++) {
    assert_int_equal(run_prog(p, NULL, &m, &err, &st), BFJIT_OK);
    assert_int_equal(bfjit_loop_get(p, 0, &l), 0);
    assert_int_equal(l.iterations, 4);
  }
  bfjit_free(p);
}

/* -- The optimized IR as text --------------------------------------------- */

/* 'src' compiled at 'bits' and 'level', dumped into 'buf'. */
static void dump_ir(const char *src, unsigned bits, int level, char *buf, size_t cap)
{
  bfjit_options o = mode_opts(0, level);
  o.cell_bits = bits;
  bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
  assert_non_null(p);
  FILE *f = tmpfile();
  assert_non_null(f);
  bfjit_error err;
  assert_int_equal(bfjit_dump_ir(p, f, &err), BFJIT_OK);
  assert_int_equal(err.status, BFJIT_OK);
  rewind(f);
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
  fclose(f);
  bfjit_free(p);
}

static void ir_dump(void **state)
{
  (void)state;
  char buf[1024];
  /* One op a line under its line:column; bodies indented; '-' as -1; a
  ** test of a cell other than c(0) (the sink pass) shows its offset. */
  dump_ir(",[->+++<]>.\n,[>>[-]<<-]", 8, 2, buf, sizeof buf);
  assert_string_equal(buf,
    "1:1       IN@0\n"
    "1:2       IF=2\n"
    "1:5         MUL@1=3\n"
    "1:3         SET@0=0\n"
    "1:11      OUT@1\n"
    "2:1       IN@1\n"
    "2:2       IF@1=2\n"
    "2:5         SET@3=0\n"
    "2:10        SET@1=0\n"
    "2:12      MOVE=1\n"
    "2:12      HALT\n");
  dump_ir("+[-\n>[.]]", 16, 0, buf, sizeof buf);
  assert_string_equal(buf,
    "1:1       ADD@0=1\n"
    "1:2       LOOP\n"
    "1:3         ADD@0=-1\n"
    "2:1         MOVE=1\n"
    "2:2         LOOP\n"
    "2:3           OUT@0\n"
    "2:4         END\n"
    "2:5       END\n"
    "2:6       HALT\n");
  dump_ir(",[>]-.", 32, 2, buf, sizeof buf);
  assert_string_equal(buf,
    "1:1       IN@0\n"
    "1:2       SCAN=1\n"
    "1:5       SET@0=-1\n"
    "1:6       PUT=255\n"
    "1:7       HALT\n");
  /* A stream that cannot be written. */
  bfjit_program *p = bfjit_compile("+", 1, NULL, NULL);
  FILE *ro = fopen("/dev/null", "r");
  assert_non_null(ro);
  bfjit_error err;
  assert_int_equal(bfjit_dump_ir(p, ro, &err), BFJIT_ERR_IO);
  assert_int_equal(err.status, BFJIT_ERR_IO);
  fclose(ro);
  assert_int_equal(bfjit_dump_ir(NULL, stdout, &err), BFJIT_ERR_ARG);
  bfjit_free(p);
}

/* A program whose code cannot be had (here: over 'code_max') is not a bad
** argument: bfjit_dump_code says NOMEM, with the JIT's reason. A build
** without a JIT or a disassembler says ARG for any program. */
static void dump_code_failure(void **state)
{
  (void)state;
  FILE *sink = fopen("/dev/null", "w");
  assert_non_null(sink);
  bfjit_error err;
  bfjit_program *p = bfjit_compile(HELLO, strlen(HELLO), NULL, &err);
  assert_non_null(p);
  bfjit_status s = bfjit_dump_code(p, sink, &err);
  bfjit_free(p);
  if (s == BFJIT_ERR_ARG) {
    assert_true(strstr(err.message, "no disassembler") || strstr(err.message, "no JIT"));
  } else {
    assert_int_equal(s, BFJIT_OK);
    bfjit_options o;
    bfjit_options_init(&o);
    o.code_max = 1;
    p = bfjit_compile(HELLO, strlen(HELLO), &o, &err);
    assert_non_null(p);
    assert_int_equal(bfjit_dump_code(p, sink, &err), BFJIT_ERR_NOMEM);
    assert_int_equal(err.status, BFJIT_ERR_NOMEM);
    assert_non_null(strstr(err.message, "over the code memory limit"));
    bfjit_free(p);
  }
  fclose(sink);
}

/* -- The loop profile ----------------------------------------------------- */

static void loop_profile(void **state)
{
  (void)state;
  /* Loops at 1:2, 2:4 (3 iterations: 2 back edges), 2:8 and 2:10. */
  const char *src = "+[-]\n+++[-]+[.[-]]";
  for (size_t i = 0; i < NMODES; i++) {
    bfjit_options o = mode_opts(i, 0);
    bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
    assert_non_null(p);
    assert_int_equal(bfjit_loop_count(p), 4);
    bfjit_loop_info l;
    static const unsigned pos[4][2] = { { 1, 2 }, { 2, 4 }, { 2, 8 }, { 2, 10 } };
    for (size_t k = 0; k < 4; k++) {
      assert_int_equal(bfjit_loop_get(p, k, &l), 0);
      assert_int_equal(l.line, pos[k][0]);
      assert_int_equal(l.column, pos[k][1]);
      assert_int_equal(l.iterations, 0);
    }
    assert_int_equal(bfjit_loop_get(p, 4, &l), -1);
    assert_int_equal(bfjit_loop_get(p, (size_t)-1, &l), -1);
    if (modes[i].mode == BFJIT_MODE_INTERP) {
      /* The interpreter counts back edges, summed over runs. */
      mem_io m = { 0 };
      bfjit_io io = { &m, mem_read, mem_write };
      static const uint64_t want[4] = { 0, 2, 0, 0 };
      for (int run = 1; run <= 2; run++) {
        assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
        for (size_t k = 0; k < 4; k++) {
          bfjit_loop_get(p, k, &l);
          assert_int_equal(l.iterations, want[k] * run);
          assert_int_equal(l.compiled, 0);
        }
      }
    }
    bfjit_free(p);
  }
  /* At -O2 three become stores; the one with output stays, at 2:8. */
  bfjit_program *p = bfjit_compile(src, strlen(src), NULL, NULL);
  assert_int_equal(bfjit_loop_count(p), 1);
  bfjit_loop_info l;
  assert_int_equal(bfjit_loop_get(p, 0, &l), 0);
  assert_int_equal(l.line, 2);
  assert_int_equal(l.column, 8);
  bfjit_free(p);
}

/* A hot loop in tiered mode gets compiled, and its code runs. */
static void loop_profile_tiered(void **state)
{
  (void)state;
  bfjit_options o = mode_opts(2, 2);  /* tiered, --hot=1 */
  const char *src = "++++++++[>++++++++<-]>[>+.<-]";
  bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
  assert_non_null(p);
  assert_int_equal(bfjit_loop_count(p), 1);  /* the first is linear */
  mem_io m = { 0 };
  bfjit_io io = { &m, mem_read, mem_write };
  assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
  assert_int_equal(m.out_len, 64);
  bfjit_loop_info l;
  assert_int_equal(bfjit_loop_get(p, 0, &l), 0);
  assert_int_equal(l.column, 23);
  assert_true(l.iterations >= 1);
  assert_int_equal(l.compiled, 1);
  bfjit_stats st;
  bfjit_get_stats(p, &st);
  assert_int_equal(st.regions, 1);
  assert_int_equal(st.loops_compiled, 1);
  assert_true(st.osr_entries >= 1);
  assert_int_equal(st.compile_failures, 0);
  bfjit_free(p);
}

/* A hoisted range check that fails on a correct program (the loop at cell 0
** does not run, but its check covers cell -1) goes on in the segment's
** checked version, compiled then and kept: two runs compile it once, and
** neither leaves compiled code early. */
static void checked_version_lazy(void **state)
{
  (void)state;
  bfjit_options o = mode_opts(1, 2);  /* --jit */
  const char *src = ",[<+>-]+++[>++<-]>.";
  bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
  assert_non_null(p);
  bfjit_stats st;
  for (int run = 1; run <= 2; run++) {
    mem_io m = { .in = "" };  /* ',' meets the end of input: the cell stays 0 */
    bfjit_io io = { &m, mem_read, mem_write };
    assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
    assert_int_equal(m.out_len, 1);
    assert_int_equal(m.out[0], 6);
    bfjit_get_stats(p, &st);
    assert_int_equal(st.checked_versions, 1);
    assert_int_equal(st.side_exits, 0);
    assert_int_equal(st.compile_failures, 0);
  }
  assert_int_equal(st.regions, 1);
  bfjit_free(p);
}

/* 300 segments (a scan starts each) whose hoisted checks all fail: 300
** checked versions, packed into shared mappings rather than a page each. */
static void checked_versions_packed(void **state)
{
  (void)state;
  static const char unit[] = ",[<+>-],[>]";
  char src[300 * sizeof unit + 8] = "";
  for (int i = 0; i < 300; i++)
    strcat(src, unit);
  strcat(src, "+++.");
  bfjit_options o = mode_opts(1, 2);  /* --jit */
  bfjit_program *p = bfjit_compile(src, strlen(src), &o, NULL);
  assert_non_null(p);
  mem_io m = { .in = "" };
  bfjit_io io = { &m, mem_read, mem_write };
  assert_int_equal(bfjit_run(p, &io, NULL), BFJIT_OK);
  assert_int_equal(m.out_len, 1);
  assert_int_equal(m.out[0], 3);
  bfjit_stats st;
  bfjit_get_stats(p, &st);
  assert_int_equal(st.checked_versions, 300);
  assert_int_equal(st.side_exits, 0);
  assert_true(st.code_bytes < 300 * 4096);
  bfjit_free(p);
}

/* -- Scale ---------------------------------------------------------------- */

/* "+[[[...-.]]]": 'depth' nested loops around one clear and print. */
static char *nested(size_t depth, size_t *len)
{
  char *src = malloc(2 * depth + 8);
  size_t n = 0;
  src[n++] = '+';
  memset(src + n, '[', depth);
  n += depth;
  memcpy(src + n, "-.", 2);
  n += 2;
  memset(src + n, ']', depth);
  n += depth;
  *len = n;
  return src;
}

/* Runs 'depth' nested loops in mode 'mode' at -O0 and -O2 (without
** evaluation, which would run it all before the run). In --jit the program
** must be compiled, or refused for reason 'why' and run anyway. */
static void run_nested(size_t depth, size_t mode, const char *why)
{
  size_t n;
  char *src = nested(depth, &n);
  for (int level = 0; level <= 2; level += 2) {
    bfjit_options o = mode_opts(mode, level);
    o.passes &= ~BFJIT_PASS_EVAL;
    bfjit_error err;
    bfjit_program *p = bfjit_compile(src, n, &o, &err);
    assert_non_null(p);
    mem_io m = { 0 };
    bfjit_io io = { &m, mem_read, mem_write };
    assert_int_equal(bfjit_run(p, &io, &err), BFJIT_OK);
    assert_output_nul(&m);
    if (modes[mode].mode == BFJIT_MODE_JIT) {
      bfjit_stats st;
      bfjit_get_stats(p, &st);
      if (why) {
        assert_true(st.compile_failures >= 1);
        assert_non_null(st.last_abort);
        assert_string_equal(st.last_abort, why);
      } else {
        assert_true(st.regions >= 1);
        assert_int_equal(st.compile_failures, 0);
      }
    }
    bfjit_free(p);
  }
  free(src);
}

/* A million nested loops compile and run: nothing recurses on the C stack. */
static void deep_nesting_runs(void **state)
{
  (void)state;
  for (size_t i = 0; i < NMODES; i++)
    if (modes[i].mode != BFJIT_MODE_JIT)
      run_nested(1000000, i, NULL);
  run_nested(100000, 1, NULL);  /* jit: 200 K ops, one region */
}

/* The whole-program JIT refuses a million nested loops (2 M ops would
** overflow DynASM's 2^24 buffer positions) and the program runs tiered. */
static void deep_nesting_jit(void **state)
{
  (void)state;
  run_nested(1000000, 1, "the region has too many ops for one assembly");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(options_defaults),
    cmocka_unit_test(options_validated),
    cmocka_unit_test(options_accepted),
    cmocka_unit_test(status_names),
    cmocka_unit_test(compile_errors_have_positions),
    cmocka_unit_test(compile_copies_text),
    cmocka_unit_test(empty_program_runs),
    cmocka_unit_test(free_null),
    cmocka_unit_test(hello_every_mode_and_level),
    cmocka_unit_test(input_callback),
    cmocka_unit_test(output_flushed_before_read),
    cmocka_unit_test(eof_modes),
    cmocka_unit_test(eof_minus_one_is_width_wide),
    cmocka_unit_test(cell_widths_wrap),
    cmocka_unit_test(output_low_byte),
    cmocka_unit_test(output_before_tape_error),
    cmocka_unit_test(tape_moves_are_free),
    cmocka_unit_test(tape_limit),
    cmocka_unit_test(step_limit),
    cmocka_unit_test(io_errors),
    cmocka_unit_test(run_bad_arguments),
    cmocka_unit_test(runs_twice_same_output),
    cmocka_unit_test(runs_start_fresh),
    cmocka_unit_test(run_stdio),
    cmocka_unit_test(eval_whole_program),
    cmocka_unit_test(eval_stops_at_input),
    cmocka_unit_test(eval_tape_restored),
    cmocka_unit_test(eval_counts_steps),
    cmocka_unit_test(eval_tape_window),
    cmocka_unit_test(eval_past_budget),
    cmocka_unit_test(eval_write_error),
    cmocka_unit_test(eval_profile),
    cmocka_unit_test(ir_dump),
    cmocka_unit_test(dump_code_failure),
    cmocka_unit_test(loop_profile),
    cmocka_unit_test(loop_profile_tiered),
    cmocka_unit_test(checked_version_lazy),
    cmocka_unit_test(checked_versions_packed),
    cmocka_unit_test(deep_nesting_runs),
    cmocka_unit_test(deep_nesting_jit),
  };
  return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
