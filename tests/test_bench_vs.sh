#!/bin/bash
# test_bench_vs.sh — bench/versus.py (`make bench-vs`) works: on a tiny folder of our
# own programs, one run each, with bfjit as both engines, it reads LIST (cell widths,
# comments), fills {bits}, prints a row per program and the geometric mean, reports a
# wrong output without counting it (exit status 1), runs alone without a peer, and
# builds 'aot' executables. It checks the output's shape only: no timing is asserted.
# Env: BFJIT, BFJIT_SRC (make test sets them).
set -u
. "${BFJIT_SRC:-.}/mk/testlib.sh"

src=${BFJIT_SRC:-.}
bfjit=${BFJIT:-build/bfjit}
vs="$src/bench/versus.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# A folder: hello (8-bit), wide (prints "1" only with 16-bit cells: 256 is not 0).
d=$tmp/progs
mkdir -p "$d"
cp "$src/bench/hello.b" "$d/"
"$bfjit" --interp "$d/hello.b" >"$d/hello.out"
printf '++++++++[>++++++++<-]>[<++++>-]<[[-]>%s.<]' "$(printf '+%.0s' $(seq 49))" >"$d/wide.b"
printf 1 >"$d/wide.out"
printf '# name bits\nhello 8\nwide  16   # needs 16-bit cells\n' >"$d/LIST"

# row OUT NAME BITS: the program's row has a time for A and B and a ratio.
num='[0-9]+\.[0-9]+'
row() { grep -Eq "^$2 +$3 +$num +$num +$num +($num|-) +($num|-) +[0-9]+ *(\$| )" "$1"; }

# vs CASE ARGS...: run versus.py into $tmp/CASE.out, its exit status into $rc.
vs() {
  c=$1; shift
  python3 "$vs" --bfjit "$bfjit" -n 1 "$@" >"$tmp/$c.out" 2>&1
  rc=$?
}
why() { echo "exit $rc: $(head -c 600 "$tmp/$1.out" | tr '\n' '|')"; }

# 1. bfjit against itself, B a command with {bits}.
vs self -b "$bfjit --jit --cell-bits={bits}" "$d"
if [ "$rc" = 0 ] && row "$tmp/self.out" hello 8 && row "$tmp/self.out" wide 16 &&
   grep -Eq "^geomean A/B = $num over 2 program\(s\)$" "$tmp/self.out"; then
  t_ok "versus: bfjit against itself, LIST and {bits}"
else
  t_fail "versus: bfjit against itself, LIST and {bits}" "$(why self)"
fi

# 2. A wrong expected output: reported, not counted, exit status 1.
printf 'nope' >"$d/wide.out"
vs wrong -b jit "$d"
if [ "$rc" = 1 ] && row "$tmp/wrong.out" hello 8 &&
   grep -Eq "^wide +16 .*A WRONG OUTPUT .*B WRONG OUTPUT" "$tmp/wrong.out" &&
   grep -Eq "^geomean A/B = $num over 1 program\(s\); not counted: wide$" "$tmp/wrong.out"; then
  t_ok "versus: a wrong output is reported and not counted"
else
  t_fail "versus: a wrong output is reported and not counted" "$(why wrong)"
fi

# 3. No peer: A alone, no ratio, no geometric mean. Without LIST: every *.b at 8 bits.
rm "$d/LIST" "$d/wide.b" "$d/wide.out"
vs alone "$d"
if [ "$rc" = 0 ] && grep -Eq "^hello +8 +$num +- +- +($num|-) +- +[0-9]+ *$" "$tmp/alone.out" &&
   ! grep -q geomean "$tmp/alone.out"; then
  t_ok "versus: no peer, no LIST"
else
  t_fail "versus: no peer, no LIST" "$(why alone)"
fi

# 4. jit against the bfjit -c executable (built at -O0: only the plumbing is tested).
BFJIT_CFLAGS=-O0 vs aot -a jit -b aot "$d" hello
if [ "$rc" = 0 ] && row "$tmp/aot.out" hello 8 && grep -q "B built in" "$tmp/aot.out"; then
  t_ok "versus: jit against aot"
else
  t_fail "versus: jit against aot" "$(why aot)"
fi

t_done
