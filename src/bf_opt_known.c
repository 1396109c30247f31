/*
** bf_opt_known.c — known values. One walk follows what is known of each
** cell near 'p': a constant, or nothing. At the start every cell is 0; IN
** makes its cell unknown. A loop's body starts knowing nothing (it may run
** any number of times). After the loop its cell is 0 (its END falls through
** only then, and so a SCAN's cell too), and when every iteration ends where
** it began, the cells its body never stores to hold what they held before
** it; after a loop that drifts, or a SCAN, nothing else is known. With that:
**
**   - a LOOP, IF or SCAN whose c(0) is known to be 0 is dropped; an IF whose
**     c(0) is a known K != 0 becomes its body, each MUL an ADD of K times
**     its factor (a LOOP known to run stays a loop: it may run again);
**   - an ADD to a known cell is a SET of the sum; a SET of the value the
**     cell holds, or an ADD of 0, is dropped; output of a known cell already
**     touched is a PUT of its value;
**   - dead stores: a cell stored to twice with nothing touching it between
**     gets one op, where the first store was, storing what the last one did;
**     a MUL in an IF whose target a later SET overwrites unread is a touch;
**   - the copy idiom ('[->+>+<<]>>[-<<+>>]', a cell moved to a temporary
**     known to be 0 and back) leaves the cell where it is: copy_back.
**
** Touches stay exact, so a tape error stays at the same command as at -O0.
** An op is dropped only when its cell was touched already, by an op that
** stays and always ran before it: that op raised any error first. Cells 0
** to BF_TAPE_MIN_CELLS - 1 count as touched while 'p' is known to be where
** the program started: they are on every tape. A dropped test on a cell not
** touched yet leaves its touch behind as ADD 0, charged to its command.
**
** A dead store is not simply dropped: it may be its cell's first touch.
** The later store moves up into it instead (it keeps its place and its
** command) and the later op goes. That changes what the cell holds only
** between the two, where nothing reads it; ops on other cells between may
** stop the run with a tape error, after which the tape is never seen. Both
** stores must be in one window: a stretch of adds, stores and moves with
** no I/O, loop, SCAN or IF not followed between, so no output, input or
** branch sits between them either (they would end the run or take a path
** at a point where the cell's value differs, even if nothing reads it).
*/
#include <stdlib.h>

#include "bf_opt.h"
#include "bf_param.h"
#include "bf_tape.h"

typedef struct cell {
  int64_t key;     /* the cell: its offset from the base */
  uint64_t gen;    /* the slot holds 'key' while this is the state's 'gen' */
  uint64_t win;    /* 'store' is pending while this is the state's 'win' */
  size_t store;    /* output index of the op that stored to it last */
  uint32_t val;
  uint8_t known;   /* it holds 'val' */
  uint8_t touched; /* an op that stays, and always ran before, touched it */
  uint8_t noted;   /* in the 'wrote' list of the loop around */
} cell;

/* An open loop that is followed: its body's cells in a table of their own,
** so the table around keeps what was known at the LOOP; and where the body
** stores, to know what of that still holds after the END. */
typedef struct frame {
  cell c[BF_P_known_slots];
  uint64_t gen;           /* the table around's 'gen' at the LOOP */
  int start;              /* the state's 'start' there */
  int64_t head;           /* the LOOP's cell, as a key of the base there */
  int64_t at;             /* the base now, as an offset from the LOOP's cell */
  int64_t wrote[BF_P_known_wrote]; /* cells the body stores to, from the LOOP's cell */
  int nwrote;
  int ok;                 /* no drift so far, and 'wrote' has every cell */
} frame;

typedef struct state {
  cell *c;         /* the table in use: 'top', or the innermost frame's */
  uint64_t gen;    /* its entries with this 'gen' are valid */
  uint64_t gens;   /* 'gen's handed out: forgetting takes a new one */
  uint64_t win;    /* bumped to end the window of pending stores */
  int64_t d;       /* p's offset from the base */
  int start;       /* the base is cell 0, and cells without a slot hold 0 */
  size_t depth;    /* loops open */
  cell top[BF_P_known_slots]; /* the cells outside every loop followed */
  frame f[BF_P_known_depth];
} state;

/* What is known of cell 'key' (a copy: 'win' is 0 when none is pending). */
static cell view(const state *s, int64_t key)
{
  const cell *c = &s->c[key & (BF_P_known_slots - 1)];
  if (c->gen == s->gen && c->key == key)
    return *c;
  return (cell){ .key = key, .known = (uint8_t)s->start,
                 .touched = s->start && key >= 0 && key < BF_TAPE_MIN_CELLS };
}

