#!/usr/bin/env bash
# Builds the JavaScript SDK (crates/ecs-js) into dist/sdk/: the release wasm,
# wasm-bindgen's ES module for browsers (--target web), wasm-opt -Oz with the
# same features trunk's build enables (index.html), and the example page from
# www/sdk/. Run after trunk (which empties dist/): test-all.sh and serve.sh do.
#   scripts/build-sdk.sh [OUT_DIR]      (default dist/sdk)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
OUT="${1:-dist/sdk}"
NAME="ecs-playground"

cargo build --release --locked --target wasm32-unknown-unknown -p ecs-js
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name "$NAME" target/wasm32-unknown-unknown/release/ecs_js.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue "$OUT/${NAME}_bg.wasm" -o "$OUT/${NAME}_bg.wasm"
cp www/sdk/* "$OUT/"
echo "SDK built into $OUT:"
ls -l "$OUT"
