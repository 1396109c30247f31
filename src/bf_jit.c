/*
** bf_jit.c — tier 1's architecture-neutral half: the check plan (bf_plan.c)
** and the blocks within which cells may live in registers, then assembling a
** region through the back end into sealed executable memory.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_arch.h"
#include "bf_dasm.h"
#include "bf_param.h"
#include "bf_plan.h"

const char *bf_abort_text(bf_abort a)
{
  static const char *const text[] = {
#define BF_ABORTTEXT(name, t) t,
    BF_ABORTS(BF_ABORTTEXT)
#undef BF_ABORTTEXT
  };
  return text[a];
}

/* Sorts as qsort does. The arrays sorted here are mostly a loop's few
** cells, where an insertion sort costs a fraction of qsort's setup; a long
** one goes to qsort. */
static void sort(void *base, size_t n, size_t size,
                 int (*cmp)(const void *, const void *))
{
  unsigned char *a = base, t[32];
  if (n > 24 || size > sizeof t) {
    qsort(base, n, size, cmp);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    size_t j = i;
    memcpy(t, a + i * size, size);
    for (; j > 0 && cmp(a + (j - 1) * size, t) > 0; j--)
      memcpy(a + j * size, a + (j - 1) * size, size);
    memcpy(a + j * size, t, size);
  }
}

/* -- Blocks ---------------------------------------------------------------- */

/* One use of a cell within a block: 'main' for the cell an op changes. */
typedef struct use {
  int64_t cell;   /* offset from 'p' at the block's start */
  uint32_t k;
  int main;
  uint32_t epoch; /* IFs (not flat) before it in the block: uses of one
                     epoch run together or not at all */
} use;

/* The slot of c(cell) in a table of 2^bits slots (Fibonacci hashing:
** cells a stride apart spread out too). */
static size_t slot(int64_t cell, unsigned bits)
{
  return (size_t)(((uint64_t)cell * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - bits));
}

/* Marks 'reuse' on ops whose changed cell is touched again later in their
** block, as the fast version sees blocks (a flat IF does not end one). Only
** such cells are worth a register. Marks 'dead' those whose value a SET
** overwrites unread: the fast version, where the hoisted check covers
** their touch, emits nothing for them. Each use meets the one before it
** of its cell through a hash table of the block's cells ('last', at most
** half full): one walk, where sorting the uses by cell cost more. */
static int mark_reuse(const bf_op *ops, uint32_t first, uint32_t n,
                      bf_plan *plan)
{
  size_t most = 2 * (size_t)n + 1, slots = 2;  /* uses in a block at most */
  while (slots < 2 * most)
    slots *= 2;
  use *u = malloc(most * sizeof *u);
  uint32_t *last = malloc(slots * sizeof *last);  /* a use's index + 1, or 0 */
  if (!u || !last) {
    free(u);
    free(last);
    return -1;
  }
  uint32_t k = 0;
  while (k < n) {
    size_t nu = 0;
    int64_t d = 0;
    uint32_t start = k, ifs = 0;
    for (; k < n && (k == start || !plan[k].ftarget); k++) {
      const bf_op *o = &ops[first + k];
      int ends = 0;
      switch (o->op) {
      case BF_ADD: case BF_SET:
        u[nu++] = (use){ d + o->off, k, 1, ifs };
        break;
      case BF_MUL:
        u[nu++] = (use){ d + o->off, k, 1, ifs };
        u[nu++] = (use){ d + bf_mul_src(o), k, 0, ifs };
        break;
      case BF_MOVE:
        d += o->off;
        break;
      case BF_IF:  /* a flat one tests nothing in the fast version */
        if (!plan[k].flat)
          u[nu++] = (use){ d + o->off, k, 0, ifs++ };
        break;
      case BF_LOOP: case BF_END:  /* their test reads a cached cell */
        if (!(o->op == BF_END && plan[k].once))  /* it tests nothing */
          u[nu++] = (use){ d + o->off, k, 0, ifs };
        /* A body no jump lands on (a loop that runs at most once) goes
        ** on with the cache, as an IF's does. */
        if (o->op == BF_LOOP && !plan[k + 1].ftarget)
          ifs++;
        else
          ends = 1;
        break;
      default:  /* IN, OUT, SCAN, HALT: the cache is written back before
                   them, so a cell they read gains nothing from a register */
        ends = 1;
        break;
      }
      if (ends) {
        k++;
        break;
      }
    }
    /* A value the next touch reads is worth a register; one that a SET
    ** surely overwrites first is dead. */
    if (nu < 2)
      continue;
    unsigned bits = 1;
    while (((size_t)1 << bits) < 2 * nu)
      bits++;
    size_t mask = ((size_t)1 << bits) - 1;
    memset(last, 0, (mask + 1) * sizeof *last);
    for (size_t i = 0; i < nu; i++) {
      size_t h = slot(u[i].cell, bits);
      while (last[h] && u[last[h] - 1].cell != u[i].cell)
        h = (h + 1) & mask;
      const use *prev = last[h] ? &u[last[h] - 1] : NULL;
      last[h] = (uint32_t)i + 1;
      if (!prev || !prev->main)
        continue;
      if (ops[first + u[i].k].op == BF_SET && u[i].epoch == prev->epoch)
        plan[prev->k].dead = 1;
      else
        plan[prev->k].reuse = 1;
    }
  }
  free(u);
  free(last);
  return 0;
}

