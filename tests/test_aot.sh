#!/bin/bash
# test_aot.sh — native executables (bfjit -c) agree byte for byte with the
# interpreter on the whole golden corpus: stdout, exit status and the stderr
# line, for every program with its .args (cell width, EOF, tape and step
# limits compiled in), translated whole (--no-pass=eval) and, where
# compile-time evaluation runs a program to its end, as its output. Also: the
# emitted C is warning-free at -O2, programs cut into many C functions err
# alike, and -c fails clearly without a compiler.
# Env: BFJIT, BFJIT_SRC (make test sets them).
set -u
. "${BFJIT_SRC:-.}/mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
progs=${BFJIT_SRC:-.}/tests/progs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -O0: the same semantics at a fraction of gcc -O2's time on ~130 programs;
# the -O2 build is covered below and by `make bench`.
export BFJIT_CFLAGS="${AOT_CFLAGS:--O0}"

# args NAME: the program's .args words, if any.
args() { [ -f "$progs/$1.args" ] && head -n1 "$progs/$1.args" || true; }
# input NAME: its .in, or /dev/null.
input() { if [ -f "$progs/$1.in" ]; then echo "$progs/$1.in"; else echo /dev/null; fi; }

# 1. Build every program, two compilers at once, translated whole (without
# compile-time evaluation, which would make many of them their output). A
# build that fails is recorded (status and stderr) and must match the
# interpreter's failure (parse errors fail at build time, as before a run).
# Then the programs evaluation runs to their end: their C is their output.
names=$(cd "$progs" && ls *.b | sed 's/\.b$//')
printf '%s\n' $names | xargs -P 2 -I{} sh -c '
  "$0" $(head -n1 "$1/{}.args" 2>/dev/null) --no-pass=eval -c "$1/{}.b" -o "$2/{}.exe" \
    >"$2/{}.build.out" 2>"$2/{}.build.err"
  echo $? >"$2/{}.build.rc"' "$bfjit" "$progs" "$tmp"
evaluated=
for n in $names; do
  # shellcheck disable=SC2046
  if "$bfjit" $(args "$n") --emit-c "$progs/$n.b" 2>/dev/null |
     grep -q '^/\* -- The program, evaluated by bfjit'; then
    evaluated="$evaluated $n"
  fi
done
printf '%s\n' $evaluated | xargs -P 2 -I{} sh -c '
  "$0" $(head -n1 "$1/{}.args" 2>/dev/null) -c "$1/{}.b" -o "$2/{}.eval.exe" \
    >"$2/{}.eval.build.out" 2>"$2/{}.eval.build.err"
  echo $? >"$2/{}.eval.build.rc"' "$bfjit" "$progs" "$tmp"

# 2. Run each and compare with the interpreter: NAME translated, NAME.eval
# evaluated.
for k in $names $(printf '%s.eval ' $evaluated); do
  n=${k%.eval}
  label="aot $n"
  [ "$k" = "$n" ] || label="aot $n (evaluated)"
  in=$(input "$n")
  # shellcheck disable=SC2046
  "$bfjit" --interp $(args "$n") "$progs/$n.b" <"$in" >"$tmp/want.out" 2>"$tmp/want.err"
  want=$?
  if [ "$(cat "$tmp/$k.build.rc")" != 0 ]; then
    got=$(cat "$tmp/$k.build.rc")
    cp "$tmp/$k.build.out" "$tmp/got.out"; cp "$tmp/$k.build.err" "$tmp/got.err"
  else
    timeout 20 "$tmp/$k.exe" <"$in" >"$tmp/got.out" 2>"$tmp/got.err"
    got=$?
  fi
  if [ "$got" != "$want" ]; then
    t_fail "$label" "exit status $got, interpreter $want: $(head -c 300 "$tmp/got.err")"
  elif ! cmp -s "$tmp/want.out" "$tmp/got.out"; then
    t_fail "$label" "stdout differs: $(cmp "$tmp/want.out" "$tmp/got.out" 2>&1 | head -1)"
  elif ! cmp -s "$tmp/want.err" "$tmp/got.err"; then
    t_fail "$label" "stderr '$(head -c 200 "$tmp/got.err")', interpreter '$(head -c 200 "$tmp/want.err")'"
  else
    t_ok "$label"
  fi
