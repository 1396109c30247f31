/*
** fuzz_diff.c — differential fuzzing through the public API: one input becomes
** a Brainfuck program and its input bytes, which run in every mode at every
** cell width; any disagreement in output, status or error position aborts.
**
** The interpreter with the same passes is the reference for the JIT and the
** tiered runs. Runs with different passes must agree too, but only when none
** hit the step limit (the limit counts back edges of the optimized program).
** tests/test_fuzz_corpus.c replays the committed corpus through this file.
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

#define MAX_PROG  (16u << 10)  /* generated program bytes kept at most */
#define MAX_STEPS 4096         /* back edges per run: keeps every run short */
#define MAX_WORK  (1u << 20)   /* ... and fewer for long programs: steps * length */
#define OUT_KEEP  512          /* output bytes kept verbatim; the rest is hashed */

/* -- The input's layout ----------------------------------------------------
** byte 0: flags (below); byte 1: a pass subset and a hot threshold; byte 2:
** how many bytes at the end are the program's input; the rest drives the
** program generator. */
#define F_RAW       0x01u  /* bytes map to commands one to one (else: idioms) */
#define F_EOF       0x06u  /* two bits: the EOF mode (3 means keep) */
#define F_DUMP      0x08u  /* append a suffix that prints the cells around 'p' */
#define F_READ_FAIL 0x10u  /* reading past the input fails instead of ending */
#define F_WRITE_CAP 0x20u  /* writing more than a few bytes in total fails */
#define F_FAR       0x40u  /* one move may go some 30000 cells: far slower, one width */
#define F_EDGE      0x80u  /* start at cell 0..3 and move at most 3 cells at once:
                              hoisted range checks cover cells left of the tape */

typedef struct text {
  char *s;
  size_t n, cap;
  int depth;  /* open brackets */
  int far;    /* far moves made: each costs some 30000 commands, so one at most */
} text;

static void put(text *t, char c)
{
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 256;
    t->s = realloc(t->s, t->cap);
    if (!t->s)
      abort();
  }
  t->s[t->n++] = c;
}

static void put_run(text *t, char c, unsigned k)
{
  while (k--)
    put(t, c);
}

/* Brackets are kept balanced as they are written: a ']' with nothing open
** is dropped, and the open ones are closed at the end. */
static void put_cmd(text *t, char c)
{
  if (c == ']') {
    if (t->depth == 0)
      return;
    t->depth--;
  } else if (c == '[') {
    t->depth++;
  }
  put(t, c);
}

/* Moves by 'k' cells (negative: left). */
static void put_move(text *t, int k)
{
  put_run(t, k < 0 ? '<' : '>', (unsigned)(k < 0 ? -k : k));
}

typedef struct reader {
  const uint8_t *b;
  size_t n, i;
} reader;

static unsigned next(reader *r)
{
  return r->i < r->n ? r->b[r->i++] : 0;
}

/* A loop the linear pass may rewrite: the counter changes by an odd (or,
** sometimes, even) step, other cells get factors, and 'p' comes back, or,
** in look-alikes, does not quite. */
static void put_linear(text *t, reader *r)
{
  unsigned b = next(r);
  static const int steps[] = { -1, 1, -3, 3, -5, 2, -2, 255 };
  int step = steps[b & 7];
  unsigned ntargets = (b >> 3) & 3;
  int drift_bug = (b >> 5) == 7;  /* a look-alike whose body drifts */
  int at = 0, counter_done = 0;
  unsigned counter_slot = next(r) % (ntargets + 1);
  put_cmd(t, '[');
  for (unsigned k = 0; k <= ntargets; k++) {
    if (k == counter_slot) {
      put_move(t, -at);
      at = 0;
      put_run(t, step < 0 ? '-' : '+', (unsigned)(step < 0 ? -step : step));
      counter_done = 1;
      if (k == ntargets)
        break;
    }
    unsigned o = next(r), f = next(r);
    int off = (int)(o % 9) - 4;
    if (off == 0)
      off = (o & 0x80) ? 30 : -7;
    put_move(t, off - at);
    at = off;
    put_run(t, (f & 0x80) ? '-' : '+', 1 + (f & 15));
  }
  if (!counter_done)
    put_run(t, '-', 1);
  put_move(t, -at + drift_bug);
  put_cmd(t, ']');
}

