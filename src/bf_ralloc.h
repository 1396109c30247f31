/*
** bf_ralloc.h — the cell cache: which tape cells live in which registers
** while a region is emitted. It is the same for every architecture (as in
** LuaJIT, allocation is architecture-neutral and the back end only
** encodes): a back end names its registers and encodes the loads, stores
** and moves this file asks for (bf_backend.h).
**
** Within straight-line code, a cell touched again before the next label,
** loop test or call lives in a register: loaded once, stored back once. A
** loop the plan pins (bf_plan.npin) keeps its cells in registers across all
** of it; a drifting loop (bf_plan.nrot) keeps them within each iteration
** and passes each register on to the next cell of its chain at the END. A
** branch that goes on with the cache leaves the write-back to the jump: a
** stub after the region's code stores the changed cells on the way to the
** target.
*/
#ifndef BF_RALLOC_H
#define BF_RALLOC_H

#include <stdint.h>

struct bf_jit;

/* At most this many registers hold cells (a back end's bf_cache_nreg). */
#define BF_RA_MAX 9

typedef struct bf_slot {
  uint8_t used, dirty;  /* holds a cell; differs from memory */
  uint8_t wide;         /* bits above the cell width may be set (after
                           arithmetic): a back end whose zero test reads
                           the whole register clears them first */
  uint8_t pin;          /* kept across the pinned loop's targets: never
                           dirty nor evicted, stored back at its exits */
  uint8_t written;      /* pin: the loop may change it */
  int32_t off;          /* which cell: p+off, as 'p' is now */
  uint32_t age;         /* last use, for eviction */
} bf_slot;

/* A stub that writes cells back on the way to a label (bf_ra_jump). */
typedef struct bf_wstub {
  int label, target, n;
  int reg[BF_RA_MAX];
  int32_t off[BF_RA_MAX];
} bf_wstub;

typedef struct bf_cache {
  bf_slot s[BF_RA_MAX];  /* s[i] is register bf_cache_reg[i] */
  uint32_t clock;
  int npin;              /* s[0 .. npin) are pinned */
  int stubs;             /* branches may leave write-backs to stubs (the
                            fast version only) */
  bf_wstub *ws;          /* those stubs, labels BF_PC_COUNT(J) + i */
  size_t nws, capws;
  unsigned npc;          /* pc labels DynASM has room for */
} bf_cache;

/* The register of slot 's'. */
int bf_ra_reg(const bf_cache *C, const bf_slot *s);

/* The slot holding c(off), or NULL when it is not cached. */
bf_slot *bf_ra_cached(bf_cache *C, int32_t off);
/* The slot holding c(off), loaded when 'load' and not cached yet: a free
** register (the first: the back end lists the cheapest first), else the
** one used longest ago, written back. */
bf_slot *bf_ra_cell(struct bf_jit *J, bf_cache *C, int32_t off, int load);
/* Its register now differs from memory, bits above the width included. */
void bf_ra_dirty(bf_slot *s);
/* Forgets the cell when memory holds its value (an op about to change it
** in memory); 0 when it must stay: it differs from memory or is pinned. */
int bf_ra_forget_clean(bf_slot *s);
/* Forgets the cell whatever it holds unless it is pinned (0): a store of a
** constant to it is about to go to memory. */
int bf_ra_forget(bf_slot *s);

/* Writes changed cells back; they stay cached (memory now agrees). */
void bf_ra_flush(struct bf_jit *J, bf_cache *C);
/* Writes back and forgets all but the pinned cells: before a label or a
** call. */
void bf_ra_drop(struct bf_jit *J, bf_cache *C);
/* 'p' moves by 'off' cells: the registers stay, their cells' names move. */
void bf_ra_move(bf_cache *C, int32_t off);

/* Pins cells bf_jit.pins[pin .. pin+n) in the first registers, loaded. */
void bf_ra_pin(struct bf_jit *J, bf_cache *C, uint32_t pin, int n);
/* Stores the pinned cells the loop may have changed (before a side exit
** from inside it); they stay pinned. */
void bf_ra_spill_pins(struct bf_jit *J, const bf_cache *C);
void bf_ra_release_pins(bf_cache *C);
/* The pinned loop's way out: stores and releases its cells. */
void bf_ra_unpin(struct bf_jit *J, bf_cache *C);
/* At the END of drifting loop 'k', after its move: hands each register the
** next cell of its chain (see bf_ralloc.c). */
void bf_ra_rotate(struct bf_jit *J, bf_cache *C, uint32_t k);

/* Whether a branch about to be emitted may go on with the cache, leaving
** the write-back to a stub: there is room for one more. */
int bf_ra_stub_room(struct bf_jit *J, bf_cache *C);
/* Where a branch to pc label 'target', where the cache is empty, jumps:
** the target, or a stub storing the changed cells on the way there (shared
** with recent branches that have the same cells and target). */
int bf_ra_jump(struct bf_jit *J, bf_cache *C, int target);
/* Emits the stubs, after the region's code. */
void bf_ra_emit_stubs(struct bf_jit *J, bf_cache *C);
void bf_ra_free(bf_cache *C);

#endif
