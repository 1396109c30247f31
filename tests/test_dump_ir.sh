#!/bin/bash
# test_dump_ir.sh — bfjit --dump-ir prints the optimized IR instead of running the
# program: one op a line under its line:column, bodies indented, at the -O level and
# passes asked for; a failed write is an I/O error (exit 5).
set -u
. "$(dirname "$0")/../mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS WANT_STDOUT ARGS...: bfjit ARGS (stdin empty, 10 s at most)
# must exit with STATUS and print exactly WANT_STDOUT.
expect() {
  local name=$1 want=$2 wout=$3 rc; shift 3
  timeout 10 "$bfjit" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
  if [ "$rc" -ne "$want" ]; then
    t_fail "$name" "exit status $rc, expected $want ($(head -c 200 "$tmp/err"))"
  elif [ "$(cat "$tmp/out")" != "$wout" ]; then
    t_fail "$name" "stdout differs: $(diff <(printf '%s\n' "$wout") "$tmp/out" | head -n4 | tr '\n' ' ')"
  else
    t_ok "$name"
  fi
}

# The loop's count is read, so it stays an IF (with '++' it is known: see
# test_opt.c).
expect "-O2 loop" 0 "1:1       IN@0
1:2       IF=2
1:5         MUL@1=3
1:3         SET@0=0
1:11      OUT@1
1:12      MOVE=1
1:12      HALT" --dump-ir -e ',[->+++<]>.'

expect "-O0 loop" 0 "1:1       ADD@0=1
1:2       LOOP
1:3         ADD@0=-1
1:4         MOVE=1
1:5         OUT@0
1:6         MOVE=-1
1:7       END
1:8       HALT" --dump-ir -O0 -e '+[->.<]'

expect "--no-pass=linear" 0 "1:1       IN@0
1:2       LOOP
1:3         ADD@0=-1
1:6         SET@2=0
1:11      END
1:12      HALT" --dump-ir --no-pass=linear -e ',[->>[-]<<]'

printf '%s\n' ',++' '[->>[-]' '<<]' >"$tmp/p.b"
expect "line:column from a file" 0 "1:1       IN@0
1:2       ADD@0=2
2:1       IF=2
2:5         SET@2=0
2:2         SET@0=0
4:1       HALT" --dump-ir "$tmp/p.b"

expect "16-bit constants" 0 "1:1       SET@0=-300
1:301     PUT=212
1:302     HALT" --dump-ir --cell-bits=16 -e "$(printf '%.0s-' {1..300})."

# The program does not run: an endless loop is printed, not entered.
expect "does not run" 0 "1:1       SET@0=1
1:2       LOOP
1:3       END
1:4       HALT" --dump-ir -e '+[]'

# A parse error is reported as for a run.
expect "parse error" 3 "" --dump-ir -e '+['

if [ -w /dev/full ]; then
  "$bfjit" --dump-ir -e '+' >/dev/full 2>"$tmp/err"; rc=$?
  if [ $rc -eq 5 ] && grep -q 'cannot write the IR' "$tmp/err"; then
    t_ok "write error"
  else
    t_fail "write error" "exit status $rc, stderr '$(head -c 200 "$tmp/err")'"
  fi
fi
# --dump-code too: a write that fails is one clear message, exit 5.
if [ -w /dev/full ]; then
  "$bfjit" --jit --dump-code -e '+[>+<-]' >/dev/full 2>"$tmp/err"; rc=$?
  if [ $rc -eq 5 ] && [ "$(cat "$tmp/err")" = "bfjit: cannot write the machine code" ]; then
    t_ok "dump-code write error"
  else
    t_fail "dump-code write error" "exit status $rc, stderr '$(head -c 200 "$tmp/err")'"
  fi
fi
t_done
