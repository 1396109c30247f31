#!/bin/bash
# test_demos.sh [DEMO...] — check the tutorial demos' exit status for several
# numbers, their usage line, and their rejection of bad numbers.
# Without arguments, tests jit_toy and jit_dynasm in $BFJIT_BUILD (default build).
set -u
. "$(dirname "$0")/../mk/testlib.sh"

build=${BFJIT_BUILD:-build}
[ $# -gt 0 ] || set -- "$build/jit_toy" "$build/jit_dynasm"
err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT

# check NAME DEMO EXPECTED_STATUS STDERR_PATTERN [ARG]: one case.
# STDERR_PATTERN is an extended regex, or "" for "stderr must be empty".
check() {
  local name=$1 demo=$2 want=$3 pat=$4; shift 4
  if [ ! -x "$demo" ]; then t_fail "$name" "$demo: not found (build it first)"; return; fi
  local out rc
  out=$("$demo" "$@" 2>"$err"); rc=$?
  if [ "$rc" -ne "$want" ]; then
    t_fail "$name" "exit status $rc, expected $want"
  elif [ -n "$out" ]; then
    t_fail "$name" "unexpected output on stdout: $out"
  elif [ -z "$pat" ] && [ -s "$err" ]; then
    t_fail "$name" "unexpected stderr: $(head -n1 "$err")"
  elif [ -n "$pat" ] && ! grep -Eq "$pat" "$err"; then
    t_fail "$name" "stderr does not match /$pat/: $(head -n1 "$err")"
  else
    t_ok "$name"
  fi
}

for demo in "$@"; do
  d=$(basename "$demo")
  for v in 0 42 255 256 5566 -1 -2147483648; do
    check "$d $v" "$demo" $((v & 255)) "" "$v"
  done
  check "$d (no argument)" "$demo" 1 '^usage: '
  check "$d 12x" "$demo" 1 'not a number' 12x
  check "$d 4294967296" "$demo" 1 'does not fit' 4294967296
done
t_done