/* -- Cells in registers across a loop ------------------------------------ */

/* A balanced loop with no I/O in it (a call would clobber the registers)
** keeps its most used cells in registers from its head to its exits: 'p' at
** every op of it is a constant away from 'p' at its head, whichever way the
** branches went, so each cell has one register throughout. A use weighs
** more the deeper it is nested (it runs more often). The outermost such
** loop with a cell worth it wins; its inner loops share its registers. */
#define PIN_BODY_MAX 1024  /* ops in a loop considered at most */
#define PIN_CELLS 64       /* distinct cells in a loop considered at most */

typedef struct cand { int64_t off; uint64_t weight; int written; } cand;

static int by_weight(const void *a, const void *b)
{
  const cand *x = a, *y = b;
  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* Counts a use of c(off); returns -1 when there are too many cells. */
static int note(cand *c, int *nc, int64_t off, uint64_t w, int written)
{
  for (int i = 0; i < *nc; i++)
    if (c[i].off == off) {
      c[i].weight += w;
      c[i].written |= written;
      return 0;
    }
  if (*nc == PIN_CELLS)
    return -1;
  c[(*nc)++] = (cand){ off, w, written };
  return 0;
}

/* The candidates of loop 'k' ending at 'e', best first; returns how many,
** or 0 when the loop cannot keep cells in registers. */
static int loop_cells(const bf_op *ops, uint32_t first, uint32_t k, uint32_t e,
                      cand *c)
{
  int nc = 0, depth = 0;
  int64_t d = 0;
  if (e - k > PIN_BODY_MAX)
    return 0;
  for (uint32_t j = k + 1; j <= e; j++) {
    const bf_op *o = &ops[first + j];
    uint64_t w = (uint64_t)1 << (3 * (depth < 10 ? depth : 10));
    int r = 0;
    switch (o->op) {
    case BF_ADD: case BF_SET:
      r = note(c, &nc, d + o->off, w, 1);
      break;
    case BF_MUL:
      r = note(c, &nc, d + o->off, w, 1);
      if (!r)
        r = note(c, &nc, d + bf_mul_src(o), w, 0);
      break;
    case BF_MOVE:
      d += o->off;
      break;
    case BF_IF:
      r = note(c, &nc, d + o->off, w, 0);
      break;
    case BF_LOOP:
      r = note(c, &nc, d + o->off, w, 0);
      depth++;
      break;
    case BF_END:  /* the test runs once an iteration of its own loop */
      r = note(c, &nc, d + o->off, w, 0);
      depth--;
      break;
    default:  /* IN, OUT, SCAN, HALT */
      return 0;
    }
    if (r)
      return 0;
  }
  sort(c, (size_t)nc, sizeof *c, by_weight);
  /* A cell only read once an iteration gains nothing; one written once
  ** an iteration no longer carries its value through memory. */
  int keep = 0;
  for (int i = 0; i < nc && keep < BF_PIN_MAX; i++)
    if (c[i].weight >= 2 || c[i].written)
      c[keep++] = c[i];
  return keep;
}

/* The chains of a drifting loop 'k' (END 'e') whose body is one segment
** moving 'p' by m each iteration: c(y), c(y+m), .. c(y+jm), all touched in
** the body, which writes some cell of the chain past the first. What
** iteration i leaves in c(y+m) the next one reads as c(y): through memory,
** a store forwarded to a load every iteration; here from register to
** register. A recurrence gains (long.b's 'c(34) += c(35) * 3' moving down
** one cell), and so does a value only carried: mandelbrot's
** 'c(62) += c(53); c(53) = 0' moving down nine spent 20% of its time on
** Zen 5 waiting for the cleared cell to come back as c(62). The back edge
** refills the last from the tape, c(y+jm+m): it must lie in the range the
** body's check proved. Returns the pins written to 'out'. */
static int drift_chains(const bf_op *ops, uint32_t first, uint32_t k, uint32_t e,
                        const bf_plan *plan, bf_pin *out)
{
  cand c[PIN_CELLS];
  int nc = 0, np = 0;
  const bf_plan *cp = &plan[k + 1];
  int64_t m = plan[e].drift;
  if (!cp->cp || !cp->side || cp->lo > cp->hi || e - k > PIN_BODY_MAX)
    return 0;
  for (uint32_t j = k + 1; j < e; j++) {
    const bf_op *o = &ops[first + j];
    int r = 0;
    switch (o->op) {
    case BF_MUL:
      r = note(c, &nc, bf_mul_src(o), 1, 0);
      /* fall through */
    case BF_ADD: case BF_SET:
      if (!r)
        r = note(c, &nc, o->off, 1, 1);
      break;
    case BF_IF: case BF_LOOP: case BF_END:
      r = note(c, &nc, o->off, 1, 0);
      break;
    case BF_MOVE: r = j + 1 != e; break;  /* one move, before the END */
    default: return 0;                    /* I/O, scans: calls, unknown moves */
    }
    if (r)
      return 0;
  }
  for (int i = 0; i < nc; i++) {
    int at[BF_PIN_MAX], len = 0, start = 1, carries = 0;
    for (int j = 0; j < nc; j++)
      start &= c[j].off != c[i].off - m;
    for (int64_t y = c[i].off; start && len < BF_PIN_MAX; y += m) {
      int j = 0;
      while (j < nc && c[j].off != y)
        j++;
      if (j == nc)
        break;
      at[len++] = j;
    }
    /* The refill must be proven on the tape: else the chain is shorter. */
    while (len >= 2 && !(c[at[len - 1]].off + m >= cp->lo && c[at[len - 1]].off + m <= cp->hi))
      len--;
    for (int j = 1; j < len; j++)
      carries |= c[at[j]].written;
    if (!carries || np + len > BF_PIN_MAX)
      continue;
    for (int j = 0; j < len; j++)
      out[np++] = (bf_pin){ (int32_t)c[at[j]].off, 1, (uint8_t)(j == len - 1) };
  }
  return np;
}

/* Chooses the loops that keep cells in registers; '*pins' (owned by the
** caller) gets their cells. Returns 0 or -1 when memory runs out. */
static int mark_pins(const bf_op *ops, uint32_t first, uint32_t n,
                     bf_plan *plan, bf_pin **pins)
{
  cand c[PIN_CELLS];
  size_t np = 0, cap = 0;
  bf_pin *p = NULL;
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &ops[first + k];
    if (o->op != BF_LOOP || plan[k].once)
      continue;
    uint32_t e = o->aux - first;
    bf_pin rot[BF_PIN_MAX];
    int nc = plan[k].balanced ? loop_cells(ops, first, k, e, c)
                              : drift_chains(ops, first, k, e, plan, rot);
    if (nc == 0)
      continue;  /* its inner loops may still */
    if (np + (size_t)nc > cap) {
      cap = cap ? 2 * cap : 64;
      bf_pin *q = realloc(p, cap * sizeof *q);
      if (!q) {
        free(p);
        return -1;
      }
      p = q;
    }
    plan[k].pin = plan[e].pin = (uint32_t)np;
    if (!plan[k].balanced) {
      plan[k].nrot = plan[e].nrot = (uint8_t)nc;
      for (int i = 0; i < nc; i++)
        p[np++] = rot[i];
      k = e;
      continue;
    }
    plan[k].npin = plan[e].npin = (uint8_t)nc;
    for (int i = 0; i < nc; i++)
      p[np++] = (bf_pin){ (int32_t)c[i].off, (uint8_t)c[i].written, 0 };
    k = e;  /* its inner loops use its registers */
  }
  *pins = p;
  return 0;
}

