/*
** bfjit.h — the public interface of bfjit, a tiered Brainfuck JIT.
**
** This header is the manual. A program goes through three calls:
**
**     bfjit_options opt;
**     bfjit_options_init(&opt);                 // defaults: 8-bit cells, tiered
**     bfjit_error err;
**     bfjit_program *p = bfjit_compile(src, len, &opt, &err);
**     if (!p) { report(err); }                  // err.line/err.column name the bracket
**     if (bfjit_run_stdio(p, stdin, stdout, &err) != BFJIT_OK) { report(err); }
**     bfjit_free(p);
**
** The library never prints and never exits: every failure comes back as a
** 'bfjit_status' and a filled 'bfjit_error'. It installs no signal handlers.
*/
#ifndef BFJIT_H
#define BFJIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BFJIT_VERSION "0.1.0"

/* What the shared library exports: the functions of this header, marked
** BFJIT_API, and nothing else (the library is built with hidden visibility,
** so its internal functions cannot clash with a program's). */
#ifndef BFJIT_API
#if defined(__GNUC__) && __GNUC__ >= 4
#define BFJIT_API __attribute__((visibility("default")))
#else
#define BFJIT_API
#endif
#endif

/* -- Status and errors ---------------------------------------------------- */

typedef enum bfjit_status {
  BFJIT_OK = 0,
  BFJIT_ERR_PARSE,    /* unbalanced '[' or ']'; line and column name it */
  BFJIT_ERR_TAPE,     /* a command touched a cell left of 0 or past the tape limit */
  BFJIT_ERR_STEPS,    /* the run took more loop iterations than 'max_steps' */
  BFJIT_ERR_IO,       /* reading input or writing output failed */
  BFJIT_ERR_NOMEM,    /* memory (tape, IR or code) could not be had */
  BFJIT_ERR_ARG,      /* a bad argument or option value */
  BFJIT_ERR_CACHE,    /* the persistent cache could not be used (a warning) */
  BFJIT_ERR_BUILD     /* the C compiler is missing or failed (bfjit_build_executable) */
} bfjit_status;

/* Filled by every call that can fail. 'line' and 'column' are 1-based positions
** in the program text (0 when no position applies); 'message' is one line
** without a trailing newline and without the position. */
typedef struct bfjit_error {
  bfjit_status status;
  unsigned line, column;
  char message[240];
} bfjit_error;

/* A short constant name for a status ("tape error", ...). */
BFJIT_API const char *bfjit_status_name(bfjit_status s);

/* -- Options -------------------------------------------------------------- */

typedef enum bfjit_eof {
  BFJIT_EOF_KEEP = 0, /* ',' at end of input leaves the cell unchanged */
  BFJIT_EOF_ZERO,     /* ... sets it to 0 */
  BFJIT_EOF_MINUS_ONE /* ... sets it to -1 (all bits set) */
} bfjit_eof;

typedef enum bfjit_mode {
  BFJIT_MODE_TIERED = 0, /* interpret, compile hot loops, enter them mid-run */
  BFJIT_MODE_INTERP,     /* never compile */
  BFJIT_MODE_JIT         /* compile the whole program before it runs */
} bfjit_mode;

/* Optimization passes, one bit each; 'bfjit_passes_for_level' maps -O0..-O2. */
#define BFJIT_PASS_FOLD   0x01u /* run-length folding of +- and <> */
#define BFJIT_PASS_OFFSET 0x02u /* pointer moves folded into operand offsets */
#define BFJIT_PASS_CLEAR  0x04u /* [-] and [-]+++ become a store */
#define BFJIT_PASS_LINEAR 0x08u /* [->++<] becomes multiply-adds */
#define BFJIT_PASS_SCAN   0x10u /* [>] and [<<] become scans */
#define BFJIT_PASS_DEAD   0x20u /* loops that can never run are dropped */
#define BFJIT_PASS_KNOWN  0x40u /* known cell values fold tests and stores */
#define BFJIT_PASS_EVAL   0x80u /* compile-time evaluation: runs start where
                                   the input-free prefix, run once, stopped */
#define BFJIT_PASS_SINK   0x100u /* the moves left sink past loop and IF tests:
                                   a loop's moves are one MOVE before its END */
#define BFJIT_PASS_ALL    0x1ffu

typedef struct bfjit_options {
  unsigned cell_bits;      /* 8, 16 or 32; cells wrap */
  bfjit_eof eof;           /* what ',' does at end of input */
  size_t tape_cells;       /* tape limit in cells (>= 30000); pages commit on demand */
  unsigned passes;         /* BFJIT_PASS_* bits */
  bfjit_mode mode;         /* how 'bfjit_run' executes */
  uint64_t hot_threshold;  /* tiered: loop iterations before a loop is compiled */
  uint64_t max_steps;      /* loop iterations allowed per run; 0 = no limit */
  size_t code_max;         /* bytes of machine code kept at once, counted in
                              whole pages; 0 = no limit */
  int timing;              /* measure time per tier for 'bfjit_get_stats' (costs
                              two clock reads per entry into compiled code) */
  int perf_map;            /* append compiled code's symbols to /tmp/perf-PID.map */
  int background;          /* tiered: compile on a second thread while the
                              interpreter goes on (see README for when it pays) */
} bfjit_options;

