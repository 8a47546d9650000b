#!/usr/bin/env bash
# Builds one of the wasm modules pages load on demand (outside trunk): the
# crate's release wasm, wasm-bindgen's ES module for browsers (--target web),
# and wasm-opt -Oz with the features trunk's build enables (index.html).
# Emptying OUT first; run after trunk, which empties dist/.
#   scripts/build-wasm-module.sh CRATE OUT_DIR NAME
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
CRATE="$1"
OUT="$2"
NAME="$3"

cargo build --release --locked --target wasm32-unknown-unknown -p "$CRATE"
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name "$NAME" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/${CRATE//-/_}.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue "$OUT/${NAME}_bg.wasm" -o "$OUT/${NAME}_bg.wasm"
