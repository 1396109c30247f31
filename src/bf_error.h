/*
** bf_error.h — filling the public 'bfjit_error' from inside the library.
*/
#ifndef BF_ERROR_H
#define BF_ERROR_H

#include "bfjit.h"

struct bf_srcmap;

/* Sets status and a printf-style message (no position); always returns -1 so
** callers can 'return bf_error_set(...)'. 'err' may be NULL. */
int bf_error_set(bfjit_error *err, bfjit_status status, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Adds the line and column of source byte offset 'off'. */
void bf_error_at(bfjit_error *err, const struct bf_srcmap *map, uint32_t off);

#endif
