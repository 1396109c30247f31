#!/bin/bash
# test_limits.sh — the limits that stop hostile programs, in every mode: the step
# limit (--max-steps, exit 4) on loops that never end, the tape limit (--tape-max,
# exit 1) on loops and scans that run off the tape, and the code memory limit
# (--code-max), under which runs must still be correct.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

modes=("--interp -O0" "--interp -O2" "--jit -O0" "--jit -O2" "--tiered --hot=1 -O2"
       "--tiered --hot=1 -O0" "--tiered -O2")

# expect NAME STATUS STDERR STDOUT_FILE -- ARGS...: runs bfjit ARGS in every
# mode (stdin empty, 20 s at most); exit status and stderr must be exactly these
# and stdout must equal STDOUT_FILE ("" for empty).
expect() {
  local name=$1 want=$2 werr=$3 wout=$4; shift 5
  local m rc
  for m in "${modes[@]}"; do
    # shellcheck disable=SC2086
    timeout 20 "$bfjit" $m "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ "$rc" -ne "$want" ]; then
      t_fail "$name [$m]" "exit status $rc, expected $want ($(head -c 200 "$tmp/err"))"
    elif [ "$(cat "$tmp/err")" != "$werr" ]; then
      t_fail "$name [$m]" "stderr '$(head -c 200 "$tmp/err")', expected '$werr'"
    elif ! cmp -s "$tmp/out" "${wout:-/dev/null}"; then
      t_fail "$name [$m]" "stdout differs ($(wc -c <"$tmp/out") bytes)"
    else
      t_ok "$name [$m]"
    fi
  done
}

steps() { echo "bfjit: -e:1:$1: step limit of $2 loop iterations reached"; }

# -- Loops that never end, stopped by the step limit --------------------------
expect "steps: +[]" 4 "$(steps 3 1000)" "" -- --max-steps=1000 -e '+[]'
expect "steps: +[>+<]" 4 "$(steps 6 1000)" "" -- --max-steps=1000 -e '+[>+<]'
expect "steps: +[[]]" 4 "$(steps 4 1000)" "" -- --max-steps=1000 -e '+[[]]'
expect "steps: +[-+]" 4 "$(steps 5 1000)" "" -- --max-steps=1000 -e '+[-+]'
expect "steps: 32-bit +[>+<]" 4 "$(steps 6 99999)" "" -- --cell-bits=32 --max-steps=99999 -e '+[>+<]'
# Scans inside a loop that never ends: a scan right, a scan back, forever.
expect "steps: scans forever" 4 "$(steps 12 1000)" "" -- --max-steps=1000 -e '>+[[>]<[<]>]'
# A drifting loop stops at the step limit before the tape end...
expect "steps: +[>+] under the limit" 4 "$(steps 5 1000)" "" -- --max-steps=1000 -e '+[>+]'
# ... and the output made before the limit is delivered: 1 + 500 iterations.
head -c 501 /dev/zero | tr '\0' '\1' >"$tmp/ones501"
expect "steps: output before the limit" 4 "$(steps 4 500)" "$tmp/ones501" -- --max-steps=500 -e '+[.]'
# Exactly enough steps: +++[.-] takes two back edges.
printf '\3\2\1' >"$tmp/321"
expect "steps: exactly enough" 0 "" "$tmp/321" -- --max-steps=2 -e '+++[.-]'
expect "steps: one short" 4 "$(steps 7 1)" "$(printf '\3\2' >"$tmp/32"; echo "$tmp/32")" \
  -- --max-steps=1 -e '+++[.-]'

