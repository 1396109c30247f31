/*
** test_parse.c — the parser: one op per command, comments ignored, loops
** linked, source offsets kept, parse errors at the right line and column;
** folded as it reads, the same IR as the fold pass makes.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ir_text.h"

/* Parses 'len' bytes; returns bf_parse's result with 'err' filled. */
static int parse_n(const void *src, size_t len, unsigned bits, bf_ir *ir,
                   bf_srcmap *map, bfjit_error *err)
{
  *ir = (bf_ir){ .cell_bits = bits };
  return bf_parse(src, len, ir, map, err);
}

/* Expects 'src' to fail at line:col with a message naming 'bracket'. */
static void expect_error(const char *src, size_t len, unsigned line,
                         unsigned col, const char *bracket)
{
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n(src, len, 8, &ir, &map, &err), -1);
  assert_int_equal(err.status, BFJIT_ERR_PARSE);
  assert_int_equal(err.line, line);
  assert_int_equal(err.column, col);
  assert_non_null(strstr(err.message, bracket));
  assert_null(strchr(err.message, '\n'));
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
}

/* -- Commands ------------------------------------------------------------- */

static void each_command(void **state)
{
  (void)state;
  bf_ir ir;
  ir_parse("+-<>.,[]", 8, &ir);
  assert_ir(&ir, "ADD@0=1 ADD@0=-1 MOVE=-1 MOVE=1 OUT@0 IN@0 LOOP END HALT");
  /* Raw values: '-' is the cell mask, '<' is -1, nothing else is set. */
  assert_int_equal(ir.ops[0].val, 1);
  assert_int_equal(ir.ops[1].val, 0xff);
  assert_int_equal(ir.ops[2].off, -1);
  assert_int_equal(ir.ops[3].off, 1);
  for (size_t i = 0; i < ir.n; i++) {
    if (ir.ops[i].op != BF_MOVE)
      assert_int_equal(ir.ops[i].off, 0);
    assert_int_equal(ir.ops[i].src, i);  /* one command per byte here */
  }
  bf_ir_free(&ir);
}

static void minus_at_each_width(void **state)
{
  (void)state;
  static const struct { unsigned bits; uint32_t minus; } w[] = {
    { 8, 0xffu }, { 16, 0xffffu }, { 32, 0xffffffffu },
  };
  for (size_t i = 0; i < 3; i++) {
    bf_ir ir;
    ir_parse("-+", w[i].bits, &ir);
    assert_int_equal(ir.cell_bits, w[i].bits);
    assert_int_equal(ir.ops[0].val, w[i].minus);
    assert_int_equal(ir.ops[1].val, 1);
    bf_ir_free(&ir);
  }
}

/* No folding at parse time: every command is its own op. */
static void runs_not_folded(void **state)
{
  (void)state;
  bf_ir ir;
  ir_parse("+++>><", 8, &ir);
  assert_ir(&ir, "ADD@0=1 ADD@0=1 ADD@0=1 MOVE=1 MOVE=1 MOVE=-1 HALT");
  bf_ir_free(&ir);
}

/* -- Comments ------------------------------------------------------------- */

static void every_other_byte_is_a_comment(void **state)
{
  (void)state;
  uint8_t text[256];
  size_t n = 0;
  for (int c = 0; c < 256; c++)
    if (!strchr("+-<>.,[]", c) || c == 0)  /* strchr finds the NUL too */
      text[n++] = (uint8_t)c;
  assert_int_equal(n, 248);
  assert_int_equal(text[0], 0);
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n(text, n, 8, &ir, &map, &err), 0);
  assert_ir(&ir, "HALT");
  assert_int_equal(ir.ops[0].src, n);
  assert_int_equal(ir.nloops, 0);
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
}

/* A NUL does not end the program: what follows it still counts. */
static void nul_does_not_end_the_text(void **state)
{
  (void)state;
  static const char text[] = { '+', 0, '+', 0, '.' };
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n(text, sizeof text, 8, &ir, &map, &err), 0);
  assert_ir(&ir, "ADD@0=1 ADD@0=1 OUT@0 HALT");
  assert_int_equal(ir.ops[1].src, 2);
  assert_int_equal(ir.ops[2].src, 4);
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
}

static void comments_between_commands(void **state)
{
  (void)state;
  bf_ir ir;
  ir_parse("add one: + then print it . # done\n", 8, &ir);
  assert_ir(&ir, "ADD@0=1 OUT@0 HALT");
  assert_int_equal(ir.ops[0].src, 9);
  assert_int_equal(ir.ops[1].src, 25);
  bf_ir_free(&ir);
}

