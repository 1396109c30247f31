/*
** bf_jit.c — tier 1's architecture-neutral half: the check plan (bf_plan.c),
** then assembling a region through the back end into sealed executable memory.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_arch.h"
#include "bf_dasm.h"
#include "bf_plan.h"

const char *bf_abort_text(bf_abort a)
{
  static const char *const text[] = {
#define BF_ABORTTEXT(name, t) t,
    BF_ABORTS(BF_ABORTTEXT)
#undef BF_ABORTTEXT
  };
  return text[a];
}

/* -- Compiling a region -------------------------------------------------- */

/* DynASM numbers the words of its action buffer in 24 bits; an op takes a
** few dozen words at most, so regions stay well below 2^24 / 64 ops. */
#define REGION_MAX_OPS (1u << 18)

bf_abort bf_jit_compile(const bfjit_program *prog, uint32_t first, uint32_t end,
                        bf_region **out)
{
#if !BF_HAVE_JIT
  (void)prog; (void)first; (void)end; (void)out;
  return BF_ABORT_NOJIT;
#else
  uint32_t n = end - first;
  if (n > REGION_MAX_OPS)
    return BF_ABORT_SIZE;
  bf_plan *plan = calloc(n ? n : 1, sizeof *plan);
  bf_region *r = calloc(1, sizeof *r);
  bf_jit *J = calloc(1, sizeof *J);
  bf_abort why = BF_ABORT_NOMEM;
  if (!plan || !r || !J)
    goto fail;
  int pr = bf_plan_make(prog->ir.ops, first, n, plan);
  if (pr) {
    why = pr == -2 ? BF_ABORT_RANGE : BF_ABORT_NOMEM;
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
