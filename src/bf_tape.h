/*
** bf_tape.h — the tape: one reservation that never moves, with inaccessible
** guard regions on both sides.
*/
#ifndef BF_TAPE_H
#define BF_TAPE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of PROT_NONE on each side of the tape. Compiled code checks its
** ranges before touching cells, so the guards are the second line: a bug
** there faults instead of corrupting memory. */
#define BF_TAPE_GUARD (1u << 16)

/* The smallest tape a run may have (bfjit_options): cells 0 .. 29999 are on
** every tape, which the optimizer may count on. */
#define BF_TAPE_MIN_CELLS 30000

typedef struct bf_tape {
  uint8_t *base;  /* the whole mapping, guards included */
  size_t size;
  uint8_t *cells; /* cell 0 */
  size_t bytes;   /* cells * cell width */
} bf_tape;

/* Maps a zeroed tape of 'cells' cells of 'width' bytes. The kernel commits
** pages as they are first touched, so a huge limit costs only address space
** (MAP_NORESERVE) and the tape grows to the right on demand without ever
** moving. Returns 0, or -1 (errno set) when the mapping fails. */
int bf_tape_open(bf_tape *t, size_t cells, unsigned width);

/* Unmaps the tape. */
void bf_tape_close(bf_tape *t);

#endif
