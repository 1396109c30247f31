#!/bin/bash
# test_scans.sh — scans by short strides, which the x86-64 JIT tests a window of
# cells at a time (SSE2's 16 bytes, AVX2's 32 where the CPU has it, or 16 with
# BFJIT_NO_AVX2), stop where the interpreter stops, at both ends of the tape.
# Each program scans ever further along a lane of cells (lengths 1 to m: short
# scans take steps, long ones windows), with zero cells off the lane that the
# windows must not take for a stop, and ends with a scan that runs off the tape,
# an error at its ']'. The JIT runs must have compiled everything and left
# compiled code once, for that error: --stats says so. Evaluation is off, or
# it would run these programs before the JIT (they read nothing). The -c
# executable, whose runtime takes the same windows, must stop there too.
# Env: BFJIT (make test sets it).
set -u
. "$(dirname "$0")/../mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
T=30000  # --tape-max, cells

rep() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }

# program DIR S M: a scan by S cells, up (DIR=1) or down (DIR=-1), along a lane
# of M zero cells G = max(S, 2) apart that ends at the tape's end it moves to.
# Cell 'at' is the start; one stride behind it, a zero cell the scans back stop
# at; beside each lane cell, on the side of 'at', a tag: its number, printed at
# each stop. The other cells between lane cells are zero.
program() {
  local dir=$1 s=$2 m=$3 g=$(($2 < 2 ? 2 : $2)) at k fwd back
  if [ "$dir" = 1 ]; then
    at=$((T - 1 - m * g)) fwd='>' back='<'
  else
    at=$((m * g)) fwd='<' back='>'
  fi
  rep '>' "$at"; printf '+'
  for ((k = 1; k <= m; k++)); do  # the tags, then back to 'at'
    rep "$fwd" "$g"; printf '%s' "$back"; rep '+' "$k"; printf '%s' "$fwd"
  done
  rep "$back" $((m * g))
  for ((k = 0; k <= m; k++)); do  # out to the next zero, its tag, and back
    printf '['; rep "$fwd" "$s"; printf ']%s.%s+' "$back" "$fwd"
    rep "$back" "$s"; printf '['; rep "$back" "$s"; printf ']'; rep "$fwd" "$s"
  done
  echo
}

for bits in 8 16 32; do
  for s in 1 2 3 4 5 9; do
    for dir in 1 -1; do
      m=$((s < 9 ? 40 : 20))
      program "$dir" "$s" "$m" >"$tmp/p.b"
      name="$bits-bit, stride $((dir * s))"
      "$bfjit" --interp --cell-bits="$bits" --tape-max=$T "$tmp/p.b" >"$tmp/want" 2>"$tmp/wanterr"
      wrc=$?
      if [ "$wrc" != 1 ] || [ "$(wc -c <"$tmp/want")" -ne $m ]; then
        t_fail "scans: $name: the interpreter" "exit $wrc, $(wc -c <"$tmp/want") bytes: $(head -c 200 "$tmp/wanterr")"
        continue
      fi
      # The -c executable's runtime takes the same windows (strides 1 to 3
      # hold every kind in every width; each build takes a C compiler's run).
      if [ "$s" -gt 3 ]; then
        :
      elif "$bfjit" -c --cell-bits="$bits" --tape-max=$T -o "$tmp/exe" "$tmp/p.b" 2>"$tmp/cerr"; then
        for env in "" BFJIT_NO_AVX2=1; do
          env $env "$tmp/exe" >"$tmp/out" 2>"$tmp/err"
          rc=$?
          what="scans: $name: -c${env:+ with $env}"
          if [ "$rc" != "$wrc" ] || ! cmp -s "$tmp/out" "$tmp/want" ||
             [ "$(sed "s|$tmp/p.b|P|" "$tmp/err")" != "$(sed "s|$tmp/p.b|P|" "$tmp/wanterr")" ]; then
            t_fail "$what" "exit $rc, output $(od -An -tu1 "$tmp/out" | tr -s ' \n' ' ' | head -c 200), stderr $(head -c 300 "$tmp/err")"
          else
            t_ok "$what"
          fi
        done
      else
        t_fail "scans: $name: -c" "$(head -c 300 "$tmp/cerr")"
      fi
      for env in "" BFJIT_NO_AVX2=1; do
        env $env "$bfjit" --jit --no-pass=eval --stats --cell-bits="$bits" --tape-max=$T "$tmp/p.b" \
          >"$tmp/out" 2>"$tmp/err"
        rc=$?
        what="scans: $name: --jit${env:+ with $env}"
        if [ "$rc" != "$wrc" ] || ! cmp -s "$tmp/out" "$tmp/want" ||
           [ "$(grep -v '^bfjit: [a-z]' "$tmp/err" | head -n1)" != "$(head -n1 "$tmp/wanterr")" ]; then
          t_fail "$what" "exit $rc, output $(od -An -tu1 "$tmp/out" | tr -s ' \n' ' ' | head -c 200), stderr $(head -c 300 "$tmp/err")"
        elif ! grep -q 'regions compiled 1,.* side exits 1,.* failed compiles 0' "$tmp/err"; then
          t_fail "$what" "not all compiled: $(grep regions "$tmp/err")"
        else
          t_ok "$what"
        fi
      done
    done
  done
done
t_done
