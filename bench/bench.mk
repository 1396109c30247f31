# bench.mk — `make bench`: generated Brainfuck benchmarks, timed per tier and against
# their C translation (`bfjit --emit-c`, as safe as bfjit) compiled by gcc -O2, and the
# `bfjit -c` executable. Included by the root Makefile; uses its
# B, O, CC, Q and msg. Every program's output is checked against bench/NAME.out.

BENCH_DIR   := $(B)/bench
BENCH_PROGS := mandel sieve pow2 scan
# Sizes: each about a second in a good optimizing interpreter. bench/NAME.out is
# the expected output at exactly these sizes (bench/ref.py recomputes it).
BENCH_ARGS_mandel := 80 32 40
BENCH_ARGS_sieve  := 65000 8
BENCH_ARGS_pow2   := 10000
BENCH_ARGS_scan   := 50000
# -O0 is too slow for these at full size: it runs NAME-o0 instead.
BENCH_O0_PROGS := sieve scan
BENCH_ARGS_sieve-o0 := 20000 1
BENCH_ARGS_scan-o0  := 20000
# The small fractal the README runs, in well under a second.
BENCH_ARGS_mandel-small := 40 16 24

BENCH_CFLAGS := -O2 -Wall -Wextra -Wshadow

# Tiering (bench/tier.sh): big-KB.b is KB of cold code around one hot loop nest.
# BENCH_QUICK=1 runs two sizes once; `make bench-hot` sweeps --hot over them all.
TIER_SIZES := $(if $(BENCH_QUICK),512 2048,512 2048 8192)
TIER_HOTS  := 1 10 100 1000 10000
TIER_DEPS  := $(B)/ttfo $(BENCH_DIR)/mandel.b $(BENCH_DIR)/sieve.b $(BENCH_DIR)/pow2.b \
              $(TIER_SIZES:%=$(BENCH_DIR)/big-%.b)
TIER_RUN    = TIER_SIZES="$(TIER_SIZES)" $(if $(BENCH_QUICK),BENCH_RUNS=1) \
              bench/tier.sh $(O)/bfjit $(B)/ttfo $(BENCH_DIR)

# bench-vs (bench/versus.py): bfjit against any engine on any folder of programs,
# NAME.b with NAME.in and NAME.out, a LIST of "NAME BITS" lines optional. VS_A and
# VS_PEER are commands ({bits}, {name}, {file}) or a bfjit mode: tiered, jit, interp,
# aot; no VS_PEER runs VS_A alone. VS_NAMES: some programs only.
VS_DIR     ?=
VS_A       ?= tiered
VS_PEER    ?=
VS_RUNS    ?= 5
VS_NAMES   ?=
VS_TIMEOUT ?= 600

.PHONY: bench bench-progs bench-tier bench-hot bench-cache bench-vs
.PRECIOUS: $(BENCH_DIR)/gen-% $(BENCH_DIR)/%.b $(BENCH_DIR)/%.c $(BENCH_DIR)/%.gcc $(BENCH_DIR)/%.aot \
           $(BENCH_DIR)/big-%.b $(BENCH_DIR)/big-%.out

bench-progs: $(BENCH_PROGS:%=$(BENCH_DIR)/%.b) $(BENCH_O0_PROGS:%=$(BENCH_DIR)/%-o0.b) \
             $(BENCH_DIR)/mandel-small.b

bench: $(O)/bfjit bench-progs $(BENCH_PROGS:%=$(BENCH_DIR)/%.gcc) $(BENCH_PROGS:%=$(BENCH_DIR)/%.aot) \
       $(TIER_DEPS)
	$(Q)BENCH_O0="$(BENCH_O0_PROGS)" bench/run.sh $(O)/bfjit $(BENCH_DIR) $(BENCH_PROGS)
	$(Q)echo; $(TIER_RUN)
	$(Q)echo; bench/cache.sh $(O)/bfjit $(B)/ttfo $(BENCH_DIR) $(BENCH_PROGS) big-2048

bench-tier: $(O)/bfjit $(TIER_DEPS)
	$(Q)$(TIER_RUN)

bench-cache: $(O)/bfjit $(TIER_DEPS)
	$(Q)bench/cache.sh $(O)/bfjit $(B)/ttfo $(BENCH_DIR) $(BENCH_PROGS) big-2048

bench-hot: $(O)/bfjit $(TIER_DEPS)
	$(Q)TIER_HOTS="$(TIER_HOTS)" $(TIER_RUN)

bench-vs: $(O)/bfjit
	$(Q)$(if $(VS_DIR),,echo "bench-vs: say which programs: VS_DIR=DIR (see bench/README.md)" >&2; exit 2;) \
	bench/versus.py --bfjit $(O)/bfjit -a '$(VS_A)' -b '$(VS_PEER)' -n $(VS_RUNS) \
	  --timeout $(VS_TIMEOUT) $(VS_DIR) $(VS_NAMES)

$(BENCH_DIR)/gen-%: bench/gen/%.c bench/gen/bfasm.c bench/gen/bfasm.h
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ bench/gen/$*.c bench/gen/bfasm.c

# Sizes may change in this file, so the programs depend on it.
$(BENCH_DIR)/%.b: $(BENCH_DIR)/gen-% bench/bench.mk
	$(call msg,GEN,$@)
	$(Q)$< $(BENCH_ARGS_$*) >$@

$(BENCH_DIR)/%-o0.b: $(BENCH_DIR)/gen-% bench/bench.mk
	$(call msg,GEN,$@)
	$(Q)$< $(BENCH_ARGS_$*-o0) >$@

$(BENCH_DIR)/mandel-small.b: $(BENCH_DIR)/gen-mandel bench/bench.mk
	$(call msg,GEN,$@)
	$(Q)$< $(BENCH_ARGS_mandel-small) >$@

# The generator writes the program and its expected output at once.
$(BENCH_DIR)/big-%.b $(BENCH_DIR)/big-%.out: $(BENCH_DIR)/gen-big
	$(call msg,GEN,$(BENCH_DIR)/big-$*.b)
	$(Q)$< $* $(BENCH_DIR)/big-$*.out >$(BENCH_DIR)/big-$*.b

$(B)/ttfo: bench/ttfo.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $<

# The gcc ceiling: bfjit's own C translation, range checks and all, so the
# comparison is with a program exactly as safe as bfjit.
$(BENCH_DIR)/%.c: $(BENCH_DIR)/%.b $(O)/bfjit
	$(call msg,EMIT-C,$@)
	$(Q)$(O)/bfjit --emit-c $< >$@

# Build times are recorded for the table (they are not part of the run time).
$(BENCH_DIR)/%.gcc: $(BENCH_DIR)/%.c
	$(call msg,CC,$@)
	$(Q)t0=$$(date +%s%N); $(CC) -O2 -o $@ $< && t1=$$(date +%s%N) && \
	awk -v a=$$t0 -v b=$$t1 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }' >$(BENCH_DIR)/$*.ctime

# The native executable as a user makes it: `bfjit -c` (emit, then $$CC -O2).
$(BENCH_DIR)/%.aot: $(BENCH_DIR)/%.b $(O)/bfjit
	$(call msg,AOT,$@)
	$(Q)t0=$$(date +%s%N); $(O)/bfjit -c $< -o $@ && t1=$$(date +%s%N) && \
	awk -v a=$$t0 -v b=$$t1 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }' >$(BENCH_DIR)/$*.atime
