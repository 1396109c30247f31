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

/* Releases the threaded code. */
void bf_interp_free(bfjit_program *prog);

#endif
