/*
** bf_opt_linear.c — linear loops. A loop that returns 'p' to where it
** started, changes its own cell c(0) by an odd constant 's' per iteration,
** and otherwise only adds constants to cells and stores constants in them
** runs n = c(0) * inverse(-s) times (mod the cell width: odd numbers are
** invertible there). After n >= 1 iterations a cell it only adds 'v' to has
** gained n * v, and a cell it stores in holds the last store plus the adds
** after it, so the loop becomes straight code under one IF:
**
**     IF c(0) != 0 { MUL c(k) += c(0) * v * inverse(-s) ...; SET c(j) = b ...;
**                    SET c(0) = 0 }
**
** Loops are reduced innermost first, so a body may hold the IFs of inner
** linear loops. Such an IF whose cell holds a known constant K where it
** stands (stored earlier in the iteration) is straight code too: its MULs
** add K times their factor. An inner IF whose cell is not known, but is
** known from the second iteration on (the inner loop cleared it, and what
** the body adds after that is constant), makes the first iteration the odd
** one out: it is peeled, and the rest is straight code:
**
**     LOOP { the body once, as it is; IF c(0) != 0 { the rest } } END
**
** The LOOP runs once (its END finds c(0) zero). When the rest only adds
** what the first iteration adds too, to cells only added to, the peeled
** iteration makes them all at once (linear_from_first) and has no IF after
** it. Anything else — an inner
** loop, I/O, a drifting pointer, an even step, a product of two unknown
** cells — leaves the loop as it is.
**
** Touches stay exact. The IF keeps a loop that does not run from touching
** anything; within it each cell gets one op, in the order the iteration
** (the first of the straight ones) first touches the cells, charged to the
** command that touches it first. So the first op to touch a cell off the
** tape is the one -O0 reports, at the same command.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_opt.h"
#include "bf_param.h"

/* A loop's counter and the cells it may target (bf_param.h). */
#define MAX_CELLS (BF_P_linear_cells + 1)

/* What is known of a cell's value at a point in one iteration. */
enum { K_ADD, K_CONST, K_UNKNOWN };

typedef struct cell {
  int32_t off;    /* from 'p' at the loop's head */
  uint8_t kind;   /* K_ADD: its value at the iteration's start plus 'val';
                     K_CONST: 'val'; K_UNKNOWN: anything */
  uint8_t from_start;  /* a constant it held at the iteration's start */
  uint32_t val;
  uint32_t src;   /* the command that touched it first in the iteration */
} cell;

/* The cells an iteration touches, in the order it first touches them. */
typedef struct iter {
  cell c[MAX_CELLS];
  int n;
  int opaque;  /* an inner IF ran on a cell not known: its effect is not */
} iter;

/* Cells known to hold a constant when an iteration starts. */
typedef struct start {
  int32_t off[MAX_CELLS];
  uint32_t val[MAX_CELLS];
  int n;
} start;

/* The inverse of odd 'a' modulo 2^32 (Newton's iteration doubles the
** number of correct low bits each step: 3, 6, 12, 24, 48). */
static uint32_t inverse(uint32_t a)
{
  uint32_t x = a;
  for (int i = 0; i < 4; i++)
    x *= 2u - a * x;
  return x;
}

/* The index of the cell at 'off' in 'it', or -1. */
static int find(const iter *it, int64_t off)
{
  for (int i = 0; i < it->n; i++)
    if (it->c[i].off == off)
      return i;
  return -1;
}

/* The index of a cell 'it' only adds constants to (K_ADD) at 'off', or -1. */
static int find_add(const iter *it, int64_t off)
{
  int i = find(it, off);
  return i >= 0 && it->c[i].kind == K_ADD ? i : -1;
}

