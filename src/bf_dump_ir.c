/*
** bf_dump_ir.c — --dump-ir: the optimized IR as text, one op a line under
** its source line:column, loop and IF bodies indented.
*/
#include <stdio.h>

#include "bf_error.h"
#include "bf_program.h"

/* A constant as the signed value it stands for at the cell width: 255 at 8
** bits prints as -1, which is how a reader writes '-'. */
static long long signed_val(uint32_t v, unsigned bits)
{
  uint32_t mask = bf_cell_mask(bits);
  v &= mask;
  return v > mask / 2 ? (long long)v - (long long)mask - 1 : (long long)v;
}

bfjit_status bfjit_dump_ir(const bfjit_program *p, FILE *out, bfjit_error *err)
{
  if (!p || !out) {
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_DUMP_IR_ARGS);
    return BFJIT_ERR_ARG;
  }
  const bf_ir *ir = &p->ir;
  /* IF bodies end where no op is: count the open ones by their ends. */
  unsigned depth = 0, ifs = 0;
  size_t if_end[64];
  for (size_t i = 0; i < ir->n; i++) {
    const bf_op *o = &ir->ops[i];
    while (ifs && if_end[ifs - 1] == i) {
      ifs--;
      depth--;
    }
    if (o->op == BF_END)
      depth--;
    unsigned line, col;
    char pos[32];
    bf_srcmap_pos(&p->map, o->src, &line, &col);
    snprintf(pos, sizeof pos, "%u:%u", line, col);
    fprintf(out, "%-9s %*s%s", pos, (int)(2 * depth), "", bf_op_name(o->op));
    /* Tests and reads of c(0) show no offset. */
    if ((o->op == BF_IF || o->op == BF_LOOP || o->op == BF_END) && o->off)
      fprintf(out, "@%d", (int)o->off);
    if (o->op == BF_SCAN && bf_scan_at(o))
      fprintf(out, "@%d", (int)bf_scan_at(o));
    switch (o->op) {
    case BF_ADD: case BF_SET: case BF_MUL:
      fprintf(out, "@%d=%lld", (int)o->off, signed_val(o->val, ir->cell_bits));
      if (o->op == BF_MUL && bf_mul_src(o))
        fprintf(out, "*@%d", (int)bf_mul_src(o));
      break;
    case BF_IN: case BF_OUT:
      fprintf(out, "@%d", (int)o->off);
      break;
    case BF_MOVE: case BF_SCAN:
      fprintf(out, "=%d", (int)o->off);
      break;
    case BF_PUT:
      fprintf(out, "=%u", (unsigned)o->val);
      break;
    case BF_IF:
      fprintf(out, "=%u", (unsigned)o->val);
      break;
    default:
      break;
    }
    fputc('\n', out);
    if (o->op == BF_LOOP) {
      depth++;
    } else if (o->op == BF_IF && ifs < sizeof if_end / sizeof if_end[0]) {
      if_end[ifs++] = o->aux;
      depth++;
    }
  }
  if (fflush(out) || ferror(out)) {
    bf_error_set(err, BFJIT_ERR_IO, BF_EM_DUMP_IR_WRITE);
    return BFJIT_ERR_IO;
  }
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return BFJIT_OK;
}
