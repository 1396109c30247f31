# fuzz.mk — `make fuzz [FUZZ_SECONDS=N]`: builds the libFuzzer targets of tests/fuzz/
# with clang, ASan and UBSan into build/fuzz/, and runs each for N seconds (default 60),
# starting from the committed seeds in tests/fuzz/corpus/. Included by the root Makefile.
# A crash or a mismatch stops the run and leaves its input in build/fuzz/.

FUZZ_DIR     := $(B)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := diff parse
FUZZ_CC      ?= clang
FUZZ_SAN     := address,undefined
# Extra libFuzzer flags, e.g. FUZZ_FLAGS=-jobs=2.
FUZZ_FLAGS   ?=

.PHONY: fuzz fuzz-build

# The library goes through the ordinary rules, in its own build directory, with
# coverage instrumentation (fuzzer-no-link); each target links it with libFuzzer.
# clang also flags DynASM's "NULL + 0" (an empty label array) and its offsetof
# idiom "&((T *)0)->field" in the units that include the encoder.
fuzz-build:
	$(Q)$(MAKE) --no-print-directory O=$(FUZZ_DIR) CC=$(FUZZ_CC) \
	  SANITIZE=fuzzer-no-link,$(FUZZ_SAN) \
	  SAN_DASM_CFLAGS=-fno-sanitize=alignment,nonnull-attribute,pointer-overflow,null,object-size \
	  $(FUZZ_DIR)/libbfjit.a
	$(Q)for t in $(FUZZ_TARGETS); do \
	  $(if $(Q),printf '  %-7s %s\n' LD $(FUZZ_DIR)/fuzz_$$t;) \
	  $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,$(FUZZ_SAN) -fno-sanitize-recover=all -Iinclude \
	    -o $(FUZZ_DIR)/fuzz_$$t tests/fuzz/fuzz_$$t.c $(FUZZ_DIR)/libbfjit.a $(LIBS) || exit 1; \
	done

# The first directory collects what a run finds; the seeds are only read.
fuzz: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t || exit 1; \
	  echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=30 -max_len=4096 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/$$t- $(FUZZ_FLAGS) \
	    $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done
