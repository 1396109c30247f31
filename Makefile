# Makefile — builds bfjit (library, CLI, unit tests) and the tutorial demos into build/.
# `make V=1` shows commands; `SANITIZE=address,undefined make test` builds into build/san/
# (`make test-tsan`, ThreadSanitizer over the threaded tests, into build/tsan/);
# `DYNASM_DIR=/path/to/dynasm make` uses that DynASM instead of fetching Debian's.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# -- Where things go -----------------------------------------------------------

B        := build
# The packages stamp and the fetched DynASM; `make clean` keeps them.
DEPS_DIR := $(B)/deps
# Sanitized objects never mix with plain ones (ThreadSanitizer's with no other).
ifeq ($(SANITIZE),thread)
O := $(B)/tsan
else ifdef SANITIZE
O := $(B)/san
else
O := $(B)
endif
# Keep generated C and objects that pattern chains would treat as intermediate.
.PRECIOUS: $(O)/gen/%.c $(O)/obj/%.o

# -- Flags ---------------------------------------------------------------------

# luajit runs dynasm.lua as it is; lua5.x would need Debian's lua-bitop.
LUA    ?= luajit
CFLAGS ?= -O2 -g
WARN   := -Wall -Wextra -Wshadow -Wundef -Wmissing-declarations -Wwrite-strings
# gnu11: the interpreter dispatches with computed goto.
ALL_CFLAGS = -std=gnu11 $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden $(SAN_CFLAGS)
ALL_CPPFLAGS = -Iinclude -Isrc -I$(O)/gen -I$(DYNASM_DIR) $(CAPSTONE_CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_CFLAGS)
LIBS = $(CAPSTONE_LIBS) -lpthread $(LDLIBS)

ifdef SANITIZE
SAN_CFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
# dasm_x86.h stores misaligned words and memsets a NULL label array of size 0.
SAN_DASM_CFLAGS := -fno-sanitize=alignment,nonnull-attribute
endif

# -- Sources -------------------------------------------------------------------

LIB_SRCS   := $(wildcard src/bf_*.c)
TEST_SRCS  := $(wildcard tests/test_*.c)
TEST_SCRIPTS := $(wildcard tests/test_*.sh)
TEST_BINS  := $(TEST_SRCS:tests/%.c=$(O)/tests/%)
DEMOS      := $(O)/jit_toy $(O)/jit_dynasm

# -- DynASM: fetched once from Debian's luajit sources, or given by DYNASM_DIR ----

DEPS_STAMP := $(DEPS_DIR)/.packages
ifdef DYNASM_DIR
DYNASM_STAMP := $(DYNASM_DIR)/dynasm.lua
$(DYNASM_STAMP):
	@echo "DYNASM_DIR=$(DYNASM_DIR) has no dynasm.lua: point it at LuaJIT's dynasm/ folder" >&2; exit 1
else
DYNASM_DIR   := $(DEPS_DIR)/dynasm
DYNASM_STAMP := $(DYNASM_DIR)/.fetched
# The script unpacks into place in one 'mv': a dasm_proto.h there means a whole copy,
# so even `make -B` does not fetch again.
$(DYNASM_STAMP): | $(DEPS_STAMP)
	$(Q)if [ ! -f $(DYNASM_DIR)/dasm_proto.h ]; then \
	  $(if $(Q),printf '  %-7s %s\n' FETCH $(DYNASM_DIR);) mk/fetch-dynasm.sh $(DYNASM_DIR) >/dev/null; fi
	@touch $@
endif

# -- Configuration: installed packages, then what the compiler targets ----------
# config.mk is an included makefile with a rule, so make installs the packages and
# writes it first, then restarts: nothing below runs the compiler before it exists.

CONFIG_FREE_GOALS := clean distclean deps uninstall
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(CONFIG_FREE_GOALS),$(MAKECMDGOALS)),)
NO_CONFIG := 1
endif
endif