/* -- Compiling a region -------------------------------------------------- */

/* Links and encodes what the back end emitted into sealed executable memory
** 'm'; '*size' gets the code's bytes. */
static bf_abort assemble(bf_jit *J, bf_mcode *m, size_t *size)
{
  if (dasm_link(&J->D, size) != 0)  /* DASM_S_OK is 0 on every arch */
    return BF_ABORT_DASM;
  if (bf_mcode_map(m, *size))
    return BF_ABORT_MMAP;
  if (dasm_encode(&J->D, m->base) != 0)
    return BF_ABORT_DASM;
  if (bf_mcode_seal(m))
    return BF_ABORT_MMAP;
  return BF_ABORT_OK;
}

/* Runs 'backend' on 'J'; DynASM's allocation failure lands here. */
static bf_abort emit(bf_jit *J, bf_abort (*backend)(bf_jit *))
{
  if (setjmp(J->oom))
    return BF_ABORT_NOMEM;
  return backend(J);
}

/* The context for compiling ops [first, first+n) of 'prog' with 'plan'. */
static bf_jit context(const bfjit_program *prog, uint32_t first, uint32_t n,
                      const bf_plan *plan)
{
  return (bf_jit){ .ops = prog->ir.ops, .first = first, .end = first + n, .n = n,
                   .nlab = n, .width = prog->opt.cell_bits / 8,
                   .tape_bytes = prog->opt.tape_cells * (prog->opt.cell_bits / 8),
                   .count_steps = prog->opt.max_steps != 0, .plan = plan,
                   .checked = UINT32_MAX };
}

