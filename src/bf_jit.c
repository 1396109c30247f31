/*
** bf_jit.c — tier 1's architecture-neutral half: the check plan (bf_plan.c)
** and the blocks within which cells may live in registers, then assembling a
** region through the back end into sealed executable memory.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_arch.h"
#include "bf_dasm.h"
#include "bf_param.h"
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

/* -- Blocks ---------------------------------------------------------------- */

/* One use of a cell within a block: 'main' for the cell an op changes. */
typedef struct use {
  int64_t cell;  /* offset from 'p' at the block's start */
  uint32_t k;
  int main;
} use;

static int by_cell(const void *a, const void *b)
{
  const use *x = a, *y = b;
  if (x->cell != y->cell)
    return x->cell < y->cell ? -1 : 1;
  return x->k < y->k ? -1 : x->k > y->k;
}

/* Marks 'reuse' on ops whose changed cell is touched again later in their
** block. Only such cells are worth a register. */
static int mark_reuse(const bf_op *ops, uint32_t first, uint32_t n,
                      bf_plan *plan)
{
  use *u = malloc((2 * (size_t)n + 1) * sizeof *u);
  if (!u)
    return -1;
  uint32_t k = 0;
  while (k < n) {
    size_t nu = 0;
    int64_t d = 0;
    uint32_t start = k;
    for (; k < n && (k == start || !plan[k].target); k++) {
      const bf_op *o = &ops[first + k];
      int ends = 0;
      switch (o->op) {
      case BF_ADD: case BF_SET:
        u[nu++] = (use){ d + o->off, k, 1 };
        break;
      case BF_MUL:
        u[nu++] = (use){ d + o->off, k, 1 };
        u[nu++] = (use){ d + bf_mul_src(o), k, 0 };
        break;
      case BF_MOVE:
        d += o->off;
        break;
      case BF_IF:
        u[nu++] = (use){ d + o->off, k, 0 };
        break;
      case BF_IN: case BF_OUT:
        u[nu++] = (use){ d + o->off, k, 0 };
        ends = 1;
        break;
      default:  /* LOOP, END, SCAN (off is its stride), HALT */
        u[nu++] = (use){ d + (o->op == BF_SCAN ? bf_scan_at(o) : o->off), k, 0 };
        ends = 1;
        break;
      }
      if (ends) {
        k++;
        break;
      }
    }
    qsort(u, nu, sizeof *u, by_cell);
    for (size_t i = 0; i + 1 < nu; i++)
      if (u[i].main && u[i + 1].cell == u[i].cell)
        plan[u[i].k].reuse = 1;
  }
  free(u);
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
  if (n > BF_P_region_ops)
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
  if (mark_reuse(prog->ir.ops, first, n, plan))
    goto fail;  /* 'why' is still NOMEM */
  *J = (bf_jit){ .ops = prog->ir.ops, .first = first, .end = end, .n = n,
                 .width = prog->opt.cell_bits / 8,
                 .tape_bytes = prog->opt.tape_cells * (prog->opt.cell_bits / 8),
                 .count_steps = prog->opt.max_steps != 0, .plan = plan,
                 .checked = UINT32_MAX };
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
  r->chk_ofs = malloc((n + 1) * sizeof *r->chk_ofs);
  if (!r->entry || !r->op_ofs || !r->chk_ofs)
    goto fail;
  for (uint32_t k = 0; k <= n; k++) {
    int chk = dasm_getpclabel(&J->D, k < n ? BF_PC_CHK(J, k) : BF_PC_CHKEND(J));
    r->op_ofs[k] = (uint32_t)dasm_getpclabel(&J->D, BF_PC_OP(J, k));
    r->chk_ofs[k] = chk < 0 ? UINT32_MAX : (uint32_t)chk;
  }
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
  free(r->chk_ofs);
  free(r);
}
