/*
** bf_perfmap.c — perf's JIT symbol map. perf reads /tmp/perf-PID.map
** ("START SIZE NAME" in hex, one symbol a line) to name samples that fall
** in anonymous executable memory, so `perf report` shows hot loops by
** their line:column in the Brainfuck source.
*/
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bf_jit.h"
#include "bf_perfmap.h"

/* The innermost loop containing op 'i' of the region, as its LOOP index,
** or UINT32_MAX at top level; 'stack' tracks the open loops. */
static uint32_t innermost(const bf_op *o, uint32_t *stack, uint32_t *depth,
                          uint32_t i)
{
  if (o->op == BF_LOOP)
    stack[(*depth)++] = i;
  uint32_t in = *depth ? stack[*depth - 1] : UINT32_MAX;
  if (o->op == BF_END)
    (*depth)--;
  return in;
}

static FILE *open_map(void)
{
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
  return fopen(path, "a");
}

void bf_perfmap_write_checked(const bfjit_program *prog, const bf_region *r,
                              const bf_checked *c)
{
  FILE *f = open_map();
  unsigned line, col;
  if (!f)
    return;
  bf_srcmap_pos(&prog->map, prog->ir.ops[r->first + c->cp].src, &line, &col);
  fprintf(f, "%lx %lx bf:chk:L%u:%u\n", (unsigned long)c->code,
          (unsigned long)c->code_size, line, col);
  fclose(f);
}

void bf_perfmap_write(const bfjit_program *prog, const bf_region *r)
{
  FILE *f = open_map();
  uint32_t n = r->end - r->first, depth = 0;
  uint32_t *stack = malloc((n + 1) * sizeof *stack);
  if (!f || !stack) {
    if (f)
      fclose(f);
    free(stack);
    return;
  }
  const uint8_t *base = r->mcode.base;
  uint32_t run_start = 0, run_loop = UINT32_MAX;
  for (uint32_t k = 0; k <= n; k++) {
    uint32_t loop = k < n ? innermost(&prog->ir.ops[r->first + k], stack, &depth,
                                      r->first + k)
                          : UINT32_MAX - 1;  /* closes the last run */
    /* A run starts at a loop's head or exit, a jump target: its offset
    ** is known (bf_jit_labelled). */
    if (k > 0 && loop != run_loop) {
      uint32_t size = r->op_ofs[k] - r->op_ofs[run_start];
      if (size) {
        unsigned line = 0, col = 0;
        if (run_loop != UINT32_MAX)
          bf_srcmap_pos(&prog->map, prog->ir.ops[run_loop].src, &line, &col);
        if (run_loop == UINT32_MAX)
          fprintf(f, "%lx %x bf:top\n", (unsigned long)(base + r->op_ofs[run_start]), size);
        else
          fprintf(f, "%lx %x bf:L%u:%u\n", (unsigned long)(base + r->op_ofs[run_start]),
                  size, line, col);
      }
      run_start = k;
    }
    run_loop = loop;
  }
  /* The trampoline comes before the ops, exit and entry stubs after. */
  fprintf(f, "%lx %x bf:enter\n", (unsigned long)base, r->op_ofs[0]);
  fprintf(f, "%lx %lx bf:stubs\n", (unsigned long)(base + r->op_ofs[n]),
          (unsigned long)(r->code_size - r->op_ofs[n]));
  free(stack);
  fclose(f);
}
