#!/bin/bash
# compile.sh — what the JIT costs to compile each program of a folder, per KB of
# source, in instructions (callgrind counts them exactly, whatever the machine's
# load): bf_jit_compile for the whole program (--jit) plus the checked versions
# the run compiled (bf_jit_compile_checked). With BASE=OTHER_BFJIT, that build's
# count too, and the ratio; a build older than lazily compiled checked versions
# has no second function, and is measured the same way.
# Usage: bench/compile.sh BFJIT DIR [NAME...]   (DIR holds NAME.b, NAME.in, LIST)
# Each program runs once under valgrind, so a long one takes a minute.
set -u
. "$(dirname "$0")/progs.sh"
bfjit=$1 dir=$2
shift 2
progs_names "$dir" "$@"

# count BIN NAME BITS: the instructions spent compiling
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect=bf_jit_compile --toggle-collect=bf_jit_compile_checked \
    "$1" --jit --cell-bits="$3" "$dir/$2.b" <"$(progs_in "$dir" "$2")" 2>&1 >/dev/null |
    sed -n 's/.*refs: *//p' | tr -d ,
}

printf '%-12s %8s %14s %12s' program KB instructions per-KB
[ -n "${BASE:-}" ] && printf ' %14s %8s' base ratio
echo
for n in "${names[@]}"; do
  bits=$(progs_bits "$dir" "$n")
  kb=$(awk -v s="$(stat -c %s "$dir/$n.b")" 'BEGIN { printf "%.1f", s / 1024 }')
  c=$(count "$bfjit" "$n" "$bits")
  printf '%-12s %8s %14s %12.0f' "$n" "$kb" "$c" "$(awk -v c="$c" -v k="$kb" 'BEGIN { print c / k }')"
  if [ -n "${BASE:-}" ]; then
    b=$(count "$BASE" "$n" "$bits")
    printf ' %14s %8.3f' "$b" "$(awk -v c="$c" -v b="$b" 'BEGIN { print c / b }')"
  fi
  echo
done
