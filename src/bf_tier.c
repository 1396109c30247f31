/*
** bf_tier.c — the tiering controller. The interpreter starts at once and
** counts back edges per loop; a loop that crosses the threshold is compiled
** with the loops inside it, and the interpreter jumps into the new code at
** the loop's next iteration (on-stack replacement). Compiled code hands
** control back at the region's end or at a side exit, with the op index to
** resume at. A loop compiled later that contains compiled loops takes their
** entries over, and regions nothing enters any more are freed.
*/
#include <stdlib.h>

#include "bf_interp.h"
#include "bf_jit.h"
#include "bf_tier.h"

/* Points every loop entry of 'r' into it, releasing what it replaces. */
static void install(bfjit_program *prog, bf_region *r)
{
  for (uint32_t i = 0; i < r->nloops; i++) {
    bf_entry *e = &prog->entry[r->loop0 + i];
    if (e->region)
      e->region->live--;
    *e = (bf_entry){ r->entry[i], r };
    r->live++;
  }
  r->next = prog->regions;
  prog->regions = r;
  /* No compiled code is running now (only the interpreter calls this), so
  ** regions without entries can go at once. */
  for (bf_region **pp = &prog->regions; *pp;) {
    bf_region *q = *pp;
    if (q->live == 0 && q != prog->whole) {
      *pp = q->next;
      bf_region_free(q);
    } else {
      pp = &q->next;
    }
  }
}

void bf_tier_hot(bfjit_program *prog, uint32_t id)
{
  bf_loop *l = &prog->loops[id];
  l->trigger = UINT64_MAX;
  if (prog->entry[id].code)
    return;  /* an outer region already covers it */
  uint32_t head = l->head, end = prog->ir.ops[head].aux + 1;
  bf_region *r;
  bf_abort a = bf_jit_compile(prog, head, end, &r);
  if (a != BF_ABORT_OK) {
    prog->last_abort = bf_abort_text(a);
    return;
  }
  install(prog, r);
}

uint32_t bf_tier_enter(bfjit_program *prog, bf_state *st, uint32_t id)
{
  const bf_entry *e = &prog->entry[id];
  return e->region->enter(st, e->code);
}

int bf_tier_run(bfjit_program *prog, bf_state *st)
{
  uint32_t pc = 0;
  if (prog->opt.mode == BFJIT_MODE_JIT) {
    if (!prog->whole_tried) {
      prog->whole_tried = 1;
      bf_region *r;
      bf_abort a = bf_jit_compile(prog, 0, (uint32_t)prog->ir.n, &r);
      if (a == BF_ABORT_OK) {
        prog->whole = r;
        install(prog, r);
      } else {
        prog->last_abort = bf_abort_text(a);
      }
    }
    if (prog->whole) {
      pc = prog->whole->enter(st, prog->whole->start);
      if (pc == BF_RESUME_STOP)
        return -1;
    }
  }
  return bf_interp_run(prog, st, pc);
}

void bf_tier_free(bfjit_program *prog)
{
  while (prog->regions) {
    bf_region *r = prog->regions;
    prog->regions = r->next;
    bf_region_free(r);
  }
  prog->whole = NULL;
}
