/*
** bf_ir.h — the intermediate representation every tier walks.
**
** A program is one flat array of 'bf_op'. Every operand is addressed as an
** offset from the current cell pointer 'p', so a straight run of +-<> needs no
** pointer update until its end, and a loop's test too, so a loop's moves are
** one MOVE before its END. Loops are a LOOP/END pair that know each other.
*/
#ifndef BF_IR_H
#define BF_IR_H

#include <stddef.h>
#include <stdint.h>

/* The op table: one line an op, with what it does. Cells wrap at the cell
** width; 'c(k)' is the cell at p+k. "Touches" means reads or writes: touching a
** cell off the tape is the one tape error (moving 'p' alone never is). */
#define BF_OPS(_) \
  _(ADD,  "c(off) += val") \
  _(SET,  "c(off) = val") \
  _(MUL,  "c(off) += c(aux) * val (aux read as a signed offset)") \
  _(MOVE, "p += off") \
  _(IN,   "c(off) = next input byte (EOF per options)") \
  _(OUT,  "output c(off) & 0xff") \
  _(PUT,  "output val (a cell's value the optimizer knew); touches nothing") \
  _(LOOP, "if c(off) == 0 goto aux+1; val = loop id") \
  _(END,  "if c(off) != 0 goto aux+1 (after the LOOP); val = loop id") \
  _(IF,   "if c(off) == 0 goto aux; val = body length (a linear loop, run once)") \
  _(SCAN, "while c(aux) != 0: p += off; val = source offset of the ']'") \
  _(HALT, "end of program")

typedef enum bf_opcode {
#define BF_OPENUM(name, doc) BF_##name,
  BF_OPS(BF_OPENUM)
#undef BF_OPENUM
  BF__NOPS
} bf_opcode;

/* Ops in a program at most: op indices leave the top bit of a uint32_t free
** (compiled code's BF_RESUME_CHECKED). Memory runs out long before. */
#define BF_IR_OPS_MAX (UINT32_C(1) << 31)

typedef struct bf_op {
  uint8_t op;    /* bf_opcode */
  int32_t off;   /* cell offset from p (MOVE, SCAN: the stride) */
  uint32_t val;  /* constant, already reduced to the cell width */
  uint32_t aux;  /* LOOP/END: index of the partner; IF: index after the body;
                    MUL: the offset of the cell it reads, SCAN: of the cell
                    it tests (int32_t) */
  uint32_t src;  /* byte offset of the first command here that touches a cell */
} bf_op;

/* A growable op array. 'nloops' counts LOOP ops; loop ids are 0..nloops-1. */
typedef struct bf_ir {
  bf_op *ops;
  size_t n, cap;
  uint32_t nloops;
  unsigned cell_bits;  /* 8, 16 or 32: passes reduce constants to it */
} bf_ir;

/* The cell a MUL reads, as an offset from p. */
static inline int32_t bf_mul_src(const bf_op *o)
{
  return (int32_t)o->aux;
}

/* The cell a SCAN tests, as an offset from p. */
static inline int32_t bf_scan_at(const bf_op *o)
{
  return (int32_t)o->aux;
}

/* The name of an opcode ("ADD", ...). */
const char *bf_op_name(unsigned op);

/* Appends one op; returns 0, or -1 when memory runs out (the IR is kept). */
int bf_ir_push(bf_ir *ir, bf_opcode op, int32_t off, uint32_t val, uint32_t src);

/* Matches every LOOP with its END, points IF at the op after its body and
** numbers the loops in order. Passes call it after rewriting the array; it
** is linear and needs the array to be balanced already. */
void bf_ir_link(bf_ir *ir);

/* The mask of a cell: 0xff, 0xffff or 0xffffffff. */
static inline uint32_t bf_cell_mask(unsigned cell_bits)
{
  return cell_bits >= 32 ? 0xffffffffu : (1u << cell_bits) - 1u;
}

/* Gives back the capacity past the last op (when the passes are done). */
void bf_ir_shrink(bf_ir *ir);

void bf_ir_free(bf_ir *ir);

#endif
