/*
** bf_opt_scan.c — scan loops. '[>]', '[<<]'... move by a fixed stride until
** a zero cell: one SCAN op, which back ends can run with memchr or SIMD.
*/
#include "bf_opt.h"

void bf_opt_scan(bf_ir *ir)
{
  size_t w = 0;
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    if (o.op == BF_LOOP && r + 2 < ir->n && ir->ops[r + 1].op == BF_MOVE &&
        ir->ops[r + 2].op == BF_END) {
      /* The ']' is where a scan off the tape touches first. */
      o = (bf_op){ .op = BF_SCAN, .off = ir->ops[r + 1].off,
                   .val = ir->ops[r + 2].src, .src = o.src };
      r += 2;
    }
    ir->ops[w++] = o;
  }
  ir->n = w;
}
