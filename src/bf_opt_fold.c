/*
** bf_opt_fold.c — run-length folding: a run of +- on one cell becomes one
** ADD, a run of <> one MOVE. A run that sums to zero stays as ADD 0: it
** still touches its cell, and that touch may be a tape error.
**
** From the second round on (bf_opt_run) the IR holds IFs: a body is copied
** as it is, and nothing after it merges into it (it may not have run).
*/
#include "bf_opt.h"
#include "bf_param.h"

void bf_opt_fold(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  size_t w = 0, fence = 0;  /* ops up to 'fence' take no merge */
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    bf_op *prev = w > fence ? &ir->ops[w - 1] : NULL;
    if (prev && o.op == BF_ADD && prev->op == BF_ADD && prev->off == o.off) {
      prev->val = (prev->val + o.val) & mask;
      continue;
    }
    if (prev && o.op == BF_MOVE && prev->op == BF_MOVE &&
        prev->off < BF_P_off_limit && prev->off > -BF_P_off_limit) {
      prev->off += o.off;
      if (prev->off == 0)
        w--;  /* '><' moves nowhere and touches nothing */
      continue;
    }
    if (o.op == BF_IF)
      fence = w + 1 + o.val;  /* the body goes through as it is */
    ir->ops[w++] = o;
  }
  ir->n = w;
}