/* A loop whose inner loop runs on a cell not known at its first iteration
** ('[->+>>+++[->+<]>[-]<<<<]'): the linear pass peels that iteration, and
** makes every iteration's adds to cells near the counter in it at once
** when the rest settles after it (the inner loop's target cleared), or
** not (kept, or added to after 'p' left the counter). */
static void put_peeled(text *t, reader *r)
{
  unsigned b = next(r), c = next(r);
  static const int steps[] = { -1, 1, -3, 3 };
  int step = steps[b & 3];
  int a = (int)((b >> 2) & 3) - 2;   /* a cell near the counter: -2 .. 1 */
  int k = 2 + (int)((b >> 4) & 1);   /* the inner loop's cell */
  put_cmd(t, '[');
  put_run(t, step < 0 ? '-' : '+', (unsigned)(step < 0 ? -step : step));
  if (a) {
    put_move(t, a); put_run(t, (c & 0x80) ? '-' : '+', 1 + (c & 3)); put_move(t, -a);
  }
  put_move(t, k);
  put_run(t, '+', (c >> 2) & 7);
  put_cmd(t, '['); put(t, '-'); put_move(t, 1); put(t, '+'); put_move(t, -1); put_cmd(t, ']');
  if (!(b & 0x40)) {
    put_move(t, 1); put_cmd(t, '['); put(t, '-'); put_cmd(t, ']'); put_move(t, -1);
  }
  if (b & 0x80 && a)
    put_move(t, a - k), put(t, '+'), put_move(t, -a);
  else
    put_move(t, -k);
  put_cmd(t, ']');
}

/* What the known pass folds: a cell cleared and given a small constant, then
** a test of it (a loop, a linear loop: an IF on a constant, a scan), a
** store to it again with another cell stored to between (a dead store), a
** loop that keeps its neighbours and a test of one of them, or a test of a
** cell 'k' away that nothing touched yet (off the tape near the left edge). */
static void put_known(text *t, reader *r)
{
  unsigned b = next(r);
  int k = (int)(b & 3) - 1;
  put_cmd(t, '['); put(t, '-'); put_cmd(t, ']');
  put_run(t, '+', (b >> 2) & 7);
  switch (b >> 5) {
  case 0:
    put_cmd(t, '['); put(t, '.'); put(t, '-'); put_cmd(t, ']');
    break;
  case 1: case 2:
    put_linear(t, r);
    break;
  case 3:
    put_cmd(t, '['); put(t, '>'); put_cmd(t, ']');
    break;
  case 4: case 5:
    put_move(t, k ? k : 1); put(t, '+'); put_move(t, k ? -k : -1);
    put_run(t, (b & 0x20) ? '-' : '+', next(r) & 3);
    put_cmd(t, '['); put(t, '-'); put_cmd(t, ']');
    put_run(t, '+', next(r) & 3);
    break;
  case 6:
    put_cmd(t, '['); put(t, '.'); put_cmd(t, '['); put(t, '-'); put_cmd(t, ']');
    put(t, ','); put_cmd(t, ']');
    put_move(t, k); put_cmd(t, '['); put(t, '.'); put(t, '-'); put_cmd(t, ']'); put_move(t, -k);
    break;
  default:
    put_move(t, k - 2); put_cmd(t, '['); put(t, '.'); put_cmd(t, ']'); put_move(t, 2 - k);
    break;
  }
}