FLAGS_STAMP := $(O)/.flags
# Rebuild everything when the compiler or any flag changes.
FLAGS_LINE = $(CC) $(ALL_CFLAGS) $(ALL_CPPFLAGS) $(ALL_LDFLAGS) $(LDLIBS) $(SAN_DASM_CFLAGS) $(LUA)

ifndef NO_CONFIG
ifneq ($(file <$(FLAGS_STAMP)),$(FLAGS_LINE))
$(shell mkdir -p $(O))
$(file >$(FLAGS_STAMP),$(FLAGS_LINE))
endif
include $(O)/config.mk
endif

$(O)/config.mk: $(FLAGS_STAMP) Makefile | $(DEPS_STAMP)
	$(call msg,CONFIG,$@)
	$(Q)m=$$($(CC) -dumpmachine) || exit 1; \
	case $$m in x86_64*) a=x64 ;; aarch64*) a=arm64 ;; *) a=none ;; esac; \
	{ echo "ARCH := $$a"; \
	  if pkg-config --exists capstone 2>/dev/null; then \
	    so=$$(objdump -p "$$(pkg-config --variable=libdir capstone)/libcapstone.so" 2>/dev/null | \
	          awk '$$1 == "SONAME" { print $$2 }'); \
	    echo "CAPSTONE_LIBS := -ldl"; \
	    echo "CAPSTONE_CFLAGS := -DBF_HAVE_CAPSTONE=1 -DBF_CAPSTONE_SONAME=\\\"$${so:-libcapstone.so}\\\""; \
	  fi; } >$@.tmp && mv $@.tmp $@

# DEPS=0 skips the package check (for machines without apt).
$(DEPS_STAMP):
	@mkdir -p $(@D)
ifneq ($(DEPS),0)
	$(Q)mk/deps.sh
endif
	@touch $@

# The library's JIT unit for this architecture, when one exists.
JIT_DASC  := $(wildcard src/jit_$(ARCH).dasc)
LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/obj/%.o) $(JIT_DASC:src/%.dasc=$(O)/obj/gen/%.o)

