#!/bin/bash
# test_symbols.sh — the library exports the public API and nothing else. The API is
# read from include/bfjit.h itself (every bfjit_* function it declares, found in the
# preprocessed header, so no hand-kept list can rot): libbfjit.so's dynamic symbols
# must be exactly those, each marked BFJIT_API in the header, and the header may
# define no macro without the BFJIT_ prefix. Neither the library nor the command
# needs Capstone at load time.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
build=${BFJIT_BUILD:-build}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
header=$src/include/bfjit.h

# -- The API, as the header declares it ---------------------------------------
# The preprocessed header, its own lines only (line markers tell whose a line
# is): comments are gone, so every 'bfjit_NAME (' left is a declared function.
echo '#include "bfjit.h"' >"$tmp/h.c"
if ! $cc -E -I"$src/include" "$tmp/h.c" >"$tmp/h.i" 2>"$tmp/cc.err"; then
  t_fail "the header preprocesses" "$(head -n2 "$tmp/cc.err" | tr '\n' ' ')"
  t_done; exit
fi
awk '/^# [0-9]+ "/ { mine = ($3 ~ /bfjit\.h"$/); next } mine' "$tmp/h.i" |
  tr '\n' ' ' | grep -oE '\bbfjit_[a-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:]]*($//' |
  sort -u >"$tmp/api"
n=$(wc -l <"$tmp/api")
if [ "$n" -lt 10 ] || ! grep -qx bfjit_compile "$tmp/api"; then
  t_fail "the header declares the API" "found $n functions: $(echo $(cat "$tmp/api"))"
  t_done; exit
fi
t_ok "the header declares the API ($n functions)"

# Each declaration starts with BFJIT_API, the mark that exports it.
unmarked=
while read -r f; do
  grep -qE "^BFJIT_API [^(]*\b$f\(" "$header" || unmarked="$unmarked $f"
done <"$tmp/api"
if [ -n "$unmarked" ]; then t_fail "every API function is marked BFJIT_API" "unmarked:$unmarked"
else t_ok "every API function is marked BFJIT_API"; fi

# -- What libbfjit.so exports ---------------------------------------------------
so=$build/libbfjit.so
if [ ! -f "$so" ]; then
  t_fail "libbfjit.so exports only the API" "$so not built"
else
  # Defined dynamic symbols, versions stripped ('name@@VER').
  nm -D --defined-only "$so" | awk '{ print $NF }' | sed 's/@.*//' | sort -u >"$tmp/exported"
  extra=$(comm -23 "$tmp/exported" "$tmp/api")
  missing=$(comm -13 "$tmp/exported" "$tmp/api")
  if [ ! -s "$tmp/exported" ]; then
    t_fail "libbfjit.so exports only the API" "nm -D lists no symbol in $so"
  elif [ -n "$extra" ]; then
    t_fail "libbfjit.so exports only the API" \
      "$(echo "$extra" | wc -l) symbols the header does not declare: $(echo $extra | cut -c1-300)"
  else
    t_ok "libbfjit.so exports only the API"
  fi
  if [ -n "$missing" ]; then t_fail "libbfjit.so exports all of the API" "missing: $(echo $missing)"
  else t_ok "libbfjit.so exports all of the API"; fi
fi

# Capstone is loaded by bfjit_dump_code when called, never at start-up: neither the
# library nor the command may need it (it cost every run 3 MB and half a millisecond).
for f in "$so" "$build/bfjit"; do
  needed=$(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  if [ ! -f "$f" ]; then t_fail "$(basename "$f") does not need capstone" "$f not built"
  elif [[ $needed == *capstone* ]]; then
    t_fail "$(basename "$f") does not need capstone" "it needs: $needed"
  else t_ok "$(basename "$f") does not need capstone"; fi
done

# -- Macros: only BFJIT_ names ----------------------------------------------------
# What the header defines beyond the system headers it includes.
printf '#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n' >"$tmp/sys.c"
if $cc -dM -E -I"$src/include" "$tmp/h.c" | awk '{ print $2 }' | sed 's/(.*//' | sort -u >"$tmp/m1" &&
   $cc -dM -E "$tmp/sys.c" | awk '{ print $2 }' | sed 's/(.*//' | sort -u >"$tmp/m0"; then
  leaked=$(comm -23 "$tmp/m1" "$tmp/m0" | grep -v '^BFJIT_')
  if [ -n "$leaked" ]; then t_fail "the header defines only BFJIT_ macros" "it defines: $(echo $leaked)"
  else t_ok "the header defines only BFJIT_ macros"; fi
else
  t_fail "the header defines only BFJIT_ macros" "$cc -dM -E failed"
fi
t_done
