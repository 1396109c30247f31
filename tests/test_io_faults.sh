#!/bin/bash
# test_io_faults.sh — I/O that fails under the program, in every mode: a closed
# output pipe, a full disk (/dev/full), a file size limit, closed or unreadable
# standard streams, input ending mid-program. Each fault must end the run with
# one clear line on stderr and exit status 5, never a crash, and every byte
# written before the fault must have been delivered.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

bfjit=${BFJIT:-build/bfjit}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

modes=("--interp -O0" "--interp -O2" "--jit -O0" "--jit -O2" "--tiered --hot=1 -O2")

# verdict NAME STATUS WANT_STATUS WANT_STDERR OUT_FILE WANT_OUT_FILE
verdict() {
  local name=$1 rc=$2 want=$3 werr=$4 out=$5 wout=$6
  if [ "$rc" -ne "$want" ]; then
    t_fail "$name" "exit status $rc, expected $want ($(head -c 200 "$tmp/err"))"
  elif [ "$(cat "$tmp/err")" != "$werr" ]; then
    t_fail "$name" "stderr '$(head -c 200 "$tmp/err")', expected '$werr'"
  elif ! cmp -s "$out" "$wout"; then
    t_fail "$name" "stdout: $(wc -c <"$out") bytes, expected $(wc -c <"$wout")"
  else
    t_ok "$name"
  fi
}

# Prints 'A' 100000 times (more than the 64 KiB output buffer), then reads.
hundred_k=$(printf '%*s' 65 '' | tr ' ' '+')'>'$(printf '%*s' 100 '' | tr ' ' '+')'[>'
hundred_k+=$(printf '%*s' 250 '' | tr ' ' '+')'[>++++[<<<.>>>-]<-]<-]<,'
head -c 100000 /dev/zero | tr '\0' 'A' >"$tmp/A100k"
printf 'hi' >"$tmp/hi"
printf '\1' >"$tmp/one"
printf 'A' >"$tmp/A"
: >"$tmp/empty"
head -c 1024 /dev/zero | tr '\0' '\1' >"$tmp/ones1k"
print_hi='++++++++[>+++++++++++++<-]>.+.<,'   # "hi", then a read