# Units that include DynASM's encoder, directly or through one src/ header: found by
# name, so the engine's glue is covered wherever it lives.
DASM_RE    := dasm_(x86|arm64)\.h$(foreach h,$(shell grep -lE 'dasm_(x86|arm64)\.h' src/*.h 2>/dev/null),|$(notdir $(h)))
DASM_UNITS := $(shell grep -lE '^\s*\#\s*include\s*"($(DASM_RE))"' src/*.c src/*.dasc demos/*.c 2>/dev/null)
DASM_OBJS  := $(patsubst src/%.dasc,$(O)/obj/gen/%.o,$(DASM_UNITS:%.c=$(O)/obj/%.o)) $(O)/obj/gen/jit_dynasm.o
$(DASM_OBJS): ALL_CFLAGS += $(SAN_DASM_CFLAGS)

# -- Quiet rule lines ----------------------------------------------------------

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

# -- Targets -------------------------------------------------------------------

.PHONY: all test test-build test-arm64 test-tsan clean distclean deps jit_toy jit_dynasm test_jit_toy test_jit_dynasm \
        ladder install uninstall

all: $(O)/libbfjit.a $(O)/libbfjit.so $(O)/bfjit $(DEMOS)

jit_toy: $(O)/jit_toy
jit_dynasm: $(O)/jit_dynasm

test_jit_toy: $(O)/jit_toy
	$(Q)tests/test_demos.sh $<
test_jit_dynasm: $(O)/jit_dynasm
	$(Q)tests/test_demos.sh $<

# Check the packages again even when stamped, and fetch DynASM if not yet done.
deps: $(DEPS_STAMP) $(DYNASM_STAMP)
	$(Q)mk/deps.sh

# -- Compiling -----------------------------------------------------------------

$(O)/gen/%.c: src/%.dasc $(DYNASM_STAMP)
	$(call msg,DYNASM,$@)
	@mkdir -p $(@D)
	$(Q)$(LUA) $(DYNASM_DIR)/dynasm.lua $(DASMFLAGS) -o $@ $<

$(O)/gen/%.c: demos/%.dasc $(DYNASM_STAMP)
	$(call msg,DYNASM,$@)
	@mkdir -p $(@D)
	$(Q)$(LUA) $(DYNASM_DIR)/dynasm.lua $(DASMFLAGS) -o $@ $<

$(O)/obj/gen/%.o: $(O)/gen/%.c $(FLAGS_STAMP) $(DYNASM_STAMP)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/obj/%.o: %.c $(FLAGS_STAMP) | $(DYNASM_STAMP)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)

# -- Linking -------------------------------------------------------------------

$(O)/libbfjit.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# The soname carries the ABI's major version; the link beside it lets programs
# linked against build/ run from there. The soname is set here: relink on edits.
$(O)/libbfjit.so: $(LIB_OBJS) $(FLAGS_STAMP) Makefile
	$(call msg,LD,$@)
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(ALL_LDFLAGS) -o $@ $(LIB_OBJS) $(LIBS)
	@ln -sf libbfjit.so $(O)/$(SONAME)

$(O)/bfjit: $(O)/obj/tools/bfjit.o $(O)/libbfjit.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/jit_toy: $(O)/obj/demos/jit_toy.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^

$(O)/jit_dynasm: $(O)/obj/gen/jit_dynasm.o $(O)/obj/demos/jit_dynasm_driver.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^

$(O)/obj/demos/jit_dynasm_driver.o $(O)/obj/gen/jit_dynasm.o: ALL_CPPFLAGS += -Idemos
# The demo picks its instructions with DynASM's .if: tell it the target.
$(O)/gen/jit_dynasm.c: DASMFLAGS += $(if $(filter arm64,$(ARCH)),-D ARM64)

$(O)/tests/%: $(O)/obj/tests/%.o $(O)/libbfjit.a
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcmocka $(LIBS)

# -- Tests ---------------------------------------------------------------------
# Every tests/test_*.c is a cmocka program; every tests/test_*.sh a script printing
# cmocka-style lines (mk/testlib.sh). They run from the repository root with:
TEST_ENV = CMOCKA_MESSAGE_OUTPUT=stdout BFJIT=$(CURDIR)/$(O)/bfjit \
           BFJIT_SRC=$(CURDIR) BFJIT_BUILD=$(CURDIR)/$(O)

# NEED: what no test program stands for, so the runner checks that it was built.
NEED  := $(O)/libbfjit.a $(O)/libbfjit.so $(O)/bfjit
BUILT := $(NEED) $(DEMOS) $(TEST_BINS)

test-build: $(BUILT)

# Build what builds (-k), drop what did not (so no stale binary passes), run it all.
test:
	@$(MAKE) --no-print-directory -k test-build; \
	for f in $(BUILT); do \
	  $(MAKE) --no-print-directory -q $$f 2>/dev/null || rm -f $$f; \
	done; \
	$(TEST_ENV) mk/run-tests.sh $(NEED:%=--need %) $(TEST_BINS) $(TEST_SCRIPTS)

# The arm64 back end under qemu-aarch64, alone (`make test` runs it too): the script
# cross-builds into $(B)/arm64/ and drives it with the host's test programs.
test-arm64: $(O)/tests/test_progs
	$(Q)$(TEST_ENV) mk/run-tests.sh tests/test_arm64.sh

# ThreadSanitizer over what runs on two threads: the corpus's --background rows
# (BFJIT_MODES=background; the interpreter rows come along) and tests/test_background.c,
# built apart in $(B)/tsan/; a race is reported and fails the case. About half a minute.
ifeq ($(SANITIZE),thread)
test-tsan: $(O)/bfjit $(O)/tests/test_progs $(O)/tests/test_background
	$(Q)$(TEST_ENV) BFJIT_MODES=background TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" \
	  mk/run-tests.sh $(O)/tests/test_background $(O)/tests/test_progs
else
test-tsan:
	@$(MAKE) --no-print-directory SANITIZE=thread test-tsan
endif

# -- The ladder: one program through every tier, timed here ---------------------
# pow2 (2^10000 in decimal) takes about a second in the -O2 interpreter and builds
# fast with -c; -O0 runs 2^4000, starred in the table. LADDER_PROG=FILE.b runs yours
# (at -O0 too, unless LADDER_SMALL=FILE.b names a smaller one).

LADDER_PROG  ?= $(B)/bench/pow2.b
LADDER_SMALL ?= $(if $(filter $(B)/bench/pow2.b,$(LADDER_PROG)),$(B)/ladder/pow2-small.b)

ladder: $(O)/bfjit $(DEMOS) $(LADDER_PROG) $(LADDER_SMALL)
	$(Q)mk/ladder.sh $(O)/bfjit $(O) $(LADDER_PROG) $(LADDER_SMALL)

$(B)/ladder/pow2-small.b: $(B)/bench/gen-pow2
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)$< 4000 >$@

# -- Installing ----------------------------------------------------------------
# `make install PREFIX=/usr DESTDIR=/tmp/stage`: the command, both libraries (the
# shared one as libbfjit.so.VERSION with its soname and dev links), the header, a
# pkg-config file and the man page. `make uninstall` with the same variables undoes it.

VERSION      := $(shell sed -n 's/^\#define BFJIT_VERSION "\(.*\)"/\1/p' include/bfjit.h)
SONAME       := libbfjit.so.$(firstword $(subst ., ,$(VERSION)))
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL      ?= install

# Paths under the prefix are written relative to it, so that pkg-config's
# --define-prefix can move the whole tree (a DESTDIR, a relocated package).
under_prefix = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

INSTALLED := $(BINDIR)/bfjit $(LIBDIR)/libbfjit.a $(LIBDIR)/libbfjit.so.$(VERSION) \
             $(LIBDIR)/$(SONAME) $(LIBDIR)/libbfjit.so $(INCLUDEDIR)/bfjit.h \
             $(PKGCONFIGDIR)/bfjit.pc $(MANDIR)/man1/bfjit.1

install: $(O)/bfjit $(O)/libbfjit.a $(O)/libbfjit.so
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1
	$(Q)$(INSTALL) -m 755 $(O)/bfjit $(DESTDIR)$(BINDIR)/bfjit
	$(Q)$(INSTALL) -m 644 $(O)/libbfjit.a $(DESTDIR)$(LIBDIR)/libbfjit.a
	$(Q)$(INSTALL) -m 755 $(O)/libbfjit.so $(DESTDIR)$(LIBDIR)/libbfjit.so.$(VERSION)
	$(Q)ln -sf libbfjit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(Q)ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libbfjit.so
	$(Q)$(INSTALL) -m 644 include/bfjit.h $(DESTDIR)$(INCLUDEDIR)/bfjit.h
	$(Q)$(INSTALL) -m 644 docs/bfjit.1 $(DESTDIR)$(MANDIR)/man1/bfjit.1
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(call under_prefix,$(LIBDIR))|' \
	  -e 's|@INCLUDEDIR@|$(call under_prefix,$(INCLUDEDIR))|' \
	  -e 's|@VERSION@|$(VERSION)|; s|@LIBS_PRIVATE@|$(strip $(LIBS))|' \
	  mk/bfjit.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/bfjit.pc

uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(INSTALLED:%=$(DESTDIR)%)

# -- Cleaning ------------------------------------------------------------------

# Keeps build/deps: the installed-packages stamp and the fetched DynASM.
clean:
	rm -rf $(filter-out $(DEPS_DIR),$(wildcard $(B)/* $(B)/.flags))

distclean:
	rm -rf $(B)

-include bench/bench.mk
-include tests/fuzz/fuzz.mk
