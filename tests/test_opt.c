/*
** test_opt.c — each optimization pass on its own, called directly on IR
** from bf_parse (after the passes it builds on), with the exact op sequence
** it must produce; the look-alikes a pass must leave alone; and linearity.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bf_tape.h"
#include "ir_text.h"

#define F BFJIT_PASS_FOLD
#define FO (BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET)

typedef void (*pass_fn)(bf_ir *ir);

/* Parses 'src' at 'bits', runs the passes 'pre' through the driver, then
** 'pass' alone (and re-links, as the driver does). */
static void run_pass(const char *src, unsigned bits, unsigned pre, pass_fn pass,
                     bf_ir *ir)
{
  ir_parse(src, bits, ir);
  bf_opt_run(ir, pre);
  if (pass) {
    pass(ir);
    bf_ir_link(ir);
  }
}

/* Asserts that 'pass' after 'pre' turns 'src' into 'want'. */
static void check_at(unsigned bits, unsigned pre, pass_fn pass, const char *src,
                     const char *want)
{
  bf_ir ir;
  run_pass(src, bits, pre, pass, &ir);
  char *got = ir_text(&ir);
  if (strcmp(got, want) != 0) {
    print_error("for \"%s\" at %u bits\n  want: %s\n  got:  %s\n", src, bits,
                want, got);
    free(got);
    bf_ir_free(&ir);
    fail();
  }
  free(got);
  bf_ir_free(&ir);
}

#define check(pre, pass, src, want) check_at(8, (pre), (pass), (src), (want))

/* A string of 'n' copies of 'unit' (malloc'd). */
static char *repeat(const char *unit, size_t n)
{
  size_t u = strlen(unit);
  char *s = malloc(u * n + 1);
  for (size_t i = 0; i < n; i++)
    memcpy(s + i * u, unit, u);
  s[u * n] = '\0';
  return s;
}

/* Concatenates up to four strings (malloc'd). */
static char *cat(const char *a, const char *b, const char *c, const char *d)
{
  size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d);
  char *s = malloc(n + 1);
  strcpy(s, a);
  strcat(s, b);
  strcat(s, c);
  strcat(s, d);
  return s;
}

/* -- fold ----------------------------------------------------------------- */

static void fold_runs(void **state)
{
  (void)state;
  check(0, bf_opt_fold, "+++", "ADD@0=3 HALT");
  check(0, bf_opt_fold, "---", "ADD@0=-3 HALT");
  check(0, bf_opt_fold, "+++--", "ADD@0=1 HALT");
  check(0, bf_opt_fold, ">>>", "MOVE=3 HALT");
  check(0, bf_opt_fold, ">>><", "MOVE=2 HALT");
  check(0, bf_opt_fold, "<<<>", "MOVE=-2 HALT");
  check(0, bf_opt_fold, "+>+", "ADD@0=1 MOVE=1 ADD@0=1 HALT");
  check(0, bf_opt_fold, "+ comment +\n+", "ADD@0=3 HALT");
}

/* '+-' still touches its cell, so it stays as ADD 0; '><' touches nothing. */
static void fold_zero_sums(void **state)
{
  (void)state;
  check(0, bf_opt_fold, "+-", "ADD@0=0 HALT");
  check(0, bf_opt_fold, "--++", "ADD@0=0 HALT");
  check(0, bf_opt_fold, "><", "HALT");
  check(0, bf_opt_fold, "<<>>", "HALT");
  /* Once '><' is gone, the adds around it are one run. */
  check(0, bf_opt_fold, "+><+", "ADD@0=2 HALT");
  check(0, bf_opt_fold, ">+<>-<", "MOVE=1 ADD@0=0 MOVE=-1 HALT");
}

static void fold_wraps_at_width(void **state)
{
  (void)state;
  char *s = repeat("+", 256);
  check_at(8, 0, bf_opt_fold, s, "ADD@0=0 HALT");
  check_at(16, 0, bf_opt_fold, s, "ADD@0=256 HALT");
  free(s);
  s = repeat("-", 65537);
  check_at(16, 0, bf_opt_fold, s, "ADD@0=-1 HALT");
  check_at(32, 0, bf_opt_fold, s, "ADD@0=-65537 HALT");
  free(s);
}

/* Runs end at every other op: I/O and loop boundaries split them. */
static void fold_boundaries(void **state)
{
  (void)state;
  check(0, bf_opt_fold, "+.+", "ADD@0=1 OUT@0 ADD@0=1 HALT");
  check(0, bf_opt_fold, "+,+", "ADD@0=1 IN@0 ADD@0=1 HALT");
  check(0, bf_opt_fold, "+[+]+", "ADD@0=1 LOOP ADD@0=1 END ADD@0=1 HALT");
  check(0, bf_opt_fold, ">[>]>", "MOVE=1 LOOP MOVE=1 END MOVE=1 HALT");
}

/* A folded op keeps the source offset of its first command. */
static void fold_keeps_first_src(void **state)
{
  (void)state;
  bf_ir ir;
  run_pass("x++y+.>>", 8, 0, bf_opt_fold, &ir);
  assert_ir(&ir, "ADD@0=3 OUT@0 MOVE=2 HALT");
  assert_int_equal(ir.ops[0].src, 1);
  assert_int_equal(ir.ops[1].src, 5);
  assert_int_equal(ir.ops[2].src, 6);
  bf_ir_free(&ir);
}

/* -- offset --------------------------------------------------------------- */

static void offset_addressing(void **state)
{
  (void)state;
  check(F, bf_opt_offset, ">+>++<<", "ADD@1=1 ADD@2=2 HALT");
  check(F, bf_opt_offset, ">+>+", "ADD@1=1 ADD@2=1 MOVE=2 HALT");
  check(F, bf_opt_offset, "<<-", "ADD@-2=-1 MOVE=-2 HALT");
  check(F, bf_opt_offset, ">.<<.", "OUT@1 OUT@-1 MOVE=-1 HALT");
  check(F, bf_opt_offset, ">>,", "IN@2 MOVE=2 HALT");
  check(F, bf_opt_offset, ">><<", "HALT");
}

/* Adds to a cell already added to in the run merge into the first one,
** which keeps its place and its source offset (the first touch). */
static void offset_merges_into_first_touch(void **state)
{
  (void)state;
  check(F, bf_opt_offset, "+>+<+", "ADD@0=2 ADD@1=1 HALT");
  check(F, bf_opt_offset, ">+<+>+", "ADD@1=2 ADD@0=1 MOVE=1 HALT");
  /* Merged to zero: still a touch. */
  check(F, bf_opt_offset, "+>-<-", "ADD@0=0 ADD@1=-1 HALT");
  bf_ir ir;
  run_pass(">+<+>+", 8, F, bf_opt_offset, &ir);
  assert_int_equal(ir.ops[0].src, 1);
  assert_int_equal(ir.ops[1].src, 3);
  bf_ir_free(&ir);
}

/* The pending MOVE is emitted where 'p' must be real: loop boundaries and
** the end; loop bodies are runs of their own. */
static void offset_move_at_run_end(void **state)
{
  (void)state;
  check(F, bf_opt_offset, ">+>[-]", "ADD@1=1 MOVE=2 LOOP ADD@0=-1 END HALT");
  check(F, bf_opt_offset, "[>+<-]", "LOOP ADD@1=1 ADD@0=-1 END HALT");
  check(F, bf_opt_offset, "[->>+]", "LOOP ADD@0=-1 ADD@2=1 MOVE=2 END HALT");
  check(F, bf_opt_offset, "[>]<", "LOOP MOVE=1 END MOVE=-1 HALT");
  check(F, bf_opt_offset, "[<]>>+", "LOOP MOVE=-1 END ADD@2=1 MOVE=2 HALT");
}

/* An add must not merge across I/O: the byte read or written would change. */
static void offset_io_barriers(void **state)
{
  (void)state;
  check(F, bf_opt_offset, "+.+", "ADD@0=1 OUT@0 ADD@0=1 HALT");
  check(F, bf_opt_offset, "+,+", "ADD@0=1 IN@0 ADD@0=1 HALT");
  check(F, bf_opt_offset, ">+,>+<+", "ADD@1=1 IN@1 ADD@2=1 ADD@1=1 MOVE=1 HALT");
  /* A barrier on another cell ends merging as well (it is conservative). */
  check(F, bf_opt_offset, "+>.<+", "ADD@0=1 OUT@1 ADD@0=1 HALT");
}

/* -- clear ---------------------------------------------------------------- */

