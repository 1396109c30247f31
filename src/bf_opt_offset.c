/*
** bf_opt_offset.c — offset addressing. Within straight-line code the
** pointer's moves are summed at compile time: every op addresses its cell as
** an offset from where 'p' was at the start of the run, and one MOVE at the
** end of the run (before the next loop boundary) settles 'p'.
**
** Adds to a cell already added to in the same run are merged into the first
** op, which keeps its source offset: the first touch of each cell stays
** first, so a tape error is reported at the same command as at -O0.
**
** The sink pass (bf_opt_offset_tests), run once after the others, carries
** the moves on past loop, IF and SCAN tests and MULs' reads too: a test
** reads c(off), so a balanced loop holds no MOVE at all and a drifting one
** a single MOVE, before its END. Moves are never errors, so deferring them
** changes no error position.
*/
#include <stdlib.h>

#include "bf_opt.h"
#include "bf_param.h"

typedef struct run {
  int64_t drift;                /* pointer moves summed since the run began */
  size_t slot_op[BF_P_merge_slots];  /* op index (in the output) of an ADD ... */
  int32_t slot_off[BF_P_merge_slots];/* ... to this offset */
  unsigned nslots;
} run;

/* Ends the run at output slot 'w': emits the pending MOVE; returns new 'w'. */
static size_t flush(bf_ir *ir, run *rn, size_t w, uint32_t src)
{
  if (rn->drift)
    ir->ops[w++] = (bf_op){ .op = BF_MOVE, .off = (int32_t)rn->drift, .src = src };
  rn->drift = 0;
  rn->nslots = 0;
  return w;
}

void bf_opt_offset(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  run rn = { 0 };
  size_t w = 0;
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    switch (o.op) {
    case BF_MOVE:
      rn.drift += o.off;
      if (rn.drift >= BF_P_off_limit || rn.drift <= -BF_P_off_limit)
        w = flush(ir, &rn, w, o.src);
      continue;
    case BF_ADD: {
      int32_t off = (int32_t)(rn.drift + o.off);
      unsigned i;
      for (i = 0; i < rn.nslots && rn.slot_off[i] != off; i++)
        ;
      if (i < rn.nslots) {
        bf_op *first = &ir->ops[rn.slot_op[i]];
        first->val = (first->val + o.val) & mask;
        continue;
      }
      if (rn.nslots < BF_P_merge_slots) {
        rn.slot_off[rn.nslots] = off;
        rn.slot_op[rn.nslots++] = w;
      }
      o.off = off;
      ir->ops[w++] = o;
      continue;
    }
    case BF_PUT:  /* no cell, but output: merging ends, as below */
      ir->ops[w++] = o;
      rn.nslots = 0;
      continue;
    case BF_SET:
    case BF_MUL:
    case BF_IN:
    case BF_OUT:
      /* I/O ends merging: an add must not cross the byte it changes. */
      o.off = (int32_t)(rn.drift + o.off);
      ir->ops[w++] = o;
      rn.nslots = 0;
      continue;
    case BF_IF:
      /* Its body (from the second round on, bf_opt_run) is kept as it is:
      ** an add after it must not merge into it. */
      w = flush(ir, &rn, w, o.src);
      w = bf_opt_keep_if(ir, w, r);
      r += o.val;
      continue;
    default:
      /* A loop boundary, a scan or HALT: 'p' must be real here. */
      w = flush(ir, &rn, w, o.src);
      ir->ops[w++] = o;
      continue;
    }
  }
  ir->n = w;
}

/* -- Tests at an offset ---------------------------------------------------- */

/* An open loop or IF body: where it starts in the output, the pending move
** there (which its end must restore), and for an IF the input index its
** body ends at. */
typedef struct sink_frame {
  size_t w, end;
  int64_t d;
} sink_frame;

/* Makes the pending move '*d' be 'to' by a MOVE of the difference. At a
** body's end 'to' is the move pending where it began, so every path reaches
** the op after it with the same one. */
static size_t move_to(bf_op *out, size_t w, int64_t *d, int64_t to, uint32_t src)
{
  if (*d != to)
    out[w++] = (bf_op){ .op = BF_MOVE, .off = (int32_t)(*d - to), .src = src };
  *d = to;
  return w;
}

int bf_opt_offset_tests(bf_ir *ir)
{
  /* HALT and the end of a loop or an IF body add at most one MOVE each, so
  ** the output may outgrow the input: it goes to an array of its own. */
  size_t cap = ir->n + 1;
  for (size_t r = 0; r < ir->n; r++) {
    uint8_t op = ir->ops[r].op;
    cap += op == BF_END || op == BF_IF || op == BF_HALT;
  }
  bf_op *out = malloc(cap * sizeof *out);
  sink_frame *stack = malloc((ir->n + 1) * sizeof *stack);
  size_t depth = 0, w = 0;
  int64_t d = 0;  /* moves not done yet: the op's 'p' is p + d */
  if (!out || !stack) {
    free(out);
    free(stack);
    return -1;
  }
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    while (depth && stack[depth - 1].end == r) {  /* IF bodies ending here */
      sink_frame *f = &stack[--depth];
      w = move_to(out, w, &d, f->d, o.src);
      out[f->w].val = (uint32_t)(w - f->w - 1);
    }
    switch (o.op) {
    case BF_MOVE:
      d += o.off;
      if (d >= BF_P_sink_limit || d <= -BF_P_sink_limit)
        w = move_to(out, w, &d, 0, o.src);
      continue;
    case BF_MUL:
      o.aux = (uint32_t)(int32_t)d;  /* it read c(0) of the 'p' here */
      /* fall through */
    case BF_ADD: case BF_SET: case BF_IN: case BF_OUT:
      o.off = (int32_t)(o.off + d);
      break;
    case BF_IF:
      stack[depth++] = (sink_frame){ w, r + 1 + o.val, d };
      o.off = (int32_t)d;
      break;
    case BF_LOOP:
      stack[depth++] = (sink_frame){ w, SIZE_MAX, d };
      o.off = (int32_t)d;
      break;
    case BF_END:
      w = move_to(out, w, &d, stack[--depth].d, o.src);
      o.off = (int32_t)d;
      break;
    case BF_PUT:
      break;  /* no cell */
    case BF_SCAN:
      /* It moves 'p' itself, by steps: the move pending stays pending. */
      o.aux = (uint32_t)(int32_t)d;
      break;
    default:  /* HALT: 'p' is real at the end */
      w = move_to(out, w, &d, 0, o.src);
      break;
    }
    out[w++] = o;
  }
  free(stack);
  free(ir->ops);
  ir->ops = out;
  ir->n = w;
  ir->cap = cap;
  return 0;
}
