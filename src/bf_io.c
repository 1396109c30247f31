/*
** bf_io.c — buffered program I/O, the runtime every tier calls into.
*/
#include <errno.h>

#include "bf_state.h"
#include "bf_param.h"

static int fail(bf_state *st, int reading)
{
  st->status = BFJIT_ERR_IO;
  st->err_errno = errno;
  st->err_reading = reading;
  return -1;
}

int bf_io_flush(bf_state *st)
{
  if (st->out_len == 0)
    return 0;
  uint32_t n = st->out_len;
  st->out_len = 0;
  errno = 0;  /* a callback that fails without errno must not look like one that set it */
  if (st->io->write(st->io->ctx, st->out, n) != 0)
    return fail(st, 0);
  return 0;
}

int bf_io_put(bf_state *st, uint32_t v)
{
  if (st->out_len == st->out_cap && bf_io_flush(st))
    return -1;
  st->out[st->out_len++] = (uint8_t)v;
  return 0;
}

int64_t bf_io_get(bf_state *st, uint32_t old)
{
  if (st->in_pos == st->in_len && !st->in_eof) {
    /* An interactive program must show its prompt before it waits. */
    if (bf_io_flush(st))
      return -1;
    errno = 0;
    long n = st->io->read(st->io->ctx, st->in, BF_P_in_bytes);
    if (n < 0)
      return fail(st, 1);
    st->in_pos = 0;
    st->in_len = n > BF_P_in_bytes ? BF_P_in_bytes : (uint32_t)n;
    st->in_eof = n == 0;
  }
  if (st->in_pos < st->in_len)
    return st->in[st->in_pos++];
  switch (st->eof_mode) {
  case BFJIT_EOF_ZERO: return 0;
  case BFJIT_EOF_MINUS_ONE: return st->cell_mask;
  default: return old & st->cell_mask;
  }
}
