/*
** bf_plan.c — the range-check plan (bf_plan.h): balanced loops first, then
** one walk that cuts the ops into checked segments, then jump targets and
** the blocks of the checked versions.
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

/* The END that region op 'k' leads to, with the move 'm' between (a MOVE
** just before the END, as the sink pass leaves), or -1. */
static int64_t end_after(const bf_op *ops, uint32_t first, uint32_t n,
                         uint32_t k, int32_t *m)
{
  *m = 0;
  if (k < n && ops[first + k].op == BF_MOVE) {
    *m = ops[first + k].off;
    k++;
  }
  return k < n && ops[first + k].op == BF_END && ops[first + k].aux >= first
         ? (int64_t)k : -1;
}

/* Marks the loops whose END always finds its cell zero. The op before it
** (before a MOVE just before it) leaves that cell zero when it is a SCAN of
** that cell (it stops only on a zero), an END of that cell (an inner loop
** ends only on a zero) or a store of 0 to it. The only jump that lands
** there is an IF not taken, which found its own cell zero: an IF of
** another cell rules it out. Such a loop (common after the linear pass:
** '[ ... [->+<]]') runs at most once, and its END needs neither a test nor
** a back edge. */
static void mark_once(const bf_op *ops, uint32_t first, uint32_t n,
                      bf_plan *plan)
{
  for (uint32_t k = 1; k < n; k++) {
    const bf_op *prev = &ops[first + k - 1];
    int32_t m;
    int64_t e = end_after(ops, first, n, k, &m);
    if (e < 0)
      continue;
    int64_t at = ops[first + e].off + (int64_t)m;  /* the END's cell, from 'prev' */
    if ((prev->op == BF_SCAN && bf_scan_at(prev) == at) ||
        (prev->op == BF_END && prev->off == at) ||
        (prev->op == BF_SET && prev->off == at && prev->val == 0))
      plan[e].once = plan[ops[first + e].aux - first].once = 1;
  }
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    int32_t m;
    int64_t e = o->op == BF_IF ? end_after(ops, first, n, o->aux - first, &m) : -1;
    if (e >= 0 && plan[e].once && ops[first + e].off + (int64_t)m != o->off)
      plan[e].once = plan[ops[first + e].aux - first].once = 0;
  }
}

/* Marks the IFs whose bodies are no-ops on a zero cell: MULs reading the
** IF's cell, a store of 0 to it, and touches (ADD 0). The fast version runs such a body
** without the branch (if-conversion, as a C compiler does for
** 'b += a; a = 0'): the hoisted check covers its cells, and a branch on a
** cell's value mispredicts about as often as the value changes. */
static void mark_flat(const bf_op *ops, uint32_t first, uint32_t n,
                      bf_plan *plan)
{
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    if (o->op != BF_IF || o->aux - first > n)
      continue;
    uint32_t j = k + 1, end = o->aux - first;
    for (; j < end; j++) {
      const bf_op *b = &ops[first + j];
      if (!(b->op == BF_MUL && bf_mul_src(b) == o->off && b->off != o->off) &&
          !(b->op == BF_SET && b->off == o->off && b->val == 0) &&
          !(b->op == BF_ADD && b->val == 0))
        break;
    }
    plan[k].flat = j == end;
  }
}

/* The cells op 'o' touches, as offsets from 'p' before it: [*a, *b], or
** none (a MOVE, a HALT). A MUL reads a cell as well as its target. */
static int touches(const bf_op *o, int64_t *a, int64_t *b)
{
  switch (o->op) {
  case BF_ADD: case BF_SET: case BF_IN: case BF_OUT:
  case BF_IF: case BF_LOOP: case BF_END:  /* the test of c(off) */
    *a = *b = o->off;
    return 1;
  case BF_MUL: {
    int32_t from = bf_mul_src(o);
    *a = o->off < from ? o->off : from;
    *b = o->off > from ? o->off : from;
    return 1;
  }
  case BF_SCAN:
    *a = *b = bf_scan_at(o);  /* its first test */
    return 1;
  default:
    return 0;
  }
}

