/*
** bf_jit.h — tier 1 as tiering sees it: what a compiled region is, how to
** make one, and why one could not be made. What a back end gets to make
** it is in bf_backend.h.
**
** A region is a run of ops [first, end): one whole loop (with the loops in
** it) or the whole program. Its code is entered through a trampoline at any
** of its loop heads, with the run's 'bf_state', and returns the index of
** the op where the interpreter must resume (or BF_RESUME_STOP when the run
** must end, 'st->status' saying why). That is on-stack replacement both ways.
**
** A region's code is its fast version (bf_plan.h). The checked version of a
** segment is compiled when the segment's hoisted check first fails: the
** check jumps through the region's slot for it, which leads out of the code
** with BF_RESUME_CHECKED until 'bf_jit_checked' has filled it; the caller
** compiles and enters it then. Most segments never need one.
*/
#ifndef BF_JIT_H
#define BF_JIT_H

#include "bf_mcode.h"
#include "bf_program.h"
#include "bf_state.h"

/* Why a region could not be compiled: the run goes on interpreted. */
#define BF_ABORTS(_) \
  _(OK,      "compiled") \
  _(NOJIT,   "no JIT back end for " BF_ARCH_NAME) \
  _(NOMEM,   "out of memory") \
  _(RANGE,   "a cell offset is too far for one instruction") \
  _(DASM,    "the assembler failed") \
  _(MMAP,    "executable memory could not be mapped or sealed") \
  _(LIMIT,   "the region alone is over the code memory limit") \
  _(SIZE,    "the region has too many ops for one assembly")

typedef enum bf_abort {
#define BF_ABORTENUM(name, text) BF_ABORT_##name,
  BF_ABORTS(BF_ABORTENUM)
#undef BF_ABORTENUM
} bf_abort;

const char *bf_abort_text(bf_abort a);

/* Loads registers from 'st', jumps to 'target' (a loop head of the region),
** and returns the resume op index with 'st->p' and 'st->steps' stored back. */
typedef uint32_t (*bf_jit_fn)(bf_state *st, const void *target);

/* The checked version of one segment: its own code, which jumps into the
** fast version of its region at the next check point. */
typedef struct bf_checked {
  const void *code;   /* in one of its region's chk_map */
  size_t code_size;   /* bytes of machine code */
  uint32_t cp, n;     /* region ops cp .. cp+n-1: the segment */
  uint32_t *op_ofs;   /* n + 1: op cp+j starts at op_ofs[j] (UINT32_MAX unless
                         bf_jit_labelled); op_ofs[n]: its stubs */
} bf_checked;

typedef struct bf_region {
  bf_mcode mcode;
  bf_jit_fn enter;         /* the trampoline */
  const void *start;       /* code for op 'first' */
  const void **entry;      /* entry[id - loop0]: code for loop 'id''s head */
  uint32_t first, end;     /* the ops it covers */
  uint32_t loop0, nloops;  /* the loop ids it covers */
  size_t code_size;        /* bytes of machine code */
  uint32_t *op_ofs;        /* n + 1 code offsets: op first+k starts at op_ofs[k]
                              (UINT32_MAX unless bf_jit_labelled: a jump
                              target, or any op when 'listed'); op_ofs[n]:
                              the stubs */
  int listed;              /* compiled for a listing: every op has its offset */
  struct bf_plan *plan;    /* its check plan, kept for the checked versions */
  uint32_t nchk;           /* segments with a checked version (bf_plan_versioned) */
  uint32_t *chk_cp;        /* nchk: their check points as region ops, ascending */
  const void **chk_slot;   /* nchk: where each one's failed check jumps */
  const void *leave;       /* the way out, where a slot points until then */
  bf_checked **chk;        /* nchk: each one's checked version, or NULL */
  bf_mcode *chk_map;       /* nchk_map mappings that hold them, packed, */
  uint32_t nchk_map;
  size_t chk_fill;         /* the last one filled this far */
  size_t chk_bytes;        /* mapped bytes of those (whole pages) */
  struct bf_region *next;  /* the program's list of live regions ... */
  struct bf_region **pprev;/* ... and what points at this one, to unlink it */
  uint32_t live;           /* loop entries pointing into it; 0: it can go */
  uint64_t last_use;       /* the program's entry count when last entered */
} bf_region;

/* Compiles ops [first, end) of 'prog' ('first' a LOOP and 'end' one past
** its END, or 0 and the op count); with 'list', for a listing, where every
** op's offset is known (and in its checked versions). Returns BF_ABORT_OK
** with '*out' owned by the caller (free with 'bf_region_free'), or why it
** could not. */
bf_abort bf_jit_compile(const bfjit_program *prog, uint32_t first, uint32_t end,
                        int list, bf_region **out);

/* The checked version (r->chk[i]) of the segment holding region op 'k'
** of 'r' (its check point, or a loop head in it), or UINT32_MAX for none. */
uint32_t bf_jit_segment(const bf_region *r, uint32_t k);

/* Compiles r->chk[i] unless it is there already, and points its slot at it. */
bf_abort bf_jit_compile_checked(const bfjit_program *prog, bf_region *r, uint32_t i);

void bf_region_free(bf_region *r);

#endif