bf_abort bf_jit_compile(const bfjit_program *prog, uint32_t first, uint32_t end,
                        int list, bf_region **out)
{
#if !BF_HAVE_JIT
  (void)prog; (void)first; (void)end; (void)list; (void)out;
  return BF_ABORT_NOJIT;
#else
  uint32_t n = end - first;
  if (n > BF_P_region_ops)
    return BF_ABORT_SIZE;
  bf_region *r = calloc(1, sizeof *r);
  bf_jit *J = calloc(1, sizeof *J);
  bf_pin *pins = NULL;
  bf_abort why = BF_ABORT_NOMEM;
  if (!r || !J || !(r->plan = malloc((n ? n : 1) * sizeof *r->plan)))
    goto done;
  bf_plan *plan = r->plan;
  int pr = bf_plan_make(prog->ir.ops, first, n, plan);
  if (pr) {
    why = pr == -2 ? BF_ABORT_RANGE : BF_ABORT_NOMEM;
    goto done;
  }
  if (mark_reuse(prog->ir.ops, first, n, plan) ||
      mark_pins(prog->ir.ops, first, n, plan, &pins))
    goto done;  /* 'why' is still NOMEM */
  for (uint32_t k = 0; k < n; k++)
    r->nchk += (uint32_t)bf_plan_versioned(&plan[k]);
  r->chk_cp = malloc((r->nchk + 1) * sizeof *r->chk_cp);
  r->chk_slot = malloc((r->nchk + 1) * sizeof *r->chk_slot);
  r->chk = calloc(r->nchk + 1, sizeof *r->chk);
  r->op_ofs = malloc((n + 1) * sizeof *r->op_ofs);
  if (!r->chk_cp || !r->chk_slot || !r->chk || !r->op_ofs)
    goto done;
  for (uint32_t k = 0, i = 0; k < n; k++)
    if (bf_plan_versioned(&plan[k]))
      r->chk_cp[i++] = k;
  *J = context(prog, first, n, plan);
  J->list = r->listed = list;
  J->pins = pins;
  J->chk_cp = r->chk_cp;
  J->slot = r->chk_slot;
  J->nchk = r->nchk;
  why = emit(J, bf_asm_fast);
  if (why == BF_ABORT_OK)
    why = assemble(J, &r->mcode, &r->code_size);
  if (why != BF_ABORT_OK)
    goto done;

  /* Loop ids are numbered in op order, so a region's loops are a range. */
  const uint8_t *base = r->mcode.base;
  r->first = first;
  r->end = end;
  r->enter = (bf_jit_fn)(void *)(base + dasm_getpclabel(&J->D, BF_PC_ENTER(J)));
  r->start = base + dasm_getpclabel(&J->D, BF_PC_OP(J, 0));
  r->loop0 = UINT32_MAX;
  for (uint32_t k = 0; k < n; k++)
    if (prog->ir.ops[first + k].op == BF_LOOP) {
      if (r->loop0 == UINT32_MAX)
        r->loop0 = prog->ir.ops[first + k].val;
      r->nloops++;
    }
  why = BF_ABORT_NOMEM;
  r->entry = calloc(r->nloops ? r->nloops : 1, sizeof *r->entry);
  if (!r->entry)
    goto done;
  for (uint32_t k = 0; k < n; k++)
    r->op_ofs[k] = bf_jit_labelled(J, k) ? (uint32_t)dasm_getpclabel(&J->D, BF_PC_OP(J, k))
                                          : UINT32_MAX;
  r->op_ofs[n] = (uint32_t)dasm_getpclabel(&J->D, BF_PC_OP(J, n));
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &prog->ir.ops[first + k];
    if (o->op == BF_LOOP)
      r->entry[o->val - r->loop0] =
        base + dasm_getpclabel(&J->D, plan[k].cp ? BF_PC_OP(J, k) : BF_PC_ENTRY(J, k));
  }
  /* No checked version yet: a failed check leaves with BF_RESUME_CHECKED. */
  r->leave = base + dasm_getpclabel(&J->D, BF_PC_LEAVE(J));
  for (uint32_t i = 0; i < r->nchk; i++)
    r->chk_slot[i] = r->leave;
  *out = r;
  r = NULL;
  why = BF_ABORT_OK;
