/*
** bf_backend.h — the contract between the JIT's architecture-neutral part
** and an architecture's back end. bf_jit.c plans a region and links what
** is emitted; bf_asm.c drives the emission, op by op, and bf_ralloc.c
** decides which cells live in which registers; the back end
** (jit_<arch>.dasc) implements the functions at the end of this file:
** encoding, and the choice of instructions for each op.
*/
#ifndef BF_BACKEND_H
#define BF_BACKEND_H

#include <setjmp.h>

#include "bf_jit.h"
#include "bf_plan.h"
#include "bf_ralloc.h"

/* One cell a loop keeps in a register from its head to its exits: c(off)
** as 'p' is at the LOOP. */
typedef struct bf_pin {
  int32_t off;
  uint8_t written;  /* the loop may change it: stored back at the exits */
  uint8_t last;     /* rotated (bf_plan.nrot): the last of its chain, which
                       the back edge refills from the tape, not from the next */
} bf_pin;

/* At most this many cells of a loop live in registers across it. */
#define BF_PIN_MAX 6

/* The range-check plan (bf_plan.h) says where checks go, and where jumps
** land: a back end may keep cells in registers between two targets, and
** 'reuse' says which cells are worth one. A loop with 'npin' keeps those
** cells in registers across all of it, jump targets included (the fast
** version only: the checked one never keeps a cell past a target). A
** drifting loop with 'nrot' does so within each iteration, and its back edge
** passes each cell's register on to the cell before it in its chain. The
** state must come first: DynASM's memory hook finds 'oom' through it. */
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
  int list;                /* every op gets its pc label, for a listing */
  /* Fast: the check points with a checked version, and their slots
  ** (bf_region.chk_cp, chk_slot). */
  const uint32_t *chk_cp;
  const void **slot;
  uint32_t nchk;
  /* The ops the pc labels number (BF_PC_*): lab0 .. lab0+nlab-1, the
  ** region's (0, n) or one segment's, so that a checked version's few
  ** labels cost little to set up and check. */
  uint32_t lab0, nlab;
  /* Checked: the region's fast version, which its jumps out of the segment
  ** reach through a stub each: stub BF_PC_FAR(J, i) jumps to op far[i]. */
  const uint8_t *base;
  const uint32_t *op_ofs;
  uint32_t *far, nfar;
  void *globals[8];        /* the back end's global labels */
} bf_jit;

/* DynASM pc labels: an op's start (in the fast version; in a checked
** version, the stub jumping there; only bf_jit_labelled ops), the exit stubs that resume the
** interpreter at an op, the checked entries of loop heads that are not
** check points themselves, every op's start in the checked version of its
** segment (in the fast version: where the failed check that leads there
** goes), every way out of the code, the trampoline (in a checked version,
** which has none: where its ops end), and where a drifting
** loop's back edge lands in the fast version (past the first iteration's
** full check: see bf_plan.side). */
#define BF_PC_OP(J, k)    ((k) - (J)->lab0)
#define BF_PC_EXIT(J, k)  ((J)->nlab + 1 + (k) - (J)->lab0)
#define BF_PC_ENTRY(J, k) (2 * (J)->nlab + 1 + (k) - (J)->lab0)
#define BF_PC_CHK(J, k)   (3 * (J)->nlab + 1 + (k) - (J)->lab0)
#define BF_PC_LEAVE(J)    (4 * (J)->nlab + 1)
#define BF_PC_ENTER(J)    (4 * (J)->nlab + 2)
#define BF_PC_COUNT(J)    (4 * (J)->nlab + 3)
/* A checked version's stubs to the fast one: each of its ops jumps out at
** most once, and its end once, so nlab + 1 of them. */
#define BF_PC_FAR(J, i)   (BF_PC_COUNT(J) + (i))
/* A back edge's landing is at a check point, which never has an entry stub
** (those are for loop heads that are not check points): they share slots. */
#define BF_PC_BACK(J, k)  BF_PC_ENTRY(J, k)
/* Where a LOOP's skip lands past the check after its drifting loop: at a
** check point too, and never a loop body's (the op after an END). */
#define BF_PC_SKIP(J, k)  BF_PC_ENTRY(J, k)

