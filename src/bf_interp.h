/*
** bf_interp.h — tier 0: the profiling interpreter.
*/
#ifndef BF_INTERP_H
#define BF_INTERP_H

#include "bf_program.h"
#include "bf_state.h"

/* Interprets 'prog' from op index 'pc' until HALT. Returns 0, or -1 with
** 'st->status' (and for a tape error 'err_src'/'err_cell') set. Makes the
** program's threaded code on first use; every access is bounds-checked. */
int bf_interp_run(bfjit_program *prog, bf_state *st, uint32_t pc);

/* -- Compile-time evaluation (bf_eval.c drives it) ------------------------ */

/* Why an evaluation stopped, and how --stats says it. */
#define BF_EVAL_STOPS(_) \
  _(END,    "end") /* the program ended (HALT) */ \
  _(INPUT,  "input") /* before the first ',' */ \
  _(BUDGET, "budget") /* before a back edge past the op budget */ \
  _(HOT,    "hot loop") /* before the back edge that makes a loop hot */ \
  _(OUTPUT, "output limit") /* before an output byte past the buffer */ \
  _(TAPE,   "tape window") /* before a touch off the window (or the tape) */ \
  _(STEPS,  "step limit") /* before the back edge --max-steps forbids */

typedef enum bf_eval_stop {
#define BF_EVALENUM(name, text) BF_EVAL_##name,
  BF_EVAL_STOPS(BF_EVALENUM)
#undef BF_EVALENUM
} bf_eval_stop;

/* What the evaluator gets and gives back, beyond the 'bf_state' it runs
** in: its own threaded code and budget in, where and why it stopped out. */
typedef struct bf_eval_ctx {
  const void *code;      /* threaded code for the evaluator's handlers */
  const uint32_t *cost;  /* per loop id, the ops an iteration runs: its body
                            less the loops in it, which count their own */
  uint64_t fuel;         /* in: ops it may run (a back edge costs the ops of
                            its body outside inner loops); out: what is left */
  const uint64_t *hot;   /* in: per loop id, the count whose back edge it
                            must not take (the loop is hot then) */
  uint32_t pc;           /* out: the op it stopped before (HALT: done) */
  int why;               /* out: bf_eval_stop */
} bf_eval_ctx;

/* Runs 'prog' from its start as the interpreter would, without compiled
** code, tiering or I/O: 'st' holds the tape (the evaluation's window), the
** step counter and an output buffer it stops at rather than flush. It stops
** before the first op that would read input, err, take a back edge past
** the fuel, the step limit or the loop's 'hot' count, or overflow the
** buffer, so the run can start
** at 'ev->pc' from the state left in 'st'. Bumps the loops' counts as the
** interpreter does. Returns 0, or -1 when memory for its code ran out. */
int bf_interp_eval(bfjit_program *prog, bf_state *st, bf_eval_ctx *ev);

/* Releases the threaded code. */
void bf_interp_free(bfjit_program *prog);

#endif