static void clear_loops(void **state)
{
  (void)state;
  check(0, bf_opt_clear, "[-]", "SET@0=0 HALT");
  check(0, bf_opt_clear, "[+]", "SET@0=0 HALT");
  check(F, bf_opt_clear, "[---]", "SET@0=0 HALT");
  check(F, bf_opt_clear, "[+++++]", "SET@0=0 HALT");
  check_at(16, 0, bf_opt_clear, "[-]", "SET@0=0 HALT");
  check_at(32, 0, bf_opt_clear, "[+]", "SET@0=0 HALT");
  check(FO, bf_opt_clear, ">[-]<", "MOVE=1 SET@0=0 MOVE=-1 HALT");
  check(0, bf_opt_clear, "[[-]]", "LOOP SET@0=0 END HALT");
}

/* An even step can miss zero forever; other shapes are not clears. */
static void clear_look_alikes(void **state)
{
  (void)state;
  check(F, bf_opt_clear, "[--]", "LOOP ADD@0=-2 END HALT");
  check_at(16, F, bf_opt_clear, "[++++]", "LOOP ADD@0=4 END HALT");
  check(F, bf_opt_clear, "[+-]", "LOOP ADD@0=0 END HALT");
  check(FO, bf_opt_clear, "[>-<]", "LOOP ADD@1=-1 END HALT");
  check(FO, bf_opt_clear, "[-.]", "LOOP ADD@0=-1 OUT@0 END HALT");
  check(FO, bf_opt_clear, "[->+<]", "LOOP ADD@0=-1 ADD@1=1 END HALT");
  check(0, bf_opt_clear, "[]", "LOOP END HALT");
}

/* A SET swallows adds to its cell right before and after it. */
static void clear_set_constant(void **state)
{
  (void)state;
  check(F, bf_opt_clear, "[-]+++", "SET@0=3 HALT");
  check(0, bf_opt_clear, "[-]+++", "SET@0=3 HALT");
  check(F, bf_opt_clear, "[-]-", "SET@0=-1 HALT");
  check(F, bf_opt_clear, "+[-]", "SET@0=0 HALT");
  check(F, bf_opt_clear, "+++[-]++", "SET@0=2 HALT");
  check(F, bf_opt_clear, "[-]+.", "SET@0=1 OUT@0 HALT");
  check(F, bf_opt_clear, "[-]>+", "SET@0=0 MOVE=1 ADD@0=1 HALT");
  check(FO, bf_opt_clear, ">[-]+<", "MOVE=1 SET@0=1 MOVE=-1 HALT");
  char *plus = repeat("+", 257), *s = cat("[-]", plus, "", "");
  check_at(8, F, bf_opt_clear, s, "SET@0=1 HALT");
  check_at(16, F, bf_opt_clear, s, "SET@0=257 HALT");
  free(s);
  free(plus);
  /* '+[-]' keeps the touch of the '+', which comes first. */
  bf_ir ir;
  run_pass("x+[-]", 8, F, bf_opt_clear, &ir);
  assert_ir(&ir, "SET@0=0 HALT");
  assert_int_equal(ir.ops[0].src, 1);
  bf_ir_free(&ir);
  run_pass("x[-]+", 8, F, bf_opt_clear, &ir);
  assert_int_equal(ir.ops[0].src, 1);
  bf_ir_free(&ir);
}

/* -- linear --------------------------------------------------------------- */

static void linear_basic(void **state)
{
  (void)state;
  check(FO, bf_opt_linear, "[->+<]", "IF=2 MUL@1=1 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[>+<-]", "IF=2 MUL@1=1 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[-<+>]", "IF=2 MUL@-1=1 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[->-<]", "IF=2 MUL@1=-1 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[->++>+++<<]", "IF=3 MUL@1=2 MUL@2=3 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[->>>+++++<<<<+++>]",
        "IF=3 MUL@3=5 MUL@-1=3 SET@0=0 HALT");
  /* Without the offset pass the body is adds and moves: the same result. */
  check(F, bf_opt_linear, "[->++>+++<<]", "IF=3 MUL@1=2 MUL@2=3 SET@0=0 HALT");
  check(0, bf_opt_linear, "[->+<]", "IF=2 MUL@1=1 SET@0=0 HALT");
  /* A counter-only loop is a clear. */
  check(F, bf_opt_linear, "[---]", "SET@0=0 HALT");
  /* Around other code. */
  check(FO, bf_opt_linear, "++[->+++<]>.",
        "ADD@0=2 IF=2 MUL@1=3 SET@0=0 OUT@1 MOVE=1 HALT");
}

/* Several adds to one target sum; adds to the counter sum to the step. */
static void linear_sums(void **state)
{
  (void)state;
  check(FO, bf_opt_linear, "[->+>+<+<]", "IF=3 MUL@1=2 MUL@2=1 SET@0=0 HALT");
  check(F, bf_opt_linear, "[->+<>+<]", "IF=2 MUL@1=2 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[-->+<+]", "IF=2 MUL@1=1 SET@0=0 HALT");
  /* A target whose adds cancel still gets a MUL of 0: its touch stays. */
  check(FO, bf_opt_linear, "[->+-<]", "IF=2 MUL@1=0 SET@0=0 HALT");
}

/* The counter going up: n = -c(0) iterations, so factors are negated. */
static void linear_counter_incremented(void **state)
{
  (void)state;
  check_at(8, FO, bf_opt_linear, "[+>+<]", "IF=2 MUL@1=-1 SET@0=0 HALT");
  check_at(16, FO, bf_opt_linear, "[+>++<]", "IF=2 MUL@1=-2 SET@0=0 HALT");
  check_at(32, FO, bf_opt_linear, "[>-<+]", "IF=2 MUL@1=1 SET@0=0 HALT");
}

/* Steps of 3 and 5, up and down, at each width: the factor times the step
** must give back the add per iteration (the loop runs c(0) / -step times). */
static void linear_inverse_factors(void **state)
{
  (void)state;
  static const unsigned widths[] = { 8, 16, 32 };
  static const struct { const char *src; int step; int add; } l[] = {
    { "[--->+<]", -3, 1 },
    { "[--->++<]", -3, 2 },
    { "[--->-<]", -3, -1 },
    { "[----->+++<]", -5, 3 },
    { "[+++>+<]", 3, 1 },
    { "[+++++>-----<]", 5, -5 },
    { "[>+++++++<-----]", -5, 7 },
  };
  for (size_t w = 0; w < 3; w++) {
    uint32_t mask = bf_cell_mask(widths[w]);
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++) {
      bf_ir ir;
      run_pass(l[i].src, widths[w], FO, bf_opt_linear, &ir);
      assert_true(ir.n == 4 && ir.ops[1].op == BF_MUL);
      char want[64];
      snprintf(want, sizeof want, "IF=2 MUL@1=%lld SET@0=0 HALT",
               ir_signed(ir.ops[1].val, widths[w]));
      assert_ir(&ir, want);
      /* factor * -step == add (mod 2^bits) */
      uint32_t neg_step = (uint32_t)-l[i].step & mask;
      assert_int_equal((ir.ops[1].val * neg_step) & mask, (uint32_t)l[i].add & mask);
      bf_ir_free(&ir);
    }
  }
  /* The exact inverses, for the record. */
  check_at(8, FO, bf_opt_linear, "[--->+<]", "IF=2 MUL@1=-85 SET@0=0 HALT");    /* 171 */
  check_at(16, FO, bf_opt_linear, "[--->+<]", "IF=2 MUL@1=-21845 SET@0=0 HALT");
  check_at(32, FO, bf_opt_linear, "[--->+<]",
           "IF=2 MUL@1=-1431655765 SET@0=0 HALT");                              /* 0xaaaaaaab */
  check_at(8, FO, bf_opt_linear, "[----->+<]", "IF=2 MUL@1=-51 SET@0=0 HALT");  /* 205 */
  check_at(16, FO, bf_opt_linear, "[----->+<]", "IF=2 MUL@1=-13107 SET@0=0 HALT");
  check_at(32, FO, bf_opt_linear, "[----->+<]",
           "IF=2 MUL@1=-858993459 SET@0=0 HALT");                               /* 0xcccccccd */
}

