/*
** bf_errmsg.h — every message the library fails with, one table (LuaJIT's
** ERRDEF): a name, whether a program 'bfjit -c' makes says it too, and the
** printf format that bf_error_set fills in. The C emitter prints the ones
** marked 1 into each program it writes (as MSG_<name>), so an executable
** fails in bfjit's own words: one text, two places it is said.
*/
#ifndef BF_ERRMSG_H
#define BF_ERRMSG_H

#define BF_ERRDEF(_) \
  /* Options and arguments */ \
  _(CELL_BITS,    0, "cell width must be 8, 16 or 32 bits, not %u") \
  _(EOF_MODE,     0, "unknown EOF mode %d") \
  _(TAPE_MIN,     0, "tape limit must be at least %d cells") \
  _(MODE,         0, "unknown mode %d") \
  _(PASSES,       0, "unknown pass bits 0x%x") \
  _(RUN_ARGS,     0, "bfjit_run needs a program and both I/O callbacks") \
  _(DUMP_IR_ARGS, 0, "bfjit_dump_ir needs a program and a stream") \
  _(EMIT_ARGS,    0, "bfjit_emit_c needs a program and a stream") \
  _(BUILD_ARGS,   0, "bfjit_build_executable needs a program and an output name") \
  /* Parsing */ \
  _(TEXT_SIZE,    0, "program text is over 4 GiB") \
  _(UNOPENED,     0, "unmatched ']': no '[' opens it") \
  _(UNCLOSED,     0, "unmatched '[': no ']' closes it") \
  _(PARSE_NOMEM,  0, "out of memory while parsing") \
  /* Resources */ \
  _(NOMEM,        0, "out of memory") \
  _(WORKER,       0, "cannot start the background compiler") \
  /* A run: the library's and a compiled program's alike */ \
  _(TAPE_MAP,     1, "cannot map a tape of %zu cells: %s") \
  _(TAPE_LEFT,    1, "touched cell %lld, left of the tape") \
  _(TAPE_PAST,    1, "touched cell %lld, past the tape limit of %zu cells") \
  _(STEPS,        1, "step limit of %llu loop iterations reached") \
  _(IO,           1, "cannot %s: %s")  /* IO_READ or IO_WRITE, then why */ \
  _(IO_READ,      1, "read input") \
  _(IO_WRITE,     1, "write output") \
  _(IO_CALLBACK,  1, "the callback failed") \
  _(STATUS,       0, "%s")  /* nothing more to say than the status's name */ \
  /* Output files: the IR, C, executables, the cache */ \
  _(DUMP_IR_WRITE, 0, "cannot write the IR") \
  _(EMIT_WRITE,   0, "cannot write the C translation") \
  _(BUILD_TEMP,   0, "cannot create a temporary C file in %s: %s") \
  _(BUILD_WRITE,  0, "cannot write %s: %s") \
  _(CC_WORDS,     0, "too many words in the C compiler command '%s'") \
  _(CC_RUN,       0, "cannot run the C compiler '%s': %s (set CC to one)") \
  _(CC_FAILED,    0, "the C compiler '%s' failed (exit status %d)") \
  _(CACHE_IGNORED, 0, "cache file %s ignored: %s") \
  _(CACHE_WRITE,  0, "cannot write the cache in %s: %s") \
  /* --dump-code */ \
  _(NO_JIT,       0, "this build has no JIT for %s") \
  _(NO_CAPSTONE,  0, "this build has no disassembler (Capstone)") \
  _(NO_DISASM,    0, "this build has no disassembler: %s") \
  _(DISASM,       0, "disassembler: %s") \
  _(NO_CODE,      0, "the program could not be compiled: %s")

typedef enum bf_errmsg {
#define BF_ERRENUM(name, rt, text) BF_EM_##name,
  BF_ERRDEF(BF_ERRENUM)
#undef BF_ERRENUM
} bf_errmsg;

#endif
