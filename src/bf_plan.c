/*
** bf_plan.c — the range-check plan (bf_plan.h) in three walks over the
** region: the shapes of its loops and IFs; its check points with their
** segments, jump targets and blocks; then what every way to a check point
** proved already (walked twice).
*/
#include <stdlib.h>

#include "bf_plan.h"

/* -- Loops and IFs --------------------------------------------------------- */

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

/* Whether op 'o' always leaves c(at) zero: a SCAN of it (it stops only on
** a zero), an END of it (a loop ends only on a zero) or a store of 0. */
static int leaves_zero(const bf_op *o, int64_t at)
{
  return (o->op == BF_SCAN && bf_scan_at(o) == at) ||
         (o->op == BF_END && o->off == at) ||
         (o->op == BF_SET && o->off == at && o->val == 0);
}

/* Whether the body of IF 'o' (region op 'k') is a no-op on a zero cell:
** MULs reading the IF's cell, a store of 0 to it, and touches (ADD 0). The
** fast version runs such a body without the branch (if-conversion, as a C
** compiler does for 'b += a; a = 0'): the hoisted check covers its cells,
** and a branch on a cell's value mispredicts about as often as the value
** changes. */
static int flat_body(const bf_op *ops, uint32_t first, uint32_t n,
                     uint32_t k, const bf_op *o)
{
  uint32_t j = k + 1, end = o->aux - first;
  if (end > n)
    return 0;
  for (; j < end; j++) {
    const bf_op *b = &ops[first + j];
    if (!(b->op == BF_MUL && bf_mul_src(b) == o->off && b->off != o->off) &&
        !(b->op == BF_SET && b->off == o->off && b->val == 0) &&
        !(b->op == BF_ADD && b->val == 0))
      return 0;
  }
  return 1;
}

/* One open loop (the region's level at the bottom): its body's net move
** so far, whether nothing in it moves 'p' by an amount unknown at compile
** time (a scan, a drifting loop), and whether an IF lands on its END with
** another cell. */
typedef struct shape { int64_t drift; int ok, veto; } shape;

/* Marks, in one walk, the balanced loops (no net move, only balanced
** loops inside, no scan), the loops that run at most once, the flat IFs,
** and the side each drifting loop moves toward ('side' at its body, the
** check point after its LOOP) when its body is one segment up to its END:
** then each iteration moves by the body's net move.
**
** A loop runs at most once when its END always finds its cell zero: the op
** before it (before a MOVE just before it) leaves that cell zero, and no
** IF of another cell lands there (an IF not taken found its own cell zero,
** and the only jump that lands on an END is one). Such a loop (common after
** the linear pass: '[ ... [->+<]]') needs neither a test nor a back edge at
** its END. 'stack' holds n + 1 frames. */
static void mark_loops(const bf_op *ops, uint32_t first, uint32_t n,
                       bf_plan *plan, shape *stack)
{
  uint32_t depth = 0;
  stack[0] = (shape){ 0, 1, 0 };
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    shape *top = &stack[depth];
    plan[k] = (bf_plan){ 0 };  /* the first walk: only ops before k are set */
    switch (o->op) {
    case BF_MOVE: top->drift += o->off; break;
    case BF_SCAN: top->ok = 0; break;
    case BF_LOOP: stack[++depth] = (shape){ 0, 1, 0 }; break;
    case BF_IF: {
      int32_t m;
      int64_t e = end_after(ops, first, n, o->aux - first, &m);
      if (e >= 0 && ops[first + e].off + (int64_t)m != o->off)
        top->veto = 1;  /* the END of the loop it is in */
      plan[k].flat = (uint8_t)flat_body(ops, first, n, k, o);
      break;
    }
    case BF_END: {
      uint32_t head = o->aux - first;
      const bf_op *prev = k ? o - 1 : NULL;
      int64_t at = o->off;  /* the END's cell, from 'prev' */
      if (prev && prev->op == BF_MOVE) {
        at += prev->off;
        prev = k >= 2 ? prev - 1 : NULL;
      }
      int bal = top->ok && top->drift == 0;
      int once = prev && leaves_zero(prev, at) && !top->veto;
      plan[k].balanced = plan[head].balanced = (uint8_t)bal;
      plan[k].once = plan[head].once = (uint8_t)once;
      if (!bal && !once && top->ok && head + 1 < k)
        plan[head + 1].side = (int8_t)(top->drift < 0 ? -1 : top->drift > 0);
      depth--;
      if (!bal)
        stack[depth].ok = 0;
      break;
    }
    default: break;
    }
  }
}

/* -- Segments, jump targets and blocks ------------------------------------ */