/* The cell at 'off', touched by 'src': found, or added as the iteration
** found it. NULL when there are too many. */
static cell *touch(iter *it, const start *s, int64_t off, uint32_t src)
{
  int at = find(it, off);
  if (at >= 0)
    return &it->c[at];
  if (it->n == MAX_CELLS)
    return NULL;
  cell *c = &it->c[it->n++];
  *c = (cell){ .off = (int32_t)off, .kind = K_ADD, .val = 0, .src = src };
  for (int i = 0; i < s->n; i++)
    if (s->off[i] == off) {
      c->kind = K_CONST;
      c->val = s->val[i];
      c->from_start = 1;
    }
  return c;
}

/* Adds 'v' to what is known of 'c'. */
static void add(cell *c, uint32_t v, uint32_t mask)
{
  if (c->kind != K_UNKNOWN)
    c->val = (c->val + v) & mask;
}

/* Is ops[i .. i+len) a body an IF may have: adds, stores and MULs? */
static int plain_body(const bf_op *ops, size_t i, size_t len)
{
  for (size_t k = i; k < i + len; k++)
    if (ops[k].op != BF_ADD && ops[k].op != BF_SET && ops[k].op != BF_MUL)
      return 0;
  return 1;
}

/* One op at pointer offset 'd' on the cells; 0, or -1 when it cannot be
** followed (a MUL whose factor cell is not known, too many cells). */
static int step(iter *it, const start *s, const bf_op *o, int64_t d, uint32_t mask)
{
  int64_t off = d + o->off;
  if (off >= BF_P_off_limit || off <= -BF_P_off_limit)
    return -1;
  if (o->op == BF_MUL) {
    cell *f = touch(it, s, d, o->src);  /* touched already: the IF read it */
    if (!f || f->kind != K_CONST)
      return -1;
    uint32_t v = (f->val * o->val) & mask;
    cell *c = touch(it, s, off, o->src);
    if (!c)
      return -1;
    add(c, v, mask);
    return 0;
  }
  cell *c = touch(it, s, off, o->src);
  if (!c)
    return -1;
  if (o->op == BF_ADD) {
    add(c, o->val, mask);
  } else {
    c->kind = K_CONST;
    c->val = o->val;
  }
  return 0;
}

/* Follows one iteration of the body ops[b .. e) from 'st'. Returns 0, or
** -1 when the body is not straight: any op but ADD, SET, MUL, MOVE and an
** IF over those; a pointer that drifts. An IF on a cell not known is
** followed only when 'peel': its targets become unknown, 'opaque' is set. */
static int follow(const bf_op *ops, size_t b, size_t e, const start *st,
                  int peel, uint32_t mask, iter *it)
{
  int64_t d = 0;
  it->n = 0;
  it->opaque = 0;
  for (size_t i = b; i < e; i++) {
    const bf_op *o = &ops[i];
    switch (o->op) {
    case BF_MOVE:
      d += o->off;
      if (d >= BF_P_off_limit || d <= -BF_P_off_limit)
        return -1;
      break;
    case BF_ADD: case BF_SET: case BF_MUL:
      if (step(it, st, o, d, mask))
        return -1;
      break;
    case BF_IF: {
      size_t len = o->val;
      if (i + 1 + len > e || !plain_body(ops, i + 1, len))
        return -1;
      cell *q = touch(it, st, d, o->src);
      if (!q)
        return -1;
      if (q->kind == K_CONST) {
        /* Known: it runs (or not) the same way every time. */
        if (q->val != 0)
          for (size_t k = i + 1; k <= i + len; k++)
            if (step(it, st, &ops[k], d, mask))
              return -1;
      } else if (peel) {
        /* Not known: it may or may not have run. Its cell ends zero
        ** either way if the last it does to it is storing zero. */
        int zero = 0;
        for (size_t k = i + 1; k <= i + len; k++) {
          int64_t off = d + ops[k].off;
          cell *c = off < BF_P_off_limit && off > -BF_P_off_limit
                      ? touch(it, st, off, ops[k].src) : NULL;
          if (!c)
            return -1;
          if (ops[k].off == 0)
            zero = ops[k].op == BF_SET ? ops[k].val == 0 : zero && ops[k].val == 0;
          else
            c->kind = K_UNKNOWN;
        }
        q = touch(it, st, d, o->src);
        if (zero) {
          q->kind = K_CONST;
          q->val = 0;
        } else {
          q->kind = K_UNKNOWN;
        }
        it->opaque = 1;
      } else {
        return -1;
      }
      i += len;
      break;
    }
    default:
      return -1;
    }
  }
  return d == 0 ? 0 : -1;
}

