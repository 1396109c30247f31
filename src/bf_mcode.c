/*
** bf_mcode.c — mapping, sealing and unmapping machine code pages.
*/
#include <sys/mman.h>
#include <unistd.h>

#include "bf_mcode.h"

int bf_mcode_map(bf_mcode *m, size_t size)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size = (size + page - 1) & ~(page - 1);
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    *m = (bf_mcode){ 0 };
    return -1;
  }
  *m = (bf_mcode){ .base = p, .size = size };
  return 0;
}

int bf_mcode_seal(bf_mcode *m)
{
  /* Instruction fetch must see what was written as data: x86 keeps its
  ** caches coherent, arm64 needs the flush. */
  __builtin___clear_cache((char *)m->base, (char *)m->base + m->size);
  return mprotect(m->base, m->size, PROT_READ | PROT_EXEC);
}

int bf_mcode_unseal(bf_mcode *m)
{
  return mprotect(m->base, m->size, PROT_READ | PROT_WRITE);
}

void bf_mcode_unmap(bf_mcode *m)
{
  if (m->base)
    munmap(m->base, m->size);
  *m = (bf_mcode){ 0 };
}
