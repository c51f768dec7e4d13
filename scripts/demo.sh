#!/usr/bin/env bash
# `make demo`: run awaitify over examples/ and show what it finds and the
# rewrite it would make. Writes nothing into examples/: the "after" program
# is built from a scratch copy.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
awaitify="$build/tool/cli/awaitify"
cxx=${CXX_DEMO:-clang++-19}
flags=(-std=c++20 -I"$root/runtime/include")
bold=$(tput bold 2>/dev/null || true); off=$(tput sgr0 2>/dev/null || true)
say() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$off"; }

cd "$root"
say "awaitify check examples/orders/checkout.cpp (rules: examples/orders/.awaitify.yaml)"
"$awaitify" check --explain examples/orders/checkout.cpp -- "${flags[@]}" || true

say "awaitify diff examples/orders/checkout.cpp"
"$awaitify" diff examples/orders/checkout.cpp -- "${flags[@]}" || true

say "before and after: the same program, the same output"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/orders "$work/orders"
"$cxx" "${flags[@]}" examples/orders/checkout.cpp examples/orders/main.cpp -o "$work/before"
"$awaitify" fix "$work/orders/checkout.cpp" -- "${flags[@]}" >/dev/null 2>&1
"$cxx" "${flags[@]}" "$work/orders/checkout.cpp" "$work/orders/main.cpp" -o "$work/after"
"$work/before" > "$work/before.txt"
"$work/after" > "$work/after.txt"
paste -d'|' "$work/before.txt" "$work/after.txt" | awk -F'|' '{ printf "  %-32s %s\n", $1, $2 }'
if cmp -s "$work/before.txt" "$work/after.txt"; then
  echo "same output before and after the rewrite"
else
  echo "OUTPUT DIFFERS" >&2
  exit 1
fi
