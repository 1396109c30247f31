#!/bin/bash
# test_jit_code.sh — the x86-64 back end emits the code its chapter promises
# (docs/en/4-jit.md), read from --dump-code: a store of a constant is one
# store of an immediate, immediates take their short form, a balanced loop
# keeps its cells in registers (no load or store between its head and its
# exit), a drifting loop checks one side of its range per iteration, and a
# chain of loops that run at most once tests its cell from a register, a value
# a SET overwrites unread is not computed, a flat IF does not branch, a check
# point tests no end of the tape that cells touched on every way there prove
# already, a head skipping its drifting loop jumps past the check after it, a
# branch into a body that goes on with the cache writes cells back in a stub
# on its way out only, a drifting loop carries a value to its next
# iteration in a register, a scan by a short stride tests a window of cells
# at once, and a segment's checked version is compiled only
# when its hoisted check fails.
# Env: BFJIT, BFJIT_SRC (make test sets them).
set -u
. "${BFJIT_SRC:-.}/mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$bfjit" --jit --dump-code -e '+' | grep -q '^; x86-64 code'; then
  t_skip "x86-64 code" "not an x86-64 build"
  t_done; exit
fi

# fast FILE: the fast version only (the checked versions follow it).
fast() { sed '/^; the region.s end/,$d' "$1"; }
# after_op FILE OP INSN: the instructions matching INSN listed under an op whose
# line matches OP, counted in the fast version and in the checked ones: "F C".
after_op() {
  awk -v op="$2" -v insn="$3" 'BEGIN { part = 0 }
      /^; the region/ { part = 1 } /^; the checked/ { part = 2 }
      /^; / { in_op = $0 ~ op; next }
      in_op && $0 ~ insn { n[part]++ }
      END { print (n[0] + 0) " " (n[2] + 0) }' "$1"
}

# 1. SET of a dead value: one store of an immediate, no register round trip.
"$bfjit" --no-pass=known --jit --dump-code -e '++[->+++<]>.' >"$tmp/d"
if fast "$tmp/d" | grep -A1 'SET off=0 val=0' | grep -q 'mov     byte ptr \[rbx\], 0$' &&
   ! grep -q 'xor' "$tmp/d"; then
  t_ok "jit: a store of a constant is a store of an immediate"
else
  t_fail "jit: a store of a constant is a store of an immediate" "$(grep -A2 'SET off' "$tmp/d" | head -4 | tr '\n' ' ')"
fi

# 2. Adding 255 to a byte in a register is adding -1 (an 8-bit immediate).
"$bfjit" --jit --dump-code -e ',[>,<-]' >"$tmp/d"
if grep -q 'add     e[a-z0-9]*, -1$' "$tmp/d" && ! grep -q 'add     e[a-z0-9]*, 0xff$' "$tmp/d"; then
  t_ok "jit: immediates at the cell width, sign-extended"
else
  t_fail "jit: immediates at the cell width, sign-extended" "$(grep 'add ' "$tmp/d" | tr '\n' ' ')"
fi

# 3. A balanced loop with an inner loop (the trip count of the inner one
# varies, so nothing folds them): its six cells are loaded after the head's
# test, live in registers through the body and the inner loop (no memory
# operand between the body's first op and the outer END's jump back), and are
# stored at the exit.
"$bfjit" --jit --dump-code -e ',[>+[>+>+<<-]>>[<<+>>-]<[>>++[->+<]<<-]<<-]>>>>>.' >"$tmp/d"
fast "$tmp/d" | awk '/^; 1:2  LOOP/ { s = 1 } s' | sed '/^; 1:49  OUT/,$d' >"$tmp/loop"
last=$(grep -n 'jne' "$tmp/loop" | tail -1 | cut -d: -f1)
body=$(sed -n "/^; 1:4 /,${last:-1}p" "$tmp/loop")
loads=$(grep -c 'movzx' "$tmp/loop") stores=$(sed -n "${last:-1},\$p" "$tmp/loop" | grep -c 'mov     byte ptr')
if [ "$loads" = 6 ] && [ "$stores" = 6 ] && [ -n "$body" ] && ! grep -q 'ptr \[' <<<"$body"; then
  t_ok "jit: a balanced loop keeps its cells in registers"