done
# Evaluation must have made some programs their output, and not the ones
# that read, err or run past its budget.
case " $evaluated " in
  *" hello_loops "*) t_ok "aot: evaluated programs become their output" ;;
  *) t_fail "aot: evaluated programs become their output" "hello_loops was not evaluated:$evaluated" ;;
esac
case " $evaluated " in
  *" cat_keep "*|*" err_after_output "*|*" eval_past_budget "*)
    t_fail "aot: programs that read, err or run long are translated" "evaluated:$evaluated" ;;
  *) t_ok "aot: programs that read, err or run long are translated" ;;
esac

# 3. The emitted C compiles warning-free at -O2 in every configuration,
# translated or evaluated (with output, and with none).
cc=${CC:-cc}
for a in "" "--cell-bits=16 --eof=0" "--cell-bits=32 --eof=-1 --max-steps=1000000 --tape-max=30000"; do
  for p in "--no-pass=eval|lin_16" "--no-pass=eval|scan_long" "|hello_loops" "|empty"; do
    # shellcheck disable=SC2086
    if "$bfjit" $a ${p%|*} --emit-c "$progs/${p#*|}.b" >"$tmp/w.c" &&
       $cc -O2 -Wall -Wextra -Werror -c -o "$tmp/w.o" "$tmp/w.c" 2>"$tmp/w.err"; then
      t_ok "emit-c -O2 -Wall -Wextra clean [$a $p]"
    else
      t_fail "emit-c -O2 -Wall -Wextra clean [$a $p]" "$(head -c 400 "$tmp/w.err")"
    fi
  done
done

# 4. Loops whose END always finds c(0) zero run at most once: the C has an 'if'
# for each (no loop left in this program), and their ENDs no test or jump.
n_if=$("$bfjit" --no-pass=eval --emit-c "$progs/ok_once_loops.b" | grep -c 'runs at most once')
n_while=$("$bfjit" --no-pass=eval --emit-c "$progs/ok_once_loops.b" | grep -c '^ *while (t\[p\]) {  /\* LOOP')
if [ "$n_if" -ge 6 ] && [ "$n_while" = 0 ]; then
  t_ok "emit-c: loops that run at most once are ifs"
else
  t_fail "emit-c: loops that run at most once are ifs" "$n_if ifs, $n_while whiles"