done:
  if (J && J->D)
    dasm_free(&J->D);
  free(J);
  free(pins);
  bf_region_free(r);
  return why;
#endif
}

/* -- Compiling a checked version ----------------------------------------- */

#if BF_HAVE_JIT

/* A region's checked versions share mappings of at least this many bytes:
** a page each would waste most of it, and a mapping each is a system call
** more each time (and counts against the process's limit of mappings). */
#define CHK_MAP_BYTES (16u << 10)

/* Where the next 'size' bytes of checked code of 'r' go, read-write until
** bf_mcode_seal(the mapping it returns in '*m'); NULL when out of memory. */
static uint8_t *chk_room(bf_region *r, size_t size, bf_mcode **m)
{
  size_t at = (r->chk_fill + 15) & ~(size_t)15;  /* where a fetch block starts */
  if (r->nchk_map && at + size <= r->chk_map[r->nchk_map - 1].size) {
    *m = &r->chk_map[r->nchk_map - 1];
    if (bf_mcode_unseal(*m))
      return NULL;
    r->chk_fill = at + size;
    return (uint8_t *)(*m)->base + at;
  }
  bf_mcode *maps = realloc(r->chk_map, (r->nchk_map + 1) * sizeof *maps);
  if (!maps)
    return NULL;
  r->chk_map = maps;
  *m = &maps[r->nchk_map];
  if (bf_mcode_map(*m, size > CHK_MAP_BYTES ? size : CHK_MAP_BYTES))
    return NULL;
  r->nchk_map++;
  r->chk_bytes += (*m)->size;
  r->chk_fill = size;
  return (*m)->base;
}

/* Drops the checked versions in mapping 'm' of 'r': their slots lead out
** again. */
static void forget_map(bf_region *r, const bf_mcode *m)
{
  const uint8_t *base = m->base;
  for (uint32_t i = 0; i < r->nchk; i++) {
    bf_checked *c = r->chk[i];
    if (c && (const uint8_t *)c->code >= base && (const uint8_t *)c->code < base + m->size) {
      r->chk_slot[i] = r->leave;
      free(c->op_ofs);
      free(c);
      r->chk[i] = NULL;
    }
  }
}

