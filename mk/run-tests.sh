#!/bin/bash
# run-tests.sh [--need FILE]... TEST... — run every test program, count its cases
# from cmocka's lines (one "[       OK ]" per passed case, the summary for failed
# ones), and end with "total: N passed, N failed".
# A missing or crashed test, or a missing --need file, counts as failed.
set -u

timeout_s=${TEST_TIMEOUT:-600}   # one test program may not run longer than this
passed=0 failed=0 skipped=0
failures=()
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

fail() { failed=$((failed + 1)); failures+=("$1"); echo "[  FAILED  ] $1"; }

while [ $# -gt 0 ] && [ "$1" = --need ]; do
  [ -e "$2" ] || fail "$2: not built (see the build errors above)"
  shift 2
done

for t in "$@"; do
  echo "== $t"
  if [ ! -f "$t" ] || [ ! -x "$t" ]; then
    fail "$t: missing (not built?)"
    continue
  fi
  # cmocka prints its summary on stderr even when messages go to stdout.
  timeout "$timeout_s" "$t" >"$log" 2>&1
  rc=$?
  cat "$log"
  # started run passed failed skipped, summed over every group in the program
  read -r st ru pa fa sk < <(awk '
    /^\[==========\] Running [0-9]+ test\(s\)\./ { st += $3 }
    /^\[==========\] [0-9]+ test\(s\) run\./      { ru += $2 }
    /^\[       OK \] /                          { pa += 1 }
    /^\[  FAILED  \] [0-9]+ test\(s\), listed/   { fa += $4 }
    /^\[  SKIPPED \] [0-9]+ test\(s\)/           { sk += $4 }
    END { print st+0, ru+0, pa+0, fa+0, sk+0 }' "$log")
  passed=$((passed + pa)) skipped=$((skipped + sk))
  failed=$((failed + fa))
  [ "$fa" -gt 0 ] && failures+=("$t: $fa case(s) failed")
  lost=$((st - pa - fa - sk))       # started but never finished: died mid-run
  if [ "$st" -eq 0 ] && [ "$ru" -eq 0 ]; then
    fail "$t: exit status $rc and no test summary"
  elif [ "$lost" -gt 0 ]; then
    failed=$((failed + lost)); failures+=("$t: $lost case(s) lost (exit status $rc)")
    echo "[  FAILED  ] $t: $lost case(s) never finished (exit status $rc)"
  elif [ "$rc" -ne 0 ] && [ "$fa" -eq 0 ]; then
    fail "$t: exit status $rc but no failed case reported"
  fi
done

if [ ${#failures[@]} -gt 0 ]; then
  echo "failed:"
  printf '  %s\n' "${failures[@]}"
fi
[ "$skipped" -gt 0 ] && echo "skipped: $skipped"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
