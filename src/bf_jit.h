/*
** bf_jit.h — tier 1, the architecture-neutral half of the JIT: what a
** compiled region is, how to make one, and the plan a back end follows.
**
** A region is a run of ops [first, end): one whole loop (with the loops in
** it) or the whole program. Its code is entered through a trampoline at any
** of its loop heads, with the run's 'bf_state', and returns the index of
** the op where the interpreter must resume (or BF_RESUME_STOP when the run
** must end, 'st->status' saying why). That is on-stack replacement both ways.
*/
#ifndef BF_JIT_H
#define BF_JIT_H

#include <setjmp.h>

#include "bf_mcode.h"
#include "bf_plan.h"
#include "bf_program.h"
#include "bf_state.h"

#define BF_RESUME_STOP UINT32_MAX

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

typedef struct bf_region {
  bf_mcode mcode;
  bf_jit_fn enter;         /* the trampoline */
  const void *start;       /* code for op 'first' */
  const void **entry;      /* entry[id - loop0]: code for loop 'id''s head */
  uint32_t first, end;     /* the ops it covers */
  uint32_t loop0, nloops;  /* the loop ids it covers */
  size_t code_size;        /* bytes of machine code */
  uint32_t *op_ofs;        /* n + 1 code offsets: op first+k starts at op_ofs[k] */
  uint32_t *chk_ofs;       /* n + 1: op first+k's checked version starts at
                              chk_ofs[k] (UINT32_MAX: none); chk_ofs[n]: where
                              the checked versions end */
  struct bf_region *next;  /* the program's list of live regions ... */
  struct bf_region **pprev;/* ... and what points at this one, to unlink it */
  uint32_t live;           /* loop entries pointing into it; 0: it can go */
  uint64_t last_use;       /* the program's entry count when last entered */
} bf_region;

/* Compiles ops [first, end) of 'prog' ('first' a LOOP and 'end' one past
** its END, or 0 and the op count). Returns BF_ABORT_OK with '*out' owned by
** the caller (free with 'bf_region_free'), or why it could not. */
bf_abort bf_jit_compile(const bfjit_program *prog, uint32_t first, uint32_t end,
                        bf_region **out);

void bf_region_free(bf_region *r);

/* One cell a loop keeps in a register from its head to its exits: c(off)
** as 'p' is at the LOOP. */
typedef struct bf_pin {
  int32_t off;
  uint8_t written;  /* the loop may change it: stored back at the exits */
} bf_pin;

/* At most this many cells of a loop live in registers across it. */
#define BF_PIN_MAX 6

/* -- What a back end gets ------------------------------------------------
**
** The range-check plan (bf_plan.h) says where checks go, and where jumps
** land: a back end may keep cells in registers between two targets, and
** 'reuse' says which cells are worth one. A loop with 'npin' keeps those
** cells in registers across all of it, jump targets included (the fast
** version only: the checked one never keeps a cell past a target). The state must come first:
** DynASM's memory hook finds 'oom' through it. */
typedef struct bf_jit {
  struct dasm_State *D;
  jmp_buf oom;             /* DynASM's allocation failure lands here */
  const bf_op *ops;        /* the whole program; the region is [first, end) */
  uint32_t first, end, n;  /* n = end - first */
  unsigned width;          /* cell bytes: 1, 2 or 4 */
  size_t tape_bytes;       /* the tape limit in bytes: a constant for checks */
  int count_steps;         /* a step limit is set: count back edges */
  const bf_plan *plan;     /* plan[k] for op first+k, 'reuse' and pins set */
  const bf_pin *pins;      /* the pinned cells of the loops: plan[k].pin */
  uint32_t checked;        /* emitting the checked version of the segment
                              at this check point, or UINT32_MAX: the fast one */
  void *globals[8];        /* the back end's global labels */
} bf_jit;

/* DynASM pc labels: every op's start (in the fast version), the exit stubs
** that resume the interpreter at an op, the checked entries of loop heads
** that are not check points themselves, every op's start in the checked
** version of its segment, the end of the checked versions, the
** trampoline, and where a drifting loop's back edge lands in the fast
** version (past the first iteration's full check: see bf_plan.side). */
#define BF_PC_OP(J, k)    (k)
#define BF_PC_EXIT(J, k)  ((J)->n + 1 + (k))
#define BF_PC_ENTRY(J, k) (2 * (J)->n + 1 + (k))
#define BF_PC_CHK(J, k)   (3 * (J)->n + 1 + (k))
#define BF_PC_CHKEND(J)   (4 * (J)->n + 1)
#define BF_PC_ENTER(J)    (4 * (J)->n + 2)
#define BF_PC_BACK(J, k)  (4 * (J)->n + 3 + (k))
#define BF_PC_COUNT(J)    (5 * (J)->n + 3)

/* The label a jump to region op 'to' goes to from the version being
** emitted: see bf_plan_stays_checked. */
static inline int bf_jit_label(const bf_jit *J, uint32_t to)
{
  return J->checked != UINT32_MAX &&
         bf_plan_stays_checked(J->plan, J->n, J->checked, to)
           ? BF_PC_CHK(J, to) : BF_PC_OP(J, to);
}

/* Implemented by the architecture's back end (jit_<arch>.dasc): sets up
** 'J->D' (dasm_init, globals, actions, BF_PC_COUNT labels) and emits the
** region. Returns BF_ABORT_OK or a reason; bf_jit.c links and encodes. */
bf_abort bf_backend_emit(bf_jit *J);

#endif