/* IF's body is its MULs and the SET: 'val' counts them, 'aux' is past them.
** Sources: IF at the '[', each MUL at its target's first add, SET at the
** counter's first add. */
static void linear_body_and_sources(void **state)
{
  (void)state;
  bf_ir ir;
  run_pass("+[>+>++<<-]", 8, FO, bf_opt_linear, &ir);
  assert_ir(&ir, "ADD@0=1 IF=3 MUL@1=1 MUL@2=2 SET@0=0 HALT");
  assert_int_equal(ir.ops[1].val, 3);
  assert_int_equal(ir.ops[1].aux, 5);
  assert_int_equal(ir.ops[1].src, 1);
  assert_int_equal(ir.ops[2].src, 3);
  assert_int_equal(ir.ops[3].src, 5);
  assert_int_equal(ir.ops[4].src, 9);
  assert_int_equal(ir.nloops, 0);
  bf_ir_free(&ir);
  /* Inside an outer loop: the inner loop's cell is zero from the outer's
  ** second iteration on, so the first is peeled; the rest only counts down,
  ** and the peeled iteration's add to the counter becomes its clear. The
  ** outer loop stays, running once, with its id renumbered. */
  run_pass("x[>[->+<]<-]", 8, FO, bf_opt_linear, &ir);
  assert_ir(&ir, "LOOP MOVE=1 IF=2 MUL@1=1 SET@0=0 SET@-1=0 MOVE=-1 END HALT");
  assert_int_equal(ir.ops[2].aux, 5);
  assert_int_equal(ir.ops[0].aux, 7);
  assert_int_equal(ir.ops[7].aux, 0);
  assert_int_equal(ir.ops[5].src, 10);
  assert_int_equal(ir.nloops, 1);
  bf_ir_free(&ir);
}

static void linear_many_targets(void **state)
{
  (void)state;
  /* 32 targets is the most a linear loop may have; 33 stays a loop. */
  char *in = repeat(">+", 32), *back = repeat("<", 32);
  char *s = cat("[-", in, back, "]");
  bf_ir ir;
  run_pass(s, 8, FO, bf_opt_linear, &ir);
  assert_int_equal(ir.n, 1 + 32 + 1 + 1);
  assert_int_equal(ir.ops[0].op, BF_IF);
  assert_int_equal(ir.ops[0].val, 33);
  for (int k = 0; k < 32; k++) {
    assert_int_equal(ir.ops[1 + k].op, BF_MUL);
    assert_int_equal(ir.ops[1 + k].off, k + 1);
    assert_int_equal(ir.ops[1 + k].val, 1);
  }
  bf_ir_free(&ir);
  free(s), free(in), free(back);
  in = repeat(">+", 33);
  back = repeat("<", 33);
  s = cat("[-", in, back, "]");
  run_pass(s, 8, FO, bf_opt_linear, &ir);
  assert_int_equal(ir.ops[0].op, BF_LOOP);
  assert_int_equal(ir.n, 1 + 1 + 33 + 1 + 1);
  bf_ir_free(&ir);
  free(s), free(in), free(back);
}

/* Loops that look linear but are not: each must stay a loop. */
static void linear_look_alikes(void **state)
{
  (void)state;
  /* The pointer drifts. */
  check(FO, bf_opt_linear, "[->+]", "LOOP ADD@0=-1 ADD@1=1 MOVE=1 END HALT");
  check(FO, bf_opt_linear, "[-<+>>]", "LOOP ADD@0=-1 ADD@-1=1 MOVE=1 END HALT");
  /* An even step (it may never reach zero), or none. */
  check(FO, bf_opt_linear, "[-->+<]", "LOOP ADD@0=-2 ADD@1=1 END HALT");
  check_at(32, FO, bf_opt_linear, "[++++>+<]", "LOOP ADD@0=4 ADD@1=1 END HALT");
  check(FO, bf_opt_linear, "[>+<]", "LOOP ADD@1=1 END HALT");
  check(FO, bf_opt_linear, "[-+>+<]", "LOOP ADD@0=0 ADD@1=1 END HALT");
  /* I/O inside. */
  check(FO, bf_opt_linear, "[->.<]", "LOOP ADD@0=-1 OUT@1 END HALT");
  check(FO, bf_opt_linear, "[->,<]", "LOOP ADD@0=-1 IN@1 END HALT");
  check(FO, bf_opt_linear, "[-.]", "LOOP ADD@0=-1 OUT@0 END HALT");
  /* An inner loop that is not linear. */
  check(FO, bf_opt_linear, "[->[>]<]",
        "LOOP ADD@0=-1 MOVE=1 LOOP MOVE=1 END MOVE=-1 END HALT");
  /* A counter that is stored to runs once (or forever): not a count. */
  check(FO | BFJIT_PASS_CLEAR, bf_opt_linear, "[-[-]>+<]",
        "LOOP SET@0=0 ADD@1=1 END HALT");
  check(FO | BFJIT_PASS_CLEAR, bf_opt_linear, "[>+<[-]+]",
        "LOOP ADD@1=1 SET@0=1 END HALT");
  /* Stores but no step, or an even one (the second round of 'offset' moved
  ** the stores' moves into their addresses). */
  check(FO | BFJIT_PASS_CLEAR, bf_opt_linear, "[>[-]<]", "LOOP SET@1=0 END HALT");
  check(FO | BFJIT_PASS_CLEAR, bf_opt_linear, "[-->[-]<]",
        "LOOP ADD@0=-2 SET@1=0 END HALT");
}

/* -- linear: stores --------------------------------------------------------- */

/* A cell the body clears or stores to holds, after one iteration or more,
** the last store plus the adds after it: one SET. */
static void linear_stores(void **state)
{
  (void)state;
  const unsigned C = FO | BFJIT_PASS_CLEAR;
  check(C, bf_opt_linear, "[>>[-]<<-]", "IF=2 SET@2=0 SET@0=0 HALT");
  check(C, bf_opt_linear, "[->+>[-]<<]", "IF=3 MUL@1=1 SET@2=0 SET@0=0 HALT");
  check(C, bf_opt_linear, "[>[-]+<-]", "IF=2 SET@1=1 SET@0=0 HALT");
  check(C, bf_opt_linear, "[>+[-]<-]", "IF=2 SET@1=0 SET@0=0 HALT");
  check(C, bf_opt_linear, "[>[-]<-]>+", "IF=2 SET@1=0 SET@0=0 ADD@1=1 MOVE=1 HALT");
  /* Adds after the store count once; adds before it not at all. */
  check(C, bf_opt_linear, "[>++[-]+++<->+<]", "IF=2 SET@1=4 SET@0=0 HALT");
  check(C, bf_opt_linear, "[>[-]->[-]<+<+++]", "IF=3 SET@1=0 SET@2=0 SET@0=0 HALT");
  /* Without the clear pass the inner '[-]' is a linear loop of its own:
  ** the same result. */
  check(FO, bf_opt_linear, "[>>[-]<<-]", "IF=2 SET@2=0 SET@0=0 HALT");
  check(FO, bf_opt_linear, "[>+[-]+<-]", "IF=2 SET@1=1 SET@0=0 HALT");
  /* At every width; the counter may go up, by any odd step. */
  check_at(16, C, bf_opt_linear, "[+++>[-]+<]", "IF=2 SET@1=1 SET@0=0 HALT");
  check_at(32, C, bf_opt_linear, "[>[-]-<+>>+<<]", "IF=3 SET@1=-1 MUL@2=-1 SET@0=0 HALT");
}

