/*
** bf_interp.c — tier 0, the profiling interpreter: direct-threaded code made
** from the IR, one dispatch loop per cell width (bf_interp_loop.h).
*/
#define _GNU_SOURCE  /* memrchr */
#include <stdlib.h>
#include <string.h>

#include "bf_interp.h"
#include "bf_jit.h"
#include "bf_tier.h"

/* One threaded instruction: the handler's address, then the op's operands. */
typedef struct bf_tins {
  const void *lbl;
  int32_t off;
  uint32_t val;
  uint32_t aux;
  uint32_t src;
} bf_tins;

#define CELL uint8_t
#define INTERP interp8
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP

#define CELL uint16_t
#define INTERP interp16
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP

#define CELL uint32_t
#define INTERP interp32
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP

typedef int (*interp_fn)(bfjit_program *, bf_state *, uint32_t,
                         const void *const **);

static interp_fn for_width(unsigned cell_bits)
{
  return cell_bits == 8 ? interp8 : cell_bits == 16 ? interp16 : interp32;
}

/* Translates the IR into threaded code for this width's handlers. */
static int thread(bfjit_program *prog, interp_fn fn)
{
  const void *const *labels;
  fn(prog, NULL, 0, &labels);
  bf_tins *code = malloc(prog->ir.n * sizeof *code);
  if (!code)
    return -1;
  for (size_t i = 0; i < prog->ir.n; i++) {
    const bf_op *o = &prog->ir.ops[i];
    code[i] = (bf_tins){ labels[o->op], o->off, o->val, o->aux, o->src };
  }
  prog->threaded = code;
  return 0;
}

int bf_interp_run(bfjit_program *prog, bf_state *st, uint32_t pc)
{
  interp_fn fn = for_width(prog->opt.cell_bits);
  if (!prog->threaded && thread(prog, fn)) {
    st->status = BFJIT_ERR_NOMEM;
    return -1;
  }
  return fn(prog, st, pc, NULL);
}

void bf_interp_free(bfjit_program *prog)
{
  free(prog->threaded);
  prog->threaded = NULL;
}
