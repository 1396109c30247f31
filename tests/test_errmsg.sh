#!/bin/bash
# test_errmsg.sh — the message table (src/bf_errmsg.h) and its users agree. The
# library fills a message in from the table, where the compiler cannot see the
# format: here every bf_error_set call is compiled once more with the table's
# text in place of its name, so gcc checks the arguments against the format as
# it would a literal. And every message in the table is used somewhere.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
table=$src/src/bf_errmsg.h

# FMT_BF_EM_<name> for each entry, and bf_error_set as a printf of it.
sed -n 's/^  _(\([A-Z_]*\), *[01], *\(".*"\)).*/#define FMT_BF_EM_\1 \2/p' "$table" >"$tmp/fmt.h"
n=$(wc -l <"$tmp/fmt.h")
if [ "$n" -lt 20 ]; then
  t_fail "the table reads" "found $n messages in $table"
  t_done; exit
fi
t_ok "the table reads ($n messages)"
cat >>"$tmp/fmt.h" <<'H'
#include <stdio.h>
#define bf_error_set(err, st, msg, ...) \
  ((void)(err), (void)(st), printf(FMT_##msg, ##__VA_ARGS__), -1)
H

# Capstone's half of bf_disasm.c is checked too where its header is installed.
cs=
[ -f /usr/include/capstone/capstone.h ] && cs=-DBF_HAVE_CAPSTONE
users=$(grep -l 'bf_error_set(' "$src"/src/*.c | grep -v '/bf_error\.c$')
for f in $users; do
  name=${f#"$src/"}
  if $cc -std=gnu11 -D_GNU_SOURCE -fsyntax-only -Wformat -Werror=format -Wno-unused-value $cs \
       -I"$src/include" -I"$src/src" -include "$src/src/bf_error.h" -include "$tmp/fmt.h" \
       "$f" 2>"$tmp/cc.err"; then
    t_ok "$name: every message gets the arguments its format asks for"
  else
    t_fail "$name: every message gets the arguments its format asks for" \
      "$(grep -m2 -E 'error|warning' "$tmp/cc.err" | tr '\n' ' ')"
  fi
done

# No message the library never says.
unused=
for m in $(sed 's/^#define FMT_\(BF_EM_[A-Z_]*\) .*/\1/p; d' "$tmp/fmt.h"); do
  grep -q "\b$m\b" $users || unused="$unused $m"
done
if [ -n "$unused" ]; then t_fail "every message is used" "unused:$unused"
else t_ok "every message is used"; fi

t_done