else
  t_fail "jit: a balanced loop keeps its cells in registers" "$loads loads, $stores stores: $(tr '\n' ' ' <"$tmp/loop" | head -c 600)"
fi

# 4. A drifting loop (down 2 cells an iteration): its back edge lands on a
# one-sided check of the low end, one compare of rbx with the bound that the
# first iteration set in rbp after its full check (the tape's start plus 2).
# The code is under a page, so a jump target's low 12 bits are its offset.
"$bfjit" --jit --dump-code -e ',[>[-<<+>>]<<<]' >"$tmp/d"
fast "$tmp/d" >"$tmp/f"
back=$(awk '/ END / { e = 1 } e && / jne / { print $NF; exit }' "$tmp/f")
side= before=
if [ -n "$back" ]; then
  ofs=$(printf '%06x' $((back & 0xfff)))
  side=$(grep -A1 "^    $ofs  " "$tmp/f" | awk '{ print $2, $3, $4 }' | tr '\n' ';')
  before=$(grep -B1 "^    $ofs  " "$tmp/f" | head -1 | awk '{ print $2, $3, $4, $5, $6 }')
fi
if [[ $side == "cmp rbx, rbp;jb "* && $before == "lea rbp, [r13 + 2]" ]]; then
  t_ok "jit: a drifting loop checks one side an iteration"
else
  t_fail "jit: a drifting loop checks one side an iteration" "back edge to $back: '$side' after '$before'"
fi
# 5. Loops that run at most once, nested on one cell (factor.b's digits): no
# back edge lands in their bodies and the heads' OSR entries go through
# stubs, so the cell is loaded once and tested from its register at every
# head (no compare with memory).
"$bfjit" --jit --dump-code -e ',[-[-[-[->+<]]]]>.' >"$tmp/d"
fast "$tmp/d" | sed -n '/^; 1:3 /,/^; 1:18 /p' >"$tmp/chain"
loads=$(grep -c 'movzx' "$tmp/chain") tests=$(grep -c 'test    dl, dl' "$tmp/chain")
if [ "$loads" = 1 ] && [ "$tests" = 2 ] && ! grep -q 'cmp     byte' "$tmp/chain"; then
  t_ok "jit: a chain of run-once loops tests its cell in a register"
else
  t_fail "jit: a chain of run-once loops tests its cell in a register" "$loads loads, $tests tests: $(tr '\n' ' ' <"$tmp/chain" | head -c 600)"
fi
# 6. A value a SET surely overwrites unread (here an add before a flat IF that
# clears the cell) is not computed in the fast version; the checked version,
# where the IF branches, keeps it.
"$bfjit" --no-pass=eval --jit --dump-code -e ',[<]>>+++[->+<]>[-]<<.' >"$tmp/d"
adds=$(after_op "$tmp/d" ' ADD off=2 val=3' 'add|mov')
if [ "$adds" = "0 1" ]; then
  t_ok "jit: a value overwritten unread is not computed in the fast version"
else
  t_fail "jit: a value overwritten unread is not computed in the fast version" "adds (fast, checked): $adds"
fi

# 7. An IF whose body is a no-op on a zero cell (MULs of its cell and its clear)
# has no branch in the fast version, and its branch in the checked one.
"$bfjit" --no-pass=eval --jit --dump-code -e '>,<,[->+>+++<<]>.>.' >"$tmp/d"
jumps=$(after_op "$tmp/d" ' IF ' '^    [0-9a-f]+  j')
if [ "$jumps" = "0 1" ]; then
  t_ok "jit: a flat IF has no branch in the fast version"