/* Fills 'o' with the defaults: 8-bit cells, EOF leaves the cell, 64 Mi cells
** of tape, every pass, tiered mode, no step limit. */
BFJIT_API void bfjit_options_init(bfjit_options *o);

/* The pass set of optimization level 0, 1 or 2 (higher levels mean 2). */
BFJIT_API unsigned bfjit_passes_for_level(int level);

/* -- Programs ------------------------------------------------------------- */

typedef struct bfjit_program bfjit_program;

/* Parses and optimizes 'len' bytes of program text. Any bytes are accepted;
** the eight commands count and the rest is comment. Returns a program owned
** by the caller (release with 'bfjit_free'), or NULL with 'err' filled: a
** parse error names the line and column of the bracket at fault. The text is
** copied; the caller keeps 'src'. 'opt' may be NULL for the defaults. */
BFJIT_API bfjit_program *bfjit_compile(const void *src, size_t len,
                                       const bfjit_options *opt, bfjit_error *err);

/* Releases a program and all the machine code made for it. NULL is fine. */
BFJIT_API void bfjit_free(bfjit_program *p);

/* -- Running -------------------------------------------------------------- */

/* Where a run's bytes come from and go to. 'read' stores up to 'n' bytes in
** 'buf' and returns how many (0 at end of input, -1 on error); 'write' takes
** all 'n' bytes and returns 0 (or -1 on error). Output is buffered by the
** engine and handed to 'write' before each read, when full, and at the end. */
typedef struct bfjit_io {
  void *ctx;
  long (*read)(void *ctx, void *buf, size_t n);
  int (*write)(void *ctx, const void *buf, size_t n);
} bfjit_io;

/* Runs the program once on a fresh, zeroed tape. Returns BFJIT_OK, or a
** status with 'err' filled (for a tape or step error, the line and column of
** the command that went over). Output written before an error is delivered.
** A program may be run many times; what tiering learned is kept.
**
** With BFJIT_PASS_EVAL (in -O2), the first run first evaluates the program
** from its start, once for all runs: in the interpreter, while it needs no
** input, up to a loop that gets hot (in the JIT and tiered modes) or a
** budget of some 4 M ops, 1 MiB of tape and 4 MiB of output. Every run then
** starts where that stopped, writing its output through 'write' first. Only
** time differs: output, errors and their positions, the step count and
** I/O errors are what they would be without it. */
BFJIT_API bfjit_status bfjit_run(bfjit_program *p, const bfjit_io *io, bfjit_error *err);

/* 'bfjit_run' with stdio streams: input from 'in', output to 'out'. */
BFJIT_API bfjit_status bfjit_run_stdio(bfjit_program *p, FILE *in, FILE *out,
                                       bfjit_error *err);

/* -- Introspection -------------------------------------------------------- */

/* One loop of the program, as the profiler saw it. */
typedef struct bfjit_loop_info {
  unsigned line, column;   /* of its '[' */
  uint64_t iterations;     /* back edges the interpreter took, over all runs
                              (compiled code does not count: a compiled loop's
                              count stops near the hot threshold; evaluated
                              ones count once, as they ran once) */
  int compiled;            /* 1 when machine code exists for it */
} bfjit_loop_info;

/* The number of loops left after optimization, and loop 'i' of them
** (0 <= i < count); returns 0, or -1 when 'i' is out of range. */
BFJIT_API size_t bfjit_loop_count(const bfjit_program *p);
BFJIT_API int bfjit_loop_get(const bfjit_program *p, size_t i, bfjit_loop_info *out);

/* What the engine did, summed over all runs of a program. */
typedef struct bfjit_stats {
  double parse_seconds;      /* parsing and optimizing */
  double interp_seconds;     /* in the interpreter (with 'timing') */
  double compile_seconds;    /* in the JIT */
  double native_seconds;     /* in compiled code (with 'timing') */
  uint64_t loops_compiled;   /* loop heads that have compiled code now */
  uint64_t regions;          /* regions compiled (a region is a loop nest or the program) */
  uint64_t checked_versions; /* checked versions compiled: segments whose hoisted
                                range check failed (and went on exactly) */
  uint64_t code_bytes;       /* machine code held now (whole pages) */
  uint64_t osr_entries;      /* jumps from the interpreter into compiled code */
  uint64_t side_exits;       /* returns to the interpreter before a region's end */
  uint64_t compile_failures; /* regions that could not be compiled */
  uint64_t evictions;        /* regions dropped to stay under 'code_max' */
  const char *last_abort;    /* why the last failed compile failed, or NULL */
  uint64_t cache_loops;      /* hot loops compiled before the run from the cache */
  const char *cache_state;   /* "off", "miss", "hit", or why a cache file was ignored */
  double eval_seconds;       /* compile-time evaluation (once, before the first run) */
  uint64_t eval_steps;       /* loop iterations it ran, which no run repeats */
  uint64_t eval_output;      /* bytes of output it made, written first by every run */
  const char *eval_stop;     /* what it stopped before: "end" (it ran the whole
                                program), "input", "budget", "output limit", "tape
                                window", "step limit"; "off" when it did not run */
} bfjit_stats;