/* Turns the driver bytes into a program with balanced brackets. */
static void generate(text *t, reader *r, unsigned flags)
{
  static const char cmds[] = "+-<>.,[]\n";
  if (flags & F_EDGE)
    put_move(t, (int)(next(r) & 3));
  while (r->i < r->n && t->n < MAX_PROG) {
    unsigned b = next(r);
    if (flags & F_RAW) {
      put_cmd(t, cmds[b % 9]);
      continue;
    }
    switch (b % 20) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
      put_cmd(t, cmds[b % 20]);
      break;
    case 8:  /* a clear */
      put_cmd(t, '['); put(t, (b & 0x80) ? '+' : '-'); put_cmd(t, ']');
      break;
    case 9:  /* a clear and a store */
      put_cmd(t, '['); put(t, '-'); put_cmd(t, ']');
      put_run(t, '+', next(r) & 31);
      break;
    case 10:
      put_linear(t, r);
      break;
    case 11:
      if (b & 0x80)
        put_peeled(t, r);
      else
        put_linear(t, r);
      break;
    case 12: {  /* a scan, left or right, stride 1..4 */
      unsigned k = next(r);
      put_cmd(t, '[');
      put_run(t, (k & 0x80) ? '<' : '>', 1 + (k & 3));
      put_cmd(t, ']');
      break;
    }
    case 13:  /* a run of adds, long enough to wrap a byte */
      put_run(t, (b & 0x80) ? '-' : '+', next(r));
      break;
    case 14: {  /* a move: short, or far enough to reach a tape end */
      unsigned k = next(r);
      if (flags & F_EDGE) {
        put_move(t, (k & 0x80) ? -(int)(k & 3) : (int)(k & 3));
        break;
      }
      if ((k & 0x70) == 0x70) {
        /* A drifting loop that marks every 8th..23rd cell until it runs
        ** off the right end, in fewer iterations than the step limit. */
        put_cmd(t, '['); put(t, '-'); put_cmd(t, ']'); put(t, '+');
        put_cmd(t, '['); put_move(t, 8 + (int)(k & 15)); put(t, '+'); put_cmd(t, ']');
        break;
      }
      int far = (k & 0x40) && (flags & F_FAR) && !t->far ? 29990 + (int)(k & 15)
                                                           : (int)(k & 63);
      t->far += far > 63;
      put_move(t, (k & 0x80) ? -far : far);
      break;
    }
    case 15: put(t, '.'); break;
    case 16: put(t, ','); break;
    case 17:  /* a loop that is not linear: I/O or an inner loop */
      if (b & 0x40) {  /* balanced: it clears a cell 1..3 away each time */
        int k = (int)(next(r) % 7) - 3;
        put_cmd(t, '['); put(t, '-'); put_move(t, k ? k : -1);
        put_cmd(t, '['); put(t, '-'); put_cmd(t, ']'); put_move(t, k ? -k : 1);
        put_cmd(t, ']');
        break;
      }
      if (b & 0x20) {
        /* drifting, carrying a value to the next iteration's cell (the JIT
        ** passes it on in a register): '[[->+<]>]', '[>+[-<++>]<<]' */
        int k = (b & 0x10) ? 1 : -1;
        put_cmd(t, '[');
        if (b & 0x08) {
          put_move(t, -k); put(t, '+'); put_move(t, k);
        }
        put_cmd(t, '['); put(t, '-'); put_move(t, k); put_run(t, '+', 1 + (b & 1));
        put_move(t, -k); put_cmd(t, ']');
        put_move(t, (b & 0x04) ? 2 * k : k);
        put_cmd(t, ']');
        break;
      }
      put_cmd(t, '['); put(t, '-'); put(t, (b & 0x80) ? '.' : '>');
      put_cmd(t, '['); put(t, '-'); put_cmd(t, ']'); put(t, '<'); put_cmd(t, ']');
      break;
    case 18:  /* an inner loop left open, to nest what follows */
      put_cmd(t, '[');
      break;
    default:
      if (b & 0x40) {
        put_known(t, r);
        break;
      }
      /* Comments and new lines move the error positions. */
      put(t, (b & 0x80) ? '\n' : 'x');
      break;
    }
  }
  while (t->depth > 0)
    put_cmd(t, ']');
  if (flags & F_DUMP) {
    static const char dump[] = ".>.>.>.<<<<.<.<.";
    for (const char *c = dump; *c; c++)
      put(t, *c);
  }
}

