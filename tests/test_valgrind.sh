#!/bin/bash
# test_valgrind.sh — memcheck over a few runs in every mode, including the error
# paths (tape error, step limit, I/O fault, code eviction): no invalid access, no
# use of uninitialized memory, no leak. Installs valgrind when missing
# (mk/deps.sh; DEPS=0 only checks). About 15 s.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
src=${BFJIT_SRC:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# ASan and memcheck exclude each other: the sanitizer run checks memory itself,
# and memcheck checked nothing, so this is a skip, not a pass.
if ldd "$bfjit" 2>/dev/null | grep -q 'libasan\|libtsan\|libubsan'; then
  t_skip "valgrind" "memcheck cannot run a sanitized build"
  t_done; exit
fi
if [ "${DEPS:-1}" != 0 ] && ! "$src/mk/deps.sh" valgrind >"$tmp/log" 2>&1; then
  t_fail "valgrind installed" "mk/deps.sh valgrind failed: $(tail -n 3 "$tmp/log")"
  t_done; exit 1
fi
if ! command -v valgrind >/dev/null; then
  t_fail "valgrind installed" "valgrind is missing (apt-get install valgrind)"
  t_done; exit 1
fi

# vg NAME STATUS STDIN STDOUT ARGS...: bfjit ARGS under memcheck must exit with
# STATUS and report nothing. Compiled code is new code at reused addresses:
# --smc-check makes valgrind notice.
vg() {
  local name=$1 want=$2 in=$3 out=$4; shift 4
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --smc-check=all-non-file --log-file="$tmp/vg" "$bfjit" "$@" <"$in" >"$out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ] || [ -s "$tmp/vg" ]; then
    t_fail "$name" "exit status $rc (expected $want): $(head -c 300 "$tmp/vg") $(head -c 200 "$tmp/err")"
  else
    t_ok "$name"
  fi
}

p=$src/tests/progs
vg "squares, interp -O0"        0 /dev/null /dev/null --interp -O0 "$p/squares.b"
vg "primes, jit -O2"            0 /dev/null /dev/null --jit "$p/primes.b"
vg "primes, tiered hot=1"       0 /dev/null /dev/null --tiered --hot=1 "$p/primes.b"
vg "squares, tiered code-max"   0 /dev/null /dev/null --tiered --hot=1 --code-max=512 "$p/squares.b"
vg "rot13 input, jit -O0 16-bit" 0 "$p/rot13.in" /dev/null --jit -O0 --cell-bits=16 "$p/rot13.b"
vg "tape error in a scan, jit"  1 /dev/null /dev/null --jit -e '+>+>+<[<]'
vg "tape error, tiered hot=1"   1 /dev/null /dev/null --tiered --hot=1 -e '+[>+]'
vg "step limit, jit 32-bit"     4 /dev/null /dev/null --jit --cell-bits=32 --max-steps=5000 -e '+[>+<]'
vg "write fault, tiered hot=1"  5 /dev/null /dev/full --tiered --hot=1 -e '+[.]'
vg "parse error"                3 /dev/null /dev/null -e '+[[]'

t_done