fi
if "$bfjit" --jit --dump-code "$progs/ok_once_loops.b" >"$tmp/d" 2>&1; then
  # An END listing without a jump: a write-back before the next label at most.
  ends=$(awk '/^; the region/ { exit } /^; / { if (end) n++; end = / END / }
              /^    [0-9a-f]+  j/ { end = 0 } END { print n + 0 }' "$tmp/d")
  if [ "$ends" -ge 6 ]; then
    t_ok "jit: loops that run at most once have no back edge"
  else
    t_fail "jit: loops that run at most once have no back edge" "$ends ENDs without code"
  fi
else
  t_fail "jit: loops that run at most once have no back edge" "$(head -c 300 "$tmp/d")"
fi

# 4b. An IF whose body is a no-op on a zero cell (a move of the cell: MULs and its
# clear) is a plain block in the fast version of the C, and keeps its 'if' in the
# checked one (test_jit_code.sh reads the JIT's code for the same).
flat='>,<,[->+>+++<<]>.>.'
n_flat=$("$bfjit" --no-pass=eval --emit-c -e "$flat" | grep -c 'flat: a no-op on a zero cell')
n_ifs=$("$bfjit" --no-pass=eval --emit-c -e "$flat" | grep -c '^ *if (t\[p\]) {')
if [ "$n_flat" = 1 ] && [ "$n_ifs" = 1 ]; then
  t_ok "emit-c: a flat IF is a plain block in the fast version"
else
  t_fail "emit-c: a flat IF is a plain block in the fast version" "$n_flat flat, $n_ifs ifs"
fi
for input in '' 'x' 'xy' ; do
  want=$(printf '%s' "$input" | "$bfjit" --interp -O0 -e "$flat" | od -An -tx1)
  got=$(printf '%s' "$input" | "$bfjit" --no-pass=eval --jit -e "$flat" | od -An -tx1)
  if [ "$want" = "$got" ]; then
    t_ok "jit: a flat IF computes what -O0 does [input '$input']"
  else
    t_fail "jit: a flat IF computes what -O0 does [input '$input']" "want $want, got $got"
  fi
done

# 4c. A drifting loop checks its whole range once, then loops in C with one
# compare per back edge, toward the side it moves (bf_plan.side): down, up,
# and up with a versioned body. No range check inside those inner loops.
drift=',[>[<<<<+>>>>-]<<<]>>>>,[->>]<,[[->+>+<<]>>>]'
"$bfjit" --no-pass=eval --emit-c -e "$drift" >"$tmp/drift.c"
sides=$(awk '/^static void run\(/ { run = 1 }
             run && /^ *for \(;;\) \{$/ { ind = index($0, "f"); n++ }
             ind && /IN_RANGE|CHECK\(/ { bad++ }
             ind && /ABOVE\(-3\)/ { a++ } ind && /BELOW\(6\)/ { b++ }
             ind && index($0, "}") == ind && $0 ~ /^ *\}$/ { ind = 0 }
             END { print n + 0, bad + 0, a + 0, b + 0 }' "$tmp/drift.c")
if [ "$sides" = "3 0 1 2" ]; then
  t_ok "emit-c: drifting loops check one side per back edge"
else
  t_fail "emit-c: drifting loops check one side per back edge" "loops, full checks, ABOVE, BELOW: $sides"
fi

# 5. Programs bigger than one C function (FN_OPS ops in bf_emit_c.c): the C
# comes in functions, and a tape error or the step limit deep in one of them
# is reported as the interpreter does. Each loop body below is 4,200 ops or
# more: the first drifts left off the tape, the second right (and then hits
# a step limit first), the last (balanced, with inner loops) ends well.
body() { printf "%${1}s" | sed "s/ /$2/g"; }
big_l="+>+[<+>$(body 4200 '+>')$(body 4201 '<')]"
big_r="+[$(body 4200 '[-]+>')$(body 4199 '<')]"
big_bal="++++[$(body 3000 '>+')$(body 3000 '<')$(body 1500 '>[-]')$(body 1500 '<')-]$(body 800 '>.')"
for c in "big_l|" "big_r|--tape-max=30000" "big_r|--max-steps=100" "big_bal|"; do
  n=${c%|*} a=${c#*|}
  printf '%s\n' "${!n}" >"$tmp/$n.b"
  label="aot: split into functions [$n $a]"
  # shellcheck disable=SC2086
  "$bfjit" $a --no-pass=eval --emit-c "$tmp/$n.b" >"$tmp/$n.c" 2>/dev/null
  nfn=$(grep -c '^static uintptr_t __attribute__((noinline)) ' "$tmp/$n.c")
  # shellcheck disable=SC2086
  "$bfjit" --interp $a "$tmp/$n.b" </dev/null >"$tmp/want.out" 2>"$tmp/want.err"; want=$?
  # shellcheck disable=SC2086
  "$bfjit" $a --no-pass=eval -c "$tmp/$n.b" -o "$tmp/$n.exe" 2>"$tmp/got.err" &&
    timeout 20 "$tmp/$n.exe" </dev/null >"$tmp/got.out" 2>"$tmp/got.err"
  got=$?
  if [ "$nfn" -lt 2 ]; then
    t_fail "$label" "$nfn functions: not split"
  elif [ "$got" != "$want" ] || ! cmp -s "$tmp/want.out" "$tmp/got.out" ||
       ! cmp -s "$tmp/want.err" "$tmp/got.err"; then
    t_fail "$label" "exit $got, interpreter $want: '$(head -c 200 "$tmp/got.err")', interpreter '$(head -c 200 "$tmp/want.err")'"
  else
    t_ok "$label"
  fi
done

# 6. No compiler: a clear message and exit 7; a failing one: exit 7 too.
CC=/nonexistent/cc "$bfjit" -c -e '+.' -o "$tmp/x" 2>"$tmp/e"; rc=$?
if [ $rc = 7 ] && grep -q "cannot run the C compiler '/nonexistent/cc'" "$tmp/e"; then
  t_ok "aot missing compiler"
else
  t_fail "aot missing compiler" "exit $rc: $(cat "$tmp/e")"
fi
CC=false "$bfjit" -c -e '+.' -o "$tmp/x" 2>"$tmp/e"; rc=$?
if [ $rc = 7 ] && grep -q "the C compiler 'false' failed" "$tmp/e"; then
  t_ok "aot failing compiler"
else
  t_fail "aot failing compiler" "exit $rc: $(cat "$tmp/e")"
fi
t_done
