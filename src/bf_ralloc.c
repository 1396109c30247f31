/*
** bf_ralloc.c — the cell cache (bf_ralloc.h): the same allocation for every
** back end, which encodes the loads, stores and moves it asks for.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_backend.h"

int bf_ra_reg(const bf_cache *C, const bf_slot *s)
{
  return bf_cache_reg[s - C->s];
}

bf_slot *bf_ra_cached(bf_cache *C, int32_t off)
{
  for (int i = 0; i < bf_cache_nreg; i++)
    if (C->s[i].used && C->s[i].off == off) {
      C->s[i].age = ++C->clock;
      return &C->s[i];
    }
  return NULL;
}

static void write_back(bf_jit *J, bf_cache *C, bf_slot *s)
{
  if (!s->dirty)
    return;
  bf_be_store(J, bf_ra_reg(C, s), s->off);
  s->dirty = 0;
}

bf_slot *bf_ra_cell(bf_jit *J, bf_cache *C, int32_t off, int load)
{
  bf_slot *s = bf_ra_cached(C, off);
  if (s)
    return s;
  int victim = -1;
  for (int i = 0; i < bf_cache_nreg; i++) {
    const bf_slot *t = &C->s[i];
    if (t->pin)
      continue;
    if (victim < 0 || (C->s[victim].used &&
                       (!t->used || t->age < C->s[victim].age)))
      victim = i;
  }
  s = &C->s[victim];
  if (s->used)
    write_back(J, C, s);
  *s = (bf_slot){ .used = 1, .off = off, .age = ++C->clock };
  if (load)
    bf_be_load(J, bf_cache_reg[victim], off);
  return s;
}

void bf_ra_dirty(bf_slot *s)
{
  s->dirty = !s->pin;  /* a pinned cell is stored at the loop's exits */
  s->wide = 1;
}

int bf_ra_forget_clean(bf_slot *s)
{
  if (s->dirty || s->pin)
    return 0;
  s->used = 0;
  return 1;
}

int bf_ra_forget(bf_slot *s)
{
  if (s->pin)
    return 0;
  s->used = s->dirty = 0;
  return 1;
}

void bf_ra_flush(bf_jit *J, bf_cache *C)
{
  for (int i = 0; i < bf_cache_nreg; i++)
    if (C->s[i].used)
      write_back(J, C, &C->s[i]);
}

/* A pinned register may come back from a back edge with bits above the
** cell width set. */
void bf_ra_drop(bf_jit *J, bf_cache *C)
{
  bf_ra_flush(J, C);
  for (int i = 0; i < bf_cache_nreg; i++) {
    if (!C->s[i].pin)
      C->s[i].used = 0;
    else
      C->s[i].wide = 1;
  }
}

void bf_ra_move(bf_cache *C, int32_t off)
{
  for (int i = 0; i < bf_cache_nreg; i++)
    C->s[i].off -= off;
}

/* -- Cells in registers across a loop (bf_plan.npin) ---------------------- */

/* At a balanced LOOP, once its test let the body run; at a drifting loop's
** body (nrot), once its first check passed. */
void bf_ra_pin(bf_jit *J, bf_cache *C, uint32_t pin, int n)
{
  bf_ra_drop(J, C);  /* all clean: the LOOP's test flushed them */
  for (int i = 0; i < bf_cache_nreg; i++)
    C->s[i].used = 0;
  C->npin = n;
  for (int i = 0; i < n; i++) {
    const bf_pin *c = &J->pins[pin + i];
    C->s[i] = (bf_slot){ .used = 1, .pin = 1, .written = c->written, .off = c->off };
    bf_be_load(J, bf_cache_reg[i], c->off);
  }
}

void bf_ra_spill_pins(bf_jit *J, const bf_cache *C)
{
  for (int i = 0; i < C->npin; i++)
    if (C->s[i].written)
      bf_be_store(J, bf_cache_reg[i], C->s[i].off);
}

void bf_ra_release_pins(bf_cache *C)
{
  for (int i = 0; i < C->npin; i++)
    C->s[i] = (bf_slot){ 0 };
  C->npin = 0;
}

void bf_ra_unpin(bf_jit *J, bf_cache *C)
{
  bf_ra_spill_pins(J, C);
  bf_ra_release_pins(C);
}

/* Stores the chains' cells, then gives each register the cell it is named
** for from now on, the next one in its chain as 'p' was; the last of a
** chain comes from the tape, inside the range this iteration's check
** proved, once every cell is stored (the body may have changed it). Memory
** agrees with the registers on both ways out: the back edge, whose side
** check may fail into the checked version, and the exit. */
void bf_ra_rotate(bf_jit *J, bf_cache *C, uint32_t k)
{
  const bf_plan *pl = &J->plan[k];
  bf_ra_flush(J, C);
  for (int i = 0; i < C->npin; i++)
    bf_be_store(J, bf_cache_reg[i], C->s[i].off);
  for (int i = 0; i < C->npin; i++) {
    const bf_pin *c = &J->pins[pl->pin + i];
    if (c->last) {
      bf_be_load(J, bf_cache_reg[i], c->off);
      C->s[i].wide = 0;
    } else {
      bf_be_mov(J, bf_cache_reg[i], bf_cache_reg[i + 1]);
      C->s[i].wide = C->s[i + 1].wide;
    }
    C->s[i].off = c->off;
  }
}

/* -- Write-back stubs ------------------------------------------------------ */

int bf_ra_stub_room(bf_jit *J, bf_cache *C)
{
  if (!C->stubs)
    return 0;
  if (C->nws == C->capws) {
    size_t cap = C->capws ? 2 * C->capws : 16;
    bf_wstub *ns = realloc(C->ws, cap * sizeof *ns);
    if (!ns)
      return 0;
    C->ws = ns;
    C->capws = cap;
  }
  if (BF_PC_COUNT(J) + C->nws + 1 > C->npc) {
    C->npc = (unsigned)(BF_PC_COUNT(J) + 2 * C->capws);
    bf_be_growpc(J, C->npc);
  }
  return 1;
}

/* The way on (an IF's body, the body of a loop that runs at most once)
** keeps the cache as it is: only the jump writes the changed cells back.
** A chain of such loops jumps with the same cells to the same label, so
** the last few stubs are looked at before a new one is made. */
int bf_ra_jump(bf_jit *J, bf_cache *C, int target)
{
  bf_wstub t = { .target = target };
  for (int i = 0; i < bf_cache_nreg; i++)
    if (C->s[i].used && C->s[i].dirty) {
      t.reg[t.n] = bf_cache_reg[i];
      t.off[t.n++] = C->s[i].off;
    }
  if (t.n == 0)
    return target;
  for (size_t i = C->nws; i-- > 0 && i + 8 >= C->nws;)
    if (C->ws[i].target == target && C->ws[i].n == t.n &&
        !memcmp(C->ws[i].reg, t.reg, sizeof t.reg) &&
        !memcmp(C->ws[i].off, t.off, sizeof t.off))
      return C->ws[i].label;
  t.label = (int)(BF_PC_COUNT(J) + C->nws);
  C->ws[C->nws++] = t;
  return t.label;
}

void bf_ra_emit_stubs(bf_jit *J, bf_cache *C)
{
  for (size_t i = 0; i < C->nws; i++) {
    const bf_wstub *t = &C->ws[i];
    bf_be_label(J, t->label);
    for (int j = 0; j < t->n; j++)
      bf_be_store(J, t->reg[j], t->off[j]);
    bf_be_jump(J, t->target);
  }
}

void bf_ra_free(bf_cache *C)
{
  free(C->ws);
  C->ws = NULL;
}
