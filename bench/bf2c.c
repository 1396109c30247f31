/*
** bf2c.c — translates Brainfuck to C, the "gcc -O2" ceiling of `make bench`.
** Usage: bf2c < prog.b > prog.c. 8-bit wrapping cells, EOF leaves the cell.
** Deliberately independent of the engine: its own parser and peephole passes.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *code;   /* the program, command characters only */
static long ncode;
static long *match;  /* partner bracket of each '[' and ']' */

/* -- Reading ---------------------------------------------------------------- */

static void load(void)
{
  long cap = 1 << 16, sp = 0;
  int c;
  code = malloc(cap);
  while ((c = getchar()) != EOF) {
    if (!strchr("+-<>[].,", c) || c == 0) continue;
    if (ncode == cap) code = realloc(code, cap *= 2);
    code[ncode++] = (char)c;
  }
  match = malloc(sizeof *match * (ncode + 1));
  long *stack = malloc(sizeof *stack * (ncode + 1));
  for (long i = 0; i < ncode; i++) {
    if (code[i] == '[') stack[sp++] = i;
    else if (code[i] == ']') {
      if (!sp) { fprintf(stderr, "bf2c: unmatched ']'\n"); exit(3); }
      match[i] = stack[--sp];
      match[match[i]] = i;
    }
  }
  if (sp) { fprintf(stderr, "bf2c: unmatched '['\n"); exit(3); }
  free(stack);
}

/* -- Straight-line code: adds and moves folded into offsets ------------------ */

/* A loop body is "simple" when it has no I/O and no inner loops; returns the
** pointer drift, and whether it is one. */
static int simple_body(long open, long *drift)
{
  long d = 0;
  for (long i = open + 1; i < match[open]; i++) {
    char c = code[i];
    if (c == '>') d++;
    else if (c == '<') d--;
    else if (c != '+' && c != '-') return 0;
  }
  *drift = d;
  return 1;
}

/* Net add to each offset in a simple body; offsets are within +-'span'. */
enum { SPAN = 4096 };
static int deltas[2 * SPAN + 1];

static int body_deltas(long open, long *lo, long *hi)
{
  long d = 0;
  *lo = *hi = 0;
  for (long i = open + 1; i < match[open]; i++) {
    char c = code[i];
    if (c == '>') d++;
    else if (c == '<') d--;
    if (d < -SPAN || d > SPAN) return 0;
    if (c == '+') deltas[SPAN + d]++;
    if (c == '-') deltas[SPAN + d]--;
    if (d < *lo) *lo = d;
    if (d > *hi) *hi = d;
  }
  return 1;
}

static void clear_deltas(long lo, long hi)
{
  for (long k = lo; k <= hi; k++) deltas[SPAN + k] = 0;
}

static void indent(int depth)
{
  for (int i = 0; i < depth; i++) fputs("  ", stdout);
}

/* Emits code from 'i' up to (not including) 'end'; 'off' is the pending
** pointer move not yet applied to 'p'. */
static void translate(long i, long end, int depth)
{
  long off = 0;
  while (i < end) {
    char c = code[i];
    if (c == '>' || c == '<') { off += c == '>' ? 1 : -1; i++; continue; }
    if (c == '+' || c == '-') {
      int n = 0;
      for (; i < end && (code[i] == '+' || code[i] == '-'); i++) n += code[i] == '+' ? 1 : -1;
      if (n & 255) { indent(depth); printf("p[%ld] += %d;\n", off, n & 255); }
      continue;
    }
    if (c == '.') { indent(depth); printf("putchar(p[%ld]);\n", off); i++; continue; }
    if (c == ',') {
      indent(depth);
      printf("{ int ch = getchar(); if (ch != EOF) p[%ld] = (unsigned char)ch; }\n", off);
      i++;
      continue;
    }
    if (c == ']') { fprintf(stderr, "bf2c: internal error\n"); exit(1); }
    /* A loop: the pointer must be real at its head. */
    if (off) { indent(depth); printf("p += %ld;\n", off); off = 0; }
    long drift, lo, hi;
    if (simple_body(i, &drift) && drift == 0 && body_deltas(i, &lo, &hi)) {
      int step = deltas[SPAN] & 255;
      /* Linear loop: the counter moves by an odd step (invertible mod 256). */
      if (step & 1) {
        int inv = 1;  /* iterations = -p[0] * step^-1 (mod 256) */
        while (((inv * step) & 255) != 1) inv += 2;
        int only_counter = 1;
        for (long k = lo; k <= hi; k++) if (k && deltas[SPAN + k] & 255) only_counter = 0;
        indent(depth);
        if (only_counter) printf("p[0] = 0;\n");
        else {
          printf("if (p[0]) { unsigned char n = (unsigned char)(p[0] * %d);\n", (256 - inv) & 255);
          for (long k = lo; k <= hi; k++) {
            if (!k || !(deltas[SPAN + k] & 255)) continue;
            indent(depth + 1);
            printf("p[%ld] += (unsigned char)(n * %d);\n", k, deltas[SPAN + k] & 255);
          }
          indent(depth + 1);
          printf("p[0] = 0; }\n");
        }
        clear_deltas(lo, hi);
        i = match[i] + 1;
        continue;
      }
      clear_deltas(lo, hi);
    }
    if (simple_body(i, &drift) && drift != 0 && match[i] - i - 1 == labs(drift)) {
      indent(depth);  /* a scan: [>] [<<] ... */
      if (drift == 1) printf("p = memchr(p, 0, (size_t)(tape_end - p));\n");
      else if (drift == -1) printf("p = memrchr(tape, 0, (size_t)(p - tape + 1));\n");
      else printf("while (*p) p += %ld;\n", drift);
      i = match[i] + 1;
      continue;
    }
    indent(depth); printf("while (p[0]) {\n");
    translate(i + 1, match[i], depth + 1);
    indent(depth); printf("}\n");
    i = match[i] + 1;
  }
  if (off) { indent(depth); printf("p += %ld;\n", off); }
}

int main(void)
{
  load();
  puts("#define _GNU_SOURCE\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n");
  puts("enum { TAPE = 1 << 26 };  /* 64 Mi cells, like bfjit's default limit */");
  puts("static unsigned char tape[TAPE];\n");
  puts("int main(void)\n{\n  unsigned char *p = tape, *tape_end = tape + TAPE;\n  (void)tape_end;");
  translate(0, ncode, 1);
  puts("  return 0;\n}");
  return 0;
}
