/* embed.c — bfjit inside another program: compile Brainfuck from a string,
** run it with output captured in a buffer, then print what it wrote.
** Build: cc -Iinclude examples/embed.c build/libbfjit.a -lpthread */
#include <stdio.h>
#include <string.h>
#include "bfjit.h"

typedef struct { char text[256]; size_t len; } capture;

static long no_input(void *ctx, void *buf, size_t n)
{
  (void)ctx, (void)buf, (void)n;
  return 0;  /* end of input at once */
}

static int collect(void *ctx, const void *buf, size_t n)
{
  capture *c = ctx;
  if (n > sizeof c->text - 1 - c->len)
    return -1;  /* the run stops with BFJIT_ERR_IO */
  memcpy(c->text + c->len, buf, n);
  c->len += n;
  return 0;
}

int main(void)
{
  const char *src = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]"
                    ">>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++.";
  bfjit_options opt;
  bfjit_options_init(&opt);
  opt.cell_bits = 16;  /* any option can change before compiling */
  bfjit_error err;
  bfjit_program *p = bfjit_compile(src, strlen(src), &opt, &err);
  if (!p) {
    fprintf(stderr, "embed: %u:%u: %s\n", err.line, err.column, err.message);
    return 1;
  }
  capture out = { .len = 0 };
  bfjit_io io = { &out, no_input, collect };
  bfjit_status s = bfjit_run(p, &io, &err);
  bfjit_free(p);
  if (s != BFJIT_OK) {
    fprintf(stderr, "embed: %s: %s\n", bfjit_status_name(s), err.message);
    return 1;
  }
  out.text[out.len] = '\0';
  printf("the program wrote %zu bytes: %s", out.len, out.text);
  return 0;
}
