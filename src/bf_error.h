/*
** bf_error.h — filling the public 'bfjit_error' from inside the library.
*/
#ifndef BF_ERROR_H
#define BF_ERROR_H

#include "bfjit.h"
#include "bf_errmsg.h"

struct bf_srcmap;

/* Sets status and message 'msg' (bf_errmsg.h), its format filled in with
** the arguments that follow (no position); always returns -1 so callers can
** 'return bf_error_set(...)'. 'err' may be NULL. The compiler cannot check
** those arguments against a format in a table: tests/test_errmsg.sh does,
** by compiling every call with the text in its place. */
int bf_error_set(bfjit_error *err, bfjit_status status, bf_errmsg msg, ...);

/* The format of message 'msg', for a message that is part of another. */
const char *bf_error_text(bf_errmsg msg);

/* Adds the line and column of source byte offset 'off'. */
void bf_error_at(bfjit_error *err, const struct bf_srcmap *map, uint32_t off);

#endif