/* The slot of cell 'key', taken over if another cell held it. That cell is
** forgotten; at the start it must have held 0, or cells without a slot are
** no longer known to hold 0. */
static cell *slot(state *s, int64_t key)
{
  cell *c = &s->c[key & (BF_P_known_slots - 1)];
  if (c->gen == s->gen && c->key == key)
    return c;
  if (c->gen == s->gen && !(c->known && c->val == 0))
    s->start = 0;
  *c = view(s, key);
  c->gen = s->gen;
  return c;
}

/* Forgets every cell; the base moves to 'p'. */
static void forget(state *s)
{
  s->gen = ++s->gens;
  s->win++;
  s->d = 0;
  s->start = 0;
}

/* The frame of the innermost open loop, when it is followed. */
static frame *inner(state *s)
{
  return s->depth >= 1 && s->depth <= BF_P_known_depth ? &s->f[s->depth - 1] : NULL;
}

/* Cell 'c' (of the table in use) may change: the loop around must not keep
** what it knew of it. */
static void wrote(state *s, cell *c)
{
  frame *f = inner(s);
  if (!f || !f->ok || c->noted)
    return;
  c->noted = 1;
  if (f->nwrote == BF_P_known_wrote)
    f->ok = 0;
  else
    f->wrote[f->nwrote++] = c->key + f->at;
}

/* A LOOP that may run: its body starts knowing nothing. */
static void open_loop(state *s)
{
  if (s->depth < BF_P_known_depth) {
    frame *f = &s->f[s->depth];
    f->gen = s->gen;
    f->start = s->start;
    f->head = s->d;
    f->at = 0;
    f->nwrote = 0;
    f->ok = 1;
    s->c = f->c;
  }
  s->depth++;
  forget(s);
  slot(s, 0)->touched = 1;
}

/* An END: its cell is 0. A loop that ends each iteration where it began
** leaves the cells it does not store to as they were; the loop around it
** counts its stores as its own. */
static void close_loop(state *s)
{
  frame *f = inner(s);
  int same = f && f->ok && f->at + s->d == 0;
  s->depth--;
  if (f)
    s->c = s->depth ? s->f[s->depth - 1].c : s->top;
  frame *up = inner(s);
  if (!same) {
    forget(s);
    if (up)
      up->ok = 0;  /* it drifted, or was too deep to follow */
  } else {
    s->gen = f->gen;  /* the table around is as the LOOP left it */
    s->win++;
    s->d = f->head;
    s->start = f->start;
    for (int i = 0; i < f->nwrote; i++) {
      cell *c = slot(s, f->head + f->wrote[i]);
      c->known = 0;
      wrote(s, c);
    }
  }
  cell *c = slot(s, s->d);
  c->touched = 1;
  c->known = 1;
  c->val = 0;
}

/* Appends op 'o' (on cell 'c') to the output at '*w': a pending store of
** the cell from now on. */
static void emit(bf_ir *ir, size_t *w, cell *c, const state *s, bf_op o)
{
  c->touched = 1;
  c->win = s->win;
  c->store = *w;
  ir->ops[(*w)++] = o;
}

/* A test of c(0) (LOOP, IF, SCAN) that is dropped: its touch stays, as
** ADD 0 at its command, unless c(0) was touched already. */
static void drop_test(bf_ir *ir, size_t *w, state *s, uint32_t src)
{
  cell *c = slot(s, s->d);
  if (!c->touched)
    emit(ir, w, c, s, (bf_op){ .op = BF_ADD, .off = 0, .val = 0, .src = src });
}

/* An ADD or a SET 'o'. */
static void store(bf_ir *ir, size_t *w, state *s, bf_op o, uint32_t mask)
{
  int64_t key = s->d + o.off;
  cell *c = slot(s, key);
  if (o.op == BF_SET) {
    if (c->win != s->win && c->known && c->val == o.val && c->touched)
      return;  /* it holds that already */
    c->known = 1;
    c->val = o.val;
  } else {
    if (c->win != s->win && o.val == 0 && c->touched)
      return;  /* adds nothing */
    if (c->known)
      c->val = (c->val + o.val) & mask;
  }
  wrote(s, c);
  if (c->win == s->win) {
    /* A store pending since nothing touched the cell: it takes this one. */
    bf_op *p = &ir->ops[c->store];
    if (c->known) {
      p->op = BF_SET;
      p->val = c->val;
    } else {
      p->val = (p->val + o.val) & mask;  /* an ADD, and 'o' one too */
    }
    return;
  }
  if (c->known) {
    o.op = BF_SET;
    o.val = c->val;
  }
  emit(ir, w, c, s, o);
}

