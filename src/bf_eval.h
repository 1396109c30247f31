/*
** bf_eval.h — compile-time evaluation: the program's input-free prefix runs
** once, in the interpreter, before the first run; every run then starts
** from the state it left (the program's 'bf_snap').
*/
#ifndef BF_EVAL_H
#define BF_EVAL_H

#include "bf_program.h"
#include "bf_state.h"

/* Makes 'prog->snap' once (later calls return at once): with the EVAL pass
** on, runs the program from its start within the budget (bf_eval.c) and
** keeps where it stopped; otherwise, or when memory runs short, leaves the
** snapshot blank. Never fails: evaluation only saves time. It depends on
** the program and its options alone, so every run starts from the same
** state. */
void bf_eval_make(bfjit_program *prog);

/* Puts a fresh run 'st' (blank tape, empty output buffer) where the
** snapshot is: the prefix's output handed to the writer as the run would
** have (whole buffers flushed, the rest left buffered), its tape copied, 'p'
** and the step counter set. The run then goes on at 'prog->snap.pc'.
** Returns 0, or -1 with 'st->status' set when writing failed. */
int bf_eval_restore(const bfjit_program *prog, bf_state *st);

/* For the C back end: evaluates 'prog' anew, without the hot-loop stop
** and with a budget of 2^24 ops (an executable runs many times), leaving
** 'prog' as it is. Returns 1 when that ran the whole program, with its
** output in '*out' (malloc'd, '*len' bytes; NULL when none); 0 when it
** did not get there or the EVAL pass is off; -1 when memory ran out. */
int bf_eval_whole(const bfjit_program *prog, uint8_t **out, size_t *len);

/* Releases the snapshot. */
void bf_eval_free(bfjit_program *prog);

#endif
