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

#include "dasm_proto.h"

#endif
