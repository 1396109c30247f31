#!/bin/bash
# profile.sh — where each program's time goes: one run under `perf record`, with
# --perf-map so that compiled code is named by the source position of its loop
# (bf:L<line>:<col>, bf:chk:… for a checked version). Prints per program the
# --stats line on regions and side exits, the hottest symbols, and the hottest
# instructions as symbol+offset; `bfjit --jit --dump-code` lists what is there.
# Usage: bench/profile.sh BFJIT DIR [NAME...]   (DIR holds NAME.b, NAME.in, LIST)
# MODE='--jit' (default: none, tiered) adds options to the run; TOP=N (default 8)
# sets how many rows. perf must be allowed to sample (perf_event_paranoid <= 2).
set -u
. "$(dirname "$0")/progs.sh"
bfjit=$1 dir=$2
shift 2
progs_names "$dir" "$@"
command -v perf >/dev/null || { echo "profile.sh: perf is not installed" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
top=${TOP:-8}

for n in "${names[@]}"; do
  bits=$(progs_bits "$dir" "$n")
  # shellcheck disable=SC2086  # MODE is a list of options
  if ! perf record -q -o "$tmp/data" -- "$bfjit" ${MODE:-} --perf-map --stats \
       --cell-bits="$bits" "$dir/$n.b" <"$(progs_in "$dir" "$n")" >/dev/null 2>"$tmp/err"; then
    echo "== $n: the run failed: $(head -c 300 "$tmp/err")"
    continue
  fi
  echo "== $n (${bits}-bit cells${MODE:+, $MODE})"
  grep -o 'regions compiled.*' "$tmp/err" | sed 's/^/   /'
  perf report -i "$tmp/data" --stdio --sort sym -q 2>/dev/null | sed '/^$/d' | head -n "$top"
  echo "   hottest instructions (symbol+offset):"
  perf script -i "$tmp/data" -F ip,sym,symoff 2>/dev/null |
    awk '{ $1 = ""; c[$0]++; t++ } END { for (s in c) printf "%8.2f%% %s\n", 100 * c[s] / t, s }' |
    sort -rn | head -n "$top"
done
