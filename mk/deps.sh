#!/bin/sh
# deps.sh — install the Debian packages the build needs, only those missing.
# Run by the Makefile once (it stamps build/deps/.packages); safe to run by hand.
set -eu

# What each package is for: compiler and make, pkg-config for capstone's flags,
# luajit to run dynasm.lua, cmocka for the unit tests, capstone for
# disassembly, hyperfine for `make bench`, xz-utils to unpack Debian sources.
PACKAGES="build-essential pkg-config luajit libcmocka-dev libcapstone-dev hyperfine xz-utils"
# Arguments name other packages to check instead (tests/test_arm64.sh: its cross
# compiler and qemu-user, which only that test needs).
[ $# -gt 0 ] && PACKAGES="$*"

missing=""
for p in $PACKAGES; do
  # dpkg -s also succeeds for removed-but-configured packages; check the state.
  if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing packages:$missing (no apt-get here: install them, or run make with DEPS=0)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages; as root run: apt-get install -y$missing" >&2
  exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the list is intended
apt-get install -y -qq --no-install-recommends $missing
