#!/bin/bash
# test_examples.sh — examples/embed.c builds against the installed-style API
# (include/bfjit.h and nothing else from the tree) with the static and the shared
# library and prints what it should; the README's C block is that file verbatim,
# and it compiles and runs too; the README mentions every option bfjit --help lists.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
build=${BFJIT_BUILD:-build}
bfjit=${BFJIT:-$build/bfjit}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# What the library needs at link time: pthreads, and capstone when the build found it.
libs="-lpthread $(sed -n 's/^CAPSTONE_LIBS := //p' "$build/config.mk" 2>/dev/null)"
# A sanitized library needs the sanitizer runtime in the program too.
san=
[ -n "${SANITIZE:-}" ] && san="-fsanitize=$SANITIZE"
# Strict C99, the public header only: no -Isrc, no build/gen.
cflags="-std=c99 -pedantic -Wall -Wextra -Werror -I$src/include $san"
want="the program wrote 13 bytes: Hello World!"

# build_run NAME SOURCE LINK...: compile SOURCE, run it, compare its output.
build_run() {
  local name=$1 file=$2; shift 2
  local exe="$tmp/$(basename "$file" .c)-$RANDOM"
  if ! $cc $cflags -o "$exe" "$file" "$@" $libs 2>"$tmp/cc.err"; then
    t_fail "$name" "compile failed: $(head -n3 "$tmp/cc.err" | tr '\n' ' ')"
    return
  fi
  local out rc
  out=$("$exe" 2>"$tmp/run.err"); rc=$?
  if [ $rc -ne 0 ]; then
    t_fail "$name" "exit status $rc: $(head -n1 "$tmp/run.err")"
  elif [ "$out" != "$want" ]; then
    t_fail "$name" "output '$out', expected '$want'"
  else
    t_ok "$name"
  fi
}

if [ -f "$build/libbfjit.a" ]; then
  build_run "embed.c with libbfjit.a" "$src/examples/embed.c" "$build/libbfjit.a"
else
  t_fail "embed.c with libbfjit.a" "$build/libbfjit.a not built"
fi
if [ -f "$build/libbfjit.so" ]; then
  build_run "embed.c with libbfjit.so" "$src/examples/embed.c" \
    -L"$build" -lbfjit -Wl,-rpath,"$(cd "$build" && pwd)"
else
  t_fail "embed.c with libbfjit.so" "$build/libbfjit.so not built"
fi

# The README's example: the ```c block right after the marker line.
readme="$src/README.md"
awk '/^<!-- examples\/embed\.c -->$/ { m = 1; next }
     m == 1 && /^```c$/ { m = 2; next }
     m == 2 && /^```$/ { exit }
     m == 2 { print }' "$readme" >"$tmp/readme_example.c"
if [ ! -s "$tmp/readme_example.c" ]; then
  t_fail "README example is examples/embed.c" \
    "no '<!-- examples/embed.c -->' marker followed by a \`\`\`c block in README.md"
elif ! diff -u "$src/examples/embed.c" "$tmp/readme_example.c" >"$tmp/diff"; then
  t_fail "README example is examples/embed.c" "they differ: $(sed -n 3,8p "$tmp/diff" | tr '\n' ' ')"
else
  t_ok "README example is examples/embed.c"
fi
if [ -s "$tmp/readme_example.c" ]; then
  build_run "README example compiles and runs" "$tmp/readme_example.c" "$build/libbfjit.a"
fi

# Every option --help lists is documented in the README, in code: `--hot=N`, `-O2`.
if help=$("$bfjit" --help 2>&1); then
  missing=
  for o in $(printf '%s\n' "$help" | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' |
             sed 's/^[ ,]*//' | sort -u); do
    grep -qE -- "\`$o([^A-Za-z0-9-]|\$)" "$readme" || missing="$missing $o"
  done
  if [ -n "$missing" ]; then
    t_fail "README documents every option" \
      "bfjit --help lists options README.md does not show in \`code\`:$missing"
  else
    t_ok "README documents every option"
  fi
else
  t_fail "README documents every option" "$bfjit --help failed"
fi
t_done
