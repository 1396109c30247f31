#!/bin/sh
# tier.sh — the tiering part of `make bench`: tiered against the interpreter and
# the whole-program JIT on (a) the loop-heavy programs and (b) big programs of
# cold code around one hot loop nest, by size, with the time to first output.
# Usage: bench/tier.sh BFJIT TTFO DIR. DIR holds the loop-heavy NAME.b (expected
# output bench/NAME.out) and big-KB.b with big-KB.out. Env: BENCH_RUNS (3),
# TIER_PROGS (mandel sieve pow2), TIER_SIZES (KB list, 512 2048 8192), and
# TIER_HOTS: a list of --hot values to sweep over all of those instead.
# Every run's output is checked; a mismatch fails the run. No timing assertions.
set -eu

bfjit=$1; ttfo=$2; dir=$3
runs=${BENCH_RUNS:-3}
progs=${TIER_PROGS:-mandel sieve pow2}
sizes=${TIER_SIZES:-512 2048 8192}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure EXPECTED CMD...: runs CMD $runs times under ttfo, checking its output
# against the file EXPECTED; prints the medians "FIRST END CPU" (seconds).
measure() {
  expect=$1; shift
  : >"$tmp/t"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$ttfo" "$tmp/out" "$@" >>"$tmp/t" 2>"$tmp/err" || {
      echo "bench: '$*' failed (exit $?):" >&2; cat "$tmp/err" >&2; exit 1; }
    if ! cmp -s "$tmp/out" "$expect"; then
      echo "bench: WRONG OUTPUT from '$*'" >&2
      diff "$expect" "$tmp/out" | head -5 >&2
      exit 1
    fi
    i=$((i + 1))
  done
  for k in 1 2 3; do
    awk -v k="$k" '{ print $k }' "$tmp/t" | sort -g |
      awk '{ v[NR] = $1 } END { printf "%.3f ", v[int((NR + 1) / 2)] }'
  done
}

col() { echo "$1" | awk -v k="$2" '{ print $k }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

if [ -n "${TIER_HOTS:-}" ]; then
  # The threshold sweep: cpu seconds of tiered at each --hot, and each
  # program's time over its best threshold, summed up as a geometric mean.
  echo "tiering: --hot sweep, median cpu seconds (user+sys) of $runs runs, tiered mode"
  printf '%-10s' program; for h in $TIER_HOTS; do printf ' %9s' "hot=$h"; done; echo
  : >"$tmp/sweep"
  for name in $progs $(for kb in $sizes; do echo "big-$kb"; done); do
    case $name in big-*) exp=$dir/$name.out ;; *) exp=$here/$name.out ;; esac
    printf '%-10s' "$name"
    line=""
    for h in $TIER_HOTS; do
      c=$(col "$(measure "$exp" "$bfjit" --tiered --hot="$h" "$dir/$name.b")" 3)
      printf ' %9s' "$c"
      line="$line $c"
    done
    echo
    echo "$line" >>"$tmp/sweep"
  done
  printf '%-10s' "geomean/best"
  awk '{ b = $1; for (i = 2; i <= NF; i++) if ($i < b) b = $i
         for (i = 1; i <= NF; i++) s[i] += log(($i + 0.001) / (b + 0.001)); n = NF }
       END { for (i = 1; i <= n; i++) printf " %9.3f", exp(s[i] / NR); print "" }' "$tmp/sweep"
  echo "(geomean/best: each program's time over its fastest threshold, geometric mean; 1 is ideal)"
  exit 0
fi

echo "tiering (a): loop-heavy programs, median of $runs runs: wall seconds (cpu seconds)"
fmt='%-8s %15s %15s %15s %12s %11s\n'
printf "$fmt" program interp jit tiered "tiered/jit" "(cpu)"
for name in $progs; do
  set --
  for m in --interp --jit --tiered; do
    set -- "$@" "$(measure "$here/$name.out" "$bfjit" "$m" "$dir/$name.b")"
  done
  printf "$fmt" "$name" \
    "$(col "$1" 2) ($(col "$1" 3))" "$(col "$2" 2) ($(col "$2" 3))" \
    "$(col "$3" 2) ($(col "$3" 3))" \
    "$(ratio "$(col "$3" 2)" "$(col "$2" 2)")x" "$(ratio "$(col "$3" 3)" "$(col "$2" 3)")x"
done
echo

echo "tiering (b): big-KB programs (bench/gen/big.c: KB of cold code around one hot"
echo "loop nest), median of $runs runs, wall seconds: first = first output byte, end = exit"
fmt='%-6s %7s %7s  %7s %7s  %7s %7s  %10s %8s\n'
printf "$fmt" "" interp "" jit "" tiered "" "jit/tiered" ""
printf "$fmt" KB first end first end first end first end
first_kb=""; last_kb=""
for kb in $sizes; do
  b=$dir/big-$kb.b
  set --
  for m in --interp --jit --tiered; do
    r=$(measure "$dir/big-$kb.out" "$bfjit" "$m" "$b")
    set -- "$@" "$(col "$r" 1)" "$(col "$r" 2)"
  done
  printf "$fmt" "$kb" "$@" "$(ratio "$3" "$5")x" "$(ratio "$4" "$6")x"
  echo "$kb $*" >>"$tmp/big"
  [ -n "$first_kb" ] || first_kb=$kb
  last_kb=$kb
done
if [ "$first_kb" != "$last_kb" ]; then
  # Growth: the slope between the smallest and the largest program.
  awk -v fmt="$fmt" 'NR == 1 { for (i = 1; i <= 7; i++) a[i] = $i }
       END { mb = ($1 - a[1]) / 1024; printf fmt, "ms/MB",
             sprintf("%.0f", ($2 - a[2]) / mb * 1000), sprintf("%.0f", ($3 - a[3]) / mb * 1000),
             sprintf("%.0f", ($4 - a[4]) / mb * 1000), sprintf("%.0f", ($5 - a[5]) / mb * 1000),
             sprintf("%.0f", ($6 - a[6]) / mb * 1000), sprintf("%.0f", ($7 - a[7]) / mb * 1000), "", "" }' \
    "$tmp/big"
  echo "(ms/MB: how each mode's time grows per megabyte of program, from ${first_kb} to ${last_kb} KB)"
fi
