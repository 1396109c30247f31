/*
** bf_state.h — the whole state of one run, shared by every tier.
**
** A Brainfuck program's state is its tape, one pointer and the I/O position:
** nothing else. That is what makes a loop head a perfect hand-over point
** between the interpreter and compiled code (on-stack replacement): 'p' and
** the tape go across, and an op index says where to resume.
** Compiled code reads the fields below at fixed offsets: keep them in sync
** with the back ends (they use offsetof, never literal numbers).
*/
#ifndef BF_STATE_H
#define BF_STATE_H

#include <stdint.h>

#include "bfjit.h"

typedef struct bf_state {
  uint8_t *p;         /* current cell (a byte address, whatever the width) */
  uint8_t *tape;      /* cell 0 */
  uint8_t *tape_end;  /* one past the last cell the limit allows */
  uint64_t steps;     /* loop iterations left before the step limit */
  /* Output is buffered here and handed to 'io->write' when full, before a
  ** read, and at the end. */
  uint8_t *out;
  uint32_t out_len, out_cap;
  /* Input is read ahead into its own buffer. */
  uint8_t *in;
  uint32_t in_pos, in_len;
  int in_eof;         /* 'io->read' said end of input */
  unsigned eof_mode;  /* bfjit_eof */
  uint32_t cell_mask;
  const bfjit_io *io;
  /* Why the run stopped early, and where (source byte offset). */
  bfjit_status status;
  uint32_t err_src;
  int64_t err_cell;   /* a tape error's cell index */
  int err_errno;      /* an I/O error's errno, or 0 */
  int err_reading;    /* an I/O error happened reading (else writing) */
} bf_state;

/* What compiled code returns instead of an op index to resume at when the
** run must end ('status' says why). */
#define BF_RESUME_STOP UINT32_MAX

/* Or BF_RESUME_CHECKED | i: a hoisted range check before op 'i' failed, and
** the checked version of its segment is not compiled yet (bf_jit.h). */
#define BF_RESUME_CHECKED (UINT32_C(1) << 31)

/* -- I/O runtime (bf_io.c), called by every tier ------------------------- */

/* Appends byte 'v' to the output. Returns 0, or -1 with 'status' set. */
int bf_io_put(bf_state *st, uint32_t v);

/* The value ',' stores into a cell holding 'old': the next input byte, or
** what the EOF mode says at end of input. Flushes output first. Returns the
** value (0 .. cell_mask), or -1 with 'status' set when reading failed. */
int64_t bf_io_get(bf_state *st, uint32_t old);

/* Hands buffered output to the writer. Returns 0, or -1 with 'status' set. */
int bf_io_flush(bf_state *st);

#endif