/* Updates 's' past the IF at ops[i], not followed (c(0) is not known):
** a cell keeps what is known of it where both ways agree. Not run, c(0)
** was 0 and nothing changed; run, the body stored from what was known
** before, c(0) not 0 but unknown. Only c(0)'s touch dominates what
** follows. The body is adds, stores and MULs (bf_opt_linear). */
static void join(state *s, const bf_op *ops, size_t i, uint32_t mask)
{
  struct { int64_t key; uint32_t val; int known; } t[BF_P_known_body];
  int n = 0;
  for (size_t k = i + 1; k <= i + ops[i].val; k++) {
    const bf_op *o = &ops[k];
    int64_t key = s->d + o->off;
    int j;
    for (j = 0; j < n && t[j].key != key; j++)
      ;
    if (j == n) {
      if (n == BF_P_known_body) {
        cell *c = slot(s, key);
        c->known = 0;
        wrote(s, c);
        continue;
      }
      cell v = view(s, key);
      t[n].key = key;
      t[n].val = v.val;
      t[n++].known = key != s->d && v.known;
    }
    if (o->op == BF_SET) {
      t[j].known = 1;
      t[j].val = o->val;
    } else if (o->op == BF_ADD) {
      t[j].val = (t[j].val + o->val) & mask;
    } else if (o->val != 0) {
      t[j].known = 0;  /* a MUL adds c(0) times its factor */
    }
  }
  for (int j = 0; j < n; j++) {
    cell before = view(s, t[j].key);
    if (t[j].key == s->d)
      before.known = 1, before.val = 0;
    cell *c = slot(s, t[j].key);
    c->known = (uint8_t)(before.known && t[j].known && before.val == t[j].val);
    c->val = before.val;
    wrote(s, c);
  }
  slot(s, s->d)->touched = 1;
}

/* The copy idiom: '[->+>+<<]>>[-<<+>>]' moves c(0) to two cells and the
** second one, a temporary known to hold 0, back. As IR: an IF whose body
** adds c(0) to c(t) (factor 1, the only op on c(t)) and clears c(0) with no
** MUL after, then moves only, then an IF on c(t) whose body is 'c(0) +=
** c(t); c(t) = 0'. Returns the second IF's index when the IF at 'r' starts
** one, else 0. c(0) then never changes and c(t) stays 0, so the first body
** keeps only its other ops and the touch of c(t), and the second IF only
** its test's touch: the same cells are touched first in the same order. */
static size_t copy_back(const bf_ir *ir, const state *s, size_t r)
{
  const bf_op *ops = ir->ops;
  size_t end = r + 1 + ops[r].val, k = end;
  int64_t t = 0;
  for (; k < ir->n && ops[k].op == BF_MOVE; k++)
    t += ops[k].off;
  if (t == 0 || k + 2 >= ir->n || ops[k].op != BF_IF || ops[k].val != 2)
    return 0;
  const bf_op *a = &ops[k + 1], *b = &ops[k + 2];
  if (a->op == BF_SET)
    a = b, b = &ops[k + 1];
  if (a->op != BF_MUL || a->off != -t || a->val != 1 ||
      b->op != BF_SET || b->off != 0 || b->val != 0)
    return 0;
  int on_t = 0, cleared = 0;
  for (size_t j = r + 1; j < end; j++) {
    const bf_op *o = &ops[j];
    if (o->off == t && !(o->op == BF_MUL && o->val == 1))
      return 0;
    on_t += o->off == t;
    if (o->op == BF_MUL && cleared)
      return 0;  /* it read the cleared c(0) */
    if (o->off == 0 && o->op != BF_MUL)
      cleared = o->op == BF_SET && o->val == 0 ? cleared + 1 : 2;
  }
  cell c = view(s, s->d + t);
  return on_t == 1 && cleared == 1 && c.known && c.val == 0 ? k : 0;
}

/* Whether cell 'x' (an offset from 'p' at op 'k') is stored to by a SET
** before anything reads it, in the straight code from op 'k' on. */
static int overwritten(const bf_ir *ir, size_t k, int64_t x)
{
  for (size_t end = k + BF_P_known_body; k < ir->n && k < end; k++) {
    const bf_op *o = &ir->ops[k];
    if (o->op == BF_MOVE)
      x -= o->off;
    else if (o->op != BF_ADD && o->op != BF_SET)
      return 0;  /* a branch, I/O, a scan: the window ends */
    else if (o->off == x)
      return o->op == BF_SET;
  }
  return 0;
}

/* Dead MULs in the body of the IF at 'r' (not followed): a MUL whose
** target nothing reads before a later SET stores to it is only a touch,
** ADD 0 at its command. The body is then often flat (bf_plan.c). */
static void drop_dead_muls(bf_ir *ir, size_t r)
{
  size_t end = r + 1 + ir->ops[r].val;
  for (size_t j = r + 1; j < end; j++) {
    bf_op *o = &ir->ops[j];
    if (o->op != BF_MUL || o->off == 0)
      continue;
    size_t k = j + 1;
    while (k < end && ir->ops[k].off != o->off)
      k++;
    if (k == end && overwritten(ir, end, o->off))
      *o = (bf_op){ .op = BF_ADD, .off = o->off, .val = 0, .src = o->src };
  }
}