static void empty_program_is_halt(void **state)
{
  (void)state;
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n("", 0, 8, &ir, &map, &err), 0);
  assert_ir(&ir, "HALT");
  assert_int_equal(ir.n, 1);
  assert_int_equal(ir.ops[0].src, 0);
  assert_int_equal(ir.nloops, 0);
  assert_int_equal(map.nlines, 1);
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
}

/* -- Loops ---------------------------------------------------------------- */

static void loops_linked(void **state)
{
  (void)state;
  bf_ir ir;
  /*             0 1 2 3 4 5 6 7 8 9 */
  ir_parse("[[+][-]]>[]", 8, &ir);
  assert_ir(&ir, "LOOP LOOP ADD@0=1 END LOOP ADD@0=-1 END END MOVE=1 LOOP END HALT");
  static const struct { size_t at, partner; uint32_t id; } l[] = {
    { 0, 7, 0 }, { 1, 3, 1 }, { 4, 6, 2 }, { 9, 10, 3 },
  };
  for (size_t i = 0; i < 4; i++) {
    const bf_op *open = &ir.ops[l[i].at], *close = &ir.ops[l[i].partner];
    assert_int_equal(open->op, BF_LOOP);
    assert_int_equal(close->op, BF_END);
    assert_int_equal(open->aux, l[i].partner);
    assert_int_equal(close->aux, l[i].at);
    assert_int_equal(open->val, l[i].id);   /* ids in order of the '[' */
    assert_int_equal(close->val, l[i].id);
  }
  assert_int_equal(ir.nloops, 4);
  bf_ir_free(&ir);
}

/* Re-linking after a rewrite renumbers loops in their new order. */
static void relink_renumbers(void **state)
{
  (void)state;
  bf_ir ir;
  ir_parse("[][[]]", 8, &ir);
  /* Drop the first loop by hand, as a pass would. */
  memmove(ir.ops, ir.ops + 2, (ir.n - 2) * sizeof *ir.ops);
  ir.n -= 2;
  bf_ir_link(&ir);
  assert_ir(&ir, "LOOP LOOP END END HALT");
  assert_int_equal(ir.nloops, 2);
  assert_int_equal(ir.ops[0].aux, 3);
  assert_int_equal(ir.ops[3].aux, 0);
  assert_int_equal(ir.ops[0].val, 0);
  assert_int_equal(ir.ops[1].val, 1);
  assert_int_equal(ir.ops[2].val, 1);
  assert_int_equal(ir.ops[3].val, 0);
  bf_ir_free(&ir);
}

/* A million nested loops: matching uses heap stacks, never the C stack. */
static void deep_nesting(void **state)
{
  (void)state;
  const size_t depth = 1000000;
  char *text = malloc(2 * depth);
  assert_non_null(text);
  memset(text, '[', depth);
  memset(text + depth, ']', depth);
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n(text, 2 * depth, 8, &ir, &map, &err), 0);
  assert_int_equal(ir.n, 2 * depth + 1);
  assert_int_equal(ir.nloops, depth);
  for (size_t i = 0; i < depth; i += 99991) {
    assert_int_equal(ir.ops[i].aux, 2 * depth - 1 - i);
    assert_int_equal(ir.ops[2 * depth - 1 - i].aux, i);
    assert_int_equal(ir.ops[i].val, i);
  }
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
  /* One ']' too many at the very end. */
  text[2 * depth - 1] = '+';
  text[0] = ']';
  assert_int_equal(parse_n(text, 2 * depth, 8, &ir, &map, &err), -1);
  assert_int_equal(err.line, 1);
  assert_int_equal(err.column, 1);
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
  free(text);
}

/* -- Source offsets ------------------------------------------------------- */

static void source_offsets(void **state)
{
  (void)state;
  const char *src = "x+\n  [>.]\n\n,";
  bf_ir ir;
  ir_parse(src, 8, &ir);
  assert_ir(&ir, "ADD@0=1 LOOP MOVE=1 OUT@0 END IN@0 HALT");
  static const uint32_t want[] = { 1, 5, 6, 7, 8, 11, 12 };
  for (size_t i = 0; i < ir.n; i++)
    assert_int_equal(ir.ops[i].src, want[i]);
  assert_int_equal(ir.ops[ir.n - 1].src, strlen(src));
  bf_ir_free(&ir);
}

