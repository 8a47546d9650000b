#!/usr/bin/env bash
# Builds the editor of large documents (www/large-editor/: CodeMirror 6 from
# tests/e2e/node_modules, bundled and minified by esbuild) into
# dist/large-editor/: the authoring page loads it when the open document
# reaches src/editor/large.rs's threshold (www/js/page.js). Its analysis
# worker runs the workbench's wasm (dist/workbench/, scripts/build-workbench.sh).
# Run after trunk (which empties dist/): test-all.sh and serve.sh do.
#   scripts/build-large-editor.sh [OUT_DIR]      (default dist/large-editor)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-dist/large-editor}"

rm -rf "$OUT"
mkdir -p "$OUT"
# The bundle's packages are the build's npm tools (tests/e2e, installed by setup.sh).
export NODE_PATH="$ROOT/tests/e2e/node_modules"
ESBUILD=tests/e2e/node_modules/.bin/esbuild
"$ESBUILD" www/large-editor/large-editor.js --bundle --minify --format=esm --target=es2022 \
  --outfile="$OUT/large-editor.js" --log-level=warning
"$ESBUILD" www/large-editor/analysis-worker.js --minify --format=esm --target=es2022 \
  --outfile="$OUT/analysis-worker.js" --log-level=warning
echo "large-document editor built into $OUT:"
ls -l "$OUT"
