/*
** bf_interp_loop.h — the interpreter's dispatch loop, written once and
** compiled once per cell width: bf_interp.c includes it with CELL (the cell
** type) and INTERP (the function's name) defined.
**
** Direct threading: each instruction carries the address of its handler's
** label, so dispatch is one indirect jump from the end of every handler, and
** the branch predictor sees a separate jump per handler.
**
** With EVAL 1 the same loop is the compile-time evaluator (bf_eval.c): it
** runs no compiled code and triggers no compile, and instead of reading
** input, erring, or going past its budget or its output buffer it stops
** before the op, which is left for the run. Every 'if (EVAL)' is a constant,
** so the interpreter proper carries none of it.
*/

/* With 'labels' set, only reports the handler table (to make threaded code).
** Otherwise runs from 'pc'; the contract is bf_interp_run's, or with EVAL
** bf_interp_eval's ('ev' is NULL without EVAL). */
static int INTERP(bfjit_program *prog, bf_state *st, uint32_t pc,
                  const void *const **labels, bf_eval_ctx *ev)
{
  static const void *const table[] = {
#define BF_OPLABEL(name, doc) &&op_##name,
    BF_OPS(BF_OPLABEL)
#undef BF_OPLABEL
  };
  if (labels) {
    *labels = table;
    return 0;
  }
  const bf_tins *const code = EVAL ? ev->code : prog->threaded;
  const bf_tins *ip = code + pc;
  /* 'p' is an address that may lie off the tape: moving there is no error,
  ** touching is, so it is checked (as an integer) before it is used. */
  uintptr_t p = (uintptr_t)st->p;
  const uintptr_t tape = (uintptr_t)st->tape;
  const uintptr_t bytes = (uintptr_t)(st->tape_end - st->tape);
  uint64_t steps = st->steps;
  bf_loop *const loops = prog->loops;
  const bf_entry *const entries = prog->entry;
  uintptr_t at;  /* the address a failing touch wanted */
  CELL *c;
  /* EVAL: the ops left to run, where a SCAN started (a stop rewinds it: it
  ** must run again whole), and why the evaluation stopped. */
  uintptr_t scan_from = 0;
  uint64_t fuel = EVAL ? ev->fuel : 0;
  int why = BF_EVAL_END;

/* Points 'c' at cell p+k, or stops with a tape error charged to 'where'. */
#define TOUCH(k, where) \
  do { \
    at = p + (uintptr_t)((intptr_t)(k) * (intptr_t)sizeof(CELL)); \
    if (__builtin_expect(at - tape >= bytes, 0)) { \
      st->err_src = (where); \
      goto tape_error; \
    } \
    c = (CELL *)at; \
  } while (0)
/* Outputs byte 'b' into the buffer; a full one is handed on (or, when
** evaluating, ends the evaluation before the byte). */
#define OUTPUT(b) \
  do { \
    if (__builtin_expect(st->out_len < st->out_cap, 1)) \
      st->out[st->out_len++] = (uint8_t)(b); \
    else if (EVAL) { \
      why = BF_EVAL_OUTPUT; \
      goto eval_stop; \
    } else if (bf_io_put(st, (uint8_t)(b))) \
      goto stop; \
  } while (0)
#define DISPATCH() goto *ip->lbl
#define NEXT() goto *(++ip)->lbl

  if (ip->lbl == &&op_LOOP)
    goto loop_interpreted;  /* resuming after compiled code */
  DISPATCH();

op_ADD:
  TOUCH(ip->off, ip->src);
  *c = (CELL)(*c + ip->val);
  NEXT();
op_SET:
  TOUCH(ip->off, ip->src);
  *c = (CELL)ip->val;
  NEXT();
op_MUL: {
  /* On the tape: the IF before touched it. */
  CELL n = *(CELL *)(p + (uintptr_t)((intptr_t)(int32_t)ip->aux * (intptr_t)sizeof(CELL)));
  TOUCH(ip->off, ip->src);
  *c = (CELL)(*c + n * ip->val);
  NEXT();
}
op_MOVE:
  p += (uintptr_t)((intptr_t)ip->off * (intptr_t)sizeof(CELL));
  NEXT();
op_IN: {
  if (EVAL) {
    why = BF_EVAL_INPUT;
    goto eval_stop;
  }
  TOUCH(ip->off, ip->src);
  int64_t v = bf_io_get(st, *c);
  if (v < 0)
    goto stop;
  *c = (CELL)v;
  NEXT();
}
op_OUT:
  TOUCH(ip->off, ip->src);
  OUTPUT(*c);
  NEXT();
op_PUT:
  OUTPUT(ip->val);
  NEXT();
op_LOOP:
  TOUCH(ip->off, ip->src);
  if (*c == 0) {
    ip = code + ip->aux + 1;
    DISPATCH();
  }
  if (!EVAL && entries[ip->val].code)
    goto enter;
  NEXT();
loop_interpreted:
  /* Resuming at a LOOP that compiled code just left: running it here once
  ** guarantees progress when its compiled check keeps failing. */
  TOUCH(ip->off, ip->src);
  if (*c == 0) {
    ip = code + ip->aux + 1;
    DISPATCH();
  }
  NEXT();
op_END:
  TOUCH(ip->off, ip->src);
  if (*c != 0) {
    bf_loop *l = &loops[ip->val];
    if (__builtin_expect(steps == 0, 0)) {
      if (EVAL) {
        why = BF_EVAL_STEPS;  /* the run reports it, here */
        goto eval_stop;
      }
      st->status = BFJIT_ERR_STEPS;
      st->err_src = ip->src;
      goto stop;
    }
    if (EVAL) {
      /* An iteration costs the ops of its body outside inner loops, and
      ** the back edge that makes a loop hot (its trigger, here) is the
      ** run's. */
      uint64_t n = l->count + 1;
      uint32_t cost = ev->cost[ip->val];
      if (__builtin_expect(fuel < cost || n >= l->trigger, 0)) {
        why = fuel < cost ? BF_EVAL_BUDGET : BF_EVAL_HOT;
        goto eval_stop;
      }
      fuel -= cost;
      steps--;
      l->count = n;  /* the profile counts them: they ran interpreted */
      ip = code + ip->aux + 1;
      DISPATCH();
    }
    steps--;
    if (__builtin_expect(++l->count >= l->trigger, 0)) {
      if (bf_tier_hot(prog, ip->val))
        goto enter;  /* on-stack replacement: the next iteration is compiled */
    }
    ip = code + ip->aux + 1;
    DISPATCH();
  }
  NEXT();
op_IF:
  TOUCH(ip->off, ip->src);
  if (*c == 0) {
    ip = code + ip->aux;
    DISPATCH();
  }
  NEXT();
op_SCAN: {
  int32_t k = (int32_t)ip->aux;  /* the cell it tests */
  if (EVAL)
    scan_from = p;
  TOUCH(k, ip->src);
  if (*c == 0)
    NEXT();
  intptr_t stride = (intptr_t)ip->off * (intptr_t)sizeof(CELL);
  if (sizeof(CELL) == 1 && (stride == 1 || stride == -1)) {
    /* The C library's vectorized search, bounded by the tape. */
    const void *z = stride == 1 ? memchr(c, 0, tape + bytes - (uintptr_t)c)
                                : memrchr((void *)tape, 0, (uintptr_t)c - tape + 1);
    if (!z) {
      at = stride == 1 ? tape + bytes : tape - 1;
      st->err_src = ip->val;
      goto tape_error;
    }
    p = (uintptr_t)z - (uintptr_t)((intptr_t)k * (intptr_t)sizeof(CELL));
    NEXT();
  }
  do {
    p += (uintptr_t)stride;
    TOUCH(k, ip->val);
  } while (*c != 0);
  NEXT();
}
op_HALT:
  if (EVAL)
    goto eval_stop;  /* 'why' is still BF_EVAL_END */
  st->p = (uint8_t *)p;
  st->steps = steps;
  return 0;

enter: {
  /* Hand 'p' and the step budget to the loop's compiled code (at its head,
  ** from a LOOP or an END alike) and take them back where it stops. */
  st->p = (uint8_t *)p;
  st->steps = steps;
  uint32_t r = bf_tier_enter(prog, st, ip->val);
  p = (uintptr_t)st->p;
  steps = st->steps;
  if (r == BF_RESUME_STOP)
    return -1;
  ip = code + r;
  if (ip->lbl == &&op_LOOP)
    goto loop_interpreted;
  DISPATCH();
}

tape_error:
  if (EVAL) {
    /* Off the window or off the tape: the run tells which. */
    why = BF_EVAL_TAPE;
    goto eval_stop;
  }
  st->status = BFJIT_ERR_TAPE;
  st->err_cell = (int64_t)(at - tape) / (int64_t)sizeof(CELL);
stop:
  st->p = (uint8_t *)p;
  st->steps = steps;
  return -1;

eval_stop:
  /* The op at 'ip' has not run (a SCAN that went part of the way is
  ** rewound): the state is the one before it. */
  if (ip->lbl == &&op_SCAN)
    p = scan_from;
  ev->fuel = fuel;
  ev->pc = (uint32_t)(ip - code);
  ev->why = why;
  st->p = (uint8_t *)p;
  st->steps = steps;
  return 0;
#undef TOUCH
#undef OUTPUT
#undef DISPATCH
#undef NEXT
}
