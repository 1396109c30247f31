/*
** bf_asm.c — what every back end emits for a region, in what order: the
** range checks the plan (bf_plan.h) placed, each op through the cell cache
** (bf_ralloc.h) and the back end's instruction selection, the OSR entry
** stubs, the exit stubs, and the stubs that lead into checked versions.
** The back end (jit_<arch>.dasc) encodes; nothing here knows an
** instruction.
*/
#include <stdlib.h>

#include "bf_backend.h"

/* Where a back edge to loop body 'body' lands: in the fast version of a
** drifting loop, past the first iteration's full check. */
static int back_label(bf_jit *J, uint32_t body)
{
  if (J->checked == UINT32_MAX && bf_jit_has_back(J, body))
    return BF_PC_BACK(J, body);
  return bf_jit_label(J, body);
}

/* Where a jump to region op 'to' with the cache empty may land instead:
** past the ENDs of balanced loops that run at most once, which emit
** nothing (so the skips of a chain of such loops share one stub). Not past
** a drifting loop's: the check after it tests more for its END's way in
** than for its head's skip (bf_jit_has_skip). */
static uint32_t past_ends(const bf_jit *J, uint32_t to)
{
  while (to + 1 < J->n && J->ops[J->first + to].op == BF_END &&
         J->plan[to].once && J->plan[to].balanced && J->plan[to].ftarget &&
         !J->plan[to].cp && !J->plan[to].npin)
    to++;
  return to;
}

/* Emits region op 'k'. */
static void emit_op(bf_jit *J, bf_cache *C, uint32_t k, uint8_t *used)
{
  const bf_op *o = &J->ops[J->first + k];
  const bf_plan *pl = &J->plan[k];
  int fast = J->checked == UINT32_MAX, t;
  if (pl->dead && fast)
    return;  /* overwritten unread; the hoisted check covered its touch */
  switch (o->op) {
  case BF_ADD: bf_be_add(J, C, o->off, o->val, pl->reuse); break;
  case BF_SET: bf_be_set(J, C, o->off, o->val, pl->reuse); break;
  case BF_MUL: bf_be_mul(J, C, o->off, bf_mul_src(o), o->val, pl->reuse); break;
  case BF_MOVE:
    bf_ra_move(C, o->off);
    bf_be_move(J, o->off);
    break;
  case BF_IN:
    bf_ra_drop(J, C);  /* calls clobber the cache's registers */
    bf_be_in(J, o->off);
    break;
  case BF_OUT: case BF_PUT:
    bf_ra_drop(J, C);
    bf_be_out(J, o->off, o->op == BF_PUT, o->val);
    break;
  case BF_IF:
    /* Its cell stays cached for the body's MULs: it agrees with memory. A
    ** flat body runs unconditionally in the fast version (bf_plan.h): its
    ** MULs load the cell if they need it. */
    if (pl->flat && fast)
      break;
    if (!bf_ra_stub_room(J, C))
      bf_ra_flush(J, C);  /* first: a test and its branch fuse when adjacent */
    t = bf_be_test(J, C, o->off, 1);
    bf_be_branch(J, t, 0, bf_ra_jump(J, C, bf_jit_label(J, o->aux - J->first)));
    break;
  case BF_LOOP: {
    /* A body no jump lands on goes on with the cache. */
    uint32_t exit = o->aux + 1 - J->first;
    uint32_t to = C->stubs ? past_ends(J, exit) : exit;  /* the fast version's */
    if (J->plan[k + 1].ftarget || !bf_ra_stub_room(J, C))
      bf_ra_flush(J, C);
    t = bf_be_test(J, C, o->off, 0);
    bf_be_branch(J, t, 0, bf_ra_jump(J, C, bf_jit_skip_label(J, to)));
    break;
  }
  case BF_END: {
    /* Back to the body: the loop test is this one. A drifting loop's body
    ** starts with its check. A loop that runs at most once just ends. */
    int back = back_label(J, o->aux + 1 - J->first);
    if (pl->once)
      break;
    if (pl->nrot && fast)
      bf_ra_rotate(J, C, k);
    bf_ra_flush(J, C);
    t = bf_be_test(J, C, o->off, 0);
    if (J->count_steps) {
      bf_be_step_back(J, C, t, k, back);
      used[k] = 1;
    } else {
      bf_be_branch(J, t, 1, back);
    }
    break;
  }
  case BF_SCAN:
    bf_ra_drop(J, C);
    bf_be_scan(J, k, o->off, bf_scan_at(o));
    used[k] = 1;
    break;
  case BF_HALT:
    bf_ra_drop(J, C);
    bf_be_resume(J, J->first + k);
    break;
  }
}

