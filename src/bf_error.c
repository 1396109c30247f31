/*
** bf_error.c — status names, the message table (bf_errmsg.h) and error
** filling. The library never prints: this is where a failure becomes data
** for the caller.
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

const char *bf_error_text(bf_errmsg msg)
{
  static const char *const text[] = {
#define BF_ERRTEXT(name, rt, t) t,
    BF_ERRDEF(BF_ERRTEXT)
#undef BF_ERRTEXT
  };
  return text[msg];
}

int bf_error_set(bfjit_error *err, bfjit_status status, bf_errmsg msg, ...)
{
  if (err) {
    va_list ap;
    err->status = status;
    err->line = err->column = 0;
    va_start(ap, msg);
    vsnprintf(err->message, sizeof err->message, bf_error_text(msg), ap);
    va_end(ap);
  }
  return -1;
}

void bf_error_at(bfjit_error *err, const bf_srcmap *map, uint32_t off)
{
  if (err)
    bf_srcmap_pos(map, off, &err->line, &err->column);
}
