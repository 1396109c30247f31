/*
** bf_plan.h — the range-check plan shared by every back end that runs
** without a check per cell access (the JIT and the C emitter): where the
** check points go and which cells each one must prove are on the tape.
*/
#ifndef BF_PLAN_H
#define BF_PLAN_H

#include "bf_ir.h"
#include "bf_jit.h"  /* bf_plan; see "The plan a back end follows" there */

/* Cell offsets in a plan stay below this, so offset * width fits an
** instruction's 32-bit displacement on every back end. */
#define BF_PLAN_RANGE_LIMIT ((int64_t)1 << 28)

/* Fills 'plan' (n entries, zeroed by the caller) for ops [first, first+n) of
** 'ops': balanced loops, check points, and each check point's cell range.
** Returns 0, -1 when memory runs out, or -2 when an offset or a drift is
** over BF_PLAN_RANGE_LIMIT. */
int bf_plan_make(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan);

#endif
