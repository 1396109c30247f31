#!/bin/sh
# cache.sh — the persistent profile in `make bench`: a first run that profiles
# against a second run that starts from the cache (--cache), per program, plus
# what --stats says each spent interpreting and compiling.
# Usage: bench/cache.sh BFJIT TTFO DIR PROG... (DIR/PROG.b, expected output in
# bench/PROG.out or DIR/PROG.out). Env: BENCH_RUNS (3). No timing assertions.
set -eu

bfjit=$1; ttfo=$2; dir=$3; shift 3
runs=${BENCH_RUNS:-3}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run with the cache in $tmp/c: prints "END INTERP COMPILE" (seconds),
# checking the output against $2.
one() {
  "$ttfo" "$tmp/out" "$bfjit" --cache="$tmp/c" --stats "$1" 2>"$tmp/err" >"$tmp/t" || {
    echo "bench: '$bfjit --cache $1' failed:" >&2; cat "$tmp/err" >&2; exit 1; }
  cmp -s "$tmp/out" "$2" || { echo "bench: WRONG OUTPUT from '$1'" >&2; exit 1; }
  end=$(awk '{ print $2 }' "$tmp/t")
  sed -n 's/.*interpret \([0-9.]*\) s, compile \([0-9.]*\) s.*/\1 \2/p' "$tmp/err" |
    awk -v e="$end" '{ printf "%s %s %s\n", e, $1, $2 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }

echo "profile cache: first run (profiles, cache empty) against second run (--cache:"
echo "hot loops compiled before the first instruction); median of $runs, seconds"
printf '%-9s %8s %8s %8s   %8s %8s %8s   %7s\n' program first interp compile second interp compile 1st/2nd
for p in "$@"; do
  expect=$here/$p.out; [ -f "$expect" ] || expect=$dir/$p.out
  : >"$tmp/1"; : >"$tmp/2"
  i=0
  while [ "$i" -lt "$runs" ]; do
    rm -rf "$tmp/c"
    one "$dir/$p.b" "$expect" >>"$tmp/1"
    one "$dir/$p.b" "$expect" >>"$tmp/2"
    i=$((i + 1))
  done
  f=$(awk '{ print $1 }' "$tmp/1" | median); fi_=$(awk '{ print $2 }' "$tmp/1" | median)
  fc=$(awk '{ print $3 }' "$tmp/1" | median)
  s=$(awk '{ print $1 }' "$tmp/2" | median); si=$(awk '{ print $2 }' "$tmp/2" | median)
  sc=$(awk '{ print $3 }' "$tmp/2" | median)
  printf '%-9s %8s %8s %8s   %8s %8s %8s   %6.2fx\n' "$p" "$f" "$fi_" "$fc" "$s" "$si" "$sc" \
    "$(echo "$f $s" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')"
done