else
  t_fail "jit: a flat IF has no branch in the fast version" "jumps after IF (fast, checked): $jumps"
fi

# 8. Cells touched on every way to a check point prove their ends of the tape.
# A scan stops on a cell it touched, above where it started: the segment after
# '[>]' (c(0) and c(-1)) tests the low end only, one compare with r13. Each
# iteration of the outer drifting loop '[[>>]<<-<<]' starts with c(0) tested,
# by its head or by its END: its first check point (the scan) tests nothing.
"$bfjit" --no-pass=eval --jit --dump-code -e ',[>]+<-.' >"$tmp/d"
tests=$(fast "$tmp/d" | sed -n '/^; 1:5 /,/^; 1:7 /p' | grep -cE 'r13|r14')
lows=$(fast "$tmp/d" | sed -n '/^; 1:5 /,/^; 1:7 /p' | grep -c 'cmp     rax, r13$')
"$bfjit" --no-pass=eval --jit --dump-code -e ',[[>>]<<-<<]' >"$tmp/d"
first=$(fast "$tmp/d" | sed -n '/^; 1:3 /,$p' | sed -n 2p | awk '{ print $2, $3, $4, $5, $6 }')
if [ "$tests" = 1 ] && [ "$lows" = 1 ] && [ "$first" = "cmp byte ptr [rbx], 0" ]; then
  t_ok "jit: a check tests only the ends no touched cell proves"
else
  t_fail "jit: a check tests only the ends no touched cell proves" "after the scan: $tests insns with r13/r14, $lows low compares; the outer body starts with '$first'"
fi
# 9. After a drifting loop, what is known depends on the way out: a head that
# skips '[[<]>]' comes from where c(0) .. c(2) were read, but the loop's END
# falls through from a scan, which proves nothing above c(0). So the END's
# way tests the high end, and the head's jump lands past that test, on the add.
"$bfjit" --no-pass=eval --jit --dump-code -e ',>,>,<<[[<]>]>+.' >"$tmp/d"
fast "$tmp/d" >"$tmp/f"
skip=$(sed -n '/^; 1:8 /,/^; 1:9 /p' "$tmp/f" | awk '/ je / { print $NF; exit }')
landing= before=
if [ -n "$skip" ]; then
  ofs=$(printf '%06x' $((skip & 0xfff)))
  landing=$(grep "^    $ofs  " "$tmp/f" | sed -E 's/^ +[0-9a-f]+ +//; s/ +/ /g')
  before=$(grep -B1 "^    $ofs  " "$tmp/f" | head -1 | awk '{ print $2 }')
fi
if [ "$landing" = "add byte ptr [rbx + 1], 1" ] && [ "$before" = ja ]; then
  t_ok "jit: a skipped drifting loop's exit skips the check its END needs"
else
  t_fail "jit: a skipped drifting loop's exit skips the check its END needs" "the skip to $skip lands on '$landing' after '$before'"
fi
# 10. The chain of test 5 keeps its cell dirty in dl through its heads: no
# store to it in the chain; the heads' exits both jump to one stub after the
# region's end that stores dl and goes on to the chain's exit.
"$bfjit" --jit --dump-code -e ',[-[-[-[->+<]]]]>.' >"$tmp/d"
fast "$tmp/d" | sed -n '/^; 1:3 /,/^; 1:18 /p' >"$tmp/chain"
stores=$(grep -c 'mov     byte ptr \[rbx\], dl' "$tmp/chain")
exits=$(grep ' je ' "$tmp/chain" | awk '{ print $NF }' | sort -u | wc -l)
stub=$(sed -n '/^; the region.s end/,/^; the checked/p' "$tmp/d" | grep -c 'mov     byte ptr \[rbx\], dl')
if [ "$stores" = 0 ] && [ "$exits" = 1 ] && [ "$stub" = 1 ]; then
  t_ok "jit: a chain of run-once loops writes its cell back on the way out only"
