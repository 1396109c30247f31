/*
** bf_parse.c — the lexer and bracket matcher: any bytes in, IR out.
** One pass over the text; brackets are matched with an explicit stack, so
** nesting depth costs memory, never C stack.
*/
#include <stdlib.h>

#include "bf_error.h"
#include "bf_param.h"
#include "bf_parse.h"

/* Appends one op. With 'fold', a +- or <> run goes into the op before it,
** just as the fold pass would merge it: it is the same left-to-right rule,
** so the pass then finds nothing left to do, and a program's IR never holds
** one op per command (20 bytes each: most of a big program's memory). */
static int emit(bf_ir *ir, int fold, bf_opcode op, int32_t off, uint32_t val,
                uint32_t at)
{
  bf_op *prev = fold && ir->n ? &ir->ops[ir->n - 1] : NULL;
  if (prev && op == BF_ADD && prev->op == BF_ADD && prev->off == off) {
    prev->val = (prev->val + val) & bf_cell_mask(ir->cell_bits);
    return 0;
  }
  if (prev && op == BF_MOVE && prev->op == BF_MOVE &&
      prev->off < BF_P_off_limit && prev->off > -BF_P_off_limit) {
    prev->off += off;
    if (prev->off == 0)
      ir->n--;  /* '><' moves nowhere and touches nothing */
    return 0;
  }
  return bf_ir_push(ir, op, off, val, at);
}

static int parse(const uint8_t *src, size_t len, bf_ir *ir, bf_srcmap *map,
                 bfjit_error *err, int fold)
{
  uint32_t *open = NULL;       /* source offsets of the unclosed '[' */
  size_t nopen = 0, opencap = 0;
  *map = (bf_srcmap){ 0 };
  if (len > UINT32_MAX - 1)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_TEXT_SIZE);
  if (bf_srcmap_make(map, src, len))
    goto nomem;
  for (size_t i = 0; i < len; i++) {
    uint32_t at = (uint32_t)i;
    int r = 0;
    switch (src[i]) {
    case '+': r = emit(ir, fold, BF_ADD, 0, 1, at); break;
    case '-': r = emit(ir, fold, BF_ADD, 0, bf_cell_mask(ir->cell_bits), at); break;
    case '>': r = emit(ir, fold, BF_MOVE, 1, 0, at); break;
    case '<': r = emit(ir, fold, BF_MOVE, -1, 0, at); break;
    case '.': r = bf_ir_push(ir, BF_OUT, 0, 0, at); break;
    case ',': r = bf_ir_push(ir, BF_IN, 0, 0, at); break;
    case '[':
      if (nopen == opencap) {
        size_t ncap = opencap ? opencap * 2 : 64;
        uint32_t *o = realloc(open, ncap * sizeof *o);
        if (!o)
          goto nomem;
        open = o;
        opencap = ncap;
      }
      open[nopen++] = at;
      r = bf_ir_push(ir, BF_LOOP, 0, 0, at);
      break;
    case ']':
      if (nopen == 0) {
        free(open);
        bf_error_set(err, BFJIT_ERR_PARSE, BF_EM_UNOPENED);
        bf_error_at(err, map, at);
        return -1;
      }
      nopen--;
      r = bf_ir_push(ir, BF_END, 0, 0, at);
      break;
    default:
      break;  /* every other byte is a comment */
    }
    if (r)
      goto nomem;
  }
  if (nopen) {
    uint32_t at = open[nopen - 1];
    free(open);
    bf_error_set(err, BFJIT_ERR_PARSE, BF_EM_UNCLOSED);
    bf_error_at(err, map, at);
    return -1;
  }
  free(open);
  if (bf_ir_push(ir, BF_HALT, 0, 0, (uint32_t)len))
    goto nomem;
  bf_ir_link(ir);
  return 0;
nomem:
  free(open);
  return bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_PARSE_NOMEM);
}

int bf_parse(const uint8_t *src, size_t len, bf_ir *ir, bf_srcmap *map,
             bfjit_error *err)
{
  return parse(src, len, ir, map, err, 0);
}

int bf_parse_folded(const uint8_t *src, size_t len, bf_ir *ir, bf_srcmap *map,
                    bfjit_error *err)
{
  return parse(src, len, ir, map, err, 1);
}
