/*
** bf_plan.h — the range-check plan shared by every back end that runs
** without a check per cell access (the JIT and the C emitter): where the
** check points go, which cells each must prove are on the tape, and the
** exact checks of the checked version that runs when a hoisted one fails.
**
** Compiled code touches cells without a check each. Instead it runs in
** segments: a range check at a segment's start (its check point) proves
** that every cell the segment may touch lies on the tape. Checks are
** hoisted: a balanced loop (no net pointer move, no scan, only balanced
** loops inside) and an IF body are covered by the check before them, once,
** not at every iteration; a drifting loop's body is a segment of its own,
** checked at the top of every iteration, after the loop test.
**
** A hoisted check may cover cells that this run never touches (a loop body
** that does not run, near the tape's edge). So each segment that holds a
** conditional branch comes in two versions (loop versioning, as HotSpot
** eliminates range checks): the fast one with the hoisted check, and a
** checked one that the failed check falls into, with one exact check per
** block (a run of ops that always runs whole). The checked version goes
** back to the fast one at the next check point. A segment without a branch
** is one block: its check is exact already. Most hoisted checks never fail,
** so the JIT compiles a checked version only when its check first does. So an exact check that fails
** always means a real tape error, and the exit to the interpreter that
** follows reports it at the command that touched.
*/
#ifndef BF_PLAN_H
#define BF_PLAN_H

#include "bf_ir.h"
#include "bf_param.h"

/* Cell offsets in a plan stay below this, so offset * width fits an
** instruction's 32-bit displacement on every back end. */
#define BF_PLAN_RANGE_LIMIT ((int64_t)BF_P_off_limit)

typedef struct bf_plan {
  uint8_t cp;        /* a check point: a segment starts here */
  uint8_t exact;     /* cp: the segment is one block, so no checked version */
  uint8_t block;     /* a block starts here (every cp starts one) */
  uint8_t balanced;  /* LOOP/END: the loop is balanced */
  uint8_t once;      /* LOOP/END: its cell is known zero at the END, so the
                        loop body runs at most once: no back edge, no test there */
  uint8_t flat;      /* IF: its body does nothing when its cell is zero (it only
                        adds multiples of the cell and clears it), so where its
                        cells are proven on the tape it may run unconditionally */
  uint8_t target;    /* some jump lands here (cps included) */
  uint8_t ftarget;   /* some jump of the fast version lands here: a target
                        but for the end of a flat IF's body, which the fast
                        version runs through without a branch, and the head
                        (if balanced: OSR entries reach it through a stub)
                        and the body of a loop that runs at most once */
  uint8_t reuse;     /* JIT: the cell this op changes is touched again in its block */
  uint8_t dead;      /* JIT: a SET in its block surely overwrites what this op
                        stores, unread: the fast version skips it */
  int32_t lo, hi;    /* cp: cells p+lo .. p+hi the segment touches (lo > hi: none) */
  int32_t blo, bhi;  /* block: cells p+blo .. p+bhi the block touches */
  uint32_t seg;      /* region index of the check point covering this op */
  int32_t drift;     /* p here minus p at that check point */
  uint8_t npin;      /* JIT, LOOP/END: cells kept in registers across the
                        loop, bf_jit.pins[pin ..], or 0 */
  uint32_t pin;
  uint8_t nrot;      /* JIT, LOOP/END of a drifting loop whose body is one
                        segment: cells kept in registers within an iteration,
                        bf_jit.pins[pin ..], in chains c(y), c(y+m), c(y+2m)..
                        where m is the loop's move per iteration: what one
                        iteration leaves in c(y+m) the next reads as c(y) */
  int8_t side;       /* cp of a drifting loop's body that reaches its END:
                        -1 when 'p' moves down each iteration, +1 up, else 0.
                        Past the first iteration only that side needs a check:
                        the cells on the other side were checked before. */
  uint8_t known;     /* cp: the ends of the tape (BF_NEED_*) its check need
                        not test: cells touched on every way here prove them */
  uint8_t bknown;    /* cp of a drifting loop's body: the same on its back
                        edge, 'side' taken into account */
  uint8_t sknown;    /* cp after a drifting loop: the same when its head
                        skips the loop ('known': when its END falls through) */
} bf_plan;

/* The ends of the tape a check tests: p+lo against its start, p+hi
** against its end. */
#define BF_NEED_LO 1
#define BF_NEED_HI 2
#define BF_NEED_BOTH (BF_NEED_LO | BF_NEED_HI)

/* What check point 'c' must test when reached other than by a back edge
** or a skip, on its drifting loop's back edge, and when the drifting loop
** before it is skipped. */
static inline unsigned bf_plan_need(const bf_plan *c)
{
  return BF_NEED_BOTH & ~(unsigned)c->known;
}

static inline unsigned bf_plan_bneed(const bf_plan *c)
{
  return BF_NEED_BOTH & ~(unsigned)c->bknown;
}

static inline unsigned bf_plan_sneed(const bf_plan *c)
{
  return BF_NEED_BOTH & ~(unsigned)c->sknown;
}

/* Whether check point 'c' has a checked version: its check is hoisted. */
static inline int bf_plan_versioned(const bf_plan *c)
{
  return c->cp && !c->exact && c->lo <= c->hi;
}

/* Fills 'plan' (n entries, every field: the JIT's own zero) for ops
** [first, first+n) of 'ops': balanced loops and loops that run at most
** once, jump targets, check points with their segments' ranges and the
** ends each must test, and blocks with theirs. Returns 0, -1 when memory
** runs out, or -2 when an offset or a drift is over BF_PLAN_RANGE_LIMIT. */
int bf_plan_make(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan);

/* Where the checked version of segment 'seg' goes for a jump to region op
** 'to': within the segment (and not back to its check point) it stays
** checked; anywhere else is a check point, where the fast version checks
** again. Returns 1 for "stay in the checked version". */
static inline int bf_plan_stays_checked(const bf_plan *plan, uint32_t n,
                                        uint32_t seg, uint32_t to)
{
  return to < n && to != seg && !plan[to].cp && plan[to].seg == seg;
}

#endif
