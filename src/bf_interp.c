/*
** bf_interp.c — tier 0, the profiling interpreter: direct-threaded code made
** from the IR, one dispatch loop per cell width (bf_interp_loop.h).
*/
#define _GNU_SOURCE  /* memrchr */
#include <stdlib.h>
#include <string.h>

#include "bf_interp.h"
#include "bf_tier.h"

/* One threaded instruction: the handler's address, then the op's operands. */
typedef struct bf_tins {
  const void *lbl;
  int32_t off;
  uint32_t val;
  uint32_t aux;
  uint32_t src;
} bf_tins;

#define EVAL 0
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
#undef EVAL

/* The evaluator: the same loops, stopping where the run must go on. */
#define EVAL 1
#define CELL uint8_t
#define INTERP eval8
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP

#define CELL uint16_t
#define INTERP eval16
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP

#define CELL uint32_t
#define INTERP eval32
#include "bf_interp_loop.h"
#undef CELL
#undef INTERP
#undef EVAL

typedef int (*interp_fn)(bfjit_program *, bf_state *, uint32_t,
                         const void *const **, bf_eval_ctx *);

static interp_fn for_width(unsigned cell_bits, int eval)
{
  if (eval)
    return cell_bits == 8 ? eval8 : cell_bits == 16 ? eval16 : eval32;
  return cell_bits == 8 ? interp8 : cell_bits == 16 ? interp16 : interp32;
}

/* Translates the IR into threaded code for the handlers of 'fn'. Returns
** the code (the caller frees it), or NULL when memory ran out. */
static bf_tins *thread(const bfjit_program *prog, interp_fn fn)
{
  const void *const *labels;
  fn((bfjit_program *)prog, NULL, 0, &labels, NULL);
  bf_tins *code = malloc(prog->ir.n * sizeof *code);
  if (!code)
    return NULL;
  for (size_t i = 0; i < prog->ir.n; i++) {
    const bf_op *o = &prog->ir.ops[i];
    code[i] = (bf_tins){ labels[o->op], o->off, o->val, o->aux, o->src };
  }
  return code;
}

int bf_interp_run(bfjit_program *prog, bf_state *st, uint32_t pc)
{
  interp_fn fn = for_width(prog->opt.cell_bits, 0);
  if (!prog->threaded && !(prog->threaded = thread(prog, fn))) {
    st->status = BFJIT_ERR_NOMEM;
    return -1;
  }
  return fn(prog, st, pc, NULL, NULL);
}

int bf_interp_eval(bfjit_program *prog, bf_state *st, bf_eval_ctx *ev)
{
  interp_fn fn = for_width(prog->opt.cell_bits, 1);
  bf_tins *code = thread(prog, fn);
  size_t nl = prog->ir.nloops ? prog->ir.nloops : 1;
  uint64_t *saved = malloc(nl * sizeof *saved);
  uint32_t *cost = malloc(nl * sizeof *cost);
  size_t *inner = malloc((nl + 1) * sizeof *inner);
  if (!code || !saved || !cost || !inner) {
    free(code);
    free(saved);
    free(cost);
    free(inner);
    return -1;
  }
  /* What the END handler needs at hand: the ops an iteration runs, and the
  ** hot counts as the loops' triggers for as long as the evaluation runs.
  ** 'inner[d]': the ops of the loops nested directly in the open loop at
  ** depth d. */
  size_t depth = 0;
  inner[0] = 0;
  for (size_t i = 0; i < prog->ir.n; i++)
    if (prog->ir.ops[i].op == BF_LOOP) {
      inner[++depth] = 0;
    } else if (prog->ir.ops[i].op == BF_END) {
      size_t len = i - prog->ir.ops[i].aux, own = len - inner[depth--];
      cost[prog->ir.ops[i].val] = (uint32_t)(own < UINT32_MAX ? own : UINT32_MAX);
      inner[depth] += len + 1;
    }
  free(inner);
  for (uint32_t id = 0; id < prog->ir.nloops; id++) {
    saved[id] = prog->loops[id].trigger;
    prog->loops[id].trigger = ev->hot[id];
  }
  ev->code = code;
  ev->cost = cost;
  fn(prog, st, 0, NULL, ev);
  for (uint32_t id = 0; id < prog->ir.nloops; id++)
    prog->loops[id].trigger = saved[id];
  free(saved);
  free(cost);
  free(code);
  ev->code = NULL;
  ev->cost = NULL;
  return 0;
}

void bf_interp_free(bfjit_program *prog)
{
  free(prog->threaded);
  prog->threaded = NULL;
}
