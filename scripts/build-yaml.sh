#!/usr/bin/env bash
# Builds the YAML reader (crates/ecs-yaml) into dist/yaml/: the authoring
# page loads it the first time a CloudFormation YAML template is imported
# (www/js/page.js). Run after trunk (which empties dist/): test-all.sh
# and serve.sh do.
#   scripts/build-yaml.sh [OUT_DIR]      (default dist/yaml)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist/yaml}"

scripts/build-wasm-module.sh ecs-yaml "$OUT" ecs-yaml
echo "YAML reader built into $OUT:"
ls -l "$OUT"