/* -- Running --------------------------------------------------------------- */

typedef struct outcome {
  bfjit_status status;
  unsigned line, column;
  char message[240];
  size_t out_len;
  uint64_t out_hash;
  uint8_t head[OUT_KEEP];
} outcome;

typedef struct io_ctx {
  const uint8_t *in;
  size_t in_len, in_pos;
  int read_fail;
  size_t write_cap;  /* total bytes the writer accepts; SIZE_MAX: no cap */
  outcome *o;
} io_ctx;

static long fz_read(void *ctx, void *buf, size_t n)
{
  io_ctx *c = ctx;
  if (c->in_pos == c->in_len)
    return c->read_fail ? -1 : 0;
  /* Short reads exercise the engine's refills. */
  size_t k = c->in_len - c->in_pos;
  if (k > n)
    k = n;
  if (k > 3)
    k = 3;
  memcpy(buf, c->in + c->in_pos, k);
  c->in_pos += k;
  return (long)k;
}

static int fz_write(void *ctx, const void *buf, size_t n)
{
  io_ctx *c = ctx;
  outcome *o = c->o;
  if (n > c->write_cap || o->out_len > c->write_cap - n)
    return -1;
  const uint8_t *b = buf;
  for (size_t i = 0; i < n; i++, o->out_len++) {
    if (o->out_len < OUT_KEEP)
      o->head[o->out_len] = b[i];
    o->out_hash = (o->out_hash ^ b[i]) * 0x100000001b3ull;  /* FNV-1a */
  }
  return 0;
}

typedef struct mode {
  const char *name;
  bfjit_mode mode;
  uint64_t hot;
} mode;

typedef struct setup {
  const uint8_t *in;
  size_t in_len;
  unsigned flags;
  const char *prog;
  size_t prog_len;
} setup;

static void run_one(const setup *s, bfjit_program *p, outcome *o)
{
  *o = (outcome){ .out_hash = 0xcbf29ce484222325ull };
  io_ctx c = { s->in, s->in_len, 0, !!(s->flags & F_READ_FAIL),
               (s->flags & F_WRITE_CAP) ? 5 + s->in_len : SIZE_MAX, o };
  bfjit_io io = { &c, fz_read, fz_write };
  bfjit_error err;
  o->status = bfjit_run(p, &io, &err);
  if (o->status != BFJIT_OK) {
    o->line = err.line;
    o->column = err.column;
    snprintf(o->message, sizeof o->message, "%s", err.message);
  }
}

static int same(const outcome *a, const outcome *b)
{
  return a->status == b->status && a->line == b->line && a->column == b->column &&
         !strcmp(a->message, b->message) && a->out_len == b->out_len &&
         a->out_hash == b->out_hash &&
         !memcmp(a->head, b->head, a->out_len < OUT_KEEP ? a->out_len : OUT_KEEP);
}

static void show(const char *label, const outcome *o)
{
  fprintf(stderr, "  %-28s status %d at %u:%u \"%s\", %zu bytes out, hash %016llx\n",
          label, (int)o->status, o->line, o->column, o->message, o->out_len,
          (unsigned long long)o->out_hash);
}

static void mismatch(const setup *s, unsigned bits, const char *la, const outcome *a,
                     const char *lb, const outcome *b)
{
  fprintf(stderr, "fuzz_diff: MISMATCH at %u-bit cells, flags 0x%02x\n", bits, s->flags);
  show(la, a);
  show(lb, b);
  fprintf(stderr, "  program (%zu bytes): %.*s%s\n", s->prog_len,
          (int)(s->prog_len > 2000 ? 2000 : s->prog_len), s->prog,
          s->prog_len > 2000 ? "..." : "");
  fprintf(stderr, "  input: %zu bytes\n", s->in_len);
  FUZZ_ABORT();
}