/* Emits the exit stubs that 'used' asks for: each resumes the interpreter
** at its op. */
static void emit_exits(bf_jit *J, const uint8_t *used)
{
  for (uint32_t k = J->lab0; k < J->lab0 + J->nlab; k++) {
    if (!used[k])
      continue;
    bf_be_resume_at(J, BF_PC_EXIT(J, k), J->first + k);
  }
}

/* The check point at op 'k' of the fast version. A failed exact check is
** an error; a hoisted one goes on in the checked version. Back edges land
** past the ends only the first iteration tests, skips past those only an
** END's fall through does. */
static void emit_check_point(bf_jit *J, bf_cache *C, uint32_t k, uint8_t *used)
{
  const bf_plan *pl = &J->plan[k];
  int fail = pl->exact ? BF_PC_EXIT(J, k) : BF_PC_CHK(J, k);
  used[k] |= pl->exact;
  if (bf_jit_has_skip(J, k)) {
    bf_be_check(J, fail, pl->lo, pl->hi, bf_plan_need(pl) & ~bf_plan_sneed(pl));
    bf_be_label(J, BF_PC_SKIP(J, k));
    bf_be_check(J, fail, pl->lo, pl->hi, bf_plan_sneed(pl));
  } else if (!bf_jit_has_back(J, k)) {
    bf_be_check(J, fail, pl->lo, pl->hi, bf_plan_need(pl));
  } else {
    int rot = J->plan[k - 1].nrot;
    bf_be_check(J, fail, pl->lo, pl->hi, bf_jit_first_need(J, k));
    if (bf_jit_uses_bound(pl))
      bf_be_limit(J, k);
    if (rot) {  /* the LOOP before its body */
      bf_ra_pin(J, C, J->plan[k - 1].pin, rot);
      for (int i = 0; i < C->npin; i++)
        C->s[i].wide = 1;  /* as the back edge may bring them */
    }
    bf_be_label(J, BF_PC_BACK(J, k));
    if (bf_jit_uses_bound(pl))
      bf_be_check_side(J, fail, pl->side);
    else
      bf_be_check(J, fail, pl->lo, pl->hi, bf_plan_bneed(pl));
  }
}

/* A cell the cache holds at a LOOP head: c(off) in register 'reg'. */
typedef struct held { int32_t off; int reg; } held;

