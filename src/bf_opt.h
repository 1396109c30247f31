/*
** bf_opt.h — the optimizer: passes that rewrite the IR, each in a file of
** its own and each switchable (BFJIT_PASS_* bits).
**
** Every pass is linear in the program's size, rewrites the array in place
** (it only ever shrinks, but for a loop whose first iteration 'linear'
** peels) and leaves it linked. Passes keep the semantics of
** bfjit.h exactly, tape errors included: an op keeps the source offset of
** its first touching command, and no pass drops or reorders a touch that
** could fail.
*/
#ifndef BF_OPT_H
#define BF_OPT_H

#include <string.h>

#include "bf_ir.h"

/* The passes in the order they run: name, BFJIT_PASS_ bit, function. */
#define BF_PASSES(_) \
  _(fold,   FOLD,   bf_opt_fold)   /* +-+ -> ADD 1, >>< -> MOVE 1 */ \
  _(offset, OFFSET, bf_opt_offset) /* >+>+<< -> ADD@1, ADD@2, MOVE 0 dropped */ \
  _(clear,  CLEAR,  bf_opt_clear)  /* [-]+++ -> SET 3 */ \
  _(linear, LINEAR, bf_opt_linear) /* [->++<] -> IF, MUL@1 x2, SET 0 */ \
  _(scan,   SCAN,   bf_opt_scan)   /* [>>] -> SCAN 2 */ \
  _(dead,   DEAD,   bf_opt_dead)   /* [-][never runs] -> SET 0 */ \
  _(known,  KNOWN,  bf_opt_known)  /* ++[->+++<] -> SET@0=0, SET@1=6 */

#define BF_PASSDECL(name, bit, fn) void fn(bf_ir *ir);
BF_PASSES(BF_PASSDECL)
#undef BF_PASSDECL

/* Runs every pass whose bit is in 'passes', in table order, in rounds until
** a round changes nothing (four at most): from the second round on, the
** passes see IR that later passes made (IFs, fewer loops). */
void bf_opt_run(bf_ir *ir, unsigned passes);

/* Copies the IF at index 'r' and its body, as they are, to index 'w' (not
** past 'r'); returns the index after them. A pass that merges neighbours
** keeps IFs whole this way: an op after a body must not merge into it. */
static inline size_t bf_opt_keep_if(bf_ir *ir, size_t w, size_t r)
{
  size_t n = 1 + (size_t)ir->ops[r].val;
  memmove(&ir->ops[w], &ir->ops[r], n * sizeof *ir->ops);
  return w + n;
}

#endif
