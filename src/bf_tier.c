/*
** bf_tier.c — the tiering controller. The interpreter starts at once and
** counts back edges per loop; a loop that crosses the threshold is compiled
** with the loops inside it, and the interpreter jumps into the new code at
** the loop's next iteration (on-stack replacement). Compiled code hands
** control back at the region's end or at a side exit, with the op index to
** resume at.
**
** The code cache is the table of loop entries: one slot per loop id. A
** loop compiled later that contains compiled loops takes their slots over,
** and regions no slot points into are freed. Over the code limit, the
** region entered longest ago is evicted first: its loops go back to the
** interpreter and may become hot again.
*/
#include <stdlib.h>
#include <time.h>

#include "bf_interp.h"
#include "bf_jit.h"
#include "bf_param.h"
#include "bf_perfmap.h"
#include "bf_tier.h"
#include "bf_worker.h"

double bf_clock(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t bf_tier_budget(const bfjit_program *prog, uint32_t id)
{
  return prog->opt.mode == BFJIT_MODE_TIERED ? bf_tier_hot_budget(prog, id) : UINT64_MAX;
}

uint64_t bf_tier_hot_budget(const bfjit_program *prog, uint32_t id)
{
  uint64_t hot = prog->opt.hot_threshold;
  /* A loop with a long body runs many ops per back edge: count its cost,
  ** not its iterations, so a big outer loop is not left interpreted. */
  uint32_t head = prog->loops[id].head;
  uint64_t body = prog->ir.ops[head].aux - head;
  uint64_t by_ops = hot > UINT64_MAX / BF_P_hot_ops
                      ? hot : hot * BF_P_hot_ops / body;
  uint64_t n = by_ops < hot ? by_ops : hot;
  return n ? n : 1;
}

/* Lets loop 'id' get hot again from where its count stands (not at all
** outside tiered mode). */
static void rearm(bfjit_program *prog, uint32_t id)
{
  bf_loop *l = &prog->loops[id];
  uint64_t budget = bf_tier_budget(prog, id);
  l->trigger = budget == UINT64_MAX ? budget : l->count + budget;
}

/* Unlinks and frees 'r' (it must not be running: only the interpreter
** manages regions, and no compiled code is on the stack while it does). */
static void drop(bfjit_program *prog, bf_region *r)
{
  for (uint32_t i = 0; i < r->nloops; i++) {
    bf_entry *e = &prog->entry[r->loop0 + i];
    if (e->region == r) {
      *e = (bf_entry){ NULL, NULL };
      rearm(prog, r->loop0 + i);
    }
  }
  *r->pprev = r->next;
  if (r->next)
    r->next->pprev = r->pprev;
  if (prog->whole == r)
    prog->whole = NULL;
  prog->stats.code_bytes -= r->mcode.size + r->chk_bytes;
  bf_region_free(r);
}

/* Makes room for 'size' more bytes under the code limit, oldest use first. */
static void evict_for(bfjit_program *prog, size_t size)
{
  size_t max = prog->opt.code_max;
  while (max && prog->regions && prog->stats.code_bytes + size > max) {
    bf_region *old = prog->regions;
    for (bf_region *q = prog->regions; q; q = q->next)
      if (q->last_use < old->last_use)
        old = q;
    drop(prog, old);
    prog->stats.evictions++;
  }
}

/* Points every loop entry of 'r' into it; frees the regions it replaces. */
static void install(bfjit_program *prog, bf_region *r)
{
  evict_for(prog, r->mcode.size);
  r->next = prog->regions;
  r->pprev = &prog->regions;
  if (r->next)
    r->next->pprev = &r->next;
  r->last_use = prog->stats.osr_entries;
  prog->regions = r;
  prog->stats.code_bytes += r->mcode.size;
  for (uint32_t i = 0; i < r->nloops; i++) {
    bf_entry *e = &prog->entry[r->loop0 + i];
    bf_region *old = e->region;
    *e = (bf_entry){ r->entry[i], r };
    r->live++;
    /* The region this slot pointed into goes when its last slot does. */
    if (old && --old->live == 0 && old != prog->whole)
      drop(prog, old);
  }
  if (prog->opt.perf_map)
    bf_perfmap_write(prog, r);
}

/* Takes a compile's outcome: installs 'r' ('whole': as the program's whole
** region, which stays even with no loop entries) or records why there is
** none. Returns 'r'. */
static bf_region *settle(bfjit_program *prog, bf_region *r, bf_abort a,
                         double seconds, int whole)
{
  /* Code memory is counted in the whole pages it maps. */
  if (a == BF_ABORT_OK && prog->opt.code_max && r->mcode.size > prog->opt.code_max) {
    bf_region_free(r);
    r = NULL;
    a = BF_ABORT_LIMIT;
  }
  if (a == BF_ABORT_OK) {
    if (whole)
      prog->whole = r;
    install(prog, r);
    prog->stats.regions++;
  } else {
    r = NULL;
    prog->stats.compile_failures++;
    prog->stats.last_abort = bf_abort_text(a);
  }
  prog->stats.compile_seconds += seconds;
  return r;
}

/* Compiles ops [first, end) here and now, and settles the outcome. */
static bf_region *compile(bfjit_program *prog, uint32_t first, uint32_t end,
                          int whole)
{
  double t0 = bf_clock();
  bf_region *r = NULL;
  bf_abort a = bf_jit_compile(prog, first, end, 0, &r);
  return settle(prog, r, a, bf_clock() - t0, whole);
}

/* Installs what the background compiler finished. A region whose head got
** code meanwhile (an outer region took it in) is not needed any more. */
static void take_finished(bfjit_program *prog)
{
  uint32_t first;
  bf_region *r;
  bf_abort a;
  double seconds;
  while (bf_worker_take(prog->worker, &first, &r, &a, &seconds)) {
    bf_loop *l = &prog->loops[prog->ir.ops[first].val];
    l->job = r ? JOB_NONE : JOB_FAILED;
    if (r && prog->entry[prog->ir.ops[first].val].code) {
      prog->stats.compile_seconds += seconds;
      bf_region_free(r);
      continue;
    }
    settle(prog, r, a, seconds, 0);
  }
}

/* The loop to compile when loop 'id' is hot: it, or a loop around it. */
static uint32_t region_head(const bfjit_program *prog, uint32_t id)
{
  /* Take in the loops around it that have come around already (they
  ** repeat, so they would get hot next and compile it all again), and
  ** those hardly bigger than it (one compile instead of two alike). */
  uint32_t top = id;
  for (;;) {
    uint32_t up = prog->loops[top].parent;
    if (up == UINT32_MAX)
      break;
    uint32_t h = prog->loops[top].head, uh = prog->loops[up].head;
    uint64_t size = prog->ir.ops[h].aux - h, usize = prog->ir.ops[uh].aux - uh;
    if (prog->loops[up].count == 0 && usize > 2 * size)
      break;
    top = up;
  }
  return top;
}

int bf_tier_compile_loop(bfjit_program *prog, uint32_t id)
{
  /* Success or failure, stop asking: a failed loop stays interpreted. */
  prog->loops[id].trigger = UINT64_MAX;
  if (!prog->entry[id].code) {
    const bf_loop *t = &prog->loops[region_head(prog, id)];
    compile(prog, t->head, prog->ir.ops[t->head].aux + 1, 0);
  }
  return prog->entry[id].code != NULL;
}

int bf_tier_hot(bfjit_program *prog, uint32_t id)
{
  bf_loop *l = &prog->loops[id];
  if (prog->worker && !prog->entry[id].code) {
    l->trigger = UINT64_MAX;
    bf_loop *t = &prog->loops[region_head(prog, id)];
    /* In the background: the interpreter goes on, and looks again at
    ** this loop's back edges every BF_P_poll iterations. */
    take_finished(prog);
    if (prog->entry[id].code)
      return 1;
    if (t->job == JOB_FAILED)
      return 0;
    if (t->job == JOB_PENDING ||
        bf_worker_submit(prog->worker, t->head, prog->ir.ops[t->head].aux + 1) == 0) {
      t->job = JOB_PENDING;
      l->trigger = l->count + BF_P_poll;
      return 0;
    }
  }
  return bf_tier_compile_loop(prog, id);
}

/* The checked version of region 'r' at op 'op' (BF_RESUME_CHECKED),
** compiled now if need be, or NULL: the interpreter runs the segment. */
static const void *checked(bfjit_program *prog, bf_region *r, uint32_t op)
{
  uint32_t k = op - r->first, i = bf_jit_segment(r, k);
  bf_abort a = BF_ABORT_DASM;  /* no checked version there: a back end's slip */
  if (i != UINT32_MAX && !r->chk[i]) {
    double t0 = bf_clock();
    size_t had = r->chk_bytes;
    a = bf_jit_compile_checked(prog, r, i);
    prog->stats.compile_seconds += bf_clock() - t0;
    prog->stats.code_bytes += r->chk_bytes - had;
    if (a == BF_ABORT_OK) {
      prog->stats.checked_versions++;
      if (prog->opt.perf_map)
        bf_perfmap_write_checked(prog, r, r->chk[i]);
    }
  }
  if (i == UINT32_MAX || !r->chk[i]) {
    prog->stats.compile_failures++;
    prog->stats.last_abort = bf_abort_text(a);
    return NULL;
  }
  const bf_checked *c = r->chk[i];
  return (const uint8_t *)c->code + c->op_ofs[k - c->cp];
}

/* Runs compiled code from 'code' in region 'r'; the contract of bf_jit_fn. */
static uint32_t run_native(bfjit_program *prog, bf_state *st, bf_region *r,
                           const void *code)
{
  r->last_use = ++prog->stats.osr_entries;
  double t0 = prog->opt.timing ? bf_clock() : 0, compiled0 = prog->stats.compile_seconds;
  uint32_t resume = r->enter(st, code);
  /* Until the segment's checked version is compiled, its failed check
  ** leaves with nothing done since the check: go on there. */
  while (resume != BF_RESUME_STOP && (resume & BF_RESUME_CHECKED)) {
    resume &= ~BF_RESUME_CHECKED;
    if (!(code = checked(prog, r, resume)))
      break;
    resume = r->enter(st, code);
  }
  if (prog->opt.timing)
    prog->stats.native_seconds += bf_clock() - t0 -
                                  (prog->stats.compile_seconds - compiled0);
  if (resume != r->end && resume != BF_RESUME_STOP &&
      prog->ir.ops[resume].op != BF_HALT)
    prog->stats.side_exits++;
  return resume;
}

uint32_t bf_tier_enter(bfjit_program *prog, bf_state *st, uint32_t id)
{
  const bf_entry *e = &prog->entry[id];
  return run_native(prog, st, e->region, e->code);
}

int bf_tier_compile_all(bfjit_program *prog)
{
  if (!prog->whole_tried) {
    prog->whole_tried = 1;
    /* A program too big for one region is compiled loop by loop as it
    ** gets hot instead: tiering is the fallback, not the interpreter. */
    if (!compile(prog, 0, (uint32_t)prog->ir.n, 1)) {
      prog->opt.mode = BFJIT_MODE_TIERED;
      for (uint32_t i = 0; i < prog->ir.nloops; i++)
        rearm(prog, i);
    }
  }
  return prog->whole ? 0 : -1;
}

int bf_tier_run(bfjit_program *prog, bf_state *st)
{
  const bf_snap *s = &prog->snap;
  uint32_t pc = s->pc;
  if (s->done)
    return 0;  /* evaluated to the end: nothing to compile, nothing to run */
  if (prog->opt.mode == BFJIT_MODE_JIT && bf_tier_compile_all(prog) == 0 && pc == 0) {
    pc = run_native(prog, st, prog->whole, prog->whole->start);
    if (pc == BF_RESUME_STOP)
      return -1;
    return bf_interp_run(prog, st, pc);
  }
  /* A run that starts mid-program (where evaluation stopped) is in the
  ** interpreter, which enters compiled code at loop heads; the loops it is
  ** inside of have their back edges to come, so ask at the next one. */
  for (uint32_t i = 0; i < s->naround; i++)
    if (prog->entry[s->around[i]].code)
      prog->loops[s->around[i]].trigger = prog->loops[s->around[i]].count;
  return bf_interp_run(prog, st, pc);
}

int bf_tier_start(bfjit_program *prog)
{
  if (prog->opt.background && prog->opt.mode == BFJIT_MODE_TIERED && !prog->worker)
    prog->worker = bf_worker_start(prog);
  return prog->opt.background && !prog->worker ? -1 : 0;
}

void bf_tier_free(bfjit_program *prog)
{
  bf_worker_stop(prog->worker);  /* first: it may still be compiling */
  prog->worker = NULL;
  while (prog->regions) {
    bf_region *r = prog->regions;
    prog->regions = r->next;
    bf_region_free(r);
  }
  prog->whole = NULL;
}
