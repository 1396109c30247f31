#!/bin/bash
# test_install.sh — `make install` into a temporary DESTDIR, then use the installed
# copy as a user would: examples/embed.c built through pkg-config against the shared
# and (--static) the static library, the command, the man page; `make uninstall`
# must leave no file behind.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest prefix=/opt/bfjit
root=$dest$prefix
want="the program wrote 13 bytes: Hello World!"
# The same build the rest of the suite tests (SANITIZE picks build/san).
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$src" --no-print-directory DEPS=0 PREFIX=$prefix DESTDIR="$dest" "$@"; }

if ! mk install >"$tmp/install.log" 2>&1; then
  t_fail "make install" "$(tail -n3 "$tmp/install.log" | tr '\n' ' ')"
  t_done; exit
fi
t_ok "make install"

missing=
for f in bin/bfjit lib/libbfjit.a lib/libbfjit.so lib/libbfjit.so.0 include/bfjit.h \
         lib/pkgconfig/bfjit.pc share/man/man1/bfjit.1; do
  [ -e "$root/$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then t_fail "installed files" "missing:$missing"; else t_ok "installed files"; fi

# The shared library names its ABI major version, and the links lead to the file.
soname=$(objdump -p "$root/lib/libbfjit.so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
real=$(readlink -f "$root/lib/libbfjit.so")
if [ "$soname" != libbfjit.so.0 ]; then
  t_fail "soname and links" "SONAME is '$soname', expected libbfjit.so.0"
elif [ -L "$real" ] || [ "$(readlink "$root/lib/libbfjit.so")" != libbfjit.so.0 ] ||
     [ "$(readlink -f "$root/lib/libbfjit.so.0")" != "$real" ]; then
  t_fail "soname and links" "expected libbfjit.so -> libbfjit.so.0 -> one file, got $real"
else
  t_ok "soname and links"
fi

# pkg-config finds the installed copy; --define-prefix rewrites its paths into DESTDIR.
pc() { PKG_CONFIG_PATH=$root/lib/pkgconfig pkg-config --define-prefix "$@" bfjit; }
if ! ver=$(pc --modversion 2>&1); then
  t_fail "pkg-config finds bfjit" "$ver"
elif [ "$ver" != "$("$root/bin/bfjit" -V | awk '{ print $2 }')" ]; then
  t_fail "pkg-config finds bfjit" "version $ver is not bfjit -V's"
else
  t_ok "pkg-config finds bfjit"
fi
case $(pc --cflags) in *"-I$root/include"*) t_ok "pkg-config --cflags" ;;
  *) t_fail "pkg-config --cflags" "'$(pc --cflags)' does not point into DESTDIR" ;; esac

san=
[ -n "${SANITIZE:-}" ] && san="-fsanitize=$SANITIZE"
# build_run NAME [LD_LIBRARY_PATH] CC-ARGS...: build embed.c, run it, check its output.
build_run() {
  local name=$1 ldpath=$2; shift 2
  local exe=$tmp/embed-$RANDOM out rc
  # Only what pkg-config says: no -I or -L into the source tree.
  if ! $cc -std=c99 -Wall -Wextra -Werror $san -o "$exe" "$src/examples/embed.c" "$@" \
       2>"$tmp/cc.err"; then
    t_fail "$name" "compile failed: $(head -n3 "$tmp/cc.err" | tr '\n' ' ')"; return
  fi
  out=$(LD_LIBRARY_PATH=$ldpath "$exe" 2>"$tmp/run.err"); rc=$?
  if [ $rc -ne 0 ]; then t_fail "$name" "exit status $rc: $(head -n1 "$tmp/run.err")"
  elif [ "$out" != "$want" ]; then t_fail "$name" "output '$out', expected '$want'"
  else t_ok "$name"; fi
}
# shellcheck disable=SC2046  # pkg-config's flags are words
build_run "embed.c, shared, through pkg-config" "$root/lib" $(pc --cflags --libs)
exe=$(ls "$tmp"/embed-* 2>/dev/null | head -n1)
if [ -n "$exe" ] && LD_LIBRARY_PATH=$root/lib ldd "$exe" | grep -q "libbfjit.so.0 => $root/lib/"; then
  t_ok "embed.c loads the installed libbfjit.so.0"
else
  t_fail "embed.c loads the installed libbfjit.so.0" "ldd: $([ -n "$exe" ] && ldd "$exe" | grep bfjit)"
fi
rm -f "$tmp"/embed-*
# --static: the archive, with the libraries it needs from Libs.private.
# shellcheck disable=SC2046
build_run "embed.c, static, through pkg-config --static" "" \
  $(pc --cflags) $(pc --static --libs | sed "s|-lbfjit|$root/lib/libbfjit.a|")
exe=$(ls "$tmp"/embed-* 2>/dev/null | head -n1)
if [ -n "$exe" ] && ! ldd "$exe" | grep -q libbfjit; then
  t_ok "static embed.c needs no libbfjit.so"
else
  t_fail "static embed.c needs no libbfjit.so" "it links $(ldd "$exe" | grep bfjit)"
fi

out=$(echo hi | "$root/bin/bfjit" --eof=0 -e ',[.,]' 2>&1)
if [ "$out" = hi ]; then t_ok "installed bfjit runs"; else t_fail "installed bfjit runs" "'$out'"; fi

# The man page renders without a warning (man -l; groff when man is absent).
if command -v man >/dev/null; then
  page=$(MANWIDTH=80 man -l "$root/share/man/man1/bfjit.1" 2>"$tmp/man.err")
else
  page=$(groff -man -Tutf8 -ww "$root/share/man/man1/bfjit.1" 2>"$tmp/man.err")
fi
groff -man -Tutf8 -ww -z "$root/share/man/man1/bfjit.1" 2>>"$tmp/man.err"
if [ -s "$tmp/man.err" ]; then
  t_fail "man page renders" "$(head -n2 "$tmp/man.err" | tr '\n' ' ')"
elif ! grep -q 'SYNOPSIS' <<<"$page" || ! grep -q -- '--cache' <<<"$page"; then
  t_fail "man page renders" "no SYNOPSIS or --cache in the rendered page"
else
  t_ok "man page renders"
fi
# Every option --help lists is in the man page.
missing=
for o in $("$root/bin/bfjit" --help | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' |
           sed 's/^[ ,]*//' | sort -u); do
  grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" <<<"$page" || missing="$missing $o"
done
if [ -n "$missing" ]; then t_fail "man page lists every option" "missing:$missing"
else t_ok "man page lists every option"; fi

if ! mk uninstall >"$tmp/uninstall.log" 2>&1; then
  t_fail "make uninstall" "$(tail -n3 "$tmp/uninstall.log" | tr '\n' ' ')"
else
  left=$(find "$dest" ! -type d)
  if [ -n "$left" ]; then t_fail "make uninstall" "left behind: $(echo $left)"
  else t_ok "make uninstall"; fi
fi
t_done
