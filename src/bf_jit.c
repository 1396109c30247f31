/*
** bf_jit.c — tier 1's architecture-neutral half: the check plan, then
** assembling a region through the back end into sealed executable memory.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_arch.h"
#include "bf_dasm.h"

/* Cell offsets in a plan stay below this, so offset * width fits an
** instruction's 32-bit displacement on every back end. */
#define RANGE_LIMIT ((int64_t)1 << 28)

const char *bf_abort_text(bf_abort a)
{
  static const char *const text[] = {
#define BF_ABORTTEXT(name, t) t,
    BF_ABORTS(BF_ABORTTEXT)
#undef BF_ABORTTEXT
  };
  return text[a];
}

/* -- The plan ------------------------------------------------------------ */

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
    if (lo <= hi && (lo < -RANGE_LIMIT || hi > RANGE_LIMIT)) return -1; \
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
    if (d < -RANGE_LIMIT || d > RANGE_LIMIT)
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

/* -- Compiling a region -------------------------------------------------- */

bf_abort bf_jit_compile(const bfjit_program *prog, uint32_t first, uint32_t end,
                        bf_region **out)
{
#if !BF_HAVE_JIT
  (void)prog; (void)first; (void)end; (void)out;
  return BF_ABORT_NOJIT;
#else
  uint32_t n = end - first;
  bf_plan *plan = calloc(n ? n : 1, sizeof *plan);
  bf_region *r = calloc(1, sizeof *r);
  bf_jit *J = calloc(1, sizeof *J);
  bf_abort why = BF_ABORT_NOMEM;
  if (!plan || !r || !J || mark_balanced(prog->ir.ops, first, n, plan))
    goto fail;
  if (make_segments(prog->ir.ops, first, n, plan)) {
    why = BF_ABORT_RANGE;
    goto fail;
  }
  *J = (bf_jit){ .ops = prog->ir.ops, .first = first, .end = end, .n = n,
                 .width = prog->opt.cell_bits / 8,
                 .tape_bytes = prog->opt.tape_cells * (prog->opt.cell_bits / 8),
                 .count_steps = prog->opt.max_steps != 0, .plan = plan };
  if (setjmp(J->oom)) {
    why = BF_ABORT_NOMEM;  /* DynASM ran out of memory */
    goto fail;
  }
  why = bf_backend_emit(J);
  if (why != BF_ABORT_OK)
    goto fail;
  size_t size;
  why = BF_ABORT_DASM;
  if (dasm_link(&J->D, &size) != 0)  /* DASM_S_OK is 0 on every arch */
    goto fail;
  why = BF_ABORT_MMAP;
  if (bf_mcode_map(&r->mcode, size))
    goto fail;
  why = BF_ABORT_DASM;
  if (dasm_encode(&J->D, r->mcode.base) != 0)
    goto fail;
  why = BF_ABORT_MMAP;
  if (bf_mcode_seal(&r->mcode))
    goto fail;

  /* Loop ids are numbered in op order, so a region's loops are a range. */
  const uint8_t *base = r->mcode.base;
  r->first = first;
  r->end = end;
  r->code_size = size;
  r->enter = (bf_jit_fn)(void *)(base + dasm_getpclabel(&J->D, BF_PC_ENTER(J)));
  r->start = base + dasm_getpclabel(&J->D, BF_PC_OP(J, 0));
  r->loop0 = UINT32_MAX;
  for (uint32_t k = 0; k < n; k++)
    if (prog->ir.ops[first + k].op == BF_LOOP) {
      if (r->loop0 == UINT32_MAX)
        r->loop0 = prog->ir.ops[first + k].val;
      r->nloops++;
    }
  why = BF_ABORT_NOMEM;
  r->entry = calloc(r->nloops ? r->nloops : 1, sizeof *r->entry);
  r->op_ofs = malloc((n + 1) * sizeof *r->op_ofs);
  if (!r->entry || !r->op_ofs)
    goto fail;
  for (uint32_t k = 0; k <= n; k++)
    r->op_ofs[k] = (uint32_t)dasm_getpclabel(&J->D, BF_PC_OP(J, k));
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &prog->ir.ops[first + k];
    if (o->op == BF_LOOP)
      r->entry[o->val - r->loop0] =
        base + dasm_getpclabel(&J->D, plan[k].cp ? BF_PC_OP(J, k) : BF_PC_ENTRY(J, k));
  }
  dasm_free(&J->D);
  free(J);
  free(plan);
  *out = r;
  return BF_ABORT_OK;
fail:
  if (J && J->D)
    dasm_free(&J->D);
  free(J);
  free(plan);
  bf_region_free(r);
  return why;
#endif
}

void bf_region_free(bf_region *r)
{
  if (!r)
    return;
  bf_mcode_unmap(&r->mcode);
  free(r->entry);
  free(r->op_ofs);
  free(r);
}
