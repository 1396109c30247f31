/*
** bf_param.h — the tuning parameters, one table (LuaJIT's JIT_PARAMDEF):
** each knob's name, value, and what it bounds or why that value. They are
** compile-time constants, BF_P_<name>; --hot is the only one a run sets.
** docs/en/5-tiering.md says how the evaluation budget was measured.
*/
#ifndef BF_PARAM_H
#define BF_PARAM_H

#define BF_PARAMDEF(_) \
  /* Tiering (bf_api.c, bf_tier.c, bf_worker.c) */ \
  _(hot,          1000)     /* --hot's default: back edges before a loop is compiled */ \
  _(hot_ops,      8)        /* a loop is also hot after about --hot x this many ops
                               of its body: a long body is compiled sooner */ \
  _(poll,         64)       /* --background: back edges between looks at
                               whether a loop's compile is done */ \
  _(jobs,         64)       /* --background: compiles queued at once; more
                               compile in place */ \
  /* The JIT (bf_jit.c, jit_<arch>.dasc) */ \
  _(region_ops,   1 << 18)  /* ops in one region at most: DynASM numbers its
                               action words in 24 bits, an op takes a few dozen */ \
  _(scan_unroll,  4)        /* scan steps per range check, when the stride is short */ \
  _(scan_window,  8)        /* x86-64: cells a window of a scan by a short stride
                               must hold, or it takes steps: mandelbrot's scans
                               by nine, four cells a window, ran 30% slower
                               (a window loaded over cells just stored waits) */ \
  _(scan_plain,   8)        /* steps a byte scan by one cell takes before
                               memchr/memrchr take over (JIT and AOT): short
                               scans, the common case, call nothing */ \
  /* The optimizer (bf_opt*.c) */ \
  _(rounds,       4)        /* -O2: rounds of the passes at most; real programs
                               settle in two or three, this caps a pathological one */ \
  _(merge_slots,  16)       /* offset: distinct cells a run remembers for merging */ \
  _(linear_cells, 32)       /* linear: cells besides the counter a loop may touch
                               and still become multiply-adds (bounds the code
                               one loop becomes) */ \
  _(known_slots,  64)       /* known: cells remembered at once, direct-mapped by
                               offset (a power of two); one that loses its slot
                               is forgotten, which is always safe */ \
  _(known_body,   64)       /* known: cells an IF body is followed for */ \
  _(known_depth,  16)       /* known: loops nested this deep are followed (deeper
                               ones forget everything) */ \
  _(known_wrote,  16)       /* known: cells a loop body stores to, counted up to this */ \
  /* Compile-time evaluation (bf_eval.c) */ \
  _(eval_ops,     1 << 22)  /* ops evaluated before the first run, counted at
                               back edges (a body's, less inner loops); a loop
                               about to get hot stops it sooner */ \
  _(eval_tape,    1 << 20)  /* bytes of tape (cells from 0 up) evaluation may use */ \
  _(eval_out,     1 << 22)  /* bytes of output evaluation keeps for the runs */ \
  _(eval_whole,   1 << 24)  /* -c: a program evaluated to its end within this
                               many ops is compiled to its output */ \
  /* Offsets (the parser, the passes, the plan) */ \
  _(off_limit,    1 << 28)  /* folded moves, cell offsets and pointer drifts stay
                               below this in size, so sums of a few cannot
                               overflow int32 and an offset times the cell width
                               fits a 32-bit displacement: a limit, not a knob */ \
  _(sink_limit,   1 << 20)  /* sink: a move carried past tests stays below this,
                               so an op's offset plus it stays far inside
                               off_limit (the plan's range) */ \
  /* I/O buffers (bf_api.c, bf_io.c, and the AOT runtime alike) */ \
  _(out_bytes,    1 << 16)  /* output buffered before it is handed on */ \
  _(in_bytes,     4096)     /* input read ahead */

enum {
#define BF_PARAMENUM(name, value) BF_P_##name = (value),
  BF_PARAMDEF(BF_PARAMENUM)
#undef BF_PARAMENUM
};

_Static_assert((BF_P_known_slots & (BF_P_known_slots - 1)) == 0,
               "known_slots must be a power of two");

#endif