/* The counter of a straight iteration: its step, or 0 when it is not an
** odd constant; 'src' gets its first touch. */
static uint32_t counter(const iter *it, uint32_t *src)
{
  for (int i = 0; i < it->n; i++)
    if (it->c[i].off == 0) {
      *src = it->c[i].src;
      return it->c[i].kind == K_ADD && !it->c[i].from_start && (it->c[i].val & 1)
               ? it->c[i].val : 0;
    }
  return 0;
}

/* Writes the straight code of iteration 'it' (whose counter steps by 'step',
** first touched at 'step_src') to 'out': IF (at 'if_src'), one op a cell
** that changed, SET c(0) = 0; just the SET when nothing else changed.
** Returns the op count. */
static size_t straight(const iter *it, uint32_t step, uint32_t step_src,
                       uint32_t if_src, uint32_t set_src, uint32_t mask, bf_op *out)
{
  uint32_t scale = inverse((0u - step) & mask) & mask;
  size_t w = 1;
  for (int i = 0; i < it->n; i++) {
    const cell *c = &it->c[i];
    if (c->off == 0 || (c->kind == K_CONST && c->from_start))
      continue;  /* the counter comes last; a constant kept needs nothing */
    if (c->kind == K_ADD)
      out[w++] = (bf_op){ .op = BF_MUL, .off = c->off, .val = (c->val * scale) & mask,
                          .src = c->src };
    else
      out[w++] = (bf_op){ .op = BF_SET, .off = c->off, .val = c->val, .src = c->src };
  }
  if (w == 1) {
    out[0] = (bf_op){ .op = BF_SET, .off = 0, .val = 0, .src = set_src };
    return 1;
  }
  out[0] = (bf_op){ .op = BF_IF, .val = (uint32_t)w, .src = if_src };
  out[w++] = (bf_op){ .op = BF_SET, .off = 0, .val = 0, .src = step_src };
  return w;
}

/* Can the iteration after a peeled first one be followed from 'st', and
** does it keep the constants it started with (so every later one starts
** the same)? */
static int steady(const iter *it, const start *st)
{
  for (int i = 0; i < it->n; i++) {
    const cell *c = &it->c[i];
    if (!c->from_start)
      continue;
    for (int j = 0; j < st->n; j++)
      if (st->off[j] == c->off && (c->kind != K_CONST || c->val != st->val[j]))
        return 0;
  }
  return 1;
}

/* The output: 'in' is read at 'r' while 'out' is written at 'w'. They are
** one array (the writer behind the reader) until a peeled loop needs more
** room than was read; then 'out' is an array of its own, 'cap' long, and
** always has room for what is left to read. */
typedef struct sink {
  bf_op *in, *out;
  size_t n, cap;  /* input length; capacity of 'out' */
} sink;

/* Makes room for the output, now 'w' ops, to end at 'end' while ops up to
** 'r' are read; 0, or -1 when memory runs out (the output is as it was). */
static int room(sink *k, size_t w, size_t end, size_t r)
{
  if (k->out == k->in && end <= r + 1)
    return 0;
  size_t need = end + (k->n - r - 1);
  if (k->out != k->in && need <= k->cap)
    return 0;
  size_t cap = need + need / 4 + 64;
  bf_op *o = k->out == k->in ? malloc(cap * sizeof *o)
                             : realloc(k->out, cap * sizeof *o);
  if (!o)
    return -1;
  if (k->out == k->in)
    memcpy(o, k->in, w * sizeof *o);
  k->out = o;
  k->cap = cap;
  return 0;
}