/* Whether region op 'k' (k < n) gets its pc label (BF_PC_OP, or BF_PC_CHK
** in a checked version): where some jump lands (bf_plan.target: loop heads
** and bodies, loop and IF exits, check points), which also covers the OSR
** entries, the checked versions' ways back and where perf's map cuts the
** code; every op when a listing is made. DynASM spends about 120
** instructions on a label, and most ops are no target. */
static inline int bf_jit_labelled(const bf_jit *J, uint32_t k)
{
  return J->list || J->plan[k].target;
}

/* The label a jump to region op 'to' goes to from the version being
** emitted: see bf_plan_stays_checked. */
static inline int bf_jit_label(bf_jit *J, uint32_t to)
{
  if (J->checked == UINT32_MAX)
    return BF_PC_OP(J, to);
  if (bf_plan_stays_checked(J->plan, J->n, J->checked, to))
    return BF_PC_CHK(J, to);
  uint32_t i = 0;
  while (i < J->nfar && J->far[i] != to)
    i++;
  if (i == J->nfar)
    J->far[J->nfar++] = to;
  return (int)BF_PC_FAR(J, i);
}

/* Whether back edges to drifting loop body 'body' land past its check
** point's first test (at BF_PC_BACK), which the first iteration runs too. */
static inline int bf_jit_has_back(const bf_jit *J, uint32_t body)
{
  const bf_plan *b = &J->plan[body];
  return b->cp && b->lo <= b->hi && body > 0 &&
         J->ops[J->first + body - 1].op == BF_LOOP &&
         !J->plan[body - 1].balanced && !J->plan[body - 1].once;
}

/* The ends of the tape the first iteration's check of drifting loop body
** 'body' (one with a back edge) tests before the back edge's landing: what
** the back edge's test does not test again, or, when the loop carries cells
** in registers (bf_plan.nrot), all of them, since those cells are loaded
** before that landing. */
static inline unsigned bf_jit_first_need(const bf_jit *J, uint32_t body)
{
  const bf_plan *b = &J->plan[body];
  return J->plan[body - 1].nrot ? bf_plan_need(b) : bf_plan_need(b) & ~bf_plan_bneed(b);
}

/* Whether a LOOP skipping its drifting loop jumps past the first test of
** the check point after the loop (to BF_PC_SKIP), which its END's fall
** through runs too. */
static inline int bf_jit_has_skip(const bf_jit *J, uint32_t exit)
{
  const bf_plan *x = &J->plan[exit];
  return exit < J->n && x->cp && x->lo <= x->hi && exit > 0 &&
         J->ops[J->first + exit - 1].op == BF_END && !J->plan[exit - 1].balanced;
}

/* The label a LOOP skipping its loop jumps to, its exit 'exit'. */
static inline int bf_jit_skip_label(bf_jit *J, uint32_t exit)
{
  return J->checked == UINT32_MAX && bf_jit_has_skip(J, exit)
           ? (int)BF_PC_SKIP(J, exit) : bf_jit_label(J, exit);
}

/* Whether the back edge's test there is one compare of 'p' with the bound
** of the drifting loop (the side it moves toward: bf_plan.side). */
static inline int bf_jit_uses_bound(const bf_plan *b)
{
  return b->side && bf_plan_bneed(b);
}

/* The emission of a region's fast version, and of the checked version of
** segment 'J->checked' alone (with its exit stubs, a way out, and a stub
** for each fast op it jumps to) (bf_asm.c). Each returns BF_ABORT_OK or a
** reason; bf_jit.c links and encodes. */
bf_abort bf_asm_fast(bf_jit *J);
bf_abort bf_asm_checked(bf_jit *J);

