/*
** bf_opt_offset.c — offset addressing. Within straight-line code the
** pointer's moves are summed at compile time: every op addresses its cell as
** an offset from where 'p' was at the start of the run, and one MOVE at the
** end of the run (before the next loop boundary) settles 'p'.
**
** Adds to a cell already added to in the same run are merged into the first
** op, which keeps its source offset: the first touch of each cell stays
** first, so a tape error is reported at the same command as at -O0.
*/
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