bf_abort bf_asm_fast(bf_jit *J)
{
  const bf_plan *plan = J->plan;
  uint8_t *used = calloc(J->n + 1, 1);  /* exit stubs some jump needs */
  /* What the cache holds at each LOOP head (pinned cells, and at a head no
  ** jump lands on, the rest): its OSR entry stub loads the same.
  ** hd[from[k] .. from[k+1]) for op k. */
  uint32_t *from = calloc(J->n + 2, sizeof *from);
  held *hd = NULL;
  size_t nhd = 0, caphd = 0;
  uint32_t outer = UINT32_MAX;
  bf_cache C = { .stubs = 1, .npc = BF_PC_COUNT(J) };
  bf_abort why = BF_ABORT_NOMEM;
  if (!used || !from)
    goto done;
  bf_be_begin(J, BF_PC_COUNT(J));
  bf_be_trampoline(J);
  for (uint32_t k = 0; k < J->n; k++) {
    if (plan[k].ftarget)  /* the cache is empty where jumps land */
      bf_ra_drop(J, &C);
    if (bf_jit_labelled(J, k))
      bf_be_label(J, BF_PC_OP(J, k));
    if (plan[k].cp && plan[k].lo <= plan[k].hi)
      emit_check_point(J, &C, k, used);
    from[k] = (uint32_t)nhd;
    if (J->ops[J->first + k].op == BF_LOOP) {  /* pinned cells at least */
      for (int i = 0; i < bf_cache_nreg; i++) {
        if (!C.s[i].used)
          continue;
        if (nhd == caphd) {
          caphd = caphd ? 2 * caphd : 64;
          held *nh = realloc(hd, caphd * sizeof *nh);
          if (!nh)
            goto done;
          hd = nh;
        }
        hd[nhd++] = (held){ C.s[i].off, bf_cache_reg[i] };
      }
    }
    emit_op(J, &C, k, used);
    if (plan[k].nrot && J->ops[J->first + k].op == BF_END) {
      bf_ra_release_pins(&C);  /* the last rotation stored them */
    } else if (plan[k].npin && outer == UINT32_MAX) {
      bf_ra_pin(J, &C, plan[k].pin, plan[k].npin);  /* a LOOP: its body runs */
      outer = k;
    } else if (plan[k].npin && J->ops[J->first + outer].aux == J->first + k) {
      bf_ra_unpin(J, &C);  /* its END, falling through */
      outer = UINT32_MAX;
    }
  }
  from[J->n] = (uint32_t)nhd;
  /* Falling off the region's end resumes the interpreter there. */
  bf_ra_drop(J, &C);
  bf_be_resume_at(J, BF_PC_OP(J, J->n), J->end);
  bf_ra_emit_stubs(J, &C);

  /* A failed hoisted check goes on in its segment's checked version, once
  ** that is compiled: until then the slot leads out (bf_jit.h). */
  for (uint32_t i = 0; i < J->nchk; i++) {
    bf_be_label(J, BF_PC_CHK(J, J->chk_cp[i]));
    bf_be_slot_jump(J, BF_RESUME_CHECKED | (J->first + J->chk_cp[i]), &J->slot[i]);
  }

  /* Checked entries for loop heads inside a segment. A drifting loop's
  ** head only tests its cell: its body and its exit are check points.
  ** Else the segment's range, seen from the head. */
  for (uint32_t k = 0; k < J->n; k++) {
    if (J->ops[J->first + k].op != BF_LOOP || plan[k].cp)
      continue;
    const bf_plan *s = &plan[plan[k].seg];
    bf_be_label(J, BF_PC_ENTRY(J, k));
    if (!plan[k].balanced) {
      int32_t at = J->ops[J->first + k].off;
      bf_be_check(J, BF_PC_EXIT(J, k), at, at, BF_NEED_BOTH);
      used[k] = 1;
    } else {
      bf_be_check(J, BF_PC_CHK(J, k), s->lo - plan[k].drift, s->hi - plan[k].drift,
                  BF_NEED_BOTH);
    }
    for (uint32_t i = from[k]; i < from[k + 1]; i++)
      bf_be_load(J, hd[i].reg, hd[i].off);  /* what the cache holds here */
    if (s->lo <= s->hi && bf_jit_uses_bound(s))
      bf_be_limit(J, plan[k].seg);  /* its END's back edge needs the bound */
    bf_be_jump(J, BF_PC_OP(J, k));
    if (plan[k].balanced) {  /* its failed check: the checked version here */
      bf_be_resume_at(J, BF_PC_CHK(J, k), BF_RESUME_CHECKED | (J->first + k));
    }
  }
  emit_exits(J, used);
  why = BF_ABORT_OK;
done:
  free(used);
  free(from);
  free(hd);
  bf_ra_free(&C);
  return why;
}

bf_abort bf_asm_checked(bf_jit *J)
{
  const bf_plan *plan = J->plan;
  uint32_t cp = J->checked, k = cp;
  uint8_t *used = calloc(J->n + 1, 1);
  bf_cache C = { 0 };
  if (!used)
    return BF_ABORT_NOMEM;
  bf_be_begin(J, BF_PC_FAR(J, J->nlab + 1));
  for (; k < J->n && (k == cp || !plan[k].cp); k++) {
    if (plan[k].block)
      bf_ra_drop(J, &C);
    if (bf_jit_labelled(J, k))
      bf_be_label(J, BF_PC_CHK(J, k));
    if (plan[k].block && plan[k].blo <= plan[k].bhi) {
      bf_be_check(J, BF_PC_EXIT(J, k), plan[k].blo, plan[k].bhi, BF_NEED_BOTH);
      used[k] = 1;
    }
    emit_op(J, &C, k, used);
  }
  bf_ra_drop(J, &C);
  bf_be_jump(J, bf_jit_label(J, k));
  bf_be_label(J, BF_PC_ENTER(J));
  for (uint32_t i = 0; i < J->nfar; i++) {
    bf_be_label(J, BF_PC_FAR(J, i));
    bf_be_far_jump(J, J->base + J->op_ofs[J->far[i]]);
  }
  emit_exits(J, used);
  bf_be_leave(J);
  free(used);
  return BF_ABORT_OK;
}