/* -- What a back end implements (jit_<arch>.dasc) ------------------------- */

/* The registers the cell cache may use, cheapest to encode first: free
** between calls, since the runtime is only called with the cache written
** back. */
extern const int bf_cache_reg[];
extern const int bf_cache_nreg;  /* at most BF_RA_MAX */

/* Sets up 'J->D' (dasm_init, globals, actions) with 'npc' pc labels. */
void bf_be_begin(bf_jit *J, unsigned npc);
void bf_be_growpc(bf_jit *J, unsigned npc);
/* Places pc label 'pc' here; jumps to one. */
void bf_be_label(bf_jit *J, int pc);
void bf_be_jump(bf_jit *J, int pc);
/* The fast version's entry (bf_jit_fn, at BF_PC_ENTER) and every way out
** (at BF_PC_LEAVE), which a checked version has a copy of. */
void bf_be_trampoline(bf_jit *J);
void bf_be_leave(bf_jit *J);
/* Leaves the code: the interpreter resumes at 'at' (bf_state.h). The
** same as a stub at pc label 'pc', in one dasm_put on x86-64 (a label of
** its own costs DynASM a call). */
void bf_be_resume(bf_jit *J, uint32_t at);
void bf_be_resume_at(bf_jit *J, int pc, uint32_t at);
/* Leaves with 'at' unless the slot, read when it runs, leads elsewhere. */
void bf_be_slot_jump(bf_jit *J, uint32_t at, const void **slot);
/* Jumps to an absolute address (from a checked version into fast code). */
void bf_be_far_jump(bf_jit *J, const void *to);

/* The cell cache's register moves: r = c(off), c(off) = r, dst = src. */
void bf_be_load(bf_jit *J, int r, int32_t off);
void bf_be_store(bf_jit *J, int r, int32_t off);
void bf_be_mov(bf_jit *J, int dst, int src);

/* Range checks: jumps to pc label 'fail' unless cells p+lo .. p+hi lie on
** the tape, testing the ends in 'need' (BF_NEED_*); sets the bound of the
** drifting loop whose body is check point 'cp' (bf_plan.side); tests 'p'
** against that bound at the loop's back edge. */
void bf_be_check(bf_jit *J, int fail, int32_t lo, int32_t hi, unsigned need);
void bf_be_limit(bf_jit *J, uint32_t cp);
void bf_be_check_side(bf_jit *J, int fail, int side);

/* The ops, through the cell cache. 'reuse': the cell is touched again
** before the cache is next emptied (bf_plan.reuse). */
void bf_be_add(bf_jit *J, bf_cache *C, int32_t off, uint32_t val, int reuse);
void bf_be_set(bf_jit *J, bf_cache *C, int32_t off, uint32_t val, int reuse);
void bf_be_mul(bf_jit *J, bf_cache *C, int32_t off, int32_t from, uint32_t val,
               int reuse);
void bf_be_move(bf_jit *J, int32_t off);  /* 'p' only: bf_ra_move renames */
/* I/O and scans run with the cache empty. A scan's exit stub is op 'k'. */
void bf_be_in(bf_jit *J, int32_t off);
void bf_be_out(bf_jit *J, int32_t off, int put, uint32_t val);
void bf_be_scan(bf_jit *J, uint32_t k, int32_t stride, int32_t at);
/* Prepares a zero test of c(off), caching the cell when 'keep'; returns
** what bf_be_branch and bf_be_step_back test (a register, or the flags). */
int bf_be_test(bf_jit *J, bf_cache *C, int32_t off, int keep);
/* Jumps to pc label 'pc' when the cell tested is zero, or not zero. */
void bf_be_branch(bf_jit *J, int t, int nonzero, int pc);
/* END 'k' with a step limit: back to 'back' when the cell is not zero and a
** step is left; with none left, stores the pinned cells and exits at 'k'. */
void bf_be_step_back(bf_jit *J, const bf_cache *C, int t, uint32_t k, int back);

#endif
