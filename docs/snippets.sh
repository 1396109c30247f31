#!/bin/bash
# snippets.sh [NAME...] — print the docs' generated snippets, each as "$ COMMAND" and
# what it printed, run from the repository root with build/ first in PATH.
# snippets.sh --fill FILE... rewrites the ```text block under each
# "<!-- snippet: NAME -->" line of FILE with it; tests/test_docs.sh fills copies
# and compares (addresses and timings aside). No argument: list the names.
set -u
self=$(realpath "$0") orig=$PWD
cd "$(dirname "$self")/.." || exit 1
b=${BFJIT_BUILD:-build}
export PATH="$(cd "$b" && pwd):$PATH"

LOOP="'++[->+++<]>.'"                  # the small loop every chapter follows
NEST="'++++++++[>++++++++[>+<-]<-]'"   # two nested loops, for the counters

# The command of each snippet, exactly as the docs show it.
cmd() {
  case $1 in
    demo)      echo "build/jit_toy 5566; echo \$?; grep -A2 'actions\\[' build/gen/jit_dynasm.c" ;;
    ir-o0)     echo "bfjit -O0 --jit --dump-code -e $LOOP | grep '^; [0-9]'" ;;
    ir-o2)     echo "bfjit -O2 --no-pass=known --jit --dump-code -e $LOOP | grep '^; [0-9]'" ;;
    ir-known)  echo "bfjit --dump-ir -e $LOOP" ;;
    ir-sink)   echo "bfjit --dump-ir -e ',>,[>[-<+>]>]<.'" ;;
    opt-o1)    echo "bfjit -O1 --jit --dump-code -e $LOOP | grep '^; [0-9]'" ;;
    ir-nested) echo "bfjit --dump-ir -e ',[>[-]+++[->++<]<-]>>.'" ;;
    ir-peel)   echo "bfjit --dump-ir -e ',[->+>>+++[->+<]>[-]<<<<]>.'" ;;
    interp)    echo "bfjit -O1 --interp --profile -e $NEST" ;;
    jit)       echo "bfjit --no-pass=known --jit --dump-code -e $LOOP" ;;
    jit-pin)   echo "bfjit --jit --dump-code -e ',[>+[>+>+<<-]>>[<<+>>-]<[>>++[->+<]<<-]<<-]>>>>>.' | sed -n '1,/OUT/{/LOOP/,/OUT/p}' | sed '\$d'" ;;
    jit-drift) echo "bfjit --jit --dump-code -e ',[>[-<<+>>]<<<]' | awk '/LOOP/,/jne/'" ;;
    jit-carry) echo "bfjit --jit --dump-code -e ',[>[-<+++>]<<]' | awk '/LOOP/,/jne/'" ;;
    tier)      echo "bfjit -O1 --hot=5 --stats --profile -e $NEST" ;;
    eval)      echo "echo hi | bfjit --eof=0 --stats -e '++++++++++[>++++++<--]>+++.,[.,]'" ;;
    cache)     echo "d=\$(mktemp -d); for run in 1 2; do bfjit -O1 --hot=5 --cache=\$d --stats -e $NEST; done" ;;
    aot)       echo "bfjit --no-pass=eval --no-pass=known --emit-c -e $LOOP | sed -n '/^static void run(.*)$/,/^}/p'" ;;
    aot-eval)  echo "bfjit --emit-c -e $LOOP | sed -n '/^static const unsigned char evaluated/,\$p'" ;;
    arm64)     echo "grep -A6 'actions\\[' build/arm64/gen/jit_dynasm.c" ;;
    *) return 1 ;;
  esac
}
NAMES="demo ir-o0 opt-o1 ir-o2 ir-nested ir-peel ir-known interp jit jit-pin jit-drift jit-carry tier eval cache aot aot-eval arm64"

if [ $# -eq 0 ]; then echo "$NAMES"; exit 0; fi

# fill FILE: the block after each marker becomes the snippet's output, fresh.
fill() {
  local f=$1 tmp=$1.tmp line name skip=0
  while IFS= read -r line || [ -n "$line" ]; do
    if [ $skip = 1 ]; then [ "$line" = '```' ] && skip=0; continue; fi
    printf '%s\n' "$line"
    if [[ $line =~ ^'<!-- snippet: '([a-z0-9-]+)' -->'$ ]]; then
      name=${BASH_REMATCH[1]}
      IFS= read -r line; [ "$line" = '```text' ] || { echo "snippets: $f: no \`\`\`text after $name" >&2; return 1; }
      # One run per name, so both languages show the very same output.
      [ -n "${done_[$name]+x}" ] || done_[$name]=$("$self" "$name") || return 1
      echo '```text'; printf '%s\n' "${done_[$name]}"; echo '```'; skip=1
    fi
  done <"$f" >"$tmp" && mv "$tmp" "$f"
}
declare -A done_
if [ "$1" = --fill ]; then
  shift
  for f in "$@"; do fill "$(cd "$orig" && realpath "$f")" || exit 1; done
  exit 0
fi
for n in "$@"; do
  c=$(cmd "$n") || { echo "snippets: no snippet '$n' (have: $NAMES)" >&2; exit 2; }
  echo "\$ $c"
  bash -c "$c" 2>&1
done
