/*
** bf_dasm.h — the glue between bfjit and DynASM, in one place: its state
** lives in 'bf_jit', its memory failures abort the compile instead of
** exiting the process, and its checks stay on in release builds.
*/
#ifndef BF_DASM_H
#define BF_DASM_H

#include <stdlib.h>

#include "bf_backend.h"

/* One back end is built at a time; its DynASM functions are shared with
** bf_jit.c but hidden from the library's users. */
#define DASM_FDEF __attribute__((visibility("hidden")))
#define DASM_CHECKS 1
/* DynASM's default grows with realloc and calls exit(1) on failure: a
** library may not. 'ctx' is &J->D, which is also the address of 'J'. */
#define DASM_M_GROW(ctx, t, p, sz, need) \
  do { \
    size_t _sz = (sz), _need = (need); \
    if (_sz < _need) { \
      if (_sz < 16) _sz = 16; \
      while (_sz < _need) _sz += _sz; \
      void *_np = realloc((p), _sz); \
      if (!_np) longjmp(((bf_jit *)(void *)(ctx))->oom, 1); \
      (p) = (t *)_np; \
      (sz) = _sz; \
    } \
  } while (0)
#define DASM_M_FREE(ctx, p, sz) free(p)

/* Sizes the section's buffer for the actions of 'nop' ops up front, after
** dasm_setup and before the first dasm_put: DynASM grows it from nothing
** by doubling, a copy each time (a region takes about 20 to 120 bytes an
** op, plus its trampoline and stubs; more is only address space). The
** fields are DynASM's own, as dasm_put sets them, alike in every
** dasm_<arch>.h; the back end that includes one expands this. */
#define BF_DASM_RESERVE_OP 128
#define BF_DASM_RESERVE(Dst, nop) \
  do { \
    dasm_Section *_s = (*(Dst))->section; \
    DASM_M_GROW(Dst, int, _s->buf, _s->bsize, \
                4096 + (size_t)(nop) * BF_DASM_RESERVE_OP); \
    _s->rbuf = _s->buf - DASM_POS2BIAS(_s->pos); \
    _s->epos = (int)(_s->bsize / sizeof(int)) - DASM_MAXSECPOS + DASM_POS2BIAS(_s->pos); \
  } while (0)

#include "dasm_proto.h"

#endif
