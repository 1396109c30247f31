/*
** big.c — generates the tiering benchmark "big": KB kilobytes of cold code
** (straight runs that execute once, loops that run a few times, loops that
** never run) around one hot loop nest. Usage: gen-big KB OUTFILE > big.b;
** OUTFILE gets the program's expected output (stdin at EOF).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tape: cell 0 prints, HOT.. the hot nest, FLAG stays zero (it guards the
** loops that never run), the cold code walks cells LO..HI-1. */
enum { PRINT = 0, HOT = 2, FLAG = 12, LO = 16, HI = 80, TAPE = 128 };

/* The hot nest: four loops, each counting down 2*TRIPS by 2 (an even step
** keeps them real loops: the optimizer only turns odd steps into multiplies). */
enum { LEVELS = 4, TRIPS = 60 };

static unsigned char tape[TAPE];  /* the model: what the program has done so far */
static int ptr;                   /* where the model's pointer is */
static int at;                    /* where the emitted text leaves the pointer */
static char pend[1 << 16];        /* emitted text not yet run on the model */
static size_t npend;
static long written, col;
static FILE *expect;
static unsigned long long rng = 88172645463325252ull;

static int rnd(int n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (int)(rng % (unsigned)n);
}

static void put(char c)
{
  if (npend == sizeof pend) {
    fprintf(stderr, "gen-big: chunk too long\n");
    exit(1);
  }
  pend[npend++] = c;
}

/* Runs the pending text on the model (its brackets balance) and writes it. */
static void sync(void)
{
  static size_t match[sizeof pend], stack[256];
  size_t sp = 0;
  for (size_t i = 0; i < npend; i++)
    if (pend[i] == '[')
      stack[sp++] = i;
    else if (pend[i] == ']') {
      match[i] = stack[--sp];
      match[match[i]] = i;
    }
  for (size_t i = 0; i < npend; i++) {
    switch (pend[i]) {
    case '+': tape[ptr]++; break;
    case '-': tape[ptr]--; break;
    case '>': ptr++; break;
    case '<': ptr--; break;
    case '.': fputc(tape[ptr], expect); break;
    case ',': break;  /* at EOF the cell is kept */
    case '[': if (!tape[ptr]) i = match[i]; break;
    case ']': if (tape[ptr]) i = match[i]; break;
    }
    if (ptr < 0 || ptr >= TAPE) {
      fprintf(stderr, "gen-big: model pointer off its tape\n");
      exit(1);
    }
  }
  for (size_t i = 0; i < npend; i++) {
    putchar(pend[i]);
    if (++col == 100) {
      putchar('\n');
      col = 0;
    }
  }
  written += (long)npend;
  npend = 0;
}

static void go(int cell)
{
  for (; at < cell; at++) put('>');
  for (; at > cell; at--) put('<');
}

static void add(int cell, int n)
{
  go(cell);
  n = (signed char)n;
  for (; n > 0; n--) put('+');
  for (; n < 0; n++) put('-');
}

/* Sets 'cell' (the model knows its value) and prints it. A wrong value
** earlier in the run shows as a wrong character here. */
static void print(int cell, char ch)
{
  sync();
  add(cell, ch - tape[cell]);
  put('.');
}

static void print_text(const char *s)
{
  for (; *s; s++)
    print(PRINT, *s);
}

/* Cells near 'c' (pulled into the cold window), never 'avoid' or 'avoid2'. */
static int near(int c, int avoid, int avoid2)
{
  int d;
  c = c < LO + 6 ? LO + 6 : c >= HI - 6 ? HI - 7 : c;
  do {
    d = c + rnd(13) - 6;
  } while (d < LO || d >= HI || d == avoid || d == avoid2);
  return d;
}

/* -- Cold code --------------------------------------------------------------- */

