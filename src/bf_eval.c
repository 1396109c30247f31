/*
** bf_eval.c — compile-time evaluation. Before the first run, the interpreter
** runs the program from its start for as long as it needs no input and
** stays within a budget; every run then starts from the state it left: its
** output written first, its tape copied, at the op where it stopped.
**
** The evaluator is the interpreter itself (bf_interp_loop.h with EVAL), so
** the prefix runs exactly as a run would, and it stops *before* any op it
** must not do: a read, a touch off its tape window (a real tape error, or a
** cell the window does not cover), a back edge past the budget or the step
** limit, an output byte past its buffer. The run does that op, so errors,
** their line:column and the output before them stay exactly as they were,
** and nothing runs twice.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bf_eval.h"
#include "bf_interp.h"
#include "bf_param.h"
#include "bf_tape.h"
#include "bf_tier.h"

/* The loops around op 'pc' (those whose LOOP..END holds it, the LOOP
** included), innermost first, in a malloc'd array; '*n' counts them. */
static uint32_t *loops_around(const bfjit_program *prog, uint32_t pc, uint32_t *n)
{
  uint32_t inner = UINT32_MAX, depth = 0;
  /* Loop ids run in op order: the innermost is the last that opens at or
  ** before 'pc' and closes at or after it. */
  for (uint32_t id = 0; id < prog->ir.nloops && prog->loops[id].head <= pc; id++)
    if (prog->ir.ops[prog->loops[id].head].aux >= pc)
      inner = id;
  for (uint32_t id = inner; id != UINT32_MAX; id = prog->loops[id].parent)
    depth++;
  *n = 0;
  uint32_t *out = malloc((depth ? depth : 1) * sizeof *out);
  if (!out)
    return NULL;
  for (uint32_t id = inner; id != UINT32_MAX; id = prog->loops[id].parent)
    out[(*n)++] = id;
  return out;
}

/* The first nonzero byte of [a, a + n), or NULL. */
static const uint8_t *first_nonzero(const uint8_t *a, size_t n)
{
  for (size_t k = 0; k < n; k++)
    if (a[k])
      return a + k;
  return NULL;
}

/* One past the last nonzero byte of [a, a + n), or NULL. */
static const uint8_t *last_nonzero(const uint8_t *a, size_t n)
{
  for (size_t k = n; k > 0; k--)
    if (a[k - 1])
      return a + k;
  return NULL;
}

/* Keeps the nonzero stretch of the window 'tape'. Only pages the
** evaluation touched can hold a nonzero cell, and the kernel says which
** those are (the rest were never mapped in), so a big window costs little
** to search and the interpreter tracks no bounds. */
static int keep_cells(bf_snap *s, const bf_tape *tape, unsigned width)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t npages = (tape->bytes + page - 1) / page;
  unsigned char *in = malloc(npages ? npages : 1);
  if (!in)
    return -1;
  /* The window starts on a page (bf_tape_open); on failure, search it all. */
  if (mincore(tape->cells, npages * page, in))
    memset(in, 1, npages);
  const uint8_t *a = NULL, *b = NULL;  /* the first and one past the last nonzero byte */
  for (size_t i = 0; i < npages && !a; i++)
    if (in[i] & 1)
      a = first_nonzero(tape->cells + i * page,
                        i + 1 < npages ? page : tape->bytes - i * page);
  for (size_t i = npages; i > 0 && a && !b; i--)
    if (in[i - 1] & 1)
      b = last_nonzero(tape->cells + (i - 1) * page,
                       i < npages ? page : tape->bytes - (i - 1) * page);
  free(in);
  if (!a)
    return 0;  /* a blank tape */
  /* Whole cells: 'a' down and 'b' up to the width. */
  size_t at = (size_t)(a - tape->cells) / width * width;
  size_t end = ((size_t)(b - tape->cells) + width - 1) / width * width;
  s->cells = malloc(end - at);
  if (!s->cells)
    return -1;
  memcpy(s->cells, tape->cells + at, end - at);
  s->cells_at = at;
  s->cells_len = end - at;
  return 0;
}

/* Releases what snapshot 's' holds and blanks it. */
static void snap_free(bf_snap *s)
{
  free(s->cells);
  free(s->out);
  free(s->around);
  *s = (bf_snap){ 0 };
}

/* Keeps in 's' where the evaluation 'ev' in 'st' on the window 'tape'
** stopped, taking over 'out'. Returns 0, or -1 (the snapshot left blank)
** when memory ran out. */
static int keep(const bfjit_program *prog, bf_snap *s, const bf_state *st,
                const bf_tape *tape, const bf_eval_ctx *ev, uint64_t steps0,
                uint8_t **out)
{
  s->done = ev->why == BF_EVAL_END;
  /* Op 0 never runs twice (every jump goes forward, or back to a loop's
  ** body), so a stop there means nothing ran: the blank snapshot is right. */
  if (ev->pc == 0)
    return 0;
  s->around = loops_around(prog, ev->pc, &s->naround);
  if (!s->around || keep_cells(s, tape, prog->opt.cell_bits / 8)) {
    snap_free(s);
    return -1;
  }
  s->pc = ev->pc;
  s->p = (int64_t)((uintptr_t)st->p - (uintptr_t)tape->cells);
  s->steps = steps0 - st->steps;
  s->out_len = st->out_len;
  if (s->out_len) {  /* only what the buffer holds */
    uint8_t *o = realloc(*out, s->out_len);
    s->out = o ? o : *out;
    *out = NULL;
  }
  return 0;
}

