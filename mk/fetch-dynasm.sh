#!/bin/sh
# fetch-dynasm.sh OUTDIR — unpack DynASM from Debian's 'luajit' source package.
# apt runs with a private config, source list and state under OUTDIR/../apt,
# derived from the machine's own sources, so the system's apt is left untouched.
set -eu

out=${1:?usage: fetch-dynasm.sh OUTDIR}
top=$(dirname "$out")
apt="$top/apt"
fail() {
  echo "dynasm: cannot fetch: $*; get LuaJIT's dynasm/ folder and run: make DYNASM_DIR=/path/to/dynasm" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found"

rm -rf "$apt" "$out"
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/src"
apt=$(cd "$apt" && pwd)

# -- deb-src entries from the machine's own 'deb' entries --------------------
# deb822 files: each stanza with 'Types: deb' becomes 'Types: deb-src'.
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  sed -e 's/^\(Types:.*[[:space:]]\)deb\([[:space:]]\|$\)/\1deb-src\2/' \
      -e 's/^Types:[[:space:]]*deb-src[[:space:]]\+deb-src/Types: deb-src/' \
      "$f" >"$apt/sources.list.d/$(basename "$f")"
done
# One-line files: 'deb ...' lines become 'deb-src ...'.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >"$apt/sources.list.d/$(basename "$f").list"
done
: >"$apt/sources.list"

cat >"$apt/apt.conf" <<CONF
Dir::Etc::SourceList "$apt/sources.list";
Dir::Etc::SourceParts "$apt/sources.list.d";
Dir::State::Lists "$apt/lists";
Dir::Cache "$apt/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Sandbox::User "root";
CONF

# -- Download and unpack only dynasm/ -----------------------------------------
# One unreachable source makes update fail while the rest are usable: carry on.
apt-get -c "$apt/apt.conf" -qq update >"$apt/update.log" 2>&1 || true
(cd "$apt/src" && apt-get -c "$apt/apt.conf" -qq source --download-only luajit) >"$apt/source.log" 2>&1 \
  || fail "apt-get source luajit failed (see $apt/source.log and $apt/update.log)"

# The .orig tarball has no top-level folder: find dynasm/ by its header.
for t in "$apt"/src/luajit_*.orig.tar.*; do
  [ -f "$t" ] || continue
  member=$(tar -tf "$t" | grep -m1 '\(^\|/\)dynasm/dasm_proto\.h$' || true)
  [ -n "$member" ] || continue
  prefix=${member%dasm_proto.h}
  mkdir -p "$apt/x"
  tar -xf "$t" -C "$apt/x" "$prefix"
  mv "$apt/x/$prefix" "$out"
  rm -rf "$apt/x"
  [ -f "$out/dynasm.lua" ] || fail "dynasm.lua missing in $t"
  echo "dynasm: unpacked $(basename "$t") into $out"
  exit 0
done
fail "no dynasm/ found in the luajit source package"
