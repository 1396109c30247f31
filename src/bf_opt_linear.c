/*
** bf_opt_linear.c — linear (multiply) loops. An innermost loop whose body
** only adds and moves, returns 'p' to where it started, and changes its own
** cell by an odd step 's' runs n = c(0) * inverse(-s) times (mod the cell
** width: odd numbers are invertible there). Each other cell it adds 'v' to
** gets n * v, so the loop becomes
**
**     IF c(0) != 0 { MUL c(k) += c(0) * v * inverse(-s) ...; SET c(0) = 0 }
**
** The IF keeps the touches exact: a loop that does not run touches nothing.
** An even step, a drifting pointer, I/O or an inner loop: the loop stays.
*/
#include "bf_opt.h"

/* Loops with more distinct target cells than this stay loops. */
#define MAX_TARGETS 32

typedef struct target {
  int32_t off;
  uint32_t val;  /* summed adds per iteration */
  uint32_t src;  /* first touch */
} target;

/* The inverse of odd 'a' modulo 2^32 (Newton's iteration doubles the
** number of correct low bits each step: 3, 6, 12, 24, 48). */
static uint32_t inverse(uint32_t a)
{
  uint32_t x = a;
  for (int i = 0; i < 4; i++)
    x *= 2u - a * x;
  return x;
}

/* Collects the body ops[l+1 .. e-1] into targets; returns the count, or -1
** when the loop is not linear. 'step' gets the counter's change. */
static int analyse(const bf_ir *ir, size_t l, size_t e, uint32_t mask,
                   target *t, uint32_t *step, uint32_t *step_src)
{
  int64_t drift = 0;
  int nt = 0;
  *step = 0;
  *step_src = ir->ops[l].src;
  int counter_seen = 0;
  for (size_t i = l + 1; i < e; i++) {
    const bf_op *o = &ir->ops[i];
    if (o->op == BF_MOVE) {
      drift += o->off;
      continue;
    }
    if (o->op != BF_ADD)
      return -1;
    int64_t off = drift + o->off;
    if (off > INT32_MAX / 2 || off < INT32_MIN / 2)
      return -1;
    if (off == 0) {
      if (!counter_seen)
        *step_src = o->src;
      counter_seen = 1;
      *step = (*step + o->val) & mask;
      continue;
    }
    int k;
    for (k = 0; k < nt && t[k].off != off; k++)
      ;
    if (k == nt) {
      if (nt == MAX_TARGETS)
        return -1;
      t[nt++] = (target){ .off = (int32_t)off, .val = 0, .src = o->src };
    }
    t[k].val = (t[k].val + o->val) & mask;
  }
  if (drift != 0 || !(*step & 1))
    return -1;
  return nt;
}

void bf_opt_linear(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  target t[MAX_TARGETS];
  size_t w = 0;
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    uint32_t step, step_src;
    int nt;
    if (o.op != BF_LOOP ||
        (nt = analyse(ir, r, o.aux, mask, t, &step, &step_src)) < 0) {
      ir->ops[w++] = o;
      continue;
    }
    /* Body ops are consumed; the output (nt + 2 ops at most) fits in the
    ** loop's own slots because every target needs an ADD in the body. */
    uint32_t scale = inverse((0u - step) & mask) & mask;
    size_t end = o.aux;
    if (nt > 0)
      ir->ops[w++] = (bf_op){ .op = BF_IF, .val = (uint32_t)nt + 1, .src = o.src };
    for (int k = 0; k < nt; k++)
      ir->ops[w++] = (bf_op){ .op = BF_MUL, .off = t[k].off,
                              .val = (t[k].val * scale) & mask, .src = t[k].src };
    ir->ops[w++] = (bf_op){ .op = BF_SET, .off = 0, .val = 0,
                            .src = nt > 0 ? step_src : o.src };
    r = end;
  }
  ir->n = w;
}
