/*
** bf_tier.h — the tiering controller: decides what runs where, compiles
** hot loops, installs their code and enters it from the interpreter.
*/
#ifndef BF_TIER_H
#define BF_TIER_H

#include "bf_program.h"
#include "bf_state.h"

/* Runs 'prog' in the mode its options say, from where its snapshot says
** ('st' put there by bf_eval_restore; op 0 without one). Returns 0, or -1
** with 'st->status' set. */
int bf_tier_run(bfjit_program *prog, bf_state *st);

/* Compiles loop 'id' now (with the loops inside it, and the loops around
** it worth taking in) and installs the code, or, when it cannot be
** compiled, stops asking: either way its trigger is moved out of the way.
** Returns 1 when the loop has code now. The cache uses it for loops known
** to be hot. */
int bf_tier_compile_loop(bfjit_program *prog, uint32_t id);

/* Called by the interpreter when loop 'id' crossed its trigger: as
** bf_tier_compile_loop, or with a background compiler, queues the compile
** and returns 0 until the code is there (it is then asked again every few
** dozen iterations). */
int bf_tier_hot(bfjit_program *prog, uint32_t id);

/* Enters compiled code for loop 'id' with 'st' (p and steps current) and
** returns the op index to resume at, or BF_RESUME_STOP. */
uint32_t bf_tier_enter(bfjit_program *prog, bf_state *st, uint32_t id);

/* Compiles the whole program once (later calls reuse it). Returns 0, or -1
** when it could not be compiled (the reason is in the stats). */
int bf_tier_compile_all(bfjit_program *prog);

/* How many more back edges loop 'id' runs interpreted before it is
** compiled: --hot, or fewer when its body is long (about --hot x 8 ops);
** UINT64_MAX outside tiered mode. */
uint64_t bf_tier_budget(const bfjit_program *prog, uint32_t id);

/* The same count in any mode: when compiling loop 'id' pays (--hot, or
** about --hot x 8 ops of its body). Evaluation stops there. */
uint64_t bf_tier_hot_budget(const bfjit_program *prog, uint32_t id);

/* Seconds on a monotonic clock. */
double bf_clock(void);

/* Starts the background compiler when the options ask for one. Returns 0,
** or -1 when the thread could not be started (compiles then happen in
** place). */
int bf_tier_start(bfjit_program *prog);

/* Stops the background compiler and releases every compiled region. */
void bf_tier_free(bfjit_program *prog);

#endif