/* One op a cell, in the order the first iteration first touches them, each
** charged to the command that touches its cell first. */
static void linear_stores_order_and_sources(void **state)
{
  (void)state;
  bf_ir ir;
  /* 0123456789012 */
  run_pass("[>>+<[-]<-]", 8, FO | BFJIT_PASS_CLEAR, bf_opt_linear, &ir);
  assert_ir(&ir, "IF=3 MUL@2=1 SET@1=0 SET@0=0 HALT");
  assert_int_equal(ir.ops[0].src, 0);
  assert_int_equal(ir.ops[1].src, 3);
  assert_int_equal(ir.ops[2].src, 5);
  assert_int_equal(ir.ops[3].src, 9);
  bf_ir_free(&ir);
  /* An add before the store is the first touch. */
  run_pass("[<+[-]>-]", 8, FO | BFJIT_PASS_CLEAR, bf_opt_linear, &ir);
  assert_ir(&ir, "IF=2 SET@-1=0 SET@0=0 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  bf_ir_free(&ir);
  /* Left and right: the left cell is touched first here. */
  run_pass("[<[-]>>[-]+<-]", 8, FO | BFJIT_PASS_CLEAR, bf_opt_linear, &ir);
  assert_ir(&ir, "IF=3 SET@-1=0 SET@1=1 SET@0=0 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  assert_int_equal(ir.ops[2].src, 7);
  bf_ir_free(&ir);
}

/* -- linear: nested loops ------------------------------------------------- */

/* An inner linear loop whose cell holds a known constant each time it is
** reached runs that many times each outer iteration: products of constants. */
static void linear_nested_known(void **state)
{
  (void)state;
  const unsigned C = FO | BFJIT_PASS_CLEAR;
  check(C, bf_opt_linear, "[>[-]+++[->++<]<-]", "IF=3 SET@1=0 MUL@2=6 SET@0=0 HALT");
  /* 15 per iteration of a counter stepping by 3: 5 times the counter. */
  check_at(8, C, bf_opt_linear, "[>[-]+++[->+++++<]<---]", "IF=3 SET@1=0 MUL@2=5 SET@0=0 HALT");
  check_at(16, C, bf_opt_linear, "[>[-]+++[->+++++<]<---]", "IF=3 SET@1=0 MUL@2=5 SET@0=0 HALT");
  check_at(32, C, bf_opt_linear, "[>[-]+++[->+++++<]<---]", "IF=3 SET@1=0 MUL@2=5 SET@0=0 HALT");
  /* The inner loop stores: its stores happen since its count is not 0. */
  check(C, bf_opt_linear, "[>[-]++[->+>[-]<<]<-]", "IF=4 SET@1=0 MUL@2=2 SET@3=0 SET@0=0 HALT");
  /* A count of 0: the inner loop never runs and touches nothing. */
  check(C, bf_opt_linear, "[>[-][->+<]<-]", "IF=2 SET@1=0 SET@0=0 HALT");
  /* Three levels. */
  check(C, bf_opt_linear, "[>[-]++[>[-]+++[->++<]<-]<-]",
        "IF=4 SET@1=0 SET@2=0 MUL@3=12 SET@0=0 HALT");
  /* The inner counter is the outer one's neighbour on the left. */
  check(C, bf_opt_linear, "[<[-]+++++[->>++<<]>-]", "IF=3 SET@-1=0 MUL@1=10 SET@0=0 HALT");
}

/* An inner loop whose cell is known only from the outer loop's second
** iteration on: the first iteration is peeled, as it is, inside a LOOP that
** runs once; the rest is straight code under an IF. */
static void linear_nested_peeled(void **state)
{
  (void)state;
  /* c(1) is zero after the first inner loop: the rest only adds 12. */
  check(FO, bf_opt_linear, "[>++++[->+++<]<-]",
        "LOOP ADD@1=4 MOVE=1 IF=2 MUL@1=3 SET@0=0 ADD@-1=-1 MOVE=-1 "
        "IF=2 MUL@2=12 SET@0=0 END HALT");
  /* Once the inner loop has run, the outer only counts down. */
  check(FO, bf_opt_linear, ",[>[->+<]<-]",
        "IN@0 LOOP MOVE=1 IF=2 MUL@1=1 SET@0=0 SET@-1=0 MOVE=-1 END HALT");
  check(FO, bf_opt_linear, ",[->[->+<]<]",
        "IN@0 LOOP SET@0=0 MOVE=1 IF=2 MUL@1=1 SET@0=0 MOVE=-1 END HALT");
  /* The inner counter is 1 from the second iteration on. */
  check(FO, bf_opt_linear, "[>[->+<]+<-]",
        "LOOP MOVE=1 IF=2 MUL@1=1 SET@0=0 ADD@0=1 ADD@-1=-1 MOVE=-1 "
        "IF=2 MUL@2=1 SET@0=0 END HALT");
  /* c(0) and c(1) get the same adds from the first iteration on, and the
  ** rest settles in it: the peeled iteration makes every iteration's adds
  ** at once, a MUL where each cell is first touched, and runs once. */
  check(FO, bf_opt_linear, ",[->+>>+++[->+<]>[-]<<<<]",
        "IN@0 LOOP MUL@1=1 ADD@3=3 MOVE=3 IF=2 MUL@1=1 SET@0=0 MOVE=1 SET@0=0 "
        "MOVE=-4 SET@0=0 END HALT");
  /* An add to such a cell after 'p' left the head: the plain peel. */
  check(FO, bf_opt_linear, ",[->>>+++[->+<]>[-]<<+<<]",
        "IN@0 LOOP ADD@0=-1 ADD@3=3 MOVE=3 IF=2 MUL@1=1 SET@0=0 MOVE=1 SET@0=0 "
        "ADD@-2=1 MOVE=-4 IF=2 MUL@2=1 SET@0=0 END HALT");
  /* The steady iterations may touch cells the first one did not (the inner
  ** loop may not have run): in their own first-touch order. */
  check(FO, bf_opt_linear, "[>[->>+<<]+>+<<-]",
        "LOOP MOVE=1 IF=2 MUL@2=1 SET@0=0 ADD@0=1 ADD@1=1 ADD@-1=-1 MOVE=-1 "
        "IF=3 MUL@3=1 MUL@2=1 SET@0=0 END HALT");
}

/* Nested loops that are not products of constants stay loops (their inner
** loops become IFs). */
static void linear_nested_look_alikes(void **state)
{
  (void)state;
  /* c(1) is restored each time: c(3) += c(0) * c(1) has no constant factor. */
  check(FO, bf_opt_linear, "[>[->+>+<<]>[-<+>]<<-]",
        "LOOP MOVE=1 IF=3 MUL@1=1 MUL@2=1 SET@0=0 MOVE=1 IF=2 MUL@-1=1 SET@0=0 "
        "ADD@-2=-1 MOVE=-2 END HALT");
  /* The inner loop's cell is added to by another inner loop. */
  check(FO, bf_opt_linear, "[>[->+<]>[-<+>]<<-]",
        "LOOP MOVE=1 IF=2 MUL@1=1 SET@0=0 MOVE=1 IF=2 MUL@-1=1 SET@0=0 "
        "ADD@-2=-1 MOVE=-2 END HALT");
  /* The inner loop is on the counter itself. */
  check(FO, bf_opt_linear, "[->+<[->+<]]",
        "LOOP ADD@0=-1 ADD@1=1 IF=2 MUL@1=1 SET@0=0 END HALT");
  /* I/O in the outer body. */
  check(FO, bf_opt_linear, "[>[-]+++[->++<]<.-]",
        "LOOP MOVE=1 SET@0=0 ADD@0=3 IF=2 MUL@1=2 SET@0=0 OUT@-1 ADD@-1=-1 MOVE=-1 END HALT");
}

/* -- scan ----------------------------------------------------------------- */

static void scan_strides(void **state)
{
  (void)state;
  check(FO, bf_opt_scan, "[>]", "SCAN=1 HALT");
  check(FO, bf_opt_scan, "[<]", "SCAN=-1 HALT");
  check(FO, bf_opt_scan, "[>>]", "SCAN=2 HALT");
  check(FO, bf_opt_scan, "[<<]", "SCAN=-2 HALT");
  check(FO, bf_opt_scan, "[>>>]", "SCAN=3 HALT");
  check(FO, bf_opt_scan, "[<<<]", "SCAN=-3 HALT");
  check(FO, bf_opt_scan, "[>><>]", "SCAN=2 HALT");
  check(F, bf_opt_scan, "[<<]", "SCAN=-2 HALT");
  check(FO, bf_opt_scan, "+[>]<.", "ADD@0=1 SCAN=1 OUT@-1 MOVE=-1 HALT");
  check(FO, bf_opt_scan, "[[<]>]", "LOOP SCAN=-1 MOVE=1 END HALT");
}

/* SCAN's 'val' is the ']' (where a scan off the tape first touches). */
static void scan_sources(void **state)
{
  (void)state;
  bf_ir ir;
  run_pass("..[ >> ]", 8, FO, bf_opt_scan, &ir);
  assert_ir(&ir, "OUT@0 OUT@0 SCAN=2 HALT");
  assert_int_equal(ir.ops[2].src, 2);
  assert_int_equal(ir.ops[2].val, 7);
  assert_int_equal(ir.nloops, 0);
  bf_ir_free(&ir);
}

static void scan_look_alikes(void **state)
{
  (void)state;
  check(FO, bf_opt_scan, "[>+]", "LOOP ADD@1=1 MOVE=1 END HALT");
  check(FO, bf_opt_scan, "[-<]", "LOOP ADD@0=-1 MOVE=-1 END HALT");
  check(FO, bf_opt_scan, "[>.]", "LOOP OUT@1 MOVE=1 END HALT");
  check(FO, bf_opt_scan, "[><]", "LOOP END HALT");
  check(FO, bf_opt_scan, "[]", "LOOP END HALT");
  check(0, bf_opt_scan, "[>>]", "LOOP MOVE=1 MOVE=1 END HALT");  /* unfolded */
}

/* -- dead ----------------------------------------------------------------- */

static void dead_at_start(void **state)
{
  (void)state;
  check(0, bf_opt_dead, "[+.]+", "ADD@0=1 HALT");
  check(0, bf_opt_dead, "[[.]+][,].", "OUT@0 HALT");
  check(0, bf_opt_dead, "[]", "HALT");
  /* Not at the start once anything came first, even a move. */
  check(0, bf_opt_dead, ">[.]", "MOVE=1 LOOP OUT@0 END HALT");
  check(0, bf_opt_dead, ",[.]", "IN@0 LOOP OUT@0 END HALT");
}

static void dead_after_zeroing(void **state)
{
  (void)state;
  /* After a loop's END the cell is zero. */
  check(0, bf_opt_dead, "+[-.][.].", "ADD@0=1 LOOP ADD@0=-1 OUT@0 END OUT@0 HALT");
  check(0, bf_opt_dead, "+[-][.][,][[+]]>", "ADD@0=1 LOOP ADD@0=-1 END MOVE=1 HALT");
  /* After a scan. */
  check(FO | BFJIT_PASS_SCAN, bf_opt_dead, "+[>][.]", "ADD@0=1 SCAN=1 HALT");
  /* After a store of 0, whether from a clear or a linear loop. */
  check(BFJIT_PASS_CLEAR, bf_opt_dead, "+[-][.]", "SET@0=0 HALT");
  check(FO | BFJIT_PASS_LINEAR, bf_opt_dead, "+[->+<][.]",
        "ADD@0=1 IF=2 MUL@1=1 SET@0=0 HALT");
  /* Inner loops go with their dead outer loop; the ids are renumbered. */
  bf_ir ir;
  run_pass("+[-][[.]>][-.]", 8, 0, bf_opt_dead, &ir);
  assert_ir(&ir, "ADD@0=1 LOOP ADD@0=-1 END HALT");
  assert_int_equal(ir.nloops, 1);
  bf_ir_free(&ir);
}

/* The cell is not known to be zero after a move or a store of non-zero. */
static void dead_look_alikes(void **state)
{
  (void)state;
  check(BFJIT_PASS_CLEAR, bf_opt_dead, "+[-]>[.]", "SET@0=0 MOVE=1 LOOP OUT@0 END HALT");
  check(F | BFJIT_PASS_CLEAR, bf_opt_dead, "+[-]+[.]", "SET@0=1 LOOP OUT@0 END HALT");
  check(0, bf_opt_dead, "+[-]+[.]", "ADD@0=1 LOOP ADD@0=-1 END ADD@0=1 LOOP OUT@0 END HALT");
  check(0, bf_opt_dead, "+[-],[.]", "ADD@0=1 LOOP ADD@0=-1 END IN@0 LOOP OUT@0 END HALT");
  check(FO | BFJIT_PASS_SCAN, bf_opt_dead, "+[>]>[.]",
        "ADD@0=1 SCAN=1 MOVE=1 LOOP OUT@0 END HALT");
}

/* -- known -------------------------------------------------------------- */

/* Every pass but 'known', which then runs once. */
#define K (BFJIT_PASS_ALL & ~BFJIT_PASS_KNOWN & ~BFJIT_PASS_SINK)

/* A loop, an IF or a SCAN on a cell known to be 0 cannot run. */
static void known_dead_tests(void **state)
{
  (void)state;
  /* Zero after a clear, a loop, a scan, with input elsewhere between. */
  check(K, bf_opt_known, ",[-]>,<[.]", "IN@0 SET@0=0 IN@1 HALT");
  check(K, bf_opt_known, ",[.,]>,<[.]", "IN@0 LOOP OUT@0 IN@0 END IN@1 HALT");
  check(K, bf_opt_known, ",[>]>,<[.]", "IN@0 SCAN=1 IN@1 HALT");
  /* An IF (a linear loop), a scan, a loop with loops inside. */
  check(K, bf_opt_known, ",[-]>,<[->+<]", "IN@0 SET@0=0 IN@1 HALT");
  check(K, bf_opt_known, ",[-]>,<[>]", "IN@0 SET@0=0 IN@1 HALT");
  check(K, bf_opt_known, ",[-]>,<[[.]>,]", "IN@0 SET@0=0 IN@1 HALT");
  /* Zero from the start: every cell is, wherever 'p' went (the moves left
  ** side by side are the next round's work). */
  check(K, bf_opt_known, ">>[.]<[.]", "MOVE=2 MOVE=-1 HALT");
  /* Zero where a not-followed IF ends with storing it (a linear loop). */
  check(K, bf_opt_known, ",[->+<]>,<[.]", "IN@0 IF=2 MUL@1=1 SET@0=0 IN@1 HALT");
  /* Dead inner loops go, and the ids are renumbered. */
  bf_ir ir;
  run_pass(",[.,]>,<[[.]>,]>[.,]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "IN@0 LOOP OUT@0 IN@0 END IN@1 MOVE=1 LOOP OUT@0 IN@0 END HALT");
  assert_int_equal(ir.nloops, 2);
  bf_ir_free(&ir);
}

/* Not known to be 0: the test stays. A loop known to run stays a loop. */
static void known_tests_kept(void **state)
{
  (void)state;
  check(K, bf_opt_known, ",>+<[-]>[.,]", "IN@0 SET@1=1 SET@0=0 MOVE=1 LOOP OUT@0 IN@0 END HALT");
  check(K, bf_opt_known, ",[-],[.]", "IN@0 SET@0=0 IN@0 LOOP OUT@0 END HALT");
  check(K, bf_opt_known, ",[>,]>[.]", "IN@0 LOOP IN@1 MOVE=1 END MOVE=1 LOOP OUT@0 END HALT");
  check(K, bf_opt_known, ",[>]>[.]", "IN@0 SCAN=1 MOVE=1 LOOP OUT@0 END HALT");
  /* A not-followed IF that may store something else: c(2) was 1. */
  check(K, bf_opt_known, ",>>+<<[->+>[-]<<]>>[.]",
        "IN@0 SET@2=1 IF=3 MUL@1=1 SET@2=0 SET@0=0 MOVE=2 LOOP OUT@0 END HALT");
  /* ... or the same: c(2) was 0, is 0 either way. */
  check(K, bf_opt_known, ",[>>,[-]<<[->+>[-]<<]>>[.]<<,]",
        "IN@0 LOOP IN@2 SET@2=0 IF=3 MUL@1=1 SET@2=0 SET@0=0 MOVE=2 IN@-2 MOVE=-2 END HALT");
}

/* After a loop that ends each iteration where it began, the cells its body
** never stores to hold what they held before it; after one that drifts,
** nothing is known but its cell. */
static void known_after_loops(void **state)
{
  (void)state;
  /* c(1) is still 0 from the start, or 1. */
  check(K, bf_opt_known, ",[.,]>[.]", "IN@0 LOOP OUT@0 IN@0 END MOVE=1 HALT");
  /* A MUL outside an IF (a linear loop's peeled iteration) reads a c(0)
  ** not known and leaves its target unknown: the loop stays as it is. */
  check(K, bf_opt_known, ",[->+>>+++[->+<]>[-]<<<<]>[.]",
        "IN@0 LOOP MUL@1=1 ADD@3=3 MOVE=3 IF=2 ADD@1=0 SET@0=0 SET@1=0 SET@-3=0 "
        "MOVE=-3 END MOVE=1 LOOP OUT@0 END HALT");
  check(K, bf_opt_known, ",>+<[.,]>[-]+", "IN@0 SET@1=1 LOOP OUT@0 IN@0 END MOVE=1 HALT");
  /* The body stores to c(1): by input, by the MUL of an IF. */
  check(K, bf_opt_known, ",>+<[>,<,]>[.]",
        "IN@0 SET@1=1 LOOP IN@1 IN@0 END MOVE=1 LOOP OUT@0 END HALT");
  check(K, bf_opt_known, ",>+<[[->+<],]>[.]",
        "IN@0 SET@1=1 LOOP IF=2 MUL@1=1 SET@0=0 IN@0 END MOVE=1 LOOP OUT@0 END HALT");
  check(K, bf_opt_known, ",>>+<<[[->+<],]>>[-]+",
        "IN@0 SET@2=1 LOOP IF=2 MUL@1=1 SET@0=0 IN@0 END MOVE=2 HALT");
  /* It drifts, or an inner loop does. */
  check(K, bf_opt_known, ",>+<[>,]>[-]+", "IN@0 SET@1=1 LOOP IN@1 MOVE=1 END SET@1=1 MOVE=1 HALT");
  check(K, bf_opt_known, ",>+<[[.,],]>[-]+",
        "IN@0 SET@1=1 LOOP LOOP OUT@0 IN@0 END IN@0 END MOVE=1 HALT");
  check(K, bf_opt_known, ",>+<[[>,]<,]>[-]+",
        "IN@0 SET@1=1 LOOP LOOP IN@1 MOVE=1 END IN@-1 MOVE=-1 END SET@1=1 MOVE=1 HALT");
  check(K, bf_opt_known, ",>+<[>[<]>,]>[-]+",
        "IN@0 SET@1=1 LOOP MOVE=1 SCAN=-1 IN@1 MOVE=1 END SET@1=1 MOVE=1 HALT");
  /* Sixteen nested loops are followed; a seventeenth is not. */
  char *open = repeat("[", 16), *close = repeat("]", 16);
  char *s = cat(",>+<", open, ".,", close), *s2 = cat(s, ">[-]+", "", "");
  bf_ir ir;
  run_pass(s2, 8, K, bf_opt_known, &ir);
  assert_int_equal(ir.ops[ir.n - 3].op, BF_END);
  bf_ir_free(&ir);
  free(s), free(s2), free(open), free(close);
  open = repeat("[", 17), close = repeat("]", 17);
  s = cat(",>+<", open, ".,", close), s2 = cat(s, ">[-]+", "", "");
  run_pass(s2, 8, K, bf_opt_known, &ir);
  assert_int_equal(ir.ops[ir.n - 3].op, BF_SET);
  bf_ir_free(&ir);
  free(s), free(s2), free(open), free(close);
}

/* The copy idiom: a cell moved to two cells, one a temporary known to be 0,
** and moved back from it, stays where it is; the temporary keeps its
** touches (inside the IF, and the second test's) unless they are known. */
static void known_copy_back(void **state)
{
  (void)state;
  const unsigned all = BFJIT_PASS_ALL & ~BFJIT_PASS_EVAL & ~BFJIT_PASS_SINK;
  check(all, NULL, ",>>[-]<<[->+>+<<]>>[-<<+>>]<<.>.",
        "IN@0 IF=2 MUL@1=1 ADD@2=0 OUT@0 OUT@1 MOVE=1 HALT");
  /* The second test's touch goes too when the temporary's store ran first. */
  check(all, NULL, ",[<]>>>[-]<<[->+>+<<]>>[-<<+>>]<<.",
        "IN@0 SCAN=-1 SET@3=0 MOVE=1 IF=2 MUL@1=1 ADD@2=0 OUT@0 HALT");
  /* Not the idiom: the temporary may hold something; a factor of 2; the
  ** way back to another cell. */
  check(all, NULL, ",>>,<<[->+>+<<]>>[-<<+>>]",
        "IN@0 IN@2 IF=3 MUL@1=1 MUL@2=1 SET@0=0 MOVE=2 IF=2 MUL@-2=1 SET@0=0 HALT");
  check(all, NULL, ",[->+>++<<]>>[-<<+>>]",
        "IN@0 IF=3 MUL@1=1 MUL@2=2 SET@0=0 MOVE=2 IF=2 MUL@-2=1 SET@0=0 HALT");
  check(all, NULL, ",[->+>+<<]>>[-<+>]",
        "IN@0 IF=3 MUL@1=1 MUL@2=1 SET@0=0 MOVE=2 IF=2 MUL@-1=1 SET@0=0 HALT");
  /* Without 'known', as the linear pass left it. */
  check(all & ~BFJIT_PASS_KNOWN, NULL, ",>>[-]<<[->+>+<<]>>[-<<+>>]<<.",
        "IN@0 SET@2=0 IF=3 MUL@1=1 MUL@2=1 SET@0=0 MOVE=2 IF=2 MUL@-2=1 "
        "SET@0=0 OUT@-2 MOVE=-2 HALT");
}

/* A MUL whose target a later SET overwrites, nothing reading it between,
** is only its touch (ADD 0 at its command); a read between keeps it. */
static void known_dead_mul(void **state)
{
  (void)state;
  const unsigned all = BFJIT_PASS_ALL & ~BFJIT_PASS_EVAL & ~BFJIT_PASS_SINK;
  check(all, NULL, ",[<]>,[->+++<]>[-]<.",
        "IN@0 SCAN=-1 IN@1 MOVE=1 IF=2 ADD@1=0 SET@0=0 SET@1=0 PUT=0 HALT");
  check(all, NULL, ",[<]>,[->+++<]>[-<+>]<.",
        "IN@0 SCAN=-1 IN@1 MOVE=1 IF=2 MUL@1=3 SET@0=0 MOVE=1 IF=2 MUL@-1=1 "
        "SET@0=0 OUT@-1 MOVE=-1 HALT");
  check(all, NULL, ",[<]>,[->+++<]>.[-]<.",
        "IN@0 SCAN=-1 IN@1 MOVE=1 IF=2 MUL@1=3 SET@0=0 OUT@1 SET@1=0 PUT=0 HALT");
}

/* A dropped test on a cell not touched before leaves its touch: ADD 0 at
** its command. Cells 0 .. 29999 are on every tape, so at the start (p
** known) they count as touched. */
static void known_dropped_test_touch(void **state)
{
  (void)state;
  bf_ir ir;
  run_pass("x<[.]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "MOVE=-1 ADD@0=0 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  bf_ir_free(&ir);
  run_pass("<[>[.]<]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "MOVE=-1 ADD@0=0 HALT");
  bf_ir_free(&ir);
  /* The last cell every tape has, and the first one it may not. */
  char *r = repeat(">", 29999), *s = cat(r, "[.]", "", "");
  check(K, bf_opt_known, s, "MOVE=29999 HALT");
  free(s);
  s = cat(r, ">[.]", "", "");
  check(K, bf_opt_known, s, "MOVE=30000 ADD@0=0 HALT");
  free(s);
  free(r);
  /* Later stores merge into the ADD 0, which keeps the test's command. */
  run_pass("x<[.]+++", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "MOVE=-1 SET@0=3 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  bf_ir_free(&ir);
}

/* An IF whose c(0) is a known K != 0 is its body: each MUL adds K times
** its factor, and the stores fold on. */
static void known_if_runs(void **state)
{
  (void)state;
  check(K, bf_opt_known, "+++[->++<]", "SET@0=0 SET@1=6 HALT");
  check(K, bf_opt_known, ",[>[-]+++[->++<]<,]",
        "IN@0 LOOP SET@1=0 MOVE=1 ADD@1=6 IN@-1 MOVE=-1 END HALT");
  /* The loop ran 87 times: 5 = -3 * 87 (mod 256); at 16 bits 21847. */
  check_at(8, K, bf_opt_known, "+++++[--->+<]", "SET@0=0 SET@1=87 HALT");
  check_at(16, K, bf_opt_known, "+++++[--->+<]", "SET@0=0 SET@1=21847 HALT");
  check_at(32, K, bf_opt_known, "+++++[--->+<]", "SET@0=0 SET@1=1431655767 HALT");
  /* 17 x 15 = 255: -1 in a byte. */
  char *a = repeat("+", 17), *b = repeat("+", 15), *s = cat(a, "[->", b, "<]");
  check_at(8, K, bf_opt_known, s, "SET@0=0 SET@1=-1 HALT");
  check_at(16, K, bf_opt_known, s, "SET@0=0 SET@1=255 HALT");
  free(s), free(a), free(b);
  /* Each op keeps the command of its cell's first touch. */
  bf_ir ir;
  /* 0123456789 */
  run_pass(",>++[->+++<]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "IN@0 SET@1=0 MOVE=1 SET@1=6 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  assert_int_equal(ir.ops[3].src, 7);
  bf_ir_free(&ir);
}

/* An ADD to a known cell is a SET; an ADD into a store pending in the
** window folds into it. Constants wrap at the cell width. */
static void known_add_to_set(void **state)
{
  (void)state;
  check(K, bf_opt_known, "++>+++", "SET@0=2 SET@1=3 MOVE=1 HALT");
  check(K, bf_opt_known, "-", "SET@0=-1 HALT");
  check(K, bf_opt_known, ",[.,]+", "IN@0 LOOP OUT@0 IN@0 END SET@0=1 HALT");
  check(K, bf_opt_known, ",>[-]+<.>++", "IN@0 SET@1=1 OUT@0 SET@1=3 MOVE=1 HALT");
  check(K, bf_opt_known, ",[>[-]>[-]<+>+<<,]", "IN@0 LOOP SET@1=1 SET@2=1 IN@0 END HALT");
  /* An unknown cell's adds fold too, without the offset pass. */
  check(F, bf_opt_known, ",[>+>+<+<,]",
        "IN@0 LOOP MOVE=1 ADD@0=2 MOVE=1 ADD@0=1 MOVE=-1 MOVE=-1 IN@0 END HALT");
  char *p = repeat("+", 300), *s = cat(",[.,]", p, "", "");
  check_at(8, K, bf_opt_known, s, "IN@0 LOOP OUT@0 IN@0 END SET@0=44 HALT");
  check_at(16, K, bf_opt_known, s, "IN@0 LOOP OUT@0 IN@0 END SET@0=300 HALT");
  check_at(32, K, bf_opt_known, s, "IN@0 LOOP OUT@0 IN@0 END SET@0=300 HALT");
  free(s), free(p);
}

/* Output of a known cell is a constant, PUT (its low byte), once the cell
** was touched: a cell not touched yet keeps its OUT, for its touch. */
static void known_constant_output(void **state)
{
  (void)state;
  check(K, bf_opt_known, ",[-]+++.", "IN@0 SET@0=3 PUT=3 HALT");
  check(K, bf_opt_known, "++++++++[>++++<-]>.+.", "SET@0=0 SET@1=32 PUT=32 SET@1=33 PUT=33 MOVE=1 HALT");
  check_at(16, K, bf_opt_known, ",[-]-.", "IN@0 SET@0=-1 PUT=255 HALT");
  check(K, bf_opt_known, ",.", "IN@0 OUT@0 HALT");
  char *p = repeat(">", BF_TAPE_MIN_CELLS), *s = cat(p, ".", "", "");
  check(K, bf_opt_known, s, "OUT@30000 MOVE=30000 HALT");
  free(s), free(p);
}

/* A store of what the cell holds, or an add of 0, is dropped once the cell
** was touched; on a cell not touched yet it stays, for its touch. */
static void known_redundant_stores(void **state)
{
  (void)state;
  check(K, bf_opt_known, ",[-]>,<[-]", "IN@0 SET@0=0 IN@1 HALT");
  check(K, bf_opt_known, ",[.,][-]", "IN@0 LOOP OUT@0 IN@0 END HALT");
  check(K, bf_opt_known, ",[>]<[>][-]", "IN@0 SCAN=1 MOVE=-1 SCAN=1 HALT");
  check(K, bf_opt_known, ",+-", "IN@0 HALT");
  check(K, bf_opt_known, "+-", "HALT");
  check(K, bf_opt_known, ",>[-]", "IN@0 MOVE=1 HALT");
  check(K, bf_opt_known, "<[-]", "SET@-1=0 MOVE=-1 HALT");
  check(K, bf_opt_known, "<+-", "SET@-1=0 MOVE=-1 HALT");
}

/* A cell stored to twice in a window with nothing touching it between
** gets one op, where the first store was, storing what the last did: the
** first store may be the cell's first touch, whose error must stay there. */
static void known_dead_stores(void **state)
{
  (void)state;
  bf_ir ir;
  /* 0123456789 */
  run_pass(",[>+>+<[-]<,]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "IN@0 LOOP SET@1=0 ADD@2=1 IN@0 END HALT");
  assert_int_equal(ir.ops[2].src, 3);
  bf_ir_free(&ir);
  run_pass(",[-]+[-].", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "IN@0 SET@0=0 PUT=0 HALT");
  assert_int_equal(ir.ops[1].src, 1);
  bf_ir_free(&ir);
  /* Off the tape: the first store's command reports it. */
  run_pass("<+>>+<<[-]", 8, K, bf_opt_known, &ir);
  assert_ir(&ir, "SET@-1=0 SET@1=1 MOVE=-1 HALT");
  assert_int_equal(ir.ops[0].src, 1);
  bf_ir_free(&ir);
  /* Not across I/O, a loop or an IF not followed: each ends the window. */
  check(K, bf_opt_known, ",[>+<.>[-]<,]", "IN@0 LOOP ADD@1=1 OUT@0 SET@1=0 IN@0 END HALT");
  check(K, bf_opt_known, ",[>+<,>[-]<]", "IN@0 LOOP ADD@1=1 IN@0 SET@1=0 END HALT");
  check(K, bf_opt_known, ",[>+<,[.,]>[-]<]",
        "IN@0 LOOP ADD@1=1 IN@0 LOOP OUT@0 IN@0 END SET@1=0 END HALT");
  check(K, bf_opt_known, ",[>+<,[->>+<<]>[-]<]",
        "IN@0 LOOP ADD@1=1 IN@0 IF=2 MUL@2=1 SET@0=0 SET@1=0 END HALT");
}

/* -- The rounds ----------------------------------------------------------- */

/* IR made op by op: 'n' ops of 'ops' and HALT, linked. */
static void build(bf_ir *ir, const bf_op *ops, size_t n)
{
  *ir = (bf_ir){ .cell_bits = 8 };
  for (size_t i = 0; i < n; i++)
    assert_int_equal(bf_ir_push(ir, ops[i].op, ops[i].off, ops[i].val, 0), 0);
  assert_int_equal(bf_ir_push(ir, BF_HALT, 0, 0, 0), 0);
  bf_ir_link(ir);
}

/* From the second round on the merging passes see IFs: a body stays as it
** is, and nothing after it merges into it (it may not have run). */
static void rounds_keep_if_bodies(void **state)
{
  (void)state;
  static const bf_op body_add[] = {
    { .op = BF_IF, .val = 1 }, { .op = BF_ADD, .off = 1, .val = 1 },
    { .op = BF_ADD, .off = 1, .val = 1 },
  };
  bf_ir ir;
  build(&ir, body_add, 3);
  bf_opt_fold(&ir);
  bf_ir_link(&ir);
  assert_ir(&ir, "IF=1 ADD@1=1 ADD@1=1 HALT");
  bf_ir_free(&ir);
  build(&ir, body_add, 3);
  bf_opt_offset(&ir);
  bf_ir_link(&ir);
  assert_ir(&ir, "IF=1 ADD@1=1 ADD@1=1 HALT");
  bf_ir_free(&ir);
  check(FO | BFJIT_PASS_LINEAR, bf_opt_clear, "[->+<]+", "IF=2 MUL@1=1 SET@0=0 ADD@0=1 HALT");
  check(FO | BFJIT_PASS_LINEAR, bf_opt_clear, "[->+<]>+<[-]",
        "IF=2 MUL@1=1 SET@0=0 ADD@1=1 SET@0=0 HALT");
}

/* A loop one pass drops lets another merge what is now adjacent. */
static void rounds_until_nothing_changes(void **state)
{
  (void)state;
  /* 'dead' drops the loop, the second round of 'clear' merges. */
  check(BFJIT_PASS_ALL & ~BFJIT_PASS_KNOWN, NULL, "+[-][.]+", "SET@0=1 HALT");
  /* One round of 'known' leaves moves side by side; 'fold' merges them. */
  check(K, bf_opt_known, ",[-]>>[.]<<[.]+", "IN@0 SET@0=1 MOVE=2 MOVE=-2 HALT");
  check(BFJIT_PASS_ALL, NULL, ",[-]>>[.]<<[.]+", "IN@0 SET@0=1 HALT");
  /* 'known' again: the SET of 0 it made is what cell 0 held at the start. */
  check(K, bf_opt_known, "++[->+++<]>.", "SET@0=0 SET@1=6 PUT=6 MOVE=1 HALT");
  check(BFJIT_PASS_ALL, NULL, "++[->+++<]>.", "SET@1=6 PUT=6 MOVE=1 HALT");
}

/* -- The driver and the levels -------------------------------------------- */

static void passes_for_level(void **state)
{
  (void)state;
  assert_int_equal(bfjit_passes_for_level(0), 0);
  assert_int_equal(bfjit_passes_for_level(-1), 0);
  assert_int_equal(bfjit_passes_for_level(1),
                   BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET | BFJIT_PASS_CLEAR |
                   BFJIT_PASS_SINK);
  assert_int_equal(bfjit_passes_for_level(2), BFJIT_PASS_ALL);
  assert_int_equal(bfjit_passes_for_level(3), BFJIT_PASS_ALL);
  assert_int_equal(bfjit_passes_for_level(99), BFJIT_PASS_ALL);
  assert_int_equal(BFJIT_PASS_ALL, BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET |
                   BFJIT_PASS_CLEAR | BFJIT_PASS_LINEAR | BFJIT_PASS_SCAN |
                   BFJIT_PASS_DEAD | BFJIT_PASS_KNOWN | BFJIT_PASS_EVAL |
                   BFJIT_PASS_SINK);
}

static void levels_end_to_end(void **state)
{
  (void)state;
  const char *src = "[dead]++[->+++<]>[-]+>[>]<.";
  check(0, NULL, src,
        "LOOP END ADD@0=1 ADD@0=1 LOOP ADD@0=-1 MOVE=1 ADD@0=1 ADD@0=1 ADD@0=1 "
        "MOVE=-1 END MOVE=1 LOOP ADD@0=-1 END ADD@0=1 MOVE=1 LOOP MOVE=1 END "
        "MOVE=-1 OUT@0 HALT");
  /* The second round folds the moves around the clear into its address;
  ** the last move sinks past the scan loop's tests. */
  check(bfjit_passes_for_level(1), NULL, src,
        "LOOP END ADD@0=2 LOOP ADD@0=-1 ADD@1=3 END SET@1=1 "
        "LOOP@2 MOVE=1 END@2 OUT@1 MOVE=1 HALT");
  /* Every value is known: cell 0 ends as it began, and c(2) is 0, so the
  ** scan never moves. */
  check(bfjit_passes_for_level(2), NULL, src, "SET@1=1 PUT=1 MOVE=1 HALT");
  /* With input, 'linear' and 'scan' have work to do; the multiply-add's
  ** result is stored over unread, so only its touch is left. */
  check(bfjit_passes_for_level(2), NULL, ",[->+++<]>[-]+>,[>]<.",
        "IN@0 IF=2 ADD@1=0 SET@0=0 SET@1=1 IN@2 SCAN@2=1 OUT@1 MOVE=1 HALT");
}

/* -- Sinking moves past tests ---------------------------------------------- */

#define SINK (FO | BFJIT_PASS_SINK)

/* A balanced loop tests its cell where it is: no MOVE in or around it. */
static void sink_balanced(void **state)
{
  (void)state;
  check(SINK, NULL, ">[->+<]", "LOOP@1 ADD@1=-1 ADD@2=1 END@1 MOVE=1 HALT");
  check(SINK, NULL, ">[->+<]<.", "LOOP@1 ADD@1=-1 ADD@2=1 END@1 OUT@0 HALT");
  /* Without the pass, as before. */
  check(FO, NULL, ">[->+<]", "MOVE=1 LOOP ADD@0=-1 ADD@1=1 END HALT");
}

/* A drifting loop keeps one MOVE, its net drift, just before its END, and
** the move before it stays pending across it. */
static void sink_drifting(void **state)
{
  (void)state;
  check(SINK, NULL, ">[>>]", "LOOP@1 MOVE=2 END@1 MOVE=1 HALT");
  check(SINK, NULL, "[>+>]", "LOOP ADD@1=1 MOVE=2 END HALT");
  check(SINK | BFJIT_PASS_CLEAR, NULL, ">>[<[-]<<]",
        "LOOP@2 SET@1=0 MOVE=-3 END@2 MOVE=2 HALT");
}

/* An IF tests its cell, a MUL reads it and a SCAN tests its first cell
** where they are; a scan moves 'p' by steps, and the move pending before it
** stays pending after it, so a loop around one settles it before its END. */
static void sink_if_mul_scan(void **state)
{
  (void)state;
  const unsigned all = BFJIT_PASS_ALL & ~BFJIT_PASS_KNOWN & ~BFJIT_PASS_EVAL;
  check(all, NULL, ">,[->+<]", "IN@1 IF@1=2 MUL@2=1*@1 SET@1=0 MOVE=1 HALT");
  check(all, NULL, ">[<]", "SCAN@1=-1 MOVE=1 HALT");
  check(FO | BFJIT_PASS_SCAN | BFJIT_PASS_SINK, NULL, ">[[>]<]",
        "LOOP@1 SCAN@1=1 MOVE=-1 END@1 MOVE=1 HALT");
  check(FO | BFJIT_PASS_SCAN | BFJIT_PASS_SINK, NULL, ">[>[[>]<]<]",
        "LOOP@1 LOOP@2 SCAN@2=1 MOVE=-1 END@2 END@1 MOVE=1 HALT");
  /* A MUL's read stays at the IF's cell though the body moved nothing. */
  check(all, NULL, ",>,<[>>+<<-]>.",
        "IN@0 IN@1 IF=2 MUL@2=1 SET@0=0 OUT@1 MOVE=1 HALT");
}

/* -- Linearity ------------------------------------------------------------ */

/* Ops left after every pass; 'src' is 'len' bytes. */
static size_t ops_after_all(const char *src, size_t len, uint32_t *nloops)
{
  bf_ir ir = { .cell_bits = 8 };
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(bf_parse((const uint8_t *)src, len, &ir, &map, &err), 0);
  bf_opt_run(&ir, BFJIT_PASS_ALL);
  size_t n = ir.n;
  *nloops = ir.nloops;
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
  return n;
}

/* A 4 MB program made of one idiom-rich unit repeated: the op count must be
** exactly linear in the number of units (each pass is one sweep; a quadratic
** pass would show as a hang here long before any assertion). */
static void big_program_linear(void **state)
{
  (void)state;
  /* Every pattern once; pointer-neutral; ends with I/O so units do not fold
  ** into each other. */
  static const char unit[] =
    "+++[->++>+++<<]>[-]+>>[>]<<[<]>>[-]<[->+<<+>]<"
    "[[-]>+<]>>[>+<-]<<[->+<]>>>[.>]<<<<"
    "+[>+<<]>-[-->+<]>+[.-]>-,<<.";
  size_t u = strlen(unit);
  uint32_t l1, l2, ln;
  size_t one = ops_after_all(unit, u, &l1);
  char *two = repeat(unit, 2);
  size_t per = ops_after_all(two, 2 * u, &l2) - one;
  free(two);
  assert_true(per > 10);
  size_t reps = (4u << 20) / u;
  char *big = repeat(unit, reps);
  size_t total = ops_after_all(big, reps * u, &ln);
  assert_int_equal(total, one + (reps - 1) * per);
  assert_int_equal(ln, l1 + (reps - 1) * (l2 - l1));
  free(big);
}

/* A million nested loops through every pass: no pass recurses. */
static void deep_nesting_all_passes(void **state)
{
  (void)state;
  const size_t depth = 1000000;
  char *text = malloc(2 * depth + 3);
  size_t n = 0;
  text[n++] = '+';
  memset(text + n, '[', depth);
  n += depth;
  text[n++] = '-';
  memset(text + n, ']', depth);
  n += depth;
  uint32_t nloops;
  /* '+' LOOP x (depth-1) SET END x (depth-1) HALT: the innermost is a clear. */
  assert_int_equal(ops_after_all(text, n, &nloops), 1 + 2 * (depth - 1) + 1 + 1);
  assert_int_equal(nloops, depth - 1);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(fold_runs),
    cmocka_unit_test(fold_zero_sums),
    cmocka_unit_test(fold_wraps_at_width),
    cmocka_unit_test(fold_boundaries),
    cmocka_unit_test(fold_keeps_first_src),
    cmocka_unit_test(offset_addressing),
    cmocka_unit_test(offset_merges_into_first_touch),
    cmocka_unit_test(offset_move_at_run_end),
    cmocka_unit_test(offset_io_barriers),
    cmocka_unit_test(clear_loops),
    cmocka_unit_test(clear_look_alikes),
    cmocka_unit_test(clear_set_constant),
    cmocka_unit_test(linear_basic),
    cmocka_unit_test(linear_sums),
    cmocka_unit_test(linear_counter_incremented),
    cmocka_unit_test(linear_inverse_factors),
    cmocka_unit_test(linear_body_and_sources),
    cmocka_unit_test(linear_many_targets),
    cmocka_unit_test(linear_look_alikes),
    cmocka_unit_test(linear_stores),
    cmocka_unit_test(linear_stores_order_and_sources),
    cmocka_unit_test(linear_nested_known),
    cmocka_unit_test(linear_nested_peeled),
    cmocka_unit_test(linear_nested_look_alikes),
    cmocka_unit_test(scan_strides),
    cmocka_unit_test(scan_sources),
    cmocka_unit_test(scan_look_alikes),
    cmocka_unit_test(dead_at_start),
    cmocka_unit_test(dead_after_zeroing),
    cmocka_unit_test(dead_look_alikes),
    cmocka_unit_test(known_dead_tests),
    cmocka_unit_test(known_tests_kept),
    cmocka_unit_test(known_after_loops),
    cmocka_unit_test(known_copy_back),
    cmocka_unit_test(known_dead_mul),
    cmocka_unit_test(known_dropped_test_touch),
    cmocka_unit_test(known_if_runs),
    cmocka_unit_test(known_add_to_set),
    cmocka_unit_test(known_constant_output),
    cmocka_unit_test(known_redundant_stores),
    cmocka_unit_test(known_dead_stores),
    cmocka_unit_test(rounds_keep_if_bodies),
    cmocka_unit_test(rounds_until_nothing_changes),
    cmocka_unit_test(passes_for_level),
    cmocka_unit_test(sink_balanced),
    cmocka_unit_test(sink_drifting),
    cmocka_unit_test(sink_if_mul_scan),
    cmocka_unit_test(levels_end_to_end),
    cmocka_unit_test(big_program_linear),
    cmocka_unit_test(deep_nesting_all_passes),
  };
  return cmocka_run_group_tests_name("opt", tests, NULL, NULL);
}
