/*
** bfasm.c — the Brainfuck macro assembler behind the benchmark generators.
** Output goes to stdout in lines of at most 72 commands.
*/
#include "bfasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pos;          /* pointer position, as a cell name in the frame */
static int col;          /* characters on the current output line */
static int stack[256];   /* cell each open loop closes on */
static int depth;

static void emit(char c)
{
  putchar(c);
  if (++col == 72) { putchar('\n'); col = 0; }
}

static void emitn(char c, int n)
{
  while (n-- > 0) emit(c);
}

void bfa_comment(const char *text)
{
  if (col) putchar('\n');
  for (; *text; text++)
    if (!strchr("+-<>[].,", *text)) putchar(*text);
  putchar('\n');
  col = 0;
}

void bfa_finish(void)
{
  if (depth) { fprintf(stderr, "bfasm: %d unclosed loops\n", depth); exit(1); }
  if (col) putchar('\n');
  col = 0;
}

void bfa_at(int cell)
{
  emitn(cell > pos ? '>' : '<', abs(cell - pos));
  pos = cell;
}

void bfa_add(int cell, int n)
{
  n = ((n % 256) + 256) % 256;
  bfa_at(cell);
  /* Wrapping makes 200 '+' the same as 56 '-': take the shorter. */
  if (n <= 128) emitn('+', n); else emitn('-', 256 - n);
}

void bfa_clear(int cell)
{
  bfa_at(cell);
  emit('['); emit('-'); emit(']');
}

void bfa_set(int cell, int n)
{
  bfa_clear(cell);
  bfa_add(cell, n);
}

void bfa_out(int cell)
{
  bfa_at(cell);
  emit('.');
}

void bfa_while(int cell)
{
  if (depth == 256) { fprintf(stderr, "bfasm: loops nested too deep\n"); exit(1); }
  bfa_at(cell);
  emit('[');
  stack[depth++] = cell;
}

void bfa_end(void)
{
  bfa_at(stack[--depth]);
  emit(']');
}

void bfa_shift(int cells)
{
  emitn(cells > 0 ? '>' : '<', abs(cells));
}

void bfa_scan(int cell, int step)
{
  bfa_at(cell);
  emit('[');
  bfa_shift(step);
  emit(']');
}

void bfa_move(int src, int dst, int k)
{
  bfa_while(src);
  bfa_add(src, -1);
  bfa_add(dst, k);
  bfa_end();
}

void bfa_move2(int src, int d1, int k1, int d2, int k2)
{
  bfa_while(src);
  bfa_add(src, -1);
  bfa_add(d1, k1);
  bfa_add(d2, k2);
  bfa_end();
}

void bfa_copy(int src, int dst, int tmp)
{
  bfa_move2(src, dst, 1, tmp, 1);
  bfa_move(tmp, src, 1);
}

void bfa_bool(int src, int dst)
{
  bfa_while(src);
  bfa_clear(src);
  bfa_add(dst, 1);
  bfa_end();
}

void bfa_print(int tmp, const char *s)
{
  int v = 0;
  bfa_clear(tmp);
  for (; *s; s++) {
    bfa_add(tmp, (unsigned char)*s - v);
    v = (unsigned char)*s;
    bfa_out(tmp);
  }
  bfa_clear(tmp);
}

void bfa_if(int flag)
{
  bfa_while(flag);
  bfa_add(flag, -1);
}

void bfa_endif(void)
{
  bfa_end();
}
