/*
** bf_error.c — status names and error filling. The library never prints:
** this is where a failure becomes data for the caller.
*/
#include <stdarg.h>
#include <stdio.h>

#include "bf_error.h"
#include "bf_srcmap.h"

const char *bfjit_status_name(bfjit_status s)
{
  static const char *const names[] = {
    [BFJIT_OK] = "ok",
    [BFJIT_ERR_PARSE] = "parse error",
    [BFJIT_ERR_TAPE] = "tape error",
    [BFJIT_ERR_STEPS] = "step limit",
    [BFJIT_ERR_IO] = "I/O error",
    [BFJIT_ERR_NOMEM] = "out of memory",
    [BFJIT_ERR_ARG] = "bad argument",
    [BFJIT_ERR_CACHE] = "cache warning",
    [BFJIT_ERR_BUILD] = "build error",
  };
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

int bf_error_set(bfjit_error *err, bfjit_status status, const char *fmt, ...)
{
  if (err) {
    va_list ap;
    err->status = status;
    err->line = err->column = 0;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return -1;
}

void bf_error_at(bfjit_error *err, const bf_srcmap *map, uint32_t off)
{
  if (err)
    bf_srcmap_pos(map, off, &err->line, &err->column);
}