# -- Loops and scans that run off the tape -------------------------------------
past() { echo "bfjit: -e:1:$1: touched cell $2, past the tape limit of $3 cells"; }
left() { echo "bfjit: -e:1:$1: touched cell -1, left of the tape"; }
expect "tape: +[>+] right end" 1 "$(past 4 30000 30000)" "" -- --tape-max=30000 -e '+[>+]'
expect "tape: +[>+] 16-bit" 1 "$(past 4 40000 40000)" "" -- --tape-max=40000 --cell-bits=16 -e '+[>+]'
expect "tape: +[<+] left end" 1 "$(left 4)" "" -- -e '+[<+]'
expect "tape: +[>>>+] stride 3" 1 "$(past 6 30000 30000)" "" -- --tape-max=30000 -e '+[>>>+]'
# A scan over a tape full of nonzero cells ends at the tape limit, at its ']'.
full=$(for _ in $(seq 3000); do printf '+>+>+>+>+>+>+>+>+>+>'; done)
back=$(printf '%*s' 30000 '' | tr ' ' '<')
printf '%s%s[>]' "$full" "$back" >"$tmp/scan_right.b"
col=$(( ${#full} + ${#back} + 3 ))
for bits in 8 16 32; do
  expect "tape: [>] over a full tape, $bits-bit" 1 \
    "bfjit: $tmp/scan_right.b:1:$col: touched cell 30000, past the tape limit of 30000 cells" "" \
    -- --tape-max=30000 --cell-bits=$bits "$tmp/scan_right.b"
done
printf '%s%s[>>]' "$full" "$back" >"$tmp/scan_right2.b"
expect "tape: [>>] over a full tape" 1 \
  "bfjit: $tmp/scan_right2.b:1:$((col + 1)): touched cell 30000, past the tape limit of 30000 cells" "" \
  -- --tape-max=30000 "$tmp/scan_right2.b"
expect "tape: [<] off the left end" 1 "$(left 15)" "" -- -e '+>+>+>+>+>+<[<]'
# The head of a run-once loop that skips it lands past the END of the
# drifting loop around it: on that loop's exit check as its END's way needs
# it (the scan right proved nothing past the last cell), not as its head's.
ones=$(printf '%*s' 9 '' | sed 's/ /+>/g') nine=$(printf '%*s' 9 '' | tr ' ' '<')
printf ',%s%s%s[[>],[-[-]]]>+.' "$(printf '%*s' 29990 '' | tr ' ' '>')" "$ones" "$nine" >"$tmp/exit.b"
expect "tape: a skip past a run-once loop's END into a drifting loop's exit" 1 \
  "bfjit: $tmp/exit.b:1:30032: touched cell 30000, past the tape limit of 30000 cells" "" \
  -- --tape-max=30000 --eof=0 "$tmp/exit.b"
# Without a step limit, a scan loop over an ever longer run of nonzero cells
# stops at the tape end too (each iteration scans right and adds a cell).
expect "tape: +[[>]+] grows to the end" 1 "$(past 5 30000 30000)" "" -- --tape-max=30000 -e '+[[>]+]'

# -- Bad limits are usage errors ---------------------------------------------
usage() {
  local name=$1; shift
  timeout 10 "$bfjit" "$@" -e '+' >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ]; then
    t_ok "$name"
  else
    t_fail "$name" "exit status $rc, stderr '$(head -c 200 "$tmp/err")'"
  fi
}
usage "usage: --max-steps=0" --max-steps=0
usage "usage: --max-steps=-1" --max-steps=-1
usage "usage: --max-steps=1x" --max-steps=1x
usage "usage: --tape-max=29999" --tape-max=29999
usage "usage: --tape-max=huge" --tape-max=99999999999999999999999
usage "usage: --code-max=0" --code-max=0
usage "usage: --code-max=" --code-max=

# A very large tape limit costs nothing until touched (or is refused cleanly).
"$bfjit" --tape-max=1099511627776 -e '+.>+.' >"$tmp/out" 2>"$tmp/err"; rc=$?
if { [ "$rc" -eq 0 ] && [ "$(od -An -tu1 "$tmp/out" | tr -d ' ')" = 11 ]; } ||
   { [ "$rc" -eq 6 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; }; then
  t_ok "tape: a 1 Ti-cell limit"
else
  t_fail "tape: a 1 Ti-cell limit" "exit status $rc: $(head -c 200 "$tmp/err")"
fi

# -- The code memory limit: compiled or not, the output is the interpreter's ---
src=${BFJIT_SRC:-.}
for prog in hello_loops primes squares nest_deep lin_nested scan_long; do
  f=$src/tests/progs/$prog.b
  if [ ! -f "$f" ]; then
    t_fail "code-max $prog" "$f is missing"
    continue
  fi
  "$bfjit" --interp "$f" </dev/null >"$tmp/ref" 2>/dev/null
  for cm in 1 512 4096 65536; do
    for m in "--tiered --hot=1" "--jit"; do
      # shellcheck disable=SC2086
      timeout 20 "$bfjit" $m --code-max=$cm "$f" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
      if [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/ref"; then
        t_ok "code-max=$cm $prog [$m]"
      else
        t_fail "code-max=$cm $prog [$m]" "exit status $rc, $(head -c 200 "$tmp/err")"
      fi
    done
  done
done

t_done
