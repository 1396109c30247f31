/*
** bf_opt.c — runs the optimization passes in their fixed order, in rounds
** until the IR stops changing.
*/
#include "bfjit.h"
#include "bf_opt.h"
#include "bf_param.h"

/* A fingerprint of the ops (not what linking derives: 'aux', loop ids). Two
** rounds with the same one almost surely left the same IR; if not, the
** rounds only end early, which is safe: every round's output is correct. */
static uint64_t fingerprint(const bf_ir *ir)
{
  uint64_t h = 0xcbf29ce484222325ull ^ ir->n;
  for (size_t i = 0; i < ir->n; i++) {
    const bf_op *o = &ir->ops[i];
    uint32_t val = o->op == BF_LOOP || o->op == BF_END ? 0 : o->val;
    h = (h ^ ((uint64_t)o->op << 32 | (uint32_t)o->off)) * 0x100000001b3ull;
    h = (h ^ ((uint64_t)val << 32 | o->src)) * 0x100000001b3ull;
  }
  return h;
}

void bf_opt_run(bf_ir *ir, unsigned passes)
{
  uint64_t last = 0;
  int linked = 1;  /* the parser links */
  if (!passes)
    return;
  /* A later pass can leave work for an earlier one (a loop dropped lets
  ** 'clear' and 'offset' merge what is now adjacent): a round that
  ** changes nothing ends them. */
  for (int round = 0; round < BF_P_rounds; round++) {
#define BF_PASSRUN(name, bit, fn, aux) \
    if (passes & BFJIT_PASS_##bit) { \
      if (aux && !linked) \
        bf_ir_link(ir); \
      fn(ir); \
      linked = 0; \
    }
    BF_PASSES(BF_PASSRUN)
#undef BF_PASSRUN
    uint64_t h = fingerprint(ir);
    if (round > 0 && h == last)
      break;
    last = h;
  }
  if (passes & BFJIT_PASS_SINK)
    bf_opt_offset_tests(ir);
  bf_ir_link(ir);
}

unsigned bfjit_passes_for_level(int level)
{
  if (level <= 0)
    return 0;
  if (level == 1)
    return BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET | BFJIT_PASS_CLEAR | BFJIT_PASS_SINK;
  return BFJIT_PASS_ALL;
}
