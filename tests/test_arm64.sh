#!/bin/bash
# test_arm64.sh — the arm64 back end, run under emulation: installs the cross compiler
# and qemu-user when missing (mk/deps.sh), cross-builds bfjit and the demos into
# build/arm64/, and runs them with qemu-aarch64: the golden corpus in every mode (the
# host's test_progs driving the arm64 bfjit), the demos, and checks that correct
# programs never leave compiled code (no side exits) and that compiled code really
# runs; and reads the code qemu ran to see cells kept in registers, the one-sided
# check, a value carried in a register across a drifting loop's back edge, and
# changed cells written back only on a branch's way out.
# Missing tools or a failed build fail loudly: nothing here is skipped.
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

# -- What the compiled code does, as it runs ----------------------------------
# The cross build has no Capstone for --dump-code, so the listing is qemu's own:
# '-d in_asm' logs every translation block the program executes, and the JIT's
# code is in the blocks with no symbol ('IN: ' alone). jit_blocks LOG prints
# their instructions as "address mnemonic operands...".
jit_blocks() {  # addresses and branch targets in decimal (awk keys them as strings)
  perl -ne 'if (/^IN: *$/) { $j = 1; next } if (/^IN: /) { $j = 0; next }
            next unless $j && /^0x([0-9a-f]+):\s+\S+\s+(.*?)\s*$/;
            my ($a, $i) = (hex $1, $2); $i =~ s/#0x([0-9a-f]+)$/"#" . hex $1/e;
            print "$a $i\n"' "$1"
}
qlog=$(mktemp) || exit 1
trap 'rm -f "$log" "$qlog"' EXIT

