/*
** bf_tape.c — mapping and unmapping the guarded tape.
*/
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bf_tape.h"

int bf_tape_open(bf_tape *t, size_t cells, unsigned width)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  *t = (bf_tape){ 0 };
  if (cells == 0 || cells > (SIZE_MAX / 4 - 2 * BF_TAPE_GUARD) / width) {
    errno = EINVAL;
    return -1;
  }
  size_t bytes = cells * width;
  size_t body = (bytes + page - 1) & ~(page - 1);
  size_t size = body + 2 * (size_t)BF_TAPE_GUARD;
  void *m = mmap(NULL, size, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    return -1;
  if (mprotect((uint8_t *)m + BF_TAPE_GUARD, body, PROT_READ | PROT_WRITE)) {
    int e = errno;
    munmap(m, size);
    errno = e;
    return -1;
  }
  *t = (bf_tape){ .base = m, .size = size,
                  .cells = (uint8_t *)m + BF_TAPE_GUARD, .bytes = bytes };
  return 0;
}

void bf_tape_close(bf_tape *t)
{
  if (t->base)
    munmap(t->base, t->size);
  *t = (bf_tape){ 0 };
}
