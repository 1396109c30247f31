/*
** bf_disasm.c — --dump-code: compiled machine code, disassembled by
** Capstone, each IR op's instructions under its source position.
*/
#include <stdio.h>

#include "bf_arch.h"
#include "bf_error.h"
#include "bf_jit.h"
#include "bf_tier.h"

#if defined(BF_HAVE_CAPSTONE) && BF_HAVE_JIT
#include <capstone/capstone.h>

/* Disassembles code bytes [from, to) of 'r' into 'out'. */
static void listing(csh cs, const bf_region *r, uint32_t from, uint32_t to,
                    FILE *out)
{
  const uint8_t *code = (const uint8_t *)r->mcode.base + from;
  size_t size = to - from;
  uint64_t addr = (uint64_t)(uintptr_t)code;
  cs_insn *insn = cs_malloc(cs);
  while (insn && size && cs_disasm_iter(cs, &code, &size, &addr, insn))
    fprintf(out, "    %06x  %-7s %s\n", (unsigned)(insn->address - (uintptr_t)r->mcode.base),
            insn->mnemonic, insn->op_str);
  if (insn)
    cs_free(insn, 1);
}

bfjit_status bfjit_dump_code(bfjit_program *p, FILE *out, bfjit_error *err)
{
  csh cs;
  cs_err e = cs_open(BF_CS_ARCH, BF_CS_MODE, &cs);
  if (e != CS_ERR_OK) {
    bf_error_set(err, BFJIT_ERR_ARG, "disassembler: %s", cs_strerror(e));
    return BFJIT_ERR_ARG;
  }
  if (bf_tier_compile_all(p)) {
    /* Not the caller's mistake: the code could not be had (memory, the
    ** code limit, or more ops than one region holds); the reason says which. */
    cs_close(&cs);
    bf_error_set(err, BFJIT_ERR_NOMEM, "the program could not be compiled: %s",
                 p->stats.last_abort);
    return BFJIT_ERR_NOMEM;
  }
  const bf_region *r = p->whole;
  fprintf(out, "; %s code for %zu ops, %zu bytes\n; trampoline\n", BF_ARCH_NAME,
          p->ir.n, r->code_size);
  listing(cs, r, 0, r->op_ofs[0], out);
  uint32_t n = r->end - r->first, first_chk = 0;
  while (r->chk_ofs[first_chk] == UINT32_MAX)
    first_chk++;
  for (int checked = 0; checked < 2; checked++) {
    const uint32_t *ofs = checked ? r->chk_ofs : r->op_ofs;
    if (checked) {
      fprintf(out, "; the region's end\n");
      listing(cs, r, r->op_ofs[n], r->chk_ofs[first_chk], out);
      if (first_chk < n)
        fprintf(out, "; the checked versions\n");
    }
    for (uint32_t k = 0; k < n; k++) {
      const bf_op *o = &p->ir.ops[r->first + k];
      uint32_t next = k + 1;
      unsigned line, col;
      if (ofs[k] == UINT32_MAX)
        continue;
      while (ofs[next] == UINT32_MAX)
        next++;
      bf_srcmap_pos(&p->map, o->src, &line, &col);
      fprintf(out, "; %u:%u  %s off=%d val=%u\n", line, col, bf_op_name(o->op),
              o->off, o->val);
      listing(cs, r, ofs[k], ofs[next], out);
    }
  }
  fprintf(out, "; checked entries and exits\n");
  listing(cs, r, r->chk_ofs[n], (uint32_t)r->code_size, out);
  cs_close(&cs);
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return ferror(out) ? BFJIT_ERR_IO : BFJIT_OK;
}

#else

bfjit_status bfjit_dump_code(bfjit_program *p, FILE *out, bfjit_error *err)
{
  (void)p;
  (void)out;
  bf_error_set(err, BFJIT_ERR_ARG, BF_HAVE_JIT ? "this build has no disassembler (Capstone)"
                                               : "this build has no JIT for " BF_ARCH_NAME);
  return BFJIT_ERR_ARG;
}

#endif
