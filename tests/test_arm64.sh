#!/bin/bash
# test_arm64.sh — the arm64 back end, run under emulation: installs the cross compiler
# and qemu-user when missing (mk/deps.sh), cross-builds bfjit and the demos into
# build/arm64/, and runs them with qemu-aarch64: the golden corpus in every mode (the
# host's test_progs driving the arm64 bfjit), the demos, and checks that correct
# programs never leave compiled code (no side exits) and that compiled code really
# runs. Missing tools or a failed build fail loudly: nothing here is skipped.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
build=${BFJIT_BUILD:-build}
out=$src/build/arm64
sysroot=/usr/aarch64-linux-gnu   # Debian's arm64 libc: qemu finds the loader here
PACKAGES="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
nested_failed=0

# fail_rest REASON: without a build, every later case fails (counted, never skipped).
fail_rest() {
  t_fail "arm64: golden corpus" "$1"
  t_fail "arm64: demos" "$1"
  t_fail "arm64: --jit has no side exits on correct programs" "$1"
  t_fail "arm64: --jit runs compiled code" "$1"
  t_done
  exit 1
}

# -- Tools -------------------------------------------------------------------

# DEPS=0 (no apt here) only checks that the tools are there.
if [ "${DEPS:-1}" != 0 ] && ! "$src/mk/deps.sh" $PACKAGES >"$log" 2>&1; then
  t_fail "arm64: cross compiler and qemu-user" "installing $PACKAGES failed: $(tail -n 3 "$log")"
  t_fail "arm64: cross build" "no toolchain"
  fail_rest "no toolchain"
fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
  t_fail "arm64: cross compiler and qemu-user" "aarch64-linux-gnu-gcc or qemu-aarch64 missing (install $PACKAGES)"
  t_fail "arm64: cross build" "no toolchain"
  fail_rest "no toolchain"
fi
t_ok "arm64: cross compiler and qemu-user"

# -- Cross build ---------------------------------------------------------------
# Static, so qemu starts each run without emulating the dynamic loader; pkg-config
# sees only arm64 packages (so no host capstone); never sanitized.

if PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig \
   make -C "$src" --no-print-directory O=build/arm64 CC=aarch64-linux-gnu-gcc \
     AR=aarch64-linux-gnu-ar SANITIZE= LDFLAGS=-static \
     build/arm64/bfjit build/arm64/jit_toy build/arm64/jit_dynasm >"$log" 2>&1; then
  t_ok "arm64: cross build"
else
  cat "$log"
  t_fail "arm64: cross build" "make O=build/arm64 CC=aarch64-linux-gnu-gcc failed (log above)"
  fail_rest "the cross build failed"
fi

# Each arm64 program gets a wrapper that runs it under qemu, for the host's drivers.
mkdir -p "$out/qemu"
for p in bfjit jit_toy jit_dynasm; do
  printf '#!/bin/sh\nexec qemu-aarch64 -L %s %s/%s "$@"\n' "$sysroot" "$out" "$p" >"$out/qemu/arm64-$p"
  chmod +x "$out/qemu/arm64-$p"
done
bfjit=$out/qemu/arm64-bfjit

# -- The golden corpus in every mode, and the demos ------------------------------
# Their own cmocka-style lines are counted by mk/run-tests.sh.

if [ -x "$build/tests/test_progs" ]; then
  BFJIT=$bfjit BFJIT_MODES=interp,jit,tiered,background "$build/tests/test_progs" || nested_failed=1
else
  t_fail "arm64: golden corpus" "$build/tests/test_progs is not built"
fi
"$src/tests/test_demos.sh" "$out/qemu/arm64-jit_toy" "$out/qemu/arm64-jit_dynasm" || nested_failed=1

# -- No side exits where nothing goes wrong ------------------------------------
# A failed hoisted check falls into its segment's checked version, and only an
# exact check that fails (a real tape error) leaves compiled code: so every corpus
# program that ends without an error must report "side exits 0" under --jit.
# One more run per such program (a few seconds under qemu).

sx_bad=()
for b in "$src"/tests/progs/*.b; do
  n=${b%.b}
  [ -e "$n.err" ] && continue
  in=/dev/null args=
  [ -e "$n.in" ] && in=$n.in
  [ -e "$n.args" ] && args=$(head -n 1 "$n.args")
  # shellcheck disable=SC2086  # .args holds several words
  sx=$("$bfjit" --jit --stats $args "$b" <"$in" 2>&1 >/dev/null |
       sed -n 's/.*side exits \([0-9]*\).*/\1/p')
  [ "$sx" = 0 ] || sx_bad+=("$(basename "$n"): ${sx:-no --stats line}")
done
if [ ${#sx_bad[@]} -eq 0 ]; then
  t_ok "arm64: --jit has no side exits on correct programs"
else
  t_fail "arm64: --jit has no side exits on correct programs" "side exits in ${sx_bad[*]}"
fi

# -- Compiled code really runs ---------------------------------------------------
# A JIT that aborted would still pass the corpus through the interpreter: so the
# tiered profile must mark the hot loop compiled, and --jit must beat --interp on
# loops the optimizer cannot turn into arithmetic (user CPU time, which load on
# the machine changes little).

# (The third loop copies the cell after it out and back each time: a product of
# two cells that are not constants, so it stays a loop around two IFs.)
nest='++++++++++++++++++++++++++++++++[>-[>-[>-[>+>+<<-]>>[-<<+>>]<<<-]<-]<-]>>>>.'
if "$bfjit" --tiered --profile -e "$nest" 2>&1 >/dev/null | grep -q '(compiled)'; then
  t_ok "arm64: tiered compiles the hot loop"
else
  t_fail "arm64: tiered compiles the hot loop" "--profile marks no loop '(compiled)'"
fi
cpu() {  # cpu MODE: user seconds of one run, in milliseconds
  local TIMEFORMAT=%3U t
  t=$( { time "$bfjit" "$1" -e "$nest" >/dev/null 2>&1; } 2>&1 )
  echo $((10#${t/./}))
}
ti=$(cpu --interp) tj=$(cpu --jit)
echo "arm64 under qemu, CPU time of the loop nest: --interp ${ti} ms, --jit ${tj} ms"
if [ "$ti" -gt 0 ] && [ "$ti" -ge $((3 * tj)) ]; then
  t_ok "arm64: --jit runs compiled code"
else
  t_fail "arm64: --jit runs compiled code" "--jit took ${tj} ms of CPU, --interp ${ti} ms: not 3 times faster"
fi

t_done && [ "$nested_failed" = 0 ]