/* The cells op 'o' (with plan entry 'pl') touches, as offsets from 'p'
** before it: [*a, *b], or none (a MOVE, a HALT, the END of a loop that
** runs at most once, which tests nothing). A MUL reads a cell as well as
** its target. */
static inline int touches(const bf_op *o, const bf_plan *pl, int64_t *a, int64_t *b)
{
  switch (o->op) {
  case BF_END:
    if (pl->once)
      return 0;
    /* fall through */
  case BF_ADD: case BF_SET: case BF_IN: case BF_OUT:
  case BF_IF: case BF_LOOP:  /* the test of c(off) */
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

/* Adds touches [a, b] (none when a > b) and then the move 'm'; returns -1
** when past the range limit. */
static int span_add(span *s, int64_t a, int64_t b, int32_t m)
{
  if (s->d < -BF_PLAN_RANGE_LIMIT || s->d > BF_PLAN_RANGE_LIMIT)
    return -1;
  if (a <= b) {
    if (s->d + a < s->lo) s->lo = s->d + a;
    if (s->d + b > s->hi) s->hi = s->d + b;
  }
  s->d += m;
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

/* Cuts the region, in one walk, into segments and blocks, with each one's
** range, and marks the jump targets. Balanced loops and IF bodies are
** walked inline, as straight code. A segment starts where 'p' is unknown
** at compile time: at the region's start, in a drifting loop's body (each
** iteration), after a drifting loop and after a scan. A block starts at
** each jump target and after each conditional branch, so it always runs
** whole (but for a run that stops in I/O): every jump goes forward but a
** back edge, which lands on a loop's body, so op k's marks are all set
** when the walk gets there. Returns -1 past the range limit. */
static int cut(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan)
{
  uint32_t cp = 0, b = 0;
  span seg, blk;
  span_open(&seg);
  span_open(&blk);
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    bf_plan *pl = &plan[k];
    uint8_t prev = k ? o[-1].op : BF_HALT;
    if (k == 0 || prev == BF_SCAN ||
        ((prev == BF_LOOP || prev == BF_END) && !plan[k - 1].balanced)) {
      if (k > 0 && span_close(&seg, &plan[cp].lo, &plan[cp].hi))
        return -1;
      cp = k;
      /* Exact until an op of it can be skipped: an IF or a balanced loop
      ** (a drifting one ends the segment at its head). */
      pl->cp = pl->exact = 1;
      pl->target = pl->ftarget = 1;  /* the checked version comes back here */
      span_open(&seg);
    }
    pl->seg = cp;
    pl->drift = (int32_t)seg.d;

    uint32_t to = n;  /* where a forward jump from here lands */
    int flat = 0;
    if (o->op == BF_LOOP) {
      pl->target = pl[1].target = 1;  /* entries; back edges */
      /* A loop that runs at most once has no back edge, and the fast
      ** version enters its head (when balanced) through a stub that loads
      ** what the cell cache holds there: no jump lands on either. Other
      ** heads empty the cache, so their stubs stay short. */
      pl->ftarget |= (uint8_t)(!pl->balanced || !pl->once);
      pl[1].ftarget |= (uint8_t)!pl->once;
      to = o->aux + 1 - first;                  /* the loop's exit */
      if (pl->balanced)
        plan[cp].exact = 0;
    } else if (o->op == BF_IF) {
      to = o->aux - first;
      flat = pl->flat;
      plan[cp].exact = 0;
    }
    if (to < n) {
      plan[to].target = 1;
      plan[to].ftarget |= (uint8_t)!flat;
    }

    if (k == 0 || pl->target || prev == BF_IF || prev == BF_LOOP ||
        prev == BF_END || prev == BF_SCAN) {
      if (k > 0 && span_close(&blk, &plan[b].blo, &plan[b].bhi))
        return -1;
      b = k;
      pl->block = 1;
      span_open(&blk);
    }

    int64_t lo = INT64_MAX, hi = INT64_MIN;  /* none */
    int32_t m = o->op == BF_MOVE ? o->off : 0;
    touches(o, pl, &lo, &hi);
    if (span_add(&seg, lo, hi, m) || span_add(&blk, lo, hi, m))
      return -1;
  }
  if (span_close(&seg, &plan[cp].lo, &plan[cp].hi))
    return -1;
  return span_close(&blk, &plan[b].blo, &plan[b].bhi);
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
  uint32_t if_end = UINT32_MAX;  /* the top frame's 'end' */
  known f = { NO_LO, NO_HI };
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    /* An IF's body may not run: after it, what held before it. */
    while (k == if_end) {
      f = stack[--depth].head;
      if_end = depth ? stack[depth - 1].end : UINT32_MAX;
    }
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
    if (touches(o, &plan[k], &a, &b)) {
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
      stack[depth++] = (frame){ k, if_end = UINT32_MAX, f };
      break;
    case BF_IF:
      stack[depth++] = (frame){ k, if_end = o->aux - first, f };
      break;
    case BF_END: {
      frame *top = &stack[--depth];
      if_end = depth ? stack[depth - 1].end : UINT32_MAX;
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

int bf_plan_make(const bf_op *ops, uint32_t first, uint32_t n, bf_plan *plan)
{
  shape *shapes = malloc((n + 1) * sizeof *shapes);
  if (!shapes)
    return -1;
  mark_loops(ops, first, n, plan, shapes);
  free(shapes);
  if (cut(ops, first, n, plan))
    return -2;
  return mark_known(ops, first, n, plan);
}
