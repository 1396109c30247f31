/*
** bf_opt.h — the optimizer: passes that rewrite the IR, each in a file of
** its own and each switchable (BFJIT_PASS_* bits).
**
** Every pass is linear in the program's size and rewrites the array in place
** (it only ever shrinks, but for a loop whose first iteration 'linear'
** peels); the driver links it before a pass that reads 'aux' and after the
** last one (bf_ir_link). Passes keep the semantics of
** bfjit.h exactly, tape errors included: an op keeps the source offset of
** its first touching command, and no pass drops or reorders a touch that
** could fail.
*/
#ifndef BF_OPT_H
#define BF_OPT_H

#include <string.h>

#include "bf_ir.h"

/* The passes in the order they run: name, BFJIT_PASS_ bit, function, and
** whether it reads 'aux' (a LOOP's END): then it needs the IR linked. */
#define BF_PASSES(_) \
  _(fold,   FOLD,   bf_opt_fold,   0) /* +-+ -> ADD 1, >>< -> MOVE 1 */ \
  _(offset, OFFSET, bf_opt_offset, 0) /* >+>+<< -> ADD@1, ADD@2, MOVE 0 dropped */ \
  _(clear,  CLEAR,  bf_opt_clear,  0) /* [-]+++ -> SET 3 */ \
  _(linear, LINEAR, bf_opt_linear, 0) /* [->++<] -> IF, MUL@1 x2, SET 0 */ \
  _(scan,   SCAN,   bf_opt_scan,   0) /* [>>] -> SCAN 2 */ \
  _(dead,   DEAD,   bf_opt_dead,   1) /* [-][never runs] -> SET 0 */ \
  _(known,  KNOWN,  bf_opt_known,  1) /* ++[->+++<] -> SET@1=6 */

#define BF_PASSDECL(name, bit, fn, aux) void fn(bf_ir *ir);
BF_PASSES(BF_PASSDECL)
#undef BF_PASSDECL

/* Runs every pass whose bit is in 'passes', in table order, in rounds until
** a round changes nothing (four at most): from the second round on, the
** passes see IR that later passes made (IFs, fewer loops). */
void bf_opt_run(bf_ir *ir, unsigned passes);

/* The sink pass (BFJIT_PASS_SINK, in bf_opt_offset.c), once the rounds
** are done: the moves left before IFs, MULs, scans and loop tests sink
** past them, so these test and read c(off) (a MUL and a SCAN c(aux)), and a
** loop's moves settle once, before its END. The other passes never see tests at an offset.
** Returns -1 when memory runs out, the IR unchanged (and as correct). */
int bf_opt_offset_tests(bf_ir *ir);

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