/* Runs the program with pass set 'passes' in every mode; every outcome must
** match the interpreter's, which goes to 'ref'. The tiered and whole-program
** runs go twice on one program, since what a program learned is kept. */
static void run_passes(const setup *s, unsigned bits, unsigned passes, uint64_t hot,
                       outcome *ref, char *label, size_t label_cap)
{
  const mode modes[] = {
    { "interp", BFJIT_MODE_INTERP, 0 },
    { "jit", BFJIT_MODE_JIT, 0 },
    { "tiered hot=1", BFJIT_MODE_TIERED, 1 },
    { "tiered hot=N", BFJIT_MODE_TIERED, hot },
  };
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.cell_bits = bits;
  opt.eof = ((s->flags & F_EOF) >> 1) % 3;
  opt.tape_cells = 30000;
  /* A back edge can cost a pass over the whole program at -O0. */
  opt.max_steps = MAX_WORK / (s->prog_len + 1);
  if (opt.max_steps > MAX_STEPS)
    opt.max_steps = MAX_STEPS;
  if (opt.max_steps < 8)
    opt.max_steps = 8;
  opt.passes = passes;
  snprintf(label, label_cap, "interp passes=0x%02x", passes);
  for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
    opt.mode = modes[m].mode;
    opt.hot_threshold = modes[m].hot;
    bfjit_error err;
    bfjit_program *p = bfjit_compile(s->prog, s->prog_len, &opt, &err);
    if (!p) {
      fprintf(stderr, "fuzz_diff: compile failed: %s\n", err.message);
      FUZZ_ABORT();
      return;
    }
    for (int rep = 0; rep < (m == 0 ? 1 : 2); rep++) {
      outcome o;
      run_one(s, p, &o);
      if (m == 0) {
        *ref = o;
        continue;
      }
      char mine[64];
      snprintf(mine, sizeof mine, "%s passes=0x%02x run %d", modes[m].name, passes, rep + 1);
      if (!same(ref, &o))
        mismatch(s, bits, label, ref, mine, &o);
    }
    /* The loop table must be readable in every mode. */
    bfjit_loop_info li;
    size_t nl = bfjit_loop_count(p);
    if (nl && bfjit_loop_get(p, nl - 1, &li) != 0)
      FUZZ_ABORT();
    if (bfjit_loop_get(p, nl, &li) != -1)
      FUZZ_ABORT();
    bfjit_free(p);
  }
}

int FUZZ_ENTRY(const uint8_t *data, size_t size);

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
  if (size < 3)
    return 0;
  unsigned flags = data[0], knobs = data[1];
  size_t in_len = data[2];
  if (in_len > size - 3)
    in_len = size - 3;
  reader r = { data + 3, size - 3 - in_len, 0 };
  text t = { 0 };
  generate(&t, &r, flags);
  setup s = { data + size - in_len, in_len, flags, t.s ? t.s : "", t.n };

  /* Pass sets: none, all, and one picked by the input. */
  const unsigned sets[3] = { 0, BFJIT_PASS_ALL,
                             (knobs | (in_len & 1) << 8) & BFJIT_PASS_ALL };
  uint64_t hot = 1 + ((knobs >> 6) * 3);
  for (unsigned bits = 8; bits <= 32; bits *= 2) {
    if (t.far && bits != 8u << (knobs >> 6) % 3)
      continue;
    outcome ref[3];
    char label[3][64];
    for (int k = 0; k < 3; k++)
      run_passes(&s, bits, sets[k], hot, &ref[k], label[k], sizeof label[k]);
    int limited = 0;
    for (int k = 0; k < 3; k++)
      limited |= ref[k].status == BFJIT_ERR_STEPS;
    if (!limited)
      for (int k = 1; k < 3; k++)
        if (!same(&ref[0], &ref[k]))
          mismatch(&s, bits, label[0], &ref[0], label[k], &ref[k]);
  }
  free(t.s);
  return 0;
}