BFJIT_API void bfjit_get_stats(const bfjit_program *p, bfjit_stats *out);

/* Compiles the whole program now, as BFJIT_MODE_JIT does before a run, and
** writes its machine code disassembled to 'out': each IR op's instructions
** under its source line:column. BFJIT_ERR_ARG when this build has no JIT or
** no disassembler; BFJIT_ERR_NOMEM when the program's code could not be had
** (out of memory, over 'code_max', more than one region holds), with the
** JIT's reason in the message. */
BFJIT_API bfjit_status bfjit_dump_code(bfjit_program *p, FILE *out, bfjit_error *err);

/* Writes the optimized IR to 'out', one op a line: its source line:column,
** then the op in the notation "ADD@off=val SET@off=val MUL@off=val MOVE=off
** IN@off OUT@off LOOP END IF=len SCAN=stride HALT" (constants signed at the
** cell width), loop and IF bodies indented by two spaces a level. Returns
** BFJIT_OK, BFJIT_ERR_IO when writing 'out' failed, or BFJIT_ERR_ARG
** without a program or a stream. */
BFJIT_API bfjit_status bfjit_dump_ir(const bfjit_program *p, FILE *out, bfjit_error *err);

/* -- Persistent profile cache -------------------------------------------- */

/* A restart need not profile again: 'bfjit_cache_save' writes which loops
** were hot to a file in 'dir', named by a hash of the program text, the
** options that change semantics or code, the engine version and the CPU
** architecture; 'bfjit_cache_load' reads it back and compiles those loops at
** once, so the next run is at full speed from its first instruction. Only
** loop numbers are stored, never code: a file, even a hostile one, can make
** the engine compile the wrong loops (slower), never run wrong code.
**
** Load returns BFJIT_OK when the file was used or is not there yet, and
** BFJIT_ERR_CACHE when one was there but ignored (truncated, corrupt, from
** another version or architecture): a warning, the run is unaffected, and
** the next save replaces it. Save writes a temporary file and renames it
** over the old one, so concurrent runs never leave a torn file; it returns
** BFJIT_ERR_CACHE when 'dir' cannot be created or written. */
BFJIT_API bfjit_status bfjit_cache_load(bfjit_program *p, const char *dir,
                                        bfjit_error *err);
BFJIT_API bfjit_status bfjit_cache_save(const bfjit_program *p, const char *dir,
                                        bfjit_error *err);

/* -- Ahead of time ------------------------------------------------------- */

/* Writes the optimized program to 'out' as one standalone C file. Compiled by
** any C compiler, it needs no bfjit: it runs as 'bfjit_run_stdio' would on
** stdin and stdout, and ends as the bfjit command does, with the same
** output, the same one-line error naming the program 'name' at the same
** line:column, and the same exit status. It checks cells as the JIT does (a
** range check per segment, an exact interpreter behind a failed one).
** With BFJIT_PASS_EVAL, a program that evaluation (as before a first run,
** but with no hot-loop stop and 2^24 ops) runs to its end is written as
** its output alone. Returns BFJIT_OK, BFJIT_ERR_IO when writing 'out'
** failed, or NOMEM. */
BFJIT_API bfjit_status bfjit_emit_c(const bfjit_program *p, const char *name, FILE *out,
                                    bfjit_error *err);

/* 'bfjit_emit_c' into a temporary file, then the C compiler makes the
** executable 'exe' of it: "CC -O2 CFLAGS -o exe tmp.c", where 'cc' is the
** compiler command (NULL: "cc"; split at spaces, so "ccache gcc" works) and
** 'cflags' extra words (NULL: none; "-O0" there overrides -O2). The
** compiler's own messages go to stderr. Returns BFJIT_OK, or BFJIT_ERR_BUILD
** when the compiler cannot be run or fails (the message says which). */
BFJIT_API bfjit_status bfjit_build_executable(const bfjit_program *p, const char *name,
                                              const char *exe, const char *cc,
                                              const char *cflags, bfjit_error *err);

#ifdef __cplusplus
}
#endif
#endif