void bf_opt_known(bf_ir *ir)
{
  uint32_t mask = bf_cell_mask(ir->cell_bits);
  state *s = calloc(1, sizeof *s);
  if (!s)
    return;  /* no memory: the IR stays as it is */
  s->c = s->top;
  s->gen = s->gens = 1;
  s->win = 1;
  s->start = 1;
  size_t w = 0;
  size_t body_end = 0;  /* an IF's body followed as straight code ends here */
  uint32_t c0 = 0;      /* ... and c(0) holds this there */
  size_t copied = 0;    /* the IF that a copy idiom made a touch (copy_back) */
  for (size_t r = 0; r < ir->n; r++) {
    bf_op o = ir->ops[r];
    cell *c;
    switch (o.op) {
    case BF_MUL:
      if (r >= body_end) {
        /* Outside an IF (a linear loop's peeled iteration): c(0) may not
        ** be known. Its target is not; nothing merges into it. */
        slot(s, s->d)->touched = 1;
        c = slot(s, s->d + o.off);
        c->known = 0;
        wrote(s, c);
        emit(ir, &w, c, s, o);
        s->win++;
        break;
      }
      /* In a body followed (others are copied whole): c(0) is known. */
      o.op = BF_ADD;
      o.val = (o.val * c0) & mask;
      /* fall through */
    case BF_ADD: case BF_SET:
      if (r < body_end && o.off == 0)
        c0 = o.op == BF_SET ? o.val : (c0 + o.val) & mask;
      store(ir, &w, s, o, mask);
      break;
    case BF_MOVE:
      s->d += o.off;
      if (s->d >= BF_P_off_limit || s->d <= -BF_P_off_limit) {
        frame *f = inner(s);
        if (f)
          f->at += s->d;  /* the base moves to 'p' */
        forget(s);
      }
      ir->ops[w++] = o;
      break;
    case BF_IN: case BF_OUT:
      c = slot(s, s->d + o.off);
      if (o.op == BF_IN) {
        c->known = 0;
        wrote(s, c);
      } else if (c->known && c->touched) {
        /* Its touch raised any error already: the byte is a constant. */
        ir->ops[w++] = (bf_op){ .op = BF_PUT, .val = c->val & 0xff, .src = o.src };
        s->win++;
        break;
      }
      emit(ir, &w, c, s, o);
      s->win++;
      break;
    case BF_IF: {
      cell v = view(s, s->d);
      if (copied && r == copied) {
        drop_test(ir, &w, s, o.src);
        r += o.val;
        break;
      }
      size_t back = v.known ? 0 : copy_back(ir, s, r);
      if (back) {
        int64_t t = 0;
        for (size_t k = r + 1 + o.val; k < back; k++)
          t += ir->ops[k].off;
        size_t at = w;
        ir->ops[w++] = o;
        for (size_t k = r + 1; k <= r + o.val; k++) {
          bf_op b = ir->ops[k];
          if (b.off == t)
            b = (bf_op){ .op = BF_ADD, .off = b.off, .val = 0, .src = b.src };
          else if (b.off == 0 && b.op == BF_SET)
            continue;
          ir->ops[w++] = b;
        }
        ir->ops[at].val = (uint32_t)(w - at - 1);
        join(s, ir->ops, at, mask);
        r += o.val;
        s->win++;
        copied = back;
        break;
      }
      if (v.known) {
        drop_test(ir, &w, s, o.src);
        if (v.val == 0) {
          r += o.val;
        } else {
          body_end = r + 1 + o.val;
          c0 = v.val;
        }
        break;
      }
      drop_dead_muls(ir, r);
      join(s, ir->ops, r, mask);
      w = bf_opt_keep_if(ir, w, r);
      r += o.val;
      s->win++;
      break;
    }
    case BF_LOOP: case BF_SCAN: {
      cell v = view(s, s->d);
      if (v.known && v.val == 0) {
        drop_test(ir, &w, s, o.src);
        if (o.op == BF_LOOP)
          r = o.aux;  /* its END; the for loop steps past it */
        break;
      }
      ir->ops[w++] = o;
      if (o.op == BF_LOOP) {
        open_loop(s);
      } else {
        frame *f = inner(s);
        if (f)
          f->ok = 0;  /* 'p' moves by an amount not known here */
        forget(s);
        c = slot(s, 0);
        c->touched = 1;
        c->known = 1;
        c->val = 0;
      }
      break;
    }
    case BF_END:
      ir->ops[w++] = o;
      close_loop(s);
      break;
    default:
      ir->ops[w++] = o;
      break;
    }
  }
  free(s);
  ir->n = w;
}
