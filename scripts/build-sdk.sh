#!/usr/bin/env bash
# Builds the JavaScript SDK (crates/ecs-js) into dist/sdk/ with its example
# page from www/sdk/. Run after trunk (which empties dist/): test-all.sh and
# serve.sh do.
#   scripts/build-sdk.sh [OUT_DIR]      (default dist/sdk)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist/sdk}"

scripts/build-wasm-module.sh ecs-js "$OUT" ecs-playground
cp www/sdk/* "$OUT/"
echo "SDK built into $OUT:"
ls -l "$OUT"
