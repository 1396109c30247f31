/*
** bf_program.h — what a compiled 'bfjit_program' holds: the optimized IR,
** the source map for positions, the per-loop profile, and each tier's state.
*/
#ifndef BF_PROGRAM_H
#define BF_PROGRAM_H

#include "bfjit.h"
#include "bf_ir.h"
#include "bf_srcmap.h"

/* The profile of one loop, indexed by loop id. The interpreter bumps 'count'
** at every back edge it takes and calls the tiering hook once 'count'
** reaches 'trigger', so an idle loop costs one add and one compare. */
typedef struct bf_loop {
  uint64_t count;    /* back edges taken by the interpreter, over all runs */
  uint64_t trigger;  /* count at which the interpreter asks for attention */
  uint32_t head;     /* op index of its LOOP */
  uint32_t parent;   /* id of the loop around it, or UINT32_MAX */
  uint8_t job;       /* background compile of the region it heads: JOB_* */
} bf_loop;

enum { JOB_NONE, JOB_PENDING, JOB_FAILED };

struct bf_region;

/* Where every run starts: the state the program's input-free prefix left,
** evaluated once before the first run (bf_eval.c). All zero: at op 0 on a
** blank tape, nothing evaluated. */
typedef struct bf_snap {
  int made;            /* the evaluation was done (or skipped): it never repeats */
  int done;            /* it ran the whole program: runs only write its output */
  uint32_t pc;         /* the op the run starts at */
  int64_t p;           /* the cell pointer, in bytes from cell 0 (any value:
                          moving off the tape is no error) */
  uint8_t *cells;      /* the tape's nonzero stretch, 'cells_len' bytes ... */
  size_t cells_at, cells_len;  /* ... starting 'cells_at' bytes from cell 0 */
  uint8_t *out;        /* output the prefix made, which every run writes first */
  size_t out_len;
  uint64_t steps;      /* loop iterations (back edges) the prefix took */
  uint32_t *around;    /* the loops around 'pc', innermost first: compiled
                          code for them is entered at their next back edge */
  uint32_t naround;
} bf_snap;

/* Compiled code for a loop head, if any: where to jump, and the region that
** holds it (whose trampoline makes the jump). */
typedef struct bf_entry {
  const void *code;
  struct bf_region *region;
} bf_entry;

struct bfjit_program {
  bfjit_options opt;
  bf_ir ir;            /* optimized, linked, ends in HALT */
  bf_srcmap map;
  bf_loop *loops;      /* ir.nloops entries */
  void *threaded;      /* the interpreter's direct-threaded code, made at first run */
  bf_entry *entry;     /* ir.nloops entries: tier 1 code per loop head */
  struct bf_region *regions;  /* every live compiled region */
  struct bf_region *whole;    /* --jit: the region of the whole program */
  int whole_tried;            /* --jit: compiling it was attempted */
  bfjit_stats stats;
  uint64_t text_hash;         /* keys the persistent profile */
  struct bf_worker *worker;   /* the background compiler, when asked for */
  bf_snap snap;               /* where runs start (compile-time evaluation) */
};

#endif
