/*
** bf_plan.c — the range-check plan (bf_plan.h): balanced loops first, then
** one linear walk that cuts the ops into checked segments.
*/
#include <stdlib.h>

#include "bf_plan.h"

/* Marks balanced loops: bodies with no net move and nothing inside that
** moves 'p' by an amount unknown at compile time. */
static int mark_balanced(const bf_op *ops, uint32_t first, uint32_t n,
                         bf_plan *plan)
{
  /* One frame per open loop: its drift so far and whether it is static. */
  typedef struct frame { int64_t drift; int ok; } frame;
  frame *stack = malloc((n + 1) * sizeof *stack);
  uint32_t depth = 0;
  if (!stack)
    return -1;
  stack[0] = (frame){ 0, 1 };
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    frame *top = &stack[depth];
    switch (o->op) {
    case BF_MOVE: top->drift += o->off; break;
    case BF_SCAN: top->ok = 0; break;
    case BF_LOOP: stack[++depth] = (frame){ 0, 1 }; break;
    case BF_END: {
      int bal = top->ok && top->drift == 0;
      plan[k].balanced = plan[o->aux - first].balanced = (uint8_t)bal;
      depth--;
      if (!bal)
        stack[depth].ok = 0;
      break;
    }
    default: break;
    }
  }
  free(stack);
  return 0;
}

/* Splits the region into segments, each starting at a check point, and
** records the cell range each segment touches. One linear walk: balanced
** loops are walked inline, as straight code. Returns 0, or -1 when an
** offset is out of range. */
static int make_segments(const bf_op *ops, uint32_t first, uint32_t n,
                         bf_plan *plan)
{
  uint32_t cp = 0;
  int64_t d = 0, lo = INT64_MAX, hi = INT64_MIN;
  int pending = 1;  /* the region's first op is a check point */
#define TOUCH(x) do { int64_t t_ = (x); if (t_ < lo) lo = t_; if (t_ > hi) hi = t_; } while (0)
#define CLOSE() \
  do { \
    if (lo <= hi && (lo < -BF_PLAN_RANGE_LIMIT || hi > BF_PLAN_RANGE_LIMIT)) return -1; \
    plan[cp].lo = lo <= hi ? (int32_t)lo : 1; \
    plan[cp].hi = lo <= hi ? (int32_t)hi : 0; \
  } while (0)
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    if (o->op == BF_LOOP && !plan[k].balanced)
      pending = 1;  /* 'p' is unknown at each iteration of a drifting loop */
    if (pending) {
      if (k > 0)
        CLOSE();
      cp = k;
      plan[k].cp = 1;
      d = 0;
      lo = INT64_MAX;
      hi = INT64_MIN;
      pending = 0;
    }
    if (d < -BF_PLAN_RANGE_LIMIT || d > BF_PLAN_RANGE_LIMIT)
      return -1;
    plan[k].seg = cp;
    plan[k].drift = (int32_t)d;
    switch (o->op) {
    case BF_ADD: case BF_SET: case BF_MUL: case BF_IN: case BF_OUT:
      TOUCH(d + o->off);
      break;
    case BF_MOVE:
      d += o->off;
      break;
    case BF_IF: case BF_LOOP:
      TOUCH(d);
      break;
    case BF_SCAN:
      TOUCH(d);
      pending = 1;  /* where the scan stops is unknown */
      break;
    case BF_END:
      TOUCH(d);
      if (!plan[k].balanced)
        pending = 1;
      break;
    default:
      break;
    }
  }
  CLOSE();
#undef TOUCH
#undef CLOSE
  return 0;
}

int bf_plan_make(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan)
{
  if (mark_balanced(ops, first, n, plan))
    return -1;
  return make_segments(ops, first, n, plan) ? -2 : 0;
}
