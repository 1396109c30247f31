/*
** bf_ir.c — the op array: growth, names, and re-linking after a pass.
*/
#include <stdlib.h>

#include "bf_ir.h"

static const char *const op_names[] = {
#define BF_OPNAME(name, doc) #name,
  BF_OPS(BF_OPNAME)
#undef BF_OPNAME
};

const char *bf_op_name(unsigned op)
{
  return op < BF__NOPS ? op_names[op] : "?";
}

int bf_ir_push(bf_ir *ir, bf_opcode op, int32_t off, uint32_t val, uint32_t src)
{
  if (ir->n >= BF_IR_OPS_MAX)
    return -1;
  if (ir->n == ir->cap) {
    /* Doubling keeps a multi-megabyte program's parse linear. */
    size_t cap = ir->cap ? ir->cap * 2 : 256;
    bf_op *ops = realloc(ir->ops, cap * sizeof *ops);
    if (!ops)
      return -1;
    ir->ops = ops;
    ir->cap = cap;
  }
  ir->ops[ir->n++] = (bf_op){ .op = (uint8_t)op, .off = off, .val = val, .src = src };
  return 0;
}

void bf_ir_link(bf_ir *ir)
{
  /* The open LOOPs form a stack; it is threaded through the 'aux' fields of
  ** the LOOPs themselves, so linking needs no memory of its own. */
  uint32_t top = UINT32_MAX, id = 0;
  for (size_t i = 0; i < ir->n; i++) {
    bf_op *o = &ir->ops[i];
    if (o->op == BF_LOOP) {
      o->aux = top;
      o->val = id++;
      top = (uint32_t)i;
    } else if (o->op == BF_END) {
      bf_op *l = &ir->ops[top];
      top = l->aux;
      l->aux = (uint32_t)i;
      o->aux = (uint32_t)(l - ir->ops);
      o->val = l->val;
    } else if (o->op == BF_IF) {
      o->aux = (uint32_t)(i + 1 + o->val);
    }
  }
  ir->nloops = id;
}

void bf_ir_shrink(bf_ir *ir)
{
  if (ir->n && ir->n < ir->cap) {
    bf_op *ops = realloc(ir->ops, ir->n * sizeof *ops);
    if (ops) {  /* else the bigger array stays, as good */
      ir->ops = ops;
      ir->cap = ir->n;
    }
  }
}

void bf_ir_free(bf_ir *ir)
{
  free(ir->ops);
  *ir = (bf_ir){ 0 };
}