/* A straight run of about 'len' commands: adds on cells near the pointer,
** never on 'avoid' or 'avoid2' (loop counters). */
static void straight(int len, int avoid, int avoid2)
{
  while (len > 0) {
    int c = near(at, avoid, avoid2), n = rnd(17) - 8;
    add(c, n ? n : 1);
    len -= abs(c - at) + abs(n) + 1;
  }
}

/* A loop that runs 2..5 times: counter set to twice that, counted down by 2,
** with an inner loop (2..3 trips) in the body half the time. */
static void cold_loop(void)
{
  int c = LO + rnd(HI - LO);
  sync();
  add(c, 2 * (2 + rnd(4)) - tape[c]);
  put('[');
  straight(10 + rnd(30), c, -1);
  if (rnd(2)) {
    int d = near(c, c, -1);
    go(d);
    put('['); put('-'); put(']');
    add(d, 2 * (2 + rnd(2)));
    put('[');
    straight(5 + rnd(15), c, d);
    add(d, -2);
    put(']');
  }
  add(c, -2);
  put(']');
}

/* A loop on the zero FLAG cell: skipped, but the whole-program JIT compiles it. */
static void dead_loop(void)
{
  go(FLAG);
  put('[');
  straight(100 + rnd(400), -1, -1);
  go(FLAG);
  put(']');
}

static void cold(long bytes)
{
  long end = written + bytes;
  while (written < end) {
    int k = rnd(10);
    if (k < 5)
      straight(20 + rnd(100), -1, -1);
    else if (k < 8)
      cold_loop();
    else
      dead_loop();
    sync();
  }
}

/* -- The hot nest -------------------------------------------------------------- */

/* Four nested loops, (TRIPS)^4 innermost iterations adding 1, 3 and -1 to
** three cells. Emitted directly: the model applies the closed form. */
static void hot(void)
{
  sync();
  for (int i = 0; i < LEVELS; i++) {
    go(HOT + i);
    put('['); put('-'); put(']');
    add(HOT + i, 2 * TRIPS);
    put('[');
  }
  add(HOT + LEVELS, 1);
  add(HOT + LEVELS + 1, 3);
  add(HOT + LEVELS + 2, -1);
  for (int i = LEVELS - 1; i >= 0; i--) {
    add(HOT + i, -2);
    put(']');
  }
  go(HOT);
  /* Written, not run: the model takes the result. */
  for (size_t i = 0; i < npend; i++) {
    putchar(pend[i]);
    if (++col == 100) { putchar('\n'); col = 0; }
  }
  written += (long)npend;
  npend = 0;
  unsigned long long n = 1;
  for (int i = 0; i < LEVELS; i++) {
    n *= TRIPS;
    tape[HOT + i] = 0;
  }
  ptr = HOT;
  tape[HOT + LEVELS] += (unsigned char)n;
  tape[HOT + LEVELS + 1] += (unsigned char)(3 * n);
  tape[HOT + LEVELS + 2] -= (unsigned char)n;
}

int main(int argc, char **argv)
{
  if (argc != 3 || atol(argv[1]) <= 0 || !(expect = fopen(argv[2], "w"))) {
    fprintf(stderr, "usage: gen-big KB OUTFILE > big.b\n");
    return 2;
  }
  long bytes = atol(argv[1]) * 1024;
  /* The header must not contain command characters. */
  printf("big  %ld KB of cold code around one hot loop nest  see bench/gen/big c\n",
         bytes / 1024);
  /* The first line goes out at once: ',' flushes the output, like a prompt. */
  print_text("big\n");
  put(',');
  cold(bytes / 2);
  hot();
  print_text("hot ");
  for (int i = 0; i < 3; i++)
    print(HOT + LEVELS + i, (char)('a' + i));
  cold(bytes / 2);
  print_text(" cold ");
  for (int c = LO; c < HI; c++)
    print(c, (char)('A' + (c - LO) % 26));
  print_text("\n");
  sync();
  putchar('\n');
  return fclose(expect) ? 1 : 0;
}