/* Evaluates 'prog' from its start with 'fuel' ops, stopping at the back
** edge that makes a loop hot when 'hot_stop', into the blank snapshot 's'.
** Uses the loops' counts (and their triggers, restored). Returns why it
** stopped (bf_eval_stop), or -1 with 's' blank when memory ran out. */
static int evaluate(bfjit_program *prog, uint64_t fuel, int hot_stop, bf_snap *s)
{
  unsigned width = prog->opt.cell_bits / 8;
  size_t cells = BF_P_eval_tape / width;
  if (cells > prog->opt.tape_cells)
    cells = prog->opt.tape_cells;
  uint64_t steps0 = prog->opt.max_steps ? prog->opt.max_steps : UINT64_MAX;
  int why = -1;
  bf_tape tape = { 0 };
  uint8_t *out = malloc(BF_P_eval_out);
  uint64_t *hot = malloc((prog->ir.nloops ? prog->ir.nloops : 1) * sizeof *hot);
  if (out && hot && bf_tape_open(&tape, cells, width) == 0) {
    for (uint32_t id = 0; id < prog->ir.nloops; id++)
      hot[id] = hot_stop ? bf_tier_hot_budget(prog, id) : UINT64_MAX;
    bf_state st = {
      .p = tape.cells, .tape = tape.cells, .tape_end = tape.cells + tape.bytes,
      .steps = steps0, .out = out, .out_cap = BF_P_eval_out,
      .eof_mode = prog->opt.eof, .cell_mask = bf_cell_mask(prog->opt.cell_bits),
      .status = BFJIT_OK,
    };
    bf_eval_ctx ev = { .fuel = fuel, .hot = hot };
    if (bf_interp_eval(prog, &st, &ev) == 0 && keep(prog, s, &st, &tape, &ev, steps0, &out) == 0)
      why = ev.why;
  }
  free(hot);
  free(out);
  bf_tape_close(&tape);
  return why;
}

void bf_eval_make(bfjit_program *prog)
{
  static const char *const stops[] = {
#define BF_EVALTEXT(name, text) text,
    BF_EVAL_STOPS(BF_EVALTEXT)
#undef BF_EVALTEXT
  };
  if (prog->snap.made)
    return;
  prog->snap.made = 1;
  prog->stats.eval_stop = "off";
  if (!(prog->opt.passes & BFJIT_PASS_EVAL))
    return;
  double t0 = bf_clock();
  /* Where tiering compiles a loop, or would (--jit runs compiled code at
  ** once), interpreting it on is a loss in this very run: stop before. An
  ** interpreted run loses nothing. */
  int why = evaluate(prog, BF_P_eval_ops, prog->opt.mode != BFJIT_MODE_INTERP, &prog->snap);
  prog->snap.made = 1;
  prog->stats.eval_stop = why < 0 ? "out of memory" : stops[why];
  prog->stats.eval_steps = prog->snap.steps;
  prog->stats.eval_output = prog->snap.out_len;
  prog->stats.eval_seconds = bf_clock() - t0;
}

int bf_eval_whole(const bfjit_program *prog, uint8_t **out, size_t *len)
{
  *out = NULL;
  *len = 0;
  if (!(prog->opt.passes & BFJIT_PASS_EVAL))
    return 0;
  /* A copy whose loops the evaluator may count in: 'prog' stays as it is. */
  bfjit_program copy = *prog;
  size_t nl = prog->ir.nloops ? prog->ir.nloops : 1;
  copy.loops = malloc(nl * sizeof *copy.loops);
  if (!copy.loops)
    return -1;
  memcpy(copy.loops, prog->loops, nl * sizeof *copy.loops);
  bf_snap s = { 0 };
  int why = evaluate(&copy, BF_P_eval_whole, 0, &s);
  free(copy.loops);
  if (why == BF_EVAL_END) {
    *out = s.out;
    *len = s.out_len;
    s.out = NULL;
  }
  snap_free(&s);
  return why == BF_EVAL_END ? 1 : why < 0 ? -1 : 0;
}

int bf_eval_restore(const bfjit_program *prog, bf_state *st)
{
  const bf_snap *s = &prog->snap;
  /* Byte for byte what the prefix's OUT ops would have done: fill the
  ** buffer, hand it to the writer only when another byte comes. */
  for (size_t i = 0; i < s->out_len;) {
    if (st->out_len == st->out_cap && bf_io_flush(st))
      return -1;
    size_t k = st->out_cap - st->out_len;
    if (k > s->out_len - i)
      k = s->out_len - i;
    memcpy(st->out + st->out_len, s->out + i, k);
    st->out_len += (uint32_t)k;
    i += k;
  }
  if (s->cells_len)
    memcpy(st->tape + s->cells_at, s->cells, s->cells_len);
  st->p = (uint8_t *)((uintptr_t)st->tape + (uintptr_t)s->p);
  st->steps -= s->steps;
  return 0;
}

void bf_eval_free(bfjit_program *prog)
{
  snap_free(&prog->snap);
}
