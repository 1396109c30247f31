/*
** bf_opt_clear.c — clear loops. '[-]' and '[+]' (any odd step: in wrapping
** arithmetic an odd step reaches zero from every value) become SET 0; a SET
** swallows the adds to the same cell right before and after it, so '[-]+++'
** is SET 3 and '+[-]' is SET 0. An IF's body is kept as it is, and nothing
** merges into it from outside (from the second round on, bf_opt_run).
*/
#include "bf_opt.h"

void bf_opt_clear(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  size_t w = 0, fence = 0;  /* ops up to 'fence' take no merge */
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    if (o.op == BF_LOOP && r + 2 < ir->n && ir->ops[r + 2].op == BF_END &&
        ir->ops[r + 1].op == BF_ADD && ir->ops[r + 1].off == 0 &&
        (ir->ops[r + 1].val & 1)) {
      o = (bf_op){ .op = BF_SET, .off = 0, .val = 0, .src = o.src };
      r += 2;
    }
    bf_op *prev = w > fence ? &ir->ops[w - 1] : NULL;
    if (prev && prev->op == BF_SET && o.op == BF_ADD && prev->off == o.off) {
      prev->val = (prev->val + o.val) & mask;  /* [-]+++ */
      continue;
    }
    if (prev && prev->op == BF_ADD && o.op == BF_SET && prev->off == o.off) {
      prev->op = BF_SET;  /* +[-]: the add is dead, its touch is kept */
      prev->val = o.val;
      continue;
    }
    if (o.op == BF_IF)
      fence = w + 1 + o.val;  /* the body goes through as it is */
    ir->ops[w++] = o;
  }
  ir->n = w;
}
