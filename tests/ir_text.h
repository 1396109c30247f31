/*
** ir_text.h — test helpers shared by the parser and pass tests: parse a
** string into IR and print IR as one line of text, so an expected op
** sequence is a readable string and a failure shows both sides. Include
** after <cmocka.h>.
*/
#ifndef IR_TEXT_H
#define IR_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bf_ir.h"
#include "bf_opt.h"
#include "bf_parse.h"

/* A constant as the signed value it stands for at the cell width: 255 at 8
** bits prints as -1, which is how a reader writes '-'. */
static inline long long ir_signed(uint32_t v, unsigned bits)
{
  uint32_t mask = bf_cell_mask(bits);
  v &= mask;
  return v > mask / 2 ? (long long)v - (long long)mask - 1 : (long long)v;
}

/* Writes 'ir' as text: "ADD@off=val SET@off=val MUL@off=val MOVE=off
** IN@off OUT@off LOOP END IF=len SCAN=stride HALT", one space between ops;
** a test of c(off) is "LOOP@off", "IF@off=len", "SCAN@off=stride", a MUL
** reading c(k) "*@k".
** Returns a malloc'd string the caller frees. */
static inline char *ir_text(const bf_ir *ir)
{
  size_t cap = ir->n * 48 + 1;
  char *s = malloc(cap), *p = s;
  *s = '\0';
  for (size_t i = 0; i < ir->n; i++) {
    const bf_op *o = &ir->ops[i];
    const char *name = bf_op_name(o->op);
    long long v = ir_signed(o->val, ir->cell_bits);
    if (i)
      *p++ = ' ';
    p += sprintf(p, "%s", name);
    if ((o->op == BF_IF || o->op == BF_LOOP || o->op == BF_END) && o->off)
      p += sprintf(p, "@%d", (int)o->off);
    if (o->op == BF_SCAN && bf_scan_at(o))
      p += sprintf(p, "@%d", (int)bf_scan_at(o));
    switch (o->op) {
    case BF_ADD: case BF_SET: case BF_MUL:
      p += sprintf(p, "@%d=%lld", (int)o->off, v);
      if (o->op == BF_MUL && bf_mul_src(o))
        p += sprintf(p, "*@%d", (int)bf_mul_src(o));
      break;
    case BF_IN: case BF_OUT:
      p += sprintf(p, "@%d", (int)o->off);
      break;
    case BF_MOVE: case BF_SCAN:
      p += sprintf(p, "=%d", (int)o->off);
      break;
    case BF_PUT:
      p += sprintf(p, "=%u", (unsigned)o->val);
      break;
    case BF_IF:
      p += sprintf(p, "=%u", (unsigned)o->val);
      break;
    default:
      break;
    }
  }
  return s;
}

/* Parses 'src' at 'bits' into '*ir' (which the caller frees with
** bf_ir_free); fails the test on a parse error. */
static inline void ir_parse(const char *src, unsigned bits, bf_ir *ir)
{
  bf_srcmap map;
  bfjit_error err;
  *ir = (bf_ir){ .cell_bits = bits };
  int r = bf_parse((const uint8_t *)src, strlen(src), ir, &map, &err);
  if (r) {
    print_error("parse of \"%s\" failed: %s\n", src, err.message);
    fail();
  }
  bf_srcmap_free(&map);
}

/* Asserts that 'ir' reads as 'want'. */
#define assert_ir(ir, want) do { \
    char *got_ = ir_text(ir); \
    if (strcmp(got_, (want)) != 0) { \
      print_error("IR mismatch\n  want: %s\n  got:  %s\n", (want), got_); \
      free(got_); \
      fail(); \
    } \
    free(got_); \
  } while (0)

#endif
