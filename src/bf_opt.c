/*
** bf_opt.c — runs the optimization passes in their fixed order.
*/
#include "bfjit.h"
#include "bf_opt.h"

void bf_opt_run(bf_ir *ir, unsigned passes)
{
#define BF_PASSRUN(name, bit, fn) \
  if (passes & BFJIT_PASS_##bit) { \
    fn(ir); \
    bf_ir_link(ir); \
  }
  BF_PASSES(BF_PASSRUN)
#undef BF_PASSRUN
}

unsigned bfjit_passes_for_level(int level)
{
  if (level <= 0)
    return 0;
  if (level == 1)
    return BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET | BFJIT_PASS_CLEAR;
  return BFJIT_PASS_ALL;
}