else
  t_fail "jit: a chain of run-once loops writes its cell back on the way out only" "$stores stores in the chain, $exits exit targets, $stub stub stores"
fi

# carried NAME PROG MUL: in PROG's drifting loop the value stays in a register
# across the back edge, so the MUL (its line matches MUL) reads and writes no
# memory, and the END stores the cells and loads only the one cell new to the
# next iteration.
carried() {
  "$bfjit" --no-pass=eval --jit --dump-code -e "$2" >"$tmp/d"
  local mul loads
  mul=$(after_op "$tmp/d" "$3" 'ptr \[') loads=$(after_op "$tmp/d" ' END off=0' 'movzx')
  if [ "${mul% *}" = 0 ] && [ "${loads% *}" = 1 ]; then
    t_ok "$1"
  else
    t_fail "$1" "memory operands under the MUL: $mul; loads under the END: $loads"
  fi
}

# 11. A drifting loop that passes a value on to the next iteration (c(0) here
# is c(1) after the move), fed back into it by the MUL.
carried "jit: a drifting loop carries a value to the next iteration in a register" \
  ',[>[-<+++>]<<]' ' MUL off=0'
# 11b. A value only carried, not fed back (mandelbrot's hottest loops): c(1)
# is added to c(3) and cleared, and after the move down two that cleared c(1)
# is the next c(3).
carried "jit: a drifting loop carries a cleared cell to the next iteration in a register" \
  ',[>[->>+<<]<<<]' ' MUL off=3'

# 11c. A scan by two cells tests a window of cells at once: AVX2's 32 bytes
# where the CPU has it, SSE2's 16 with BFJIT_NO_AVX2 (tests/test_scans.sh
# checks where they stop).
"$bfjit" --no-pass=eval --jit --dump-code -e ',[>>]<.' >"$tmp/d"
BFJIT_NO_AVX2=1 "$bfjit" --no-pass=eval --jit --dump-code -e ',[>>]<.' >"$tmp/d2"
want=pcmpeqb
grep -qw avx2 /proc/cpuinfo 2>/dev/null && want=vpcmpeqb
if grep -q " $want  *ymm\| $want  *xmm" "$tmp/d" && grep -q ' pcmpeqb  *xmm0, xmm1' "$tmp/d2"; then
  t_ok "jit: a scan by a short stride tests a window of cells at once"
else
  t_fail "jit: a scan by a short stride tests a window of cells at once" "no $want in the code"
fi

# 12. The loop at cell 0 does not run, but the check hoisted before it covers
# cell -1: it fails on this correct program, once. The checked version of its
# segment is compiled then, as code of its own (--dump-code, which compiles
# them all, counts it apart from the region's), the run never leaves compiled
# code early, and perf's map names the new code.
"$bfjit" --jit --dump-code -e ',[<+>-]+++[>++<-]>.' >"$tmp/d"
header=$(head -n1 "$tmp/d")
sh -c 'echo $$ >"$1/pid"; exec "$2" --jit --stats --perf-map -e ",[<+>-]+++[>++<-]>." \
  </dev/null >"$1/out" 2>"$1/err"' sh "$tmp" "$bfjit"
map=/tmp/perf-$(cat "$tmp/pid").map
if [[ "$header" == *" in 1 checked versions" ]] && [ "$(od -An -tu1 "$tmp/out" | tr -d ' ')" = 6 ] &&
   grep -q 'regions compiled 1, checked versions 1,.* side exits 0,' "$tmp/err" &&
   grep -q ' bf:chk:L1:1$' "$map"; then
  t_ok "jit: a checked version is compiled when its hoisted check first fails"
else
  t_fail "jit: a checked version is compiled when its hoisted check first fails" "$header; $(grep regions "$tmp/err"); map: $(tr '\n' ' ' <"$map")"
fi
rm -f "$map"
t_done