/* One range being gathered: cells lo .. hi from 'p' at its start, 'd' the
** drift since. */
typedef struct span { int64_t d, lo, hi; } span;

static void span_open(span *s) { *s = (span){ 0, INT64_MAX, INT64_MIN }; }

/* Adds op 'o''s touches and move; returns -1 when past the range limit.
** The END of a loop that runs at most once tests nothing. */
static int span_add(span *s, const bf_op *o, const bf_plan *pl)
{
  int64_t a, b;
  if (s->d < -BF_PLAN_RANGE_LIMIT || s->d > BF_PLAN_RANGE_LIMIT)
    return -1;
  if (touches(o, &a, &b) && !(o->op == BF_END && pl->once)) {
    if (s->d + a < s->lo) s->lo = s->d + a;
    if (s->d + b > s->hi) s->hi = s->d + b;
  }
  if (o->op == BF_MOVE)
    s->d += o->off;
  return 0;
}

/* Stores a closed range; returns -1 when an offset is past the limit. */
static int span_close(const span *s, int32_t *lo, int32_t *hi)
{
  if (s->lo > s->hi) {
    *lo = 1, *hi = 0;  /* touches nothing */
    return 0;
  }
  if (s->lo < -BF_PLAN_RANGE_LIMIT || s->hi > BF_PLAN_RANGE_LIMIT)
    return -1;
  *lo = (int32_t)s->lo, *hi = (int32_t)s->hi;
  return 0;
}

/* Splits the region into segments and records each one's range. One
** linear walk: balanced loops and IF bodies are walked inline, as straight
** code. A new segment starts where 'p' is unknown at compile time: at the
** region's start, in a drifting loop's body (each iteration), after a
** drifting loop and after a scan. */
static int make_segments(const bf_op *ops, uint32_t first, uint32_t n,
                         bf_plan *plan)
{
  uint32_t cp = 0;
  span s = { 0, INT64_MAX, INT64_MIN };
  int pending = 1;
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    if (pending) {
      if (k > 0 && span_close(&s, &plan[cp].lo, &plan[cp].hi))
        return -1;
      cp = k;
      plan[k].cp = 1;
      span_open(&s);
      pending = 0;
    }
    plan[k].seg = cp;
    plan[k].drift = (int32_t)s.d;
    if (span_add(&s, o, &plan[k]))
      return -1;
    if (o->op == BF_SCAN ||
        ((o->op == BF_LOOP || o->op == BF_END) && !plan[k].balanced))
      pending = 1;
  }
  return span_close(&s, &plan[cp].lo, &plan[cp].hi);
}

/* Marks the side each drifting loop moves toward, at its body's check
** point, when the body is one segment up to its END (nothing in it moves 'p'
** by an unknown amount): then each iteration moves by the END's drift. */
static void mark_sides(const bf_op *ops, uint32_t first, uint32_t n,
                       bf_plan *plan)
{
  for (uint32_t k = 0; k + 1 < n; k++) {
    const bf_op *o = &ops[first + k];
    if (o->op != BF_LOOP || plan[k].balanced || plan[k].once || !plan[k + 1].cp)
      continue;
    uint32_t e = o->aux - first;
    if (e >= n || e == k + 1 || plan[e].seg != k + 1)
      continue;
    plan[k + 1].side = (int8_t)(plan[e].drift < 0 ? -1 : plan[e].drift > 0);
  }
}

/* -- What every way to a check point proved already ----------------------- */

/* A cell the program touched lies on the tape, or the run would have
** stopped there with an error, whichever version ran it and wherever it
** came in (the interpreter's OSR entries included: it got there by the same
** ops from the region's start). So a check need not test an end of the tape
** that cells touched on every way there already bound: as offsets from 'p',
** c(x) is above the tape's start for x >= lo, below its end for x <= hi. */
typedef struct known { int64_t lo, hi; } known;

#define NO_LO INT64_MAX  /* nothing known */
#define NO_HI INT64_MIN