for m in "${modes[@]}"; do
  # shellcheck disable=SC2086
  {
    # A reader that goes away: the write fails with EPIPE (SIGPIPE is ignored).
    timeout 20 "$bfjit" $m -e '+[.]' 2>"$tmp/err" | head -c1 >"$tmp/out"
    verdict "closed pipe [$m]" "${PIPESTATUS[0]}" 5 "bfjit: cannot write output: Broken pipe" \
      "$tmp/out" "$tmp/one"

    timeout 20 "$bfjit" $m -e '+.' >/dev/full 2>"$tmp/err"
    verdict "/dev/full [$m]" $? 5 "bfjit: cannot write output: No space left on device" \
      "$tmp/empty" "$tmp/empty"

    timeout 20 "$bfjit" $m -e '+[.]' >/dev/full 2>"$tmp/err"
    verdict "/dev/full, endless output [$m]" $? 5 \
      "bfjit: cannot write output: No space left on device" "$tmp/empty" "$tmp/empty"

    # A file size limit: exactly the bytes that fit arrive (SIGXFSZ is ignored).
    (ulimit -f 1; exec timeout 20 "$bfjit" $m -e '+[.]' >"$tmp/out" 2>"$tmp/err")
    verdict "file size limit [$m]" $? 5 "bfjit: cannot write output: File too large" \
      "$tmp/out" "$tmp/ones1k"

    timeout 20 "$bfjit" $m -e '+.' >&- 2>"$tmp/err"
    verdict "stdout closed [$m]" $? 5 "bfjit: cannot write output: Bad file descriptor" \
      "$tmp/empty" "$tmp/empty"

    # Output made by compile-time evaluation (at -O2) is written by the run,
    # and fails there as any output does: before a tape error it meets
    # later, and past the first 64 KiB buffer of a program that is all output.
    timeout 20 "$bfjit" $m -e '+.<+' >/dev/full 2>"$tmp/err"
    verdict "/dev/full, then a tape error [$m]" $? 5 \
      "bfjit: cannot write output: No space left on device" "$tmp/empty" "$tmp/empty"
    timeout 20 "$bfjit" $m -e "${hundred_k%<,}" 2>"$tmp/err" | head -c1 >"$tmp/out"
    verdict "closed pipe, 100 KB of output [$m]" "${PIPESTATUS[0]}" 5 \
      "bfjit: cannot write output: Broken pipe" "$tmp/out" "$tmp/A"

    # Reading fails: what was printed before the read still arrives.
    timeout 20 "$bfjit" $m -e "$print_hi" </ >"$tmp/out" 2>"$tmp/err"
    verdict "stdin a directory [$m]" $? 5 "bfjit: cannot read input: Is a directory" \
      "$tmp/out" "$tmp/hi"

    timeout 20 "$bfjit" $m -e "$print_hi" <&- >"$tmp/out" 2>"$tmp/err"
    verdict "stdin closed [$m]" $? 5 "bfjit: cannot read input: Bad file descriptor" \
      "$tmp/out" "$tmp/hi"

    timeout 20 "$bfjit" $m -e "$hundred_k" </ >"$tmp/out" 2>"$tmp/err"
    verdict "100 KB then a read error [$m]" $? 5 "bfjit: cannot read input: Is a directory" \
      "$tmp/out" "$tmp/A100k"

    # Input that ends mid-program: the EOF mode decides, at every width.
    for bits in 8 16 32; do
      printf 'a' | timeout 20 "$bfjit" $m --cell-bits=$bits -e ',.,.,.' >"$tmp/out" 2>"$tmp/err"
      printf 'aaa' >"$tmp/want"
      verdict "EOF keep, $bits-bit [$m]" $? 0 "" "$tmp/out" "$tmp/want"
      printf 'a' | timeout 20 "$bfjit" $m --cell-bits=$bits --eof=0 -e ',.,.,.' >"$tmp/out" 2>"$tmp/err"
      printf 'a\0\0' >"$tmp/want"
      verdict "EOF 0, $bits-bit [$m]" $? 0 "" "$tmp/out" "$tmp/want"
      printf 'a' | timeout 20 "$bfjit" $m --cell-bits=$bits --eof=-1 -e ',.,.,+.' >"$tmp/out" 2>"$tmp/err"
      printf 'a\377\0' >"$tmp/want"
      verdict "EOF -1, $bits-bit [$m]" $? 0 "" "$tmp/out" "$tmp/want"
    done
    # The program itself came from stdin, so the program's input is at its end.
    printf '+++,.' | timeout 20 "$bfjit" $m --eof=0 - >"$tmp/out" 2>"$tmp/err"
    printf '\0' >"$tmp/want"
    verdict "program from stdin, input at EOF [$m]" $? 0 "" "$tmp/out" "$tmp/want"
  }
done

# The C translation (--emit-c) to a full disk: an I/O error, not "out of memory",
# also when the program's function is larger than stdio's buffer.
big=','$(printf '%.0s[>+>++<<-]>.' $(seq 300))
"$bfjit" --emit-c -e "$big" >/dev/full 2>"$tmp/err"
verdict "--emit-c to /dev/full" $? 5 "bfjit: cannot write the C translation" "$tmp/empty" "$tmp/empty"

# An interactive program shows its prompt before it waits for input: the prompt
# must arrive while bfjit still waits (no input is sent until it does).
for m in "${modes[@]}"; do
  rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
  # shellcheck disable=SC2086
  timeout 20 "$bfjit" $m -e "$print_hi"'.' <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  exec 9>"$tmp/fifo"
  got=""
  for _ in $(seq 100); do
    got=$(cat "$tmp/out")
    [ "$got" = hi ] && break
    sleep 0.05
  done
  printf 'x' >&9
  exec 9>&-
  wait "$pid"; rc=$?
  if [ "$got" = hi ] && [ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = hix ]; then
    t_ok "prompt before input [$m]"
  else
    t_fail "prompt before input [$m]" "saw '$got' before the input, exit status $rc"
  fi
done

t_done
