/*
** bf_mcode.h — executable memory, and nothing else. Code is written into a
** read-write mapping, which is then made read-execute: no page is ever
** writable and executable at the same time (W^X).
*/
#ifndef BF_MCODE_H
#define BF_MCODE_H

#include <stddef.h>

typedef struct bf_mcode {
  void *base;   /* page-aligned mapping */
  size_t size;  /* mapped bytes (whole pages) */
} bf_mcode;

/* Maps at least 'size' bytes read-write for the encoder. Returns 0, or -1
** (errno set). */
int bf_mcode_map(bf_mcode *m, size_t size);

/* Makes the mapping read-execute (and flushes the instruction cache where
** the architecture needs it). Returns 0, or -1 (errno set). */
int bf_mcode_seal(bf_mcode *m);

/* Makes a sealed mapping read-write again, to add code after what it holds;
** none of its code may run until it is sealed again. Returns 0, or -1. */
int bf_mcode_unseal(bf_mcode *m);

/* Unmaps it; a zeroed 'bf_mcode' is fine. */
void bf_mcode_unmap(bf_mcode *m);

#endif
