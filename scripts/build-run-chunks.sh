#!/usr/bin/env bash
# Builds the run page's on-demand module into dist/chunks/: the `aws ecs`
# console (crates/ecs-console, dist/chunks/console/), which the run page loads
# through www/js/run-chunks.js when the console is first used. (Lessons are
# read and checked in the run page itself: ARCHITECTURE.md says why.)
# Run after trunk (which empties dist/): test-all.sh and serve.sh do.
#   scripts/build-run-chunks.sh [OUT_DIR]      (default dist/chunks)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist/chunks}"

scripts/build-wasm-module.sh ecs-console "$OUT/console" ecs-console
echo "run page chunks built into $OUT:"
ls -l "$OUT"/*