# 1. A balanced loop with an inner loop whose trip count varies (as
# test_jit_code.sh's third case): its six cells are loaded once after the head's
# test and live in registers, so nothing between its body's start (where its
# back edge, the widest conditional backward branch, lands) and that back edge touches the
# tape ([x19 ...]); the cells are stored once, after it.
pinned=',[>+[>+>+<<-]>>[<<+>>-]<[>>++[->+<]<<-]<<-]>>>>>.'
pout=$(printf '\007' | qemu-aarch64 -L "$sysroot" -d in_asm -D "$qlog" "$out/bfjit" --jit -e "$pinned" | od -An -tu1 | tr -d ' ')
body=$(jit_blocks "$qlog" | awk '
  { key[NR] = $1; addr[NR] = $1 + 0; line[NR] = $0; t = $NF }
  $2 ~ /^(cbnz|cbz|b\.[a-z]+)$/ && t ~ /^#[0-9]+$/ && substr(t, 2) + 0 < $1 + 0 &&
  $1 - substr(t, 2) > best { best = $1 - substr(t, 2); lo = substr(t, 2) + 0; hi = $1 + 0 }
  END { for (i = 1; i <= NR; i++) if (addr[i] >= lo && addr[i] <= hi && !seen[key[i]]++) print line[i] }')
n=$(grep -c . <<<"$body") mem=$(grep -c '\[x19' <<<"$body")
if [ "$pout" = 56 ] && [ "$n" -ge 10 ] && [ "$mem" = 0 ]; then
  t_ok "arm64: a balanced loop keeps its cells in registers"
else
  t_fail "arm64: a balanced loop keeps its cells in registers" "output '$pout' (want 56), $n instructions in the loop, $mem touch the tape: $(tr '\n' ';' <<<"$body" | head -c 600)"
fi

# 2. A drifting loop (down 2 cells an iteration, five iterations): its back
# edge lands on a one-sided check, one compare of x19 with the bound in x24
# that the first iteration set after its full check, and a b.lo.
drift='>>+>>+>>+>>+>>,[>[-<<+>>]<<<]++++++++[>++++++<-]>.'
dout=$(printf '\005' | qemu-aarch64 -L "$sysroot" -d in_asm -D "$qlog" "$out/bfjit" --jit -e "$drift")
side=$(jit_blocks "$qlog" | awk '
  { a[NR] = $1; m[NR] = $2; o[NR] = $3 " " $4; if ($NF ~ /^#[0-9]+$/) tgt[substr($NF, 2)] = 1 }
  END { for (i = 1; i < NR; i++)
          if (m[i] == "cmp" && o[i] == "x19, x24" && m[i+1] == "b.lo" && (a[i] in tgt)) n++
        print n + 0 }')
if [ "$dout" = 0 ] && [ "$side" -ge 1 ]; then
  t_ok "arm64: a drifting loop checks one side an iteration"
else
  t_fail "arm64: a drifting loop checks one side an iteration" "output '$dout' (want 0), $side back edges land on 'cmp x19, x24; b.lo'"
fi

# 3. A drifting loop that feeds a cell into the one the next iteration reads
# under another name (c(0) += 3 * c(1), moving down one cell): in the loop
# (from its back edge's landing to that back edge) the multiply-add is on
# registers, and the END passes a register on (mov) and loads only the one
# cell new to the next iteration.
carry='>>+>+>+>+>,[>[-<+++>]<<]>.'
cout=$(printf '\001' | qemu-aarch64 -L "$sysroot" -d in_asm -D "$qlog" "$out/bfjit" --jit -e "$carry" | od -An -tu1 | tr -d ' ')
loop=$(jit_blocks "$qlog" | awk '
  { key[NR] = $1; addr[NR] = $1 + 0; line[NR] = $0; t = $NF }
  $2 ~ /^(cbnz|cbz)$/ && t ~ /^#[0-9]+$/ && substr(t, 2) + 0 < $1 + 0 &&
  $1 - substr(t, 2) > best { best = $1 - substr(t, 2); lo = substr(t, 2) + 0; hi = $1 + 0 }
  END { for (i = 1; i <= NR; i++) if (addr[i] >= lo && addr[i] <= hi && !seen[key[i]]++) print line[i] }')
loads=$(grep -c 'ldrb.*\[x19' <<<"$loop") movs=$(grep -cE ' mov +w[0-9]+, w[0-9]+$' <<<"$loop")
if [ "$cout" = 121 ] && [ "$loads" = 1 ] && [ "$movs" -ge 1 ]; then
  t_ok "arm64: a drifting loop carries a value to the next iteration in a register"
else
  t_fail "arm64: a drifting loop carries a value to the next iteration in a register" "output '$cout' (want 121), $loads tape loads and $movs register moves in the loop: $(tr '\n' ';' <<<"$loop" | head -c 600)"
fi

# 4. A chain of run-once loops on one cell (test_jit_code.sh's test 10) keeps
# it changed in w2 through its heads: the heads' branches out, taken at the
# second head here, go to one stub after the region's code, which stores w2
# on the way to the chain's exit, and nothing else stores it.
chain=',[-[-[-[->+<]]]]>.'
hout=$(printf '\002' | qemu-aarch64 -L "$sysroot" -d in_asm -D "$qlog" "$out/bfjit" --jit -e "$chain" | od -An -tu1 | tr -d ' ')
stub=$(jit_blocks "$qlog" | awk '
  { ins[$1] = $2 " " $3 " " $4 " " $5 }
  $2 == "cbz" && $3 == "w2," { n++; t[substr($4, 2)] = 1 }
  $2 == "strb" && $3 == "w2," && $4 == "[x19]" { st++ }
  END { for (a in t) { nt++; first = ins[a] }
        print n + 0, nt + 0, st + 0, (first == "strb w2, [x19] " ? "stub" : "none") }')
if [ "$hout" = 0 ] && [ "$stub" = "2 1 1 stub" ]; then
  t_ok "arm64: a chain of run-once loops writes its cell back on the way out only"
else
  t_fail "arm64: a chain of run-once loops writes its cell back on the way out only" "output '$hout' (want 0); cbz w2, their targets, stores of w2, target: $stub (want 2 1 1 stub)"
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
