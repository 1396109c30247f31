/*
** jit_toy.c — the smallest JIT: write "return <number>" as machine code into
** a fresh page and call it. The page is never writable and executable at once.
*/
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* -- Machine code: the one per-architecture part --------------------------- */

#if defined(__x86_64__)
/* Write "mov eax, imm32; ret" into 'buf'; return its length in bytes. */
static size_t emit_return_imm(unsigned char *buf, int32_t num)
{
  buf[0] = 0xb8;                 /* mov eax, imm32 (B8+rd, rd = 0 = eax) */
  memcpy(&buf[1], &num, 4);      /* x86 immediates are little-endian, as is 'num' */
  buf[5] = 0xc3;                 /* ret */
  return 6;
}
#elif defined(__aarch64__)
/* Write "movz w0, #lo16; movk w0, #hi16, lsl #16; ret" into 'buf'; return its
** length. One movz holds 16 bits only, so the upper half needs the movk. */
static size_t emit_return_imm(unsigned char *buf, int32_t num)
{
  uint32_t u = (uint32_t)num;
  uint32_t insn[3] = {
    0x52800000u | (u & 0xffff) << 5,   /* movz w0, #imm16 (Rd = 0 = w0) */
    0x72a00000u | (u >> 16) << 5,      /* movk w0, #imm16, lsl #16 (hw = 1) */
    0xd65f03c0u,                       /* ret (to x30) */
  };
  memcpy(buf, insn, sizeof insn);      /* instructions are little-endian words */
  return sizeof insn;
}
#else
#error "jit_toy: no machine code for this architecture yet"
#endif

/* -- Argument -------------------------------------------------------------- */

/* Parse 'arg' as a whole decimal int into '*out'; return 0, or -1 with a message. */
static int parse_int(const char *arg, int32_t *out)
{
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if (end == arg || *end != '\0') {
    fprintf(stderr, "jit_toy: '%s' is not a number\n", arg);
    return -1;
  }
  if (errno == ERANGE || v < INT32_MIN || v > INT32_MAX) {
    fprintf(stderr, "jit_toy: '%s' does not fit in 32 bits\n", arg);
    return -1;
  }
  *out = (int32_t)v;
  return 0;
}

int main(int argc, char *argv[])
{
  if (argc != 2) {
    fprintf(stderr, "usage: jit_toy <integer>   (exit status is the integer mod 256)\n");
    return 1;
  }
  int32_t num;
  if (parse_int(argv[1], &num) != 0)
    return 1;

  unsigned char code[16];
  size_t len = emit_return_imm(code, num);

  /* mprotect works on whole pages, hence a page of our own rather than malloc. */
  void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    perror("jit_toy: mmap");
    return 1;
  }
  memcpy(mem, code, len);
  /* arm64 fetches instructions through its own cache: make it see the
  ** bytes just written as data (a no-op on x86-64). */
  __builtin___clear_cache((char *)mem, (char *)mem + len);
  /* Writable until here, executable from here on: W^X. */
  if (mprotect(mem, len, PROT_READ | PROT_EXEC) != 0) {
    perror("jit_toy: mprotect");
    munmap(mem, len);
    return 1;
  }

  /* A real prototype: "int (*)()" would let any arguments through unchecked. */
  int (*func)(void) = (int (*)(void))mem;
  int ret = func();

  if (munmap(mem, len) != 0) {
    perror("jit_toy: munmap");
    return 1;
  }
  return ret;
}
