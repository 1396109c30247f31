/*
** bf_disasm.c — --dump-code: compiled machine code, disassembled by
** Capstone, each IR op's instructions under its source position.
**
** Capstone is loaded on first use, not linked: mapping and relocating it
** (some 77,000 relocations) cost every run of bfjit 3 MB of memory and half
** a millisecond, and only --dump-code needs it. It is the build's version,
** by the soname the build found (BF_CAPSTONE_SONAME), since the layout of
** its 'cs_insn' changes between major versions.
*/
#include <stdio.h>

#include "bf_arch.h"
#include "bf_error.h"
#include "bf_jit.h"
#include "bf_tier.h"

#if defined(BF_HAVE_CAPSTONE) && BF_HAVE_JIT
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <pthread.h>

#ifndef BF_CAPSTONE_SONAME
#define BF_CAPSTONE_SONAME "libcapstone.so"  /* the -dev link: the headers' version */
#endif

/* -- Capstone, loaded once ------------------------------------------------- */

#define CS_FUNCS(_) _(cs_open) _(cs_close) _(cs_strerror) _(cs_malloc) \
                    _(cs_disasm_iter) _(cs_free)

static struct {
#define CS_FIELD(name) __typeof__(name) *name;
  CS_FUNCS(CS_FIELD)
#undef CS_FIELD
  char why[200];  /* why it could not be loaded, or "" */
} cs;

static pthread_once_t cs_once = PTHREAD_ONCE_INIT;

/* Fills 'cs' with Capstone's functions, or 'cs.why' with why not. The
** library stays loaded for the life of the process. */
static void cs_load(void)
{
  void *lib = dlopen(BF_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(cs.why, sizeof cs.why, "%s", dlerror());
    return;
  }
#define CS_SYM(name) \
  if (!(*(void **)&cs.name = dlsym(lib, #name)) && !cs.why[0]) \
    snprintf(cs.why, sizeof cs.why, "%s has no %s", BF_CAPSTONE_SONAME, #name);
  CS_FUNCS(CS_SYM)
#undef CS_SYM
}

/* -- The listing --------------------------------------------------------- */

/* Disassembles code bytes [from, to) of 'r' into 'out'. */
static void listing(csh h, const void *base, uint32_t from, uint32_t to,
                    FILE *out)
{
  const uint8_t *code = (const uint8_t *)base + from;
  size_t size = to - from;
  uint64_t addr = (uint64_t)(uintptr_t)code;
  cs_insn *insn = cs.cs_malloc(h);
  while (insn && size && cs.cs_disasm_iter(h, &code, &size, &addr, insn))
    fprintf(out, "    %06x  %-7s %s\n", (unsigned)(insn->address - (uintptr_t)base),
            insn->mnemonic, insn->op_str);
  if (insn)
    cs.cs_free(insn, 1);
}

/* Lists ops first+k (k < n) of code 'base', op k at ofs[k], each under its
** source position. */
static void list_ops(csh h, const bfjit_program *p, uint32_t first, uint32_t n,
                     const void *base, const uint32_t *ofs, FILE *out)
{
  for (uint32_t k = 0; k < n; k++) {
    const bf_op *o = &p->ir.ops[first + k];
    unsigned line, col;
    bf_srcmap_pos(&p->map, o->src, &line, &col);
    fprintf(out, "; %u:%u  %s off=%d val=%u\n", line, col, bf_op_name(o->op),
            o->off, o->val);
    listing(h, base, ofs[k], ofs[k + 1], out);
  }
}

bfjit_status bfjit_dump_code(bfjit_program *p, FILE *out, bfjit_error *err)
{
  csh h;
  pthread_once(&cs_once, cs_load);
  if (cs.why[0]) {
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_NO_DISASM, cs.why);
    return BFJIT_ERR_ARG;
  }
  cs_err e = cs.cs_open(BF_CS_ARCH, BF_CS_MODE, &h);
  if (e != CS_ERR_OK) {
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_DISASM, cs.cs_strerror(e));
    return BFJIT_ERR_ARG;
  }
  /* The code a run has, within the code limit, as a run compiles it; then
  ** the same again, for this listing, with every op's offset (a run's
  ** code knows only where jumps land), and its checked versions, which a
  ** run compiles only when needed. */
  bf_region *r = NULL;
  bf_abort a = BF_ABORT_OK;
  const char *why = NULL;
  if (bf_tier_compile_all(p))
    why = p->stats.last_abort;
  else
    a = bf_jit_compile(p, 0, (uint32_t)p->ir.n, 1, &r);
  for (uint32_t i = 0; r && a == BF_ABORT_OK && i < r->nchk; i++)
    a = bf_jit_compile_checked(p, r, i);
  if (why || a != BF_ABORT_OK) {
    /* Not the caller's mistake: the code could not be had (memory, the
    ** code limit, or more ops than one region holds); the reason says which. */
    cs.cs_close(&h);
    bf_region_free(r);
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NO_CODE, why ? why : bf_abort_text(a));
    return BFJIT_ERR_NOMEM;
  }
  uint32_t n = r->end - r->first;
  size_t chk = 0;
  for (uint32_t i = 0; i < r->nchk; i++)
    chk += r->chk[i]->code_size;
  fprintf(out, "; %s code for %zu ops, %zu bytes, and %zu in %u checked versions\n"
          "; trampoline\n", BF_ARCH_NAME, p->ir.n, r->code_size, chk, r->nchk);
  listing(h, r->mcode.base, 0, r->op_ofs[0], out);
  list_ops(h, p, r->first, n, r->mcode.base, r->op_ofs, out);
  fprintf(out, "; the region's end, stubs, checked entries and exits\n");
  listing(h, r->mcode.base, r->op_ofs[n], (uint32_t)r->code_size, out);
  if (r->nchk)
    fprintf(out, "; the checked versions\n");
  for (uint32_t i = 0; i < r->nchk; i++) {
    const bf_checked *c = r->chk[i];
    list_ops(h, p, r->first + c->cp, c->n, c->code, c->op_ofs, out);
    fprintf(out, "; its ways back and out\n");
    listing(h, c->code, c->op_ofs[c->n], (uint32_t)c->code_size, out);
  }
  cs.cs_close(&h);
  bf_region_free(r);
  if (fflush(out) || ferror(out)) {
    bf_error_set(err, BFJIT_ERR_IO, BF_EM_DUMP_CODE_WRITE);
    return BFJIT_ERR_IO;
  }
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return BFJIT_OK;
}

#else

bfjit_status bfjit_dump_code(bfjit_program *p, FILE *out, bfjit_error *err)
{
  (void)p;
  (void)out;
  if (BF_HAVE_JIT)
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_NO_CAPSTONE);
  else
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_NO_JIT, BF_ARCH_NAME);
  return BFJIT_ERR_ARG;
}

#endif
