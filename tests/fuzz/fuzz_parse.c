/*
** fuzz_parse.c — raw bytes as program text and as option values: compiling
** must either succeed or fail with a status and a position inside the text,
** and a compiled program must run to some status under small limits.
** (The command line's option parsing lives in main() and exits, so this
** target fuzzs the library's option checks instead.)
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfjit.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif
#ifndef FUZZ_ABORT
#define FUZZ_ABORT() abort()
#endif

static long no_input(void *ctx, void *buf, size_t n)
{
  (void)ctx; (void)buf; (void)n;
  return 0;
}

static int sink(void *ctx, const void *buf, size_t n)
{
  (void)buf;
  *(size_t *)ctx += n;
  return 0;
}

/* Line and column of byte 'at' of 'src', 1-based, columns counting bytes. */
static void position(const uint8_t *src, size_t at, unsigned *line, unsigned *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < at; i++) {
    if (src[i] == '\n') {
      ++*line;
      *col = 1;
    } else {
      ++*col;
    }
  }
}

/* The offset of the bracket a parse error must name: the first ']' with no
** '[' before it, else the innermost '[' left open; SIZE_MAX when balanced. */
static size_t bad_bracket(const uint8_t *src, size_t len)
{
  size_t *open = malloc((len + 1) * sizeof *open), n = 0, at = SIZE_MAX;
  if (!open)
    abort();
  for (size_t i = 0; i < len && at == SIZE_MAX; i++) {
    if (src[i] == '[')
      open[n++] = i;
    else if (src[i] == ']' && n == 0)
      at = i;
    else if (src[i] == ']')
      n--;
  }
  if (at == SIZE_MAX && n > 0)
    at = open[n - 1];
  free(open);
  return at;
}

int FUZZ_ENTRY(const uint8_t *data, size_t size);

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
  if (size < 4)
    return 0;
  /* Four bytes of options, some of them invalid on purpose. */
  bfjit_options opt;
  bfjit_options_init(&opt);
  static const unsigned widths[] = { 8, 16, 32, 8, 16, 32, 0, 7 };
  opt.cell_bits = widths[data[0] & 7];
  opt.eof = (bfjit_eof)((data[0] >> 3) & 3);
  opt.mode = (bfjit_mode)((data[0] >> 5) & 3);
  opt.passes = (data[1] & 0x7f) | (data[1] & 0x80) << 1;
  opt.tape_cells = (data[2] & 0x80) ? 29999 : 30000 + data[2];
  opt.hot_threshold = data[3] & 0x0f;
  opt.max_steps = 1 + (size_t)(data[3] >> 4) * 100;
  const uint8_t *src = data + 4;
  size_t len = size - 4;

  int valid = (opt.cell_bits == 8 || opt.cell_bits == 16 || opt.cell_bits == 32) &&
              opt.eof <= BFJIT_EOF_MINUS_ONE && opt.mode <= BFJIT_MODE_JIT &&
              !(opt.passes & ~BFJIT_PASS_ALL) && opt.tape_cells >= 30000;
  size_t bad = bad_bracket(src, len);
  int balanced = bad == SIZE_MAX;
  unsigned line = 0, col = 0;
  if (!balanced)
    position(src, bad, &line, &col);

  bfjit_error err;
  bfjit_program *p = bfjit_compile(src, len, &opt, &err);
  if (!p) {
    /* Bad options are an argument error; bad brackets a parse error at one. */
    int ok = !valid ? err.status == BFJIT_ERR_ARG
                    : !balanced && err.status == BFJIT_ERR_PARSE &&
                      err.line == line && err.column == col;
    /* The message is one line, NUL-terminated inside its buffer. */
    if (!ok || !memchr(err.message, '\0', sizeof err.message) || strchr(err.message, '\n')) {
      fprintf(stderr, "fuzz_parse: unexpected failure %d at %u:%u: %s\n",
              (int)err.status, err.line, err.column, err.message);
      FUZZ_ABORT();
    }
    return 0;
  }
  if (!valid || !balanced) {
    fprintf(stderr, "fuzz_parse: compiled a program it should refuse\n");
    FUZZ_ABORT();
  }
  size_t written = 0;
  bfjit_io io = { &written, no_input, sink };
  bfjit_status s = bfjit_run(p, &io, &err);
  if (s != BFJIT_OK && s != BFJIT_ERR_TAPE && s != BFJIT_ERR_STEPS) {
    fprintf(stderr, "fuzz_parse: run ended with status %d: %s\n", (int)s, err.message);
    FUZZ_ABORT();
  }
  bfjit_free(p);
  return 0;
}