static void srcmap_positions(void **state)
{
  (void)state;
  const char *src = "ab\ncd\r\n\n\tx";
  bf_ir ir;
  bf_srcmap map;
  bfjit_error err;
  assert_int_equal(parse_n(src, strlen(src), 8, &ir, &map, &err), 0);
  assert_int_equal(map.nlines, 4);
  static const struct { uint32_t off; unsigned line, col; } p[] = {
    { 0, 1, 1 }, { 1, 1, 2 }, { 2, 1, 3 },  /* the '\n' ends line 1 */
    { 3, 2, 1 }, { 5, 2, 3 }, { 6, 2, 4 },  /* '\r' is a byte of line 2 */
    { 7, 3, 1 }, { 8, 4, 1 }, { 9, 4, 2 },  /* a tab is one column */
    { 10, 4, 3 },                           /* the end of the text */
  };
  for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
    unsigned line, col;
    bf_srcmap_pos(&map, p[i].off, &line, &col);
    assert_int_equal(line, p[i].line);
    assert_int_equal(col, p[i].col);
  }
  bf_ir_free(&ir);
  bf_srcmap_free(&map);
}

/* -- Parse errors --------------------------------------------------------- */

static void unmatched_close(void **state)
{
  (void)state;
  expect_error("]", 1, 1, 1, "']'");
  expect_error("+++]", 4, 1, 4, "']'");
  expect_error("[]]", 3, 1, 3, "']'");
  /* The first ']' too many is the one named, not a later one. */
  expect_error("[]]+]", 5, 1, 3, "']'");
  expect_error("+\n+\n  ]", 7, 3, 3, "']'");
}

static void unmatched_open(void **state)
{
  (void)state;
  expect_error("[", 1, 1, 1, "'['");
  /* The innermost unclosed '[' is named. */
  expect_error("[[]", 3, 1, 1, "'['");
  expect_error("[][", 3, 1, 3, "'['");
  expect_error("[[", 2, 1, 2, "'['");
  expect_error("+\n[\n[\n]\n", 8, 2, 1, "'['");
}

/* A ']' before an unclosed '[' is found first: the scan is left to right. */
static void close_error_before_open_error(void **state)
{
  (void)state;
  expect_error("][", 2, 1, 1, "']'");
}

static void crlf_lines(void **state)
{
  (void)state;
  expect_error("+\r\n+\r\n]", 7, 3, 1, "']'");
  expect_error("+\r\n  [\r\n", 8, 2, 3, "'['");
  /* A lone '\r' is not a line break: the column counts it. */
  expect_error("+\r]", 3, 1, 3, "']'");
}

/* Columns count bytes, not characters: a UTF-8 'é' is two columns. */
static void columns_count_bytes(void **state)
{
  (void)state;
  expect_error("\xc3\xa9]", 3, 1, 3, "']'");
  expect_error("\t\t[", 3, 1, 3, "'['");
}

static void error_after_many_lines(void **state)
{
  (void)state;
  const size_t lines = 100000;
  char *text = malloc(lines * 2 + 8);
  assert_non_null(text);
  size_t n = 0;
  for (size_t i = 0; i < lines; i++) {
    text[n++] = '+';
    text[n++] = '\n';
  }
  memcpy(text + n, "   ]", 4);
  n += 4;
  expect_error(text, n, lines + 1, 4, "']'");
  free(text);
}

/* -- Folding as it reads ------------------------------------------------ */

