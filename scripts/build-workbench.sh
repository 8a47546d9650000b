#!/usr/bin/env bash
# Builds the workbench (crates/ecs-workbench and www/workbench/) into
# dist/workbench/: the authoring page loads it the first time several files,
# a folder or a Terraform file are imported (www/js/page.js). Run
# after trunk (which empties dist/): test-all.sh and serve.sh do.
#   scripts/build-workbench.sh [OUT_DIR]      (default dist/workbench)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist/workbench}"

scripts/build-wasm-module.sh ecs-workbench "$OUT" ecs-workbench
cp www/workbench/workbench.js www/workbench/workbench.css "$OUT/"
echo "workbench built into $OUT:"
ls -l "$OUT"