/* Compiles the checked version of the segment at check point 'cp' of 'r'. */
static bf_abort compile_checked(const bfjit_program *prog, bf_region *r,
                                uint32_t cp, bf_checked **out)
{
  uint32_t n = r->end - r->first, len = 1;
  while (cp + len < n && !r->plan[cp + len].cp)
    len++;
  bf_checked *c = calloc(1, sizeof *c);
  bf_jit *J = calloc(1, sizeof *J);
  uint32_t *far = malloc((len + 1) * sizeof *far);
  bf_abort why = BF_ABORT_NOMEM;
  if (!c || !J || !far || !(c->op_ofs = malloc((len + 1) * sizeof *c->op_ofs)))
    goto done;
  *J = context(prog, r->first, n, r->plan);
  J->checked = cp;
  J->list = r->listed;
  J->lab0 = cp;
  J->nlab = len;
  J->base = r->mcode.base;
  J->op_ofs = r->op_ofs;
  J->far = far;
  why = emit(J, bf_asm_checked);
  if (why != BF_ABORT_OK)
    goto done;
  why = BF_ABORT_DASM;
  if (dasm_link(&J->D, &c->code_size) != 0)
    goto done;
  bf_mcode *m;
  uint8_t *at = chk_room(r, c->code_size, &m);
  why = BF_ABORT_MMAP;
  if (!at)
    goto done;
  /* Sealed again whatever happens: other checked versions live there. */
  int bad = dasm_encode(&J->D, at) != 0;
  if (bf_mcode_seal(m)) {
    forget_map(r, m);  /* their code cannot run: compile them again */
    goto done;
  }
  why = BF_ABORT_DASM;
  if (bad)
    goto done;
  c->code = at;
  c->cp = cp;
  c->n = len;
  for (uint32_t j = 0; j < len; j++)
    c->op_ofs[j] = bf_jit_labelled(J, cp + j)
                     ? (uint32_t)dasm_getpclabel(&J->D, BF_PC_CHK(J, cp + j)) : UINT32_MAX;
  c->op_ofs[len] = (uint32_t)dasm_getpclabel(&J->D, BF_PC_ENTER(J));
  *out = c;
  c = NULL;
  why = BF_ABORT_OK;
done:
  if (J && J->D)
    dasm_free(&J->D);
  free(J);
  free(far);
  if (c) {
    free(c->op_ofs);
    free(c);
  }
  return why;
}
#endif

uint32_t bf_jit_segment(const bf_region *r, uint32_t k)
{
  uint32_t cp = r->plan[k].seg, lo = 0, hi = r->nchk;
  while (lo < hi) {  /* chk_cp is ascending */
    uint32_t mid = lo + (hi - lo) / 2;
    if (r->chk_cp[mid] < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < r->nchk && r->chk_cp[lo] == cp ? lo : UINT32_MAX;
}

bf_abort bf_jit_compile_checked(const bfjit_program *prog, bf_region *r, uint32_t i)
{
#if !BF_HAVE_JIT
  (void)prog; (void)r; (void)i;
  return BF_ABORT_NOJIT;
#else
  if (r->chk[i])
    return BF_ABORT_OK;
  bf_abort why = compile_checked(prog, r, r->chk_cp[i], &r->chk[i]);
  if (why == BF_ABORT_OK)
    r->chk_slot[i] = r->chk[i]->code;
  return why;
#endif
}

void bf_region_free(bf_region *r)
{
  if (!r)
    return;
  bf_mcode_unmap(&r->mcode);
  for (uint32_t i = 0; r->chk && i < r->nchk; i++)
    if (r->chk[i]) {
      free(r->chk[i]->op_ofs);
      free(r->chk[i]);
    }
  for (uint32_t i = 0; i < r->nchk_map; i++)
    bf_mcode_unmap(&r->chk_map[i]);
  free(r->chk_map);
  free(r->chk);
  free(r->chk_cp);
  free(r->chk_slot);
  free(r->plan);
  free(r->entry);
  free(r->op_ofs);
  free(r);
}
