/*
** bf_opt_dead.c — loops that can never run. A loop is dead when its cell is
** known to be zero on arrival: at the very start (all cells are zero and 'p'
** is 0), or right after a loop, a scan or a store of 0 left 'p' on a zero
** cell. The cell was touched already there, so no tape error is lost.
*/
#include "bf_opt.h"

/* Is the current cell known to be zero right after output op 'prev'? */
static int leaves_zero(const bf_op *prev)
{
  return prev->op == BF_END || prev->op == BF_SCAN ||
         (prev->op == BF_SET && prev->off == 0 && prev->val == 0);
}

void bf_opt_dead(bf_ir *ir)
{
  size_t w = 0;
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    if (o.op == BF_LOOP && (w == 0 || leaves_zero(&ir->ops[w - 1]))) {
      r = o.aux;  /* skip to its END; the for loop steps past it */
      continue;
    }
    ir->ops[w++] = o;
  }
  ir->n = w;
}
