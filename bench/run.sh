#!/bin/sh
# run.sh — times each bench program in every configuration and prints the table.
# Usage: bench/run.sh BFJIT DIR NAME...  (DIR holds NAME.b, NAME.gcc, NAME.ctime,
# NAME.aot, NAME.atime;
# expected outputs are bench/NAME.out). Env: BENCH_RUNS (5), BENCH_RUNS_O0 (1),
# BENCH_O0 (names whose -O0 runs the reduced DIR/NAME-o0.b instead).
# Every run's output is compared with the expected one: a mismatch fails the
# whole run. There are no timing assertions.
set -eu

bfjit=$1; dir=$2; shift 2
runs=${BENCH_RUNS:-5}
runs0=${BENCH_RUNS_O0:-1}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }

# median SECONDS...: the middle value (the lower middle of an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'
}

# timeit NAME RUNS CMD...: prints the median wall time of RUNS runs of CMD,
# each checked against bench/NAME.out.
timeit() {
  name=$1; n=$2; shift 2
  times=""
  i=0
  while [ "$i" -lt "$n" ]; do
    t0=$(now)
    "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || {
      echo "bench: $name: '$*' failed (exit $?):" >&2; cat "$tmp/err" >&2; exit 1; }
    t1=$(now)
    if ! cmp -s "$tmp/out" "$here/$name.out"; then
      echo "bench: $name: WRONG OUTPUT from '$*'" >&2
      diff "$here/$name.out" "$tmp/out" | head -5 >&2
      exit 1
    fi
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')"
    i=$((i + 1))
  done
  median $times
}

# works MODE: whether bfjit runs a tiny program in that mode.
works() { "$bfjit" "$1" -e '+[-]' </dev/null >/dev/null 2>&1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1fx", a / b }'; }

jit=-; tiered=-
works --jit && jit=yes
works --tiered && tiered=yes
echo "bench: median wall seconds of $runs runs (interp -O0: $runs0 run(s), it is slow);"
echo "       jit and tiered include compiling; gcc-O2 is 'bfjit --emit-c' compiled by"
echo "       gcc -O2 (as safe as bfjit), aot the 'bfjit -c' executable; their build"
echo "       times apart. Every run's output is checked against bench/NAME.out."
[ "$jit" = - ] && echo "       (no jit column: '$bfjit --jit' does not run yet)"
[ "$tiered" = - ] && echo "       (no tiered column: '$bfjit --tiered' does not run yet)"
echo
fmt='%-8s %10s %10s %8s %8s %8s %9s %8s %9s  %8s %8s %8s\n'
printf "$fmt" program "interp-O0" "interp-O2" jit tiered "gcc-O2" "gcc-build" aot "aot-build" \
  "O0/O2" "O2/jit" "jit/gcc"
for name in "$@"; do
  b=$dir/$name.b
  o2=$(timeit "$name" "$runs" "$bfjit" --interp -O2 "$b")
  # Where -O0 is too slow for the full size, both levels run the reduced one
  # for the ratio, and the -O0 time is starred.
  if case " ${BENCH_O0:-} " in *" $name "*) true ;; *) false ;; esac; then
    o0=$(timeit "$name-o0" "$runs0" "$bfjit" --interp -O0 "$dir/$name-o0.b")
    o2r=$(timeit "$name-o0" "$runs" "$bfjit" --interp -O2 "$dir/$name-o0.b")
    o0r=$(ratio "$o0" "$o2r"); o0="$o0*"
  else
    o0=$(timeit "$name" "$runs0" "$bfjit" --interp -O0 "$b")
    o0r=$(ratio "$o0" "$o2")
  fi
  j=-; t=-
  [ "$jit" = - ] || j=$(timeit "$name" "$runs" "$bfjit" --jit "$b")
  [ "$tiered" = - ] || t=$(timeit "$name" "$runs" "$bfjit" --tiered "$b")
  g=$(timeit "$name" "$runs" "$dir/$name.gcc")
  c=$(cat "$dir/$name.ctime")
  a=$(timeit "$name" "$runs" "$dir/$name.aot")
  ac=$(cat "$dir/$name.atime")
  printf "$fmt" "$name" "$o0" "$o2" "$j" "$t" "$g" "$c" "$a" "$ac" \
    "$o0r" "$(ratio "$o2" "$j")" "$(ratio "$j" "$g")"
done
echo
echo "* interp -O0 ran a reduced size (NAME-o0 in $dir); O0/O2 compares both levels on it."
echo "  jit/gcc: the JIT's whole run (compiling included) over the gcc binary's run."
