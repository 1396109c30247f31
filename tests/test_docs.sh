#!/bin/bash
# test_docs.sh — the ladder docs stay true: every snippet in docs/en and docs/zh-TW is
# what docs/snippets.sh prints now (machine addresses and timings aside), both
# languages have the same chapters with the same code blocks, and links resolve.
set -u
. "$(dirname "$0")/../mk/testlib.sh"

src=${BFJIT_SRC:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# What may differ between two runs: where code is mapped, how long things took.
norm() { sed -E 's/0x[0-9a-f]{7,}/0xADDR/g; s/[0-9]+\.[0-9]{6} s/T s/g' "$1"; }
# blocks FILE: every fenced code block, fences included, nothing else.
blocks() { awk '/^```/ { f = !f; print; next } f' "$1"; }

for lang in en zh-TW; do
  mkdir -p "$tmp/$lang"
  cp "$src/docs/$lang"/*.md "$tmp/$lang/"
done
if ! "$src/docs/snippets.sh" --fill "$tmp"/en/*.md "$tmp"/zh-TW/*.md 2>"$tmp/fill.err"; then
  t_fail "snippets regenerate" "$(head -n2 "$tmp/fill.err" | tr '\n' ' ')"
  t_done; exit
fi
t_ok "snippets regenerate"

for f in "$src"/docs/en/*.md "$src"/docs/zh-TW/*.md; do
  rel=${f#"$src/docs/"}
  if ! grep -q '^<!-- snippet: ' "$f"; then continue; fi
  if diff -u <(norm "$f") <(norm "$tmp/$rel") >"$tmp/diff"; then
    t_ok "docs/$rel: snippets are current"
  else
    t_fail "docs/$rel: snippets are current" \
      "run docs/snippets.sh --fill docs/*/*.md: $(grep -m3 '^[-+][^-+]' "$tmp/diff" | tr '\n' ' ')"
  fi
done

# The two languages in step: same files, same code blocks in the same order.
en=$(cd "$src/docs/en" && ls *.md) zh=$(cd "$src/docs/zh-TW" && ls *.md)
if [ "$en" != "$zh" ]; then
  t_fail "en and zh-TW have the same chapters" "en: $(echo $en); zh-TW: $(echo $zh)"
else
  t_ok "en and zh-TW have the same chapters"
  for c in $en; do
    if diff <(blocks "$src/docs/en/$c") <(blocks "$src/docs/zh-TW/$c") >"$tmp/diff"; then
      t_ok "$c: same code blocks in both languages"
    else
      t_fail "$c: same code blocks in both languages" "$(head -n3 "$tmp/diff" | tr '\n' ' ')"
    fi
  done
fi

# Relative links (chapters, files of the tree) point at something.
bad=
for f in "$src"/docs/en/*.md "$src"/docs/zh-TW/*.md; do
  for l in $(grep -oE '\]\([^)#:]+\)' "$f" | sed 's/^](//; s/)$//'); do
    [ -e "$(dirname "$f")/$l" ] || bad="$bad ${f#"$src/"}:$l"
  done
done
if [ -n "$bad" ]; then t_fail "docs links resolve" "broken:$bad"; else t_ok "docs links resolve"; fi

# Files the chapters name exist (a renamed source file shows up here).
bad=
for f in "$src"/docs/en/*.md; do
  for p in $(grep -oE '`(src|tests|demos|mk|docs)/[A-Za-z0-9_./-]+`' "$f" | tr -d '`' | sort -u); do
    case $p in *'*'*|*'{'*) continue ;; esac
    [ -e "$src/$p" ] || bad="$bad ${f#"$src/"}:$p"
  done
done
if [ -n "$bad" ]; then t_fail "files the docs name exist" "missing:$bad"; else t_ok "files the docs name exist"; fi
t_done