static void k_touch(known *f, int64_t x)
{
  if (x < f->lo) f->lo = x;
  if (x > f->hi) f->hi = x;
}

static void k_move(known *f, int64_t d)
{
  if (f->lo != NO_LO) f->lo -= d;
  if (f->hi != NO_HI) f->hi -= d;
}

/* What holds whichever of two ways (with 'p' where each has it) came. */
static known k_meet(known x, known y)
{
  return (known){ x.lo > y.lo ? x.lo : y.lo, x.hi < y.hi ? x.hi : y.hi };
}

/* The ends the check of segment 'c' need not test when 'f' is known. */
static uint8_t k_known(const bf_plan *c, known f)
{
  return (uint8_t)((c->lo >= f.lo ? BF_NEED_LO : 0) | (c->hi <= f.hi ? BF_NEED_HI : 0));
}

/* One walk that sets 'known' at every check point, 'bknown' at drifting
** loops' bodies and 'sknown' at their exits, as the ops run. A balanced loop's body starts where its
** head is, with more touched each iteration: the head's facts hold
** throughout. A drifting loop's body keeps, across iterations, the side of
** the head's facts it moves away from when it moves one way ('side'); with
** 'back' from an earlier walk (the facts at each END, 'p' as there), also
** what both the head and the back edge bring. A scan keeps the side it
** moves away from too. */
typedef struct frame { uint32_t k, end; known head; } frame;

static void walk_known(const bf_op *ops, uint32_t first, uint32_t n,
                       bf_plan *plan, known *back, int again, frame *stack)
{
  uint32_t depth = 0;  /* one frame per open LOOP or IF, after its test */
  known f = { NO_LO, NO_HI };
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    /* An IF's body may not run: after it, what held before it. */
    while (depth && stack[depth - 1].end == k)
      f = stack[--depth].head;
    if (plan[k].cp) {
      const bf_op *h = k ? &ops[first + k - 1] : NULL;
      if (!h || h->op != BF_END || plan[k - 1].balanced)
        plan[k].known = k_known(&plan[k], f);  /* else set at the END */
      if (h && h->op == BF_LOOP && !plan[k - 1].balanced && !plan[k - 1].once) {
        /* A drifting loop's body: what every iteration starts with. */
        known w = f;
        if (plan[k].side <= 0) w.lo = NO_LO;
        if (plan[k].side >= 0) w.hi = NO_HI;
        if (again) {
          known m = k_meet(f, back[h->aux - first]);
          if (m.lo < w.lo) w.lo = m.lo;
          if (m.hi > w.hi) w.hi = m.hi;
        }
        f = w;
      }
    }
    int64_t a, b;
    if (touches(o, &a, &b) && !(o->op == BF_END && plan[k].once)) {
      k_touch(&f, a);
      k_touch(&f, b);
    }
    switch (o->op) {
    case BF_MOVE:
      k_move(&f, o->off);
      break;
    case BF_SCAN:  /* it stops on a cell it tested */
      if (o->off > 0)
        f.hi = bf_scan_at(o);
      else if (o->off < 0)
        f.lo = bf_scan_at(o);
      break;
    case BF_LOOP:
      stack[depth++] = (frame){ k, UINT32_MAX, f };
      break;
    case BF_IF:
      stack[depth++] = (frame){ k, o->aux - first, f };
      break;
    case BF_END: {
      frame *top = &stack[--depth];
      uint32_t body = top->k + 1;
      if (!plan[k].balanced && !plan[k].once && body < k && plan[body].cp) {
        /* The side it moves away from holds from the first iteration. */
        uint8_t away = plan[body].side < 0 ? BF_NEED_HI
                     : plan[body].side > 0 ? BF_NEED_LO : 0;
        plan[body].bknown = (uint8_t)(k_known(&plan[body], f) | away);
      }
      back[k] = f;
      if (!plan[k].balanced && k + 1 < n && plan[k + 1].cp) {
        /* Its exit is a check point: from here, or from the head skipping
        ** the loop, which tests only what the head's facts leave. */
        plan[k + 1].known = k_known(&plan[k + 1], f);
        plan[k + 1].sknown = k_known(&plan[k + 1], top->head);
      }
      f = k_meet(top->head, f);  /* its exit: from the head, or from here */
      break;
    }
    default:
      break;
    }
  }
}

