#!/bin/bash
# ladder.sh BFJIT BUILD PROG [SMALL] — `make ladder`: run PROG through every rung of
# bfjit (interpreter -O0 and -O2, whole-program JIT, tiered, tiered with a warm
# profile cache, native executable) and print one table measured here and now.
# SMALL, when given, stands in for PROG at -O0 (too slow at full size); the -O2
# interpreter runs it too, so that one speed-up compares like with like.
set -u

bfjit=$1 build=$2 prog=$3 small=${4:-}
runs=${LADDER_RUNS:-3}     # each rung runs this many times; the fastest counts
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0

now() { date +%s%N; }
ms() { [ "$1" = - ] && echo - || awk -v n="$1" 'BEGIN { printf "%.2f", n / 1e6 }'; }   # ns -> ms

# Results of the last measure: compile, run and wall time (ns), output file.
c_ns=0 r_ns=0 w_ns=0 out=

# measure NAME PROGRAM BFJIT-OPTION...: run bfjit with --stats, fastest of $runs.
# Compile time is the parser's plus the JIT's; run time the interpreter's plus
# native code's plus compile-time evaluation's (it runs the program), all from
# --stats; wall time is the whole process.
measure() {
  local name=$1 p=$2; shift 2
  local i t0 t1 best=
  out="$tmp/$name.out"
  for ((i = 0; i < runs; i++)); do
    t0=$(now)
    "$bfjit" --stats "$@" "$p" >"$out" 2>"$tmp/$name.stats" </dev/null || {
      echo "ladder: $name: bfjit failed: $(head -n1 "$tmp/$name.stats")" >&2; status=1; }
    t1=$(now)
    if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then
      best=$((t1 - t0))
      cp "$tmp/$name.stats" "$tmp/$name.best"
    fi
  done
  w_ns=$best
  read -r c_ns r_ns < <(awk '/ stats: / { for (i = 1; i <= NF; i++) v[$i] = $(i + 1) }
      /^  eval: stopped/ { e = $(NF - 1) }
      END { printf "%.0f %.0f\n", (v["parse"] + v["compile"]) * 1e9,
                   (v["interpret"] + v["native"] + e) * 1e9 }' \
    "$tmp/$name.best")
}

# same NAME REFERENCE: the rung's output must be the reference's, byte for byte.
same() {
  if ! cmp -s "$out" "$2"; then
    echo "ladder: $1: output differs from the -O2 interpreter's" >&2
    status=1
  fi
}

rows=()
# row MODE PROGRAM COMPILE_NS RUN_NS WALL_NS SPEEDUP (a time may be '-')
row() { rows+=("$(printf '%-30s %-14s %10s %10s %10s %8s' "$1" "$2" "$(ms "$3")" "$(ms "$4")" "$(ms "$5")" "$6")"); }
# speedup SLOWER_NS FASTER_NS: "12.3x".
speedup() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

name=$(basename "$prog" .b)

# -- Rung 0: the tutorial's demos, for scale (they return a number, nothing more).
for demo in jit_toy jit_dynasm; do
  best=
  for ((i = 0; i < runs; i++)); do
    t0=$(now); "$build/$demo" 42; rc=$?; t1=$(now)
    [ $rc -eq 42 ] || { echo "ladder: $demo 42 exited $rc" >&2; status=1; }
    { [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; } && best=$((t1 - t0))
  done
  row "$demo (tutorial demo)" "'return 42'" - "$best" "$best" -
done

# -- Rung 1: the interpreter without optimization, on SMALL if given.
small_name=$name
if [ -n "$small" ]; then
  small_name="$(basename "$small" .b)*"
  measure o2small "$small" --interp -O2; ref_small=$out; o2small_run=$r_ns
fi
measure o0 "${small:-$prog}" --interp -O0
o0_run=$r_ns
row "interpreter -O0" "$small_name" "$c_ns" "$r_ns" "$w_ns" "-"

# -- Rung 2: the optimized interpreter, the reference for every rung above it.
measure o2 "$prog" --interp -O2
ref=$tmp/reference.out; cp "$out" "$ref"
if [ -n "$small" ]; then
  o0_ref=$ref_small up=$(speedup "$o0_run" "$o2small_run")
else
  o0_ref=$ref up=$(speedup "$o0_run" "$r_ns")
fi
cmp -s "$tmp/o0.out" "$o0_ref" || { echo "ladder: -O0 output differs from -O2's" >&2; status=1; }
row "interpreter -O2" "$name" "$c_ns" "$r_ns" "$w_ns" "$up"
below=$r_ns

# climb NAME MODE-LABEL BFJIT-OPTION...: one engine rung above the last.
climb() {
  local n=$1 label=$2; shift 2
  measure "$n" "$prog" "$@"
  same "$label" "$ref"
  row "$label" "$name" "$c_ns" "$r_ns" "$w_ns" "$(speedup "$below" "$r_ns")"
  below=$r_ns
}

# -- Rungs 3-5: whole-program JIT, tiered, tiered with the profile cache warm.
climb jit "JIT, whole program (--jit)" --jit
climb tiered "tiered (default)" --tiered
mkdir -p "$tmp/cache"
"$bfjit" --cache="$tmp/cache" "$prog" >/dev/null 2>&1 </dev/null   # fills the cache
climb cached "tiered, 2nd run (--cache)" --cache="$tmp/cache"
grep -q 'cache: hit' "$tmp/cached.best" ||
  { echo "ladder: the second --cache run was not a cache hit" >&2; status=1; }

# -- Rung 6: ahead of time, through C: build time is the compile time.
t0=$(now)
if "$bfjit" -c "$prog" -o "$tmp/aot" 2>"$tmp/aot.err"; then
  t1=$(now); build_ns=$((t1 - t0)); best=
  for ((i = 0; i < runs; i++)); do
    t0=$(now); "$tmp/aot" >"$tmp/aot.out" </dev/null; t1=$(now)
    { [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; } && best=$((t1 - t0))
  done
  out=$tmp/aot.out; same "AOT" "$ref"
  row "native executable (-c)" "$name" "$build_ns" "$best" "$best" "$(speedup "$below" "$best")"
else
  echo "ladder: bfjit -c failed: $(head -n1 "$tmp/aot.err")" >&2; status=1
fi

# -- The table.
echo "bfjit ladder: $prog ($(wc -c <"$prog") bytes), fastest of $runs runs, $(uname -m), $(date -u +%Y-%m-%d)"
printf '%-30s %-14s %10s %10s %10s %8s\n' mode program "compile ms" "run ms" "wall ms" speed-up
printf '%s\n' "${rows[@]}"
echo "compile: parse + JIT compile from --stats (the C build for -c); run: interpreter + native"
echo "code from --stats (the executable's wall time for -c); speed-up: the run time of the"
echo "row above over this row's. Every rung's output is checked against the -O2 interpreter's."
if [ -n "$small" ]; then
  echo "* -O0 runs $small instead (too slow at full size); the -O2 speed-up"
  echo "  compares both interpreters on that program."
fi
exit $status