/* bf_parse_folded then 'passes' must give exactly what bf_parse then
** 'passes' gives (ops, operands, links, source offsets), and so must its
** errors. */
static void expect_same_ir(const char *src, size_t len, unsigned bits, unsigned passes,
                           const char *what)
{
  bf_ir a = { .cell_bits = bits }, b = { .cell_bits = bits };
  bf_srcmap ma, mb;
  bfjit_error ea, eb;
  int ra = bf_parse((const uint8_t *)src, len, &a, &ma, &ea);
  int rb = bf_parse_folded((const uint8_t *)src, len, &b, &mb, &eb);
  assert_int_equal(ra, rb);
  if (ra == 0) {
    bf_opt_run(&a, passes);
    bf_opt_run(&b, passes);
    size_t i = 0;  /* the first op that differs (fields, not padding) */
    while (i < a.n && i < b.n && a.ops[i].op == b.ops[i].op && a.ops[i].off == b.ops[i].off &&
           a.ops[i].val == b.ops[i].val && a.ops[i].aux == b.ops[i].aux &&
           a.ops[i].src == b.ops[i].src)
      i++;
    if (a.n != b.n || a.nloops != b.nloops || i < a.n) {
      char *ta = ir_text(&a), *tb = ir_text(&b);
      size_t at = i > 4 ? i - 4 : 0;  /* show from a few ops before */
      const char *sa = ta, *sb = tb;
      for (size_t k = 0; k < at && (sa = strchr(sa, ' ')); k++) sa++;
      for (size_t k = 0; k < at && (sb = strchr(sb, ' ')); k++) sb++;
      print_error("%s at %u bits, passes 0x%x: op %zu differs (src %u, %u)\n"
                  "  parsed:        ...%.200s\n  parsed folded: ...%.200s\n", what, bits, passes,
                  i, i < a.n ? a.ops[i].src : 0, i < b.n ? b.ops[i].src : 0,
                  sa ? sa : "", sb ? sb : "");
      free(ta);
      free(tb);
      fail();
    }
  } else {
    assert_int_equal(ea.line, eb.line);
    assert_int_equal(ea.column, eb.column);
  }
  bf_ir_free(&a);
  bf_ir_free(&b);
  bf_srcmap_free(&ma);
  bf_srcmap_free(&mb);
}

static void folded_like_the_pass(void **state)
{
  (void)state;
  static const char *const srcs[] = {
    "", "+", "+-", "+-+-", "><", "><+", "+><+", "+>-<+", ">>><<<<", "[><]", "+[>+<-]>.",
    "++++[>+++<-]>[-]<<<>>>.,+-,", "+[-]-[+]>>>>[<<]", "]", "[[]", "+>\n<<<[-]\n]",
  };
  static const unsigned sets[] = { BFJIT_PASS_FOLD, BFJIT_PASS_FOLD | BFJIT_PASS_OFFSET |
                                   BFJIT_PASS_CLEAR, BFJIT_PASS_ALL };
  for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++)
    for (unsigned bits = 8; bits <= 32; bits *= 2)
      for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
        expect_same_ir(srcs[i], strlen(srcs[i]), bits, sets[k], srcs[i]);
  /* 255 '+' wrap at 8 bits; 2^16 '-' at 16. */
  size_t n = 1 << 16;
  char *runs = malloc(n + 1);
  assert_non_null(runs);
  memset(runs, '+', 255);
  memset(runs + 255, '-', n - 255);
  for (unsigned bits = 8; bits <= 32; bits *= 2)
    expect_same_ir(runs, n, bits, BFJIT_PASS_ALL, "long runs");
  free(runs);
}

/* The same over every program of the corpus. */
static void folded_like_the_pass_corpus(void **state)
{
  (void)state;
  const char *top = getenv("BFJIT_SRC") ? getenv("BFJIT_SRC") : ".";
  char dir[4096], path[4600];
  snprintf(dir, sizeof dir, "%s/tests/progs", top);
  DIR *d = opendir(dir);
  assert_non_null(d);
  unsigned count = 0;
  for (struct dirent *e; (e = readdir(d)); ) {
    size_t l = strlen(e->d_name);
    if (l < 3 || strcmp(e->d_name + l - 2, ".b") != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    expect_same_ir(text, len, 8, BFJIT_PASS_ALL, e->d_name);
    expect_same_ir(text, len, 32, BFJIT_PASS_FOLD, e->d_name);
    count++;
  }
  closedir(d);
  assert_true(count > 100);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(each_command),
    cmocka_unit_test(minus_at_each_width),
    cmocka_unit_test(runs_not_folded),
    cmocka_unit_test(every_other_byte_is_a_comment),
    cmocka_unit_test(nul_does_not_end_the_text),
    cmocka_unit_test(comments_between_commands),
    cmocka_unit_test(empty_program_is_halt),
    cmocka_unit_test(loops_linked),
    cmocka_unit_test(relink_renumbers),
    cmocka_unit_test(deep_nesting),
    cmocka_unit_test(source_offsets),
    cmocka_unit_test(srcmap_positions),
    cmocka_unit_test(unmatched_close),
    cmocka_unit_test(unmatched_open),
    cmocka_unit_test(close_error_before_open_error),
    cmocka_unit_test(crlf_lines),
    cmocka_unit_test(columns_count_bytes),
    cmocka_unit_test(error_after_many_lines),
    cmocka_unit_test(folded_like_the_pass),
    cmocka_unit_test(folded_like_the_pass_corpus),
  };
  return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