/* When the peeled iteration's last touch of c(0) is an add outside any IF
** (ops[b .. e) being the body), makes it the SET c(0) = 0 that ends the loop
** (the add is dead, its touch is kept) and returns 1. */
static int settle(bf_op *ops, size_t b, size_t e)
{
  int64_t d = 0;
  size_t last = e, if_end = 0;
  for (size_t i = b; i < e; i++) {
    const bf_op *o = &ops[i];
    if (o->op == BF_MOVE) {
      d += o->off;
    } else if (o->op == BF_IF) {
      if (d == 0)
        last = e;  /* reads c(0) */
      if_end = i + 1 + o->val;
    } else if (d + o->off == 0 || (o->op == BF_MUL && d == 0)) {
      last = o->op == BF_ADD && d + o->off == 0 && i >= if_end ? i : e;
    }
  }
  if (last == e)
    return 0;
  ops[last].op = BF_SET;
  ops[last].val = 0;
  return 1;
}

/* A cheap first look at the body ops[b .. e): only adds, stores, MULs,
** moves and IFs, and 'p' back where it started? */
static int may_be_linear(const bf_op *ops, size_t b, size_t e)
{
  int64_t d = 0;
  for (size_t i = b; i < e; i++) {
    switch (ops[i].op) {
    case BF_MOVE: d += ops[i].off; break;
    case BF_ADD: case BF_SET: case BF_MUL: case BF_IF: break;
    default: return 0;
    }
  }
  return d == 0;
}

/* The cells an opaque first iteration 'it1' only adds constants to, the
** counter's 'step' among them, are linear from that first iteration on
** when every later iteration 'it2' adds the same to them. When the other
** cells stop changing after the first iteration (each one keeps the
** constant it was left with, or is only touched), nothing is left for the
** rest of the iterations to do but those adds: the peeled iteration does
** them all at once, each as a MUL of the counter where the cell is first
** touched (so touches keep their order), and clears the counter last.
** Rewrites the body ops[l+1 .. w-1) in place so (it never grows) and
** returns the new end of the loop, or 0 when the body is not of that kind. */
static size_t linear_from_first(bf_op *ops, size_t l, size_t w, const iter *it1,
                                const iter *it2, uint32_t step, uint32_t mask)
{
  int adds = 0;
  for (int i = 0; i < it2->n; i++) {
    const cell *c = &it2->c[i];
    int f = find_add(it1, c->off);
    if (f >= 0) {
      if (c->kind != K_ADD || c->from_start || c->val != it1->c[f].val)
        return 0;
      adds += c->off != 0;
    } else if (!(c->kind == K_CONST && c->from_start) &&
               !(c->kind == K_ADD && !c->from_start && c->val == 0)) {
      return 0;  /* still changing after the first iteration */
    }
  }
  if (!adds)
    return 0;  /* the plain peel says the same */
  /* The adds must be plain ADDs where 'p' is at the loop's head: a MUL
  ** reads c(0) there, and an add inside an IF is not plain. */
  int64_t d = 0;
  size_t body_end = 0;  /* of the IF we are in */
  for (size_t i = l + 1; i < w - 1; i++) {
    const bf_op *o = &ops[i];
    if (o->op == BF_MOVE) {
      d += o->off;
      continue;
    }
    if (find_add(it1, d + o->off) >= 0 && (o->op != BF_ADD || d != 0 || i < body_end))
      return 0;
    if (o->op == BF_IF)
      body_end = i + 1 + o->val;
  }
  d = 0;
  uint32_t scale = inverse((0u - step) & mask) & mask;
  uint8_t done[MAX_CELLS] = { 0 };
  size_t out = l + 1;
  uint32_t end_src = ops[w - 1].src;
  for (size_t i = l + 1; i < w - 1; i++) {
    bf_op o = ops[i];
    if (o.op == BF_IF) {
      memmove(&ops[out], &ops[i], (1 + (size_t)o.val) * sizeof *ops);
      out += 1 + o.val;
      i += o.val;
      continue;
    }
    int j = o.op == BF_ADD && d == 0 ? find_add(it1, o.off) : -1;
    if (o.op == BF_MOVE)
      d += o.off;
    if (j < 0) {
      ops[out++] = o;
    } else if (o.off != 0 && !done[j]) {
      uint32_t v = (it1->c[j].val * scale) & mask;
      done[j] = 1;
      ops[out++] = v ? (bf_op){ .op = BF_MUL, .off = o.off, .val = v, .src = o.src }
                     : (bf_op){ .op = BF_ADD, .off = o.off, .val = 0, .src = o.src };
    }
  }
  ops[out++] = (bf_op){ .op = BF_SET, .off = 0, .val = 0, .src = end_src };
  ops[out++] = ops[w - 1];
  return out;
}

