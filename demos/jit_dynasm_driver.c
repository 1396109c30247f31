/*
** jit_dynasm_driver.c — DynASM's encoding engine plus the W^X code memory of
** the jit_dynasm demo. Every DynASM status is checked, in release builds too.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Record errors of 'dasm_put' in the state, so 'dasm_link' reports them.
** Must come before dasm_proto.h, which the driver header includes. */
#define DASM_CHECKS 1
#include "jit_dynasm_driver.h"
#if defined(__aarch64__)
#include "dasm_arm64.h"
#else
#include "dasm_x86.h"
#endif

void initjit(dasm_State **state, const void *actionlist)
{
  dasm_init(state, 1);           /* one section: the .dasc declares none */
  dasm_setup(state, actionlist);
}

/* The mapping's size is kept just before the code, for 'free_jitcode'. */
typedef struct code_header {
  size_t size;                   /* whole mapping, header included */
} code_header;

void *jitcode(dasm_State **state)
{
  size_t size;
  int status = dasm_link(state, &size);
  if (status != DASM_S_OK) {
    fprintf(stderr, "jit_dynasm: dasm_link failed: status 0x%08x\n", (unsigned)status);
    dasm_free(state);
    return NULL;
  }

  size_t total = sizeof(code_header) + size;
  void *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    perror("jit_dynasm: mmap");
    dasm_free(state);
    return NULL;
  }
  ((code_header *)mem)->size = total;
  void *code = (char *)mem + sizeof(code_header);

  status = dasm_encode(state, code);
  dasm_free(state);
  if (status != DASM_S_OK) {
    fprintf(stderr, "jit_dynasm: dasm_encode failed: status 0x%08x\n", (unsigned)status);
    munmap(mem, total);
    return NULL;
  }
  /* arm64 fetches instructions through its own cache: make it see the
  ** bytes just written as data (a no-op on x86-64). */
  __builtin___clear_cache((char *)code, (char *)code + size);
  /* Encoded while writable; from here on executable and never writable again. */
  if (mprotect(mem, total, PROT_READ | PROT_EXEC) != 0) {
    perror("jit_dynasm: mprotect");
    munmap(mem, total);
    return NULL;
  }
  return code;
}

int free_jitcode(void *code)
{
  code_header *mem = (code_header *)((char *)code - sizeof(code_header));
  if (munmap(mem, mem->size) != 0) {
    perror("jit_dynasm: munmap");
    return -1;
  }
  return 0;
}