/* Two walks: the second starts drifting loops' bodies with what the
** first found at their back edges. Facts that hold at an END whatever the
** body started with (each body's own touches: all the walks see) hold on
** every back edge, so each walk's result is sound. */
static int mark_known(const bf_op *ops, uint32_t first, uint32_t n,
                      bf_plan *plan)
{
  known *back = malloc((n + 1) * sizeof *back);
  frame *stack = malloc((n + 1) * sizeof *stack);
  if (!back || !stack) {
    free(back);
    free(stack);
    return -1;
  }
  walk_known(ops, first, n, plan, back, 0, stack);
  walk_known(ops, first, n, plan, back, 1, stack);
  free(back);
  free(stack);
  return 0;
}

/* Marks the ops some jump lands on, and the check points, where a checked
** version comes back to the fast one. */
static void mark_targets(const bf_op *ops, uint32_t first, uint32_t n,
                         bf_plan *plan)
{
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    uint32_t to = n;
    int flat = 0;
    if (plan[k].cp)
      plan[k].target = plan[k].ftarget = 1;
    if (o->op == BF_LOOP) {
      plan[k].target = plan[k + 1].target = 1;  /* entries; back edges */
      /* A loop that runs at most once has no back edge, and the fast
      ** version enters its head (when balanced) through a stub that loads
      ** what the cell cache holds there: no jump lands on either. Other
      ** heads empty the cache, so their stubs stay short. */
      plan[k].ftarget |= (uint8_t)(!plan[k].balanced || !plan[k].once);
      plan[k + 1].ftarget |= (uint8_t)!plan[k].once;
      to = o->aux + 1 - first;                  /* the loop's exit */
    } else if (o->op == BF_IF) {
      to = o->aux - first;
      flat = plan[k].flat;
    }
    if (to < n) {
      plan[to].target = 1;
      plan[to].ftarget |= (uint8_t)!flat;
    }
  }
}

/* Cuts the region into blocks: a block starts at each jump target and
** after each conditional branch, so it always runs whole (but for a run
** that stops in I/O), and marks the segments that are exact. */
static int make_blocks(const bf_op *ops, uint32_t first, uint32_t n,
                       bf_plan *plan)
{
  uint32_t b = 0;
  span s = { 0, INT64_MAX, INT64_MIN };
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    uint8_t prev = k ? ops[first + k - 1].op : BF_HALT;
    if (k == 0 || plan[k].target || prev == BF_IF || prev == BF_LOOP ||
        prev == BF_END || prev == BF_SCAN) {
      if (k > 0 && span_close(&s, &plan[b].blo, &plan[b].bhi))
        return -1;
      b = k;
      plan[k].block = 1;
      span_open(&s);
    }
    /* Exact: no op of the segment can be skipped, so no IF and no balanced
    ** loop (a drifting one ends the segment at its head). */
    if (plan[k].cp)
      plan[k].exact = 1;
    if (o->op == BF_IF || (o->op == BF_LOOP && plan[k].balanced))
      plan[plan[k].seg].exact = 0;
    if (span_add(&s, o, &plan[k]))
      return -1;
  }
  return span_close(&s, &plan[b].blo, &plan[b].bhi);
}

int bf_plan_make(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan)
{
  if (mark_balanced(ops, first, n, plan))
    return -1;
  mark_once(ops, first, n, plan);
  mark_flat(ops, first, n, plan);
  if (make_segments(ops, first, n, plan))
    return -2;
  mark_sides(ops, first, n, plan);
  mark_targets(ops, first, n, plan);
  if (make_blocks(ops, first, n, plan))
    return -2;
  return mark_known(ops, first, n, plan);
}