/* Reduces the loop out[l .. w-1] (LOOP .. END, its body already reduced);
** returns the new end of the output. */
static size_t reduce(sink *k, size_t l, size_t w, size_t r, uint32_t mask)
{
  bf_op *ops = k->out;
  bf_op head = ops[l], end = ops[w - 1];
  iter it, it2;
  start none = { .n = 0 };
  bf_op code[MAX_CELLS + 2];
  uint32_t step, step_src;
  if (!may_be_linear(ops, l + 1, w - 1) || follow(ops, l + 1, w - 1, &none, 1, mask, &it))
    return w;
  if (!it.opaque) {
    step = counter(&it, &step_src);
    if (!step)
      return w;
    size_t n = straight(&it, step, step_src, head.src, head.src, mask, code);
    memcpy(&ops[l], code, n * sizeof *code);
    return l + n;
  }
  /* Peel the first iteration: the next ones start with the constants it
  ** left, and must be straight from there. */
  start st = { .n = 0 };
  for (int i = 0; i < it.n; i++)
    if (it.c[i].kind == K_CONST) {
      st.off[st.n] = it.c[i].off;
      st.val[st.n++] = it.c[i].val;
    }
  if (follow(ops, l + 1, w - 1, &st, 0, mask, &it2) || !steady(&it2, &st))
    return w;
  step = counter(&it2, &step_src);
  if (!step)
    return w;
  uint32_t step1_src;
  size_t nw = counter(&it, &step1_src) == step
                ? linear_from_first(ops, l, w, &it, &it2, step, mask) : 0;
  if (nw)
    return nw;
  size_t n = straight(&it2, step, step_src, end.src, end.src, mask, code);
  if (n == 1 && settle(ops, l + 1, w - 1))
    return w;  /* the last add to c(0) became the SET */
  if (room(k, w, w + n, r))
    return w;  /* no memory for it: the loop stays */
  ops = k->out;
  memcpy(&ops[w - 1], code, n * sizeof *code);
  ops[w - 1 + n] = end;
  return w + n;
}

void bf_opt_linear(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  sink k = { .in = ir->ops, .out = ir->ops, .n = ir->n, .cap = ir->cap };
  /* Open LOOPs in the output form a stack threaded through their 'aux'. */
  uint32_t top = UINT32_MAX;
  size_t w = 0;
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = k.in[r];
    k.out[w] = o;
    if (o.op == BF_LOOP) {
      k.out[w].aux = top;
      top = (uint32_t)w++;
    } else if (o.op == BF_END) {
      size_t l = top;
      top = k.out[l].aux;
      w = reduce(&k, l, w + 1, r, mask);
    } else {
      w++;
    }
  }
  if (k.out != k.in) {
    free(k.in);
    ir->ops = k.out;
    ir->cap = k.cap;
  }
  ir->n = w;
}
